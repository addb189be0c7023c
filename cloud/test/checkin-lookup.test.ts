import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../src/db/tenant.js';
import { call, createWorld, type Gym, type World } from './world.js';

/**
 * The check-in reads the branch, the member and their last allowed check-in in one statement, and
 * writes the check-in with its audit row in one more (domain/checkins.ts); these are the paths the
 * verdict suite in api.test.ts does not walk.
 */
describe('check-in look-up and write', () => {
  let w: World;
  let a: Gym;

  beforeAll(async () => {
    w = await createWorld();
    a = w.gyms.a;
  });
  afterAll(() => w?.close());

  const checkin = (body: Record<string, unknown>, token = a.tokens.desk) => call(w.app, token, { method: 'POST', url: '/check-ins', body: { method: 'finger', ...body } });
  const count = (table: 'checkins' | 'audit_log') =>
    withTenant(w.t.api, a.seed.scope, async (trx) => (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(trx)).rows[0]!.n);

  it('finds a member by a live credential, and writes the check-in and an audit row equal to the answer', async () => {
    // The fixture's member has finger credential 17 and a November membership; the verdict does not matter here.
    const res = await checkin({ credential: { kind: 'finger', value: '17' } });
    expect(res.statusCode, res.body).toBe(201);
    const { checkin: made, member } = res.json().data;
    expect(member.id).toBe(a.ids.member);
    expect(made).toMatchObject({ memberId: a.ids.member, branchId: a.branchId, method: 'finger', deviceId: a.ids.device, staffId: null });
    const stored = await withTenant(w.t.api, a.seed.scope, async (trx) => ({
      checkin: await trx.selectFrom('checkins').selectAll().where('id', '=', made.id).executeTakeFirstOrThrow(),
      audit: await trx.selectFrom('audit_log').selectAll().where('entity_id', '=', made.id).executeTakeFirstOrThrow(),
    }));
    expect(stored.checkin.at.toISOString()).toBe(made.at);
    expect(stored.checkin).toMatchObject({ member_id: a.ids.member, verdict: made.verdict, reason: made.reason, device_id: a.ids.device });
    expect(stored.audit).toMatchObject({ action: 'checkin.create', entity: 'checkin', actor_role: 'desk', actor_id: null, device_id: a.ids.device, old: null });
    expect(stored.audit.new).toEqual(made);
  });

  it('uses the last allowed check-in for anti-passback, not the last denied one', async () => {
    await withTenant(w.t.api, a.seed.scope, (trx) => sql`update gyms set anti_passback_minutes = 10`.execute(trx));
    const member = a.ids.member;
    const first = (await checkin({ memberId: member })).json().data.checkin;
    const second = (await checkin({ memberId: member })).json().data.checkin;
    if (first.verdict === 'allow') expect(second.reason).toBe('ANTI_PASSBACK');
    else expect(second.reason).toBe(first.reason);
  });

  it('answers 404 for a missing member id or a deleted branch, and writes nothing', async () => {
    const before = [await count('checkins'), await count('audit_log')];
    const missing = await checkin({ memberId: '01930000-0000-7000-8000-000000000001' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('NOT_FOUND');
    await withTenant(w.t.api, a.seed.scope, (trx) => trx.updateTable('branches').set({ deleted_at: new Date() }).where('id', '=', a.otherBranchId).execute());
    const gone = await checkin({ memberId: a.ids.member, branchId: a.otherBranchId }, a.tokens.owner);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.message).toMatch(/branch/i);
    // An unknown card is no error: it is kept as a denial.
    expect((await checkin({ credential: { kind: 'card', value: 'NOSUCHCARD' } })).json().data.checkin.reason).toBe('UNKNOWN_CREDENTIAL');
    expect([await count('checkins'), await count('audit_log')]).toEqual([before[0]! + 1, before[1]! + 1]);
  });
});
