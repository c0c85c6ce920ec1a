import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderDocument } from '../../../../electron/core/pdf/index';
import { appRoot } from '../../../../electron/core/paths';
import * as fx from './fixtures';

/**
 * The font tables shared between documents (electron/core/pdf/font-cache.ts) change nothing in
 * the PDFs: documents rendered one after the other in a process where the cache is active (as in
 * the app's bundles, where pdfmake loads on first use) are byte for byte those rendered without it
 * (here: vitest loads pdfmake at import, before any cache), but for the random document /ID.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-font-cache-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const stripId = (b: Buffer) => b.toString('latin1').replace(/\/ID \[<[0-9a-f]+> <[0-9a-f]+>\]/, '');
const JOBS = [
  ['protocol', 'kk'],
  ['protocol', 'ru'],
  ['protocol', 'both'],
  ['scoring', 'ru'],
  ['protocol', 'ru'],
  // Another patient and decision: words and glyphs never shaped before, beside shared ones.
  ['other', 'kk'],
] as const;
const OTHER_PATIENT = { lastName: 'Эрдоганова', firstName: 'Фируза', middleName: 'Щукинична', iin: '851130400771', birthDate: '1985-11-30' };
const docOf = (kind: (typeof JOBS)[number][0]) =>
  kind === 'protocol' ? fx.protocol() : kind === 'other' ? { ...fx.refusedProtocol(), patient: OTHER_PATIENT } : fx.scoringSheet();

describe('pdf: font tables decoded once per process', () => {
  it('renders the same bytes with the cache as without it, whatever was rendered before', async () => {
    const root = appRoot();
    const entry = path.join(tmp, 'render.ts');
    const rel = (p: string) => path.relative(tmp, path.join(root, p)).split(path.sep).join('/');
    fs.writeFileSync(
      entry,
      `import fs from 'node:fs';
import { renderDocument } from '${rel('electron/core/pdf/index')}';
import { fontCacheActive, fontCacheHits, shapedWordHits, subsetGlyphHits } from '${rel('electron/core/pdf/font-cache')}';
import { sharedRunHits } from '${rel('electron/core/pdf/font-layout')}';
import * as fx from '${rel('test/electron/core/pdf/fixtures')}';
(async () => {
  const jobs = ${JSON.stringify(JOBS)};
  for (const [i, [kind, lang]] of jobs.entries()) {
    const doc = kind === 'protocol' ? fx.protocol() : kind === 'other' ? { ...fx.refusedProtocol(), patient: ${JSON.stringify(OTHER_PATIENT)} } : fx.scoringSheet();
    fs.writeFileSync(${JSON.stringify(tmp)} + '/cached-' + i + '.pdf', (await renderDocument(doc, { lang })).buffer);
  }
  console.log(JSON.stringify({ active: fontCacheActive(), hits: fontCacheHits(), words: shapedWordHits(), runs: sharedRunHits(), glyphs: subsetGlyphHits() }));
})();
`,
    );
    const lib = createRequire(import.meta.url)(path.join(root, 'scripts', 'build-lib.cjs')) as { lazyAliases: Record<string, string> };
    const esbuild = await import('esbuild');
    await esbuild.build({
      entryPoints: [entry],
      outfile: path.join(root, 'dist', 'test-font-cache.cjs'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['better-sqlite3', 'zod', 'qrcode', 'electron'],
      alias: lib.lazyAliases,
      logOverride: { 'unsupported-require-call': 'silent' },
      logLevel: 'error',
    });
    try {
      const out = execFileSync(process.execPath, [path.join(root, 'dist', 'test-font-cache.cjs')], { encoding: 'utf8', env: { ...process.env, HTMP_APP_ROOT: root } });
      const got = JSON.parse(out.trim()) as { active: boolean; hits: number; words: number; runs: number; glyphs: number };
      expect(got.active).toBe(true);
      // pdfkit reads a font named by path anew for every document: the tables must still be
      // shared (keyed by content), or the cache serves nothing (it keyed by the Buffer once).
      expect(got.hits).toBeGreaterThanOrEqual(JOBS.length - 1);
      // Shaped words and subset glyphs of one document serve the next ones too. The words come
      // from pdfkit's scaled runs shared by font (font-layout.ts), which sit in front of fontkit's
      // shared shaping (font-cache.ts, `words`: hit only where font-layout is not installed).
      expect(got.runs + got.words).toBeGreaterThan(100);
      expect(got.glyphs).toBeGreaterThan(100);
    } finally {
      fs.rmSync(path.join(root, 'dist', 'test-font-cache.cjs'), { force: true });
    }
    for (const [i, [kind, lang]] of JOBS.entries()) {
      const doc = docOf(kind);
      const plain = (await renderDocument(doc, { lang })).buffer;
      expect(stripId(fs.readFileSync(path.join(tmp, `cached-${i}.pdf`))), `${kind} ${lang}`).toBe(stripId(plain));
    }
  }, 120_000);
});
