import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { GupshupTemplateIds } from '../src/notifications/gupshup.js';

/** Gupshup's ids for our templates in the tests (GUPSHUP_TEMPLATE_IDS): Gupshup assigns each a UUID on approval. */
export const gupshupTemplateIds = {
  welcome_member: '1388b129-51e0-43ae-b3b3-882351adabf1',
  renewal_reminder_7d: '1f9ae2e8-6da1-4604-be57-084e4e8b603c',
  renewal_reminder_3d: '63d49bc9-68cf-4278-a521-598957bef636',
  renewal_reminder_1d: '65e4c3b3-34a8-4b77-ba00-c6de61f31a3b',
  renewal_reminder_0d: '19ff77ed-cf55-4cd9-8c27-cbefc574cb95',
  expiry_notice: '9dc2cf2b-a134-47e1-ad96-b109d5ebfd3e',
  expired_7d: 'aaad07bf-5416-4b96-abc3-457a239f948b',
  payment_receipt: '9d781a5e-c1de-441d-8cb6-5717ebce8c13',
  payment_link: '3a0ba820-646a-4c01-8abd-2c9b8e7714f2',
  birthday_wish: '39a2644e-fb6f-4a63-9b08-9d1d214b2ff3',
} as const satisfies GupshupTemplateIds;

/**
 * A local stand-in for Meta's Graph API (`POST /{phone-number-id}/messages`) and Gupshup's template API.
 * It checks each request against the shape the real API takes and answers as it would: a malformed
 * request, or one naming a template by anything but an id the Gupshup account was given (its name, say),
 * gets the provider's 400, a good one a message id. `failNext` makes it answer 500 instead, as a provider
 * outage.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** Parsed JSON (Graph API) or form fields (Gupshup). */
  body: unknown;
}

const graphTemplateMessage = z.strictObject({
  messaging_product: z.literal('whatsapp'),
  recipient_type: z.literal('individual').optional(),
  to: z.string().regex(/^\d{8,15}$/),
  type: z.literal('template'),
  template: z.strictObject({
    name: z.string().regex(/^[a-z0-9_]+$/),
    language: z.strictObject({ code: z.string().min(2) }),
    components: z.array(z.strictObject({ type: z.literal('body'), parameters: z.array(z.strictObject({ type: z.literal('text'), text: z.string().min(1) })) })),
  }),
});

const gupshupTemplateMessage = z.object({
  channel: z.literal('whatsapp'),
  source: z.string().regex(/^\d{8,15}$/),
  destination: z.string().regex(/^\d{8,15}$/),
  'src.name': z.string().min(1),
  template: z.string().transform((text, ctx) => {
    const parsed = z.object({ id: z.string().min(1), params: z.array(z.string()) }).safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    ctx.addIssue({ code: 'custom', message: 'template must be {id, params}' });
    return z.NEVER;
  }),
});

export class FakeWhatsApp {
  readonly requests: RecordedRequest[] = [];
  /** How many of the next requests fail with a 500. */
  failNext = 0;
  #server: Server;
  #count = 0;
  /** The template ids the Gupshup account has: those it was told. */
  readonly #gupshupTemplateIds: Set<string>;

  constructor(
    private readonly accessToken: string,
    gupshupTemplateIds: Iterable<string>,
  ) {
    this.#gupshupTemplateIds = new Set(gupshupTemplateIds);
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const form = request.headers['content-type']?.startsWith('application/x-www-form-urlencoded');
        const body: unknown = form ? Object.fromEntries(new URLSearchParams(text)) : JSON.parse(text || 'null');
        const path = request.url ?? '';
        this.requests.push({ method: request.method ?? '', path, headers: request.headers, body });
        const [status, answer] = this.#answer(request, path, body);
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
  }

  #answer(request: IncomingMessage, path: string, body: unknown): [number, unknown] {
    if (this.failNext > 0) {
      this.failNext -= 1;
      return [500, { error: { message: 'Service temporarily unavailable', type: 'OAuthException', code: 2 } }];
    }
    this.#count += 1;
    if (path === '/wa/api/v1/template/msg') {
      if (request.headers.apikey !== this.accessToken) return [401, { status: 'error', message: 'Authentication Failed' }];
      const parsed = gupshupTemplateMessage.safeParse(body);
      if (!parsed.success) return [400, { status: 'error', message: 'Invalid template request' }];
      if (!this.#gupshupTemplateIds.has(parsed.data.template.id)) return [400, { status: 'error', message: 'Template not found' }];
      return [202, { status: 'submitted', messageId: `gs-${this.#count}` }];
    }
    if (request.headers.authorization !== `Bearer ${this.accessToken}`) return [401, { error: { message: 'Invalid OAuth access token', type: 'OAuthException', code: 190 } }];
    const to = (body as { to?: string } | null)?.to;
    if (!/^\/[^/]+\/messages$/.test(path) || !graphTemplateMessage.safeParse(body).success) {
      return [400, { error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100 } }];
    }
    return [200, { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id: `wamid.${this.#count}` }] }];
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.#server.close((error) => (error ? reject(error) : resolve())));
  }
}
