import type { DeskEvent, HandlerArgs, HandlerName, HandlerResult } from '../../core/contract';
import { createBrowserTransport } from './browser-transport';
import { DeskApiError } from './errors';

const transport = window.gymstack ?? createBrowserTransport();

/** The typed handler API: the only way the renderer talks to the core. */
export const api = {
  async call<N extends HandlerName>(name: N, args: HandlerArgs<N>): Promise<HandlerResult<N>> {
    const reply = await transport.call(name, args);
    if (!reply.ok) throw new DeskApiError(reply.error);
    return reply.data as HandlerResult<N>;
  },
  onEvent(listener: (event: DeskEvent) => void): () => void {
    return transport.onEvent(listener);
  },
};
