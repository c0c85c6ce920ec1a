/**
 * `npm run bench -- pdf`: the official documents as PDF, beside Chromium printing the same
 * protocol as HTML, warm against warm and cold against cold.
 *
 * The protocol is a real one: a case imported and decided through the app (scripts/bench/_cases.ts),
 * its statement as issued (`docFromStatement`). Measured in one run:
 * - pdfmake (this app), WARM: renderings after the first in this process (fonts read, code
 *   compiled), p50 / p95 per variant (kk, ru, both in columns, both one after the other), size;
 *   and the first rendering in the process;
 * - Chromium, WARM: one headless Chromium (Debian's, through Playwright) and one page, kept open;
 *   each protocol replaces the page's document with its HTML (same texts from locales/kk/pdf.json,
 *   same DejaVu font, A4 margins) and prints it with `page.pdf()` — what an app printing HTML in a
 *   warm renderer does. The time of `page.pdf()` alone, on a page already laid out, is shown too;
 * - COLD, a whole process per document: `htmp protocol render --case-id ID` (the real bin: start,
 *   database, fonts, rendering, file written) against `chromium --headless --print-to-pdf` of the
 *   same HTML;
 * - the register of 1,000 protocols (ru): time, pages, pages per second, size.
 *
 * Targets (issue 17): a protocol warm < 40 ms and >= 3x faster than the warm Chromium page.
 * CPU time is reported beside wall time (a shared machine inflates wall time): this process's CPU
 * per warm pdfmake rendering, and the CPU of Chromium's processes per warm page printing.
 * Options: --reps N (warm renderings per variant, default 40), --chromium-reps N (default 20),
 * --cold-reps N (default 5).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import QRCode from 'qrcode';
import { workCalendar } from '../../electron/core/cases/calendar';
import { appRoot } from '../../electron/core/paths';
import { defaultPdfTranslator, renderDocument, statementHash, type PdfTranslate } from '../../electron/core/pdf';
import { docFromStatement } from '../../electron/core/services/protocols';
import { verificationString, type DocLang, type BilingualLayout, type ProtocolDoc } from '../../shared/documents';
import * as fx from '../../test/electron/core/pdf/fixtures';
import { benchCaseFiles, decideCases, importCases, setUpCommission } from './_cases';
import { BENCH_ENV, fmt, openBench, percentile, table } from './_util';

const { values } = parseArgs({ options: { reps: { type: 'string' }, 'chromium-reps': { type: 'string' }, 'cold-reps': { type: 'string' } } });
const REPS = Number(values.reps ?? 40);
const CHROMIUM_REPS = Number(values['chromium-reps'] ?? 20);
const COLD_REPS = Number(values['cold-reps'] ?? 5);
const ROOT = process.env.HTMP_APP_ROOT ?? process.cwd();
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-bench-pdf-'));

const now = (): number => Number(process.hrtime.bigint()) / 1e6;
/** CPU milliseconds (user + system) of this process so far. */
const ownCpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * CPU milliseconds (user + system) of every living process below this one (Chromium's browser,
 * renderer, GPU and utility processes, which Playwright starts as children), from /proc: the
 * peer's CPU, measured like ours. Linux clock ticks of 10 ms (USER_HZ = 100).
 */
function childrenCpu(): number {
  const info = new Map<number, { ppid: number; ms: number }>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      info.set(Number(d), { ppid: Number(f[1]), ms: (Number(f[11]) + Number(f[12])) * 10 });
    } catch {
      /* gone meanwhile */
    }
  }
  let sum = 0;
  for (const [pid, x] of info) {
    if (pid === process.pid) continue;
    for (let p = x.ppid, hops = 0; p > 1 && hops < 16; p = info.get(p)?.ppid ?? 0, hops++) {
      if (p === process.pid) {
        sum += x.ms;
        break;
      }
    }
  }
  return sum;
}
const kb = (n: number): string => (n / 1024).toFixed(1);
const median = (xs: number[]): number => percentile([...xs].sort((a, b) => a - b), 50);
const p95 = (xs: number[]): number => percentile([...xs].sort((a, b) => a - b), 95);

// ---------------------------------------------------------------------------------------------
// The same protocol as an HTML page (same texts from locales/kk/pdf.json, same font, A4 margins).

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const date = (iso: string): string => iso.split('-').reverse().join('.');

async function protocolHtml(doc: ProtocolDoc, t: PdfTranslate): Promise<string> {
  const tk = (key: string, params?: Record<string, string | number>) => esc(t('kk', key, params));
  const text = (v: string | { kk: string; ru: string }) => esc(typeof v === 'string' ? v : v.kk);
  const verification = verificationString(doc.number, statementHash(doc));
  const qr = await QRCode.toString(verification, { type: 'svg', errorCorrectionLevel: 'M', margin: 0 });
  const font = (file: string) => `url("file://${path.join(appRoot(), 'assets', 'fonts', file)}")`;
  const order: Record<string, number> = { chair: 0, member: 1, secretary: 2 };
  const members = [...doc.members].sort((a, b) => (order[a.role] ?? 0) - (order[b.role] ?? 0));
  const name = doc.htmp.name.kk ?? doc.htmp.name.ru;
  const patient = [doc.patient.lastName, doc.patient.firstName, doc.patient.middleName].filter(Boolean).join(' ');
  return `<!doctype html><html lang="kk"><head><meta charset="utf-8"><title>${tk('protocol.metaTitle', { number: doc.number, date: date(doc.date) })}</title>
<style>
@font-face { font-family: D; src: ${font('DejaVuSans.ttf')}; }
@font-face { font-family: D; font-weight: bold; src: ${font('DejaVuSans-Bold.ttf')}; }
@page { size: A4; margin: 20mm 15mm 23mm 30mm; }
body { font-family: D; font-size: 9.5pt; line-height: 1.12; margin: 0; }
.head { display: flex; justify-content: space-between; gap: 14pt; border-bottom: .8pt solid #000; padding-bottom: 6pt; }
.head svg { width: 76pt; height: 76pt; }
.authority { font-weight: bold; text-transform: uppercase; }
h1 { font-size: 14pt; text-align: center; letter-spacing: .6pt; margin: 6pt 0 2pt; }
.subtitle { text-align: center; font-size: 10pt; }
.meta { display: flex; justify-content: space-between; margin: 10pt 0 6pt; }
h2 { font-size: 10.5pt; margin: 11pt 0 5pt; break-after: avoid; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; }
td, th { border: .5pt solid #000; padding: 2.5pt 4pt; vertical-align: top; }
th { background: #ececec; }
tr { break-inside: avoid; }
.kv td:first-child { width: 38%; font-weight: bold; }
.small { font-size: 7.5pt; color: #333; }
.decision { font-weight: bold; font-size: 10pt; }
.sign td { border: none; padding-top: 12pt; }
.line { border-bottom: .6pt solid #000; height: 12pt; }
</style></head><body>
<div class="head"><div><div class="authority">${text(doc.commission.authority)}</div><div>${text(doc.commission.name)}</div></div>${qr}</div>
<h1>${tk('protocol.title')}</h1><div class="subtitle">${tk('protocol.subtitle')}</div>
<div class="meta"><span>${tk('protocol.date', { date: date(doc.date) })}</span><b>${tk('protocol.number', { number: doc.number })}</b></div>
<h2>1. ${tk('protocol.sections.members')}</h2>
<table><tr><th>${tk('common.rowNo')}</th><th>${tk('protocol.fields.memberName')}</th><th>${tk('protocol.fields.role')}</th></tr>
${members.map((m, i) => `<tr><td>${i + 1}</td><td>${text(m.name)}</td><td>${tk(`roles.${m.role}`)}</td></tr>`).join('')}</table>
<h2>2. ${tk('protocol.sections.patient')}</h2>
<table class="kv"><tr><td>${tk('protocol.fields.fullName')}</td><td>${esc(patient)}</td></tr><tr><td>${tk('protocol.fields.iin')}</td><td>${esc(doc.patient.iin)}</td></tr><tr><td>${tk('protocol.fields.birthDate')}</td><td>${date(doc.patient.birthDate)}</td></tr></table>
<h2>3. ${tk('protocol.sections.diagnosis')}</h2>
<table class="kv"><tr><td>${tk('protocol.fields.icd10')}</td><td>${esc(doc.diagnosis.icd10)}</td></tr><tr><td>${tk('protocol.fields.diagnosisText')}</td><td>${esc(doc.diagnosis.text)}</td></tr></table>
<h2>4. ${tk('protocol.sections.htmp')}</h2>
<table class="kv"><tr><td>${tk('protocol.fields.htmpCode')}</td><td><b>${esc(doc.htmp.code)}</b></td></tr><tr><td>${tk('protocol.fields.htmpName')}</td><td>${esc(name?.text ?? '')}<div class="small">${tk('common.source', { source: name?.source ?? '' })}</div></td></tr></table>
<h2>5. ${tk('protocol.sections.provider')}</h2><div>${doc.provider ? text(doc.provider.name) : tk('protocol.providerNone')}</div>
<h2>6. ${tk('protocol.sections.checklist')}</h2>
<table><tr><th>${tk('common.rowNo')}</th><th>${tk('protocol.fields.document')}</th><th>${tk('protocol.fields.received')}</th></tr>
${doc.checklist.map((c, i) => `<tr><td>${i + 1}</td><td>${tk(`checklist.${c.kind}`)}${c.note ? `<div class="small">${tk('protocol.fields.note')}: ${esc(c.note)}</div>` : ''}</td><td>${tk(c.received ? 'common.yes' : 'common.no')}</td></tr>`).join('')}</table>
<h2>7. ${tk('protocol.sections.decision')}</h2><p>${tk('protocol.reviewed')}</p>
<p class="decision">${doc.decision.outcome === 'approved' ? tk('protocol.approved') : tk('protocol.refused')}</p>
<p class="small">${tk('protocol.rulesNote', { rules: t('kk', 'legal.rules238') })}</p>
<h2>${tk('common.signatures')}</h2>
<table class="sign">${members.map((m) => `<tr><td>${tk(`roles.${m.role}`)}</td><td><div class="line"></div><div class="small">${tk('common.signature')}</div></td><td><div>${text(m.name)}</div><div class="small">${tk('common.fullName')}</div></td></tr>`).join('')}</table>
<p class="small">${tk('common.verification', { code: verification })}</p>
</body></html>`;
}

function pdfPages(file: string): number {
  const r = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(r.stdout ?? '')?.[1] ?? NaN);
}

// ---------------------------------------------------------------------------------------------

/** A data folder with real decided cases; returns it with one issued protocol's case and document. */
async function realProtocol(): Promise<{ dataDir: string; caseId: string; doc: ProtocolDoc }> {
  const dataDir = path.join(tmp, 'data');
  const core = await openBench(dataDir);
  try {
    await setUpCommission(core);
    const ids = await importCases(core, benchCaseFiles(300, workCalendar()));
    await decideCases(core, ids.map((x) => x.id));
    const row = core.db
      .prepare("SELECT s.case_id, s.statement, s.sha256, s.number FROM protocol_statements s JOIN cases c ON c.id = s.case_id WHERE c.status = 'approved' ORDER BY s.number LIMIT 1")
      .get() as { case_id: string; statement: string; sha256: string; number: string };
    return { dataDir, caseId: row.case_id, doc: docFromStatement(row) };
  } finally {
    core.close();
  }
}

async function main(): Promise<void> {
  const { dataDir, caseId, doc } = await realProtocol();
  const t = defaultPdfTranslator();

  // pdfmake: the first rendering in this process (fonts read and parsed), then warm ones.
  let t0 = now();
  const first = await renderDocument(doc, { lang: 'kk' });
  const firstMs = now() - t0;
  const variants: { tag: string; lang: DocLang; layout?: BilingualLayout }[] = [
    { tag: 'kk', lang: 'kk' },
    { tag: 'ru', lang: 'ru' },
    { tag: 'both, columns', lang: 'both', layout: 'columns' },
    { tag: 'both, sequential', lang: 'both', layout: 'sequential' },
  ];
  const warm: { tag: string; med: number; p95: number; cpu: number; bytes: number; pages: number }[] = [];
  for (const v of variants) {
    const opts = { lang: v.lang, ...(v.layout ? { layout: v.layout } : {}) };
    for (let i = 0; i < 3; i++) await renderDocument(doc, opts);
    const times: number[] = [];
    let bytes = 0;
    let pages = 0;
    const c0 = ownCpu();
    for (let i = 0; i < REPS; i++) {
      t0 = now();
      const r = await renderDocument(doc, opts);
      times.push(now() - t0);
      bytes = r.buffer.length;
      pages = r.pages;
    }
    warm.push({ tag: v.tag, med: median(times), p95: p95(times), cpu: (ownCpu() - c0) / REPS, bytes, pages });
  }

  // Register of 1,000 protocols.
  const register = fx.protocolRegister(1000);
  await renderDocument(fx.protocolRegister(10), { lang: 'ru' });
  const regTimes: number[] = [];
  let reg = await renderDocument(register, { lang: 'ru' });
  for (let i = 0; i < 3; i++) {
    t0 = now();
    reg = await renderDocument(register, { lang: 'ru' });
    regTimes.push(now() - t0);
  }
  const regMs = median(regTimes);

  // The same protocol as HTML.
  const html = await protocolHtml(doc, t);
  const htmlFile = path.join(tmp, 'protocol.html');
  fs.writeFileSync(htmlFile, html);
  let chromiumError: string | null = fs.existsSync(CHROMIUM) ? null : `${CHROMIUM} not found`;

  // Chromium warm: one browser, one page; each document replaces the page's content and is printed.
  const warmChromium: number[] = [];
  const pdfOnly: number[] = [];
  let chromiumBytes = 0;
  let chromiumPages = NaN;
  let chromiumCpu = 0;
  if (chromiumError === null) {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
    try {
      const page = await browser.newPage();
      await page.goto(`file://${htmlFile}`);
      const printOne = async () => {
        await page.evaluate((h) => {
          document.open();
          document.write(h);
          document.close();
        }, html);
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        return page.pdf({ preferCSSPageSize: true, printBackground: true });
      };
      for (let i = 0; i < 5; i++) await printOne();
      let out: Buffer = Buffer.alloc(0);
      for (let i = 0; i < CHROMIUM_REPS; i++) {
        const c0 = childrenCpu();
        t0 = now();
        out = await printOne();
        warmChromium.push(now() - t0);
        chromiumCpu += childrenCpu() - c0;
        t0 = now();
        await page.pdf({ preferCSSPageSize: true, printBackground: true });
        pdfOnly.push(now() - t0);
      }
      const warmFile = path.join(tmp, 'chromium-warm.pdf');
      fs.writeFileSync(warmFile, out);
      chromiumBytes = out.length;
      chromiumPages = pdfPages(warmFile);
    } catch (err) {
      chromiumError = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    } finally {
      await browser.close();
    }
  }

  // Cold: a whole process per document, each.
  const coldHtmp: number[] = [];
  const bin = path.join(ROOT, 'bin', 'htmp.cjs');
  spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' }); // the bin's own build check, once
  for (let i = 0; i < COLD_REPS; i++) {
    const out = path.join(tmp, `htmp-${i}.pdf`);
    t0 = now();
    const r = spawnSync(process.execPath, [bin, 'protocol', 'render', '--case-id', caseId, '--lang', 'kk', '--out', out, '--data-dir', dataDir, '--json'], { encoding: 'utf8', env: { ...process.env, ...BENCH_ENV } });
    coldHtmp.push(now() - t0);
    if (r.status !== 0) throw new Error(`htmp protocol render: ${r.stdout} ${r.stderr}`);
  }
  const coldChromium: number[] = [];
  for (let i = 0; i < COLD_REPS && chromiumError === null; i++) {
    const out = path.join(tmp, `chromium-${i}.pdf`);
    const profile = fs.mkdtempSync(path.join(tmp, 'profile-'));
    t0 = now();
    const r = spawnSync(
      CHROMIUM,
      ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--no-pdf-header-footer', `--user-data-dir=${profile}`, `--print-to-pdf=${out}`, `file://${htmlFile}`],
      { encoding: 'utf8', timeout: 60_000 },
    );
    const ms = now() - t0;
    if (r.status !== 0 || !fs.existsSync(out)) {
      chromiumError = `chromium exited ${r.status}: ${(r.stderr ?? '').slice(0, 300)}`;
      break;
    }
    coldChromium.push(ms);
  }

  const kk = warm[0]!;
  console.log(`\nProtocol ${doc.number} of a real case (issued through the app), ${REPS} warm renderings per variant; Node ${process.versions.node}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);
  table([
    ['document (pdfmake, this app)', 'first (ms)', 'warm p50 (ms)', 'warm p95 (ms)', 'warm CPU (ms)', 'pages', 'size (KB)'],
    ['protocol kk (first in process)', fmt(firstMs), '', '', '', first.pages, kb(first.buffer.length)],
    ...warm.map((w) => [`protocol ${w.tag}`, '', fmt(w.med), fmt(w.p95), fmt(w.cpu), w.pages, kb(w.bytes)]),
    [`register of 1,000 protocols (ru)`, '', fmt(regMs), '', '', reg.pages, kb(reg.buffer.length)],
  ]);
  console.log(`\nRegister of 1,000 protocols: ${reg.pages} pages in ${fmt(regMs)} ms = ${(reg.pages / (regMs / 1000)).toFixed(0)} pages/s`);

  console.log(`\nPeer: the same protocol (kk) as HTML, printed by Chromium (${CHROMIUM})\n`);
  if (chromiumError) console.log(`  Chromium not measured: ${chromiumError}`);
  const speedWarm = median(warmChromium) / kk.med;
  const speedCold = median(coldChromium) / median(coldHtmp);
  const chromiumCpuPer = warmChromium.length > 0 ? chromiumCpu / warmChromium.length : NaN;
  const speedCpu = chromiumCpuPer / kk.cpu;
  table([
    ['engine', 'p50 (ms)', 'p95 (ms)', 'CPU per doc (ms)', 'pages', 'size (KB)'],
    ['WARM  pdfmake (this app), in process', fmt(kk.med), fmt(kk.p95), fmt(kk.cpu), kk.pages, kb(kk.bytes)],
    ['WARM  Chromium page: new content + page.pdf()', fmt(median(warmChromium)), fmt(p95(warmChromium)), fmt(chromiumCpuPer), chromiumPages, kb(chromiumBytes)],
    ['      Chromium page.pdf() alone (page laid out)', fmt(median(pdfOnly)), fmt(p95(pdfOnly)), '', '', ''],
    ['COLD  htmp protocol render (whole process)', fmt(median(coldHtmp)), fmt(p95(coldHtmp)), '', first.pages, ''],
    ['COLD  chromium --headless --print-to-pdf', fmt(median(coldChromium)), fmt(p95(coldChromium)), '', '', ''],
  ]);
  console.log(`\n  warm: pdfmake ${speedWarm.toFixed(1)}x faster than the warm Chromium page (${(median(pdfOnly) / kk.med).toFixed(1)}x against page.pdf() alone); cold: ${speedCold.toFixed(1)}x`);
  console.log(`  warm, CPU per document (this process's CPU for pdfmake; the CPU of Chromium's processes, not counting Playwright's client in this process, for the page): ${speedCpu.toFixed(1)}x`);
  const worstWarm = Math.max(...warm.map((w) => w.med));
  console.log('\nTargets');
  table([
    ['target', 'measured', 'met'],
    ['protocol warm < 40 ms (kk p50)', `${fmt(kk.med)} ms`, kk.med < 40 ? 'yes' : 'NO'],
    ['>= 3x faster than a warm Chromium page', `${speedWarm.toFixed(1)}x`, speedWarm >= 3 ? 'yes' : 'NO'],
    ['(the same in CPU per document)', `${speedCpu.toFixed(1)}x`, speedCpu >= 3 ? 'yes' : 'NO'],
    ['(kk warm CPU per document)', `${fmt(kk.cpu)} ms`, kk.cpu < 40 ? 'yes' : 'NO'],
    ['(slowest variant p50)', `${fmt(worstWarm)} ms`, ''],
  ]);
  fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(1);
});
