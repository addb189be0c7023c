import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/** A request the stand-in accepted, as it arrived. */
export interface RecordedRequest {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

const notes = z.record(z.string(), z.string().max(256));
const amount = z.number().int().positive();
const currency = z.string().regex(/^[A-Z]{3}$/);

// The request bodies Razorpay's API documents (orders, payment links, refunds), strictly: a field the
// SDK call got wrong or left out is a 400 here, as it would be there.
const shapes: { route: RegExp; body: z.ZodType; reply: (body: Record<string, unknown>, match: RegExpExecArray) => Record<string, unknown> }[] = [
  {
    route: /^\/v1\/orders$/,
    body: z.strictObject({ amount, currency, receipt: z.string().min(1).max(40), notes, partial_payment: z.boolean() }),
    reply: (body) => ({ id: `order_${token()}`, entity: 'order', amount_paid: 0, amount_due: body.amount, status: 'created', attempts: 0, created_at: now(), ...body }),
  },
  {
    route: /^\/v1\/payment_links$/,
    body: z.strictObject({
      amount,
      currency,
      accept_partial: z.literal(false),
      reference_id: z.string().min(1).max(40),
      description: z.string().max(2048),
      customer: z.strictObject({ name: z.string().min(1), contact: z.string().regex(/^\+\d{10,15}$/) }),
      notify: z.strictObject({ sms: z.boolean(), email: z.boolean() }),
      reminder_enable: z.boolean(),
      notes,
    }),
    reply: (body) => {
      const id = `plink_${token()}`;
      return { id, short_url: `https://rzp.io/i/${id.slice(6, 14)}`, status: 'created', amount_paid: 0, created_at: now(), ...body };
    },
  },
  {
    route: /^\/v1\/payments\/(pay_[A-Za-z0-9]+)\/refund$/,
    body: z.strictObject({ amount, receipt: z.string().max(40), notes }),
    reply: (body, match) => ({ id: `rfnd_${token()}`, entity: 'refund', payment_id: match[1], currency: 'INR', status: 'pending', created_at: now(), ...body }),
  },
];

const token = () => randomBytes(7).toString('hex');
const now = () => Math.floor(Date.now() / 1000);

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const refuse = (res: ServerResponse, status: number, description: string) => send(res, status, { error: { code: 'BAD_REQUEST_ERROR', description } });

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A local HTTP server standing in for api.razorpay.com in tests (DESIGN 5). It checks what the SDK
 * really sends: HTTP Basic auth with the gym's key id and secret, JSON bodies of the documented shape on
 * the documented paths; answers as Razorpay does, and records every request it accepted.
 */
export async function startFakeRazorpay(credentials: { keyId: string; keySecret: string }) {
  const requests: RecordedRequest[] = [];
  const expectedAuth = `Basic ${Buffer.from(`${credentials.keyId}:${credentials.keySecret}`).toString('base64')}`;
  let refuseNext: string | null = null;
  let breakNext = false;
  let holdNext: { arrived: (reply: Record<string, unknown>) => void; released: Promise<void> } | null = null;
  const server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      if (req.headers.authorization !== expectedAuth) return refuse(res, 401, 'Authentication failed');
      if (req.method !== 'POST' || !req.headers['content-type']?.startsWith('application/json')) return refuse(res, 400, 'Expected a JSON POST');
      const path = (req.url ?? '').split('?')[0] ?? '';
      for (const shape of shapes) {
        const match = shape.route.exec(path);
        if (!match) continue;
        const parsed = shape.body.safeParse(JSON.parse(text));
        if (!parsed.success) return refuse(res, 400, parsed.error.message);
        if (refuseNext) {
          const description = refuseNext;
          refuseNext = null;
          return refuse(res, 400, description);
        }
        const body = parsed.data as Record<string, unknown>;
        requests.push({ method: req.method, path, body });
        const reply = shape.reply(body, match);
        if (breakNext) {
          breakNext = false;
          return send(res, 500, { error: { code: 'SERVER_ERROR', description: 'The server encountered an error' } });
        }
        if (holdNext) {
          const { arrived, released } = holdNext;
          holdNext = null;
          arrived(reply);
          await released;
        }
        return send(res, 200, reply);
      }
      return refuse(res, 404, `No route ${path}`);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** The next well-formed request is refused, as Razorpay refuses one it will not do. */
    refuseNext(description: string) {
      refuseNext = description;
    },
    /** The next well-formed request is done, but answered with a 500: the caller cannot tell whether it was. */
    breakNext() {
      breakNext = true;
    },
    /**
     * The next well-formed request is done and its answer held until `release()`; `arrived` resolves with
     * that answer as soon as the request is in.
     */
    holdNext() {
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      const arrived = new Promise<Record<string, unknown>>((resolve) => (holdNext = { arrived: resolve, released }));
      return { arrived, release };
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
export type FakeRazorpay = Awaited<ReturnType<typeof startFakeRazorpay>>;
