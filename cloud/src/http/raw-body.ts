import { AppError, ErrorCode } from '@gymstack/shared';
import type { CloudApp } from './app-types.js';

/** Keeps every body in this plugin scope as raw bytes, whatever its content type: webhooks check them before parsing. */
export function keepRawBodies(scope: CloudApp): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
}

/** The bytes `keepRawBodies` kept; empty when the request had no body. */
export const rawBodyOf = (body: unknown): Buffer => (Buffer.isBuffer(body) ? body : Buffer.alloc(0));

/** The raw body parsed as JSON; a 400 when it is not. */
export function jsonOf(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError(ErrorCode.BadRequest, 'The body is not JSON');
  }
}
