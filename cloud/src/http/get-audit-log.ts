import * as audit from '../domain/audit.js';
import { auditEntrySchema, auditQuery } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { bearer, failures, okPage, pageSchema } from './responses.js';

/** GET /api/v1/audit-log: Every write: who (role, device or IP), what, and the values before and after; newest first. */
export const getAuditLog: Route = (app) => {
  app.get(
    '/audit-log',
    {
      schema: {
        summary: 'Audit log',
        tags: ['audit'],
        security: bearer,
        querystring: auditQuery,
        response: { 200: pageSchema(auditEntrySchema), ...failures },
      },
      config: { permission: { resource: 'auditLog', action: 'read' } },
    },
    async (request) => okPage(await audit.listAudit(request.db, request.query)),
  );
};
