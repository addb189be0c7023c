import { AppError, ErrorCode } from '@gymstack/shared';
import type { FastifyRequest } from 'fastify';
import type { TenantScope } from '../db/tenant.js';
import type { CloudApp } from '../http/app-types.js';

/**
 * The seed's RBAC matrix (owner, manager, frontdesk, trainer, member) plus `desk`, a paired front-desk
 * PC: what frontdesk may do, for its own branch. Declared once, here, as data; every tenant route names
 * the resource and action it needs (`config.permission`) and one hook checks it before the handler.
 */
export type Role = TenantScope['role'];
export const roles = ['owner', 'manager', 'frontdesk', 'trainer', 'member', 'desk'] as const satisfies readonly Role[];

export const actions = ['read', 'create', 'update', 'delete'] as const;
export type Action = (typeof actions)[number];

const levels = {
  none: [],
  read: ['read'],
  'read/update': ['read', 'update'],
  'create/read/update': ['create', 'read', 'update'],
  full: ['create', 'read', 'update', 'delete'],
  create: ['create'],
} as const satisfies Record<string, readonly Action[]>;
export type Level = keyof typeof levels;

/**
 * Which rows a grant reaches (the seed's legend): `all` of the gym; `branch`, rows of the caller's
 * branches (none listed = every branch); `own`, a trainer's assigned clients; `self`, a member's own rows.
 * Query helpers in domain/scope.ts apply it, so a row out of scope reads as missing (404), never 403.
 */
export type Scope = 'all' | 'branch' | 'own' | 'self';

export interface Grant {
  level: Level;
  scope: Scope;
}

const g = (level: Level, scope: Scope = 'all'): Grant => ({ level, scope });
const none = g('none');

/**
 * Resources are the seed's rows where the API has routes, plus what the seed leaves implicit: plans
 * and memberships (sold at the desk, so frontdesk may sell, renew and freeze; cancelling is `delete`,
 * a manager's call as at the desk) and member data rights (export and erasure, the owner's alone).
 * The seed's "Trainers" row is who trains whom: trainer assignments. A payment `delete` is kept for
 * refunds, which the seed gives the owner alone, so a manager's payments grant stops at update.
 */
export const matrix = {
  members: { owner: g('full'), manager: g('create/read/update'), frontdesk: g('create/read/update'), trainer: g('read', 'own'), member: g('read', 'self'), desk: g('create/read/update', 'branch') },
  trainerAssignments: { owner: g('full'), manager: g('full'), frontdesk: g('read'), trainer: g('read', 'own'), member: g('read', 'self'), desk: g('read', 'branch') },
  payments: { owner: g('full'), manager: g('create/read/update'), frontdesk: g('create/read/update'), trainer: g('read', 'own'), member: g('read', 'self'), desk: g('create/read/update', 'branch') },
  checkins: { owner: g('full'), manager: g('full'), frontdesk: g('full'), trainer: g('read', 'own'), member: g('read', 'self'), desk: g('full', 'branch') },
  memberships: { owner: g('full'), manager: g('full'), frontdesk: g('create/read/update'), trainer: g('read', 'own'), member: g('read', 'self'), desk: g('create/read/update', 'branch') },
  plans: { owner: g('full'), manager: g('full'), frontdesk: g('read'), trainer: g('read'), member: g('read'), desk: g('read') },
  gymConfig: { owner: g('full'), manager: g('read'), frontdesk: none, trainer: none, member: none, desk: none },
  branches: { owner: g('full'), manager: g('read/update', 'branch'), frontdesk: none, trainer: none, member: none, desk: none },
  staff: { owner: g('full'), manager: g('full', 'branch'), frontdesk: none, trainer: none, member: none, desk: none },
  auditLog: { owner: g('full'), manager: none, frontdesk: none, trainer: none, member: none, desk: none },
  memberData: { owner: g('full'), manager: none, frontdesk: none, trainer: none, member: none, desk: none },
  // Takings per desk and shift (reconciliation): the people who count the drawers and the slips.
  reports: { owner: g('read'), manager: g('read'), frontdesk: none, trainer: none, member: none, desk: none },
  // Razorpay orders and payment links (issue 6): staff and desks make them for members, a member for
  // themself (buying online); the reviews of refused payments are for the owner and manager.
  onlinePayments: { owner: g('full'), manager: g('create/read/update'), frontdesk: g('create'), trainer: none, member: g('create', 'self'), desk: g('create', 'branch') },
  // A desk's own outbox (DESIGN 6): only a paired desk pushes one; each mutation in it is then checked
  // against the row above for its own resource, as the REST API would.
  sync: { owner: none, manager: none, frontdesk: none, trainer: none, member: none, desk: g('create') },
  // The gym's template and pass keys in the clear (DESIGN 7): only the desks that seal and verify with
  // them; people get passes from the cloud instead.
  gymKeys: { owner: none, manager: none, frontdesk: none, trainer: none, member: none, desk: g('read') },
  // WhatsApp reminders and receipts (issue 6): owners and managers follow them up and retry dead ones.
  // A desk shows them to its staff, gated there by the staff member's role; gym-wide, as the desk holds
  // every member of the gym (the member shapes are not per branch).
  notifications: { owner: g('full'), manager: g('read/update'), frontdesk: none, trainer: none, member: none, desk: g('read/update') },
} as const satisfies Record<string, Record<Role, Grant>>;
export type Resource = keyof typeof matrix;

export interface Permission {
  resource: Resource;
  action: Action;
}

/** The grant of `role` for `permission`, or null when the matrix says no. */
export function grantFor(role: Role, { resource, action }: Permission): Grant | null {
  const grant: Grant = matrix[resource][role];
  return (levels[grant.level] as readonly Action[]).includes(action) ? grant : null;
}

/** What domain queries need to narrow rows to the caller's scope. */
export interface Access {
  scope: Scope;
  caller: TenantScope;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What a tenant route needs; `authenticated` = any signed-in caller (e.g. logout). Required on every tenant route. */
    permission?: Permission | 'authenticated';
  }
  interface FastifyRequest {
    /** The caller with the scope the matrix grants for this route. Only in tenant routes. */
    readonly access: Access;
  }
}

const kAccess = Symbol('access');
type Holder = Record<typeof kAccess, Access | null>;

/**
 * Enforces the matrix for every route registered after it in this context: a route without a declared
 * permission fails at start-up (fail closed), and a caller the matrix refuses gets 403 FORBIDDEN in
 * onRequest, after authentication and before the body is parsed or any transaction opens.
 */
export function permissions(app: CloudApp): void {
  app.decorateRequest(kAccess, null);
  app.decorateRequest('access', {
    getter(this: FastifyRequest) {
      const access = (this as unknown as Holder)[kAccess];
      if (access === null) throw new Error('request.access exists only in a tenant route');
      return access;
    },
  });
  app.addHook('onRoute', (route) => {
    if (route.config?.permission === undefined) throw new Error(`${route.method} ${route.url} declares no config.permission`);
  });
  app.addHook('onRequest', async (request) => {
    const permission = request.routeOptions.config.permission;
    if (permission === undefined) return; // unmatched URL: the not-found handler answers
    const caller = request.tenant;
    const state = request as unknown as Holder;
    // Routes open to any caller get the narrowest scope, so a query that wrongly scopes by it finds nothing.
    if (permission === 'authenticated') {
      state[kAccess] = { scope: 'self', caller };
      return;
    }
    const grant = grantFor(caller.role, permission);
    if (!grant) throw new AppError(ErrorCode.Forbidden, `A ${caller.role} may not ${permission.action} ${permission.resource}`);
    state[kAccess] = { scope: grant.scope, caller };
  });
}
