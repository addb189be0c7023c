import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { errors } from '@gymstack/shared';
import { z } from 'zod';
import type { SigningKeys } from './tokens.js';

/** How long a share link works unless its creator says otherwise, and the longest it may. */
export const INVOICE_LINK_DEFAULT_DAYS = 7;
export const INVOICE_LINK_MAX_DAYS = 30;

const ISSUER = 'gymstack-cloud';
// Its own audience: the access-token check (tokens.ts) refuses a share link, and this check an access token.
const AUDIENCE = 'gymstack-invoice-link';

/** What a share link opens: one invoice of one gym, as its buyer would see it. */
export interface InvoiceLink {
  gymId: string;
  invoiceId: string;
  memberId: string;
  /** The invoice's link generation when the link was made: revoking the invoice's links moves it on. */
  generation: number;
}

const uuid = z.uuid();
// Links made before generations existed carry none: generation 0.
const claimsSchema = z.object({ sub: uuid, gym_id: uuid, member_id: uuid, gen: z.number().int().nonnegative().default(0) });

/**
 * Signed, expiring links to one invoice's PDF (no login): a JWT signed with the cloud's Ed25519 key
 * (EdDSA), like access tokens, but for another audience. A link only ever shows the one invoice, which
 * never changes. Nothing is stored per link: a link carries its invoice's link generation, and revoking
 * the invoice's links (domain/invoices.ts) moves that on, so every earlier link stops opening.
 */
export class InvoiceLinks {
  readonly #keys: SigningKeys;

  constructor(keys: SigningKeys) {
    this.#keys = keys;
  }

  sign(link: InvoiceLink, expiresAt: Date): Promise<string> {
    return new SignJWT({ gym_id: link.gymId, member_id: link.memberId, gen: link.generation })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
      .setSubject(link.invoiceId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.#keys.privateKey);
  }

  /** The link's invoice; INVOICE_LINK_EXPIRED once it has expired, INVOICE_LINK_INVALID for anything we did not sign. */
  async verify(token: string): Promise<InvoiceLink> {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.#keys.publicKey, { algorithms: ['EdDSA'], issuer: ISSUER, audience: AUDIENCE, requiredClaims: ['sub', 'exp'] }));
    } catch (error) {
      // jose checks the signature first, so only a link we signed can be "expired".
      throw error instanceof joseErrors.JWTExpired ? errors.invoiceLinkExpired() : errors.invoiceLinkInvalid();
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw errors.invoiceLinkInvalid();
    return { gymId: claims.data.gym_id, invoiceId: claims.data.sub, memberId: claims.data.member_id, generation: claims.data.gen };
  }
}
