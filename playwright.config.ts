import { defineConfig } from '@playwright/test';

// End-to-end tests: the web host driven in Debian's Chromium (no browser download), and the
// real Electron app where its binary exists (those specs skip themselves otherwise).
export default defineConfig({
  testDir: './test',
  testMatch: ['e2e-web/**/*.spec.ts', 'e2e-electron/**/*.spec.ts'],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  outputDir: 'test-results/e2e-artifacts',
  use: {
    viewport: { width: 1366, height: 768 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
