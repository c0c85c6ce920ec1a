/**
 * `npm run bench -- cases`: the case register on 10,000 stored cases, in a temporary data folder.
 *
 * Data: 10,000 cases created through the real handlers (`cases.save` + `cases.register`, every
 * write logged in change_log), received over 2025-2026 at random working hours, with codes of the
 * shipped catalogue (both editions, some unknown), ~15% drafts with gaps in the packet, ~20%
 * decided with issued protocols. Seeded, so every run builds the same data.
 *
 * Measured (p50 / p95 over repeated runs of each query):
 * - `listCases` (the `cases.list` handler): first page (50) sorted by due, with several filters;
 * - the naive peer: load every case with its patient and filter/sort/page in JS (what the register
 *   would do without SQL filters and stored due dates);
 * - packet validation: `validatePacket` alone, `cases.validate` (a dry run through the database),
 *   `cases.get` (detail with findings, due and funding); and the naive alternative of recomputing
 *   the packet check for every case to filter "incomplete" instead of reading the stored column.
 *
 * Options: --cases N (default 10000), --reps N (default 200).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from '../../electron/core/core';
import { workCalendar } from '../../electron/core/cases/calendar';
import { catalogueLookup } from '../../electron/core/services/catalogue-lookup';
import { casesHandlers, foldSearch, listCases, type ListArgs } from '../../electron/core/services/cases';
import { addDays, isWorkingDay } from '../../shared/domain/calendar';
import { iinCheckDigit } from '../../shared/domain/iin';
import { validatePacket, type CaseInput } from '../../shared/domain/packet';
import { fmt, percentile, table, timeEach, rng } from './_util';

const { values } = parseArgs({ options: { cases: { type: 'string' }, reps: { type: 'string' } } });
const N = Number(values.cases ?? 10_000);
const REPS = Number(values.reps ?? 200);
const TODAY = '2026-06-15';

const r = rng(4);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const LAST = ['Абаев', 'Ержанова', 'Ёлкин', 'Сапаров', 'Омарова', 'Ким', 'Нұрланов', 'Жұмабекова', 'Иванов', 'Серікбаев', 'Тоқтарова', 'Ахметов'];
const FIRST = ['Ерлан', 'Айгүл', 'Дина', 'Марат', 'Асель', 'Нұрсұлтан', 'Олег', 'Жанна'];

function iinFor(birth: string, male: boolean, serial: number): string {
  const y = Number(birth.slice(0, 4));
  const c = y >= 2000 ? (male ? 5 : 6) : male ? 3 : 4;
  for (let s = serial; ; s++) {
    const first = `${birth.slice(2, 4)}${birth.slice(5, 7)}${birth.slice(8, 10)}${c}${String(s % 10000).padStart(4, '0')}`;
    const d = iinCheckDigit(first);
    if (d !== null) return first + d;
  }
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-bench-cases-'));
const core = createCore({ dataDir, host: 'cli' });
const ctx = core.context;
try {
  // A set-up installation: protocols (issued for the decided cases) name their commission.
  const put = core.db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)');
  put.run('commissionNameKk', JSON.stringify('Бенчмарк комиссиясы'), new Date().toISOString());
  put.run('commissionNameRu', JSON.stringify('Комиссия бенчмарка'), new Date().toISOString());
  put.run('authorityNameKk', JSON.stringify('Денсаулық сақтау басқармасы'), new Date().toISOString());
  put.run('authorityNameRu', JSON.stringify('Управление здравоохранения'), new Date().toISOString());
  // Codes of the shipped editions, sections known: planned codes are valid for planned cases.
  const cat = catalogueLookup(ctx);
  const allCodes = ['00.50', '54.970.059', '92.321', '00.51', '03.93', '20.95', '39.65', '92.201', '35.84', '35.23', '99.999'];
  const calendar = workCalendar();
  const days: string[] = [];
  for (let d = '2025-01-02'; d <= '2026-06-30'; d = addDays(d, 1)) if (isWorkingDay(d, calendar)) days.push(d);

  const members = [
    { name: 'Сапаров А.', role: 'chair' as const },
    { name: 'Омарова Д.', role: 'secretary' as const },
  ];
  const t0 = Date.now();
  let decided = 0;
  const BATCH = 500;
  for (let start = 0; start < N; start += BATCH) {
    core.store.transaction(() => {
      for (let i = start; i < Math.min(N, start + BATCH); i++) {
        const male = r() < 0.5;
        const birth = `${1940 + Math.floor(r() * 80)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
        const day = pick(days);
        const code = pick(allCodes);
        const hit = cat.lookup(code, day);
        const urgency = hit.sections.includes(1) && r() < 0.3 ? 'emergency' : 'planned';
        const gaps = r() < 0.15;
        const docs = [
          { kind: 'identity' as const, paper: true },
          { kind: 'referral' as const, paper: !gaps },
          { kind: 'record_extract' as const, paper: true, signatures: ['attending' as const, 'head_of_department' as const, ...(gaps ? [] : ['deputy_chief' as const])], seal: true, clinicalDiagnosis: 'ИБС' },
          { kind: 'test_results' as const, paper: true, items: [{ name: 'ЭКГ', date: day }] },
        ];
        const saved = casesHandlers['cases.save'](
          {
            patient: { iin: iinFor(birth, male, i), lastName: pick(LAST), firstName: pick(FIRST), birthDate: birth, sex: male ? 'male' : 'female', insured: r() < 0.8 },
            receivedAt: `${day}T${String(9 + Math.floor(r() * 9)).padStart(2, '0')}:${String(Math.floor(r() * 60)).padStart(2, '0')}`,
            channel: 'paper',
            htmpCode: code,
            urgency,
            inpatient: false,
            diagnosis: { icd10: 'I25.1', text: 'Атеросклеротическая болезнь сердца' },
            documents: docs,
          },
          ctx,
        );
        if (r() < 0.15) continue; // stays a draft
        casesHandlers['cases.register']({ id: saved.id }, ctx);
        if (day < '2026-06-01' && r() < 0.25) {
          const complete = saved.detail.complete;
          const outcome = complete && r() < 0.8 ? 'approved' : 'refused';
          const reason = outcome === 'approved' ? null : complete ? 'no_indications' : 'incomplete_packet';
          const dec = casesHandlers['cases.decide']({ caseId: saved.id, outcome, reason, members, date: addDays(day, 1) }, ctx);
          casesHandlers['cases.issueProtocol']({ decisionId: dec.decision.id }, ctx);
          decided++;
        }
      }
    });
  }
  const buildS = (Date.now() - t0) / 1000;
  const count = (sql: string) => (core.db.prepare(sql).get() as { n: number }).n;
  core.db.exec('ANALYZE');
  console.log(
    `${N} cases created through the handlers in ${buildS.toFixed(1)} s (${((buildS * 1000) / N).toFixed(2)} ms/case); ${decided} decided; ` +
      `change_log rows: ${count('SELECT count(*) AS n FROM change_log')}; database ${(fs.statSync(core.databaseFile).size / 1024 / 1024).toFixed(1)} MB (+WAL)`,
  );

  // ---- the list query vs the naive peer ----
  const scenarios: { name: string; args: ListArgs }[] = [
    { name: 'no filter, first page by due', args: {} },
    { name: 'status=registered', args: { status: 'registered' } },
    { name: 'overdue (undecided, due < today)', args: { overdue: true } },
    { name: 'due today', args: { dueToday: true } },
    { name: 'code=00.50 + received Q1 2026', args: { code: '00.50', receivedFrom: '2026-01-01', receivedTo: '2026-03-31' } },
    { name: 'status in (draft,registered) + code 92.*', args: { status: ['draft', 'registered'], code: '92.*' } },
    { name: 'text "ержан" (name substring)', args: { query: 'ержан' } },
  ];
  const someIin = (core.db.prepare("SELECT iin FROM patients WHERE iin <> '' LIMIT 1 OFFSET 777").get() as { iin: string } | undefined)?.iin ?? '800512';
  scenarios.push({ name: `IIN prefix "${someIin.slice(0, 6)}"`, args: { query: someIin.slice(0, 6) } });

  type Naive = Record<string, unknown> & { id: string; status: string; due_date: string | null; received_at: string; received_date: string | null; htmp_code: string; search: string };
  const loadAll = core.db.prepare('SELECT c.*, p.iin, p.last_name, p.first_name, p.middle_name FROM cases c JOIN patients p ON p.id = c.patient_id');
  function naive(a: ListArgs): { items: Naive[]; total: number } {
    const rows = (loadAll.all() as Naive[]).map((x) => ({ ...x, search: foldSearch(`${String(x.iin)} ${String(x.last_name)} ${String(x.first_name)} ${String(x.middle_name ?? '')}`) }));
    const statuses = a.status === undefined ? null : Array.isArray(a.status) ? a.status : [a.status];
    const q = foldSearch(a.query ?? '');
    const code = a.code ?? '';
    const out = rows.filter((x) => {
      if (statuses && !statuses.includes(x.status as never)) return false;
      const undecided = x.status === 'draft' || x.status === 'registered';
      if (a.dueToday || a.overdue) {
        const ok = undecided && x.due_date !== null && ((a.dueToday && x.due_date === TODAY) || (a.overdue && x.due_date < TODAY));
        if (!ok) return false;
      }
      if (code !== '' && (code.endsWith('*') ? !x.htmp_code.startsWith(code.slice(0, -1)) : x.htmp_code !== code)) return false;
      if (a.receivedFrom && (x.received_date ?? '') < a.receivedFrom) return false;
      if (a.receivedTo && (x.received_date ?? '9') > a.receivedTo) return false;
      if (q !== '' && !x.search.includes(q)) return false;
      return true;
    });
    out.sort((x, y) => (x.due_date === null ? 1 : 0) - (y.due_date === null ? 1 : 0) || (x.due_date ?? '').localeCompare(y.due_date ?? '') || x.received_at.localeCompare(y.received_at) || String(x.id).localeCompare(String(y.id)));
    return { items: out.slice(0, 50), total: out.length };
  }

  const rows: (string | number)[][] = [['list query (first page of 50)', 'matches', 'SQL p50 ms', 'SQL p95 ms', 'naive p50 ms', 'naive p95 ms', 'same page']];
  const naiveReps = Math.max(10, Math.floor(REPS / 10));
  for (const s of scenarios) {
    const args = { ...s.args, today: TODAY, limit: 50 };
    const sqlRes = listCases(ctx, args);
    const naiveRes = naive(args);
    const same = sqlRes.total === naiveRes.total && sqlRes.items.every((x, i) => x.id === naiveRes.items[i]?.id);
    const sqlT = timeEach(Array.from({ length: REPS }), () => listCases(ctx, args));
    const naiveT = timeEach(Array.from({ length: naiveReps }), () => naive(args));
    rows.push([s.name, sqlRes.total, fmt(percentile(sqlT, 50)), fmt(percentile(sqlT, 95)), fmt(percentile(naiveT, 50)), fmt(percentile(naiveT, 95)), same ? 'yes' : 'NO']);
  }
  console.log('');
  table(rows);
  const plan = core.db
    .prepare(`EXPLAIN QUERY PLAN SELECT c.id FROM cases c JOIN patients p ON p.id = c.patient_id ORDER BY c.due_date IS NULL, c.due_date, c.received_at, c.id LIMIT 50`)
    .all() as { detail: string }[];
  console.log(`\nplan (no filter, first page): ${plan.map((p) => p.detail).join(' | ')}`);

  // ---- packet validation ----
  const ids = (core.db.prepare('SELECT id FROM cases ORDER BY random() LIMIT ?').all(REPS) as { id: string }[]).map((x) => x.id);
  const inputs: CaseInput[] = ids.map((id) => {
    const d = casesHandlers['cases.get']({ id }, ctx);
    return {
      receivedAt: d.receivedAt,
      patient: { iin: d.patient.iin, lastName: d.patient.lastName, firstName: d.patient.firstName, birthDate: d.patient.birthDate ?? '', sex: d.patient.sex ?? 'male' },
      htmpCode: d.htmpCode,
      urgency: d.urgency ?? 'planned',
      inpatient: d.inpatient,
      diagnosis: d.diagnosis,
      documents: d.documents.map((x) => ({ kind: x.kind, paper: x.paper, files: [], signatures: x.signatures, seal: x.seal, clinicalDiagnosis: x.clinicalDiagnosis ?? '', items: x.items })),
    };
  });
  const pctx = { catalogue: { lookup: (c: string, d: string) => cat.lookup(c, d) }, fileExists: () => true };
  const pure = timeEach(inputs, (x) => validatePacket(x, pctx));
  const dry = timeEach(ids, (id) => casesHandlers['cases.validate']({ id, notes: 'x' }, ctx));
  const get = timeEach(ids, (id) => casesHandlers['cases.get']({ id }, ctx));
  // Naive: to list incomplete cases without the stored column, check every packet.
  const allIds = (core.db.prepare('SELECT id FROM cases').all() as { id: string }[]).map((x) => x.id);
  const naiveIncomplete = timeEach([0, 1, 2], () => allIds.filter((id) => !casesHandlers['cases.get']({ id }, ctx).complete).length);
  const storedIncomplete = timeEach(Array.from({ length: REPS }), () => (core.db.prepare('SELECT count(*) AS n FROM cases WHERE complete = 0').get() as { n: number }).n);
  console.log('');
  table([
    ['packet validation', 'runs', 'p50 ms', 'p95 ms'],
    ['validatePacket (pure rules, one case)', pure.length, fmt(percentile(pure, 50)), fmt(percentile(pure, 95))],
    ['cases.validate (dry run through the db)', dry.length, fmt(percentile(dry, 50)), fmt(percentile(dry, 95))],
    ['cases.get (detail: findings, due, funding)', get.length, fmt(percentile(get, 50)), fmt(percentile(get, 95))],
    [`naive: re-check all ${allIds.length} packets to count incomplete`, naiveIncomplete.length, fmt(percentile(naiveIncomplete, 50)), fmt(percentile(naiveIncomplete, 95))],
    ['stored column: count incomplete in SQL', storedIncomplete.length, fmt(percentile(storedIncomplete, 50)), fmt(percentile(storedIncomplete, 95))],
  ]);
} finally {
  core.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
