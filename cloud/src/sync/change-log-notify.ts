import pg from 'pg';

export const CHANGE_LOG_CHANNEL = 'gymstack_change_log';

/**
 * One dedicated connection that LISTENs on the change log's channel and wakes the long polls waiting on
 * what changed: the triggers NOTIFY `<gym>:<table>` when an entry commits (migration
 * 2026_11_23_0002), compaction and re-snapshots `<gym>` for every table of the gym. Connected on first
 * use; when the connection drops every waiter is woken (it re-reads the log, so a notification lost in
 * the gap costs nothing) and the next subscriber reconnects. It holds no pool connection.
 */
export class ChangeNotifier {
  readonly #config: pg.ClientConfig;
  /** Waiters by gym, then by table. */
  readonly #waiters = new Map<string, Map<string, Set<() => void>>>();
  #client: Promise<pg.Client> | null = null;
  #closed = false;

  constructor(config: pg.ClientConfig) {
    this.#config = config;
  }

  /** Resolves once LISTEN is in place, so a change committed after this resolves wakes the callback. */
  async subscribe(gymId: string, table: string, wake: () => void): Promise<() => void> {
    let tables = this.#waiters.get(gymId);
    if (!tables) this.#waiters.set(gymId, (tables = new Map()));
    let set = tables.get(table);
    if (!set) tables.set(table, (set = new Set()));
    set.add(wake);
    const unsubscribe = () => {
      set.delete(wake);
      if (set.size === 0 && tables.get(table) === set) tables.delete(table);
      if (tables.size === 0 && this.#waiters.get(gymId) === tables) this.#waiters.delete(gymId);
    };
    try {
      await this.#connect();
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  /** Wakes every waiter (shutdown, lost connection). */
  wakeAll(): void {
    for (const gymId of this.#waiters.keys()) this.#wake(gymId, null);
  }

  /** Wakes the waiters on one table of a gym, or on all of them (`table` null). */
  #wake(gymId: string, table: string | null): void {
    const tables = this.#waiters.get(gymId);
    if (!tables) return;
    const sets = table === null ? [...tables.values()] : [tables.get(table) ?? new Set<() => void>()];
    for (const set of sets) for (const wake of [...set]) wake();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.wakeAll();
    const client = this.#client;
    this.#client = null;
    if (client) await client.then((c) => c.end()).catch(() => undefined);
  }

  #connect(): Promise<pg.Client> {
    if (this.#closed) return Promise.reject(new Error('change notifier closed'));
    if (this.#client) return this.#client;
    const client = new pg.Client(this.#config);
    const lost = () => {
      if (this.#client === connecting) this.#client = null;
      client.removeAllListeners('notification');
      client.end().catch(() => undefined);
      this.wakeAll();
    };
    const connecting = (async () => {
      client.on('error', lost);
      client.on('end', lost);
      client.on('notification', (message) => {
        if (message.channel !== CHANGE_LOG_CHANNEL || !message.payload) return;
        const [gymId = '', table] = message.payload.split(':');
        this.#wake(gymId, table ?? null);
      });
      await client.connect();
      await client.query(`listen ${CHANGE_LOG_CHANNEL}`);
      return client;
    })();
    this.#client = connecting;
    connecting.catch(() => {
      if (this.#client === connecting) this.#client = null;
    });
    return connecting;
  }
}
