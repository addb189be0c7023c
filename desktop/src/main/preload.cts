/**
 * Exposes `window.gymstack` and nothing else of Electron. Sandboxed preloads must be CommonJS and may
 * require only 'electron', hence .cts (compiled to preload.cjs) and the channel names spelled out
 * here as in main.ts.
 */
// verbatimModuleSyntax makes import-equals the way a .cts file loads a CommonJS module.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import electron = require('electron');
import type { DeskEvent } from '../core/contract.js';
import type { DeskBridge } from '../core/transport/types.js';

const { contextBridge, ipcRenderer } = electron;

const bridge: DeskBridge = {
  call: (name, args) => ipcRenderer.invoke('desk:call', name, args),
  onEvent(listener) {
    const relay = (_event: electron.IpcRendererEvent, deskEvent: DeskEvent) => listener(deskEvent);
    ipcRenderer.on('desk:event', relay);
    return () => void ipcRenderer.removeListener('desk:event', relay);
  },
};

contextBridge.exposeInMainWorld('gymstack', bridge);
