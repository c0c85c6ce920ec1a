// Runs a Node bundle (dist/electron/*.cjs) with a V8 code cache beside it, so a start does not
// parse and compile its megabyte of JavaScript again (zod alone is three quarters of a megabyte).
// Node 22+ does this itself (`module.enableCompileCache`); on Node 20 the bundle is compiled with
// `vm.Script` and the `cachedData` V8 produced at the end of the previous run.
//
// The cache file is named after the bundle's size and modification time: V8 checks a cache against
// the source's length only, so a rebuilt bundle must never meet the cache of the one before. A cache
// that cannot be written (read-only installation) only costs the compile, never the run.
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

/** Runs `file` as the main module, with argv as if started by `node file ...args`. */
function runWithCompileCache(file) {
  if (typeof Module.enableCompileCache === 'function') {
    Module.enableCompileCache();
    return require(file);
  }
  const source = fs.readFileSync(file, 'utf8');
  const st = fs.statSync(file);
  const cacheFile = `${file}.${st.size}-${Math.floor(st.mtimeMs)}.v8cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData, importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  const mod = new Module(file, null);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  mod.loaded = true;
  require.cache[file] = mod;
  process.mainModule = mod;
  if (cachedData === undefined || script.cachedDataRejected) {
    // Produced at exit: the functions this run compiled are in it, not only the top level.
    process.once('exit', () => {
      try {
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, cacheFile);
        for (const old of fs.readdirSync(path.dirname(file))) {
          const full = path.join(path.dirname(file), old);
          if (old.startsWith(`${path.basename(file)}.`) && old.endsWith('.v8cache') && full !== cacheFile) fs.rmSync(full, { force: true });
        }
      } catch {
        /* no cache this time */
      }
    });
  }
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  return mod.exports;
}

module.exports = { runWithCompileCache };
