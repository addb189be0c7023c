import { createHmac, timingSafeEqual } from 'node:crypto';

/** Razorpay's webhook signature: hex HMAC-SHA256 of the raw request body, keyed with the webhook secret. */
export function webhookSignature(rawBody: Buffer, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/**
 * Whether `signature` (the `X-Razorpay-Signature` header) signs `rawBody`. Compared in constant time, on
 * the bytes as received: parsing first would let a re-serialised body pass or a valid one fail.
 */
export function verifyWebhookSignature(rawBody: Buffer, signature: string | undefined, secret: string): boolean {
  if (signature === undefined) return false;
  const expected = Buffer.from(webhookSignature(rawBody, secret), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
