import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { hash, verify } from '@node-rs/argon2';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import { errors } from '@gymstack/shared';
import { mayPublish, maySubscribe, type TopicAcl } from './acl.js';

/** One device's login on the desk's broker: its own username, password and topics. */
export type BrokerUser = { username: string; acl: TopicAcl } & ({ password: string } | { passwordHash: string });

/** A connect, publish or subscribe the broker turned down. */
export interface BrokerRefusal {
  kind: 'connect' | 'publish' | 'subscribe';
  clientId: string;
  username: string | null;
  topic?: string;
  reason: string;
}

export interface EmbeddedBrokerOptions {
  /** Where devices on the LAN reach it; 0.0.0.0 by default. */
  host?: string;
  /** 1883 by default; 0 picks a free port. */
  port?: number;
  users?: readonly BrokerUser[];
  onRefusal?: (refusal: BrokerRefusal) => void;
}

/** Argon2id (the library's default) at its default cost, as staff PINs are hashed. */
export const hashBrokerPassword = (password: string): Promise<string> => hash(password);

const connackCode = { identifierRejected: 2, badCredentials: 4, notAuthorized: 5 } as const;

function refuseConnect(message: string, returnCode: number): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/**
 * The desk's embedded MQTT broker for its LAN: every device logs in with its own username and
 * password and may touch only the topics its ACL names. Refusals are counted and reported, never thrown.
 */
export class EmbeddedBroker {
  readonly refusals = { connect: 0, publish: 0, subscribe: 0 };
  readonly #aedes: Aedes;
  readonly #server: Server;
  readonly #users = new Map<string, { passwordHash: string; acl: TopicAcl }>();
  /** Who each connected client logged in as. */
  readonly #clientUsers = new WeakMap<Client, string>();
  /** The connected client holding each client id. */
  readonly #clientIds = new Map<string, Client>();
  readonly #onRefusal: ((refusal: BrokerRefusal) => void) | undefined;
  // Checked when the username is unknown, so a wrong username costs as long as a wrong password.
  readonly #decoyHash: string;

  private constructor(aedes: Aedes, server: Server, decoyHash: string, onRefusal: EmbeddedBrokerOptions['onRefusal']) {
    this.#aedes = aedes;
    this.#server = server;
    this.#decoyHash = decoyHash;
    this.#onRefusal = onRefusal;
  }

  static async start(options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
    const aedes = await Aedes.createBroker();
    const server = createServer(aedes.handle);
    const broker = new EmbeddedBroker(aedes, server, await hash(randomBytes(16).toString('hex')), options.onRefusal);
    aedes.authenticate = (client, username, password, done) => {
      broker.#authenticate(client, username, password).then(
        (refusal) => done(refusal, refusal === null),
        () => done(refuseConnect('The broker could not check the password', connackCode.notAuthorized), false),
      );
    };
    aedes.authorizePublish = (client, packet, done) => {
      const username = client ? broker.#clientUsers.get(client) : undefined;
      const acl = username === undefined ? undefined : broker.#users.get(username)?.acl;
      if (acl && mayPublish(acl, packet.topic)) return done(null);
      // MQTT 3.1.1 cannot tell a publisher no: aedes drops the message and closes its connection.
      broker.#refuse({ kind: 'publish', clientId: client?.id ?? '', username: username ?? null, topic: packet.topic, reason: 'Not in its ACL' });
      done(new Error(`Not allowed to publish to ${packet.topic}`));
    };
    aedes.authorizeSubscribe = (client, subscription, done) => {
      const username = broker.#clientUsers.get(client);
      const acl = username === undefined ? undefined : broker.#users.get(username)?.acl;
      if (acl && maySubscribe(acl, subscription.topic)) return done(null, subscription);
      broker.#refuse({ kind: 'subscribe', clientId: client.id, username: username ?? null, topic: subscription.topic, reason: 'Not in its ACL' });
      // A null subscription is answered with SUBACK 0x80 and the client stays connected.
      done(null, null);
    };
    aedes.on('clientDisconnect', (client) => {
      if (broker.#clientIds.get(client.id) === client) broker.#clientIds.delete(client.id);
    });
    for (const user of options.users ?? []) await broker.setUser(user);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 1883, options.host ?? '0.0.0.0', () => {
        server.off('error', reject);
        resolve();
      });
    }).catch(async (e: unknown) => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      throw e;
    });
    return broker;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** An `mqtt://` URL for a client on this machine. */
  get localUrl(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** Adds or replaces a device's login; a plain password is hashed here and never kept. */
  async setUser(user: BrokerUser): Promise<void> {
    const passwordHash = 'passwordHash' in user ? user.passwordHash : await hashBrokerPassword(user.password);
    if (!passwordHash.startsWith('$argon2id$')) {
      throw errors.validation([{ path: 'passwordHash', message: 'Must be an argon2id hash' }]);
    }
    this.#users.set(user.username, { passwordHash, acl: user.acl });
  }

  /** Removes a device's login; a client it has connected loses every publish and subscribe from now on. */
  removeUser(username: string): void {
    this.#users.delete(username);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#aedes.close(() => resolve()));
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #authenticate(client: Client, username: string | undefined, password: Buffer | undefined): Promise<AuthenticateError | null> {
    const user = username === undefined ? undefined : this.#users.get(username);
    // argon2 compares in constant time; the decoy keeps an unknown username as slow as a known one.
    const matches = await verify(user?.passwordHash ?? this.#decoyHash, password ?? Buffer.alloc(0));
    if (!user || !matches || username === undefined) {
      this.#refuse({ kind: 'connect', clientId: client.id, username: username ?? null, reason: 'Wrong username or password' });
      return refuseConnect('Wrong username or password', connackCode.badCredentials);
    }
    // A second connect with a client id takes the session over; only the same user may do that.
    const holder = this.#clientIds.get(client.id);
    if (holder && holder !== client && this.#clientUsers.get(holder) !== username) {
      this.#refuse({ kind: 'connect', clientId: client.id, username, reason: 'Client id in use by another user' });
      return refuseConnect('Client id in use by another user', connackCode.identifierRejected);
    }
    this.#clientUsers.set(client, username);
    this.#clientIds.set(client.id, client);
    return null;
  }

  #refuse(refusal: BrokerRefusal): void {
    this.refusals[refusal.kind] += 1;
    this.#onRefusal?.(refusal);
  }
}
