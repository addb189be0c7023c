import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseInvoiceNumber } from '@gymstack/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, openCore } from '../core.js';
import { DEMO_PINS, seedDemo } from './seed.js';

const NOW = new Date('2026-11-21T08:00:00.000Z'); // 13:30 in Pune
let dataDir: string;
let core: Core;
let report: Awaited<ReturnType<typeof seedDemo>>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gymstack-demo-'));
  report = await seedDemo({ dataDir, now: () => NOW, members: 120, checkins: 2_000 });
  core = await openCore({ dataDir, now: () => NOW });
  const staff = await core.call('auth/staff', {});
  await core.call('auth/login', { staffId: staff.find((s) => s.role === 'frontdesk')!.id, pin: DEMO_PINS.frontdesk });
});
afterAll(async () => {
  await core.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the demo seed', () => {
  it('builds the Pune demo gym with its staff, plans and members', async () => {
    expect(report).toEqual({ seeded: true, members: 120, memberships: 144, checkins: 2_000 });
    const info = await core.call('desk/info', {});
    expect(info.gym).toMatchObject({ name: 'Iron Temple Fitness', stateCode: '27', gstin: '27AAJCI1234F1Z5' });
    expect((await core.call('auth/staff', {})).map((s) => s.role).sort()).toEqual(['frontdesk', 'manager', 'owner']);
    expect((await core.call('plans/list', {})).map((p) => p.name)).toEqual(['Morning Monthly', 'Monthly', 'Quarterly', 'Half-yearly', 'Annual']);
    expect((await core.call('members/list', {})).total).toBe(120);
  });

  it('has expired, frozen, owing and expiring members and a birthday today', async () => {
    for (const filter of ['expired', 'frozen', 'dues', 'expiring'] as const) {
      expect((await core.call('members/list', { filter })).total).toBeGreaterThan(0);
    }
    const today = await core.call('dashboard/today', {});
    expect(today.birthdays.length).toBeGreaterThanOrEqual(2);
    expect(today.checkins.allowed).toBeGreaterThan(0);
  });

  it('issued consecutive invoice numbers in time order', async () => {
    const log = await core.call('members/list', { limit: 200 });
    const numbers: { number: string; at: string }[] = [];
    for (const m of log.items) {
      for (const p of (await core.call('members/get', { memberId: m.id })).payments) numbers.push({ number: p.invoiceNumber, at: p.receivedAt });
    }
    numbers.sort((a, b) => a.at.localeCompare(b.at));
    expect(numbers.map((n) => parseInvoiceNumber(n.number)?.seq)).toEqual(numbers.map((_, i) => i + 1));
  });

  it('is searchable and checks members in', async () => {
    const [hit] = await core.call('members/search', { query: 'GS1001' });
    expect(hit?.code).toBe('GS1001');
    const card = await core.call('checkins/create', { method: 'card', credential: { kind: 'card', value: '0410000000' } });
    expect(card.checkin.memberId).not.toBeNull();
    expect(card.member?.code).toMatch(/^GS\d{4}$/);
  });

  it('does nothing on a desk that is already set up', async () => {
    expect(await seedDemo({ dataDir, now: () => NOW })).toEqual({ seeded: false, members: 0, memberships: 0, checkins: 0 });
  });
});
