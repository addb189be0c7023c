/**
 * A gym set up through the cloud's real HTTP API, as an owner would: sign-up, plans, staff, and the
 * pairing codes the desks redeem.
 */
import { randomBytes } from 'node:crypto';
import type { Plan, PlanInput } from '@gymstack/shared';
import { api } from '../../scripts/cloud-client.js';

export { ApiError, api } from '../../scripts/cloud-client.js';

export interface StaffSession {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: { id: string; name: string; email: string | null; phone: string | null; role: string; branchIds: string[] };
  gym: { id: string; name: string };
}

export interface OnboardedGym {
  gymId: string;
  branchId: string;
  ownerId: string;
  /** The owner's access token (15 minutes) and refresh token, from the sign-up's session. */
  ownerToken: string;
  refreshToken: string;
  /** How the owner logs in again (login()). */
  owner: { email: string; phone: string; password: string };
}

const OWNER_PASSWORD = 'correct-horse-battery';
/** The owner's desk PIN, set at sign-up, so the owner can log in at a desk as soon as it is paired. */
export const OWNER_PIN = '1111';

/** A mobile number no other gym in the database has (logins are unique across gyms). */
const uniquePhone = () => `+9198${String(randomBytes(4).readUInt32BE() % 100_000_000).padStart(8, '0')}`;

/**
 * Signs a gym up with POST /api/v1/gyms (public, no secret; rate-limited to 10 a minute per address).
 * The sign-up answers the owner's session as a login does, so no separate login is needed.
 */
export async function onboardGym(cloudUrl: string, label: string): Promise<OnboardedGym> {
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const owner = { email: `owner-${slug}-${randomBytes(4).toString('hex')}@example.com`, phone: uniquePhone(), password: OWNER_PASSWORD };
  const session = await api<StaffSession>(cloudUrl, 'POST', '/api/v1/gyms', {
    body: {
      gym: { name: `${label} Gym`, legalName: `${label} Fitness LLP`, stateCode: '29', address: 'MG Road, Bengaluru' },
      branch: { name: `${label} Main` },
      owner: { name: `${label} Owner`, pin: OWNER_PIN, ...owner },
    },
  });
  const branches = await api<{ id: string }[]>(cloudUrl, 'GET', '/api/v1/branches', { token: session.accessToken });
  const branch = branches[0];
  if (!branch) throw new Error('The new gym has no branch');
  return { gymId: session.gym.id, branchId: branch.id, ownerId: session.user.id, ownerToken: session.accessToken, refreshToken: session.refreshToken, owner };
}

/** Staff login (email or phone) with POST /api/v1/auth/login. */
export function login(cloudUrl: string, loginName: string, password: string): Promise<StaffSession> {
  return api<StaffSession>(cloudUrl, 'POST', '/api/v1/auth/login', { body: { login: loginName, password } });
}

export const DEFAULT_PLAN: PlanInput = {
  name: 'Monthly',
  duration: { unit: 'months', count: 1 },
  pricePaise: 150_000,
  taxInclusive: true,
  gstRateBps: 1_800,
  sac: '999723',
  access: { allowedBranchIds: null, hours: null },
  maxFreezeDays: 0,
  ptSessions: 0,
};

/** POST /api/v1/plans: a plan on sale at once; DEFAULT_PLAN with `overrides`. */
export function createPlan(cloudUrl: string, ownerToken: string, overrides: Partial<PlanInput> = {}): Promise<Plan> {
  return api<Plan>(cloudUrl, 'POST', '/api/v1/plans', { token: ownerToken, body: { ...DEFAULT_PLAN, ...overrides } });
}

export interface StaffView {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  role: 'owner' | 'manager' | 'frontdesk' | 'trainer';
  branchIds: string[];
  active: boolean;
  /** Whether the person can log in at a desk (absent from clouds older than REST PINs). */
  hasPin?: boolean;
}

export interface StaffInput {
  name: string;
  role: StaffView['role'];
  /** Empty or absent: every branch. */
  branchIds?: string[];
  email?: string;
  phone?: string;
  password?: string;
}

/** POST /api/v1/staff: a staff member with no desk PIN. */
export function createStaff(cloudUrl: string, ownerToken: string, input: StaffInput): Promise<StaffView> {
  return api<StaffView>(cloudUrl, 'POST', '/api/v1/staff', { token: ownerToken, body: input });
}

/**
 * POST /api/v1/staff with a desk PIN (4 to 8 digits), which the cloud stores as an argon2id hash that
 * syncs down to the desks. Throws if the cloud ignored the PIN (a cloud without REST PINs).
 */
export async function createStaffWithPin(cloudUrl: string, ownerToken: string, input: StaffInput & { pin: string }): Promise<StaffView> {
  const staff = await api<StaffView>(cloudUrl, 'POST', '/api/v1/staff', { token: ownerToken, body: input });
  if (staff.hasPin !== true) throw new Error('The cloud did not set the PIN: POST /api/v1/staff takes no pin here');
  return staff;
}

/** POST /api/v1/devices/pairing-codes (owner only): a one-time code, valid 10 minutes, pairing one desk to the branch. */
export async function pairingCode(cloudUrl: string, ownerToken: string, branchId: string): Promise<string> {
  const { code } = await api<{ code: string; expiresAt: string }>(cloudUrl, 'POST', '/api/v1/devices/pairing-codes', { token: ownerToken, body: { branchId } });
  return code;
}
