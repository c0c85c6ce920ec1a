#!/usr/bin/env node
// The `htmp` command: rebuilds the CLI bundle if its sources changed, then runs it.
'use strict';
const path = require('node:path');

const lib = require(path.join(__dirname, '..', 'scripts', 'build-lib.cjs'));
if (lib.electronStale(['cli'])) {
  try {
    lib.buildElectron(['cli']);
  } catch (err) {
    process.stderr.write(`htmp: cannot build the command line: ${err.message}\n`);
    process.exit(1);
  }
}
// With a V8 code cache beside the bundle: a command does not compile a megabyte of JavaScript anew.
require(path.join(__dirname, '..', 'scripts', 'compile-cache.cjs')).runWithCompileCache(lib.bundleFile('cli'));
