import pg from 'pg';

export const CHANGE_LOG_CHANNEL = 'gymstack_change_log';

/**
 * One dedicated connection that LISTENs on the change log's channel (the triggers NOTIFY it with the gym
 * id when an entry commits) and wakes the long polls waiting on that gym. Connected on first use; when
 * the connection drops every waiter is woken (it re-reads the log, so a notification lost in the gap
 * costs nothing) and the next subscriber reconnects. It holds no pool connection.
 */
export class ChangeNotifier {
  readonly #config: pg.ClientConfig;
  readonly #waiters = new Map<string, Set<() => void>>();
  #client: Promise<pg.Client> | null = null;
  #closed = false;

  constructor(config: pg.ClientConfig) {
    this.#config = config;
  }

  /** Resolves once LISTEN is in place, so a change committed after this resolves wakes the callback. */
  async subscribe(gymId: string, wake: () => void): Promise<() => void> {
    let set = this.#waiters.get(gymId);
    if (!set) this.#waiters.set(gymId, (set = new Set()));
    set.add(wake);
    const unsubscribe = () => {
      set.delete(wake);
      if (set.size === 0 && this.#waiters.get(gymId) === set) this.#waiters.delete(gymId);
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
    for (const set of this.#waiters.values()) for (const wake of [...set]) wake();
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
        for (const wake of [...(this.#waiters.get(message.payload) ?? [])]) wake();
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
