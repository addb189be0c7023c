import { formatInr } from '../money/format.js';
import { placeOfSupplyLabel } from '../rules/gst-states.js';
import type { Receipt } from './receipt.js';

/** The standard PDF fonts have no ₹ glyph, so the PDF spells the currency out. */
const money = (paise: number) => formatInr(paise).replace('₹', 'Rs. ');

/**
 * The GST tax invoice as a PDF to share or archive, for the desk and the cloud alike. pdfkit is loaded on
 * the first PDF rather than with the module: it is the heaviest import there is (~0.13 s), and the desk
 * starts without it.
 */
export async function receiptPdf(r: Receipt): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const { invoice, snapshot } = r;
  const { seller, buyer } = snapshot;
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: `${r.title} ${invoice.number}` } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('Helvetica-Bold').fontSize(16).text(seller.legalName);
  if (seller.name !== seller.legalName) doc.font('Helvetica').fontSize(11).text(seller.name);
  doc.font('Helvetica').fontSize(10).text(seller.address);
  if (seller.phone) doc.text(`Phone ${seller.phone}`);
  doc.text(`${r.sellerTaxId}   State code ${seller.stateCode}`);
  doc.moveDown().font('Helvetica-Bold').fontSize(13).text(r.title.toUpperCase(), { align: 'center' }).moveDown(0.5);

  doc.font('Helvetica').fontSize(10);
  doc.text(`Invoice no. ${invoice.number}`).text(`Date ${r.issuedOn}`).text(`Place of supply: ${placeOfSupplyLabel(invoice.placeOfSupply)}`);
  doc.moveDown(0.5).text(`Billed to ${buyer.name}`).text(`Member ${buyer.code}, ${buyer.phone}`);
  if (buyer.gstin) doc.text(`Buyer GSTIN: ${buyer.gstin}`);
  doc.moveDown().text(`${snapshot.item.description}   SAC ${invoice.sac}`).text(`Period ${r.period}`).moveDown();

  const line = (label: string, amount: string, bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').text(label, 48, y).text(amount, 48, y, { align: 'right' });
  };
  line('Taxable value', money(invoice.taxablePaise));
  for (const t of r.taxes) line(t.label, money(t.paise));
  line('Total', money(invoice.totalPaise), true);
  doc.moveDown().font('Helvetica-Oblique').text(r.totalInWords);
  if (r.taxNote) doc.font('Helvetica').text(r.taxNote);
  const reference = snapshot.payment.reference ? ` (ref. ${snapshot.payment.reference})` : '';
  doc.moveDown().font('Helvetica').text(`Paid by ${r.methodLabel}${reference}.`);
  doc.moveDown().fillColor('#555').text('This is a computer-generated invoice.');
  doc.end();
  return done;
}
