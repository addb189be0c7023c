import { randomBytes } from 'node:crypto';
import { seal } from '@gymstack/shared/crypto';
import { sql } from 'kysely';
import { v7 as uuid } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../src/db/tenant.js';
import { type TestDesk, pairTestDesk } from './desk.js';
import { call, createWorld, type Gym, type World } from './world.js';

// Fingerprints enrolled and removed at a desk (DESIGN 7), pushed through POST /sync/push.

let w: World;
let a: Gym;
let desk: TestDesk;
let templateKey: { keyId: string; key: Buffer };

beforeAll(async () => {
  w = await createWorld();
  a = w.gyms.a;
  desk = await pairTestDesk(w, a, 'D2');
  const keys = await call(w.app, desk.token, { method: 'GET', url: '/devices/keys' });
  const { keyId, key } = keys.json().data.template as { keyId: string; key: string };
  templateKey = { keyId, key: Buffer.from(key, 'base64') };
});
afterAll(() => w?.close());

const push = (name: string, args: unknown) => desk.pushOne(name, args);

let memberNo = 0;
async function newMember(): Promise<string> {
  const id = uuid();
  memberNo += 1;
  await withTenant(w.t.api, a.seed.scope, (trx) =>
    trx
      .insertInto('members')
      .values({ gym_id: a.gymId, id, branch_id: a.branchId, code: `FP${memberNo}`, full_name: `Finger ${memberNo}`, phone: `+91981234${String(memberNo).padStart(4, '0')}`, email: null, date_of_birth: null, gender: null, emergency_contact: null, medical_notes: null, goal: null, source: null, state_code: null })
      .execute(),
  );
  return id;
}

/** An enrolment as a desk sends it: the template sealed with the gym's template key. */
function enrolment(memberId: string, keyId = templateKey.keyId) {
  const id = uuid();
  const sealed = seal(templateKey.key, randomBytes(498), `${memberId}:${id}`);
  return { id, memberId, template: sealed.toString('base64'), keyId, consentedAt: '2026-11-24T10:00:00.000Z' };
}

const credential = (id: string) =>
  withTenant(w.t.owner, a.seed.scope, (trx) => trx.selectFrom('member_credentials').selectAll().where('id', '=', id).executeTakeFirst());

describe('fingerprints pushed from a desk', () => {
  it('stores the sealed template as sent, with its key and consent, and audits the enrolment without it', async () => {
    const memberId = await newMember();
    const args = enrolment(memberId);
    expect(await push('fingerprints/enroll', args)).toEqual(expect.objectContaining({ status: 'applied' }));
    expect(await credential(args.id)).toMatchObject({
      member_id: memberId,
      kind: 'finger',
      value: args.id,
      template: Buffer.from(args.template, 'base64'),
      key_id: templateKey.keyId,
      consented_at: new Date(args.consentedAt),
      deleted_at: null,
    });
    const audits = await withTenant(w.t.owner, a.seed.scope, (trx) =>
      sql<{ action: string; text: string }>`select action, a::text as text from audit_log a where entity_id = ${memberId}::uuid`.execute(trx).then((r) => r.rows),
    );
    expect(audits.map((r) => r.action)).toEqual(['fingerprint.enroll']);
    expect(audits[0]?.text).toContain(args.id);
    const hex = Buffer.from(args.template, 'base64').toString('hex');
    expect(audits[0]?.text).not.toContain(args.template);
    expect(audits[0]?.text).not.toContain(hex);
    // The append-only push log keeps the mutation without its template, so erasure leaves no copy behind.
    const logged = await withTenant(w.t.owner, a.seed.scope, (trx) =>
      sql<{ args: { id: string; template: string | null } }>`select args from sync_mutations where name = 'fingerprints/enroll'`.execute(trx).then((r) => r.rows),
    );
    expect(logged.map((r) => r.args)).toEqual([expect.objectContaining({ id: args.id, template: null })]);
  });

  it('sends desks the template in the member_credentials shape as \\x hex of a bytea column', async () => {
    const memberId = await newMember();
    const args = enrolment(memberId);
    await push('fingerprints/enroll', args);
    const res = await w.app.inject({ method: 'GET', url: '/v1/shape?table=member_credentials&offset=-1', headers: { authorization: `Bearer ${desk.token}` } });
    expect(res.statusCode, res.body).toBe(200);
    const schema = JSON.parse(res.headers['electric-schema'] as string) as Record<string, { type: string }>;
    expect(schema.template).toEqual({ type: 'bytea' });
    expect(schema.key_id).toEqual({ type: 'text' });
    const rows = res.json() as { key: string; value: Record<string, string | null> }[];
    const row = rows.find((m) => m.key === `"public"."member_credentials"/"${args.id}"`);
    expect(row?.value).toMatchObject({
      template: `\\x${Buffer.from(args.template, 'base64').toString('hex')}`,
      key_id: templateKey.keyId,
      consented_at: '2026-11-24 10:00:00+00',
    });
  });

  it('destroys the template on removal and keeps the credential as a tombstone', async () => {
    const memberId = await newMember();
    const args = enrolment(memberId);
    await push('fingerprints/enroll', args);
    expect(await push('fingerprints/remove', { id: args.id, memberId })).toEqual(expect.objectContaining({ status: 'applied' }));
    const row = await credential(args.id);
    expect(row).toMatchObject({ template: null, key_id: null, kind: 'finger', member_id: memberId });
    expect(row?.deleted_at).toBeInstanceOf(Date);
    // Removing it again finds no live fingerprint.
    expect(await push('fingerprints/remove', { id: args.id, memberId })).toMatchObject({ status: 'rejected', error: { code: 'NOT_FOUND' } });
  });

  it("rejects a template sealed with a key that is not the gym's template key, and stores nothing", async () => {
    const memberId = await newMember();
    const args = enrolment(memberId, 'notours');
    const result = await push('fingerprints/enroll', args);
    expect(result).toMatchObject({ status: 'rejected', error: { code: 'CONFLICT', message: expect.stringContaining('notours') } });
    expect(await credential(args.id)).toBeUndefined();
    const recorded = await withTenant(w.t.owner, a.seed.scope, (trx) =>
      trx.selectFrom('sync_mutations').select(['status', 'error_code']).where('device_id', '=', desk.deviceId).where('seq', '=', result.seq).executeTakeFirst(),
    );
    expect(recorded).toEqual({ status: 'rejected', error_code: 'CONFLICT' });
  });

  it("destroys the template when the member's data is erased", async () => {
    const memberId = await newMember();
    const args = enrolment(memberId);
    await push('fingerprints/enroll', args);
    const erased = await call(w.app, a.tokens.owner, { method: 'POST', url: `/members/${memberId}/erase` });
    expect(erased.statusCode, erased.body).toBe(200);
    const row = await credential(args.id);
    expect(row).toMatchObject({ template: null, key_id: null });
    expect(row?.deleted_at).toBeInstanceOf(Date);
  });
});
