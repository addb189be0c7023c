import { z } from 'zod';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';

/** Liveness: the process is up and serving. It checks nothing else, so a slow database never restarts it. */
export const getHealth: Route = (app) => {
  app.get(
    '/healthz',
    { schema: { summary: 'Liveness', tags: ['ops'], response: { 200: okSchema(z.object({ status: z.literal('ok') })) } } },
    async () => ok({ status: 'ok' as const }),
  );
};
