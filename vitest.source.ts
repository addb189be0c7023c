import type { ViteUserConfig } from 'vitest/config';

const conditions = ['gymstack-source'];

/**
 * Every suite runs the workspace packages from their TypeScript sources (the `gymstack-source` export
 * condition), so tests never need a build first: in the tests' environment, the client one, and
 * Vitest's own (`__vitest__`), which runs global setup and takes neither of the others' settings.
 */
export const sourceResolution = {
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  environments: { __vitest__: { resolve: { conditions } } },
} satisfies ViteUserConfig;
