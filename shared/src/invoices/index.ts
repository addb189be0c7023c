/** Node-only (pdfkit, loaded on the first PDF): kept off the root index, which the renderer bundles. */
export * from './receipt.js';
export * from './pdf.js';
