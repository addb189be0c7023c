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
}

const uuid = z.uuid();
const claimsSchema = z.object({ sub: uuid, gym_id: uuid, member_id: uuid });

/**
 * Signed, expiring links to one invoice's PDF (no login): a JWT signed with the cloud's Ed25519 key
 * (EdDSA), like access tokens, but for another audience. Nothing is stored, so a link cannot be revoked
 * before it expires; it only ever shows the one invoice, which never changes.
 */
export class InvoiceLinks {
  readonly #keys: SigningKeys;

  constructor(keys: SigningKeys) {
    this.#keys = keys;
  }

  sign(link: InvoiceLink, expiresAt: Date): Promise<string> {
    return new SignJWT({ gym_id: link.gymId, member_id: link.memberId })
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
    return { gymId: claims.data.gym_id, invoiceId: claims.data.sub, memberId: claims.data.member_id };
  }
}
