/** The desk engine: plain Node (no electron), reached only through the typed handler API. */
export { type Core, openCore } from './core.js';
export { type CoreOptions, type DeskSetup, initDesk } from './init.js';
export { DEMO_DEVICES, DEMO_GYM, DEMO_PINS, type SeedOptions, demoPlanInputs, seedDemo } from './demo/seed.js';
export { CONNECTION_PRAGMAS } from './db/store.js';
export { buildDevices, noDevices, simulatedFinger } from './devices/drivers.js';
export type { BuildDevices, DeskDevices, DeskSimulator } from './devices/hub.js';
export * from './contract.js';
