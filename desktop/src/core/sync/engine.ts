import { AppError, ErrorCode, SYNC_SCHEMA_VERSION, isAppError } from '@gymstack/shared';
import type { SyncStatus } from '../contract.js';
import type { Store } from '../db/store.js';
import type { Events } from '../events.js';
import type { ChangedEntity } from '../write.js';
import { type ShapeBatch, applyBatch } from './apply.js';
import { CloudApi } from './cloud-api.js';
import { type SyncLink, readLink } from './link.js';
import { ackedSeq, nextBatch, pendingCount, pendingRowIds, recordPushResponse } from './outbox.js';
import { SYNCED_TABLES, type SyncedTable } from './tables.js';
import { TableStream } from './table-stream.js';

/** Push retries back off from 1 s to this (the Electric client's own cap), with full jitter. */
const PUSH_BACKOFF_MAX_MS = 32_000;
/** Even with nothing new written, the outbox is looked at this often (a retry after a failure, a clock). */
const PUSH_IDLE_MS = 15_000;

export interface SyncEngineOptions {
  store: Store;
  events: Events;
  clock: () => Date;
  /** Gym, branch or this desk's settings changed through sync: re-read the cached desk state. */
  onDeskChanged?: () => void;
  fetchImpl?: typeof fetch;
}

/** Codes after which pushing again cannot help until someone acts (update the app, re-pair the desk). */
const blocking = new Set<string>([ErrorCode.SchemaVersionMismatch, ErrorCode.Unauthenticated, ErrorCode.Forbidden, ErrorCode.UnknownMutation, ErrorCode.ValidationError]);

/**
 * The desk's side of sync (DESIGN 6). Up: the outbox is pushed in batches, in seq order, whenever a
 * write lands and after every failure with backoff and jitter; the cloud's acknowledgement and any
 * rejections are stored in one transaction, so a restart resumes exactly where it stopped. Down: one
 * ShapeStream per synced table (TableStream). The outbox is drained once before the tables are read,
 * so a desk coming back from days offline sends its changes before the cloud's overwrite its screens.
 */
export class SyncEngine {
  readonly api: CloudApi;
  readonly #link: SyncLink;
  readonly #options: SyncEngineOptions;
  readonly #streams: TableStream[];
  readonly #upToDate = new Set<string>();
  readonly #streamErrors = new Map<string, Error>();
  /** Failed streams already told to reconnect now, since the cloud answered a push. */
  readonly #reconnecting = new Set<string>();
  #status: SyncStatus;
  #pushing: Promise<void> | null = null;
  #again = false;
  #timer: NodeJS.Timeout | null = null;
  #failures = 0;
  #pushError: AppError | null = null;
  #started = false;
  #closed = false;
  #unsubscribe: (() => void) | null = null;
  #waiters: { check: () => boolean; resolve: () => void }[] = [];

  constructor(link: SyncLink, options: SyncEngineOptions) {
    this.#link = link;
    this.#options = options;
    this.api = new CloudApi(link.cloudUrl, { deviceId: link.deviceId, privateKeyPem: link.privateKeyPem }, options.fetchImpl, () => options.clock().getTime());
    this.#streams = SYNCED_TABLES.map(
      (table) =>
        new TableStream(
          options.store,
          link.cloudUrl,
          table,
          {
            token: () => this.api.token(),
            tokenRefused: () => this.api.dropToken(),
            apply: (batch) => this.#apply(batch),
            report: (t, error) => this.#report(t, error),
          },
          options.fetchImpl,
        ),
    );
    this.#status = { state: 'connecting', cloudUrl: link.cloudUrl, pending: 0, rejected: 0, lastSyncedAt: link.lastSyncedAt, error: null };
  }

  /** Opens the engine of a paired desk, or null for a standalone one. */
  static open(options: SyncEngineOptions): SyncEngine | null {
    const link = readLink(options.store);
    return link ? new SyncEngine(link, options) : null;
  }

  get link(): SyncLink {
    return this.#link;
  }

  status(): SyncStatus {
    return { ...this.#status, ...this.#counts() };
  }

  /** Starts pushing and, once the outbox has been drained (or the cloud is unreachable), reading. */
  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    this.#unsubscribe = this.#options.events.on((event) => {
      if (event.type === 'checkin' || event.type === 'changed') this.kick();
    });
    void this.#drain().finally(() => {
      if (this.#closed) return;
      for (const stream of this.#streams) stream.start();
    });
  }

  /** Something was written: push soon. Concurrent kicks fold into one more round. */
  kick(): void {
    if (!this.#started || this.#closed || pendingCount(this.#options.store) === 0) return;
    if (this.#pushing) {
      this.#again = true;
      return;
    }
    this.#schedule(0);
  }

  /** Resolves once every table has been up to date at least once since start (the first sync). */
  whenSynced(): Promise<void> {
    return this.#until(() => this.#upToDate.size === this.#streams.length);
  }

  /** Resolves once the outbox is empty as far as the cloud is concerned (for tests and the demo). */
  whenPushed(): Promise<void> {
    return this.#until(() => pendingCount(this.#options.store) === 0);
  }

  /** Re-reads `tables` (every table by default) from a fresh snapshot; pending local rows are kept. */
  refetch(tables?: readonly string[]): void {
    for (const stream of this.#streams) if (!tables || tables.includes(stream.table.shape)) {
      this.#upToDate.delete(stream.table.shape);
      stream.start(true);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#unsubscribe?.();
    if (this.#timer) clearTimeout(this.#timer);
    for (const stream of this.#streams) stream.close();
    await this.#pushing;
  }

  #schedule(delay: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#drain();
    }, delay);
  }

  /** Pushes until the outbox is empty, the cloud is unreachable, or it refuses to go on. */
  #drain(): Promise<void> {
    this.#pushing ??= this.#pushAll().finally(() => {
      this.#pushing = null;
      if (this.#closed) return;
      if (this.#again) {
        this.#again = false;
        this.#schedule(0);
      } else if (!this.#timer) {
        const wait = this.#failures === 0 ? PUSH_IDLE_MS : Math.random() * Math.min(PUSH_BACKOFF_MAX_MS, 1000 * 2 ** (this.#failures - 1));
        this.#schedule(wait);
      }
    });
    return this.#pushing;
  }

  async #pushAll(): Promise<void> {
    const { store, clock } = this.#options;
    for (;;) {
      if (this.#closed) return;
      const after = ackedSeq(store);
      const entries = nextBatch(store, after);
      if (entries.length === 0) {
        this.#pushed(null);
        return;
      }
      try {
        const response = await this.api.push({ deviceId: this.#link.deviceId, schemaVersion: SYNC_SCHEMA_VERSION, entries });
        recordPushResponse(store, entries, response, clock().toISOString());
        if (response.stopped && response.stopped.code !== ErrorCode.SeqGap) {
          throw new AppError(response.stopped.code, `Change ${response.stopped.seq} was not taken: ${response.stopped.message}`);
        }
        // Settles (and tells the windows) after each batch, so the pending count falls as it drains.
        this.#pushed(null);
        this.#reconnectStreams();
      } catch (error) {
        this.#failures++;
        this.#pushed(isAppError(error) ? error : new AppError(ErrorCode.Internal, String(error)));
        return;
      }
    }
  }

  #pushed(error: AppError | null): void {
    this.#pushError = error;
    if (!error) this.#failures = 0;
    this.#settle();
  }

  /** The cloud answered (a push, or another table's stream): streams waiting out a backoff after an outage reconnect now. */
  #reconnectStreams(): void {
    for (const stream of this.#streams) {
      const shape = stream.table.shape;
      if (!this.#streamErrors.has(shape) || this.#reconnecting.has(shape)) continue;
      this.#reconnecting.add(shape);
      stream.start();
    }
  }

  #apply(batch: ShapeBatch): boolean {
    const { store, clock, events, onDeskChanged } = this.#options;
    const pending = batch.snapshot ? pendingRowIds(store) : new Set<string>();
    const applied = applyBatch(store, this.#link, batch, pending, clock().toISOString());
    if (applied.entities.has('gym') || applied.entities.has('settings')) onDeskChanged?.();
    if (applied.entities.size > 0) events.emit({ type: 'changed', entities: [...applied.entities] as ChangedEntity[] });
    return applied.refetch;
  }

  #report(table: SyncedTable, error: Error | null): void {
    if (error) {
      this.#streamErrors.set(table.shape, error);
    } else {
      this.#streamErrors.delete(table.shape);
      this.#reconnecting.delete(table.shape);
      this.#upToDate.add(table.shape);
      // The cloud answers again: a push or another table waiting out its backoff need not wait any longer.
      if (this.#pushError) this.kick();
      this.#reconnectStreams();
    }
    this.#settle();
  }

  /** Works out the state after any event, stamps a completed sync, tells the windows and the waiters. */
  #settle(): void {
    const pushError = this.#pushError;
    const streamError = [...this.#streamErrors.values()][0];
    let state: SyncStatus['state'];
    let error: SyncStatus['error'] = null;
    if (pushError && blocking.has(pushError.code)) {
      state = 'error';
      error = { code: pushError.code, message: pushError.message };
    } else if (pushError || streamError) {
      state = 'offline';
      const failure = pushError ?? streamError;
      error = { code: isAppError(failure) ? failure.code : ErrorCode.Unavailable, message: failure?.message ?? 'The cloud cannot be reached' };
    } else {
      state = this.#upToDate.size === this.#streams.length ? 'online' : 'connecting';
    }
    let { lastSyncedAt } = this.#status;
    if (state === 'online' && pendingCount(this.#options.store) === 0) {
      lastSyncedAt = this.#options.clock().toISOString();
      this.#options.store.run(this.#options.store.db.updateTable('sync_link').set({ last_synced_at: lastSyncedAt }));
    }
    this.#status = { ...this.#status, state, error, lastSyncedAt };
    this.#emit();
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.check()) return true;
      w.resolve();
      return false;
    });
  }

  #emit(): void {
    this.#options.events.emit({ type: 'sync', status: this.status() });
  }

  #counts(): Pick<SyncStatus, 'pending' | 'rejected'> {
    const { store } = this.#options;
    const rejected = store.first(store.db.selectFrom('sync_rejections').select((eb) => eb.fn.countAll<number>().as('n')).where('resolved_at', 'is', null));
    return { pending: pendingCount(store), rejected: Number(rejected?.n ?? 0) };
  }

  #until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ check, resolve }));
  }
}
