import { AppError, ErrorCode } from '@gymstack/shared';
import Razorpay from 'razorpay';
import { z } from 'zod';

/** A gym's Razorpay API keys, in the clear: only in memory, only for the call at hand. */
export interface RazorpayCredentials {
  keyId: string;
  keySecret: string;
}

/** What the cloud writes into every order and link, so an event names the gym and order it is for. */
export type RazorpayNotes = { gym_id: string; gymstack_order_id: string };

export interface OrderRequest {
  amountPaise: number;
  currency: string;
  /** Our order row's id (Razorpay's `receipt`, at most 40 characters). */
  receipt: string;
  notes: RazorpayNotes;
}

export interface PaymentLinkRequest {
  amountPaise: number;
  currency: string;
  /** Our order row's id: Razorpay refuses a second link with the same reference. */
  referenceId: string;
  description: string;
  customer: { name: string; contact: string };
  notes: RazorpayNotes;
}

export interface RefundRequest {
  amountPaise: number;
  /** Our refund row's id (Razorpay's `receipt`). */
  receipt: string;
  notes: { gym_id: string; gymstack_refund_id: string };
}

/** The small interface the domain uses (DESIGN 5): orders, payment links and refunds. */
export interface RazorpayGateway {
  createOrder(request: OrderRequest): Promise<{ id: string }>;
  createPaymentLink(request: PaymentLinkRequest): Promise<{ id: string; shortUrl: string }>;
  refund(razorpayPaymentId: string, request: RefundRequest): Promise<{ id: string; status: 'pending' | 'processed' }>;
}

/** Makes a gateway for a gym's keys. */
export type RazorpayConnector = (credentials: RazorpayCredentials) => RazorpayGateway;

const orderReply = z.object({ id: z.string().regex(/^order_[A-Za-z0-9]+$/) });
const linkReply = z.object({ id: z.string().regex(/^plink_[A-Za-z0-9]+$/), short_url: z.url() });
const refundReply = z.object({ id: z.string().regex(/^rfnd_[A-Za-z0-9]+$/), status: z.enum(['pending', 'processed']) });

/** Razorpay did not do what it was asked, or may not have: `refused` only when it said no. */
export class RazorpayError extends AppError {
  constructor(
    message: string,
    /** Razorpay answered with a client error, so nothing was done; otherwise (no answer, a server error, a reply we could not read) it may have been. */
    readonly refused: boolean,
  ) {
    super(ErrorCode.PaymentProviderFailed, message);
  }
}

/** The SDK rejects with `{ statusCode, error: { description } }` for an API error, else with an Error. */
function gatewayError(action: string, error: unknown): RazorpayError {
  const { statusCode, error: body } = error as { statusCode?: number; error?: { description?: string } };
  const reason = body?.description ?? (error instanceof Error ? error.message : 'no answer');
  const refused = statusCode !== undefined && statusCode >= 400 && statusCode < 500;
  return new RazorpayError(`Razorpay did not ${action}: ${reason}`, refused);
}

async function call<T>(action: string, request: () => Promise<unknown>, reply: z.ZodType<T>): Promise<T> {
  let answer: unknown;
  try {
    answer = await request();
  } catch (error) {
    throw gatewayError(action, error);
  }
  const parsed = reply.safeParse(answer);
  if (!parsed.success) throw gatewayError(action, new Error('unexpected reply'));
  return parsed.data;
}

/**
 * Gateways on the official `razorpay` SDK. The SDK hard-codes api.razorpay.com; `apiUrl` points its axios
 * instance elsewhere (DESIGN 5: tests use a local stand-in that checks the request shapes).
 */
export function razorpayConnector(apiUrl?: string): RazorpayConnector {
  return ({ keyId, keySecret }) => {
    const sdk = new Razorpay({ key_id: keyId, key_secret: keySecret });
    if (apiUrl) (sdk.api as unknown as { rq: { defaults: { baseURL: string } } }).rq.defaults.baseURL = apiUrl;
    return {
      createOrder: (r) =>
        call('create the order', () => sdk.orders.create({ amount: r.amountPaise, currency: r.currency, receipt: r.receipt, notes: r.notes, partial_payment: false }), orderReply),
      createPaymentLink: async (r) => {
        const link = await call(
          'create the payment link',
          () =>
            sdk.paymentLink.create({
              amount: r.amountPaise,
              currency: r.currency,
              accept_partial: false,
              reference_id: r.referenceId,
              description: r.description,
              customer: r.customer,
              // The link goes out by WhatsApp from the cloud; Razorpay sends nothing itself.
              notify: { sms: false, email: false },
              reminder_enable: false,
              notes: r.notes,
            }),
          linkReply,
        );
        return { id: link.id, shortUrl: link.short_url };
      },
      refund: (paymentId, r) =>
        call('refund the payment', () => sdk.payments.refund(paymentId, { amount: r.amountPaise, receipt: r.receipt, notes: r.notes }), refundReply),
    };
  };
}
