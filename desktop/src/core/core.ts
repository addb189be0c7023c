import { AppError, ErrorCode, errors, isAppError, issuesFromZod } from '@gymstack/shared';
import type { z } from 'zod';
import { authorize } from './access.js';
import { startBackups } from './backup.js';
import { Context } from './context.js';
import { type DeskEvent, type DeskReply, type HandlerArgs, type HandlerInput, type HandlerName, type HandlerResult, deskApi, isHandlerName } from './contract.js';
import type { Store } from './db/store.js';
import { loadDesk } from './desk.js';
import { NameVocabulary } from './domain/vocabulary.js';
import { Events } from './events.js';
import { type DeskHandlerName, handlers } from './handlers/index.js';
import type { Handler } from './handlers/types.js';
import { type CoreOptions, openStore } from './init.js';
import { loadDeskSecret } from './devices/desk-secret.js';
import { readDeviceConfig } from './devices/config.js';
import { buildDevices } from './devices/drivers.js';
import { type GymKeys, gymKeysFromWire, makeGymKeys, readGymKeys, saveGymKeys } from './devices/gym-keys.js';
import { type BuildDevices, DeviceHub } from './devices/hub.js';
import { SyncEngine } from './sync/engine.js';
import { pairDesk } from './sync/pair.js';

export interface Core {
  /** For transports: never throws; every failure comes back as `{ ok: false, error: { code, message } }`. */
  dispatch(name: string, args: unknown): Promise<DeskReply>;
  /** Typed, for in-process callers; throws AppError. */
  call<N extends HandlerName>(name: N, args: HandlerArgs<N>): Promise<HandlerResult<N>>;
  /** 'checkin' after every check-in, 'changed' after writes, 'session' on login and logout. */
  onEvent(listener: (e: DeskEvent) => void): () => void;
  close(): Promise<void>;
}

type Schemas = { input: z.ZodType; output: z.ZodType };

/** How long `setup/pair` waits for the first download before answering; the download goes on after. */
const FIRST_SYNC_WAIT_MS = 120_000;
/** A paired desk without the gym's keys asks the cloud again this often until it has them. */
const KEYS_RETRY_MS = 30_000;

class DeskCore implements Core {
  #ctx: Context | null = null;
  #backups: { stop(): Promise<void> } | null = null;
  /** A paired desk's first download under way (the desk is set up once it completes). */
  #engine: SyncEngine | null = null;
  #keysTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    private readonly events: Events,
    private readonly options: Required<Pick<CoreOptions, 'dataDir' | 'now'>> & Pick<CoreOptions, 'fetch'> & { secret: Buffer; buildDevices: BuildDevices },
  ) {}

  /** Opens the desk if it is set up; a paired desk still downloading becomes ready when that ends. */
  open(): void {
    const engine = this.#openEngine();
    if (loadDesk(this.store)) {
      this.#ready(engine);
    } else if (engine) {
      void this.#download(engine);
    }
  }

  /** A paired desk's first download: the desk opens (becomes ready) when every table has arrived. */
  #download(engine: SyncEngine): Promise<void> {
    this.#engine = engine;
    engine.start();
    return engine.whenSynced().then(() => this.#ready(engine));
  }

  async dispatch(name: string, args: unknown): Promise<DeskReply> {
    try {
      return { ok: true, data: await this.#execute(name, args) };
    } catch (error) {
      if (isAppError(error)) return { ok: false, error: error.toPayload() };
      // The stack stays here; the caller learns only that nothing was saved.
      console.error(`desk handler ${name} failed`, error);
      return { ok: false, error: errors.internal().toPayload() };
    }
  }

  call<N extends HandlerName>(name: N, args: HandlerArgs<N>): Promise<HandlerResult<N>> {
    return this.#execute(name, args) as Promise<HandlerResult<N>>;
  }

  onEvent(listener: (e: DeskEvent) => void): () => void {
    return this.events.on(listener);
  }

  async close(): Promise<void> {
    if (this.#keysTimer) clearTimeout(this.#keysTimer);
    await this.#ctx?.devices?.close();
    await (this.#ctx?.sync ?? this.#engine)?.close();
    await this.#backups?.stop();
    await this.store.close();
  }

  /** Session and role first, then the arguments, the handler, and its result against the contract. */
  async #execute(name: string, args: unknown): Promise<unknown> {
    if (!isHandlerName(name)) throw errors.unknownHandler(name);
    const schemas: Schemas = deskApi[name];
    const input = (): unknown => {
      const parsed = schemas.input.safeParse(args ?? {});
      if (!parsed.success) throw errors.validation(issuesFromZod(parsed.error.issues));
      return parsed.data;
    };
    let result: unknown;
    if (name === 'setup/status') {
      input();
      result = { setUp: this.#ctx !== null };
    } else if (name === 'setup/pair') {
      result = await this.#pair(input() as HandlerInput<'setup/pair'>);
    } else {
      const ctx = this.#ctx;
      if (!ctx) throw errors.notSetUp();
      const handler = handlers[name] as Handler<DeskHandlerName>;
      authorize(ctx, handler.access);
      if (handler.whenPaired === 'cloud' && ctx.sync) throw errors.doneInCloud();
      result = await handler.run(ctx, input() as never);
    }
    const output = schemas.output.safeParse(result);
    if (!output.success) throw new Error(`${name} returned a result outside its contract: ${output.error.message}`);
    return output.data;
  }

  /** First run: pairs with the cloud, then waits for the gym to download before the desk opens. */
  async #pair(input: HandlerInput<'setup/pair'>): Promise<HandlerResult<'setup/pair'>> {
    if (this.#ctx) throw errors.conflict('This desk is already set up');
    if (this.#engine) throw errors.conflict('This desk is already paired and is downloading its gym');
    const link = await pairDesk(this.store, input, this.options.now, this.options.fetch);
    const engine = this.#openEngine();
    if (!engine) throw new Error('Pairing left no link behind');
    // Past the wait, the download goes on and still opens the desk when it ends.
    const downloaded = this.#download(engine);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AppError(ErrorCode.Unavailable, 'Paired, but the download is slow: it goes on, and the desk opens when it is done')), FIRST_SYNC_WAIT_MS);
    });
    try {
      await Promise.race([downloaded, timeout]);
    } finally {
      clearTimeout(timer);
    }
    const desk = this.#ctx as Context | null;
    if (!desk) throw new Error('The first download finished without the desk settings');
    return { gymName: desk.desk.gym.name, branchName: desk.desk.branch.name, deskCode: link.deskCode };
  }

  #openEngine(): SyncEngine | null {
    return SyncEngine.open({
      store: this.store,
      events: this.events,
      clock: this.options.now,
      onDeskChanged: () => this.#ctx?.reloadDesk(),
      ...(this.options.fetch ? { fetchImpl: this.options.fetch } : {}),
    });
  }

  #ready(engine: SyncEngine | null): void {
    if (this.#ctx) return;
    const desk = loadDesk(this.store);
    if (!desk) throw new Error('The desk is not set up');
    const { store } = this;
    const vocabulary = new NameVocabulary(() =>
      store.all(store.db.selectFrom('members').select('full_name').where('deleted_at', 'is', null)).map((r) => r.full_name),
    );
    const ctx = new Context(store, this.options.now, this.events, vocabulary, desk);
    ctx.sync = engine;
    this.#engine = null;
    this.#ctx = ctx;
    engine?.start();
    this.#backups = startBackups(store.sqlite, this.options.dataDir, () => ctx.today());
    ctx.gymKeys = this.#gymKeys(engine, ctx);
    ctx.devices = new DeviceHub(ctx, readDeviceConfig(store), this.options.buildDevices);
    void ctx.devices.start().catch((error: unknown) => console.error('devices failed to start', error));
  }

  /**
   * The gym's template and pass keys: kept sealed here; a standalone desk makes its own, a paired desk
   * asks the cloud (again and again while offline) and loads its reader once they arrive.
   */
  #gymKeys(engine: SyncEngine | null, ctx: Context): GymKeys | null {
    const { store } = this;
    const { secret } = this.options;
    const kept = readGymKeys(store, secret);
    if (kept) return kept;
    if (!engine) {
      const made = makeGymKeys();
      saveGymKeys(store, secret, made);
      return made;
    }
    const fetchKeys = () => {
      this.#keysTimer = null;
      engine.api
        .gymKeys()
        .then((wire) => {
          const keys = gymKeysFromWire(wire);
          saveGymKeys(store, secret, keys);
          ctx.gymKeys = keys;
          ctx.devices?.keysArrived();
        })
        .catch(() => {
          this.#keysTimer = setTimeout(fetchKeys, KEYS_RETRY_MS);
        });
    };
    fetchKeys();
    return null;
  }
}

/**
 * Opens the desk: migrates the database, and for a set-up desk caches its state, starts sync (when
 * paired) and daily backups. A desk that is not set up answers only the first-run handlers
 * (`setup/status`, `setup/pair`) until it is paired and its gym has downloaded.
 */
export async function openCore({ dataDir, now = () => new Date(), sqliteBinding, fetch, deskSecret, buildDevices: build = buildDevices }: CoreOptions): Promise<Core> {
  const store = await openStore(dataDir, sqliteBinding);
  const secret = loadDeskSecret(dataDir, deskSecret);
  const core = new DeskCore(store, new Events(), { dataDir, now, fetch, secret, buildDevices: build });
  core.open();
  return core;
}
