import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { DeskReply } from '../contract.js';
import { type Core, openCore } from '../core.js';
import { initDesk } from '../init.js';
import { type BrowserServer, MAX_BODY_BYTES, startBrowserServer } from './http-server.js';
import { CONTENT_SECURITY_POLICY } from './security.js';

/** node:http rather than fetch, which would not let a test forge the Host header or stream raw bytes. */
function raw(port: number, options: { method?: string; path: string; headers?: Record<string, string | number>; body?: string | Buffer }) {
  return new Promise<{ status: number; headers: Record<string, unknown>; text: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

let staticDir: string;
let dataDir: string;
let core: Core;
let server: BrowserServer;

/** A real core on a temporary desk, with the owner logged in so handlers get past their role check. */
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'gymstack-desk-'));
  await initDesk({
    dataDir,
    gym: { name: 'Iron Temple', legalName: 'Iron Temple Fitness LLP', address: 'Indiranagar, Bengaluru', stateCode: '29' },
    branch: { name: 'Indiranagar' },
    owner: { name: 'Asha Rao', pin: '1111' },
  });
  core = await openCore({ dataDir });
  const [owner] = await core.call('auth/staff', {});
  await core.call('auth/login', { staffId: owner!.id, pin: '1111' });

  staticDir = await mkdtemp(path.join(tmpdir(), 'gymstack-static-'));
  await mkdir(path.join(staticDir, 'assets'));
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>GymStack</title>');
  await writeFile(path.join(staticDir, 'assets', 'index-abc123.js'), 'console.log(1)');
  await writeFile(path.join(staticDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
});
afterAll(async () => {
  await core.close();
  await Promise.all([dataDir, staticDir].map((dir) => rm(dir, { recursive: true, force: true })));
});

async function start() {
  server = await startBrowserServer({ core, port: 0, staticDir });
}
afterEach(() => server.close());

const call = (name: string, body: string | undefined, token = server.token) =>
  fetch(`http://127.0.0.1:${server.port}/api/call/${name}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body });

describe('startBrowserServer', () => {
  it('binds 127.0.0.1 and prints the URL with a fresh 32-byte token in the fragment', async () => {
    await start();
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
  });

  it('round-trips a call and passes its DeskReply through unchanged', async () => {
    await start();
    const res = await call('members/search', JSON.stringify({ query: 'asha' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual(await core.dispatch('members/search', { query: 'asha' }));
    expect(await (await call('auth/session', '{}')).json()).toMatchObject({ ok: true, data: { name: 'Asha Rao', role: 'owner' } });
  });

  it('replies 200 with the handler error, VALIDATION_ERROR and field paths included', async () => {
    await start();
    const res = await call('members/search', JSON.stringify({ query: '', limit: 500 }));
    expect(res.status).toBe(200);
    const reply = (await res.json()) as DeskReply;
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('VALIDATION_ERROR');
    expect(reply.error.issues?.map((i) => i.path).sort()).toEqual(['limit', 'query']);
    expect(await (await call('nope/nothing', '{}')).json()).toMatchObject({ ok: false, error: { code: 'UNKNOWN_HANDLER' } });
  });

  it('requires the token: missing or wrong is 401 UNAUTHENTICATED', async () => {
    await start();
    const missing = await fetch(`http://127.0.0.1:${server.port}/api/call/members/search`, { method: 'POST', body: '{"query":"a"}' });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const wrong = await call('members/search', '{"query":"a"}', `${server.token.slice(1)}x`);
    expect(wrong.status).toBe(401);
    expect((await call('members/search', '{"query":"a"}', 'short')).status).toBe(401);
  });

  it('rejects a Host other than 127.0.0.1:<port> or localhost:<port> (DNS rebinding)', async () => {
    await start();
    const headers = { Authorization: `Bearer ${server.token}`, Host: `evil.example:${server.port}` };
    expect((await raw(server.port, { method: 'POST', path: '/api/call/members/search', headers, body: '{"query":"a"}' })).status).toBe(403);
    expect((await raw(server.port, { path: '/', headers: { Host: `127.0.0.1:${server.port + 1}` } })).status).toBe(403);
    expect((await raw(server.port, { path: '/', headers: { Host: `localhost:${server.port}` } })).status).toBe(200);
  });

  it('answers malformed JSON with 400 VALIDATION_ERROR and no stack trace', async () => {
    await start();
    const res = await call('members/search', '{"query":');
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ ok: false, error: { code: 'VALIDATION_ERROR', message: 'The request body is not valid JSON' } });
    expect(text).not.toMatch(/at .*\.ts/);
  });

  it('refuses bodies over 1 MB with 413, declared or streamed', async () => {
    await start();
    const big = JSON.stringify({ query: 'x'.repeat(MAX_BODY_BYTES) });
    expect((await call('members/search', big)).status).toBe(413);
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, method: 'POST', path: '/api/call/members/search', headers: { Authorization: `Bearer ${server.token}` } },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write(Buffer.alloc(64 * 1024, 0x20));
      req.end();
    });
    expect(chunked).toBe(413);
  });

  it('only takes POST for calls', async () => {
    await start();
    const res = await fetch(`http://127.0.0.1:${server.port}/api/call/members/search`, { headers: { Authorization: `Bearer ${server.token}` } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('pushes each DeskEvent over the WebSocket, token in the subprotocol or the query', async () => {
    await start();
    const viaProtocol = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`, [`gymstack.${server.token}`]);
    const viaQuery = new WebSocket(`ws://127.0.0.1:${server.port}/api/events?token=${server.token}`);
    await Promise.all([viaProtocol, viaQuery].map((ws) => new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))));
    expect(viaProtocol.protocol).toBe(`gymstack.${server.token}`);
    const received = [viaProtocol, viaQuery].map((ws) => new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data))))));
    const reply = (await (await call('checkins/create', JSON.stringify({ method: 'manual', memberCode: 'NOSUCH1' }))).json()) as {
      data: { checkin: { id: string } };
    };
    const event = { type: 'checkin', checkin: { id: reply.data.checkin.id, verdict: 'deny', reason: 'UNKNOWN_CREDENTIAL' } };
    expect(await Promise.all(received)).toMatchObject([event, event]);
  });

  it('drops a WebSocket client that breaks the protocol and keeps serving', async () => {
    await start();
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events?token=${server.token}`);
    await new Promise((resolve) => ws.once('open', resolve));
    const closed = new Promise((resolve) => ws.once('close', resolve));
    ws.send('x'.repeat(64 * 1024));
    await closed;
    expect((await call('auth/session', '{}')).status).toBe(200);
  });

  it('refuses WebSocket upgrades with a wrong token, wrong path or wrong Host', async () => {
    await start();
    const statusOf = (url: string, options: ConstructorParameters<typeof WebSocket>[2] = {}, protocols: string[] = []) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, protocols, options);
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.once('open', () => resolve(101));
        ws.once('error', () => undefined);
      });
    const base = `ws://127.0.0.1:${server.port}`;
    expect(await statusOf(`${base}/api/events`, {}, ['gymstack.wrong'])).toBe(401);
    expect(await statusOf(`${base}/api/events`)).toBe(401);
    expect(await statusOf(`${base}/api/other?token=${server.token}`)).toBe(404);
    expect(await statusOf(`${base}/api/events?token=${server.token}`, { headers: { Host: 'evil.example' } })).toBe(403);
  });

  it('serves the renderer with content types, cache policy, the CSP and an SPA fallback', async () => {
    await start();
    const get = (p: string) => fetch(`http://127.0.0.1:${server.port}${p}`);

    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await index.text()).toContain('<title>GymStack</title>');

    const asset = await get('/assets/index-abc123.js');
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await get('/favicon.svg')).headers.get('content-type')).toBe('image/svg+xml');

    const route = await get('/members/0190a1b2');
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>GymStack</title>');

    expect((await get('/assets/missing-123.js')).status).toBe(404);
    expect((await get('/api/unknown')).status).toBe(404);
    // Traversal, raw or percent-encoded, stays inside the renderer folder (and lands on the SPA fallback).
    for (const escape of ['/../../../../etc/passwd', '/..%2f..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd']) {
      expect((await raw(server.port, { path: escape })).text).toBe('<!doctype html><title>GymStack</title>');
    }
  });

  it('stops delivering and listening on close', async () => {
    await start();
    const { port } = server;
    await server.close();
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    await start(); // afterEach closes this one
  });
});
