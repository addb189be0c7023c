import { type Invoice, type InvoiceSnapshot, errors } from '@gymstack/shared';
import { receiptOf, receiptPdf } from '@gymstack/shared/invoices';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { INVOICE_LINK_MAX_DAYS, type InvoiceLinks } from '../auth/invoice-links.js';
import type { Access } from '../auth/permissions.js';
import type { Database, InvoiceTable } from '../db/schema.js';
import { withTenant } from '../db/tenant.js';
import { appendAudit } from './audit.js';
import { inScope } from './scope.js';

export const toInvoice = (r: Selectable<InvoiceTable>): Invoice => ({
  id: r.id,
  number: r.number,
  paymentId: r.payment_id,
  memberId: r.member_id,
  issuedOn: r.issued_on,
  issuedAt: r.issued_at.toISOString(),
  sac: r.sac,
  rateBps: r.rate_bps,
  placeOfSupply: r.place_of_supply,
  taxablePaise: r.taxable_paise,
  cgstPaise: r.cgst_paise,
  sgstPaise: r.sgst_paise,
  igstPaise: r.igst_paise,
  totalPaise: r.total_paise,
});

export type InvoicePdf = { number: string; pdf: Buffer };

/** An invoice the caller's grant reaches (a member: only their own); anyone else's is NOT_FOUND. */
async function findInvoice(trx: Transaction<Database>, access: Access, invoiceId: string) {
  const row = await trx
    .selectFrom('invoices')
    .selectAll()
    .where('id', '=', invoiceId)
    .where(inScope(access, { member: 'invoices.member_id', branch: 'invoices.branch_id' }))
    .executeTakeFirst();
  if (!row) throw errors.notFound('Invoice');
  return row;
}

/**
 * The invoice's PDF: the one stored at its first download (migration 2026_11_25_0003), else rendered
 * now from the snapshot frozen at issue, with the shared renderer the desk prints with, and stored. Two
 * first downloads at once both render; the later insert waits for the earlier's commit, does nothing,
 * and then serves what the earlier stored, so every download is the same document.
 */
export async function invoicePdf(trx: Transaction<Database>, access: Access, invoiceId: string): Promise<InvoicePdf> {
  const row = await findInvoice(trx, access, invoiceId);
  const stored = () => trx.selectFrom('invoice_documents').select('pdf').where('invoice_id', '=', row.id).executeTakeFirst();
  const existing = await stored();
  if (existing) return { number: row.number, pdf: existing.pdf };
  const { locale } = await trx.selectFrom('gyms').select('locale').executeTakeFirstOrThrow();
  const pdf = await receiptPdf(receiptOf(toInvoice(row), row.snapshot as InvoiceSnapshot, locale));
  const inserted = await trx
    .insertInto('invoice_documents')
    .values({ gym_id: row.gym_id, invoice_id: row.id, pdf })
    .onConflict((oc) => oc.columns(['gym_id', 'invoice_id']).doNothing())
    .returning('invoice_id')
    .executeTakeFirst();
  if (inserted) return { number: row.number, pdf };
  return { number: row.number, pdf: (await stored())?.pdf ?? pdf };
}

/** The invoice's link generation: 0 until its links are first revoked. */
async function linkGeneration(trx: Transaction<Database>, invoiceId: string): Promise<number> {
  const row = await trx.selectFrom('invoice_link_generations').select('generation').where('invoice_id', '=', invoiceId).executeTakeFirst();
  return row?.generation ?? 0;
}

/** Where a share link's token opens the invoice's PDF, under the cloud's own address. */
export const sharedInvoicePath = (token: string) => `/api/v1/shared/invoices/${token}`;

/** A signed link to the invoice's PDF, valid for `days`, at the invoice's current link generation. */
async function signLink(trx: Transaction<Database>, links: InvoiceLinks, row: Pick<Selectable<InvoiceTable>, 'gym_id' | 'id' | 'member_id'>, days: number) {
  // Whole seconds: the token carries its expiry in seconds, and the answer must say the same instant.
  const expiresAt = new Date((Math.floor(Date.now() / 1000) + days * 86_400) * 1000);
  const generation = await linkGeneration(trx, row.id);
  const token = await links.sign({ gymId: row.gym_id, invoiceId: row.id, memberId: row.member_id, generation }, expiresAt);
  return { token, expiresAt };
}

/** A share link to an invoice the caller may read, valid for `days`; audited, since it opens the PDF to anyone holding it. */
export async function shareInvoice(trx: Transaction<Database>, access: Access, links: InvoiceLinks, invoiceId: string, days: number): Promise<{ token: string; expiresAt: Date }> {
  const row = await findInvoice(trx, access, invoiceId);
  const link = await signLink(trx, links, row, days);
  await appendAudit(trx, access.caller, { action: 'invoice.share', entity: 'invoice', entityId: row.id, old: null, new: { number: row.number, expiresAt: link.expiresAt.toISOString() } });
  return link;
}

/**
 * The link a payment's WhatsApp receipt carries: its invoice's PDF, without a login, for as long as a
 * link may live (revocable like any other). Null when the payment has no invoice in this gym.
 */
export async function receiptInvoiceLink(trx: Transaction<Database>, links: InvoiceLinks, paymentId: string): Promise<{ token: string; expiresAt: Date } | null> {
  const row = await trx.selectFrom('invoices').select(['gym_id', 'id', 'member_id']).where('payment_id', '=', paymentId).executeTakeFirst();
  return row ? signLink(trx, links, row, INVOICE_LINK_MAX_DAYS) : null;
}

/**
 * Stops every share link made so far to an invoice the caller may read (one sent to the wrong number,
 * say); a link made afterwards works. Audited like sharing.
 */
export async function revokeInvoiceLinks(trx: Transaction<Database>, access: Access, invoiceId: string): Promise<{ invoiceId: string; revokedAt: Date }> {
  const row = await findInvoice(trx, access, invoiceId);
  const revokedAt = new Date();
  await trx
    .insertInto('invoice_link_generations')
    .values({ gym_id: row.gym_id, invoice_id: row.id, generation: 1, revoked_at: revokedAt })
    .onConflict((oc) => oc.columns(['gym_id', 'invoice_id']).doUpdateSet((eb) => ({ generation: eb('invoice_link_generations.generation', '+', 1), revoked_at: revokedAt })))
    .execute();
  await appendAudit(trx, access.caller, { action: 'invoice.revoke_links', entity: 'invoice', entityId: row.id, old: null, new: { number: row.number, revokedAt: revokedAt.toISOString() } });
  return { invoiceId: row.id, revokedAt };
}

/**
 * The PDF behind a share link, without a login: the link's gym scopes the transaction, and the invoice is
 * read as its buyer would read it (member scope `self`). A link dies with its member's erasure or
 * deletion (NOT_FOUND), though the invoice itself stays, as tax law requires, and when the invoice's links
 * are revoked after it was made (INVOICE_LINK_REVOKED).
 */
export async function sharedInvoicePdf(db: Kysely<Database>, links: InvoiceLinks, token: string, ip: string): Promise<InvoicePdf> {
  const link = await links.verify(token);
  const caller = { gymId: link.gymId, userId: link.memberId, role: 'member' as const, branchIds: [], memberId: link.memberId, deviceId: null, ip };
  return withTenant(db, caller, async (trx) => {
    const member = await trx.selectFrom('members').select('id').where('id', '=', link.memberId).where('deleted_at', 'is', null).executeTakeFirst();
    if (!member) throw errors.notFound('Invoice');
    if (link.generation < (await linkGeneration(trx, link.invoiceId))) throw errors.invoiceLinkRevoked();
    return invoicePdf(trx, { scope: 'self', caller }, link.invoiceId);
  });
}
