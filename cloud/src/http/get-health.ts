import type { FastifyInstance } from 'fastify';

/** Liveness: the process is up and serving. Readiness (database, migrations) arrives with the Postgres schema. */
export function getHealth(app: FastifyInstance): void {
  app.get('/healthz', async () => ({ success: true, data: { status: 'ok' } }));
}
