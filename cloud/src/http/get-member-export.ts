import { z } from 'zod';
import * as dataRights from '../domain/data-rights.js';
import { idParams } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { bearer, failures } from './responses.js';

/** GET /api/v1/members/:id/export: everything held about a member as a zip of JSON and CSV (DPDP Act / GDPR). */
export const getMemberExport: Route = (app) => {
  app.get(
    '/members/:id/export',
    {
      schema: {
        summary: "Export a member's data (DPDP Act / GDPR)",
        tags: ['data rights'],
        security: bearer,
        params: idParams,
        produces: ['application/zip'],
        response: { 200: z.any().describe('A zip: member.json and one CSV per kind of record'), ...failures },
      },
      config: { permission: { resource: 'memberData', action: 'read' } },
    },
    async (request, reply) => {
      const zip = await dataRights.exportMember(request.db, request.access, request.params.id);
      reply.type('application/zip').header('content-disposition', `attachment; filename="member-${request.params.id}.zip"`);
      return Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
    },
  );
};
