import { randomBytes } from 'node:crypto';

/** The renderer's CSP, identical in Electron and browser mode: nothing but our own files and socket. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; connect-src 'self' ws://127.0.0.1:*; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; media-src 'self' data: blob:";

/** Sent with every response the renderer loads. */
export const securityHeaders = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
} as const;

/** A per-launch secret: 32 random bytes, base64url so it fits a URL fragment and a WebSocket subprotocol. */
export const newToken = (): string => randomBytes(32).toString('base64url');
