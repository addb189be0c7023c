import { errors } from '@gymstack/shared';
import { type Expression, type SqlBool, sql } from 'kysely';
import type { Access } from '../auth/permissions.js';

const everything = sql<SqlBool>`true`;

/**
 * The rows of a member-owned table the caller's grant reaches (permissions.ts): `branch` by the row's
 * branch, `own` through the trainer's current assignments, `self` by the member's own id. Every list
 * and look-up adds it, so a row out of scope is simply not found (404, no existence leak).
 */
export function inScope(access: Access, columns: { member: string; branch: string }): Expression<SqlBool> {
  const { caller } = access;
  switch (access.scope) {
    case 'all':
      return everything;
    case 'branch':
      return caller.branchIds.length === 0 ? everything : sql<SqlBool>`${sql.ref(columns.branch)} = any(${caller.branchIds}::uuid[])`;
    case 'own':
      return sql<SqlBool>`exists (select 1 from trainer_assignments ta
        where ta.member_id = ${sql.ref(columns.member)} and ta.trainer_id = ${caller.userId}
          and ta.ended_at is null and ta.deleted_at is null)`;
    case 'self':
      return sql<SqlBool>`${sql.ref(columns.member)} = ${caller.memberId}`;
  }
}

/** For writes that name a branch: one outside a branch-scoped caller's branches does not exist for them. */
export function assertBranchInScope(access: Access, branchId: string): void {
  const { branchIds } = access.caller;
  if (access.scope === 'branch' && branchIds.length > 0 && !branchIds.includes(branchId)) throw errors.notFound('Branch');
}
