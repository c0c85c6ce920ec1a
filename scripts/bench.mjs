// `npm run bench -- <name> [args]`: bundles scripts/bench/<name>.ts with esbuild and runs it in a
// fresh Node process (with --expose-gc, so memory can be measured). `npm run bench` runs them all.
// Each benchmark measures its peer (Fuse.js, zip/unzip, Chromium…) in the same run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');
const dir = path.join(root, 'scripts', 'bench');
const available = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.startsWith('_')).map((f) => f.slice(0, -3)).sort();
const [name, ...rest] = process.argv.slice(2);
const names = name ? [name] : available;
for (const n of names) {
  if (!available.includes(n)) {
    console.error(`Unknown benchmark "${n}". Available: ${available.join(', ')}`);
    process.exit(2);
  }
}
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
// Benchmarks spawn the real bin and web host: their bundles must be those of the sources.
const lib = require('./build-lib.cjs');
if (lib.electronStale()) lib.buildElectron();
const outDir = path.join(root, '.bench');
fs.mkdirSync(outDir, { recursive: true });
let failed = 0;
for (const n of names) {
  const outfile = path.join(outDir, `${n}.cjs`);
  require('esbuild').buildSync({
    entryPoints: [path.join(dir, `${n}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron', ...Object.keys(pkg.dependencies), 'fuse.js', '@playwright/test', 'playwright-core'],
    // As in the app's bundles: pdfmake, yauzl and yazl loaded on first use.
    alias: lib.lazyAliases,
    logOverride: { 'unsupported-require-call': 'silent' },
    logLevel: 'warning',
  });
  console.log(`\n### bench: ${n}`);
  const r = spawnSync(process.execPath, ['--expose-gc', outfile, ...rest], { cwd: root, stdio: 'inherit', env: { ...process.env, HTMP_APP_ROOT: root } });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
