import { sql } from 'kysely';
import { v7 as uuid } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../src/db/tenant.js';
import { type TestDesk, pairTestDesk } from './desk.js';
import { call, createWorld, type Gym, type World } from './world.js';

// Erasure reaches the desks' push log (migration 2026_11_26_0001): what a desk pushed about a member
// (its creation, edits and photo) keeps its shape but loses the personal values.

let w: World;
let a: Gym;
let desk: TestDesk;

beforeAll(async () => {
  w = await createWorld();
  a = w.gyms.a;
  desk = await pairTestDesk(w, a, 'D2');
});
afterAll(() => w?.close());

const push = async (name: string, args: unknown) => expect(await desk.pushOne(name, args)).toMatchObject({ status: 'applied' });

const logged = () =>
  withTenant(w.t.owner, a.seed.scope, (trx) =>
    sql<{ name: string; args: Record<string, unknown> }>`select name, args from sync_mutations order by seq`.execute(trx).then((r) => r.rows),
  );

/** A member created at the desk, edited and photographed there: three mutations in the push log. */
let memberNo = 1000;
async function deskMember(phone: string) {
  const id = uuid();
  memberNo += 1;
  await push('members/create', { id, code: `D2-${memberNo}`, fullName: 'Kavya Iyer', phone, email: 'kavya@example.com', dateOfBirth: '1994-03-02', gender: 'female', goal: null, source: null, stateCode: '27' });
  await push('members/update', { memberId: id, patch: { email: 'kavya.iyer@example.com', medicalNotes: 'Asthma' } });
  await push('members/setPhoto', { memberId: id, dataUrl: 'data:image/png;base64,iVBORw0KGgo=' });
  return id;
}

describe('erasing a member a desk created', () => {
  it('redacts the personal values in every mutation about them, and nothing about anyone else', async () => {
    const erased = await deskMember('+919812300101');
    const kept = await deskMember('+919812300102');
    const res = await call(w.app, a.tokens.owner, { method: 'POST', url: `/members/${erased}/erase` });
    expect(res.statusCode, res.body).toBeLessThan(300);

    const rows = await logged();
    const about = (id: string) => rows.filter((r) => (r.name === 'members/create' ? r.args.id : r.args.memberId) === id);
    const [created, updated, photo] = about(erased);
    expect(created?.args).toMatchObject({ id: erased, fullName: '[redacted]', phone: '[redacted]', email: '[redacted]', dateOfBirth: '[redacted]', gender: '[redacted]', stateCode: '[redacted]', goal: null });
    expect(updated?.args).toMatchObject({ memberId: erased, patch: { email: '[redacted]', medicalNotes: '[redacted]' } });
    expect(photo?.args).toMatchObject({ memberId: erased, dataUrl: '[redacted]' });
    expect(JSON.stringify(about(erased))).not.toMatch(/Kavya|kavya|9812300101|Asthma|iVBOR/);
    // The other member's mutations are as pushed.
    expect(about(kept)[0]?.args).toMatchObject({ fullName: 'Kavya Iyer', phone: '+919812300102' });

    const audit = await withTenant(w.t.owner, a.seed.scope, (trx) =>
      trx.selectFrom('audit_log').select('new').where('action', '=', 'member.erase').where('entity_id', '=', erased).executeTakeFirstOrThrow(),
    );
    expect(audit.new).toMatchObject({ redactedSyncRows: 3 });
  });

  it('still refuses any other change to the push log, for the owner role too', async () => {
    await deskMember('+919812300103');
    const attempt = (statement: ReturnType<typeof sql>) => withTenant(w.t.owner, a.seed.scope, (trx) => statement.execute(trx)).then(() => 'ok', (e: { message: string }) => e.message);
    expect(await attempt(sql`update sync_mutations set args = '{}'::jsonb`)).toMatch(/append-only/);
    expect(await attempt(sql`delete from sync_mutations`)).toMatch(/append-only/);
  });
});
