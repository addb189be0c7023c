/**
 * A TCP proxy a sync test owns, between a desk and the cloud, to break the network on cue: cut every
 * connection, cut one after exactly n bytes (mid-batch, mid-stream), or go offline and back.
 */
import net from 'node:net';

/** `up`: desk to cloud (requests). `down`: cloud to desk (responses). */
export type Direction = 'up' | 'down';

export interface TcpProxy {
  readonly port: number;
  /** `http://127.0.0.1:<port>`: give it to the desk instead of the cloud's URL. */
  readonly url: string;
  /** Bytes relayed so far, each way, over every connection. */
  readonly bytes: { up: number; down: number };
  /** Connections accepted so far, and those open now. */
  readonly connections: { accepted: number; live: number };
  /** Destroys every open connection, both sides, at once. */
  cutAll(): void;
  /**
   * Arms a cut: from now on, the first connection (open now or opened later) through which n more bytes
   * pass in `direction` gets exactly those n bytes, then both its sides are closed. Repeats for `times`
   * connections, then disarms; resolves when the last cut has happened. A new arming replaces the old.
   */
  cutAfterBytes(n: number, direction: Direction, times?: number): Promise<void>;
  /** Offline: stops listening (a connect fails at once with ECONNREFUSED) and cuts every connection. */
  pause(): Promise<void>;
  /** Online again, on the same port. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
}

interface CutRule {
  n: number;
  direction: Direction;
  times: number;
  /** Bytes each connection has passed in `direction` since the rule was armed. */
  seen: WeakMap<Pair, number>;
  done: () => void;
}

export async function startProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  const bytes = { up: 0, down: 0 };
  let accepted = 0;
  let rule: CutRule | null = null;

  const cut = (pair: Pair) => {
    pairs.delete(pair);
    pair.client.destroy();
    pair.upstream.destroy();
  };

  /** Copies `from` to `to` with backpressure, counting, and applying the armed cut. */
  const relay = (pair: Pair, from: net.Socket, to: net.Socket, direction: Direction) => {
    from.on('data', (chunk: Buffer) => {
      const armed = rule?.direction === direction ? rule : null;
      if (armed) {
        const seen = armed.seen.get(pair) ?? 0;
        if (seen + chunk.length >= armed.n) {
          const last = chunk.subarray(0, armed.n - seen);
          bytes[direction] += last.length;
          if (--armed.times === 0) {
            rule = null;
            armed.done();
          }
          // Exactly n bytes reach the far side, then it sees the connection close; the near side is dropped.
          pairs.delete(pair);
          from.destroy();
          to.end(last, () => to.destroy());
          return;
        }
        armed.seen.set(pair, seen + chunk.length);
      }
      if (to.destroyed) return;
      bytes[direction] += chunk.length;
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => from.resume());
      }
    });
    from.on('end', () => to.end());
  };

  const server = net.createServer((client) => {
    accepted++;
    const upstream = net.connect(target.port, target.host);
    const pair = { client, upstream };
    pairs.add(pair);
    relay(pair, client, upstream, 'up');
    relay(pair, upstream, client, 'down');
    for (const [socket, other] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      socket.on('error', () => cut(pair));
      // A side that closed cleanly: the other still gets what is queued for it, then closes too.
      socket.on('close', () => {
        if (other.destroyed) return void pairs.delete(pair);
        other.end();
        setTimeout(() => other.destroy(), 1_000).unref();
      });
    }
  });

  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject).listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const unlisten = () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  const cutAll = () => {
    for (const pair of [...pairs]) cut(pair);
  };
  const pause = async () => {
    const closed = unlisten();
    cutAll();
    await closed;
  };

  await listen();
  return {
    get port() {
      return port;
    },
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    bytes,
    get connections() {
      return { accepted, live: pairs.size };
    },
    cutAll,
    cutAfterBytes(n, direction, times = 1) {
      return new Promise<void>((resolve) => {
        rule = { n, direction, times, seen: new WeakMap(), done: resolve };
      });
    },
    pause,
    async resume() {
      if (!server.listening) await listen();
    },
    async close() {
      rule = null;
      await pause();
    },
  };
}
