import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { CloudApp } from '../app-types.js';

/** OpenAPI generated from the routes' zod schemas: the UI at /docs, the document at /docs/json. */
export async function docs(app: CloudApp): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: { title: 'GymStack cloud API', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
