import fc from 'fast-check';
import Razorpay from 'razorpay';
import { describe, expect, it } from 'vitest';
import { verifyWebhookSignature, webhookSignature } from './signature.js';

describe('Razorpay webhook signature', () => {
  it('is what the SDK’s validateWebhookSignature accepts, and verifies only the exact bytes', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), fc.string({ minLength: 1, maxLength: 1 }), (body, secret, extra) => {
        const raw = Buffer.from(body, 'utf8');
        const signature = webhookSignature(raw, secret);
        expect(Razorpay.validateWebhookSignature(body, signature, secret)).toBe(true);
        expect(verifyWebhookSignature(raw, signature, secret)).toBe(true);
        expect(verifyWebhookSignature(Buffer.from(body + extra, 'utf8'), signature, secret)).toBe(false);
        expect(verifyWebhookSignature(raw, signature, secret + extra)).toBe(false);
      }),
    );
  });

  it('refuses a missing, truncated or non-hex signature without throwing', () => {
    const raw = Buffer.from('{"event":"payment.captured"}');
    const signature = webhookSignature(raw, 'secret');
    for (const bad of [undefined, '', signature.slice(0, -1), `${signature}0`, signature.toUpperCase(), 'é'.repeat(32)]) {
      expect(verifyWebhookSignature(raw, bad, 'secret')).toBe(false);
    }
  });
});
