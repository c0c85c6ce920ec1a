/**
 * `npm run bench -- reports`: the dashboard's numbers, the overdue steps and the annual report over
 * 10,000 cases made through the app's own handlers, in a temporary data folder.
 *
 * Data: 10,000 cases (`cases.save` + `cases.register`, every write in the change log) received over
 * 2025-2026 on working days, codes of the shipped catalogue (both urgencies), ~25 providers; about
 * 40% decided with issued protocols (approvals, and refusals on each ground of point 40); of the
 * approved, most registered on the Portal, then hospitalization dates, informing, operations,
 * complications, disability, deaths and one-year survival recorded through `cases.*`. Seeded.
 *
 * Measured, each beside its naive "load everything" peer in the same run:
 * - the dashboard (`reports.dashboard`: GROUP BY on the derived facts) vs loading every case with its
 *   patient, follow-up and Portal events and deriving and counting in JavaScript (the same pure rules),
 *   with a check that both give the same numbers;
 * - every overdue step (`aftercare.overdue`, two indexed queries) vs computing every approved case's
 *   steps in JavaScript;
 * - the annual report as PDF (kk, with its three ECharts SVG charts) and as XLSX;
 * - rebuilding the derived facts from scratch (what a calendar or catalogue change costs).
 *
 * Targets: dashboard p95 < 50 ms; annual report PDF < 2 s. Options: --cases N, --reps N, --data DIR (keep the
 * seeded data folder there and reuse it on the next run: seeding 10,000 cases takes minutes).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { iinFor, setUpCommission } from './_cases';
import { workCalendar } from '../../electron/core/cases/calendar';
import { afterFactsOf, CASE_FACTS_SQL, factInputOf, rebuildFacts } from '../../electron/core/aftercare/facts';
import { annualXlsx } from '../../electron/core/reports/xlsx';
import { aftercareToday, overdueSteps } from '../../electron/core/services/aftercare';
import { catalogueLookup } from '../../electron/core/services/catalogue-lookup';
import { casesHandlers } from '../../electron/core/services/cases';
import { commissionFromSettings } from '../../electron/core/services/protocols';
import { annualPdf, annualReport, dashboard } from '../../electron/core/services/reports';
import { afterApprovalSteps, DEADLINE_STEPS } from '../../shared/domain/aftercare';
import { addDays, isWorkingDay } from '../../shared/domain/calendar';
import { aggregateDashboard, deriveFact } from '../../shared/domain/reports';
import { fmt, openBench, percentile, rng, table, timeEach } from './_util';

const { values } = parseArgs({ options: { cases: { type: 'string' }, reps: { type: 'string' }, data: { type: 'string' } } });
const N = Number(values.cases ?? 10_000);
const REPS = Number(values.reps ?? 100);
const TODAY = '2026-11-30';

const r = rng(15);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const LAST = ['Абаев', 'Ержанова', 'Сапаров', 'Омарова', 'Ким', 'Нұрланов', 'Жұмабекова', 'Иванов', 'Серікбаев', 'Тоқтарова', 'Ахметов'];
const FIRST = ['Ерлан', 'Айгүл', 'Дина', 'Марат', 'Асель', 'Нұрсұлтан', 'Олег', 'Жанна'];
const PROVIDERS = Array.from({ length: 25 }, (_, i) =>
  i % 3 === 0 ? `«Ұлттық ғылыми орталық № ${i + 1}» АҚ` : i % 3 === 1 ? `ГКП на ПХВ «Областная больница № ${i + 1}»` : `«Кардиохирургия орталығы ${i + 1}» ЖШС`,
);
const CODES = ['54.970.059', '92.321', '00.51', '03.93', '20.95', '92.201', '35.84', '35.23', '37.51', '38.34'];


/** The time of a fixed CPU loop (2e8 additions): how busy the machine is, for reading the numbers. */
function cpuCheck(): string {
  const times = [0, 1, 2].map(() => {
    const t = process.hrtime.bigint();
    let x = 0;
    for (let i = 0; i < 2e8; i++) x += i % 7;
    if (x < 0) console.log(x);
    return Number(process.hrtime.bigint() - t) / 1e6;
  });
  return `CPU check: a 2e8-iteration loop took ${times.map((t) => t.toFixed(0)).join(' / ')} ms (the same loop, compared between runs, shows how busy the machine was)`;
}

async function main(): Promise<void> {
const keep = values.data !== undefined;
const dataDir = keep ? path.resolve(values.data!) : fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-bench-reports-'));
const core = await openBench(dataDir);
const ctx = core.context;
const h = casesHandlers;
try {
  const existing = (core.db.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n;
  if (existing >= N) console.log(`reusing ${existing} cases in ${dataDir}`);
  else await seed();
  async function seed(): Promise<void> {
  if (existing > 0) throw new Error(`${dataDir} holds ${existing} cases, fewer than ${N}: use an empty folder`);
  await setUpCommission(core);
  const cat = catalogueLookup(ctx);
  const calendar = workCalendar();
  const days: string[] = [];
  for (let d = '2025-01-02'; d <= '2026-11-20'; d = addDays(d, 1)) if (isWorkingDay(d, calendar)) days.push(d);
  const next = (d: string, n: number) => {
    let x = d;
    for (let i = 0; i < n; ) {
      x = addDays(x, 1);
      if (isWorkingDay(x, calendar)) i++;
    }
    return x;
  };
  const members = [
    { name: 'Сапаров А.', role: 'chair' as const },
    { name: 'Омарова Д.', role: 'secretary' as const },
  ];

  const t0 = Date.now();
  let decided = 0;
  let approved = 0;
  for (let start = 0; start < N; start += 500) {
    core.store.transaction(() => {
      for (let i = start; i < Math.min(N, start + 500); i++) {
        const male = r() < 0.5;
        const birth = `${1945 + Math.floor(r() * 75)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
        const day = pick(days);
        const code = pick(CODES);
        const hit = cat.lookup(code, day);
        const urgency = hit.sections.includes(1) && r() < 0.4 ? 'emergency' : 'planned';
        const gaps = r() < 0.12;
        const inpatient = r() < 0.1;
        const saved = h['cases.save'](
          {
            patient: { iin: iinFor(birth, male, i), lastName: pick(LAST), firstName: pick(FIRST), birthDate: birth, sex: male ? 'male' : 'female', insured: r() < 0.8, primaryCareOrg: `Емхана № ${1 + Math.floor(r() * 40)}` },
            receivedAt: `${day}T${String(9 + Math.floor(r() * 9)).padStart(2, '0')}:${String(Math.floor(r() * 60)).padStart(2, '0')}`,
            channel: inpatient ? 'email' : 'paper',
            htmpCode: code,
            urgency,
            inpatient,
            providerOrg: pick(PROVIDERS),
            diagnosis: { icd10: 'I25.1', text: 'Атеросклеротическая болезнь сердца' },
            documents: [
              { kind: 'identity', paper: true },
              { kind: 'referral', paper: !gaps },
              { kind: 'record_extract', paper: true, signatures: ['attending', 'head_of_department', 'deputy_chief'], seal: true, clinicalDiagnosis: 'ИБС' },
              { kind: 'test_results', paper: true, items: [{ name: 'ЭКГ', date: day }] },
            ],
          },
          ctx,
        );
        if (r() < 0.05) continue; // a draft
        h['cases.register']({ id: saved.id }, ctx);
        if (day > '2026-11-10' || r() < 0.55) continue; // undecided
        const complete = saved.detail.complete;
        const outcome = complete && r() < 0.75 ? 'approved' : 'refused';
        const reason = outcome === 'approved' ? null : complete ? (r() < 0.8 ? 'no_indications' : 'not_authentic') : 'incomplete_packet';
        const decidedOn = next(day, r() < 0.85 ? 1 + Math.floor(r() * 2) : 3 + Math.floor(r() * 3));
        h['cases.decide']({ caseId: saved.id, outcome, reason, members, date: decidedOn, issue: true }, ctx);
        decided++;
        if (outcome !== 'approved') continue;
        approved++;
        if (r() < 0.15) continue; // not yet on the Portal
        h['cases.portalStatus']({ caseId: saved.id, status: 'exported', at: `${decidedOn}T12:00` }, ctx);
        h['cases.portalStatus']({ caseId: saved.id, status: 'uploaded', at: `${decidedOn}T15:00` }, ctx);
        if (r() < 0.1) continue; // point 38 still open
        const setOn = next(decidedOn, r() < 0.8 ? 1 + Math.floor(r() * 2) : 3);
        if (setOn > TODAY) continue;
        h['cases.hospitalization']({ caseId: saved.id, date: next(setOn, 5 + Math.floor(r() * 20)), setOn }, ctx);
        if (r() < 0.08) continue; // point 39 still open
        const informed = next(setOn, r() < 0.9 ? 1 : 2);
        if (informed > TODAY) continue;
        h['cases.patientInformed']({ caseId: saved.id, channel: pick(['voice', 'sms', 'cabinet', 'app'] as const), date: informed }, ctx);
        const op = next(informed, 6 + Math.floor(r() * 20));
        if (op > TODAY || r() < 0.2) continue;
        const died = r() < 0.04;
        h['cases.followUp'](
          {
            caseId: saved.id,
            operationDate: op,
            dischargeDate: addDays(op, 7) <= TODAY ? addDays(op, 7) : null,
            complications: r() < 0.12,
            disability: r() < 0.06,
            death: died,
            deathDate: died && addDays(op, 30) <= TODAY ? addDays(op, 30) : null,
            survivalOneYear: !died && addDays(op, 366) <= TODAY ? r() < 0.95 : null,
          },
          ctx,
        );
      }
    });
  }
  const buildS = (Date.now() - t0) / 1000;
  console.log(`${N} cases through the handlers in ${buildS.toFixed(1)} s: ${decided} decided (${approved} approved)`);
  }
  core.db.exec('ANALYZE');
  console.log(cpuCheck());
  const n = (sql: string) => (core.db.prepare(sql).get() as { n: number }).n;
  console.log(
    `${n('SELECT count(*) AS n FROM cases')} cases, ${n("SELECT count(*) AS n FROM cases WHERE status IN ('approved', 'refused')")} decided, ${n("SELECT count(*) AS n FROM follow_ups WHERE operation_date IS NOT NULL")} operated; ` +
      `change_log ${n('SELECT count(*) AS n FROM change_log')} rows; report_facts ${n('SELECT count(*) AS n FROM report_facts')}, case_deadlines ${n('SELECT count(*) AS n FROM case_deadlines')}`,
  );

  // ---- the dashboard vs load-everything
  const loadAll = core.db.prepare(CASE_FACTS_SQL);
  const naiveDashboard = (from: string, to: string) => {
    const cal = workCalendar(core.db);
    const lookup = catalogueLookup(ctx);
    const facts = (loadAll.all() as Parameters<typeof factInputOf>[0][]).map((row) => deriveFact(factInputOf(row), cal, (c, d) => lookup.lookup(c, d)));
    return aggregateDashboard(facts, from, to, TODAY);
  };
  const periods: [string, string, string][] = [
    ['year 2026', '2026-01-01', '2026-12-31'],
    ['first quarter 2026', '2026-01-01', '2026-03-31'],
    ['all (2025-2026)', '2025-01-01', '2026-12-31'],
  ];
  const rows: (string | number)[][] = [['dashboard (all seven charts)', 'cases', 'SQL p50 ms', 'SQL p95 ms', 'naive p50 ms', 'naive p95 ms', 'same numbers']];
  const dash = (from: string, to: string) => dashboard(ctx, from, to, TODAY);
  for (const [name, from, to] of periods) {
    const d = dash(from, to);
    const { overdueNow: _o, period: _p, today: _t, ...numbers } = d;
    const same = JSON.stringify(numbers) === JSON.stringify(naiveDashboard(from, to));
    const sql = timeEach(Array.from({ length: REPS }), () => dash(from, to));
    const naive = timeEach(Array.from({ length: Math.max(5, Math.floor(REPS / 20)) }), () => naiveDashboard(from, to));
    rows.push([name, d.totals.received, fmt(percentile(sql, 50)), fmt(percentile(sql, 95)), fmt(percentile(naive, 50)), fmt(percentile(naive, 95)), same ? 'yes' : 'NO']);
  }
  console.log('');
  table(rows);

  // ---- overdue steps vs computing every approved case's steps
  const naiveOverdue = () => {
    const cal = workCalendar(core.db);
    let count = 0;
    for (const row of loadAll.all() as (Parameters<typeof afterFactsOf>[0] & { status: string })[]) {
      if (row.status !== 'approved') continue;
      for (const s of afterApprovalSteps(afterFactsOf(row), cal, TODAY)) if ((DEADLINE_STEPS as readonly string[]).includes(s.id) && s.state === 'overdue') count++;
    }
    return count;
  };
  const first = overdueSteps(ctx, { today: TODAY, limit: 50 });
  const afterTotal = first.byStep.hospitalization_date + first.byStep.inform + first.byStep.follow_up;
  const sqlO = timeEach(Array.from({ length: REPS }), () => overdueSteps(ctx, { today: TODAY, limit: 50 }));
  const naiveO = timeEach(Array.from({ length: 5 }), naiveOverdue);
  const todayT = timeEach(Array.from({ length: Math.max(5, Math.floor(REPS / 5)) }), () => aftercareToday(ctx, TODAY));
  console.log('');
  table([
    ['overdue steps', 'steps', 'p50 ms', 'p95 ms'],
    ['aftercare.overdue (first page, counts by step)', first.total, fmt(percentile(sqlO, 50)), fmt(percentile(sqlO, 95))],
    ['aftercare.today (Today screen blocks)', '', fmt(percentile(todayT, 50)), fmt(percentile(todayT, 95))],
    [`naive: every approved case's steps in JS (${naiveOverdue() === afterTotal ? 'same count' : 'DIFFERENT'})`, afterTotal, fmt(percentile(naiveO, 50)), fmt(percentile(naiveO, 95))],
  ]);

  // ---- the annual report
  const run = async (label: string, fn: () => Promise<{ bytes: number; pages?: number }>, reps: number) => {
    const times: number[] = [];
    let last: { bytes: number; pages?: number } = { bytes: 0 };
    for (let i = 0; i < reps; i++) {
      const t = process.hrtime.bigint();
      last = await fn();
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return [label, fmt(times[0]!), reps > 1 ? fmt(percentile(times.slice(1).sort((a, b) => a - b), 50)) : '', reps > 1 ? fmt(Math.max(...times.slice(1))) : '', last.pages ?? '', (last.bytes / 1024).toFixed(1)];
  };
  const annual = annualReport(ctx, 2026);
  const annualT = timeEach(Array.from({ length: 20 }), () => annualReport(ctx, 2026));
  const out: (string | number)[][] = [['annual report 2026', 'first ms', 'warm p50 ms', 'warm max ms', 'pages', 'KB']];
  out.push(['numbers (reports.annual)', fmt(annualT[0]!), fmt(percentile(annualT, 50)), fmt(annualT.at(-1)!), '', '']);
  out.push(await run('PDF kk (first loads ECharts + fonts)', () => annualPdf(ctx, 2026, 'kk'), 4));
  out.push(await run('PDF ru', () => annualPdf(ctx, 2026, 'ru'), 3));
  out.push(await run('XLSX ru (first loads exceljs)', async () => ({ bytes: (await annualXlsx(annual, 'ru', commissionFromSettings(ctx))).length }), 3));
  console.log(`\nannual report 2026: ${annual.rows.length} rows (code x section x provider); referrals ${annual.totals.referrals}, approvals ${annual.totals.approvals}, operations ${annual.totals.operations}`);
  table(out);

  const rebuild = timeEach([0, 1, 2], () => rebuildFacts(ctx));
  console.log(`\nrebuilding the derived facts of ${N} cases from scratch: p50 ${fmt(percentile(rebuild, 50))} ms`);
  console.log(cpuCheck());
} finally {
  core.close();
  if (!keep) fs.rmSync(dataDir, { recursive: true, force: true });
}
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
