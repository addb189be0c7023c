import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { errors, fields, gymSchema, issuesFromZod, pin } from '@gymstack/shared';
import { v7 as uuid } from 'uuid';
import { z } from 'zod';
import { type Settings, settingsSchema } from './contract.js';
import { Context } from './context.js';
import { Store } from './db/store.js';
import { type DeskState, loadDesk } from './desk.js';
import type { BuildDevices } from './devices/hub.js';
import { hashPin } from './domain/pin.js';
import { NameVocabulary } from './domain/vocabulary.js';
import { Events } from './events.js';
import { write } from './write.js';

export interface CoreOptions {
  /** Folder holding the desk database and its backups. */
  dataDir: string;
  /** Injectable clock, for tests. */
  now?: () => Date;
  /** A better-sqlite3 native build for the runtime hosting the core, when that is not this Node. */
  sqliteBinding?: string;
  /** How sync reaches the cloud (tests route it through a proxy); global fetch by default. */
  fetch?: typeof fetch;
  /** The desk's own secret, from Electron's safeStorage; browser mode keeps it in a 0600 key file instead. */
  deskSecret?: Buffer;
  /** Which drivers a device configuration starts; the real ones and the simulators by default. */
  buildDevices?: BuildDevices;
}

export const DB_FILE = 'desk.sqlite';

export function openStore(dataDir: string, sqliteBinding?: string): Promise<Store> {
  mkdirSync(dataDir, { recursive: true });
  return Store.open(join(dataDir, DB_FILE), sqliteBinding);
}

/** First member code handed out is GS1001. */
const FIRST_MEMBER_CODE_SEQ = 1000;

const defaultSettings: Omit<Settings, 'invoicePrefix'> = {
  antiPassbackMinutes: 5,
  autoCheckoutHours: 4,
  duesBlockPaise: null,
  graceDays: 3,
  expiringWithinDays: 7,
};

export const deskSetupSchema = z.object({
  gym: gymSchema.omit({ id: true }).extend({
    timeZone: z.string().min(1).default('Asia/Kolkata'),
    currency: z.string().length(3).default('INR'),
    locale: z.string().min(2).default('en-IN'),
    gstin: gymSchema.shape.gstin.default(null),
    phone: z.string().nullable().default(null),
  }),
  branch: z.object({ name: fields.nonEmpty('Branch name'), address: z.string().max(400).nullable().default(null) }),
  owner: z.object({ name: fields.nonEmpty('Name'), pin }),
  deviceId: fields.id.optional(),
  invoicePrefix: settingsSchema.shape.invoicePrefix.default('D1'),
  settings: settingsSchema.omit({ invoicePrefix: true }).partial().default({}),
});
export type DeskSetup = z.input<typeof deskSetupSchema>;

/**
 * First-run bootstrap of an empty desk: gym, branch, this device, its settings and the owner.
 * Refuses (CONFLICT) a desk that is already set up; deciding whether to call it is the caller's job.
 */
export async function initDesk(options: CoreOptions & DeskSetup): Promise<DeskState> {
  const parsed = deskSetupSchema.safeParse(options);
  if (!parsed.success) throw errors.validation(issuesFromZod(parsed.error.issues));
  const setup = parsed.data;
  const store = await openStore(options.dataDir);
  try {
    if (loadDesk(store)) throw errors.conflict('This desk is already set up');
    const clock = options.now ?? (() => new Date());
    const gymId = uuid();
    const desk: DeskState = {
      gym: { ...setup.gym, id: gymId },
      branch: { id: uuid(), gymId, name: setup.branch.name, address: setup.branch.address },
      deviceId: setup.deviceId ?? uuid(),
      settings: { ...defaultSettings, ...setup.settings, invoicePrefix: setup.invoicePrefix },
      deskCode: null,
    };
    const owner = { id: uuid(), name: setup.owner.name, pinHash: await hashPin(setup.owner.pin) };
    const ctx = new Context(store, clock, new Events(), new NameVocabulary(() => []), desk);
    write(ctx, [], () => {
      const now = clock().toISOString();
      const stamps = { created_at: now, updated_at: now, deleted_at: null };
      const { gym, branch, settings } = desk;
      const tenant = { gym_id: gymId, ...stamps };
      store.run(
        store.db.insertInto('gym').values({
          id: gymId,
          name: gym.name,
          legal_name: gym.legalName,
          gstin: gym.gstin,
          address: gym.address,
          state_code: gym.stateCode,
          phone: gym.phone,
          time_zone: gym.timeZone,
          currency: gym.currency,
          locale: gym.locale,
          ...stamps,
        }),
      );
      store.run(store.db.insertInto('branches').values({ id: branch.id, name: branch.name, address: branch.address, ...tenant }));
      store.run(store.db.insertInto('devices').values({ id: desk.deviceId, branch_id: branch.id, name: 'Front desk', ...tenant }));
      store.run(
        store.db.insertInto('settings').values({
          id: desk.deviceId,
          device_id: desk.deviceId,
          branch_id: branch.id,
          anti_passback_minutes: settings.antiPassbackMinutes,
          auto_checkout_hours: settings.autoCheckoutHours,
          dues_block_paise: settings.duesBlockPaise,
          grace_days: settings.graceDays,
          expiring_within_days: settings.expiringWithinDays,
          invoice_prefix: settings.invoicePrefix,
          member_code_seq: FIRST_MEMBER_CODE_SEQ,
          ...tenant,
        }),
      );
      store.run(
        store.db
          .insertInto('staff')
          .values({ id: owner.id, name: owner.name, role: 'owner', pin_hash: owner.pinHash, active: 1, failed_pins: 0, locked_until: null, ...tenant }),
      );
      return { result: null, audit: { action: 'desk.init', entity: 'gym', entityId: gymId, summary: `Set up ${gym.name}, ${branch.name}` } };
    });
    return desk;
  } finally {
    await store.close();
  }
}
