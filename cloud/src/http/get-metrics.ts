import type { Route } from './app-types.js';

/** Prometheus scrape endpoint, in the text exposition format (hence outside the JSON envelope). */
export const getMetrics: Route = (app, { metrics }) => {
  app.get('/metrics', { schema: { summary: 'Prometheus metrics', tags: ['ops'] } }, async (_request, reply) =>
    reply.type(metrics.contentType).send(await metrics.metrics()),
  );
};
