import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL pages after which SQLite's own automatic checkpoint runs inside a commit. That is its
 * default; `SAFETY_NET_PAGES` replaces it while the background checkpointer is running.
 */
export const INLINE_CHECKPOINT_PAGES = 1000;
/** With the checkpointer running, a commit only checkpoints if it has fallen this far behind (~40 MB of WAL). */
export const SAFETY_NET_PAGES = 10_000;
/** The background thread starts with this commit (see `Checkpointer`). */
export const START_AFTER_COMMITS = 64;
/** How often the checkpointer looks for commits to fold into the database file. */
const TICK_MS = 50;
/** It checkpoints this often anyway, for writes it was not told about (migrations, other connections). */
const IDLE_CHECKPOINT_MS = 5_000;

// Plain CommonJS evaluated in the worker, so it runs the same under tsx, Vitest, Node and Electron.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {});
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = FULL');
const commits = new Int32Array(workerData.commits);
let seen = -1; // commits made before this thread started count too
let idle = 0;
const timer = setInterval(() => {
  const now = Atomics.load(commits, 0);
  idle += workerData.tickMs;
  if (now === seen && idle < workerData.idleMs) return;
  seen = now;
  idle = 0;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
}, workerData.tickMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Folds the WAL back into the database file on a worker thread with its own connection, so no
 * commit waits for a checkpoint: with SQLite's default, the commit that takes the WAL past 1000 pages
 * also writes them all back and fsyncs the database file, a stall of several milliseconds every
 * hundred or so check-ins. Durability is unchanged: every commit still fsyncs the WAL
 * (synchronous = FULL), and a checkpoint only copies what is already durable.
 *
 * The store signals each commit through shared memory (one atomic add, no message, no syscall);
 * the worker checkpoints (PASSIVE: it never blocks the writer) when it sees new commits. At a desk's
 * pace the WAL is then fully checkpointed between two commits and the next one starts it over from
 * its beginning. Under a continuous stream of commits (a bulk import, the benchmark's thousands a
 * second) readers and writers never leave it fully checkpointed, so it grows to the safety net, and
 * that one commit checkpoints inline (copying what the worker had not yet, then starting over):
 * one stall of ~10-40 ms per ~1,100 check-ins at saturation, instead of one every ~110.
 * (Having the worker force a RESTART instead was tried: it holds writers while it waits for readers,
 * ~34 ms each time, more often.)
 *
 * The thread starts with the `START_AFTER_COMMITS`th commit, so a store opened for a few writes
 * (set-up, a probe, most tests) never pays for one; until then the WAL holds only those few commits.
 * Should the worker fail, `onFailure` puts the connection back on SQLite's inline checkpoints.
 */
export class Checkpointer {
  readonly #commits = new Int32Array(new SharedArrayBuffer(4));
  #count = 0;
  #worker: Worker | null = null;
  #running = false;

  constructor(
    private readonly file: string,
    private readonly nativeBinding: string | undefined,
    private readonly onFailure: () => void,
  ) {}

  /** A write committed: there is WAL to fold back. */
  committed(): void {
    Atomics.add(this.#commits, 0, 1);
    if (++this.#count === START_AFTER_COMMITS) this.#start();
  }

  async stop(): Promise<void> {
    const worker = this.#worker;
    this.#count = START_AFTER_COMMITS + 1; // never starts after this
    if (!worker || !this.#running) return;
    this.#running = false;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.ref(); // until it has closed its connection, or the process could end with the wait pending
    worker.postMessage('stop');
    await exited;
  }

  #start(): void {
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        file: this.file,
        nativeBinding: this.nativeBinding,
        module,
        commits: this.#commits.buffer,
        tickMs: TICK_MS,
        idleMs: IDLE_CHECKPOINT_MS,
      },
    });
    this.#worker = worker;
    this.#running = true;
    // The desk process may exit without closing (a crash, a kill): the thread must not keep it alive.
    worker.unref();
    const fail = (why: unknown) => {
      if (!this.#running) return;
      this.#running = false;
      console.error('desk checkpointer stopped; commits checkpoint inline again', why);
      this.onFailure();
    };
    worker.on('message', (m: { error?: string }) => {
      if (m.error) console.error('desk checkpoint failed', m.error);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(`worker exited with code ${code}`));
  }
}
