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
  // The worker thread that stages a sync import's attachments (import-files.ts).
  'attachments-worker': 'electron/core/exchange/attachments-worker.ts',
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

/** The file to run (`node dist/electron/<name>.cjs`, or Electron's main). */
const bundleFile = (name) => path.join(root, 'dist', 'electron', `${name}.cjs`);

/**
 * Bundles started by `node` that run with a V8 code cache (scripts/compile-cache.cjs): the
 * bundle is written to `<name>.bundle.cjs` and `<name>.cjs` is a small loader. The CLI's loader
 * is bin/htmp.cjs itself.
 */
const CACHED = ['host'];
const codeFile = (name) => (CACHED.includes(name) ? path.join(root, 'dist', 'electron', `${name}.bundle.cjs`) : bundleFile(name));

/** True when a Node bundle is missing or older than the sources it is built from. */
function electronStale(names = Object.keys(bundles)) {
  const src = Math.max(
    newestMtime(['electron', 'shared'], ['.ts', '.tsx']),
    mtime(path.join(root, 'package.json')),
    mtime(path.join(__dirname, 'build-lib.cjs')),
    mtime(path.join(__dirname, 'compile-cache.cjs')),
  );
  return names.some((n) => mtime(codeFile(n)) < src || mtime(bundleFile(n)) < src);
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

/**
 * Packages bundled into the Node bundles instead of required from node_modules at start: zod
 * (every API call is validated with it, so every start loads it). Bundled, esbuild keeps only
 * what the contract uses (not zod's 40 message languages) in one file instead of ~120.
 */
const BUNDLED_PACKAGES = ['zod'];
const lazyAliases = Object.fromEntries(LAZY_PACKAGES.map((p) => [p, path.join(__dirname, 'lazy-packages', `${p}.mjs`)]));

/**
 * Node builtins a bundle loads on first use instead of at start: most commands and the web
 * host's first answer never compress (zlib: sync bundles, packed statements) nor use the
 * promise APIs of files and streams (backups, archives; `fs/promises` also loads readline).
 */
const LAZY_BUILTINS = ['node:zlib', 'node:fs/promises', 'node:stream/promises'];

/**
 * Rewrites how a bundle gets Node builtins (after esbuild; same lines, so the source map holds):
 *
 * - One interop wrapper per builtin instead of one per source file: esbuild turns every
 *   `import fs from 'node:fs'` of every file into its own `__toESM(require("node:fs"), 1)`, a new
 *   object with a getter for each of the ~100 exports of `fs` (30 files import `fs`, 32 `path`),
 *   all made at start. The wrappers of one module are equal (the getters read the module's live
 *   exports) and a builtin is complete when `require` returns it, so each is made once.
 * - The builtins of LAZY_BUILTINS become stand-ins that `require` the builtin at their first use
 *   (the bundle only reads their properties: `(0, import_node_zlib.deflateRawSync)(...)`).
 *
 * Bundled packages and externals keep esbuild's own helpers.
 */
function rewriteBuiltins(code) {
  const helper = 'var __toESM = (mod, isNodeMode, target) =>';
  const at = code.indexOf(helper);
  if (at < 0) return code;
  const lazy = JSON.stringify(LAZY_BUILTINS);
  const shared =
    `var __lazyBuiltins = new Set(${lazy}), __builtinESM = /* @__PURE__ */ new Map(), ` +
    '__lazyBuiltin = (id, interop) => { let m; const real = () => (m ??= require(id)); return new Proxy({}, { get: (_t, k) => (interop && k === "default" ? real() : real()[k]), has: (_t, k) => k in real() }); }, ' +
    '__toESMBuiltin = (id) => { let m = __builtinESM.get(id); if (!m) __builtinESM.set(id, (m = __lazyBuiltins.has(id) ? __lazyBuiltin(id, true) : __toESM(require(id), 1))); return m; }; ';
  const body = code
    .slice(at)
    .replace(/__toESM\(require\("(node:[a-z_/]+)"\), 1\)/g, (_all, id) => `__toESMBuiltin(${JSON.stringify(id)})`)
    .replace(/^(var [\w$]+ = )require\("(node:[a-z_/]+)"\);$/gm, (all, decl, id) => (LAZY_BUILTINS.includes(id) ? `${decl}__lazyBuiltin(${JSON.stringify(id)});` : all));
  return code.slice(0, at) + shared + body;
}

/**
 * Writes a file whole or not at all (a temporary file renamed over it): `bin/htmp.cjs` rebuilds a
 * stale CLI in whichever process runs first, and a second process started meanwhile must read
 * the old bundle or the new one, never half of one.
 */
function writeWhole(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** Bundles the Node-side entries with esbuild (synchronously; about a second). */
function buildElectron(names = Object.keys(bundles)) {
  const esbuild = require('esbuild');
  const external = ['electron', ...Object.keys(pkg.dependencies || {}).filter((d) => !BUNDLED_PACKAGES.includes(d))];
  for (const name of names) {
    const out = esbuild.buildSync({
      alias: lazyAliases,
      // The stand-ins require their package by name on purpose (kept external, loaded late).
      logOverride: { 'unsupported-require-call': 'silent' },
      entryPoints: [path.join(root, bundles[name])],
      outfile: codeFile(name),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // `import()` of a package or builtin becomes `require` (still late, on first use): the CLI
      // and the web host run from a V8 code cache (compile-cache.cjs), and on Node 20 a script
      // compiled from cached data loses its dynamic-import callback, so a real `import()` there
      // fails with ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING from the second run on (an XLSX
      // import, reading a backup).
      supported: { 'dynamic-import': false },
      external,
      sourcemap: 'linked',
      logLevel: 'warning',
      legalComments: 'none',
      write: false,
    });
    // The source map first, then the code (whole files, see writeWhole).
    for (const f of [...out.outputFiles].sort((a, b) => Number(b.path.endsWith('.map')) - Number(a.path.endsWith('.map')))) {
      writeWhole(f.path, f.path.endsWith('.map') ? f.text : rewriteBuiltins(f.text));
    }
    if (CACHED.includes(name)) {
      const dir = path.dirname(bundleFile(name));
      writeWhole(path.join(dir, 'compile-cache.cjs'), fs.readFileSync(path.join(__dirname, 'compile-cache.cjs')));
      writeWhole(
        bundleFile(name),
        `// Generated by scripts/build-lib.cjs: runs ${path.basename(codeFile(name))} with a V8 code cache.\n'use strict';\nrequire('./compile-cache.cjs').runWithCompileCache(require('node:path').join(__dirname, ${JSON.stringify(path.basename(codeFile(name)))}));\n`,
      );
    }
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

module.exports = { root, LAZY_PACKAGES, lazyAliases, bundles, codeFile, bundleFile, electronStale, rendererStale, buildElectron, electronBinary };
