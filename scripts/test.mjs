// `npm test`: type checks, unit and core tests (vitest), then end-to-end tests (Playwright:
// the web host in Debian's Chromium, and Electron where its binary exists). Ends with one plain
// line "N passed, N failed, N skipped" summing all suites.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from './build.mjs';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const results = path.join(root, 'test-results');
fs.mkdirSync(results, { recursive: true });
const only = process.argv.slice(2);
const want = (step) => only.length === 0 || only.includes(step);
let failedSteps = [];
const totals = { passed: 0, failed: 0, skipped: 0 };

function run(title, cmd, args) {
  console.log(`\n=== ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' } });
  if (r.status !== 0) failedSteps.push(title);
  return r.status === 0;
}

if (want('types')) {
  run('type check (all)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
  run('type check (shared/ is pure)', bin('tsc'), ['-p', 'shared/tsconfig.json', '--noEmit']);
}

if (want('unit')) {
  const out = path.join(results, 'unit.json');
  fs.rmSync(out, { force: true });
  run('unit and core tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  if (fs.existsSync(out)) {
    const j = JSON.parse(fs.readFileSync(out, 'utf8'));
    totals.passed += j.numPassedTests;
    totals.failed += j.numFailedTests;
    totals.skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  }
}

if (want('e2e')) {
  console.log('\n=== build (what is missing)');
  await build({ ifMissing: true });
  const out = path.join(results, 'e2e.json');
  fs.rmSync(out, { force: true });
  run('end-to-end tests (Playwright)', bin('playwright'), ['test']);
  if (fs.existsSync(out)) {
    const s = JSON.parse(fs.readFileSync(out, 'utf8')).stats;
    totals.passed += s.expected + (s.flaky ?? 0);
    totals.failed += s.unexpected;
    totals.skipped += s.skipped;
  }
}

if (failedSteps.length) console.log(`\nFailed steps: ${failedSteps.join('; ')}`);
if (failedSteps.length && totals.failed === 0) totals.failed = failedSteps.length;
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);
