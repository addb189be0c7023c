import { spawn } from 'node:child_process';
import path from 'node:path';
import { isAppError } from '@gymstack/shared';
import { verify } from '@node-rs/argon2';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCreateGym } from '../src/admin.js';
import { buildApp } from '../src/app.js';
import { PasswordHasher } from '../src/auth/passwords.js';
import { createGym, type OnboardingInput } from '../src/domain/onboarding.js';
import type { CloudApp } from '../src/http/app-types.js';
import { testAuth } from './auth-support.js';
import { type SeededGym, seedGym } from './fixtures.js';
import { createTestDatabase, type TestDatabase } from './support.js';

const PASSWORD = 'squat rack 2026';
const ROOT = path.resolve(import.meta.dirname, '../..');

/** A valid sign-up; `n` keeps each one's login unique. */
const signUpBody = (n: number): OnboardingInput => ({
  gym: { name: `Iron Temple ${n}`, legalName: `Iron Temple ${n} Fitness LLP`, stateCode: '27', address: '12 Linking Road, Mumbai' },
  branch: { name: 'Bandra' },
  owner: { name: `Owner ${n}`, email: `Owner${n}@Iron.test`, phone: `98765${String(n).padStart(5, '0')}`, password: PASSWORD },
});

const TABLES = ['gyms', 'branches', 'staff', 'refresh_tokens', 'audit_log', 'invoice_series'] as const;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run cloud:admin -- …` as its script runs it, against this file's database. */
function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=gymstack-source', 'cloud/src/admin.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('onboarding', () => {
  let t: TestDatabase;
  let app: CloudApp;
  let other: SeededGym;
  /** A superuser on this file's database: sees every gym's rows, to prove what was (not) written. */
  let superuser: pg.Pool;
  let next = 0;

  const signUp = (body: unknown, remoteAddress = '10.1.0.1') => app.inject({ method: 'POST', url: '/api/v1/gyms', payload: body as object, remoteAddress });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const get = (url: string, token: string) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers: bearer(token) });

  /** Rows in every table onboarding touches, across all gyms. */
  const totals = async () => {
    const out = {} as Record<(typeof TABLES)[number], number>;
    for (const table of TABLES) {
      const { rows } = await superuser.query<{ n: number }>(`select count(*)::int as n from ${table}`);
      out[table] = rows[0]?.n ?? 0;
    }
    return out;
  };

  beforeAll(async () => {
    t = await createTestDatabase();
    other = await seedGym(t.api, 'alpha');
    const url = new URL(t.adminUrl);
    url.pathname = `/${t.name}`;
    superuser = new pg.Pool({ connectionString: url.toString(), max: 2 });
    app = await buildApp({ db: t.api, pool: t.apiPool, auth: testAuth() });
  });
  afterAll(async () => {
    await app.close();
    await superuser.end();
    await t.drop();
  });

  describe('POST /api/v1/gyms', () => {
    it('creates the gym, its first branch and its owner, and answers the owner session with 201', async () => {
      const n = ++next;
      const before = await totals();
      const res = await signUp(signUpBody(n));
      expect(res.statusCode).toBe(201);
      const { data } = res.json();
      expect(data).toMatchObject({ expiresIn: 900, gym: { name: `Iron Temple ${n}` } });
      expect(data.accessToken).toEqual(expect.any(String));
      expect(data.refreshToken).toEqual(expect.any(String));
      // Email lower-cased, phone as E.164, the owner of every branch.
      expect(data.user).toMatchObject({ name: `Owner ${n}`, email: `owner${n}@iron.test`, phone: `+9198765${String(n).padStart(5, '0')}`, role: 'owner', branchIds: [] });

      const gymId: string = data.gym.id;
      const { rows: gyms } = await superuser.query('select * from gyms where id = $1', [gymId]);
      expect(gyms[0]).toMatchObject({ legal_name: `Iron Temple ${n} Fitness LLP`, state_code: '27', gstin: null, time_zone: 'Asia/Kolkata', currency: 'INR' });
      const { rows: branches } = await superuser.query('select * from branches where gym_id = $1', [gymId]);
      expect(branches).toMatchObject([{ name: 'Bandra', address: null }]);
      const { rows: staff } = await superuser.query('select * from staff where gym_id = $1', [gymId]);
      expect(staff).toHaveLength(1);
      expect(staff[0]).toMatchObject({ id: data.user.id, role: 'owner', active: true });
      expect(staff[0].password_hash).toMatch(/^\$argon2id\$/);
      const { rows: audit } = await superuser.query('select * from audit_log where gym_id = $1', [gymId]);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: 'gym.create', entity: 'gym', entity_id: gymId, actor_id: data.user.id, actor_role: 'owner', ip: '10.1.0.1' });
      expect(audit[0].new).toMatchObject({ via: 'signup', branch: { id: branches[0].id }, owner: { id: data.user.id } });
      expect(JSON.stringify(audit[0].new)).not.toMatch(/argon2|squat rack/);

      expect(await totals()).toEqual({ ...before, gyms: before.gyms + 1, branches: before.branches + 1, staff: before.staff + 1, refresh_tokens: before.refresh_tokens + 1, audit_log: before.audit_log + 1 });
    });

    it("stores the owner's desk PIN as argon2id the desk verifies, never answered, audited without it, logged for desks", async () => {
      const body = signUpBody(++next);
      body.owner = { ...body.owner, pin: '270419' };
      const res = await signUp(body);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.body).not.toMatch(/270419|argon2|pin_hash|pinHash|"pin"/);
      const { data } = res.json();

      const { rows: staff } = await superuser.query<{ pin_hash: string; password_hash: string }>('select pin_hash, password_hash from staff where id = $1', [data.user.id]);
      const pinHash = staff[0]?.pin_hash as string;
      expect(pinHash).toMatch(/^\$argon2id\$/);
      expect(await verify(pinHash, '270419')).toBe(true);
      expect(await verify(pinHash, '270418')).toBe(false);
      expect(pinHash).not.toBe(staff[0]?.password_hash);

      const { rows: audit } = await superuser.query('select action, entity, entity_id, old, new from audit_log where gym_id = $1 order by id', [data.gym.id]);
      expect(audit.map((r) => r.action)).toEqual(['gym.create', 'staff.pin']);
      expect(audit[0].new.owner).toMatchObject({ id: data.user.id, hasPin: true });
      expect(audit[1]).toMatchObject({ entity: 'staff', entity_id: data.user.id, old: null, new: { hasPin: true } });
      expect(JSON.stringify(audit)).not.toMatch(/argon2|270419/);

      // The owner's row reaches the gym's desks with the hash, so they can log in right after pairing.
      const { rows: log } = await superuser.query("select op, vals from change_log where gym_id = $1 and tbl = 'staff' and row_id = $2", [data.gym.id, data.user.id]);
      expect(log).toEqual([{ op: 'insert', vals: expect.objectContaining({ role: 'owner', pin_hash: pinHash }) }]);
      expect(log[0].vals).not.toHaveProperty('password_hash');
      expect((await get('/staff', data.accessToken)).json().data).toMatchObject([{ id: data.user.id, hasPin: true }]);

      // Without a PIN the owner has none.
      const plain = (await signUp(signUpBody(++next))).json().data;
      const { rows: none } = await superuser.query('select pin_hash from staff where id = $1', [plain.user.id]);
      expect(none).toEqual([{ pin_hash: null }]);
    });

    it('answers 400 VALIDATION_ERROR at owner.pin for a PIN the desk would refuse, writing nothing', async () => {
      const before = await totals();
      for (const pin of ['123', 'abcd', '123456789', 1234]) {
        const body = signUpBody(++next);
        const res = await signUp({ ...body, owner: { ...body.owner, pin } });
        expect(res.statusCode, String(pin)).toBe(400);
        expect(res.json().error).toMatchObject({ code: 'VALIDATION_ERROR' });
        expect(res.json().error.issues.map((i: { path: string }) => i.path)).toEqual(['owner.pin']);
      }
      expect(await totals()).toEqual(before);
    });

    it('keeps a GSTIN and a time zone when given', async () => {
      const body = signUpBody(++next);
      body.gym = { ...body.gym, gstin: '27aapfu0939f1zv', timeZone: 'Asia/Dubai' };
      body.branch = { name: 'Main', address: '  Andheri West  ' };
      const res = await signUp(body);
      expect(res.statusCode).toBe(201);
      const { rows } = await superuser.query('select g.gstin, g.time_zone, b.address from gyms g join branches b on b.gym_id = g.id where g.id = $1', [res.json().data.gym.id]);
      expect(rows).toEqual([{ gstin: '27AAPFU0939F1ZV', time_zone: 'Asia/Dubai', address: 'Andheri West' }]);
    });

    it("returns an access token that works on the gym's own routes, and a refresh token that rotates", async () => {
      const res = await signUp(signUpBody(++next));
      const { data } = res.json();
      const config = await get('/gym/config', data.accessToken);
      expect(config.statusCode).toBe(200);
      expect(config.json().data).toMatchObject({ id: data.gym.id, name: data.gym.name, stateCode: '27', timeZone: 'Asia/Kolkata' });

      const refreshed = await app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: data.refreshToken } });
      expect(refreshed.statusCode).toBe(200);
      expect((await get('/gym/config', refreshed.json().data.accessToken)).statusCode).toBe(200);
    });

    it('lets the owner log in with the password, by email (any case) or phone', async () => {
      const n = ++next;
      const created = (await signUp(signUpBody(n))).json().data;
      for (const login of [`OWNER${n}@iron.test`, `+9198765${String(n).padStart(5, '0')}`]) {
        const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login, password: PASSWORD } });
        expect(res.statusCode, login).toBe(200);
        expect(res.json().data).toMatchObject({ user: { id: created.user.id, role: 'owner' }, gym: { id: created.gym.id } });
      }
      const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: `owner${n}@iron.test`, password: 'not the password' } });
      expect(wrong.statusCode).toBe(401);
    });

    it('answers 409 CONFLICT for an email or phone that already logs in, in any gym, writing nothing', async () => {
      const n = ++next;
      const first = signUpBody(n);
      expect((await signUp(first)).statusCode).toBe(201);
      const before = await totals();

      const sameEmail = { ...signUpBody(++next), owner: { ...signUpBody(next).owner, email: `OWNER${n}@IRON.TEST` } };
      const sameEmailRes = await signUp(sameEmail);
      expect(sameEmailRes.statusCode).toBe(409);
      expect(sameEmailRes.json().error).toMatchObject({ code: 'CONFLICT', status: 409 });
      expect(sameEmailRes.json().error.message).toContain(`owner${n}@iron.test`);

      const samePhone = { ...signUpBody(++next), owner: { ...signUpBody(next).owner, phone: first.owner.phone } };
      const samePhoneRes = await signUp(samePhone);
      expect(samePhoneRes.statusCode).toBe(409);
      expect(samePhoneRes.json().error.message).toContain(`+9198765${String(n).padStart(5, '0')}`);

      // The seeded gym's owner, another tenant: logins are unique across gyms.
      const otherGymsEmail = { ...signUpBody(++next), owner: { ...signUpBody(next).owner, email: 'owner@alpha.test' } };
      expect((await signUp(otherGymsEmail)).statusCode).toBe(409);

      expect(await totals()).toEqual(before);
    });

    it('answers 400 VALIDATION_ERROR with field paths for invalid input, writing nothing', async () => {
      const before = await totals();
      const body = signUpBody(++next);
      const res = await signUp({
        gym: { ...body.gym, stateCode: 'MH', name: '  ' },
        branch: {},
        owner: { ...body.owner, email: 'not-an-email', phone: '12', password: 'short' },
      });
      expect(res.statusCode).toBe(400);
      const { error } = res.json();
      expect(error).toMatchObject({ code: 'VALIDATION_ERROR', status: 400 });
      const paths = error.issues.map((i: { path: string }) => i.path);
      expect(paths).toEqual(expect.arrayContaining(['gym.name', 'gym.stateCode', 'branch.name', 'owner.email', 'owner.phone', 'owner.password']));
      expect(error.issues.find((i: { path: string }) => i.path === 'owner.password').message).toBe('Password must be at least 10 characters');

      // A GSTIN of another state; a field the API does not know.
      const gstin = await signUp({ ...body, gym: { ...body.gym, gstin: '29AAPFU0939F1ZV' } });
      expect(gstin.statusCode).toBe(400);
      expect(gstin.json().error.issues).toEqual([{ path: 'gym.gstin', message: 'The GSTIN must begin with the state code' }]);
      const unknown = await signUp({ ...body, owner: { ...body.owner, role: 'manager' } });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error.code).toBe('VALIDATION_ERROR');
      const zone = await signUp({ ...body, gym: { ...body.gym, timeZone: 'Mars/Olympus' } });
      expect(zone.json().error.issues).toEqual([{ path: 'gym.timeZone', message: 'Must be an IANA time zone such as Asia/Kolkata' }]);
      const notAnObject = await app.inject({ method: 'POST', url: '/api/v1/gyms', headers: { 'content-type': 'application/json' }, payload: '["nonsense"]' });
      expect(notAnObject.statusCode).toBe(400);

      expect(await totals()).toEqual(before);
    });

    it('is rate limited per client address: 429 RATE_LIMITED, writing nothing', async () => {
      const limited = await buildApp({ db: t.api, pool: t.apiPool, auth: testAuth({ limits: { perIp: { max: 2, timeWindow: 60_000 }, perAccount: { max: 1000, timeWindow: 60_000 } } }) });
      try {
        const post = (body: unknown, remoteAddress: string) => limited.inject({ method: 'POST', url: '/api/v1/gyms', payload: body as object, remoteAddress });
        expect((await post(signUpBody(++next), '10.9.9.9')).statusCode).toBe(201);
        expect((await post({}, '10.9.9.9')).statusCode).toBe(400);
        const before = await totals();
        const res = await post(signUpBody(++next), '10.9.9.9');
        expect(res.statusCode).toBe(429);
        expect(res.json().error).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
        expect(await totals()).toEqual(before);
        // Another address is not held back.
        expect((await post(signUpBody(next), '10.9.9.10')).statusCode).toBe(201);
      } finally {
        await limited.close();
      }
    });

    it("gives the new gym's owner none of another gym's rows", async () => {
      const { data } = (await signUp(signUpBody(++next))).json();
      const token: string = data.accessToken;

      const members = await get('/members', token);
      expect(members.statusCode).toBe(200);
      expect(members.json()).toMatchObject({ data: [], meta: { total: 0 } });
      const branches = (await get('/branches', token)).json();
      expect(branches.data.map((b: { gymId: string }) => b.gymId)).toEqual([data.gym.id]);
      const staff = (await get('/staff', token)).json();
      expect(staff.data.map((s: { id: string }) => s.id)).toEqual([data.user.id]);
      const audit = (await get('/audit-log', token)).json();
      expect(audit.data.map((a: { action: string }) => a.action)).toEqual(['gym.create']);
      expect((await get(`/members/${other.memberId}`, token)).statusCode).toBe(404);
      expect((await get('/plans', token)).json().data).toEqual([]);
    });
  });

  describe('createGym', () => {
    const passwords = new PasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });

    it('throws VALIDATION_ERROR with field paths before touching the database', async () => {
      const before = await totals();
      const error = await createGym(t.api, { gym: {}, branch: { name: 'Main' }, owner: {} }, { passwords, requester: { kind: 'operator' } }).catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('VALIDATION_ERROR');
      expect(isAppError(error) && error.issues?.map((i) => i.path)).toEqual(
        expect.arrayContaining(['gym.name', 'gym.legalName', 'gym.stateCode', 'gym.address', 'owner.name', 'owner.email', 'owner.phone', 'owner.password']),
      );
      expect(await totals()).toEqual(before);
    });

    it('writes everything in one transaction: a failure after the inserts leaves nothing', async () => {
      const before = await totals();
      await expect(
        createGym(t.api, signUpBody(++next), { passwords, requester: { kind: 'operator' } }, async () => {
          throw new Error('after the inserts');
        }),
      ).rejects.toThrow('after the inserts');
      expect(await totals()).toEqual(before);
    });
  });

  describe('npm run cloud:admin -- create-gym', () => {
    const env = () => ({ DATABASE_URL: t.adminUrl, DATABASE_NAME: t.name, LOG_LEVEL: 'silent' });
    const args = (n: number) => [
      'create-gym',
      '--name', `Admin Gym ${n}`,
      '--legal-name', `Admin Gym ${n} Pvt Ltd`,
      '--state', '29',
      '--address', '1 MG Road, Bengaluru',
      '--branch', 'Indiranagar',
      '--owner-name', `Admin Owner ${n}`,
      '--owner-email', `admin${n}@gym.test`,
      '--owner-phone', `+9191234${String(n).padStart(5, '0')}`,
      '--owner-password', PASSWORD,
    ];

    it('creates the gym against DATABASE_URL and prints its ids; the owner can log in', async () => {
      const n = ++next;
      const { code, stdout, stderr } = await runCli(args(n), env());
      expect(code, stderr).toBe(0);
      const id = (name: string) => new RegExp(`${name}: ([0-9a-f-]{36})`).exec(stdout)?.[1];
      const [gymId, branchId, ownerId] = [id('gymId'), id('branchId'), id('ownerId')];
      expect(gymId && branchId && ownerId).toBeTruthy();

      const { rows } = await superuser.query(
        `select g.name, g.state_code, b.id as branch_id, b.name as branch, s.id as owner_id, s.email, s.role
           from gyms g join branches b on b.gym_id = g.id join staff s on s.gym_id = g.id where g.id = $1`,
        [gymId],
      );
      expect(rows).toEqual([{ name: `Admin Gym ${n}`, state_code: '29', branch_id: branchId, branch: 'Indiranagar', owner_id: ownerId, email: `admin${n}@gym.test`, role: 'owner' }]);
      const { rows: audit } = await superuser.query('select actor_id, actor_role, ip, action from audit_log where gym_id = $1', [gymId]);
      expect(audit).toEqual([{ actor_id: null, actor_role: 'system', ip: null, action: 'gym.create' }]);

      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: `admin${n}@gym.test`, password: PASSWORD } });
      expect(login.statusCode).toBe(200);
      expect(login.json().data.gym.id).toBe(gymId);

      // The same owner again: exit 1 with the conflict, no stack.
      const again = await runCli(args(n), env());
      expect(again.code).toBe(1);
      expect(again.stderr).toContain(`already logs in with admin${n}@gym.test`);
      expect(again.stderr).not.toMatch(/\n\s+at /);
    });

    it('takes the owner\'s desk PIN as --owner-pin, checked by the desk\'s rule', () => {
      const options = args(1).slice(1); // without the command's name
      expect(parseCreateGym([...options, '--owner-pin', '4455']).owner.pin).toBe('4455');
      expect(parseCreateGym(options).owner.pin).toBeUndefined();
      expect(() => parseCreateGym([...options, '--owner-pin', '44'])).toThrow(/--owner-pin: PIN must be 4 to 8 digits/);
    });

    it('exits with 2 and a clear message, no stack and nothing written, on bad arguments', async () => {
      const before = await totals();
      const n = ++next;
      const cases: [string[], RegExp][] = [
        [args(n).filter((a, i, all) => a !== '--owner-email' && all[i - 1] !== '--owner-email'), /Missing --owner-email/],
        [[...args(n), '--colour', 'red'], /Unknown option '--colour'/],
        [args(n).map((a) => (a === '29' ? 'KA' : a)), /--state: Must be a 2-digit GST state code/],
        [args(n).map((a) => (a === PASSWORD ? 'short' : a)), /--owner-password: Password must be at least 10 characters/],
        [['make-coffee'], /Unknown command 'make-coffee'/],
      ];
      const results = await Promise.all(cases.map(([argv]) => runCli(argv, env())));
      results.forEach(({ code, stderr }, i) => {
        const [, message] = cases[i] as [string[], RegExp];
        expect(code, stderr).toBe(2);
        expect(stderr).toMatch(message);
        expect(stderr).toContain('Usage: npm run cloud:admin -- create-gym');
        expect(stderr).not.toMatch(/\n\s+at /);
      });
      expect(await totals()).toEqual(before);
    });
  });
});
