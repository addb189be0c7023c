/**
 * The demo desk: Iron Temple Fitness, Pune. Deterministic (a seeded PRNG) and parametrised by counts,
 * so `npm start` gets 300 members and the benchmark 50,000 members with 2,000,000 check-ins.
 *
 * Members, sales, payments and freezes go through the handlers themselves (with a movable clock,
 * in time order, inside one transaction), so they are exactly what the desk would have written,
 * invoice numbers included. Only the bulk check-in history is inserted directly, through one
 * prepared statement with the check-in handler's columns.
 */
import {
  type Checkin,
  type LocalDate,
  type Plan,
  type PlanInput,
  type PaymentInput,
  addDays,
  compareLocalDate,
  localDateAt,
  localTimeAt,
  normalizePhone,
  termEnd,
} from '@gymstack/shared';
import { v7 as uuid } from 'uuid';
import { type DeviceConfig, type HandlerInput, type HandlerResult, deviceConfigSchema } from '../contract.js';
import { saveDeviceConfig } from '../devices/config.js';
import { Context } from '../context.js';
import { toPlan } from '../db/rows.js';
import { loadDesk } from '../desk.js';
import { NameVocabulary } from '../domain/vocabulary.js';
import { Events } from '../events.js';
import { type DeskHandlerName, handlers } from '../handlers/index.js';
import { type CoreOptions, initDesk, openStore } from '../init.js';
import { appendOutbox } from '../write.js';
import { femaleNames, maleNames, mobilePrefixes, surnames } from './names.js';

export const DEMO_PINS = { owner: '1111', manager: '2222', frontdesk: '3333' } as const;

/**
 * The demo drives every device on its simulator (DESIGN 7): a reader, a QR scanner, a door relay, and
 * the desk's own MQTT broker on this PC only, at a free port (the machine may run a broker on 1883).
 */
export const DEMO_DEVICES: DeviceConfig = deviceConfigSchema.parse({
  fingerprint: { kind: 'simulator' },
  scanner: { kind: 'simulator' },
  door: { kind: 'simulator' },
  mqtt: { kind: 'embedded', host: '127.0.0.1', port: 0 },
});

export interface SeedOptions extends CoreOptions {
  members?: number;
  /** At least `members`: each member has one membership, some a renewal too. */
  memberships?: number;
  checkins?: number;
  /** Days of history. */
  days?: number;
  seed?: number;
  /**
   * Sets the desk up by pairing it with a cloud that already holds the demo gym (DEMO_GYM), its staff
   * with the demo PINs and its plans (demoPlanInputs); the history then syncs up like any desk's work.
   * Without it the desk is set up standalone, with the same gym, staff and plans.
   */
  pair?: (dataDir: string) => Promise<void>;
}

export interface SeedReport {
  seeded: boolean;
  members: number;
  memberships: number;
  checkins: number;
}

const TIME_ZONE = 'Asia/Kolkata';

/** mulberry32: small, fast and deterministic. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return { next, int, pick };
}

const demoPlans = [
  { key: 'monthly', name: 'Monthly', months: 1, pricePaise: 150_000, maxFreezeDays: 7, hours: null },
  { key: 'quarterly', name: 'Quarterly', months: 3, pricePaise: 400_000, maxFreezeDays: 15, hours: null },
  { key: 'halfYearly', name: 'Half-yearly', months: 6, pricePaise: 700_000, maxFreezeDays: 30, hours: null },
  { key: 'annual', name: 'Annual', months: 12, pricePaise: 1_200_000, maxFreezeDays: 45, hours: null },
  { key: 'morning', name: 'Morning Monthly', months: 1, pricePaise: 100_000, maxFreezeDays: 7, hours: [{ from: '05:30', to: '11:00' }] },
] as const;
type PlanKey = (typeof demoPlans)[number]['key'];

/** The demo plans as a desk or the cloud API takes them. */
export const demoPlanInputs = (): PlanInput[] =>
  demoPlans.map((p) => ({
    name: p.name,
    duration: { unit: 'months', count: p.months },
    pricePaise: p.pricePaise,
    taxInclusive: true,
    gstRateBps: 1800,
    sac: '999723',
    access: { allowedBranchIds: null, hours: p.hours === null ? null : [...p.hours] },
    maxFreezeDays: p.maxFreezeDays,
    ptSessions: 0,
  }));

/** The demo gym, its branch and its people, for a standalone desk and for the demo cloud alike. */
export const DEMO_GYM = {
  gym: {
    name: 'Iron Temple Fitness',
    legalName: 'Iron Temple Fitness Private Limited',
    gstin: '27AAJCI1234F1Z5',
    address: 'Shop 4, Sai Heights, Baner Road, Baner, Pune, Maharashtra 411045',
    stateCode: '27',
    phone: '+912027291234',
    timeZone: TIME_ZONE,
  },
  branch: { name: 'Baner', address: 'Baner Road, Pune 411045' },
  staff: [
    { name: 'Rajesh Patil', role: 'owner', pin: DEMO_PINS.owner },
    { name: 'Sunita Kulkarni', role: 'manager', pin: DEMO_PINS.manager },
    { name: 'Amit Jadhav', role: 'frontdesk', pin: DEMO_PINS.frontdesk },
  ],
} as const;

type Scenario = 'active' | 'expired' | 'expiring' | 'frozen' | 'dues' | 'pending';

interface Span {
  start: LocalDate;
  end: LocalDate;
  freeze: { from: LocalDate; to: LocalDate } | null;
}

/** An instant on a local date in Kolkata (fixed +05:30, no DST), `minute` minutes after midnight. */
const instantOn = (date: LocalDate, minute: number) =>
  new Date(`${date}T${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00+05:30`);

/**
 * Seeds an empty desk with the demo gym; does nothing on a desk that is already set up, demo or
 * real, so it is safe to call on every start.
 */
export async function seedDemo(options: SeedOptions): Promise<SeedReport> {
  const { dataDir, members: memberCount = 300, days = 60, seed = 20_261_121 } = options;
  const membershipCount = Math.max(memberCount, options.memberships ?? Math.round(memberCount * 1.2));
  const checkinCount = options.checkins ?? memberCount * 25;
  const realNow = options.now ?? (() => new Date());

  const probe = await openStore(dataDir);
  const existing = loadDesk(probe);
  await probe.close();
  if (existing) return { seeded: false, members: 0, memberships: 0, checkins: 0 };

  const [owner, ...team] = DEMO_GYM.staff;
  if (options.pair) await options.pair(dataDir);
  else await initDesk({ dataDir, now: realNow, gym: DEMO_GYM.gym, branch: DEMO_GYM.branch, owner, invoicePrefix: 'ITF1' });

  const store = await openStore(dataDir);
  try {
    const desk = loadDesk(store);
    if (!desk) throw new Error('Demo desk vanished after set-up');
    let clock = realNow();
    const now = realNow();
    const ctx = new Context(store, () => clock, new Events(), new NameVocabulary(() => []), desk);
    const run = <N extends DeskHandlerName>(name: N, input: HandlerInput<N>): HandlerResult<N> => {
      const result = handlers[name].run(ctx, input);
      if (result instanceof Promise) throw new Error(`${name} is asynchronous and cannot run inside the seed transaction`);
      return result;
    };

    if (!options.pair) {
      // A standalone desk makes its own team and plans; a paired one got them from the cloud.
      const ownerRow = store.first(store.db.selectFrom('staff').select(['id', 'name']).where('role', '=', 'owner'));
      if (!ownerRow) throw new Error('Demo owner missing');
      ctx.session = { ...ownerRow, role: 'owner', active: true };
      for (const person of team) await handlers['staff/create'].run(ctx, person);
      store.transaction(() => demoPlanInputs().forEach((plan) => run('plans/create', plan)));
    }
    const frontdesk = store.first(store.db.selectFrom('staff').select(['id', 'name', 'role']).where('role', '=', 'frontdesk').where('deleted_at', 'is', null));
    if (!frontdesk) throw new Error('Demo front-desk staff missing');
    ctx.session = { ...frontdesk, active: true };

    const random = prng(seed);
    const today = localDateAt(now, TIME_ZONE);
    const [hour = 0, minute = 0] = localTimeAt(now, TIME_ZONE).split(':').map(Number);
    const nowMinute = hour * 60 + minute;
    /** A random opening-hours instant `daysAgo` days back, never in the future. */
    const momentOn = (daysAgo: number): Date => {
      const date = addDays(today, -daysAgo);
      const latest = daysAgo === 0 ? Math.min(21 * 60, nowMinute - 1) : 21 * 60;
      return latest < 6 * 60 ? instantOn(addDays(date, -1), random.int(6 * 60, 21 * 60)) : instantOn(date, random.int(6 * 60, latest));
    };

    type Event = { at: Date; apply: () => void };
    const events: Event[] = [];
    const memberIds: string[] = [];
    const spans: Span[][] = [];
    const usedPhones = new Set<string>();
    const payment = (amountPaise: number): PaymentInput => {
      const r = random.next();
      if (r < 0.5) return { method: 'cash', amountPaise };
      if (r < 0.9) return { method: 'upi_offline', amountPaise, reference: String(random.int(100_000_000_000, 999_999_999_999)) };
      return { method: 'card_terminal', amountPaise, reference: `TXN${random.int(100_000, 999_999)}` };
    };

    let extraMemberships = membershipCount - memberCount;
    store.transaction(() => {
      const byName = new Map(store.all(store.db.selectFrom('plans').selectAll().where('deleted_at', 'is', null)).map((row) => [row.name, toPlan(row)]));
      const plans = Object.fromEntries(
        demoPlans.map((p) => {
          const plan = byName.get(p.name);
          if (!plan) throw new Error(`Demo plan ${p.name} missing`);
          return [p.key, plan];
        }),
      ) as Record<PlanKey, Plan>;

      for (let i = 0; i < memberCount; i++) {
        const female = random.next() < 0.45;
        const first = random.pick(female ? femaleNames : maleNames);
        const last = random.pick(surnames);
        let phone: string | null = null;
        while (phone === null || usedPhones.has(phone)) {
          phone = normalizePhone(`+91${random.pick(mobilePrefixes)}${String(random.int(0, 99_999_999)).padStart(8, '0')}`);
        }
        usedPhones.add(phone);
        // The first two members were born on this day, so the dashboard always has birthdays.
        const birthYear = random.int(1970, 2006);
        const dateOfBirth = i < 2 ? `${birthYear}${today.slice(4)}`.replace(/^(\d{4})-02-29$/, '$1-02-28') : `${birthYear}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;

        const r = random.next();
        const scenario: Scenario = r < 0.12 ? 'expired' : r < 0.2 ? 'expiring' : r < 0.25 ? 'frozen' : r < 0.35 ? 'dues' : r < 0.37 ? 'pending' : 'active';
        const planKey: PlanKey =
          scenario === 'expired' || scenario === 'expiring' ? 'monthly' : scenario === 'frozen' ? 'quarterly' : random.pick(['monthly', 'quarterly', 'halfYearly', 'annual', 'morning'] as const);
        const plan = plans[planKey];
        const mySpans: Span[] = [];
        spans.push(mySpans);

        // When the current term is sold and from which day it runs.
        let soldDaysAgo: number;
        let start: LocalDate | undefined;
        if (scenario === 'expired') soldDaysAgo = random.int(36, days);
        else if (scenario === 'expiring') soldDaysAgo = random.int(24, 29);
        else if (scenario === 'frozen') soldDaysAgo = random.int(20, Math.min(50, days));
        else if (scenario === 'pending') {
          soldDaysAgo = random.int(0, 3);
          start = addDays(today, random.int(1, 5));
        } else soldDaysAgo = planKey === 'monthly' || planKey === 'morning' ? random.int(0, 20) : random.int(0, days);
        const soldAt = momentOn(soldDaysAgo);

        const renewsEarlier = extraMemberships > 0 && scenario === 'active' && soldDaysAgo <= 20;
        if (renewsEarlier) extraMemberships--;
        const earlierAt = renewsEarlier ? momentOn(random.int(31, days)) : null;
        const joinedAt = new Date((earlierAt ?? soldAt).getTime() - 10 * 60_000);
        const index = i;

        events.push({
          at: joinedAt,
          apply: () => {
            const member = run('members/create', {
              fullName: `${first} ${last}`,
              phone,
              email: random.next() < 0.6 ? `${first}.${last}${index}`.toLowerCase().replace(/[^a-z0-9.]/g, '') + '@example.com' : null,
              dateOfBirth,
              gender: female ? 'female' : 'male',
              goal: random.pick(['weight_loss', 'muscle_gain', 'general_fitness', 'strength', 'endurance'] as const),
              source: random.pick(['walk_in', 'referral', 'instagram', 'google', 'flyer'] as const),
              stateCode: null,
            });
            memberIds[index] = member.id;
          },
        });

        const sell = (name: 'memberships/sell' | 'memberships/renew', planId: string, price: number, startOn?: LocalDate) => {
          const amount = scenario === 'dues' && name === 'memberships/sell' ? Math.round(price / 200) * 100 : price;
          const sale = run(name, { memberId: memberIds[index] as string, planId, discountPaise: 0, payment: payment(amount), ...(startOn ? { start: startOn } : {}) });
          mySpans.push({ start: sale.membership.start, end: sale.membership.end, freeze: null });
          return sale;
        };

        if (earlierAt) {
          const earlierStart = localDateAt(earlierAt, TIME_ZONE);
          events.push({ at: earlierAt, apply: () => void sell('memberships/sell', plans.monthly.id, plans.monthly.pricePaise, earlierStart) });
          // Renewed on the day the earlier term ended (or now, if that is still to come).
          const renewOn = termEnd(earlierStart, plans.monthly.duration);
          const renewAt = compareLocalDate(renewOn, today) < 0 ? instantOn(renewOn, random.int(7 * 60, 20 * 60)) : soldAt;
          events.push({ at: renewAt, apply: () => void sell('memberships/renew', plan.id, plan.pricePaise) });
        } else {
          const startOn = start ?? localDateAt(soldAt, TIME_ZONE);
          events.push({ at: soldAt, apply: () => void sell('memberships/sell', plan.id, plan.pricePaise, startOn) });
        }

        if (scenario === 'frozen') {
          const from = addDays(today, -random.int(1, 3));
          const to = addDays(from, 10);
          events.push({
            at: instantOn(from, 9 * 60),
            apply: () => {
              const span = mySpans[mySpans.length - 1];
              const sale = store.first(store.db.selectFrom('memberships').select('id').where('member_id', '=', memberIds[index] as string));
              if (!span || !sale) return;
              const frozen = run('memberships/freeze', { membershipId: sale.id, from, to, reason: 'Travelling' });
              span.end = frozen.end;
              span.freeze = { from, to };
            },
          });
        }
      }

      events.sort((a, b) => a.at.getTime() - b.at.getTime());
      for (const event of events) {
        clock = event.at;
        event.apply();
      }

      // Cards for most members: the door reader's credential.
      memberIds.forEach((memberId, i) => {
        if (i % 5 !== 4) run('cards/assign', { memberId, number: `04${(0x10000000 + i).toString(16).toUpperCase()}` });
      });

      insertCheckinHistory(ctx, { memberIds, spans, checkinCount, days, today, now, random, staffId: frontdesk.id });
      saveDeviceConfig(ctx, DEMO_DEVICES);
    });
    return { seeded: true, members: memberCount, memberships: membershipCount - extraMemberships, checkins: checkinCount };
  } finally {
    await store.close();
  }
}

/**
 * Check-in history, day by day in time order: each visit by a member who had joined by then, with
 * the verdict the door would have given (allow within a term, FROZEN, EXPIRED, NOT_STARTED), and a
 * few unknown cards. Columns as the check-in handler writes them.
 */
function insertCheckinHistory(
  ctx: Context,
  o: {
    memberIds: string[];
    spans: Span[][];
    checkinCount: number;
    days: number;
    today: LocalDate;
    now: Date;
    random: ReturnType<typeof prng>;
    staffId: string;
  },
): void {
  const insert = ctx.store.sqlite.prepare(
    `insert into checkins (id, gym_id, branch_id, member_id, method, verdict, reason, at, on_date, device_id, staff_id, created_at, updated_at, deleted_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null)`,
  );
  const { desk } = ctx;
  const { random } = o;
  const firstStart = o.spans.map((s) => s[0]?.start ?? o.today);
  const byJoin = o.memberIds.map((_, i) => i).sort((a, b) => compareLocalDate(firstStart[a] as string, firstStart[b] as string));
  const perDay = Math.ceil(o.checkinCount / (o.days + 1));
  let written = 0;
  let joined = 0;
  for (let daysAgo = o.days; daysAgo >= 0 && written < o.checkinCount; daysAgo--) {
    const date = addDays(o.today, -daysAgo);
    while (joined < byJoin.length && compareLocalDate(firstStart[byJoin[joined] as number] as string, date) <= 0) joined++;
    if (joined === 0) continue;
    const minutes = Array.from({ length: Math.min(perDay, o.checkinCount - written) }, () => random.int(5 * 60 + 30, 22 * 60)).sort((a, b) => a - b);
    for (const minute of minutes) {
      const at = instantOn(date, minute);
      if (at > o.now) break;
      const unknown = random.next() < 0.003;
      const index = byJoin[random.int(0, joined - 1)] as number;
      const span = o.spans[index]?.find((s) => compareLocalDate(s.start, date) <= 0 && compareLocalDate(date, s.end) <= 0);
      const frozen = span?.freeze && compareLocalDate(span.freeze.from, date) <= 0 && compareLocalDate(date, span.freeze.to) <= 0;
      const reason = unknown ? 'UNKNOWN_CREDENTIAL' : !span ? (compareLocalDate(date, firstStart[index] as string) < 0 ? 'NOT_STARTED' : 'EXPIRED') : frozen ? 'FROZEN' : null;
      const iso = at.toISOString();
      const checkin: Checkin = {
        id: uuid({ msecs: at.getTime() }),
        memberId: unknown ? null : (o.memberIds[index] as string),
        branchId: desk.branch.id,
        method: unknown ? 'card' : random.next() < 0.7 ? 'card' : 'manual',
        verdict: reason === null ? 'allow' : 'deny',
        reason,
        at: iso,
        deviceId: desk.deviceId,
        staffId: o.staffId,
      };
      const c = checkin;
      insert.run(c.id, desk.gym.id, c.branchId, c.memberId, c.method, c.verdict, c.reason, iso, date, c.deviceId, c.staffId, iso, iso);
      // Queued for the cloud like every check-in the desk records.
      appendOutbox(ctx, { name: 'checkins/create', args: checkin }, iso);
      written++;
    }
  }
}
