export { buildApp, type AppOptions } from './app.js';
export { loadConfig, ConfigError, type Config } from './config.js';
export { startCloud, type Cloud } from './server.js';
export type { Database } from './db/schema.js';
export { createDb, createPool } from './db/pool.js';
export { bootstrap, dropDatabase, API_ROLE, OWNER_ROLE, type DatabaseUrls } from './db/roles.js';
export { migrateDatabase } from './db/migrate.js';
export { startEmbeddedPostgres, type EmbeddedServer } from './db/embedded.js';
export { withTenant, type TenantScope } from './db/tenant.js';
