import { type Mutation, type MutationName, SYNC_SCHEMA_VERSION, mutationNames, mutationSchemas, parseMutation } from '@gymstack/shared';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { Context } from './context.js';
import { loadDesk } from './desk.js';
import { NameVocabulary } from './domain/vocabulary.js';
import { Events } from './events.js';
import { openStore } from './init.js';
import { type TestDesk, createTestDesk, nextPhone } from './testing/desk.js';
import { write } from './write.js';

let desk: TestDesk;
beforeEach(async () => {
  // A simulated reader, so fingerprint enrollment and removal are driven too.
  desk = await createTestDesk({ devices: { fingerprint: { kind: 'simulator' } } });
});
afterEach(() => desk.close());

type OutboxRow = { seq: number; name: string; args: string };
const outbox = () => desk.sqlite().prepare('select seq, name, args from outbox order by seq').all() as OutboxRow[];

/** Every handler that writes, once each (and a few twice, e.g. a sale with and without payment). */
async function driveEveryWrite(): Promise<void> {
  const { core } = desk;
  await core.call('settings/update', { antiPassbackMinutes: 10 });
  await core.call('gym/update', { phone: '+919812300000' });
  const staff = await core.call('staff/create', { name: 'Temp Tara', role: 'frontdesk', pin: '4444' });
  await core.call('staff/setPin', { staffId: staff.id, pin: '5555' });
  await core.call('staff/deactivate', { staffId: staff.id });
  const planId = await desk.createPlan();
  await core.call('plans/update', { planId, patch: { name: 'Monthly Plus' } });
  const spare = await desk.createPlan({ name: 'Spare' });
  await core.call('plans/archive', { planId: spare });
  const member = await core.call('members/create', { fullName: 'Arjun Mehta', phone: nextPhone(), email: 'arjun@example.com', stateCode: '27' });
  await core.call('members/update', { memberId: member.id, patch: { goal: 'strength', email: null } });
  await core.call('members/setPhoto', { memberId: member.id, dataUrl: 'data:image/png;base64,iVBORw0KGgo=' });
  await core.call('members/setPhoto', { memberId: member.id, dataUrl: null });
  await core.call('cards/assign', { memberId: member.id, number: 'card0042' });
  await core.call('cards/revoke', { memberId: member.id, number: 'CARD0042' });
  await expect.poll(async () => (await core.call('devices/list', {})).devices.find((d) => d.device === 'fingerprint')?.state).toBe('connected');
  const pressWhenAsked = core.onEvent((e) => {
    if (e.type === 'enroll' && e.progress.step === 'place') void core.call('devices/simulate', { action: 'finger', memberId: member.id });
  });
  const finger = await core.call('fingerprints/enroll', { memberId: member.id, consent: true });
  pressWhenAsked();
  await core.call('fingerprints/remove', { memberId: member.id, fingerprintId: finger.id });
  const sold = await core.call('memberships/sell', { memberId: member.id, planId, payment: { method: 'cash', amountPaise: 50_000 } });
  await core.call('payments/record', { membershipId: sold.membership.id, method: 'upi_offline', amountPaise: 10_000, reference: 'UPI123' });
  await core.call('memberships/renew', { memberId: member.id, planId });
  const until = sold.membership.start;
  await core.call('memberships/freeze', { membershipId: sold.membership.id, from: until, to: until, reason: 'Travel' });
  await core.call('memberships/unfreeze', { membershipId: sold.membership.id });
  await core.call('checkins/create', { method: 'manual', memberId: member.id });
  await core.call('checkins/create', { method: 'card', credential: { kind: 'card', value: 'NOSUCH01' } });
  await core.call('checkins/checkout', { memberId: member.id });
  const other = await desk.createMember();
  const { membership } = await core.call('memberships/sell', { memberId: other.id, planId });
  await desk.loginAs('manager');
  await core.call('memberships/cancel', { membershipId: membership.id, reason: 'Moved away' });
}

describe('the sync mutation registry', () => {
  it('has a schema version and a schema per name', () => {
    expect(SYNC_SCHEMA_VERSION).toBeGreaterThanOrEqual(1);
    for (const name of mutationNames) expect(mutationSchemas[name]).toBeDefined();
  });

  it('registers every mutation the desk writes, and every outbox row parses with it', async () => {
    await driveEveryWrite();
    const rows = outbox();
    const written = new Set(rows.map((r) => r.name));
    expect([...written].sort()).toEqual([...mutationNames].sort());
    for (const row of rows) {
      const parsed = parseMutation(row.name, JSON.parse(row.args));
      expect(parsed.name, `seq ${row.seq}`).toBe(row.name);
      // The outbox holds the registry's own output: parsing it again changes nothing.
      expect(parseMutation(row.name, parsed.args).args).toEqual(parsed.args);
    }
  });

  it('carries the ids and instants born at the desk', async () => {
    const planId = await desk.createPlan();
    const member = await desk.createMember();
    const sale = await desk.core.call('memberships/sell', { memberId: member.id, planId, payment: { method: 'cash', amountPaise: 1_000 } });
    await desk.core.call('checkins/create', { method: 'manual', memberId: member.id });
    const byName = (name: MutationName) => JSON.parse(outbox().filter((r) => r.name === name).at(-1)!.args) as Record<string, unknown>;
    expect(byName('members/create')).toMatchObject({ id: member.id, code: member.code, createdAt: desk.clock.now.toISOString() });
    expect(byName('memberships/sell')).toMatchObject({
      id: sale.membership.id,
      start: sale.membership.start,
      end: sale.membership.end,
      payment: { id: sale.payment!.id, invoiceId: sale.invoice!.id, invoiceNumber: sale.invoice!.number, receivedAt: desk.clock.now.toISOString() },
    });
    expect(byName('checkins/create')).toMatchObject({ verdict: expect.any(String), at: desk.clock.now.toISOString() });
  });

  it('refuses unknown names and bad arguments with their codes', () => {
    expect(() => parseMutation('members/delete', {})).toThrow(expect.objectContaining({ code: 'UNKNOWN_MUTATION' }));
    expect(() => parseMutation('cards/revoke', { memberId: 'nope', number: 'X' })).toThrow(expect.objectContaining({ code: 'VALIDATION_ERROR' }));
  });

  it('fails a write whose mutation the registry refuses, leaving nothing behind', async () => {
    const member = await desk.createMember();
    const tables = ['members', 'audit_log', 'outbox'];
    const before = tables.map((t) => desk.count(t));
    // The write path as a buggy handler would use it: the row goes in, the mutation names no valid member.
    const store = await openStore(desk.dataDir);
    onTestFinished(() => store.close());
    const state = loadDesk(store);
    if (!state) throw new Error('test desk not set up');
    const ctx = new Context(store, () => desk.clock.now, new Events(), new NameVocabulary(() => []), state);
    const bad = { name: 'members/update', args: { memberId: 'not-a-uuid', patch: {} } } as unknown as Mutation;
    expect(() =>
      write(ctx, [], () => {
        ctx.store.run(ctx.store.db.updateTable('members').set({ full_name: 'Changed' }).where('id', '=', member.id));
        return { result: null, audit: { action: 'member.update', entity: 'member', entityId: member.id, summary: 'x' }, mutation: bad };
      }),
    ).toThrow(/does not match the sync registry/);
    expect(tables.map((t) => desk.count(t))).toEqual(before);
    expect((await desk.core.call('members/get', { memberId: member.id })).member.fullName).not.toBe('Changed');
  });
});
