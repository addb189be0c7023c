import Fastify, { type FastifyInstance } from 'fastify';
import { getHealth } from './http/get-health.js';

export interface AppOptions {
  logger?: boolean;
}

/** Builds the cloud HTTP app without listening, so tests drive it with `inject`. */
export function buildApp(options: AppOptions = {}): FastifyInstance {
  const app = Fastify({ logger: options.logger ?? false });
  getHealth(app);
  return app;
}
