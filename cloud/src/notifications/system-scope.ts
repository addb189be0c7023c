import type { TenantScope } from '../db/tenant.js';

const NOBODY = '00000000-0000-0000-0000-000000000000';

/**
 * The scope background jobs and provider webhooks act in: the gym's own, with no person behind it.
 * Only the notification tables are written in it, and nothing it does is audited as a person.
 */
export function systemScope(gymId: string): TenantScope {
  return { gymId, userId: NOBODY, role: 'owner', branchIds: [], memberId: null, deviceId: null, ip: '127.0.0.1' };
}
