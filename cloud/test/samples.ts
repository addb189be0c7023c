import { addDays, localDateAt } from '@gymstack/shared';
import { v7 as uuid } from 'uuid';
import { type ApiRoute, idKindOf, type IdKind } from './api-routes.js';
import type { Call } from './world.js';

/** The rows a sample request names: of the caller's gym (permission suite) or of another (isolation suite). */
export type Targets = Record<IdKind, string> & { trainer: string };

let counter = 0;
/** A phone and an email no one else has, so creates do not collide across calls. */
const fresh = () => {
  counter += 1;
  return { phone: `+9197${String(Date.now() % 1e6).padStart(6, '0')}${String(counter % 100).padStart(2, '0')}`, email: `new${uuid()}@example.test` };
};

const tomorrow = () => addDays(localDateAt(new Date(), 'Asia/Kolkata'), 1);

const plan = {
  name: 'Quarterly',
  duration: { unit: 'months', count: 3 },
  pricePaise: 400_000,
  taxInclusive: true,
  gstRateBps: 1800,
  sac: '999723',
  access: { allowedBranchIds: null, hours: null },
  maxFreezeDays: 14,
  ptSessions: 0,
};

/**
 * A well-formed request for `route` naming `t`'s rows, and whether it names any (a body id or `:id`).
 * A route added later without a sample here fails the suites until it gets one.
 */
export function sampleRequest(route: ApiRoute, t: Targets): Call & { namesRows: boolean } {
  const kind = idKindOf(route.url);
  const url = kind ? route.url.replace(':id', t[kind]) : route.url;
  const bodies: Record<string, unknown> = {
    'PUT /gym/config': { name: 'Renamed Fitness' },
    'POST /branches': { name: 'Annex' },
    'PUT /branches/:id': { name: 'Renamed branch' },
    'POST /staff': { name: 'New Trainer', role: 'trainer', branchIds: [t.branches], email: fresh().email },
    'PUT /staff/:id': { name: 'Renamed Trainer' },
    'POST /trainer-assignments': { trainerId: t.trainer, memberId: t.members },
    'POST /members': { fullName: 'New Member', phone: fresh().phone, branchId: t.branches },
    'PUT /members/:id': { fullName: 'Renamed Member' },
    'POST /plans': plan,
    'PUT /plans/:id': { name: 'Monthly plus' },
    'POST /memberships': { memberId: t.members, planId: t.plans },
    'POST /memberships/renew': { memberId: t.members, planId: t.plans },
    'POST /memberships/:id/freeze': { from: tomorrow(), to: tomorrow() },
    'POST /memberships/:id/cancel': { reason: 'Moved away' },
    'POST /payments/record-offline': { membershipId: t.memberships, method: 'cash', amountPaise: 100 },
    // Deliberately invalid: with real keys stored, the order samples after it would call Razorpay itself.
    'PUT /payments/razorpay-account': {},
    'POST /payments/orders': { memberId: t.members, planId: t.plans },
    'POST /members/:id/payment-links': { planId: t.plans },
    'POST /payments/:id/refunds': { amountPaise: 100 },
    'POST /invoices/:id/share-links': { expiresInDays: 1 },
    'POST /check-ins': { method: 'manual', memberId: t.members, branchId: t.branches },
    'POST /devices/pairing-codes': { branchId: t.branches },
    'PUT /notification-settings': { quietStart: '22:00' },
    // Deliberately invalid: a real password change would end the caller's sessions mid-suite.
    'POST /auth/password': {},
    // Deliberately invalid (400): a push names the caller's own device, which no other gym's targets hold.
    'POST /sync/push': { entries: [] },
  };
  const key = `${route.method} ${route.url}`;
  if (route.hasBody && !(key in bodies)) throw new Error(`No sample body for ${key}: add one to samples.ts`);
  const body = bodies[key];
  const namesRows = kind !== null || (body !== undefined && Object.values(t).some((id) => JSON.stringify(body).includes(id)));
  return { method: route.method, url, ...(route.hasBody ? { body } : {}), namesRows };
}
