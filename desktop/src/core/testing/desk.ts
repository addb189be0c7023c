/** Test helpers: a set-up desk on a temporary SQLite file with a controllable clock. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { z } from 'zod';
import type { MemberInput, PlanInput, StaffRole } from '@gymstack/shared';
import type { Core } from '../core.js';
import { openCore } from '../core.js';
import { type Settings, deviceConfigSchema } from '../contract.js';
import { DB_FILE, initDesk, openStore } from '../init.js';
import { buildDevices } from '../devices/drivers.js';
import type { DeskDevices } from '../devices/hub.js';
import { generateDeskKey, saveLink } from '../sync/link.js';

/** Saturday 21 November 2026, 11:00 in Kolkata. */
export const TEST_NOW = new Date('2026-11-21T05:30:00.000Z');
export const TEST_TODAY = '2026-11-21';

export const PINS: Record<StaffRole, string> = { owner: '1111', manager: '2222', frontdesk: '3333' };

export const monthlyPlan: PlanInput = {
  name: 'Monthly',
  duration: { unit: 'months', count: 1 },
  pricePaise: 150_000,
  taxInclusive: true,
  gstRateBps: 1800,
  sac: '999723',
  access: { allowedBranchIds: null, hours: null },
  maxFreezeDays: 15,
  ptSessions: 0,
};

export interface TestDesk {
  core: Core;
  dataDir: string;
  /** The clock every handler reads; move it to test time-dependent rules. */
  clock: { now: Date; advanceMinutes(minutes: number): void; advanceDays(days: number): void };
  staffIds: Record<StaffRole, string>;
  loginAs(role: StaffRole): Promise<void>;
  /** A second connection to the same file, for assertions and fault injection. */
  sqlite(): BetterSqlite3.Database;
  count(table: string): number;
  createMember(input?: Partial<MemberInput>): Promise<{ id: string; code: string }>;
  createPlan(input?: Partial<PlanInput>): Promise<string>;
  /** A new member with a paid monthly membership that is running now, or one that ended in October. */
  memberWithMembership(term: 'active' | 'expired'): Promise<{ id: string; code: string }>;
  close(): Promise<void>;
}

export type DeviceConfigInput = z.input<typeof deviceConfigSchema>;

let phoneSeq = 0;
/** A valid, unique Indian mobile number per call. */
export const nextPhone = () => `+9198${String(10_000_000 + ++phoneSeq).slice(-8)}`;

export interface TestDeskOptions {
  settings?: Partial<Settings>;
  gymStateCode?: string;
  devices?: DeviceConfigInput;
  /** Sees the devices each time they start, e.g. to reach into a simulator. */
  onDevices?: (devices: DeskDevices) => void;
  /**
   * Pairs the desk with a stand-in cloud that answers every request the desk makes through this fetch
   * (sync included) at `TEST_CLOUD_URL`. The team is made before the pairing, as a cloud would send it.
   */
  cloudFetch?: typeof fetch;
}

export const TEST_CLOUD_URL = 'http://cloud.test';

export async function createTestDesk(options: TestDeskOptions = {}): Promise<TestDesk> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gymstack-desk-'));
  const clock = {
    now: new Date(TEST_NOW),
    advanceMinutes(minutes: number) {
      this.now = new Date(this.now.getTime() + minutes * 60_000);
    },
    advanceDays(days: number) {
      this.advanceMinutes(days * 24 * 60);
    },
  };
  const now = () => clock.now;
  await initDesk({
    dataDir,
    now,
    gym: {
      name: 'Iron Temple Fitness',
      legalName: 'Iron Temple Fitness LLP',
      gstin: '27AAJCI1234F1Z5',
      address: '12 FC Road, Shivajinagar, Pune 411005',
      stateCode: options.gymStateCode ?? '27',
    },
    branch: { name: 'FC Road' },
    owner: { name: 'Owner Olivia', pin: PINS.owner },
    invoicePrefix: 'PUN1',
    settings: options.settings,
  });
  if (options.devices) {
    const db = new BetterSqlite3(join(dataDir, DB_FILE));
    db.prepare('insert into device_config (id, config, updated_at) values (1, ?, ?)').run(JSON.stringify(deviceConfigSchema.parse(options.devices)), TEST_NOW.toISOString());
    db.close();
  }
  const { onDevices, cloudFetch } = options;
  const open = () =>
    openCore({
      dataDir,
      now,
      ...(cloudFetch ? { fetch: cloudFetch } : {}),
      ...(onDevices ? { buildDevices: (config, ctx) => buildDevices(config, ctx).then((d) => (onDevices(d), d)) } : {}),
    });
  let core = await open();
  const owner = await core.call('auth/login', { staffId: (await core.call('auth/staff', {}))[0]!.id, pin: PINS.owner });
  const manager = await core.call('staff/create', { name: 'Manager Meera', role: 'manager', pin: PINS.manager });
  const frontdesk = await core.call('staff/create', { name: 'Desk Deepak', role: 'frontdesk', pin: PINS.frontdesk });
  const staffIds = { owner: owner.id, manager: manager.id, frontdesk: frontdesk.id };
  if (cloudFetch) {
    const { gym, branch, deviceId } = await core.call('desk/info', {});
    await core.close();
    const store = await openStore(dataDir);
    saveLink(store, { cloudUrl: TEST_CLOUD_URL, deviceId, gymId: gym.id, branchId: branch.id, deskCode: 'D1', privateKeyPem: generateDeskKey().privateKeyPem }, TEST_NOW.toISOString());
    await store.close();
    core = await open();
    await core.call('auth/login', { staffId: owner.id, pin: PINS.owner });
  }
  const connections: BetterSqlite3.Database[] = [];
  const sqlite = () => {
    const db = new BetterSqlite3(join(dataDir, DB_FILE));
    connections.push(db);
    return db;
  };
  const desk: TestDesk = {
    core,
    dataDir,
    clock,
    staffIds,
    loginAs: async (role) => void (await core.call('auth/login', { staffId: staffIds[role], pin: PINS[role] })),
    sqlite,
    count(table) {
      const db = connections[0] ?? sqlite();
      return (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    },
    async createMember(input = {}) {
      const member = await core.call('members/create', { fullName: 'Priya Sharma', phone: nextPhone(), ...input });
      return { id: member.id, code: member.code };
    },
    async createPlan(input = {}) {
      return (await core.call('plans/create', { ...monthlyPlan, ...input })).id;
    },
    async memberWithMembership(term) {
      const member = await desk.createMember();
      await desk.loginAs('manager');
      const plan = await core.call('plans/create', monthlyPlan);
      const start = term === 'expired' ? { start: '2026-09-01' } : {};
      await core.call('memberships/sell', { memberId: member.id, planId: plan.id, ...start, payment: { method: 'cash', amountPaise: plan.pricePaise } });
      return member;
    },
    async close() {
      for (const db of connections) db.close();
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return desk;
}
