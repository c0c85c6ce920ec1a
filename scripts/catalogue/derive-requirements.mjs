#!/usr/bin/env node
// Derives the structured requirements of the characteristics (ДСМ-238, appendix 2) from their
// verbatim text, applying the reviewed corrections, into assets/catalogue/requirements.json.
//
// Usage: node scripts/catalogue/derive-requirements.mjs [characteristics.json] [out.json]
//
// The derivation itself is shared/domain/requirements.ts (the app runs the same code on the text
// it holds, so a catalogue update is derived the same way); this script only bundles it with
// esbuild, runs it over the shipped text and writes the result for review. Deterministic: two runs
// give the same bytes; test/shared/domain/requirements.test.ts compares the committed file with a
// fresh derivation. Fails when a correction no longer matches its text.
import { buildSync } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const input = path.resolve(process.argv[2] ?? path.join(root, 'assets', 'catalogue', 'characteristics.json'));
const out = path.resolve(process.argv[3] ?? path.join(root, 'assets', 'catalogue', 'requirements.json'));
const correctionsFile = path.join(root, 'assets', 'catalogue', 'requirements-corrections.json');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-req-'));
const bundle = path.join(tmp, 'requirements.cjs');
buildSync({ entryPoints: [path.join(root, 'shared', 'domain', 'requirements.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
const { deriveCatalogueRequirements } = createRequire(import.meta.url)(bundle);
fs.rmSync(tmp, { recursive: true, force: true });

const characteristics = JSON.parse(fs.readFileSync(input, 'utf8'));
const corrections = JSON.parse(fs.readFileSync(correctionsFile, 'utf8')).corrections;
const result = deriveCatalogueRequirements(characteristics, corrections);
const stale = result.entries.filter((e) => e.staleCorrections.length > 0).map((e) => `${e.code} (${e.staleCorrections.join(', ')})`);
if (stale.length) throw new Error(`corrections that no longer match their text: ${stale.join('; ')}`);
const unused = corrections.filter((c) => !result.entries.some((e) => e.code === c.code));
if (unused.length) throw new Error(`corrections for unknown codes: ${unused.map((c) => c.code).join(', ')}`);
fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
const count = (k) => result.entries.reduce((n, e) => n + [...e.staff, ...e.devices].filter((r) => r.kind === k).length, 0);
console.log(
  `${result.entries.length} entries: ${count('staff')} staff, ${count('permit')} permit, ${count('device')} device, ${count('manual')} by hand; ` +
    `${corrections.length} corrections -> ${path.relative(root, out)}`,
);
