/**
 * Browser mode (DESIGN 4): the desk's handler API on 127.0.0.1 over HTTP + WebSocket, guarded by a
 * per-launch token, plus the built renderer as static files. Plain Node, so tests and `npm start`
 * need no Electron.
 */
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { STATUS_CODES, createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { WebSocket, WebSocketServer } from 'ws';
import { ErrorCode } from '@gymstack/shared';
import { tokenMatches } from '@gymstack/shared/crypto';
import type { DeskReply } from '../contract.js';
import { newToken, securityHeaders } from './security.js';
import { resolveStaticFile } from './static-files.js';
import { type DeskEndpoint, failure } from './types.js';

export const MAX_BODY_BYTES = 1024 * 1024;
const CALL_PREFIX = '/api/call/';
const EVENTS_PATH = '/api/events';
/** Browsers cannot set headers on a WebSocket, so the token may ride in the subprotocol list. */
const PROTOCOL_PREFIX = 'gymstack.';
/** How long `close()` waits for calls in flight. */
const CLOSE_GRACE_MS = 2000;

export interface BrowserServerOptions {
  core: DeskEndpoint;
  /** 0 picks a free port. */
  port: number;
  /** The built renderer, e.g. desktop/dist/renderer. */
  staticDir: string;
  /** Defaults to a fresh random token. */
  token?: string;
}

export interface BrowserServer {
  /** What the user opens: the token travels in the fragment, which is never sent to a server. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const { core, staticDir } = options;
  const token = options.token ?? newToken();
  const server = createServer();
  const port = await listen(server, options.port);
  // DNS-rebinding guard: a page on evil.example resolving to 127.0.0.1 still sends its own Host.
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const hostAllowed = (req: IncomingMessage) => allowedHosts.has(req.headers.host?.toLowerCase() ?? '');

  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: 4096,
    // Echo the token subprotocol back, or the browser drops the connection it asked for.
    handleProtocols: (protocols) => [...protocols].find((p) => p.startsWith(PROTOCOL_PREFIX)) ?? false,
  });
  const unsubscribe = core.onEvent((event) => {
    const text = JSON.stringify(event);
    for (const client of sockets.clients) if (client.readyState === WebSocket.OPEN) client.send(text);
  });

  async function handleCall(req: IncomingMessage, res: ServerResponse, name: string) {
    if (req.method !== 'POST') return sendJson(res, 405, failure(ErrorCode.ValidationError, 'Handlers are called with POST'), { Allow: 'POST' });
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!tokenMatches(bearer, token)) return sendJson(res, 401, failure(ErrorCode.Unauthenticated, 'Missing or wrong desk token'));
    const body = await readBody(req);
    if (body === 'too-large') {
      return sendJson(res, 413, failure(ErrorCode.ValidationError, 'The request is larger than 1 MB'), { Connection: 'close' });
    }
    let args: unknown;
    try {
      args = body.length === 0 ? undefined : JSON.parse(body.toString('utf8'));
    } catch {
      return sendJson(res, 400, failure(ErrorCode.ValidationError, 'The request body is not valid JSON'));
    }
    sendJson(res, 200, await core.dispatch(name, args));
  }

  async function handleStatic(req: IncomingMessage, res: ServerResponse, pathname: string) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, { Allow: 'GET, HEAD' });
    const file = await resolveStaticFile(staticDir, pathname);
    if (!file) return sendText(res, 404);
    res.writeHead(200, { ...securityHeaders, 'Content-Type': file.contentType, 'Content-Length': file.size, 'Cache-Control': file.cacheControl });
    if (req.method === 'HEAD') return void res.end();
    await pipeline(createReadStream(file.path), res);
  }

  async function handleRequest(req: IncomingMessage, res: ServerResponse) {
    if (!hostAllowed(req)) return sendText(res, 403);
    const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (pathname.startsWith(CALL_PREFIX)) return handleCall(req, res, pathname.slice(CALL_PREFIX.length));
    if (pathname === '/api' || pathname.startsWith('/api/')) return sendJson(res, 404, failure(ErrorCode.NotFound, `No API at ${pathname}`));
    return handleStatic(req, res, pathname);
  }

  const inFlight = new Set<ServerResponse>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    handleRequest(req, res).catch((error: unknown) => {
      // The details go to the desk's console, never to the client.
      console.error('browser server:', error);
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, failure(ErrorCode.Internal, 'Something went wrong; the action was not saved'));
    });
  });

  /** Why an upgrade is refused, as an HTTP status; null lets it through. */
  function refuseUpgrade(req: IncomingMessage, url: URL): number | null {
    if (!hostAllowed(req)) return 403;
    if (url.pathname !== EVENTS_PATH) return 404;
    return tokenMatches(upgradeToken(req, url), token) ? null : 401;
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const status = refuseUpgrade(req, new URL(req.url ?? '/', 'http://127.0.0.1'));
    if (status !== null) {
      socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    // Clients only listen: fan-out goes through `sockets.clients`. A client breaking the protocol
    // (say, an oversized message) is dropped; unhandled, its 'error' would take the desk down.
    sockets.handleUpgrade(req, socket, head, (client) => client.on('error', () => client.terminate()));
  });

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      // Calls in flight get their answer (their writes are committed); then keep-alive sockets go.
      await Promise.race([Promise.all([...inFlight].map((res) => once(res, 'close'))), delay(CLOSE_GRACE_MS, undefined, { ref: false })]);
      server.closeAllConnections();
      await closed;
    },
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function upgradeToken(req: IncomingMessage, url: URL): string | null {
  const offered = req.headers['sec-websocket-protocol']?.split(',').map((p) => p.trim()) ?? [];
  const fromProtocol = offered.find((p) => p.startsWith(PROTOCOL_PREFIX))?.slice(PROTOCOL_PREFIX.length);
  return fromProtocol ?? url.searchParams.get('token');
}

/** The body, or 'too-large' as soon as it passes MAX_BODY_BYTES (the rest is drained, not buffered). */
function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
    req.resume();
    return Promise.resolve('too-large');
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      req.removeAllListeners('data').resume();
      resolve('too-large');
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, reply: DeskReply, extra: OutgoingHttpHeaders = {}) {
  const body = JSON.stringify(reply);
  res.writeHead(status, {
    ...securityHeaders,
    ...extra,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

function sendText(res: ServerResponse, status: number, extra: OutgoingHttpHeaders = {}) {
  const body = STATUS_CODES[status] ?? '';
  res.writeHead(status, { ...securityHeaders, ...extra, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
