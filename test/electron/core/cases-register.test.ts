import { describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import type Database from 'better-sqlite3';
import { foldSearch, listCases, type ListArgs } from '../../../electron/core/services/cases';
import { SqlFilter } from '../../../electron/core/sql-filter';
import type { CaseFile, CaseList } from '../../../shared/contract/cases';
import { AppFailure } from '../../../shared/result';
import { migrate } from '../../../electron/core/db';
import { migrations } from '../../../electron/core/migrations';
import { m0013Register } from '../../../electron/core/migrations/0013-register';
import { caseSearchIntact, m0027Register } from '../../../electron/core/migrations/0027-register';
import { m0024Register } from '../../../electron/core/migrations/0024-register';
import { m0025Register } from '../../../electron/core/migrations/0025-register';
import { rawDatabase, signedInCore, tempCore } from '../../support/temp';
import { makeIin, MEMBERS } from './cases-fixtures';

/**
 * The register at scale (issue 17): key paging, the name index, and the same rows as the
 * queries it replaced.
 */

const TODAY = '2026-03-27';
const LAST = ['Ержанова', 'Ёлкин', 'Абаев', 'Нұрланов', 'Нурланова', 'Сапаров', 'Омарова', 'Ким', '100%_Тест'];
const FIRST = ['Ерлан', 'Айгүл', 'Дина', 'Марат'];
const CODES = ['54.970.059', '00.50', '00.51', '92.321', '35.84'];
const DAYS = ['2026-03-16', '2026-03-18', '2026-03-19', '2026-03-20', '2026-03-26', '2026-03-27', '2026-03-30'];

/** A case file; `i` spreads names, codes, days and times (with ties) over the fixture. */
function caseFile(i: number, over: Partial<CaseFile> = {}): CaseFile {
  const day = DAYS[i % DAYS.length]!;
  const birth = `19${String(50 + (i % 40)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`;
  return {
    // Every 11th case has no valid received time (undated: last in the register).
    receivedAt: i % 11 === 5 ? 'не указано' : `${day}T${String(9 + (i % 3)).padStart(2, '0')}:${i % 4 === 0 ? '00' : '30'}`,
    patient: { iin: i % 13 === 7 ? '12345' : makeIin(birth, i % 2 ? 'male' : 'female', 1 + (i % 50)), lastName: LAST[i % LAST.length]!, firstName: FIRST[i % FIRST.length]! },
    htmpCode: CODES[i % CODES.length]!,
    urgency: 'planned',
    inpatient: false,
    diagnosis: { icd10: 'I25.1', text: 'ИБС' },
    documents: [
      { kind: 'identity', paper: true, files: [], signatures: [], seal: false, items: [] },
      { kind: 'referral', paper: true, files: [], signatures: [], seal: false, items: [] },
      { kind: 'record_extract', paper: true, files: [], signatures: ['attending', 'head_of_department', 'deputy_chief'], seal: true, clinicalDiagnosis: 'ИБС', items: [] },
      { kind: 'test_results', paper: true, files: [], signatures: [], seal: false, items: [{ name: 'ЭКГ', date: '2026-03-10' }] },
    ],
    ...over,
  };
}

async function importMany(core: Core, from: number, n: number): Promise<string[]> {
  const r = await core.call('cases.importBatch', { cases: Array.from({ length: n }, (_, k) => ({ case: caseFile(from + k), files: [] })) });
  return r.cases.map((x) => x.id);
}

/** A fixture of 160 cases: drafts, registered, a few decided, undated ones, tied times. */
async function fixture(core: Core): Promise<string[]> {
  const ids = await importMany(core, 0, 160);
  const registered = core.db.prepare("SELECT id FROM cases WHERE status = 'registered' AND complete = 1 ORDER BY id").all() as { id: string }[];
  for (const [k, { id }] of registered.slice(0, 12).entries()) {
    // After every receipt of the fixture (a decision may not be dated before its case was received).
    await core.call('cases.decide', { caseId: id, outcome: k % 3 ? 'approved' : 'refused', reason: k % 3 ? null : 'no_indications', members: MEMBERS, date: '2026-03-31', issue: true });
  }
  return ids;
}

/** Every page of a query, by key, as the register and `htmp case list` read it. */
async function allPages(core: Core, args: ListArgs, limit = 7, between?: (page: number) => Promise<void>): Promise<{ ids: string[]; pages: CaseList[] }> {
  const pages: CaseList[] = [];
  let after: string | undefined;
  for (let n = 0; n < 1000; n++) {
    const page = await core.call('cases.list', { ...(args as object), today: TODAY, limit, ...(after ? { after } : {}) });
    pages.push(page);
    if (page.next === null) break;
    after = page.next;
    await between?.(n);
  }
  return { ids: pages.flatMap((p) => p.items.map((x) => x.id)), pages };
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** The register's query as it was before key paging (main before issue 17), every row. */
function oldQuery(core: Core, a: ListArgs): { ids: string[]; total: number } {
  // The old SQL (kept as the independent reference: the production query is what is checked),
  // built with the filter builder the production query uses.
  const filter = new SqlFilter();
  const statuses = a.status === undefined ? [] : Array.isArray(a.status) ? a.status : [a.status];
  if (statuses.length > 0) filter.add(`c.status IN (${statuses.map(() => '?').join(', ')})`, ...statuses);
  const dueParts: string[] = [];
  if (a.dueToday) dueParts.push('c.due_date = ?');
  if (a.overdue) dueParts.push('c.due_date < ?');
  if (dueParts.length > 0) filter.add(`c.status IN ('draft', 'registered') AND (${dueParts.join(' OR ')})`, ...dueParts.map(() => TODAY));
  const code = a.code?.trim() ?? '';
  if (code !== '') {
    if (code.endsWith('*')) filter.add("c.htmp_code LIKE ? ESCAPE '\\'", `${likeEscape(code.slice(0, -1))}%`);
    else filter.equals('c.htmp_code', code);
  }
  filter.atLeast('c.received_date', a.receivedFrom).atMost('c.received_date', a.receivedTo);
  const q = foldSearch(a.query ?? '');
  if (q !== '') filter.add("c.search_text LIKE ? ESCAPE '\\'", `%${likeEscape(q)}%`);
  const order =
    a.sort === 'received_desc' ? 'c.received_at DESC, c.id' : dueParts.length > 0 ? 'c.due_date, c.received_at, c.id' : 'c.due_date IS NULL, c.due_date, c.received_at, c.id';
  const ids = (core.db.prepare(`SELECT c.id FROM cases c JOIN patients p ON p.id = c.patient_id ${filter.where} ORDER BY ${order}`).all(...filter.params) as { id: string }[]).map((r) => r.id);
  return { ids, total: ids.length };
}

/** Filters of the register and the CLI, alone and combined. */
const QUERIES: ListArgs[] = [
  {},
  { sort: 'received_desc' },
  { status: 'draft' },
  { status: 'registered' },
  { status: ['draft', 'registered'] },
  { status: ['draft', 'registered'], sort: 'received_desc' },
  { status: 'approved' },
  { status: 'refused', sort: 'received_desc' },
  { status: 'approved', sort: 'received_desc' },
  { status: 'draft', sort: 'received_desc' },
  { status: 'registered', sort: 'received_desc', code: '00.50' },
  { status: ['draft', 'registered'], code: '00.50' },
  { status: ['draft', 'registered'], code: '92.321', query: 'ов' },
  { status: ['draft', 'registered'], code: '35.84', query: 'ержан' },
  { overdue: true, code: '35.84' },
  { status: ['approved', 'refused'] },
  { overdue: true },
  { dueToday: true },
  { dueToday: true, overdue: true },
  { overdue: true, sort: 'received_desc' },
  { status: 'registered', overdue: true },
  { code: '00.50' },
  { code: '00.*' },
  { code: '9*' },
  { code: '*' },
  { code: '54.970.059', status: 'registered' },
  // Code prefixes: merged from one walk per code (0022-register), totals from the kept counts.
  { code: '0*' },
  { code: '00.5*' },
  { code: '00.*', status: 'registered' },
  { code: '00.*', status: ['draft', 'registered'] },
  { code: '77.*' },
  { code: '00.50', status: ['approved', 'refused'] },
  { code: '00.*', overdue: true },
  { code: '00.*', receivedFrom: '2026-03-19' },
  { receivedFrom: '2026-03-19', receivedTo: '2026-03-26' },
  { receivedFrom: '2026-03-27' },
  { code: '00.51', receivedTo: '2026-03-20', sort: 'received_desc' },
  { query: 'ержан' },
  { query: 'ЕЛКИН' },
  { query: 'ким' },
  { query: 'ер' },
  { query: 'а' },
  { query: '100%_' },
  { query: 'сапаров марат' },
  { query: makeIin('1951-02-11', 'male', 2).slice(0, 6) },
  { query: 'дина', status: ['draft', 'registered'], overdue: true },
  { query: 'ова', code: '00.*', sort: 'received_desc' },
];

describe('cases register: the same rows as the queries it replaced', () => {
  it('every filter, alone and combined, both orders: same rows in the same order, same total, over every page', async () => {
    const core = tempCore();
    await fixture(core);
    for (const q of QUERIES) {
      const old = oldQuery(core, q);
      const now = await allPages(core, q, 9);
      expect(now.ids, JSON.stringify(q)).toEqual(old.ids);
      expect(now.pages[0]!.total, JSON.stringify(q)).toBe(old.total);
      expect(new Set(now.ids).size).toBe(now.ids.length);
    }
  });

  it('a text query with many matches walks the register order and gives the same rows (both strategies)', async () => {
    const core = tempCore();
    await fixture(core);
    for (const q of QUERIES.filter((x) => x.query !== undefined)) {
      const args = { ...q, today: TODAY, limit: 500 };
      const few = listCases(core.context, args, { textWalkAbove: 1_000_000 });
      const many = listCases(core.context, args, { textWalkAbove: 0 });
      expect(many.items.map((x) => x.id), JSON.stringify(q)).toEqual(few.items.map((x) => x.id));
      expect(many.total).toBe(few.total);
      // Walked checking each case's names rather than the set of the trigram index's matches.
      const names = listCases(core.context, args, { textWalkAbove: 0, textSetUpTo: -1 });
      expect(names.items.map((x) => x.id), JSON.stringify(q)).toEqual(few.items.map((x) => x.id));
      expect(names.total).toBe(few.total);
      expect(few.total).toBe(oldQuery(core, q).total);
    }
  });

  it('a text of one or two letters is counted up to the cap: past it the total says "at least", and every row is still paged', async () => {
    const core = tempCore();
    await fixture(core);
    for (const q of [{ query: 'ер' }, { query: 'а' }, { query: 'ов', status: 'registered' as const }, { query: 'а', code: '00.*' }]) {
      const old = oldQuery(core, q);
      expect(old.total, JSON.stringify(q)).toBeGreaterThan(8);
      const capped = listCases(core.context, { ...q, today: TODAY, limit: 500 }, { textCountCap: 8 });
      expect(capped.total, JSON.stringify(q)).toBe(8);
      expect(capped.totalAtLeast, JSON.stringify(q)).toBe(true);
      // The rows themselves are never capped.
      expect(capped.items.map((x) => x.id), JSON.stringify(q)).toEqual(old.ids);
      // Under the cap: exact, and said to be.
      const exact = listCases(core.context, { ...q, today: TODAY, limit: 500 }, { textCountCap: old.total });
      expect([exact.total, exact.totalAtLeast], JSON.stringify(q)).toEqual([old.total, undefined]);
    }
    // Three letters or more are counted in the trigram index: always exact.
    const three = listCases(core.context, { query: 'ова', today: TODAY, limit: 5 }, { textCountCap: 1 });
    expect([three.total, three.totalAtLeast]).toEqual([oldQuery(core, { query: 'ова' }).total, undefined]);
  });

  it('a date range is paged from the date index or by walking the register order: the same rows either way', async () => {
    const core = tempCore();
    await fixture(core);
    const dated = QUERIES.filter((x) => x.receivedFrom !== undefined || x.receivedTo !== undefined);
    expect(dated.length).toBeGreaterThan(0);
    for (const q of dated) {
      const args = { ...q, today: TODAY, limit: 500 };
      const byIndex = listCases(core.context, args, { dateIndexBelow: 1_000_000 });
      const walked = listCases(core.context, args, { dateIndexBelow: -1 });
      expect(walked.items.map((x) => x.id), JSON.stringify(q)).toEqual(byIndex.items.map((x) => x.id));
      expect(walked.total).toBe(byIndex.total);
      expect(byIndex.total).toBe(oldQuery(core, q).total);
    }
  });
});

describe('cases register: key paging', () => {
  it('loses and repeats no row across pages while cases are added before and after the page read', async () => {
    const core = tempCore();
    await importMany(core, 0, 60);
    // A code prefix: merged from one walk per code, continued after the cursor in each.
    for (const args of [{}, { sort: 'received_desc' as const }, { status: 'registered' as const }, { query: 'ов' }, { code: '00.*' }, { code: '*' }]) {
      const before = oldQuery(core, args).ids;
      let added = 1000;
      const { ids } = await allPages(core, args, 8, async () => {
        // Cases that sort everywhere: before the page just read, after it, tied with it.
        await importMany(core, added, 5);
        added += 5;
      });
      expect(new Set(ids).size, JSON.stringify(args)).toBe(ids.length);
      for (const id of before) expect(ids, JSON.stringify(args)).toContain(id);
      // The rows came in the register's order (each page continues after the previous one).
      const all = oldQuery(core, args).ids;
      const positions = ids.map((id) => all.indexOf(id));
      expect(positions).toEqual([...positions].sort((x, y) => x - y));
    }
  });

  it('also while cases are removed and change place (decided, renamed)', async () => {
    const core = tempCore();
    const ids = await importMany(core, 0, 60);
    let k = 0;
    const seen = await allPages(core, {}, 5, async () => {
      const victim = ids[59 - k]!;
      const status = (core.db.prepare('SELECT status FROM cases WHERE id = ?').get(victim) as { status: string } | undefined)?.status;
      if (status === 'draft') await core.call('cases.delete', { id: victim });
      k++;
    });
    const now = new Set(oldQuery(core, {}).ids);
    expect(new Set(seen.ids).size).toBe(seen.ids.length);
    // Every case still there at the end and not deleted was shown exactly once.
    const shown = new Set(seen.ids);
    for (const id of ids) if (now.has(id)) expect(shown.has(id)).toBe(true);
  });

  it('refuses a cursor that is not one, or one of the other order', async () => {
    const core = tempCore();
    await importMany(core, 0, 20);
    const first = await core.call('cases.list', { limit: 5 });
    expect(first.next).toEqual(expect.any(String));
    for (const after of ['garbage', Buffer.from('[1,"due"]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url')]) {
      const err = await core.call('cases.list', { after }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppFailure);
      expect((err as AppFailure).code).toBe('api.invalid_argument');
      expect((err as AppFailure).params).toMatchObject({ field: 'after' });
    }
    const wrongOrder = await core.call('cases.list', { after: first.next!, sort: 'received_desc' }).catch((e: unknown) => e);
    expect((wrongOrder as AppFailure).code).toBe('api.invalid_argument');
    expect((await core.call('cases.list', { limit: 5, withTotal: false })).total).toBeNull();
  });
});

describe('cases register: the index of names and IINs', () => {
  const find = async (core: Core, query: string) => (await core.call('cases.list', { query, limit: 500 })).items.map((x) => `${x.patient.lastName} ${x.patient.firstName}`);

  it('folds Kazakh letters, Latin look-alikes, ё and case like the catalogue search (text-fold.ts)', async () => {
    const core = tempCore();
    await core.call('cases.importBatch', {
      cases: [
        { case: caseFile(0, { patient: { iin: makeIin('1980-01-01', 'male'), lastName: 'Нұрланов', firstName: 'Әлихан' } }), files: [] },
        { case: caseFile(1, { patient: { iin: makeIin('1981-01-01', 'female'), lastName: 'Нурланова', firstName: 'Айгүл' } }), files: [] },
        { case: caseFile(2, { patient: { iin: makeIin('1982-01-01', 'male'), lastName: 'Ёлкин', firstName: 'Ғалым' } }), files: [] },
        { case: caseFile(3, { patient: { iin: makeIin('1983-01-01', 'female'), lastName: 'Ким', firstName: 'Ольга' } }), files: [] },
      ],
    });
    expect(await find(core, 'нурланов')).toEqual(['Нұрланов Әлихан', 'Нурланова Айгүл']);
    expect(await find(core, 'НҰРЛАНОВА')).toEqual(['Нурланова Айгүл']);
    expect(await find(core, 'алихан')).toEqual(['Нұрланов Әлихан']);
    expect(await find(core, 'айгул')).toEqual(['Нурланова Айгүл']);
    expect(await find(core, 'елкин галым')).toEqual(['Ёлкин Ғалым']);
    expect(await find(core, 'KИМ')).toEqual(['Ким Ольга']); // Latin K, Cyrillic И М
    expect(await find(core, 'oльгa')).toEqual(['Ким Ольга']); // Latin o and a
    expect(await find(core, makeIin('1982-01-01', 'male').slice(0, 8))).toEqual(['Ёлкин Ғалым']);
    expect(await find(core, 'ұ')).toEqual(['Нұрланов Әлихан', 'Нурланова Айгүл']); // ұ, у and ү alike
    expect(await find(core, 'нурланов"')).toEqual([]);
  });

  it('follows every write: a renamed patient, a deleted case, a change applied by sync', async () => {
    const core = tempCore();
    const [a, b] = await importMany(core, 0, 2);
    expect(await find(core, 'ержанова')).toEqual(['Ержанова Ерлан']);
    await core.call('cases.save', { id: a!, patient: { lastName: 'Жұмабекова' } });
    expect(await find(core, 'ержанова')).toEqual([]);
    expect(await find(core, 'жумабек')).toEqual(['Жұмабекова Ерлан']);
    await core.call('cases.delete', { id: b! });
    expect(await find(core, 'елкин')).toEqual([]);
    // A case arriving by sync (applied change by change, no handler): found too.
    const pid = '00000000-0000-4000-8000-00000000aa01';
    const cid = '00000000-0000-4000-8000-00000000aa02';
    const at = '2026-03-20T10:00:00.000Z';
    const change = (table: string, recordId: string, fields: Record<string, [null, string | number | null]>) =>
      core.store.applyRemote({ changeId: `${recordId}-c`, table, recordId, op: 'insert', fields, installationId: 'other', at, origin: 'bundle-1' });
    change('patients', pid, { iin: [null, '900101300013'], last_name: [null, 'Тоқтарова'], first_name: [null, 'Дина'] });
    change('cases', cid, { patient_id: [null, pid], status: [null, 'registered'], received_at: [null, '2026-03-20T10:00'], search_text: [null, foldSearch('900101300013 Тоқтарова Дина')] });
    expect(await find(core, 'токтарова')).toEqual(['Тоқтарова Дина']);
    // The trigram index agrees with its table, and the table has one row per case.
    core.db.prepare("INSERT INTO case_search_fts (case_search_fts, rank) VALUES ('integrity-check', 1)").run();
    expect(core.db.prepare('SELECT (SELECT count(*) FROM case_search) AS s, (SELECT count(*) FROM cases) AS c').get()).toEqual({ s: 2, c: 2 });
  });

  it('a failed batch leaves no name in the index', async () => {
    const core = tempCore();
    const bad = { case: caseFile(1, { documents: [{ kind: 'identity', paper: false, files: ['scan.pdf'], signatures: [], seal: false, items: [] }] }), files: [] };
    const err = await core.call('cases.importBatch', { cases: [{ case: caseFile(0), files: [] }, bad] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppFailure);
    expect((err as AppFailure).code).toBe('cases.batch_case_failed');
    expect((err as AppFailure).params).toMatchObject({ index: 1, position: 2, causeCode: 'cases.file_not_found', path: 'scan.pdf' });
    expect(core.db.prepare('SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM case_search) + (SELECT count(*) FROM patients) AS n').get()).toEqual({ n: 0 });
    expect(await find(core, 'ержанова')).toEqual([]);
  });
});

describe('cases register: the index of names keyed by the cases\' rowids (0027)', () => {
  const names = (core: Core, query: string, walk: boolean) =>
    listCases(core.context, { query, limit: 500 }, walk ? { textWalkAbove: 0 } : {}).items.map((x) => x.patient.lastName);

  it('finds the same cases by a walk and from the matches, with gaps in the rowids, after VACUUM and a pack; db check rebuilds it when a tool renumbered the rows', async () => {
    const core = tempCore();
    const ids = await importMany(core, 0, 30);
    await core.call('cases.importBatch', {
      cases: [
        { case: caseFile(30, { patient: { iin: makeIin('1980-02-02', 'male'), lastName: 'Қайратұлы', firstName: 'Ержан' } }), files: [] },
        { case: caseFile(31, { patient: { iin: makeIin('1981-03-03', 'female'), lastName: 'Ержанова', firstName: 'Айым' } }), files: [] },
      ],
    });
    for (const id of ids.slice(0, 10)) await core.call('cases.delete', { id });
    // What a scan of every case finds (these letters fold to themselves).
    const naive = (q: string) => (core.db.prepare('SELECT p.last_name FROM cases c JOIN patients p ON p.id = c.patient_id WHERE instr(c.search_text, ?) > 0').pluck().all(q) as string[]).sort();
    expect(naive('ержан')).toEqual(expect.arrayContaining(['Ержанова', 'Қайратұлы']));
    const expectFound = () => {
      expect(caseSearchIntact(core.db)).toBe(true);
      // Three letters or more by the trigram index; two letters: each walked case's names read by its rowid.
      for (const q of ['ержан', 'жа']) for (const walk of [false, true]) expect(names(core, q, walk).sort()).toEqual(naive(q));
    };
    expectFound();
    core.db.exec('VACUUM');
    expectFound();
    const before = core.db;
    expect(core.context.packDatabase!()).toBeGreaterThan(0);
    expect(core.db).not.toBe(before);
    expectFound();
    // A tool that renumbered the rows: nothing is found by name until db check makes the index again.
    core.db.exec('UPDATE case_search SET id = id + 1000');
    expect(caseSearchIntact(core.db)).toBe(false);
    expect(names(core, 'ержан', true)).toEqual([]);
    expect((await core.call('db.check', {})).searchIndex).toBe('rebuilt');
    expectFound();
    expect((await core.call('db.check', {})).searchIndex).toBe('ok');
  });
});

describe('cases register: the migration on a database that already has cases', () => {
  it('indexes every stored case when it runs, so an upgraded register finds them by name and pages by key', async () => {
    const core = tempCore();
    await importMany(core, 0, 40);
    await core.call('cases.importBatch', { cases: [{ case: caseFile(40, { patient: { iin: makeIin('1979-05-05', 'male'), lastName: 'Тұрсынбаев', firstName: 'Ерлан' } }), files: [] }] });
    // Back to the schema before this migration: its objects gone, the old indexes back.
    const db = core.db;
    for (const { type, name } of db.prepare("SELECT type, name FROM sqlite_master WHERE name LIKE 'case_search%' OR name LIKE 'cases_search_%' OR name IN ('cases_key', 'cases_status_key', 'cases_code_key', 'cases_open_key', 'cases_received_desc', 'cases_status_received_desc', 'cases_open_received') ORDER BY type = 'table'").all() as { type: string; name: string }[]) {
      if (name.startsWith('case_search_fts_')) continue; // FTS5 shadow tables go with their table
      db.exec(`DROP ${type.toUpperCase()} IF EXISTS ${name}`);
    }
    db.exec('CREATE INDEX cases_due ON cases (due_date); CREATE INDEX cases_code ON cases (htmp_code)');
    db.pragma(`user_version = ${m0013Register.version - 1}`);
    const upTo = migrations.slice(0, migrations.indexOf(m0013Register) + 1);
    expect(migrate(db, upTo)).toEqual({ from: m0013Register.version - 1, to: m0013Register.version });
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name IN ('cases_due', 'cases_code')").get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT (SELECT count(*) FROM case_search) AS s, (SELECT count(*) FROM cases) AS c').get()).toEqual({ s: 41, c: 41 });
    db.prepare("INSERT INTO case_search_fts (case_search_fts, rank) VALUES ('integrity-check', 1)").run();
    // The index of names as the register reads it now (0027: keyed by the case's rowid).
    m0027Register.up(db);
    expect(caseSearchIntact(db)).toBe(true);
    const found = await core.call('cases.list', { query: 'турсынбаев', limit: 10 });
    expect(found.items.map((x) => x.patient.lastName)).toEqual(['Тұрсынбаев']);
    const { ids } = await allPages(core, {}, 9);
    expect(new Set(ids).size).toBe(41);
  });
});

/**
 * A register migration that rebuilds indexes on a database that has cases: `downgrade` puts the
 * indexes before it back, the migration runs (and is replayed, as the wave-1 encryption does),
 * `check` looks at the rebuilt indexes' SQL, and every query pages and counts as before.
 */
async function rebuildsIndexesKeepingPages(migration: { version: number; up(db: Database.Database): void }, downgrade: string, check: (sql: (name: string) => string) => void): Promise<void> {
  const core = tempCore();
  try {
    await fixture(core);
    const before = await Promise.all(QUERIES.map((q) => allPages(core, q, 9)));
    const db = core.db;
    db.exec(downgrade);
    db.pragma(`user_version = ${migration.version - 1}`);
    expect(migrate(db)).toEqual({ from: migration.version - 1, to: migrations.length });
    migration.up(db); // replayed: the same indexes
    check((name) => (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").get(name) as { sql: string }).sql);
    const after = await Promise.all(QUERIES.map((q) => allPages(core, q, 9)));
    for (const [i, q] of QUERIES.entries()) {
      expect(after[i]!.ids, JSON.stringify(q)).toEqual(before[i]!.ids);
      expect(after[i]!.pages[0]!.total, JSON.stringify(q)).toBe(before[i]!.pages[0]!.total);
    }
  } finally {
    core.close();
  }
}

describe('0024-register: the undecided cases\' indexes hold the status', () => {
  it('replaces the two partial indexes of a database that has cases, idempotently; pages and totals stay the same', async () => {
    // Back to the indexes of 0013-register (without the status).
    await rebuildsIndexesKeepingPages(
      m0024Register,
      `DROP INDEX cases_open_key; CREATE INDEX cases_open_key ON cases (coalesce(due_date, '~'), received_at, id) WHERE status IN ('draft', 'registered');
        DROP INDEX cases_open_received; CREATE INDEX cases_open_received ON cases (received_at DESC, id) WHERE status IN ('draft', 'registered');`,
      (sql) => {
        expect(sql('cases_open_key')).toMatch(/received_at, id, status\) WHERE status IN \('draft', 'registered'\)$/);
        expect(sql('cases_open_received')).toMatch(/received_at DESC, id, status\) WHERE status IN \('draft', 'registered'\)$/);
      },
    );
  });
});

describe('0025-register: the index of the register newest first holds the status', () => {
  it('replaces the index of a database that has cases, idempotently; pages and totals stay the same', async () => {
    // Back to the index of 0013-register (without the status).
    await rebuildsIndexesKeepingPages(m0025Register, 'DROP INDEX cases_received_desc; CREATE INDEX cases_received_desc ON cases (received_at DESC, id);', (sql) =>
      expect(sql('cases_received_desc')).toMatch(/\(received_at DESC, id, status\)$/),
    );
  });
});

describe('0024-register: overdue totals from the kept counts', () => {
  it('equal a count of the cases themselves, for overdue and for due today or overdue, on several days', async () => {
    const core = tempCore();
    try {
      await fixture(core);
      const count = (op: string, day: string) =>
        (core.db.prepare(`SELECT count(*) AS n FROM cases WHERE status IN ('draft', 'registered') AND coalesce(due_date, '~') ${op} ?`).get(day) as { n: number }).n;
      for (const day of ['2020-01-01', TODAY, '2026-04-15', '2030-01-01']) {
        expect(listCases(core.context, { overdue: true, today: day, limit: 5 }).total, day).toBe(count('<', day));
        expect(listCases(core.context, { overdue: true, dueToday: true, today: day, limit: 5 }).total, day).toBe(count('<=', day));
      }
    } finally {
      core.close();
    }
  });
});

describe('cases register: statistics kept by the app', () => {
  it('PRAGMA optimize at sign-in gives the planner statistics of the register (no ANALYZE anywhere)', async () => {
    const core = tempCore();
    await importMany(core, 0, 300);
    const dir = core.dataDir;
    core.close();
    // The close analysed too: forget every statistic, so only the open can bring them back.
    const raw = rawDatabase(dir);
    raw.exec('DELETE FROM sqlite_stat1');
    expect(raw.prepare("SELECT count(*) AS n FROM sqlite_stat1 WHERE tbl = 'cases'").get()).toEqual({ n: 0 });
    raw.close();
    // The encrypted database opens at sign-in (issue 10): its statistics are refreshed then.
    const again = await signedInCore(dir);
    try {
      const stats = again.db.prepare("SELECT idx FROM sqlite_stat1 WHERE tbl = 'cases'").all() as { idx: string }[];
      expect(stats.map((x) => x.idx)).toEqual(expect.arrayContaining(['cases_key', 'cases_status_key', 'cases_open_key']));
    } finally {
      again.close();
    }
  });
});

describe('cases register: pages chosen in the indexes', () => {
  /** The page query listCases prepares, with its plan, for the given arguments. */
  function pagePlan(core: Core, args: ListArgs): string {
    const db = core.db;
    const seen: string[] = [];
    const prepare = db.prepare.bind(db);
    const spy = ((sql: string) => {
      seen.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    (db as { prepare: typeof db.prepare }).prepare = spy;
    try {
      listCases(core.context, { today: TODAY, withTotal: false, ...args });
    } finally {
      (db as { prepare: typeof db.prepare }).prepare = prepare;
    }
    const sql = seen.find((s) => s.includes('p.iin AS p_iin'));
    if (!sql) return '(statement cached: no prepare seen)';
    const params = [...sql.matchAll(/\?/g)].map(() => '2026-03-18');
    return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('\n');
  }

  it('a date filter, alone or with a code, picks the page from the date index alone and reads only the cases shown', async () => {
    const core = tempCore();
    try {
      await importMany(core, 0, 300);
      core.db.exec('ANALYZE');
      for (const args of [{ receivedFrom: '2026-03-18', receivedTo: '2026-03-19' }, { code: '00.50', receivedFrom: '2026-03-18', receivedTo: '2026-03-19' }]) {
        const plan = pagePlan(core, args);
        expect(plan, JSON.stringify(args)).toMatch(/COVERING INDEX cases_received_key/);
        // The cases themselves: only by id, for the page's ids.
        expect(plan, JSON.stringify(args)).not.toMatch(/SCAN c\b/);
      }
      // The undecided cases of one code: page and total in their own partial index (0020-register).
      expect(pagePlan(core, { status: ['draft', 'registered'], code: '00.50' })).toMatch(/COVERING INDEX cases_open_code_key/);
      expect(pagePlan(core, { overdue: true, code: '00.51' })).toMatch(/COVERING INDEX cases_open_code_key/);
      // One undecided status newest first: the undecided cases newest first (no full status index),
      // the status read in the index (0024-register), not in each walked case's row.
      expect(pagePlan(core, { status: 'draft', sort: 'received_desc' })).toMatch(/COVERING INDEX cases_open_received/);
      // Due today and overdue: their page in the undecided cases' index alone (0024-register).
      for (const args of [{ dueToday: true }, { overdue: true }, { dueToday: true, overdue: true }]) expect(pagePlan(core, args), JSON.stringify(args)).toMatch(/COVERING INDEX cases_open_key/);
      // A decided status newest first: walked in that order, never every case of it sorted, the
      // status read in the index (0025-register), not in the row of each undecided case passed.
      for (const status of ['approved', 'refused'] as const) {
        const plan = pagePlan(core, { status, sort: 'received_desc' });
        expect(plan, status).toMatch(/COVERING INDEX cases_received_desc/);
        expect(plan, status).not.toMatch(/cases_status_key/);
      }
      // A code prefix: its page from the code index alone.
      expect(pagePlan(core, { code: '00.*' })).toMatch(/COVERING INDEX cases_code_key/);
    } finally {
      core.close();
    }
  });
});
