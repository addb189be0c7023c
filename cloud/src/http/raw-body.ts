import type { CloudApp } from './app-types.js';

/** Keeps every body in this plugin scope as raw bytes, whatever its content type: webhooks check them before parsing. */
export function keepRawBodies(scope: CloudApp): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
}

/** The bytes `keepRawBodies` kept; empty when the request had no body. */
export const rawBodyOf = (body: unknown): Buffer => (Buffer.isBuffer(body) ? body : Buffer.alloc(0));
