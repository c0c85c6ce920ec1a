/**
 * `npm run bench -- orgs`: which organizations may receive a patient for an HTMP code on a date
 * (`orgs.eligible`, `htmp org list --code C --on DATE`) over 5,000 organizations x 100 codes x 3
 * years, in a temporary data folder.
 *
 * Data (seeded, the same every run):
 * - 5,000 organizations imported from one CSV through `orgs.import` (the app's import, one
 *   transaction, every row in change_log);
 * - 100 codes (the 83 of the shipped catalogue, 17 made-up ones for the bulk rows), years 2026-2028; every organization holds conclusions for
 *   10 random codes a year: 150,000 conclusions, of which ~10% not conforming, ~2% reissued
 *   (point 30: a second conclusion supersedes them) and 2% first-time ones valid from a date in
 *   the year. One conclusion per code is issued through the whole flow (application, receipt,
 *   assessment, `conformity.issue`); the others are written through the Store with the same
 *   columns, except that their stored statement and decisions are short stand-ins (the query never
 *   reads them, and 150,000 full statements would only make the file large).
 *
 * Measured (p50 / p95 over repeated runs, random code and date):
 * - `eligibleOrgs` (what the handler runs: the in-memory index of electron/core/orgs/eligibility.ts)
 *   and `orgs.eligible` through the core's dispatch; the same answer from indexed SQL
 *   (`eligibleOrgsSql`); the time to build the index (the first query after a change);
 * - naive peer 1: the same SQL with the index disabled (`NOT INDEXED`: a scan of every conclusion);
 * - naive peer 2: every issued conclusion and organization loaded, filtered and sorted in JS;
 * - the registry search (`orgs.list` with a folded text query) and the import of 5,000 rows.
 *
 * Options: --orgs N (5000), --codes N (100), --per-year N (10), --reps N (300).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { conformityCodes } from '../../electron/core/orgs/conformity';
import { eligibleOrgs, eligibleOrgsSql } from '../../electron/core/orgs/registry';
import { nameBasedUuid } from '../../electron/core/store';
import { withBinCheckDigit } from '../../shared/domain/bin';
import { REGION_IDS } from '../../shared/domain/regions';
import { benchCore, fmt, openBench, percentile, rng, table, timeEach } from './_util';

const { values } = parseArgs({ options: { orgs: { type: 'string' }, codes: { type: 'string' }, 'per-year': { type: 'string' }, reps: { type: 'string' } } });
const ORGS = Number(values.orgs ?? 5000);
const CODES = Number(values.codes ?? 100);
const PER_YEAR = Number(values['per-year'] ?? 10);
const REPS = Number(values.reps ?? 300);
const YEARS = [2026, 2027, 2028];
const r = rng(14);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const WORDS_KK = ['облыстық', 'қалалық', 'көпбейінді', 'балалар', 'кардиохирургия', 'онкология', 'ана мен бала', 'ұлттық', 'ғылыми', 'травматология'];
const WORDS_RU = ['областная', 'городская', 'многопрофильная', 'детская', 'кардиохирургическая', 'онкологическая', 'матери и ребенка', 'национальная', 'научная', 'травматологическая'];

function binOf(n: number): string {
  for (let k = n * 7; ; k++) {
    const b = withBinCheckDigit(`0405400${String(k).padStart(4, '0')}`.slice(0, 11));
    if (b) return b;
  }
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-bench-orgs-'));
const core = benchCore(dataDir);
const ctx = core.context;
(async () => {
  try {
    // ---- 5,000 organizations through the import
    const bins = new Set<string>();
    const lines = ['bin,name_kk,name_ru,region,level,phone'];
    for (let i = 0; bins.size < ORGS; i++) {
      const bin = withBinCheckDigit(`${String(10 + (i % 80)).padStart(2, '0')}${String(1 + (i % 12)).padStart(2, '0')}40${String(i).padStart(5, '0')}`) ?? binOf(i);
      if (bins.has(bin)) continue;
      bins.add(bin);
      const w = Math.floor(r() * WORDS_KK.length);
      lines.push(`${bin},№${i} ${WORDS_KK[w]} аурухана,№${i} ${WORDS_RU[w]} больница,${pick(REGION_IDS)},${pick(['republican', 'regional', 'city', 'private'])},+7 700 ${String(i).padStart(7, '0')}`);
    }
    const csv = Buffer.from(lines.join('\n'), 'utf8').toString('base64');
    let t0 = Date.now();
    const imported = await core.call('orgs.import', { fileName: 'orgs.csv', contentBase64: csv });
    const importMs = Date.now() - t0;
    const orgs = (core.db.prepare('SELECT id FROM organizations').all() as { id: string }[]).map((x) => x.id);

    // ---- codes, and one real conclusion per code through the whole flow
    // The shipped catalogue has fewer than 100 codes: the rest are made-up codes (for the bulk rows only).
    const real = conformityCodes(ctx).slice(0, CODES).map((c) => c.code);
    const codes = [...real, ...Array.from({ length: Math.max(0, CODES - real.length) }, (_x, i) => `99.${String(900 + i)}`)];
    await core.call('orgs.updateSettings', { issuerKk: 'Бенчмарк бөлімшесі', issuerRu: 'Подразделение бенчмарка', signerName: 'Омаров Д.', signerPosition: 'Басшы' });
    t0 = Date.now();
    const template = new Map<string, Record<string, unknown>>();
    for (const code of real) {
      const orgId = pick(orgs);
      const a = await core.call('conformity.saveApplication', { orgId, year: 2027, code, firstTime: false, staff: [], devices: [], permits: [], plannedVolume: 10 });
      await core.call('conformity.receiveApplication', { id: a.id, receivedOn: '2026-09-20' });
      const d = await core.call('conformity.getApplication', { id: a.id });
      const decisions = d.assessment.items.map((i) => ({ requirementId: i.requirementId, decision: 'met' as const, justification: i.status === 'met' ? '' : 'бенчмарк' }));
      await core.call('conformity.saveAssessment', { applicationId: a.id, decisions, staffJustification: '', devicesJustification: '', note: '' });
      const issued = await core.call('conformity.issue', { applicationId: a.id, date: '2026-10-10', signer: { name: 'Омаров Д.', position: 'Басшы' } });
      template.set(code, core.db.prepare('SELECT * FROM org_conclusions WHERE id = ?').get(issued.conclusion!.id) as Record<string, unknown>);
    }
    const flowMs = (Date.now() - t0) / real.length;
    for (const code of codes) if (!template.has(code)) template.set(code, template.get(real[0]!)!);

    // ---- the rest through the Store, batch by batch
    t0 = Date.now();
    let n = 0;
    let seq = 10_000;
    const BATCH = 5000;
    const plan: { orgId: string; year: number; code: string }[] = [];
    for (const orgId of orgs) for (const year of YEARS) for (const code of [...codes].sort(() => r() - 0.5).slice(0, PER_YEAR)) plan.push({ orgId, year, code });
    for (let i = 0; i < plan.length; i += BATCH) {
      core.store.transaction(() => {
        for (const p of plan.slice(i, i + BATCH)) {
          const conform = r() < 0.9 ? 1 : 0;
          const firstTime = r() < 0.02;
          const from = firstTime ? `${p.year}-${String(1 + Math.floor(r() * 11)).padStart(2, '0')}-15` : `${p.year}-01-01`;
          const id = nameBasedUuid(`bench/${p.orgId}/${p.year}/${p.code}`);
          const appId = nameBasedUuid(`bench-app/${p.orgId}/${p.year}/${p.code}`);
          const t = template.get(p.code)!;
          const num = `${++seq}/${p.year - 1}`;
          ctx.store.insert('org_conclusions', {
            id,
            application_id: appId,
            org_id: p.orgId,
            year: p.year,
            code: p.code,
            state: 'issued',
            decisions: '[]',
            staff_justification: conform ? '' : 'бенчмарк',
            devices_justification: conform ? '' : 'бенчмарк',
            note: '',
            staff_conform: conform,
            devices_conform: 1,
            overall_conform: conform,
            number: num,
            number_year: p.year - 1,
            number_seq: seq,
            issued_on: `${p.year - 1}-10-10`,
            valid_from: from,
            valid_to: `${p.year}-12-31`,
            signer_name: 'Омаров Д.',
            signer_position: 'Басшы',
            supersedes_id: null,
            statement: '{}',
            sha256: 'a'.repeat(64),
            issued_at: `${p.year - 1}-10-10T05:00:00.000Z`,
          });
          n++;
          if (conform && r() < 0.02) {
            ctx.store.insert('org_conclusions', {
              id: nameBasedUuid(`bench-re/${id}`),
              application_id: appId,
              org_id: p.orgId,
              year: p.year,
              code: p.code,
              state: 'issued',
              decisions: '[]',
              staff_justification: '',
              devices_justification: '',
              note: '',
              staff_conform: 1,
              devices_conform: 1,
              overall_conform: 1,
              number: `${++seq}/${p.year}`,
              number_year: p.year,
              number_seq: seq,
              issued_on: `${p.year}-05-01`,
              valid_from: from,
              valid_to: `${p.year}-12-31`,
              signer_name: 'Омаров Д.',
              signer_position: 'Басшы',
              supersedes_id: id,
              statement: '{}',
              sha256: 'b'.repeat(64),
              issued_at: `${p.year}-05-01T05:00:00.000Z`,
            });
            n++;
          }
        }
      });
    }
    const storeS = (Date.now() - t0) / 1000;
    core.db.exec('ANALYZE');
    const count = (sql: string) => (core.db.prepare(sql).get() as { n: number }).n;
    console.log(
      `${imported.created} organizations imported from CSV in ${importMs} ms; ${real.length} conclusions issued through the whole flow (${flowMs.toFixed(1)} ms each); ` +
        `${n} more written through the Store in ${storeS.toFixed(1)} s; conclusions: ${count('SELECT count(*) AS n FROM org_conclusions')}; ` +
        `change_log: ${count('SELECT count(*) AS n FROM change_log')}; database ${(fs.statSync(core.databaseFile).size / 1024 / 1024).toFixed(1)} MB (+WAL)`,
    );

    // ---- queries
    const queries = Array.from({ length: REPS }, () => ({ code: pick(codes), on: `${pick(YEARS)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}` }));
    const naiveSql = core.db.prepare(`
      SELECT o.*, c.id AS c_id FROM org_conclusions c NOT INDEXED JOIN organizations o ON o.id = c.org_id
       WHERE c.code = ? AND c.state = 'issued' AND c.overall_conform = 1 AND c.valid_from <= ? AND c.valid_to >= ?
         AND NOT EXISTS (SELECT 1 FROM org_conclusions s WHERE s.supersedes_id = c.id AND s.state = 'issued')`);
    const collator = new Intl.Collator('kk');
    const naiveJs = (q: { code: string; on: string }) => {
      const all = core.db.prepare("SELECT id, org_id, code, state, overall_conform, valid_from, valid_to, supersedes_id FROM org_conclusions WHERE state = 'issued'").all() as {
        id: string; org_id: string; code: string; overall_conform: number; valid_from: string; valid_to: string; supersedes_id: string | null;
      }[];
      const superseded = new Set(all.map((c) => c.supersedes_id).filter(Boolean));
      const byId = new Map((core.db.prepare('SELECT * FROM organizations').all() as { id: string; name_kk: string }[]).map((o) => [o.id, o]));
      return all
        .filter((c) => c.code === q.code && c.overall_conform === 1 && c.valid_from <= q.on && c.valid_to >= q.on && !superseded.has(c.id))
        .map((c) => byId.get(c.org_id)!)
        .sort((a, b) => collator.compare(a.name_kk, b.name_kk));
    };
    // Same answers (as sets of organizations) from every way.
    let sizes = 0;
    for (const q of queries.slice(0, 3)) {
      const a = eligibleOrgs(ctx, q.code, q.on).map((e) => e.org.id).sort();
      if (JSON.stringify(eligibleOrgs(ctx, q.code, q.on)) !== JSON.stringify(eligibleOrgsSql(ctx, q.code, q.on))) throw new Error(`index and SQL differ for ${q.code} on ${q.on}`);
      const b = [...new Set((naiveSql.all(q.code, q.on, q.on) as { id: string }[]).map((x) => x.id))].sort();
      const c = [...new Set(naiveJs(q).map((x) => (x as { id: string }).id))].sort();
      if (JSON.stringify(a) !== JSON.stringify(b) || JSON.stringify(a) !== JSON.stringify(c)) throw new Error(`answers differ for ${q.code} on ${q.on}`);
      sizes += a.length;
    }
    // The first query of a connection builds the in-memory index (a second connection, as the CLI).
    const second = await openBench(dataDir);
    const tf = process.hrtime.bigint();
    eligibleOrgs(second.context, queries[0]!.code, queries[0]!.on);
    const fullMs = Number(process.hrtime.bigint() - tf) / 1e6;
    const other = codes.find((c) => c !== queries[0]!.code)!;
    const tc = process.hrtime.bigint();
    eligibleOrgs(second.context, other, queries[0]!.on);
    const codeMs = Number(process.hrtime.bigint() - tc) / 1e6;
    second.close();
    // After a write, the next query reads again what it touched: a renamed organization here.
    await core.call('orgs.save', { id: orgs[0]!, bin: core.db.prepare('SELECT bin FROM organizations WHERE id = ?').pluck().get(orgs[0]!) as string, nameKk: 'Өзгертілген аурухана', nameRu: 'Изменённая больница', region: 'astana', level: 'city' });
    const tb = process.hrtime.bigint();
    eligibleOrgs(ctx, queries[0]!.code, queries[0]!.on);
    const buildMs = Number(process.hrtime.bigint() - tb) / 1e6;
    const eligible = timeEach(queries, (q) => eligibleOrgs(ctx, q.code, q.on));
    // CPU time of the same queries: on a machine shared with others (load average far above its
    // cores) wall-clock p95 measures the scheduler as much as the code.
    const cpu: number[] = [];
    for (const q of queries) {
      const c0 = process.cpuUsage();
      eligibleOrgs(ctx, q.code, q.on);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    cpu.sort((a, b) => a - b);
    const load = os.loadavg()[0]!;
    const sql = timeEach(queries.slice(0, 100), (q) => eligibleOrgsSql(ctx, q.code, q.on));
    const viaCore: number[] = [];
    for (const q of queries) {
      const s = process.hrtime.bigint();
      await core.call('orgs.eligible', q);
      viaCore.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    viaCore.sort((a, b) => a - b);
    const naive1 = timeEach(queries.slice(0, Math.max(20, REPS / 10)), (q) => naiveSql.all(q.code, q.on, q.on));
    const naive2 = timeEach(queries.slice(0, 10), naiveJs);
    const search = timeEach(['облыстық', 'больница', 'карагaнды', 'ұлттық ғылыми', '0405', 'матери ребенка'].flatMap((q) => Array.from({ length: 30 }, () => q)), (q) => core.call('orgs.list', { query: q, limit: 50 }));
    const p95 = percentile(eligible, 95);
    console.log(`\nmean eligible organizations per code and date: ${(sizes / 3).toFixed(0)}\n`);
    table([
      ['query', 'runs', 'p50 ms', 'p95 ms', 'target'],
      ['eligibleOrgs (in-memory index, by name), wall', eligible.length, fmt(percentile(eligible, 50)), fmt(p95), p95 < 5 ? 'p95 < 5 ms: met' : 'p95 < 5 ms: NOT met'],
      ['eligibleOrgs, CPU time of the process', cpu.length, fmt(percentile(cpu, 50)), fmt(percentile(cpu, 95)), percentile(cpu, 95) < 5 ? 'p95 < 5 ms: met' : 'p95 < 5 ms: NOT met'],
      ['orgs.eligible through core.call (zod, dispatch)', viaCore.length, fmt(percentile(viaCore, 50)), fmt(percentile(viaCore, 95)), ''],
      ['the same from indexed SQL (eligibleOrgsSql)', sql.length, fmt(percentile(sql, 50)), fmt(percentile(sql, 95)), ''],
      ['first query of a connection (organizations + one code)', 1, fmt(fullMs), fmt(fullMs), ''],
      ['first query of another code (reads that code)', 1, fmt(codeMs), fmt(codeMs), ''],
      ['first query after renaming an organization', 1, fmt(buildMs), fmt(buildMs), ''],
      ['naive 1: same SQL NOT INDEXED (scan)', naive1.length, fmt(percentile(naive1, 50)), fmt(percentile(naive1, 95)), 'peer'],
      ['naive 2: load all, filter and sort in JS', naive2.length, fmt(percentile(naive2, 50)), fmt(percentile(naive2, 95)), 'peer'],
      ['orgs.list text search (folded), first 50', search.length, fmt(percentile(search, 50)), fmt(percentile(search, 95)), ''],
    ]);
    const queryPlan = core.db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT c.id FROM org_conclusions c INDEXED BY org_conclusions_eligible JOIN organizations o ON o.id = c.org_id
          WHERE c.code = ? AND c.state = 'issued' AND c.overall_conform = 1 AND c.valid_from <= ? AND c.valid_to >= ?
            AND NOT EXISTS (SELECT 1 FROM org_conclusions s WHERE s.supersedes_id = c.id AND s.state = 'issued')`,
      )
      .all('35.11', '2027-03-01', '2027-03-01') as { detail: string }[];
    console.log(`\nload average during the run: ${load.toFixed(1)} on ${os.cpus().length} cores`);
    console.log(`\nplan: ${queryPlan.map((p) => p.detail).join(' | ')}`);
    if (percentile(cpu, 95) >= 5) process.exitCode = 1;
  } finally {
    core.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
})().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
