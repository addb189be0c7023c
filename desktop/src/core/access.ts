import { type Staff, errors, hasRole, roleRank } from '@gymstack/shared';
import type { Context } from './context.js';
import type { Access } from './handlers/types.js';

/** The one place roles are checked: every handler declares its `access` and the dispatcher calls this. */
export function authorize(ctx: Context, access: Access): void {
  if (access === 'public') return;
  if (!hasRole(ctx.staff.role, access)) throw errors.forbidden(access);
}

/**
 * Staff may manage (reset the PIN of, deactivate) only staff below them, and owners everyone; so a
 * manager can never take over an owner's login.
 */
export function assertCanManage(actor: Staff, target: Pick<Staff, 'role'>): void {
  if (actor.role !== 'owner' && roleRank(actor.role) <= roleRank(target.role)) throw errors.forbidden('owner');
}
