/**
 * The sync harness itself (not sync): the cloud as a process, a gym made over its API, a paired fake
 * desk reading a shape through the proxy, a response cut mid-stream, and a SIGKILL and restart.
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { TestDatabase } from '../../cloud/test/support.js';
import { type CloudProcess, createCloudDatabase, startCloudProcess } from './cloud-process.js';
import { api, createPlan, DEFAULT_PLAN, type OnboardedGym, onboardGym, pairingCode } from './gym.js';
import { startProxy, type TcpProxy } from './tcp-proxy.js';

let db: TestDatabase;
let cloud: CloudProcess;
let proxy: TcpProxy;
let gym: OnboardedGym;
let planId: string;
let deskToken: string;

beforeAll(async () => {
  const database = await createCloudDatabase();
  db = database.db;
  const started = Date.now();
  cloud = await startCloudProcess({ databaseUrl: database.url });
  console.log(`cloud process ready in ${Date.now() - started} ms (fresh database, migrations included)`);
  proxy = await startProxy({ host: '127.0.0.1', port: cloud.port });
});

afterAll(async () => {
  await proxy?.close();
  await cloud?.stop();
  await db?.drop();
});

beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(`cloud output:\n${cloud.output()}`)));

/** What the desk core will do (desktop/src/core/sync/): pair with its own Ed25519 key, then sign a proof for a token. */
async function pairFakeDesk(code: string): Promise<{ deviceId: string; privateKey: KeyObject }> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const { deviceId } = await api<{ deviceId: string }>(cloud.url, 'POST', '/api/v1/devices/pair', {
    body: { code, publicKey: publicKey.export({ format: 'jwk' }), name: 'Front desk 1' },
  });
  return { deviceId, privateKey };
}

async function deviceToken(deviceId: string, privateKey: KeyObject): Promise<string> {
  const ts = Date.now();
  const signature = sign(null, Buffer.from(`gymstack-device-token\n${deviceId}\n${ts}`), privateKey).toString('base64url');
  const { accessToken } = await api<{ accessToken: string }>(cloud.url, 'POST', '/api/v1/devices/token', { body: { deviceId, ts, signature } });
  return accessToken;
}

const plansShape = (base: string) => fetch(`${base}/v1/shape?table=plans&offset=-1`, { headers: { authorization: `Bearer ${deskToken}` } });

async function planRows(base: string): Promise<Record<string, string | null>[]> {
  const res = await plansShape(base);
  expect(res.status).toBe(200);
  const messages = (await res.json()) as { value?: Record<string, string | null> }[];
  return messages.flatMap((m) => (m.value ? [m.value] : []));
}

/** The `cause.code` of a failed fetch (ECONNREFUSED, UND_ERR_SOCKET, ...). */
async function failure(request: Promise<unknown>): Promise<string> {
  try {
    await request;
  } catch (error) {
    return String((error as { cause?: { code?: string } }).cause?.code ?? error);
  }
  throw new Error('expected the request to fail');
}

it('serves a paired desk the plans shape through the proxy', async () => {
  gym = await onboardGym(cloud.url, 'Harness');
  planId = (await createPlan(cloud.url, gym.ownerToken, { name: 'Harness Monthly' })).id;
  const { deviceId, privateKey } = await pairFakeDesk(await pairingCode(cloud.url, gym.ownerToken, gym.branchId));
  deskToken = await deviceToken(deviceId, privateKey);

  const before = { ...proxy.bytes };
  const rows = await planRows(proxy.url);
  expect(rows).toEqual([expect.objectContaining({ id: planId, name: 'Harness Monthly', gym_id: gym.gymId })]);
  expect(proxy.bytes.up).toBeGreaterThan(before.up);
  expect(proxy.bytes.down).toBeGreaterThan(before.down);
});

it('fails a response cut mid-stream, and the next request goes through', async () => {
  const before = proxy.bytes.down;
  await (await plansShape(proxy.url)).arrayBuffer();
  const size = proxy.bytes.down - before;

  const cut = proxy.cutAfterBytes(size - 10, 'down');
  const res = await plansShape(proxy.url);
  expect(res.status).toBe(200);
  expect(await failure(res.text())).toMatch(/UND_ERR_SOCKET|terminated/);
  await cut;

  expect(await planRows(proxy.url)).toHaveLength(1);
});

it('fails a request cut mid-upload, and the cloud applies none of it', async () => {
  const post = (sac: string) => api(proxy.url, 'POST', '/api/v1/plans', { token: gym.ownerToken, body: { ...DEFAULT_PLAN, name: 'Cut Plan'.padEnd(80, '.'), sac } });
  // A refused request of the same size measures it, so the cut lands inside the body.
  const before = proxy.bytes.up;
  await expect(post('99972x')).rejects.toThrow('400');
  const size = proxy.bytes.up - before;

  const cut = proxy.cutAfterBytes(size - 20, 'up');
  await expect(post('999723')).rejects.toThrow('fetch failed');
  await cut;
  const plans = await api<{ id: string }[]>(cloud.url, 'GET', '/api/v1/plans', { token: gym.ownerToken });
  expect(plans.map((p) => p.id)).toEqual([planId]);
});

it('goes offline at once when paused, and back on resume', async () => {
  await proxy.pause();
  // A kept-alive connection the client has not yet seen closed fails on its own (UND_ERR_SOCKET); any
  // new connection is refused.
  await expect(fetch(`${proxy.url}/healthz`)).rejects.toThrow('fetch failed');
  const started = Date.now();
  expect(await failure(fetch(`${proxy.url}/healthz`))).toBe('ECONNREFUSED');
  expect(Date.now() - started).toBeLessThan(1_000);
  await proxy.resume();
  expect((await fetch(`${proxy.url}/healthz`)).status).toBe(200);
});

it('keeps the data through a SIGKILL and a restart on the same port', async () => {
  await cloud.kill('SIGKILL');
  expect(cloud.running).toBe(false);
  await expect(fetch(`${proxy.url}/healthz`)).rejects.toThrow('fetch failed');

  const started = Date.now();
  await cloud.restart();
  console.log(`cloud process restarted in ${Date.now() - started} ms`);
  expect((await fetch(`${proxy.url}/healthz`)).status).toBe(200);
  // The same desk token and owner token still work: the signing key outlives the process.
  expect(await planRows(proxy.url)).toEqual([expect.objectContaining({ id: planId })]);
  const plans = await api<{ id: string }[]>(cloud.url, 'GET', '/api/v1/plans', { token: gym.ownerToken });
  expect(plans.map((p) => p.id)).toEqual([planId]);
});
