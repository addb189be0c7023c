import type { Migration } from 'kysely';
import * as initial from './2026_11_21_0001_initial.js';
import * as sync from './2026_11_23_0001_sync.js';
import * as devices from './2026_11_24_0001_devices.js';
import * as onlinePayments from './2026_11_25_0001_online_payments.js';

/**
 * Every migration, imported statically so a bundler sees them (Kysely's FileMigrationProvider reads
 * the folder at run time, which a packaged app does not have). Names sort in the order they apply.
 */
export const migrations: Record<string, Migration> = {
  '2026_11_21_0001_initial': initial,
  '2026_11_23_0001_sync': sync,
  '2026_11_24_0001_devices': devices,
  '2026_11_25_0001_online_payments': onlinePayments,
};
