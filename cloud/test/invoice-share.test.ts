import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvoiceLinks } from '../src/auth/invoice-links.js';
import { generateSigningKeys } from '../src/auth/keys.js';
import type { Role } from '../src/auth/permissions.js';
import { withTenant } from '../src/db/tenant.js';
import { deliverNotification } from '../src/notifications/deliver.js';
import { SimulatedProvider } from '../src/notifications/simulated.js';
import { testSigningKeys } from './auth-support.js';
import { pdfText } from './pdf-text.js';
import { call, createWorld, type Gym, type World } from './world.js';

const DAY_MS = 86_400_000;

/** POST and DELETE /invoices/:id/share-links, and the public GET /shared/invoices/:token a link opens. */
describe('invoice share links', () => {
  let w: World;
  let a: Gym;
  let phoneSeq = 0;

  const api = (role: Role, method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) => call(w.app, a.tokens[role], { method, url, body });
  /** Without any credentials, as whoever the link was sent to. */
  const open = (path: string) => w.app.inject({ method: 'GET', url: path });
  const share = async (role: Role, invoiceId: string, body: unknown = {}) => api(role, 'POST', `/invoices/${invoiceId}/share-links`, body);

  /** An invoice of `memberId` (default: a new member), paid at the desk. */
  async function invoiceOf(memberId?: string) {
    const id = memberId ?? (await api('owner', 'POST', '/members', { fullName: 'Shared Buyer', phone: `+9194${String(++phoneSeq).padStart(8, '0')}` })).json().data.id;
    const res = await api('owner', 'POST', '/memberships', { memberId: id, planId: a.ids.plan, payment: { method: 'cash', amountPaise: 150_000 } });
    expect(res.statusCode, res.body).toBe(201);
    return { memberId: id as string, ...(res.json().data.invoice as { id: string; number: string }) };
  }

  beforeAll(async () => {
    w = await createWorld();
    a = w.gyms.a;
  });
  afterAll(() => w?.close());

  it('opens the PDF without a login until it expires, 7 days by default', async () => {
    const invoice = await invoiceOf();
    const res = await share('frontdesk', invoice.id);
    expect(res.statusCode, res.body).toBe(201);
    const link = res.json().data as { url: string; token: string; expiresAt: string };
    expect(Math.abs(Date.parse(link.expiresAt) - (Date.now() + 7 * DAY_MS))).toBeLessThan(10_000);
    const url = new URL(link.url);
    expect(url.pathname).toBe(`/api/v1/shared/invoices/${link.token}`);

    const pdf = await open(url.pathname);
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['cache-control']).toBe('private, no-store');
    const text = await pdfText(pdf.rawPayload);
    expect(text).toContain(`Invoice no. ${invoice.number}`);
    expect(text).toContain('Billed to Shared Buyer');
    // The same stored document as staff download.
    expect((await api('owner', 'GET', `/invoices/${invoice.id}/pdf`)).rawPayload.equals(pdf.rawPayload)).toBe(true);
  });

  it('lives as long as asked, up to 30 days', async () => {
    const invoice = await invoiceOf();
    const day = await share('owner', invoice.id, { expiresInDays: 1 });
    expect(Math.abs(Date.parse(day.json().data.expiresAt) - (Date.now() + DAY_MS))).toBeLessThan(10_000);
    const long = await share('owner', invoice.id, { expiresInDays: 31 });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.issues.map((i: { path: string }) => i.path)).toEqual(['expiresInDays']);
  });

  it('refuses an expired link with INVOICE_LINK_EXPIRED and a forged one with INVOICE_LINK_INVALID, no stack', async () => {
    const invoice = await invoiceOf();
    const link = { gymId: a.gymId, invoiceId: invoice.id, memberId: invoice.memberId, generation: 0 };
    const expired = await new InvoiceLinks(testSigningKeys).sign(link, new Date(Date.now() - 1_000));
    const [header, payload, signature] = (await new InvoiceLinks(testSigningKeys).sign(link, new Date(Date.now() + DAY_MS))).split('.');
    const other = await invoiceOf();
    const repointed = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: other.id })).toString('base64url');

    const gone = await open(`/api/v1/shared/invoices/${expired}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json()).toEqual({ success: false, error: { code: 'INVOICE_LINK_EXPIRED', message: expect.any(String), status: 410 } });

    const forged = [
      `${header}.${repointed}.${signature}`,
      await new InvoiceLinks(generateSigningKeys()).sign(link, new Date(Date.now() + DAY_MS)),
      a.tokens.owner, // an access token is no share link (another audience)
      'not-a-token',
    ];
    for (const token of forged) {
      const res = await open(`/api/v1/shared/invoices/${token}`);
      expect(res.statusCode, token).toBe(400);
      expect(res.json()).toEqual({ success: false, error: { code: 'INVOICE_LINK_INVALID', message: expect.any(String), status: 400 } });
    }
  });

  it("lets a member share their own invoice only, and audits who shared which", async () => {
    const mine = await invoiceOf(a.ids.member);
    const res = await share('member', mine.id);
    expect(res.statusCode, res.body).toBe(201);
    expect((await open(new URL(res.json().data.url).pathname)).statusCode).toBe(200);
    const theirs = await invoiceOf();
    const refused = await share('member', theirs.id);
    expect(refused.statusCode).toBe(404);
    expect(refused.json().error.code).toBe('NOT_FOUND');
    const audit = await withTenant(w.t.owner, a.seed.scope, (trx) =>
      trx.selectFrom('audit_log').select(['actor_id', 'actor_role', 'entity_id']).where('action', '=', 'invoice.share').where('entity_id', 'in', [mine.id, theirs.id]).execute(),
    );
    expect(audit).toEqual([{ actor_id: a.ids.member, actor_role: 'member', entity_id: mine.id }]);
  });

  it('stops every link shared so far when the invoice\'s links are revoked; a link made afterwards works', async () => {
    const invoice = await invoiceOf(a.ids.member);
    const first = new URL((await share('frontdesk', invoice.id)).json().data.url).pathname;
    const second = new URL((await share('member', invoice.id)).json().data.url).pathname;
    expect((await open(first)).statusCode).toBe(200);

    const revoked = await api('member', 'DELETE', `/invoices/${invoice.id}/share-links`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().data).toEqual({ invoiceId: invoice.id, revokedAt: expect.any(String) });
    for (const path of [first, second]) {
      const res = await open(path);
      expect(res.statusCode).toBe(410);
      expect(res.json()).toEqual({ success: false, error: { code: 'INVOICE_LINK_REVOKED', message: expect.any(String), status: 410 } });
    }
    const fresh = new URL((await share('owner', invoice.id)).json().data.url).pathname;
    expect((await open(fresh)).statusCode).toBe(200);
    // Revoking again stops that one too; staff still download the invoice.
    expect((await api('owner', 'DELETE', `/invoices/${invoice.id}/share-links`)).statusCode).toBe(200);
    expect((await open(fresh)).statusCode).toBe(410);
    expect((await api('owner', 'GET', `/invoices/${invoice.id}/pdf`)).statusCode).toBe(200);

    const theirs = await invoiceOf();
    expect((await api('member', 'DELETE', `/invoices/${theirs.id}/share-links`)).statusCode).toBe(404);
    const audit = await withTenant(w.t.owner, a.seed.scope, (trx) =>
      trx.selectFrom('audit_log').select(['actor_role']).where('action', '=', 'invoice.revoke_links').where('entity_id', '=', invoice.id).orderBy('at').execute(),
    );
    expect(audit.map((r) => r.actor_role)).toEqual(['member', 'owner']);
  });

  it("puts a link to the invoice in the payment's WhatsApp receipt when the cloud's public address is set", async () => {
    const invoice = await invoiceOf();
    const receipt = await withTenant(w.t.owner, a.seed.scope, async (trx) => {
      const payment = await trx.selectFrom('payments').select('id').where('invoice_id', '=', invoice.id).executeTakeFirstOrThrow();
      return trx.selectFrom('notifications').select('id').where('ref', '=', payment.id).where('template', '=', 'payment_receipt').executeTakeFirstOrThrow();
    });
    // 10:30 in India today, out of the gym's quiet hours whenever the suite runs.
    const morning = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + 5 * 3_600_000);
    const deps = { db: w.t.api, provider: new SimulatedProvider(), appUrl: 'https://app.test', now: () => morning };
    const bodyOf = async () => (await withTenant(w.t.owner, a.seed.scope, (trx) => trx.selectFrom('notifications').select('body').where('id', '=', receipt.id).executeTakeFirstOrThrow())).body ?? '';

    expect(await deliverNotification({ ...deps, receiptLinks: { links: new InvoiceLinks(testSigningKeys), cloudUrl: 'https://cloud.test' } }, a.gymId, receipt.id)).toBe('simulated');
    const link = /Invoice: (https:\/\/cloud\.test(\/api\/v1\/shared\/invoices\/\S+))$/.exec(await bodyOf());
    expect(link, await bodyOf()).not.toBeNull();
    const pdf = await open(link?.[2] as string);
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(await pdfText(pdf.rawPayload)).toContain(`Invoice no. ${invoice.number}`);

    // Without the cloud's address the receipt points at the member app, as before.
    await withTenant(w.t.owner, a.seed.scope, (trx) => trx.updateTable('notifications').set({ status: 'queued', sent_on: null }).where('id', '=', receipt.id).execute());
    expect(await deliverNotification(deps, a.gymId, receipt.id)).toBe('simulated');
    expect(await bodyOf()).toMatch(/Invoice: https:\/\/app\.test$/);
  });

  it("stops working once its member is erased, while staff still download the invoice", async () => {
    const invoice = await invoiceOf();
    const path = new URL((await share('owner', invoice.id)).json().data.url).pathname;
    expect((await open(path)).statusCode).toBe(200);
    expect((await api('owner', 'POST', `/members/${invoice.memberId}/erase`)).statusCode).toBeLessThan(300);
    const after = await open(path);
    expect(after.statusCode).toBe(404);
    expect(after.json().error.code).toBe('NOT_FOUND');
    expect((await api('owner', 'GET', `/invoices/${invoice.id}/pdf`)).statusCode).toBe(200);
  });
});
