import { generateKeyPairSync, sign } from 'node:crypto';
import { SignJWT } from 'jose';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { generateSigningKeys } from '../src/auth/keys.js';
import { PasswordHasher } from '../src/auth/passwords.js';
import { TokenService } from '../src/auth/tokens.js';
import { withTenant } from '../src/db/tenant.js';
import type { CloudApp } from '../src/http/app-types.js';
import { accessTokenFor, RecordingOtpSender, testAuth, testSigningKeys } from './auth-support.js';
import { type SeededGym, seedGym } from './fixtures.js';
import { createTestDatabase, type TestDatabase } from './support.js';

const PASSWORD = 'correct horse battery';
const OWNER_EMAIL = 'owner@alpha.test';
const MEMBER_PHONE = '+919800000002';

describe('auth', () => {
  let t: TestDatabase;
  let gym: SeededGym;
  let app: CloudApp;
  const otp = new RecordingOtpSender();

  /** Rows in a table of the seeded gym, read as the owner role inside the gym's scope. */
  const count = async (table: 'pairing_codes' | 'audit_log' | 'refresh_tokens' | 'devices', where = sql`true`) =>
    withTenant(t.owner, gym.scope, async (trx) => {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${where}`.execute(trx);
      return rows[0]?.n ?? 0;
    });

  const post = (url: string, body: unknown, headers: Record<string, string> = {}, remoteAddress = '10.0.0.1') =>
    app.inject({ method: 'POST', url, payload: body as object, headers, remoteAddress });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  const login = (password = PASSWORD, who = OWNER_EMAIL) => post('/api/v1/auth/login', { login: who, password });

  beforeAll(async () => {
    t = await createTestDatabase();
    gym = await seedGym(t.api, 'alpha');
    const passwords = new PasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
    const hash = await passwords.hash(PASSWORD);
    await withTenant(t.api, gym.scope, (trx) => trx.updateTable('staff').set({ password_hash: hash }).where('id', '=', gym.scope.userId).execute());
    app = await buildApp({ db: t.api, pool: t.apiPool, auth: testAuth({ otpSender: otp }) });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  describe('access tokens', () => {
    const pairingCode = (headers: Record<string, string>) => post('/api/v1/devices/pairing-codes', { branchId: gym.branchId }, headers);

    /** The owner's current token version (the password set in beforeAll bumped it). */
    const ownerVersion = () =>
      withTenant(t.api, gym.scope, (trx) => trx.selectFrom('staff').select('token_version').where('id', '=', gym.scope.userId).executeTakeFirstOrThrow()).then((r) => r.token_version);

    const ownerClaims = () => ({ gym_id: gym.scope.gymId, role: 'owner', branch_ids: [] as string[] });

    it('are accepted when valid (the baseline the rejections below differ from)', async () => {
      const token = await accessTokenFor({ gymId: gym.scope.gymId, userId: gym.scope.userId, role: 'owner', version: await ownerVersion() });
      const res = await pairingCode(bearer(token));
      expect(res.statusCode).toBe(200);
      expect(res.json().data.code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    });

    it('refuses missing, expired, alg:none, foreign-key and tampered tokens alike, writing nothing', async () => {
      const version = await ownerVersion();
      const valid = await accessTokenFor({ gymId: gym.scope.gymId, userId: gym.scope.userId, role: 'owner', version });
      const [header, payload] = valid.split('.') as [string, string, string];
      const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      const expired = await new SignJWT({ ...ownerClaims(), ver: version })
        .setProtectedHeader({ alg: 'EdDSA' })
        .setSubject(gym.scope.userId)
        .setIssuer('gymstack-cloud')
        .setAudience('gymstack-api')
        .setJti(crypto.randomUUID())
        .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .sign(testSigningKeys.privateKey);
      const foreign = await new TokenService(generateSigningKeys()).sign({ gymId: gym.scope.gymId, userId: gym.scope.userId, role: 'owner', branchIds: [], version });
      const cases: Record<string, Record<string, string>> = {
        missing: {},
        notBearer: { authorization: valid },
        expired: bearer(expired),
        algNone: bearer(`${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`),
        foreignKey: bearer(foreign),
        tamperedClaims: bearer(`${header}.${b64({ ...claims, role: 'owner', branch_ids: [], gym_id: crypto.randomUUID() })}.${valid.split('.')[2]}`),
        tamperedSignature: bearer(`${valid.slice(0, -4)}AAAA`),
      };
      const before = await count('pairing_codes');
      for (const [name, headers] of Object.entries(cases)) {
        const res = await pairingCode(headers);
        expect(res.statusCode, name).toBe(401);
        expect(res.json().error, name).toMatchObject({ code: 'UNAUTHENTICATED', message: 'Authentication required' });
      }
      expect(await count('pairing_codes')).toBe(before);
    });

    it('refuses a staff token once the staff row changed under it (role, deactivation)', async () => {
      const trainerId = (await withTenant(t.api, gym.scope, (trx) => trx.selectFrom('staff').select('id').where('role', '=', 'trainer').executeTakeFirstOrThrow())).id;
      const token = await accessTokenFor({ gymId: gym.scope.gymId, userId: trainerId, role: 'trainer', branchIds: [gym.branchId] });
      const password = (headers: Record<string, string>) => post('/api/v1/auth/password', { currentPassword: 'x', newPassword: 'y'.repeat(10) }, headers);
      expect((await password(bearer(token))).statusCode).toBe(400); // authenticated: only the current password is wrong
      await withTenant(t.api, gym.scope, (trx) => trx.updateTable('staff').set({ active: false }).where('id', '=', trainerId).execute());
      expect((await password(bearer(token))).statusCode).toBe(401);
    });
  });

  describe('staff login and sessions', () => {
    it('logs in by email (any case) and returns tokens, the user and the gym', async () => {
      const res = await post('/api/v1/auth/login', { login: OWNER_EMAIL.toUpperCase(), password: PASSWORD });
      expect(res.statusCode).toBe(200);
      const data = res.json().data;
      expect(data).toMatchObject({ expiresIn: 900, user: { id: gym.scope.userId, role: 'owner', email: OWNER_EMAIL }, gym: { id: gym.scope.gymId } });
      expect(data.refreshToken).toMatch(/^[\w-]{43}$/);
      const claims = await new TokenService(testSigningKeys).verify(data.accessToken);
      expect(claims).toMatchObject({ gymId: gym.scope.gymId, userId: gym.scope.userId, role: 'owner', branchIds: [] });
    });

    it('answers a wrong password and an unknown login the same way, and audits the failure', async () => {
      const failures = () => count('audit_log', sql`action = 'auth.login_failed'`);
      const before = await failures();
      const wrong = await login('wrong password');
      const unknown = await login(PASSWORD, 'nobody@nowhere.test');
      const badPhone = await login(PASSWORD, 'not a phone');
      for (const res of [wrong, unknown, badPhone]) {
        expect(res.statusCode).toBe(401);
        expect(res.json().error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'Wrong login or password' });
      }
      expect(await failures()).toBe(before + 1);
    });

    it('rotates the refresh token on every use', async () => {
      const first = (await login()).json().data;
      const second = await post('/api/v1/auth/refresh', { refreshToken: first.refreshToken });
      expect(second.statusCode).toBe(200);
      expect(second.json().data.refreshToken).not.toBe(first.refreshToken);
      const third = await post('/api/v1/auth/refresh', { refreshToken: second.json().data.refreshToken });
      expect(third.statusCode).toBe(200);
    });

    it('revokes the whole family when a spent refresh token comes back, the rotated one included', async () => {
      const stolen = (await login()).json().data.refreshToken;
      const legit = (await post('/api/v1/auth/refresh', { refreshToken: stolen })).json().data.refreshToken;
      const reuse = await post('/api/v1/auth/refresh', { refreshToken: stolen });
      expect(reuse.statusCode).toBe(401);
      expect((await post('/api/v1/auth/refresh', { refreshToken: legit })).statusCode).toBe(401);
      expect(await count('audit_log', sql`action = 'auth.refresh_reused'`)).toBeGreaterThan(0);
    });

    it('logs out: the family is revoked', async () => {
      const { refreshToken } = (await login()).json().data;
      const res = await post('/api/v1/auth/logout', { refreshToken });
      expect(res.statusCode).toBe(200);
      expect((await post('/api/v1/auth/refresh', { refreshToken })).statusCode).toBe(401);
    });

    it('ends every session on a password change', async () => {
      const a = (await login()).json().data;
      const b = (await login()).json().data;
      const wrong = await post('/api/v1/auth/password', { currentPassword: 'not it', newPassword: 'another long secret' }, bearer(a.accessToken));
      expect(wrong.statusCode).toBe(400);
      const short = await post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'short' }, bearer(a.accessToken));
      expect(short.statusCode).toBe(400);

      const changed = await post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'another long secret' }, bearer(a.accessToken));
      expect(changed.statusCode).toBe(200);
      for (const session of [a, b]) {
        expect((await post('/api/v1/devices/pairing-codes', { branchId: gym.branchId }, bearer(session.accessToken))).statusCode).toBe(401);
        expect((await post('/api/v1/auth/refresh', { refreshToken: session.refreshToken })).statusCode).toBe(401);
      }
      expect((await post('/api/v1/devices/pairing-codes', { branchId: gym.branchId }, bearer(changed.json().data.accessToken))).statusCode).toBe(200);
      expect((await login()).statusCode).toBe(401);
      // Put it back for the other tests.
      const back = await post('/api/v1/auth/password', { currentPassword: 'another long secret', newPassword: PASSWORD }, bearer(changed.json().data.accessToken));
      expect(back.statusCode).toBe(200);
    });
  });

  describe('rate limits', () => {
    let limited: CloudApp;
    beforeAll(async () => {
      limited = await buildApp({ db: t.api, pool: t.apiPool, auth: testAuth({ limits: { perIp: { max: 4, timeWindow: 60_000 }, perAccount: { max: 3, timeWindow: 60_000 } } }) });
    });
    afterAll(() => limited.close());

    const attempt = (login: string, remoteAddress: string) =>
      limited.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login, password: 'guess' }, remoteAddress });

    it('limits one account across many addresses', async () => {
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push((await attempt('victim@alpha.test', `10.1.0.${i}`)).statusCode);
      expect(codes).toEqual([401, 401, 401, 429, 429]);
      expect((await attempt('victim@alpha.test', '10.1.0.9')).json().error.code).toBe('RATE_LIMITED');
    });

    it('limits one address across many accounts', async () => {
      const codes = [];
      for (let i = 0; i < 6; i++) codes.push((await attempt(`user${i}@alpha.test`, '10.2.0.1')).statusCode);
      expect(codes).toEqual([401, 401, 401, 401, 429, 429]);
    });
  });

  describe('member OTP', () => {
    const send = (phone = MEMBER_PHONE) => post('/api/v1/auth/otp/send', { gymId: gym.scope.gymId, phone });
    const verify = (code: string, phone = MEMBER_PHONE) => post('/api/v1/auth/otp/verify', { gymId: gym.scope.gymId, phone, code });
    const lastCode = () => otp.sent.at(-1)?.code ?? '';
    const clearOtps = () => withTenant(t.owner, gym.scope, (trx) => trx.deleteFrom('member_otps').execute());

    it('sends a code and signs the member in with it, scoped to that member', async () => {
      await clearOtps();
      expect((await send('98000 00002')).statusCode).toBe(200);
      expect(otp.sent.at(-1)).toMatchObject({ gymId: gym.scope.gymId, phone: MEMBER_PHONE, code: expect.stringMatching(/^\d{6}$/) });
      const res = await verify(lastCode());
      expect(res.statusCode).toBe(200);
      const claims = await new TokenService(testSigningKeys).verify(res.json().data.accessToken);
      expect(claims).toMatchObject({ role: 'member', memberId: gym.memberId, userId: gym.memberId, gymId: gym.scope.gymId });
      expect((await verify(lastCode())).statusCode).toBe(401); // single use
    });

    it('kills a code after 5 wrong attempts, even for the right code', async () => {
      await clearOtps();
      await send();
      const code = lastCode();
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i++) expect((await verify(wrong)).statusCode).toBe(401);
      expect((await verify(code)).statusCode).toBe(401);
    });

    it('refuses an expired code', async () => {
      await clearOtps();
      await send();
      await withTenant(t.owner, gym.scope, (trx) => trx.updateTable('member_otps').set({ expires_at: sql<Date>`now() - interval '1 second'` }).execute());
      expect((await verify(lastCode())).statusCode).toBe(401);
    });

    it('sends at most 5 codes per phone per hour, and answers an unknown phone the same way', async () => {
      await clearOtps();
      const sentBefore = otp.sent.length;
      const codes = [];
      for (let i = 0; i < 6; i++) codes.push((await send()).statusCode);
      expect(codes).toEqual([200, 200, 200, 200, 200, 429]);
      expect(otp.sent.length - sentBefore).toBe(5);
      expect((await send('+919811111111')).statusCode).toBe(200);
      expect(otp.sent.length - sentBefore).toBe(5);
    });
  });

  describe('desks', () => {
    let ownerToken: string;
    beforeAll(async () => {
      ownerToken = (await login()).json().data.accessToken;
    });

    const newCode = async () => (await post('/api/v1/devices/pairing-codes', { branchId: gym.branchId }, bearer(ownerToken))).json().data.code as string;
    const deskKeys = () => {
      const keys = generateKeyPairSync('ed25519');
      const x = (keys.publicKey.export({ format: 'jwk' }) as { x: string }).x;
      return { ...keys, x };
    };
    const pair = (code: string, publicKey: unknown) => post('/api/v1/devices/pair', { code, publicKey, name: 'Front desk 2' });
    const proof = (privateKey: ReturnType<typeof deskKeys>['privateKey'], deviceId: string, ts = Date.now()) => ({
      deviceId,
      ts,
      signature: sign(null, Buffer.from(`gymstack-device-token\n${deviceId}\n${ts}`), privateKey).toString('base64url'),
    });

    it('pairs with a single-use code, and a desk token carries role desk, the gym and the branch', async () => {
      const code = await newCode();
      const desk = deskKeys();
      const paired = await pair(code.toLowerCase().replace('-', ' '), desk.x);
      expect(paired.statusCode).toBe(200);
      const { deviceId, deskCode } = paired.json().data;
      expect(deskCode).toBe('D2'); // the lowest free: the seeded front desk is D1
      expect((await pair(code, deskKeys().x)).statusCode).toBe(401);

      const token = await post('/api/v1/devices/token', proof(desk.privateKey, deviceId));
      expect(token.statusCode).toBe(200);
      const claims = await new TokenService(testSigningKeys).verify(token.json().data.accessToken);
      expect(claims).toMatchObject({ role: 'desk', deviceId, userId: deviceId, gymId: gym.scope.gymId, branchIds: [gym.branchId] });
    });

    it('accepts a JWK public key, and refuses an expired pairing code', async () => {
      const desk = deskKeys();
      expect((await pair(await newCode(), { kty: 'OKP', crv: 'Ed25519', x: desk.x })).statusCode).toBe(200);
      const code = await newCode();
      await withTenant(t.owner, gym.scope, (trx) => trx.updateTable('pairing_codes').set({ expires_at: sql<Date>`now() - interval '1 second'` }).where('used_at', 'is', null).execute());
      expect((await pair(code, desk.x)).statusCode).toBe(401);
    });

    it('refuses a bad signature, a stale timestamp and a replayed proof', async () => {
      const desk = deskKeys();
      const { deviceId } = (await pair(await newCode(), desk.x)).json().data;
      const other = deskKeys();
      expect((await post('/api/v1/devices/token', proof(other.privateKey, deviceId))).statusCode).toBe(401);
      expect((await post('/api/v1/devices/token', proof(desk.privateKey, deviceId, Date.now() - 61_000))).statusCode).toBe(401);
      expect((await post('/api/v1/devices/token', proof(desk.privateKey, deviceId, Date.now() + 61_000))).statusCode).toBe(401);
      const fresh = proof(desk.privateKey, deviceId);
      expect((await post('/api/v1/devices/token', fresh)).statusCode).toBe(200);
      expect((await post('/api/v1/devices/token', fresh)).statusCode).toBe(401);
    });

    it('cuts a revoked desk off at once, its unexpired token included', async () => {
      const desk = deskKeys();
      const { deviceId } = (await pair(await newCode(), desk.x)).json().data;
      const deskToken = (await post('/api/v1/devices/token', proof(desk.privateKey, deviceId))).json().data.accessToken;
      // A desk has no password: 403 shows the token itself was accepted.
      const probe = () => post('/api/v1/auth/password', { currentPassword: 'x', newPassword: 'y'.repeat(10) }, bearer(deskToken));
      expect((await probe()).statusCode).toBe(403);

      const revoked = await post(`/api/v1/devices/${deviceId}/revoke`, {}, bearer(ownerToken));
      expect(revoked.statusCode).toBe(200);
      expect((await probe()).statusCode).toBe(401);
      expect((await post('/api/v1/devices/token', proof(desk.privateKey, deviceId))).statusCode).toBe(401);
      expect(await count('audit_log', sql`action = 'device.revoke' and entity_id = ${deviceId}`)).toBe(1);
    });
  });
});
