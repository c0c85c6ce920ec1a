// Build helpers shared by scripts/build.mjs, scripts/start.mjs and bin/htmp.cjs (CommonJS so the
// CLI launcher can rebuild itself synchronously before it runs).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** The Node-side bundles: entry (TypeScript) -> dist/electron/<name>.cjs */
const bundles = {
  main: 'electron/main/main.ts',
  preload: 'electron/preload/preload.ts',
  host: 'electron/host/main.ts',
  cli: 'electron/cli/main.ts',
};

function newestMtime(dirs, exts) {
  let newest = 0;
  const walk = (d) => {
    let entries;
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (exts.some((x) => e.name.endsWith(x))) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const d of dirs) walk(path.join(root, d));
  return newest;
}

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

const bundleFile = (name) => path.join(root, 'dist', 'electron', `${name}.cjs`);

/** True when a Node bundle is missing or older than the sources it is built from. */
function electronStale(names = Object.keys(bundles)) {
  const src = Math.max(newestMtime(['electron', 'shared'], ['.ts', '.tsx']), mtime(path.join(root, 'package.json')));
  return names.some((n) => mtime(bundleFile(n)) < src);
}

/** True when the built renderer is missing or older than its sources or the locale files. */
function rendererStale() {
  const src = newestMtime(['renderer', 'shared', 'locales'], ['.ts', '.tsx', '.css', '.html', '.json']);
  return mtime(path.join(root, 'dist', 'renderer', 'index.html')) < src;
}

/**
 * Packages a bundle loads on first use instead of at start: pdfmake (with pdfkit and fontkit, the
 * heaviest), yauzl and yazl. Most commands and every start-up never need them; a command that
 * renders a PDF or reads a bundle pays for them when it does. Source files import them as usual
 * (`import pdfmake from 'pdfmake'`); the bundle gets the stand-in of scripts/lazy-packages/, which
 * requires the package at its first use and forwards every access to it.
 */
const LAZY_PACKAGES = ['pdfmake', 'yauzl', 'yazl'];
const lazyAliases = Object.fromEntries(LAZY_PACKAGES.map((p) => [p, path.join(__dirname, 'lazy-packages', `${p}.mjs`)]));

/** Bundles the Node-side entries with esbuild (synchronously; about a second). */
function buildElectron(names = Object.keys(bundles)) {
  const esbuild = require('esbuild');
  const external = ['electron', ...Object.keys(pkg.dependencies || {})];
  for (const name of names) {
    esbuild.buildSync({
      alias: lazyAliases,
      // The stand-ins require their package by name on purpose (kept external, loaded late).
      logOverride: { 'unsupported-require-call': 'silent' },
      entryPoints: [path.join(root, bundles[name])],
      outfile: bundleFile(name),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external,
      sourcemap: 'linked',
      logLevel: 'warning',
      legalComments: 'none',
    });
  }
}

/** Where the Electron binary would be, or why it is not there. */
function electronBinary() {
  const dir = path.join(root, 'node_modules', 'electron');
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : 'electron');
    return fs.existsSync(p) ? { path: p } : { reason: `ELECTRON_OVERRIDE_DIST_PATH has no Electron binary (${p})` };
  }
  if (!fs.existsSync(dir)) return { reason: 'the electron package is not installed' };
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) return { reason: 'the Electron binary has not been downloaded (it is fetched on first launch, which needs the internet)' };
  const p = path.join(dir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(p) ? { path: p } : { reason: `the Electron binary is missing (${p})` };
}

module.exports = { root, LAZY_PACKAGES, lazyAliases, bundles, bundleFile, electronStale, rendererStale, buildElectron, electronBinary };
