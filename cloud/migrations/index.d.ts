import type { Migration } from 'kysely';
/**
 * Every migration, imported statically so a bundle carries them (Kysely's FileMigrationProvider reads a
 * folder at run time). Names sort in the order they apply; a landed migration is never edited.
 */
export declare const migrations: Record<string, Migration>;
