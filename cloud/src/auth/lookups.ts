import { type Kysely, sql } from 'kysely';
import type { Database, StaffRole } from '../db/schema.js';
import type { AccessClaims, Role } from './tokens.js';

// Typed calls of the SECURITY DEFINER look-ups (migration 2026_11_22_0002_auth): the only reads the API
// makes before it knows the gym. Everything after them runs in `withTenant`.

export interface StaffLogin {
  gym_id: string;
  id: string;
  role: StaffRole;
  branch_ids: string[];
  token_version: number;
  password_hash: string | null;
}

/** The live, active staff account with this email (any case) or E.164 phone. */
export async function findStaffLogin(db: Kysely<Database>, login: string): Promise<StaffLogin | undefined> {
  const { rows } = await sql<StaffLogin>`select * from auth_find_staff(${login})`.execute(db);
  return rows[0];
}

export interface RefreshTokenRef {
  gym_id: string;
  id: string;
  subject_id: string;
  role: Role;
}

export async function findRefreshToken(db: Kysely<Database>, hash: Buffer): Promise<RefreshTokenRef | undefined> {
  const { rows } = await sql<RefreshTokenRef>`select * from auth_find_refresh_token(${hash})`.execute(db);
  return rows[0];
}

export interface Located {
  gym_id: string;
  id: string;
  branch_id: string;
}

export async function findPairingCode(db: Kysely<Database>, hash: Buffer): Promise<Located | undefined> {
  const { rows } = await sql<Located>`select * from auth_find_pairing_code(${hash})`.execute(db);
  return rows[0];
}

/** A paired device's gym and branch (revoked or not), or undefined. */
export async function findDevice(db: Kysely<Database>, deviceId: string): Promise<Located | undefined> {
  const { rows } = await sql<Omit<Located, 'id'>>`select * from auth_find_device(${deviceId}::uuid)`.execute(db);
  return rows[0] && { ...rows[0], id: deviceId };
}

/** Whether the token's subject may still act: desk not revoked, member not erased, staff unchanged since issue. */
export async function sessionLive(db: Kysely<Database>, claims: AccessClaims): Promise<boolean> {
  const { rows } = await sql<{ live: boolean }>`
    select live from auth_session_live(${claims.gymId}::uuid, ${claims.role}, ${claims.userId}::uuid, ${claims.version}::integer)`.execute(db);
  return rows[0]?.live === true;
}
