import { AppError, ErrorCode } from '@gymstack/shared';
import { z } from 'zod';
import { pendingMigrations } from '../db/migrate.js';
import type { Route } from './app-types.js';
import { failureSchema, ok, okSchema } from './envelope.js';

/** Readiness: the database answers and has every migration this build ships; else 503 UNAVAILABLE. */
export const getReady: Route = (app, { db }) => {
  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness',
        tags: ['ops'],
        response: { 200: okSchema(z.object({ status: z.literal('ready') })), 503: failureSchema },
      },
    },
    async (request) => {
      let pending: string[];
      try {
        pending = await pendingMigrations(db);
      } catch (error) {
        request.log.warn({ err: error }, 'readiness: database unreachable');
        throw new AppError(ErrorCode.Unavailable, 'The database is unreachable');
      }
      if (pending.length > 0) throw new AppError(ErrorCode.Unavailable, `Migrations not applied: ${pending.join(', ')}`);
      return ok({ status: 'ready' as const });
    },
  );
};
