import { FetchError, type Message, type Row, ShapeStream, isChangeMessage, isControlMessage } from '@electric-sql/client';
import type { Store } from '../db/store.js';
import type { RowChange, ShapeBatch } from './apply.js';
import { unreachable, unreachableBecause } from './cloud-api.js';
import { type SyncedTable, deskParser } from './tables.js';

/** After the stream gives up (a long outage), it is started again from the stored offset this much later, at most. */
const RESTART_MAX_MS = 30_000;

export interface TableStreamHooks {
  /** The cloud's token for the next request (fetched or reused). */
  token(): Promise<string>;
  /** The cloud refused the token: forget it so the next request proves the key again. */
  tokenRefused(): void;
  /** Applies one up-to-date batch in one transaction; true when the table must be re-read whole. */
  apply(batch: ShapeBatch): boolean;
  /** The stream reached up-to-date (`error` null) or failed and will retry (`error` set). */
  report(table: SyncedTable, error: Error | null): void;
}

/**
 * One synced table, read with the official `@electric-sql/client` ShapeStream (DESIGN 6): resumes from
 * the handle and offset stored with the last applied batch, collects changes up to each up-to-date
 * message, applies them in one transaction, and re-reads the table from scratch on must-refetch.
 */
export class TableStream {
  #stream: ShapeStream | null = null;
  #abort: AbortController | null = null;
  #restarts = 0;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(
    private readonly store: Store,
    private readonly cloudUrl: string,
    readonly table: SyncedTable,
    private readonly hooks: TableStreamHooks,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  start(fresh = false): void {
    if (this.#closed) return;
    this.#stop();
    if (fresh) this.store.run(this.store.db.deleteFrom('sync_shapes').where('table_name', '=', this.table.shape));
    const stored = this.store.first(this.store.db.selectFrom('sync_shapes').select(['handle', 'offset']).where('table_name', '=', this.table.shape));
    const abort = new AbortController();
    this.#abort = abort;
    const stream = new ShapeStream({
      url: new URL('/v1/shape', this.cloudUrl).toString(),
      params: { table: this.table.shape },
      ...(stored ? { offset: stored.offset as `${number}_${number}`, handle: stored.handle } : { offset: '-1' }),
      headers: { authorization: async () => `Bearer ${await this.hooks.token()}` },
      parser: deskParser,
      signal: abort.signal,
      fetchClient: this.#watchedFetch(abort),
      onError: (error) => {
        if (error instanceof FetchError && error.status === 401) {
          this.hooks.tokenRefused();
          return {};
        }
        // Anything else ends this stream; `#failed` starts a new one from the stored offset.
        return undefined;
      },
    });
    this.#stream = stream;

    let snapshot = !stored;
    let changes: RowChange[] = [];
    stream.subscribe(
      (messages: Message<Row>[]) => {
        if (abort.signal.aborted) return;
        for (const message of messages) {
          if (isChangeMessage(message)) {
            changes.push({ operation: message.headers.operation, value: message.value });
          } else if (isControlMessage(message) && message.headers.control === 'must-refetch') {
            // The cloud compacted past this desk's offset or re-snapshotted the table: start over.
            snapshot = true;
            changes = [];
          } else if (isControlMessage(message) && message.headers.control === 'up-to-date') {
            const batch: ShapeBatch = { table: this.table, changes, snapshot, handle: stream.shapeHandle ?? '', offset: stream.lastOffset };
            changes = [];
            snapshot = false;
            let refetch: boolean;
            try {
              refetch = this.hooks.apply(batch);
            } catch (error) {
              // Not applied, so not stored: the next stream resumes from the last batch that was.
              this.#failed(abort, error instanceof Error ? error : new Error(String(error)));
              return;
            }
            this.#restarts = 0;
            this.hooks.report(this.table, null);
            if (refetch) {
              this.start(true);
              return;
            }
          }
        }
      },
      (error) => this.#failed(abort, error),
    );
  }

  close(): void {
    this.#closed = true;
    this.#stop();
  }

  /**
   * The client retries a lost connection by itself, for as long as it takes (a desk may be offline for
   * days), and says nothing meanwhile; its requests are watched here, so the status bar says offline
   * as soon as one fails and online again with the next up-to-date answer.
   *
   * A failed live request is not left to the client to retry: the retry would be a long poll too, which
   * the cloud answers only at the next change or after its 20 s wait, so the status bar would say
   * offline that long after the cloud is back. The stream starts again instead, and its first request,
   * a catch-up from the stored offset, is answered as soon as the cloud can.
   */
  #watchedFetch(abort: AbortController): typeof fetch {
    return async (input, init) => {
      const live = new URL(input instanceof Request ? input.url : String(input)).searchParams.get('live') === 'true';
      const failed = (error: Error) => (live ? this.#failed(abort, error) : this.hooks.report(this.table, error));
      try {
        const response = await this.fetchImpl(input, init);
        if (response.status >= 500) failed(unreachable(`it answered ${response.status}`));
        return response;
      } catch (error) {
        // An abort is the client's or ours (a restart, a stop, the client's refresh after the machine
        // slept), not the network's; the client aborts with reasons of its own, so its signal says so.
        const aborted = abort.signal.aborted || init?.signal?.aborted === true || (error instanceof Error && error.name === 'AbortError');
        if (!aborted) failed(unreachableBecause(error));
        throw error;
      }
    };
  }

  #failed(abort: AbortController, error: Error): void {
    if (abort.signal.aborted || this.#closed) return;
    this.#stop();
    this.hooks.report(this.table, error);
    // Full jitter, growing to RESTART_MAX_MS: a gym's desks do not all come back at the same instant.
    const delay = Math.random() * Math.min(RESTART_MAX_MS, 500 * 2 ** this.#restarts++);
    this.#timer = setTimeout(() => this.start(), delay);
  }

  #stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#abort?.abort();
    this.#stream?.unsubscribeAll();
    this.#abort = null;
    this.#stream = null;
  }
}
