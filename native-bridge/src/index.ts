/** Device drivers and their simulators (DESIGN 7): plain Node, no Electron. */
export type * from './device.js';
export type * from './hid.js';
export type * from './fingerprint/reader.js';
export type * from './scanner/code-scanner.js';
export type * from './door/door-relay.js';
