/** Node-only (node:crypto): kept off the root index, which the renderer bundles. */
export * from './pass-token.js';
