import type { StaffRole } from '../db/schema.js';
import type { TenantScope } from '../db/tenant.js';

// The scope an auth route acts in once it knows who is calling; the same shape authenticate.ts builds.

export const staffCaller = (staff: { gym_id: string; id: string; role: StaffRole; branch_ids: string[] }, ip: string): TenantScope => ({
  gymId: staff.gym_id,
  userId: staff.id,
  role: staff.role,
  branchIds: staff.branch_ids,
  memberId: null,
  deviceId: null,
  ip,
});

export const memberCaller = (gymId: string, memberId: string, ip: string): TenantScope => ({
  gymId,
  userId: memberId,
  role: 'member',
  branchIds: [],
  memberId,
  deviceId: null,
  ip,
});

/** A desk acts in its own branch only. */
export const deskCaller = (gymId: string, deviceId: string, branchId: string, ip: string): TenantScope => ({
  gymId,
  userId: deviceId,
  role: 'desk',
  branchIds: [branchId],
  memberId: null,
  deviceId,
  ip,
});

/**
 * Before a member is known (an OTP request): only the gym matters to RLS, and no row is written
 * in this caller's name.
 */
export const anonymousCaller = (gymId: string, ip: string): TenantScope => memberCaller(gymId, '00000000-0000-0000-0000-000000000000', ip);

/** Whose refresh token this is, as the caller of the refresh or logout it is presented to. */
export function refreshTokenCaller(ref: { gym_id: string; subject_id: string; role: TenantScope['role'] }, ip: string): TenantScope {
  if (ref.role === 'member') return memberCaller(ref.gym_id, ref.subject_id, ip);
  if (ref.role === 'desk') throw new Error('Desks hold no refresh tokens');
  // Branches are read again before any new token is signed.
  return staffCaller({ gym_id: ref.gym_id, id: ref.subject_id, role: ref.role, branch_ids: [] }, ip);
}
