// Node-only: the renderer never imports this entry point (eslint.config.js).
export * from './seal.js';
export * from './token-match.js';
