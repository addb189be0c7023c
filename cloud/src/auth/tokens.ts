import { type KeyObject, randomUUID } from 'node:crypto';
import { AppError, ErrorCode } from '@gymstack/shared';
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { StaffRole } from '../db/schema.js';

/** Every role a token can carry: the seed's staff roles, a member (OTP login) and a paired desk. */
export type Role = StaffRole | 'member' | 'desk';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ISSUER = 'gymstack-cloud';
const AUDIENCE = 'gymstack-api';
/** Clocks of the API processes may drift a little; never more than this. */
const CLOCK_TOLERANCE_SECONDS = 5;

export interface SigningKeys {
  /** Ed25519. */
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** What an access token grants. */
export interface AccessGrant {
  gymId: string;
  /** Staff id, member id or device id: whoever acts (so equal to memberId or deviceId when set). */
  userId: string;
  role: Role;
  /** Branches the caller may act in; empty means every branch. */
  branchIds: string[];
  /** Set exactly when role is `member`. */
  memberId?: string | null;
  /** Set exactly when role is `desk`. */
  deviceId?: string | null;
  /** The staff row's token_version when issued; a password change bumps it (see authenticate.ts). */
  version?: number;
}

/** A verified token's grant, normalised, with its id and issue time. */
export interface AccessClaims extends Required<AccessGrant> {
  tokenId: string;
  /** Seconds since the epoch. */
  issuedAt: number;
}

const uuid = z.uuid();
const claimsSchema = z
  .object({
    sub: uuid,
    jti: uuid,
    iat: z.number().int(),
    gym_id: uuid,
    role: z.enum(['owner', 'manager', 'frontdesk', 'trainer', 'member', 'desk']),
    branch_ids: z.array(uuid).max(1000),
    member_id: uuid.optional(),
    device_id: uuid.optional(),
    ver: z.number().int().min(0).optional(),
  })
  // A member token names its member and a desk token its device, each the subject; no other token names either.
  .refine((c) => (c.role === 'member' ? c.member_id === c.sub : c.member_id === undefined) && (c.role === 'desk' ? c.device_id === c.sub : c.device_id === undefined));

/** One message for every rejected token: the caller learns nothing about why. */
export const unauthenticated = () => new AppError(ErrorCode.Unauthenticated, 'Authentication required');

/** Signs and verifies access JWTs: EdDSA (Ed25519) only, 15 minutes, this issuer and audience. */
export class TokenService {
  readonly #keys: SigningKeys;

  constructor(keys: SigningKeys) {
    if (keys.privateKey.asymmetricKeyType !== 'ed25519' || keys.publicKey.asymmetricKeyType !== 'ed25519') {
      throw new Error('Access tokens are signed with Ed25519 keys only');
    }
    this.#keys = keys;
  }

  sign(grant: AccessGrant): Promise<string> {
    return new SignJWT({
      gym_id: grant.gymId,
      role: grant.role,
      branch_ids: grant.branchIds,
      ...(grant.memberId ? { member_id: grant.memberId } : {}),
      ...(grant.deviceId ? { device_id: grant.deviceId } : {}),
      ...(grant.version === undefined ? {} : { ver: grant.version }),
    })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
      .setSubject(grant.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
      .sign(this.#keys.privateKey);
  }

  /** The token's claims, or an UNAUTHENTICATED AppError for anything not signed by us, expired or malformed. */
  async verify(token: string): Promise<AccessClaims> {
    let payload: unknown;
    try {
      // Pinning the algorithm is what refuses `alg: none` and any key confusion.
      ({ payload } = await jwtVerify(token, this.#keys.publicKey, {
        algorithms: ['EdDSA'],
        issuer: ISSUER,
        audience: AUDIENCE,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['sub', 'jti', 'iat', 'exp'],
      }));
    } catch {
      throw unauthenticated();
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw unauthenticated();
    const c = claims.data;
    return {
      gymId: c.gym_id,
      userId: c.sub,
      role: c.role,
      branchIds: c.branch_ids,
      memberId: c.member_id ?? null,
      deviceId: c.device_id ?? null,
      version: c.ver ?? 0,
      tokenId: c.jti,
      issuedAt: c.iat,
    };
  }
}
