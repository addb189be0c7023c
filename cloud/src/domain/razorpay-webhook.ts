import { errors, issuesFromZod } from '@gymstack/shared';
import type { Kysely, Transaction } from 'kysely';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { anonymousCaller } from '../auth/callers.js';
import type { Database } from '../db/schema.js';
import { type TenantScope, withTenant } from '../db/tenant.js';
import { type RazorpayEvent, razorpayEnvelope, razorpayEvent } from '../razorpay/events.js';
import { verifyWebhookSignature } from '../razorpay/signature.js';
import { type GymContext, loadGym } from './gym.js';
import { jsonOf } from './json-body.js';
import type { OrderRow } from './online-orders.js';
import { type Arrival, type EventOutcome, applyCapturedPayment, flagForReview, lockOrder } from './online-payments.js';
import { loadRazorpayAccount } from './razorpay-accounts.js';
import { applyFailedRefund, applyProcessedRefund } from './refunds.js';

/** Razorpay's event ids (`X-Razorpay-Event-Id`), e.g. `Gj3Nx7oYyFbUd1`. */
const eventIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export interface WebhookDelivery {
  gymId: string;
  /** `X-Razorpay-Signature` */
  signature: string | undefined;
  /** `X-Razorpay-Event-Id` */
  eventId: string | undefined;
  rawBody: Buffer;
  ip: string;
}

export type WebhookOutcome = EventOutcome | 'duplicate';

/** The link behind a `payment_link.paid`, locked, learning the order Razorpay made for it on first sight. */
async function lockLinkOrder(trx: Transaction<Database>, linkId: string, razorpayOrderId: string): Promise<OrderRow | null> {
  const row = await trx.selectFrom('razorpay_orders').selectAll().where('razorpay_id', '=', linkId).forUpdate().executeTakeFirst();
  if (!row || row.razorpay_order_id !== null) return row ?? null;
  await trx.updateTable('razorpay_orders').set({ razorpay_order_id: razorpayOrderId, updated_at: new Date() }).where('id', '=', row.id).execute();
  return { ...row, razorpay_order_id: razorpayOrderId };
}

async function dispatch(trx: Transaction<Database>, ctx: GymContext, arrival: Arrival, event: RazorpayEvent): Promise<EventOutcome> {
  switch (event.event) {
    case 'payment.captured': {
      const payment = event.payload.payment.entity;
      return applyCapturedPayment(trx, ctx, arrival, payment, () => lockOrder(trx, payment.order_id));
    }
    case 'order.paid':
    case 'payment_link.paid': {
      const payment = event.payload.payment.entity;
      const order = event.payload.order.entity;
      if (payment.order_id !== order.id) {
        return flagForReview(trx, ctx, arrival, payment, null, 'order_mismatch', `The payment is for order ${payment.order_id ?? 'none'}; the event is for ${order.id}`);
      }
      const find = event.event === 'order.paid' ? () => lockOrder(trx, order.id) : () => lockLinkOrder(trx, event.payload.payment_link.entity.id, order.id);
      return applyCapturedPayment(trx, ctx, arrival, payment, find);
    }
    case 'payment.failed':
      // A failed attempt changes nothing: the order or link stays open for another try, and the try that
      // succeeds arrives as payment.captured.
      return 'ignored';
    case 'refund.processed':
      return applyProcessedRefund(trx, ctx, arrival, event.payload.refund.entity);
    case 'refund.failed':
      return applyFailedRefund(trx, ctx, arrival, event.payload.refund.entity);
  }
}

const paymentIdOf = (event: RazorpayEvent): string => ('payment' in event.payload ? event.payload.payment.entity.id : event.payload.refund.entity.payment_id);

/** Reads the gym's webhook secret in its own scope; null when the gym has no Razorpay account. */
async function loadWebhookSecret(db: Kysely<Database>, kek: Buffer, gymId: string, ip: string): Promise<string | null> {
  const account = await withTenant(db, anonymousCaller(gymId, ip), (trx) => loadRazorpayAccount(trx, kek));
  return account?.webhookSecret ?? null;
}

/**
 * Claims the event and applies it, in one transaction under the gym's RLS scope, once the signature has
 * checked out. The event id is claimed with an insert: a concurrent duplicate waits on that key and, once
 * the first commits, finds it taken and changes nothing. The event's effects and its stored outcome
 * commit together.
 */
async function applyWebhook(db: Kysely<Database>, delivery: WebhookDelivery, eventId: string): Promise<WebhookOutcome> {
  const json = jsonOf(delivery.rawBody);
  const envelope = razorpayEnvelope.safeParse(json);
  if (!envelope.success) throw errors.validation(issuesFromZod(envelope.error.issues));
  const handled = razorpayEvent.safeParse(json);
  const known = razorpayEvent.options.some((o) => o.shape.event.value === envelope.data.event);
  if (!handled.success && known) throw errors.validation(issuesFromZod(handled.error.issues));
  return withTenant(db, anonymousCaller(delivery.gymId, delivery.ip), async (trx) => {
    // Only what the cloud acts on is kept (parsing drops the rest): Razorpay's payloads also carry the
    // payer's email and phone, which the cloud has no need to hold.
    const claimed = await trx
      .insertInto('razorpay_webhook_events')
      .values({
        gym_id: delivery.gymId,
        event_id: eventId,
        type: envelope.data.event,
        outcome: 'received',
        razorpay_payment_id: handled.success ? paymentIdOf(handled.data) : null,
        payload: JSON.stringify(handled.success ? handled.data : {}),
      })
      .onConflict((oc) => oc.columns(['gym_id', 'event_id']).doNothing())
      .returning('event_id')
      .executeTakeFirst();
    if (!claimed) return 'duplicate';

    const arrival = { eventId, ip: delivery.ip };
    const outcome = handled.success ? await dispatch(trx, await loadGym(trx), arrival, handled.data) : 'ignored';
    await trx.updateTable('razorpay_webhook_events').set({ outcome }).where('event_id', '=', eventId).execute();
    return outcome;
  });
}

/** Event ids one process remembers as settled: Razorpay's retries and replays come within hours. */
const SETTLED_CAPACITY = 100_000;
/** How long an opened webhook secret is used before it is read again (a signature it fails reads it at once). */
const SECRET_TTL_MS = 60_000;

/**
 * Razorpay's webhook deliveries for every gym, one instance per process. The signature is checked against
 * the gym's webhook secret on the raw bytes before anything is parsed or written; a bad or missing one is
 * refused (400) with nothing stored. Razorpay delivers at least once and retries freely, so a process
 * answers what it has already settled without the database: a replay of an event it applied, or one
 * arriving while that event is being applied, is a `duplicate` once the first commits. Postgres's unique
 * key on the event stays the authority (other processes, restarts); these only spare it the work.
 */
export class RazorpayWebhooks {
  readonly #secrets = new LRUCache<string, string>({ max: 10_000, ttl: SECRET_TTL_MS });
  readonly #settled = new LRUCache<string, true>({ max: SETTLED_CAPACITY });
  readonly #applying = new Map<string, Promise<WebhookOutcome>>();
  /** Moves on at every `forgetSecret`: a secret read before then is not kept. */
  #secretsVersion = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly keyEncryptionKey: Buffer,
    /** Told of each gym an event changed (its synced rows), as tenant requests tell the change log's retention. */
    private readonly wrote: (scope: TenantScope) => void = () => {},
  ) {}

  async receive(delivery: WebhookDelivery): Promise<WebhookOutcome> {
    await this.#verify(delivery);
    const eventId = eventIdSchema.safeParse(delivery.eventId);
    if (!eventId.success) throw errors.validation([{ path: 'headers.x-razorpay-event-id', message: 'Missing or malformed event id' }]);
    const key = `${delivery.gymId}:${eventId.data}`;
    if (this.#settled.has(key)) return 'duplicate';
    const first = this.#applying.get(key);
    if (first) {
      const settled = await first.then(
        () => true,
        () => false, // the first attempt failed and changed nothing: this delivery tries itself
      );
      if (settled) return 'duplicate';
    }
    const attempt = applyWebhook(this.db, delivery, eventId.data);
    this.#applying.set(key, attempt);
    try {
      const outcome = await attempt;
      this.#settled.set(key, true);
      if (outcome === 'applied') this.wrote(anonymousCaller(delivery.gymId, delivery.ip));
      return outcome;
    } finally {
      if (this.#applying.get(key) === attempt) this.#applying.delete(key);
    }
  }

  /** Once the gym's changed account has committed: its next delivery reads the secret again. */
  forgetSecret(gymId: string): void {
    this.#secretsVersion += 1;
    this.#secrets.delete(gymId);
  }

  /** A secret kept from an earlier delivery is tried first; one it does not verify is read afresh (rotated). */
  async #verify({ gymId, rawBody, signature, ip }: WebhookDelivery): Promise<void> {
    const kept = this.#secrets.get(gymId);
    if (kept !== undefined && verifyWebhookSignature(rawBody, signature, kept)) return;
    const version = this.#secretsVersion;
    const secret = await loadWebhookSecret(this.db, this.keyEncryptionKey, gymId, ip);
    if (secret === null || !verifyWebhookSignature(rawBody, signature, secret)) throw errors.invalidSignature();
    if (version === this.#secretsVersion) this.#secrets.set(gymId, secret);
  }
}
