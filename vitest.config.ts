import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/e2e-web/**', 'test/e2e-electron/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default is one worker less than the cores: a single worker on the 2-core machines
    // this runs on, the other core idle for the 15 minutes of the suite.
    maxWorkers: 2,
    // A cheap scrypt for test keyrings (marked test-only in the keyring; refused without this).
    env: { HTMP_TEST_FAST_KDF: '1' },
    setupFiles: ['test/support/isolate-data-dir.ts'],
  },
});
