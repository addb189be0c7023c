import {
  AppError,
  ErrorCode,
  type NotificationFilters,
  type NotificationView,
  type PushRequest,
  type PushResponse,
  isAppError,
  notificationSchema,
  pushResponseSchema,
} from '@gymstack/shared';
import { z } from 'zod';
import { signProof } from './link.js';

/** A request that gets no answer in this long counts as the cloud being unreachable. */
const REQUEST_TIMEOUT_MS = 30_000;
/** A token is renewed this long before it expires. */
const TOKEN_MARGIN_MS = 60_000;

const envelope = <D extends z.ZodType>(data: D) => z.object({ success: z.literal(true), data });
const failure = z.object({ success: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) });
const pairResponse = envelope(z.object({ deviceId: z.uuid(), gymId: z.uuid(), branchId: z.uuid(), deskCode: z.string() }));
const tokenResponse = envelope(z.object({ accessToken: z.string(), expiresIn: z.number().int().positive() }));
const keysResponse = envelope(
  z.object({
    template: z.object({ keyId: z.string().min(1), key: z.base64() }),
    pass: z.object({ keyId: z.string().min(1), privateKey: z.base64(), publicKey: z.base64() }),
  }),
);

const notificationPage = z.object({
  success: z.literal(true),
  data: z.array(notificationSchema),
  meta: z.object({ page: z.number().int(), perPage: z.number().int(), total: z.number().int().nonnegative() }),
});

/** The filters and page of `GET /api/v1/notifications`. */
export type NotificationQuery = NotificationFilters & { page: number; perPage: number };

const knownCodes = new Set<string>(Object.values(ErrorCode));

/** Not reachable (no network, refused, timed out, a 5xx): sync waits and tries again. */
export const unreachable = (why: string) => new AppError(ErrorCode.Unavailable, `Can't reach the cloud: ${why}`);

/** A failed fetch as UNAVAILABLE, with the network's own reason (fetch itself only says "fetch failed"). */
export const unreachableBecause = (error: unknown) =>
  unreachable(error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error));

/** The desk's identity as the cloud knows it, for signing token requests. */
export interface DeskCredential {
  deviceId: string;
  privateKeyPem: string;
}

/**
 * The desk's HTTP client for the cloud: pairing, device tokens, outbox pushes, the gym's keys and its
 * WhatsApp messages. Every failure comes back as an AppError with the cloud's code, or UNAVAILABLE when
 * the cloud could not be reached.
 *
 * The desk's clock may be off by days (DESIGN 6: never trusted for order). Token proofs must be within
 * a minute of the cloud's time, so the offset is learnt from each response's Date header and applied.
 */
export class CloudApi {
  #token: { value: string; expiresAt: number } | null = null;
  #tokenRequest: Promise<string> | null = null;
  #skewMs = 0;
  #lastProofTs = 0;

  constructor(
    readonly baseUrl: string,
    private readonly credential: DeskCredential | null = null,
    private readonly fetchImpl: typeof fetch = fetch,
    /** The desk's clock, which may be wrong. */
    private readonly clock: () => number = Date.now,
  ) {}

  /** Redeems a pairing code for a device identity; `publicKey` is the raw Ed25519 key, base64url. */
  async pair(code: string, publicKey: string, name: string): Promise<z.infer<typeof pairResponse>['data']> {
    return (await this.#request('/api/v1/devices/pair', { method: 'POST', body: { code, publicKey, name } }, pairResponse)).data;
  }

  /** A desk access token, reused until a minute before it expires; concurrent callers share one request. */
  async token(): Promise<string> {
    if (this.#token && this.#token.expiresAt - TOKEN_MARGIN_MS > this.clock()) return this.#token.value;
    this.#tokenRequest ??= this.#fetchToken().finally(() => {
      this.#tokenRequest = null;
    });
    return this.#tokenRequest;
  }

  /** Forgets the token, after the cloud refused it (revoked desk, rotated keys). */
  dropToken(): void {
    this.#token = null;
  }

  async push(batch: PushRequest): Promise<PushResponse> {
    const response = await this.#request('/api/v1/sync/push', { method: 'POST', body: batch, auth: true }, envelope(pushResponseSchema));
    return response.data;
  }

  /** The gym's template and pass keys (DESIGN 7), which every desk of the gym shares. */
  async gymKeys(): Promise<z.infer<typeof keysResponse>['data']> {
    return (await this.#request('/api/v1/devices/keys', { method: 'GET', auth: true }, keysResponse)).data;
  }

  /** The gym's WhatsApp messages, newest first, one page of them and how many match in all. */
  async notifications(query: NotificationQuery): Promise<{ items: NotificationView[]; total: number }> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
    const { data, meta } = await this.#request(`/api/v1/notifications?${params}`, { method: 'GET', auth: true }, notificationPage);
    return { items: data, total: meta.total };
  }

  /** Queues a dead-lettered message again (the cloud answers CONFLICT for any other). */
  async retryNotification(notificationId: string): Promise<NotificationView> {
    return (await this.#request(`/api/v1/notifications/${encodeURIComponent(notificationId)}/retry`, { method: 'POST', auth: true }, envelope(notificationSchema))).data;
  }

  /** The cloud's idea of now, from the Date headers seen so far. */
  now(): number {
    return this.clock() + this.#skewMs;
  }

  async #fetchToken(): Promise<string> {
    const credential = this.credential;
    if (!credential) throw new AppError(ErrorCode.Unauthenticated, 'This desk is not paired with the cloud');
    const attempt = async () => {
      // Each proof must be newer than the last the cloud accepted, even within one millisecond. Only an
      // accepted one counts: a proof stamped by a wrong clock (refused, or never delivered while offline)
      // must not hold the next one, stamped by the corrected clock, in the future.
      const ts = Math.max(Math.round(this.now()), this.#lastProofTs + 1);
      const body = { deviceId: credential.deviceId, ts, signature: signProof(credential.privateKeyPem, credential.deviceId, ts) };
      const { data } = await this.#request('/api/v1/devices/token', { method: 'POST', body }, tokenResponse);
      this.#lastProofTs = ts;
      return data;
    };
    let data;
    try {
      data = await attempt();
    } catch (error) {
      // The first answer taught us the cloud's clock; one retry with it fixes a desk clock that is off.
      if (!isAppError(error) || error.code !== ErrorCode.Unauthenticated) throw error;
      data = await attempt();
    }
    this.#token = { value: data.accessToken, expiresAt: this.clock() + data.expiresIn * 1000 };
    return data.accessToken;
  }

  async #request<T extends z.ZodType>(path: string, options: { method: 'GET' | 'POST'; body?: unknown; auth?: boolean }, schema: T, retried = false): Promise<z.infer<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.auth) headers.authorization = `Bearer ${await this.token()}`;
    let response: Response;
    try {
      response = await this.fetchImpl(new URL(path, this.baseUrl), {
        method: options.method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw unreachableBecause(error);
    }
    this.#learnClock(response);
    const text = await response.text().catch(() => '');
    if (response.status >= 500 || response.status === 429) throw unreachable(`it answered ${response.status}`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw unreachable(`it answered ${response.status} with something other than JSON`);
    }
    if (response.ok) {
      const parsed = schema.safeParse(json);
      if (parsed.success) return parsed.data;
      throw new AppError(ErrorCode.BadRequest, `The cloud's answer to ${path} was not understood: is ${this.baseUrl} a GymStack cloud?`);
    }
    if (response.status === 401 && options.auth) {
      this.dropToken();
      // A kept token the cloud no longer takes (its keys rotated, say): once more with a fresh one. A desk
      // the cloud revoked is refused that token, with UNAUTHENTICATED.
      if (!retried) return this.#request(path, options, schema, true);
    }
    const refused = failure.safeParse(json);
    if (!refused.success) throw new AppError(ErrorCode.BadRequest, `The cloud answered ${response.status} to ${path}`);
    const { code, message } = refused.data.error;
    throw new AppError(knownCodes.has(code) ? (code as ErrorCode) : ErrorCode.BadRequest, message);
  }

  #learnClock(response: Response): void {
    const date = response.headers.get('date');
    const cloudNow = date ? Date.parse(date) : Number.NaN;
    // Date has whole seconds: only an offset beyond a few seconds is worth correcting.
    if (!Number.isFinite(cloudNow)) return;
    const skew = cloudNow - this.clock();
    this.#skewMs = Math.abs(skew) > 5_000 ? skew : 0;
  }
}
