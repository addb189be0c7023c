// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The dependency rule from DESIGN.md section 2, enforced per folder. */
const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const electronOnlyInMain = { group: ['electron', 'electron/*'], message: 'electron may be imported only in desktop/src/main' };
const noCloudInDesktop = { group: ['@gymstack/cloud', '@gymstack/cloud/*'], message: 'desktop never imports cloud' };

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.data/**', 'bench/results/**', 'e2e/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: restrict([
      electronOnlyInMain,
      { group: ['@gymstack/*'], message: 'shared imports nothing of ours' },
    ]),
  },
  {
    files: ['native-bridge/**/*.ts'],
    rules: restrict([
      electronOnlyInMain,
      { group: ['@gymstack/desktop', '@gymstack/desktop/*', '@gymstack/cloud', '@gymstack/cloud/*'], message: 'native-bridge imports only shared' },
    ]),
  },
  {
    files: ['cloud/**/*.ts', 'cloud/**/*.tsx'],
    rules: restrict([
      electronOnlyInMain,
      { group: ['@gymstack/desktop', '@gymstack/desktop/*', '@gymstack/native-bridge', '@gymstack/native-bridge/*'], message: 'cloud imports only shared' },
    ]),
  },
  {
    files: ['desktop/src/core/**/*.ts'],
    rules: restrict([electronOnlyInMain, noCloudInDesktop]),
  },
  {
    files: ['desktop/src/main/**/*.ts', 'desktop/src/main/**/*.cts'],
    rules: restrict([noCloudInDesktop]),
  },
  {
    files: ['desktop/src/renderer/**/*.ts', 'desktop/src/renderer/**/*.tsx'],
    rules: restrict([
      electronOnlyInMain,
      noCloudInDesktop,
      { group: ['better-sqlite3', 'kysely', 'node:*', '@node-rs/*', 'pdfkit', '@gymstack/shared/passes', '@gymstack/shared/crypto', '@gymstack/shared/invoices'], message: 'the renderer reaches the core only through the typed handler API' },
    ]),
  },
);
