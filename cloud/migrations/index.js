import * as initial from './2026_11_21_0001_initial.js';
/**
 * Every migration, imported statically so a bundle carries them (Kysely's FileMigrationProvider reads a
 * folder at run time). Names sort in the order they apply; a landed migration is never edited.
 */
export const migrations = {
    '2026_11_21_0001_initial': initial,
};
//# sourceMappingURL=index.js.map