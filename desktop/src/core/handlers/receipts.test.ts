import { afterEach, describe, expect, it } from 'vitest';
import { type TestDesk, createTestDesk } from '../testing/desk.js';

let desk: TestDesk;
afterEach(() => desk.close());

async function paidInvoice(memberState: string | null, name = 'Kavya Nair') {
  const planId = await desk.createPlan();
  const member = await desk.createMember({ fullName: name, stateCode: memberState });
  const sale = await desk.core.call('memberships/sell', { memberId: member.id, planId, payment: { method: 'upi_offline', amountPaise: 150_000, reference: 'UPI-4471' } });
  return sale.invoice!;
}

describe('receipts', () => {
  it('splits GST into CGST and SGST within the gym’s state and prints it', async () => {
    desk = await createTestDesk();
    const invoice = await paidInvoice(null);
    expect(invoice).toMatchObject({ placeOfSupply: '27', taxablePaise: 127_119, cgstPaise: 11_441, sgstPaise: 11_440, igstPaise: 0, totalPaise: 150_000, sac: '999723' });
    const { html, number } = await desk.core.call('receipts/html', { invoiceId: invoice.id });
    expect(number).toBe('PUN1/2627/00001');
    for (const text of ['Iron Temple Fitness LLP', '27AAJCI1234F1Z5', 'TAX INVOICE', 'PUN1/2627/00001', '21 Nov 2026', 'Kavya Nair', '999723', '₹1,271.19', 'CGST @ 9%', '₹114.41', 'SGST @ 9%', '₹114.40', '₹1,500.00', 'Rupees One Thousand Five Hundred Only', 'UPI', 'UPI-4471']) {
      expect(html).toContain(text);
    }
    expect(html).not.toContain('IGST');
  });

  it('charges IGST when the member is from another state', async () => {
    desk = await createTestDesk();
    const invoice = await paidInvoice('29');
    expect(invoice).toMatchObject({ placeOfSupply: '29', cgstPaise: 0, sgstPaise: 0, igstPaise: 22_881, totalPaise: 150_000 });
    const { html } = await desk.core.call('receipts/html', { invoiceId: invoice.id });
    expect(html).toContain('IGST @ 18%');
    expect(html).not.toContain('CGST');
    expect(html).toContain('Place of supply: 29-Karnataka');
  });

  it('escapes user text', async () => {
    desk = await createTestDesk();
    const invoice = await paidInvoice(null, '<script>alert("x")</script> Rao');
    const { html } = await desk.core.call('receipts/html', { invoiceId: invoice.id });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Rao');
  });

  it('renders the same invoice as a PDF', async () => {
    desk = await createTestDesk();
    const invoice = await paidInvoice(null);
    const { base64, fileName } = await desk.core.call('receipts/pdf', { invoiceId: invoice.id });
    expect(fileName).toBe('invoice-PUN1-2627-00001.pdf');
    expect(Buffer.from(base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('404s an unknown invoice', async () => {
    desk = await createTestDesk();
    const reply = await desk.core.dispatch('receipts/html', { invoiceId: desk.staffIds.owner });
    expect(reply.ok === false && reply.error.code).toBe('NOT_FOUND');
  });
});
