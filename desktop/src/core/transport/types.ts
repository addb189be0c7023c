import type { ErrorCode } from '@gymstack/shared';
import type { DeskEvent, DeskReply } from '../contract.js';

/** What a transport serves: the core itself, or a proxy of it in another process. */
export interface DeskEndpoint {
  /** Resolves with the handler's reply, errors included; never rejects. */
  dispatch(name: string, args: unknown): Promise<DeskReply>;
  /** Returns the unsubscribe function. */
  onEvent(listener: (event: DeskEvent) => void): () => void;
}

/** What the renderer sees as `window.gymstack`, whichever transport carries it. */
export interface DeskBridge {
  call(name: string, args?: unknown): Promise<DeskReply>;
  onEvent(listener: (event: DeskEvent) => void): () => void;
}

/** An error reply raised by a transport itself, before or instead of reaching a handler. */
export const failure = (code: ErrorCode, message: string): DeskReply => ({ ok: false, error: { code, message } });
