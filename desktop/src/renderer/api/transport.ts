import type { DeskEvent, DeskReply, HandlerName } from '../../core/contract';

/** How the renderer reaches the core; the screens never know which one they are on. */
export interface Transport {
  call(name: HandlerName, args: unknown): Promise<DeskReply>;
  onEvent(listener: (event: DeskEvent) => void): () => void;
}

declare global {
  interface Window {
    /** Injected by the Electron preload; absent in browser mode. */
    gymstack?: Transport;
  }
}
