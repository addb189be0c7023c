/**
 * The handler API over a message channel: how Electron's main process reaches the core running in its
 * utility process. Written against a minimal channel so it runs, and is tested, in plain Node.
 */
import { ErrorCode } from '@gymstack/shared';
import type { DeskEvent, DeskReply } from '../contract.js';
import { type DeskEndpoint, failure } from './types.js';

/** One end of a message channel (Electron's parentPort or UtilityProcess, node:worker_threads ports). */
export interface Channel {
  post(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
}

type ToCore = { kind: 'call'; id: number; name: string; args: unknown };
type FromCore = { kind: 'reply'; id: number; reply: DeskReply } | { kind: 'event'; event: DeskEvent };

/** The core's side, for the life of its process: answers calls and forwards events. */
export function serveOverChannel(core: DeskEndpoint, channel: Channel): void {
  const send = (message: FromCore) => channel.post(message);
  channel.onMessage((message) => {
    const { id, name, args } = message as ToCore;
    void core.dispatch(name, args).then((reply) => send({ kind: 'reply', id, reply }));
  });
  core.onEvent((event) => send({ kind: 'event', event }));
}

export interface ChannelClient extends DeskEndpoint {
  /** The core is gone: answer every pending and later call with an INTERNAL error. */
  fail(message: string): void;
}

/** The main process's side: a DeskEndpoint proxy of the core at the other end. */
export function connectOverChannel(channel: Channel): ChannelClient {
  const pending = new Map<number, (reply: DeskReply) => void>();
  const listeners = new Set<(event: DeskEvent) => void>();
  let nextId = 1;
  let failed: DeskReply | null = null;

  channel.onMessage((message) => {
    const m = message as FromCore;
    if (m.kind === 'event') {
      for (const listener of listeners) listener(m.event);
      return;
    }
    pending.get(m.id)?.(m.reply);
    pending.delete(m.id);
  });

  return {
    dispatch(name, args) {
      if (failed) return Promise.resolve(failed);
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        channel.post({ kind: 'call', id, name, args } satisfies ToCore);
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    fail(message) {
      failed = failure(ErrorCode.Internal, message);
      for (const resolve of pending.values()) resolve(failed);
      pending.clear();
    },
  };
}
