import { formatInr, placeOfSupplyLabel } from '@gymstack/shared';
import type { Receipt } from '@gymstack/shared/invoices';

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Every piece of user text goes through this: names and addresses are typed at the desk. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => entities[c] ?? c);

const row = (label: string, value: string, cls = '') => `<tr${cls ? ` class="${cls}"` : ''}><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`;

const STYLE = `
  body { font: 14px/1.4 system-ui, sans-serif; color: #111; margin: 24px auto; max-width: 720px; }
  h1 { font-size: 20px; margin: 0; } h2 { font-size: 16px; text-align: center; letter-spacing: .05em; margin: 16px 0; }
  .muted { color: #555; } .grid { display: flex; justify-content: space-between; gap: 24px; }
  table { width: 100%; border-collapse: collapse; margin-top: 16px; }
  th, td { border: 1px solid #999; padding: 6px 8px; text-align: left; } td { text-align: right; }
  .total th, .total td { font-weight: 700; } .words { margin-top: 8px; font-style: italic; }
  @media print { body { margin: 0; } }`;

/** A printable GST tax invoice, or bill of supply (one page, no scripts, no external resources). */
export function receiptHtml(r: Receipt): string {
  const { invoice, snapshot } = r;
  const { seller, buyer } = snapshot;
  const reference = snapshot.payment.reference ? ` (ref. ${snapshot.payment.reference})` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(r.title)} ${escapeHtml(invoice.number)}</title><style>${STYLE}</style></head>
<body>
<header>
  <h1>${escapeHtml(seller.legalName)}</h1>
  ${seller.name === seller.legalName ? '' : `<div>${escapeHtml(seller.name)}</div>`}
  <div class="muted">${escapeHtml(seller.address)}</div>
  ${seller.phone ? `<div class="muted">Phone ${escapeHtml(seller.phone)}</div>` : ''}
  <div><strong>${escapeHtml(r.sellerTaxId)}</strong> &middot; State code ${escapeHtml(seller.stateCode)}</div>
</header>
<h2>${escapeHtml(r.title.toUpperCase())}</h2>
<div class="grid">
  <div>
    <div>Invoice no. <strong>${escapeHtml(invoice.number)}</strong></div>
    <div>Date ${escapeHtml(r.issuedOn)}</div>
    <div>Place of supply: ${escapeHtml(placeOfSupplyLabel(invoice.placeOfSupply))}</div>
  </div>
  <div>
    <div>Billed to <strong>${escapeHtml(buyer.name)}</strong></div>
    <div>Member ${escapeHtml(buyer.code)} &middot; ${escapeHtml(buyer.phone)}</div>
    ${buyer.gstin ? `<div>Buyer GSTIN: ${escapeHtml(buyer.gstin)}</div>` : ''}
  </div>
</div>
<table>
  <tr><th>Description</th><th>SAC</th><th>Period</th></tr>
  <tr><th>${escapeHtml(snapshot.item.description)}</th><td>${escapeHtml(invoice.sac)}</td><td>${escapeHtml(r.period)}</td></tr>
</table>
<table>
  ${row('Taxable value', formatInr(invoice.taxablePaise))}
  ${r.taxes.map((t) => row(t.label, formatInr(t.paise))).join('\n  ')}
  ${row('Total', formatInr(invoice.totalPaise), 'total')}
</table>
<div class="words">${escapeHtml(r.totalInWords)}</div>
${r.taxNote ? `<p>${escapeHtml(r.taxNote)}</p>` : ''}
<p>Paid by ${escapeHtml(r.methodLabel)}${escapeHtml(reference)}.</p>
<p class="muted">This is a computer-generated invoice.</p>
</body></html>
`;
}
