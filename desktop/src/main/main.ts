/**
 * Electron main: one locked-down window on the built renderer, the core in a utility process, and the
 * handler API relayed between them. No business logic lives here.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, app, dialog, ipcMain, protocol, safeStorage, session, utilityProcess } from 'electron';
import { ErrorCode } from '@gymstack/shared';
// Module by module, so the main process loads none of the browser-mode server.
import { connectOverChannel } from '../core/transport/channel.js';
import { securityHeaders } from '../core/transport/security.js';
import { resolveStaticFile } from '../core/transport/static-files.js';
import { failure } from '../core/transport/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '..', 'renderer');
/** The renderer's origin. A privileged custom scheme gives it a real origin for 'self', unlike file://. */
const ORIGIN = 'app://desk';

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

// Two desk apps on one database would fight over it; the second launch focuses the first instead.
if (!app.requestSingleInstanceLock()) app.quit();
else void app.whenReady().then(start);

async function serveRenderer(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const file = url.host === 'desk' ? await resolveStaticFile(rendererDir, url.pathname) : null;
  if (!file) return new Response('Not found', { status: 404 });
  return new Response(await readFile(file.path), { headers: { ...securityHeaders, 'Content-Type': file.contentType } });
}

/**
 * The desk's own secret (it seals the gym's keys at rest, DESIGN 7), kept encrypted by the OS keychain
 * through safeStorage. Without a keychain the core falls back to its 0600 key file, as in browser mode.
 */
async function deskSecret(dataDir: string): Promise<string | null> {
  if (!safeStorage.isEncryptionAvailable()) return null;
  const file = path.join(dataDir, 'desk-secret.safe');
  try {
    return safeStorage.decryptString(await readFile(file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32).toString('base64');
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, safeStorage.encryptString(secret), { mode: 0o600, flag: 'wx' });
  return secret;
}

async function startCore() {
  const dataDir = process.env.GYMSTACK_DATA_DIR ?? path.join(app.getPath('userData'), 'data');
  const secret = await deskSecret(dataDir);
  const child = utilityProcess.fork(path.join(here, 'core-process.js'), [], {
    serviceName: 'GymStack core',
    env: { ...process.env, GYMSTACK_DATA_DIR: dataDir, ...(secret ? { GYMSTACK_DESK_SECRET: secret } : {}) },
  });
  const core = connectOverChannel({ post: (m) => child.postMessage(m), onMessage: (l) => child.on('message', l) });
  let quitting = false;
  app.on('before-quit', () => {
    quitting = true;
    child.kill();
  });
  child.once('exit', (code) => {
    core.fail('The desk core stopped; restart GymStack');
    if (quitting) return;
    dialog.showErrorBox('GymStack', `The desk core stopped unexpectedly (exit code ${code}). GymStack will close; nothing acknowledged was lost.`);
    app.exit(1);
  });
  return core;
}

function createWindow() {
  const win = new BrowserWindow({
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 640,
    title: 'GymStack',
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: path.join(here, 'preload.cjs'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${ORIGIN}/`);
  return win;
}

async function start() {
  protocol.handle('app', serveRenderer);
  // No remote content: the renderer reaches the network only through the core.
  session.defaultSession.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (_details, callback) =>
    callback({ cancel: true }),
  );
  // The webcam (member photos) is the one permission the desk uses.
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'media'));

  const core = await startCore();
  ipcMain.handle('desk:call', (event, name: unknown, args: unknown) =>
    event.senderFrame?.url.startsWith(`${ORIGIN}/`) && typeof name === 'string'
      ? core.dispatch(name, args)
      : failure(ErrorCode.Forbidden, 'Calls are accepted only from the desk window'),
  );
  core.onEvent((event) => {
    for (const win of BrowserWindow.getAllWindows()) win.webContents.send('desk:event', event);
  });

  const win = createWindow();
  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => app.quit());
}

app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
});
