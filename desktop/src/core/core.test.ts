import { v7 as uuid } from 'uuid';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type HandlerName, handlerNames } from './contract.js';
import { type TestDesk, createTestDesk, monthlyPlan } from './testing/desk.js';

const someId = uuid();

/** One invalid argument set per handler, with the field path it must be reported at ('' = the whole object). */
const invalid: Record<HandlerName, [args: unknown, path: string]> = {
  'desk/info': [{ extra: 1 }, ''],
  'auth/staff': [{ extra: 1 }, ''],
  'auth/login': [{ staffId: someId, pin: '12' }, 'pin'],
  'auth/session': [{ extra: 1 }, ''],
  'auth/logout': [{ extra: 1 }, ''],
  'staff/create': [{ name: 'Asha', role: 'boss', pin: '1234' }, 'role'],
  'staff/setPin': [{ staffId: someId, pin: 'abcd' }, 'pin'],
  'staff/deactivate': [{ staffId: 'not-a-uuid' }, 'staffId'],
  'settings/get': [{ extra: 1 }, ''],
  'settings/update': [{ antiPassbackMinutes: -1 }, 'antiPassbackMinutes'],
  'gym/update': [{ gstin: 'not a gstin' }, 'gstin'],
  'members/search': [{ query: '   ' }, 'query'],
  'members/list': [{ filter: 'vip' }, 'filter'],
  'members/get': [{ memberId: 'x' }, 'memberId'],
  'members/create': [{ fullName: 'Asha Rao', phone: '12345' }, 'phone'],
  'members/update': [{ memberId: someId, patch: { email: 'not-an-email' } }, 'patch.email'],
  'members/photo': [{}, 'memberId'],
  'members/setPhoto': [{ memberId: someId, dataUrl: 'data:text/html;base64,AAAA' }, 'dataUrl'],
  'cards/assign': [{ memberId: someId, number: 'no spaces!' }, 'number'],
  'cards/revoke': [{ memberId: 'nope', number: '04A1B2C3' }, 'memberId'],
  'plans/list': [{ includeArchived: 'yes' }, 'includeArchived'],
  'plans/create': [{ ...monthlyPlan, sac: '99' }, 'sac'],
  'plans/update': [{ planId: someId, patch: { pricePaise: 1.5 } }, 'patch.pricePaise'],
  'plans/archive': [{ planId: 7 }, 'planId'],
  'memberships/sell': [{ memberId: someId, planId: someId, start: '2026-02-30' }, 'start'],
  'memberships/renew': [{ memberId: someId, planId: someId, payment: { method: 'upi_offline', amountPaise: 100 } }, 'payment.reference'],
  'memberships/freeze': [{ membershipId: someId, from: 'tomorrow', to: '2026-12-01' }, 'from'],
  'memberships/unfreeze': [{}, 'membershipId'],
  'memberships/cancel': [{ membershipId: someId, reason: ' ' }, 'reason'],
  'payments/record': [{ membershipId: someId, method: 'cash', amountPaise: 0 }, 'amountPaise'],
  'receipts/html': [{ invoiceId: 'x' }, 'invoiceId'],
  'receipts/pdf': [{ invoiceId: 'x' }, 'invoiceId'],
  'checkins/create': [{ method: 'face', memberId: someId }, 'method'],
  'checkins/scan': [{ code: '   ' }, 'code'],
  'checkins/recent': [{ limit: 0 }, 'limit'],
  'checkins/occupancy': [{ extra: 1 }, ''],
  'checkins/checkout': [{ memberId: 'x' }, 'memberId'],
  'dashboard/today': [{ extra: 1 }, ''],
  'audit/list': [{ limit: 1000 }, 'limit'],
  'devices/list': [{ extra: 1 }, ''],
  'devices/config': [{ extra: 1 }, ''],
  'devices/ports': [{ extra: 1 }, ''],
  'devices/configure': [{ fingerprint: { kind: 'serial', path: '' } }, 'fingerprint.path'],
  'devices/test': [{ device: 'toaster' }, 'device'],
  'devices/simulate': [{ action: 'finger', memberId: 'x' }, 'memberId'],
  'devices/mqttLogin': [{ kind: 'bridge', deviceId: 'pc 2' }, 'deviceId'],
  'fingerprints/enroll': [{ memberId: someId, consent: false }, 'consent'],
  'fingerprints/cancel': [{ extra: 1 }, ''],
  'fingerprints/list': [{ memberId: 'x' }, 'memberId'],
  'fingerprints/remove': [{ memberId: someId, fingerprintId: 'x' }, 'fingerprintId'],
  'passes/issue': [{ memberId: 'x' }, 'memberId'],
  'messages/list': [{ status: 'lost' }, 'status'],
  'messages/member': [{ memberId: someId, perPage: 500 }, 'perPage'],
  'messages/retry': [{ messageId: 'x' }, 'messageId'],
  'setup/status': [{ extra: 1 }, ''],
  'setup/pair': [{ cloudUrl: 'ftp://cloud.example', code: 'K7PQ-M2XD' }, 'cloudUrl'],
  'sync/status': [{ extra: 1 }, ''],
  'sync/rejections': [{ extra: 1 }, ''],
  'sync/resolve': [{ mutationId: someId, action: 'ignore' }, 'action'],
};

const publicHandlers = new Set<HandlerName>(['desk/info', 'auth/staff', 'auth/login', 'auth/session', 'setup/status', 'setup/pair', 'sync/status']);

let desk: TestDesk;
beforeAll(async () => {
  desk = await createTestDesk();
});
afterAll(() => desk.close());

describe('dispatch', () => {
  it('covers every handler of the contract in the validation table', () => {
    expect(Object.keys(invalid).sort()).toEqual([...handlerNames].sort());
  });

  it.each(handlerNames)('%s rejects invalid arguments with VALIDATION_ERROR and field paths', async (name) => {
    await desk.loginAs('owner');
    const [args, path] = invalid[name];
    const reply = await desk.core.dispatch(name, args);
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('VALIDATION_ERROR');
    expect(reply.error.issues?.map((i) => i.path)).toContain(path);
  });

  it.each(handlerNames.filter((n) => !publicHandlers.has(n)))('%s needs a logged-in staff member', async (name) => {
    await desk.core.dispatch('auth/logout', {});
    const reply = await desk.core.dispatch(name, invalid[name][0]);
    expect(reply).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
  });

  it('answers the public handlers without a session', async () => {
    await desk.core.dispatch('auth/logout', {});
    const reply = await desk.core.dispatch('desk/info', {});
    expect(reply.ok && (reply.data as { gym: { name: string } }).gym.name).toBe('Iron Temple Fitness');
    expect(await desk.core.dispatch('auth/session', undefined)).toEqual({ ok: true, data: null });
  });

  it('reports an unknown handler', async () => {
    const reply = await desk.core.dispatch('members/explode', {});
    expect(reply.ok === false && reply.error.code).toBe('UNKNOWN_HANDLER');
  });

  it('turns an unexpected failure into a generic INTERNAL error and logs the stack', async () => {
    await desk.loginAs('owner');
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const db = desk.sqlite();
    db.exec(`create trigger boom before insert on plans begin select raise(abort, 'disk on fire'); end`);
    try {
      const reply = await desk.core.dispatch('plans/create', monthlyPlan);
      expect(reply).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong; the action was not saved' } });
      expect(JSON.stringify(reply)).not.toContain('disk on fire');
      expect(log).toHaveBeenCalled();
    } finally {
      db.exec('drop trigger boom');
      log.mockRestore();
    }
  });

  it('emits changed after a write and session on login and logout', async () => {
    await desk.loginAs('owner');
    const seen: string[] = [];
    const off = desk.core.onEvent((e) => seen.push(e.type === 'changed' ? `changed:${e.entities.join(',')}` : e.type));
    await desk.createPlan();
    await desk.core.call('auth/logout', {});
    await desk.loginAs('frontdesk');
    off();
    await desk.core.call('auth/logout', {});
    expect(seen).toEqual(['changed:plans', 'session', 'session']);
  });
});
