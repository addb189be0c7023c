import { localDateAt } from '@gymstack/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/auth/permissions.js';
import { withTenant } from '../src/db/tenant.js';
import { pdfText } from './pdf-text.js';
import { call, createWorld, type Gym, type World } from './world.js';

/** GET /invoices/:id/pdf: the GST tax invoice rendered with pdfkit, read back with pdftotext, field by field. */
describe('invoice PDFs', () => {
  let w: World;
  let a: Gym;
  let planId: string;
  let phoneSeq = 0;

  const api = (role: Role, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => call(w.app, a.tokens[role], { method, url, body });

  beforeAll(async () => {
    w = await createWorld();
    a = w.gyms.a;
    const config = await api('owner', 'PUT', '/gym/config', { legalName: 'Alpha Fitness Private Limited', gstin: '29AAACA1234B1Z5', address: '12 Residency Road, Bengaluru' });
    expect(config.statusCode, config.body).toBe(200);
    // Rs. 590.59 with 18% GST inside: taxable 500.50, tax 90.09, so the total has paise to spell out.
    const plan = { name: 'Monthly', duration: { unit: 'months', count: 1 }, pricePaise: 59_059, taxInclusive: true, gstRateBps: 1800, sac: '999723', access: { allowedBranchIds: null, hours: null }, maxFreezeDays: 0, ptSessions: 0 };
    planId = (await api('owner', 'POST', '/plans', plan)).json().data.id;
  });
  afterAll(() => w?.close());

  /** A new member, sold the plan, paid in full at the desk with `payment`; the invoice issued. */
  async function paidInvoice(member: Record<string, unknown>, payment: Record<string, unknown> = { method: 'card_terminal', reference: 'CARD-7781' }) {
    const m = (await api('owner', 'POST', '/members', { fullName: 'Kavya Nair', phone: `+9195${String(++phoneSeq).padStart(8, '0')}`, ...member })).json().data;
    const sale = (await api('owner', 'POST', '/memberships', { memberId: m.id, planId })).json().data.membership;
    const res = await api('frontdesk', 'POST', '/payments/record-offline', { membershipId: sale.id, amountPaise: 59_059, ...payment });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().data.invoice as { id: string; number: string; issuedOn: string };
  }

  async function pdfOf(role: Role, invoiceId: string) {
    const res = await api(role, 'GET', `/invoices/${invoiceId}/pdf`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    return { pdf: res.rawPayload, text: await pdfText(res.rawPayload), disposition: res.headers['content-disposition'] };
  }

  // The date as an Indian reader writes it (en-IN, the gym's locale), e.g. `05 Sept 2026`.
  const printed = (date: string) => new Intl.DateTimeFormat('en-IN', { day: '2-digit', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));

  it('prints every field of an intra-state invoice, with CGST and SGST at half the rate each', async () => {
    const invoice = await paidInvoice({ stateCode: '29' });
    expect(invoice.issuedOn).toBe(localDateAt(new Date(), 'Asia/Kolkata'));
    const { pdf, text, disposition } = await pdfOf('owner', invoice.id);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(disposition).toBe(`attachment; filename="invoice-${invoice.number.replaceAll('/', '-')}.pdf"`);
    for (const field of [
      'Alpha Fitness Private Limited',
      'GSTIN: 29AAACA1234B1Z5',
      '12 Residency Road, Bengaluru',
      'TAX INVOICE',
      `Invoice no. ${invoice.number}`,
      `Date ${printed(invoice.issuedOn)}`,
      'Place of supply: 29-Karnataka',
      'Billed to Kavya Nair',
      'SAC 999723',
      'Taxable value Rs. 500.50',
      'CGST @ 9% Rs. 45.05',
      'SGST @ 9% Rs. 45.04',
      'Total Rs. 590.59',
      'Rupees Five Hundred Ninety and Fifty Nine Paise Only',
      'Paid by Card (ref. CARD-7781).',
    ]) {
      expect(text).toContain(field);
    }
    expect(text).not.toContain('IGST');
    expect(text).not.toContain('Buyer GSTIN');
  });

  it('prints IGST at the full rate for a member from another state', async () => {
    const invoice = await paidInvoice({ stateCode: '27' }, { method: 'upi_offline', reference: 'UPI-99' });
    const { text } = await pdfOf('owner', invoice.id);
    for (const field of ['Place of supply: 27-Maharashtra', 'Taxable value Rs. 500.50', 'IGST @ 18% Rs. 90.09', 'Total Rs. 590.59', 'Rupees Five Hundred Ninety and Fifty Nine Paise Only', 'Paid by UPI (ref. UPI-99).']) {
      expect(text).toContain(field);
    }
    expect(text).not.toContain('CGST');
    expect(text).not.toContain('SGST');
  });

  it("prints a business buyer's GSTIN, whose state is then the place of supply", async () => {
    const invoice = await paidInvoice({ stateCode: '29' }, { method: 'cash', buyerGstin: '27aaacb1234c1z2' });
    expect(invoice).toMatchObject({ placeOfSupply: '27', cgstPaise: 0, sgstPaise: 0, igstPaise: 9_009 });
    const { text } = await pdfOf('manager', invoice.id);
    for (const field of ['Billed to Kavya Nair', 'Buyer GSTIN: 27AAACB1234C1Z2', 'Place of supply: 27-Maharashtra', 'IGST @ 18% Rs. 90.09', 'Paid by Cash.']) expect(text).toContain(field);

    const m = (await api('owner', 'POST', '/members', { fullName: 'No GSTIN', phone: `+9195${String(++phoneSeq).padStart(8, '0')}` })).json().data;
    const sale = (await api('owner', 'POST', '/memberships', { memberId: m.id, planId })).json().data.membership;
    const bad = await api('frontdesk', 'POST', '/payments/record-offline', { membershipId: sale.id, amountPaise: 100, method: 'cash', buyerGstin: '27AAACB1234' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues.map((i: { path: string }) => i.path)).toEqual(['buyerGstin']);
  });

  it('issues a bill of supply with no GST while the gym is not registered under it', async () => {
    expect((await api('owner', 'PUT', '/gym/config', { gstin: null })).statusCode).toBe(200);
    try {
      const invoice = await paidInvoice({ stateCode: '29' });
      const { text } = await pdfOf('owner', invoice.id);
      for (const field of ['Not registered under GST', 'BILL OF SUPPLY', 'Taxable value Rs. 590.59', 'Total Rs. 590.59', 'Supplied by a person not registered under GST: no tax is charged.']) {
        expect(text).toContain(field);
      }
      for (const absent of ['TAX INVOICE', 'CGST', 'SGST', 'IGST', 'GSTIN:']) expect(text).not.toContain(absent);
    } finally {
      expect((await api('owner', 'PUT', '/gym/config', { gstin: '29AAACA1234B1Z5' })).statusCode).toBe(200);
    }
  });

  it('stores the PDF at its first download and serves that very document ever after', async () => {
    const invoice = await paidInvoice({});
    const first = await pdfOf('owner', invoice.id);
    await api('owner', 'PUT', '/gym/config', { legalName: 'Renamed Fitness Private Limited' });
    const again = await pdfOf('frontdesk', invoice.id);
    expect(again.pdf.equals(first.pdf)).toBe(true);
    expect(again.text).toContain('Alpha Fitness Private Limited');
    const stored = await withTenant(w.t.owner, a.seed.scope, (trx) => trx.selectFrom('invoice_documents').select('pdf').where('invoice_id', '=', invoice.id).execute());
    expect(stored.map((s) => s.pdf.equals(first.pdf))).toEqual([true]);
    // An invoice issued after the change carries the new name; the stored one is never rewritten.
    expect((await pdfOf('owner', (await paidInvoice({})).id)).text).toContain('Renamed Fitness Private Limited');
    await api('owner', 'PUT', '/gym/config', { legalName: 'Alpha Fitness Private Limited' });
  });

  it('lets a member download their own invoices only, and a trainer only their clients', async () => {
    const own = await api('owner', 'POST', '/memberships', { memberId: a.ids.member, planId, payment: { method: 'cash', amountPaise: 59_059 } });
    expect(own.statusCode, own.body).toBe(201);
    const mine = own.json().data.invoice;
    expect((await pdfOf('member', mine.id)).text).toContain('Billed to alpha Member');
    // The fixture's trainer trains the fixture member, not the new ones.
    expect((await pdfOf('trainer', mine.id)).text).toContain(mine.number);
    const theirs = await paidInvoice({});
    for (const role of ['member', 'trainer'] as const) {
      const res = await api(role, 'GET', `/invoices/${theirs.id}/pdf`);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
  });
});
