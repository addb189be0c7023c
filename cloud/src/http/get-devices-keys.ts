import { exportPassKey } from '@gymstack/shared/passes';
import { z } from 'zod';
import { loadGymKeys } from '../domain/gym-keys.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

const gymKeysSchema = z.object({
  template: z.object({
    keyId: z.string(),
    key: z.base64().describe('AES-256 key (32 bytes), base64: seals fingerprint templates'),
  }),
  pass: z.object({
    keyId: z.string().describe('Named in every pass the key signs'),
    privateKey: z.base64().describe('Ed25519 private key, base64 of PKCS#8 DER: signs member passes'),
    publicKey: z.base64().describe('Ed25519 public key, base64 of SPKI DER: verifies member passes'),
  }),
});

/**
 * GET /api/v1/devices/keys: the gym's keys for a paired desk (made on the gym's first request), so a
 * template enrolled at one desk opens at every other and any desk can issue and check passes offline.
 */
export const getDevicesKeys: Route = (app, { auth }) => {
  app.get(
    '/devices/keys',
    {
      schema: {
        summary: "The gym's template and pass keys (desks only)",
        tags: ['devices'],
        security: bearer,
        response: { 200: okSchema(gymKeysSchema), ...failures },
      },
      config: { permission: { resource: 'gymKeys', action: 'read' } },
    },
    async (request, reply) => {
      const keys = await loadGymKeys(request.db, request.tenant.gymId, auth.keyEncryptionKey);
      // Secrets: no cache along the way may keep a copy.
      reply.header('cache-control', 'no-store');
      return ok({
        template: { keyId: keys.template.keyId, key: keys.template.key.toString('base64') },
        pass: { keyId: keys.pass.keyId, privateKey: exportPassKey(keys.pass.privateKey), publicKey: exportPassKey(keys.pass.publicKey) },
      });
    },
  );
};
