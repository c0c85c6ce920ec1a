import { describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import { migrate } from '../../../electron/core/db';
import { migrations } from '../../../electron/core/migrations';
import { m0018RegisterCounts } from '../../../electron/core/migrations/0018-register-counts';
import { m0019RegisterJournal } from '../../../electron/core/migrations/0019-register-journal';
import { m0022Register } from '../../../electron/core/migrations/0022-register';
import { todayListArgs, type CaseListItem, type TodayList } from '../../../shared/contract/cases';
import { tempCore } from '../../support/temp';
import { completeDraft, makeIin, MEMBERS } from './cases-fixtures';

/**
 * The register's totals kept by the database (0018-register-counts) and Today's lists with their
 * totals and the rest by key (issue 17).
 */

const kept = (core: Core) =>
  Object.fromEntries((core.db.prepare('SELECT status, n FROM case_status_counts WHERE n <> 0 ORDER BY status').all() as { status: string; n: number }[]).map((r) => [r.status, r.n]));
const counted = (core: Core) =>
  Object.fromEntries((core.db.prepare('SELECT status, count(*) AS n FROM cases GROUP BY status ORDER BY status').all() as { status: string; n: number }[]).map((r) => [r.status, r.n]));

async function newCase(core: Core, i: number, receivedAt = '2026-03-20T10:00'): Promise<string> {
  const { id } = await core.call('cases.save', completeDraft({ iin: makeIin('1980-05-12', 'male', 1 + i), lastName: `Абаев${i}`, receivedAt }));
  return id;
}

describe('case counts per status, kept by the database', () => {
  it('follow every write (save, register, decide, correction, delete, a change by sync, a rolled-back write) and answer the totals exactly', async () => {
    const core = tempCore();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await newCase(core, i));
    expect(kept(core)).toEqual({ draft: 6 });
    for (const id of ids.slice(0, 5)) await core.call('cases.register', { id });
    await core.call('cases.decide', { caseId: ids[0]!, outcome: 'approved', members: MEMBERS, date: '2026-03-24', issue: true });
    await core.call('cases.decide', { caseId: ids[1]!, outcome: 'refused', reason: 'no_indications', members: MEMBERS, date: '2026-03-24', issue: true });
    // A correction turns a refusal into an approval.
    const corr = await core.call('cases.decide', { caseId: ids[1]!, outcome: 'approved', members: MEMBERS, date: '2026-03-25', correction: true, note: 'Документы подтверждены' });
    await core.call('cases.issueProtocol', { decisionId: corr.decision.id });
    await core.call('cases.delete', { id: ids[5]! });
    expect(kept(core)).toEqual(counted(core));
    expect(kept(core)).toEqual({ approved: 2, registered: 3 });
    // A case arriving by sync (applied change by change, no handler).
    core.store.applyRemote({ changeId: 'p-c', table: 'patients', recordId: '00000000-0000-4000-8000-00000000bb01', op: 'insert', fields: { iin: [null, '900101300013'], last_name: [null, 'Тоқтарова'], first_name: [null, 'Дина'] }, installationId: 'other', at: '2026-03-20T10:00:00.000Z', origin: 'b' });
    core.store.applyRemote({ changeId: 'c-c', table: 'cases', recordId: '00000000-0000-4000-8000-00000000bb02', op: 'insert', fields: { patient_id: [null, '00000000-0000-4000-8000-00000000bb01'], status: [null, 'refused'], received_at: [null, '2026-03-20T10:00'], search_text: [null, 'токтарова'] }, installationId: 'other', at: '2026-03-20T10:00:00.000Z', origin: 'b' });
    // A write rolled back (the dry run of cases.validate writes and rolls back).
    await core.call('cases.validate', completeDraft({ iin: makeIin('1981-01-01', 'female', 9) }));
    expect(kept(core)).toEqual(counted(core));
    expect(kept(core)).toEqual({ approved: 2, refused: 1, registered: 3 });
    // The register's totals come from it, and agree with a count.
    for (const status of [undefined, 'approved', 'registered', 'draft', ['draft', 'registered'], ['approved', 'refused']] as const) {
      const page = await core.call('cases.list', { ...(status ? { status: status as never } : {}), limit: 1 });
      const naive = (core.db.prepare(`SELECT count(*) AS n FROM cases ${status ? `WHERE status IN (${[status].flat().map((s) => `'${s}'`).join(',')})` : ''}`).get() as { n: number }).n;
      expect(page.total, String(status)).toBe(naive);
    }
    // No row is left at zero (drafts all moved on): the rows kept are the rows a rebuild makes,
    // so a copy compared table by table (encryption in place, restore) finds the same rows.
    const rows = () => core.db.prepare('SELECT status, n FROM case_status_counts ORDER BY status').all();
    expect(core.db.prepare('SELECT count(*) FROM case_status_counts WHERE n <= 0').pluck().get()).toBe(0);
    const keptRows = rows();
    // A rebuild (a table damaged by hand) is what the migrations do, and it is idempotent.
    core.db.exec("UPDATE case_status_counts SET n = 99 WHERE status = 'approved'");
    m0018RegisterCounts.up(core.db);
    m0019RegisterJournal.up(core.db);
    m0019RegisterJournal.up(core.db);
    expect(kept(core)).toEqual(counted(core));
    expect(rows()).toEqual(keptRows);
  });

  it('are counted by the migration on a database that already has cases', async () => {
    const core = tempCore();
    for (let i = 0; i < 3; i++) await newCase(core, i);
    core.db.exec('DROP TRIGGER cases_count_ai; DROP TRIGGER cases_count_ad; DROP TRIGGER cases_count_au; DROP TABLE case_status_counts');
    core.db.pragma(`user_version = ${m0018RegisterCounts.version - 1}`);
    expect(migrate(core.db, migrations.slice(0, migrations.indexOf(m0018RegisterCounts) + 1))).toEqual({ from: m0018RegisterCounts.version - 1, to: m0018RegisterCounts.version });
    expect(kept(core)).toEqual({ draft: 3 });
    await newCase(core, 3);
    expect(kept(core)).toEqual({ draft: 4 });
  });
});

const keptCodes = (core: Core) => core.db.prepare('SELECT htmp_code, status, n FROM case_code_counts ORDER BY htmp_code, status').all();
const countedCodes = (core: Core) => core.db.prepare('SELECT htmp_code, status, count(*) AS n FROM cases GROUP BY htmp_code, status ORDER BY htmp_code, status').all();

describe('case counts per HTMP code and status, kept by the database (0022-register)', () => {
  it('follow every write (save, a changed code, register, decide, delete, an import batch, changes by sync, a rolled-back write) and answer the code totals', async () => {
    const core = tempCore();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await core.call('cases.save', completeDraft({ iin: makeIin('1980-05-12', 'male', 1 + i), lastName: `Абаев${i}`, htmpCode: i % 2 ? '00.50' : '00.51' }))).id);
    expect(keptCodes(core)).toEqual(countedCodes(core));
    // A changed code, a changed code and status, a code set back.
    await core.call('cases.save', { id: ids[0]!, htmpCode: '92.321' });
    for (const id of ids.slice(0, 5)) await core.call('cases.register', { id });
    await core.call('cases.save', { id: ids[1]!, htmpCode: '00.51' });
    await core.call('cases.decide', { caseId: ids[2]!, outcome: 'refused', reason: 'no_indications', members: MEMBERS, date: '2026-03-24', issue: true });
    await core.call('cases.delete', { id: ids[5]! });
    expect(keptCodes(core)).toEqual(countedCodes(core));
    // A batch import and changes applied by sync (no handler: the triggers alone).
    const file = (k: number) => ({
      receivedAt: '2026-03-19T10:00',
      patient: { iin: makeIin('1970-01-0' + (k + 1), 'female', 7), lastName: 'Сапарова', firstName: 'Дина' },
      htmpCode: k === 2 ? '35.84' : '00.50',
      urgency: 'planned' as const,
      inpatient: false,
      diagnosis: { icd10: 'I25.1', text: 'ИБС' },
      documents: [],
    });
    const batch = await core.call('cases.importBatch', { cases: [0, 1, 2].map((k) => ({ case: file(k), files: [] })) });
    expect(batch.cases).toHaveLength(3);
    core.store.applyRemote({ changeId: 'p-c', table: 'patients', recordId: '00000000-0000-4000-8000-00000000bb01', op: 'insert', fields: { iin: [null, '900101300013'], last_name: [null, 'Тоқтарова'], first_name: [null, 'Дина'] }, installationId: 'other', at: '2026-03-20T10:00:00.000Z', origin: 'b' });
    core.store.applyRemote({ changeId: 'c-c', table: 'cases', recordId: '00000000-0000-4000-8000-00000000bb02', op: 'insert', fields: { patient_id: [null, '00000000-0000-4000-8000-00000000bb01'], status: [null, 'refused'], htmp_code: [null, '00.50'], received_at: [null, '2026-03-20T10:00'], search_text: [null, 'токтарова'] }, installationId: 'other', at: '2026-03-20T10:00:00.000Z', origin: 'b' });
    core.store.applyRemote({ changeId: 'c-u', table: 'cases', recordId: '00000000-0000-4000-8000-00000000bb02', op: 'update', fields: { htmp_code: ['00.50', '35.84'] }, installationId: 'other', at: '2026-03-20T11:00:00.000Z', origin: 'b' });
    await core.call('cases.validate', completeDraft({ iin: makeIin('1981-01-01', 'female', 9), htmpCode: '77.77' }));
    expect(keptCodes(core)).toEqual(countedCodes(core));
    expect(core.db.prepare('SELECT count(*) FROM case_code_counts WHERE n <= 0').pluck().get()).toBe(0);
    // The register's code totals come from it, and agree with a count.
    const statuses = [undefined, 'registered', ['draft', 'registered'], ['approved', 'refused'], []] as const;
    for (const code of ['00.50', '00.51', '35.84', '92.321', '77.77', '00.*', '0*', '9*', '3*']) {
      for (const status of statuses) {
        const page = await core.call('cases.list', { code, ...(status !== undefined ? { status: status as never } : {}), limit: 1 });
        const byCode = code.endsWith('*') ? `htmp_code LIKE '${code.slice(0, -1)}%'` : `htmp_code = '${code}'`;
        const byStatus = status === undefined ? '' : ` AND status IN (${[status].flat().map((x) => `'${x}'`).join(',') || 'NULL'})`;
        expect(page.total, `${code} ${String(status)}`).toBe(core.db.prepare(`SELECT count(*) FROM cases WHERE ${byCode}${byStatus}`).pluck().get());
      }
    }
    // A rebuild (a table damaged by hand) is what the migration does, and it is idempotent.
    const before = keptCodes(core);
    core.db.exec("UPDATE case_code_counts SET n = 99 WHERE htmp_code = '00.51'");
    m0022Register.up(core.db);
    m0022Register.up(core.db);
    expect(keptCodes(core)).toEqual(before);
  });

  it('are counted by the migration on a database that already has cases', async () => {
    const core = tempCore();
    for (let i = 0; i < 3; i++) await newCase(core, i);
    core.db.exec('DROP TRIGGER cases_code_count_ai; DROP TRIGGER cases_code_count_ad; DROP TRIGGER cases_code_count_au; DROP TABLE case_code_counts');
    core.db.pragma(`user_version = ${m0022Register.version - 1}`);
    expect(migrate(core.db, migrations.slice(0, migrations.indexOf(m0022Register) + 1))).toEqual({ from: m0022Register.version - 1, to: m0022Register.version });
    expect(keptCodes(core)).toEqual([{ htmp_code: '54.970.059', status: 'draft', n: 3 }]);
    await newCase(core, 3);
    expect(keptCodes(core)).toEqual(countedCodes(core));
  });
});

describe('Today', () => {
  it('gives the first cases of each list, its exact total, and the rest page by page from its cursor', async () => {
    const core = tempCore();
    // Seven received early in February (overdue by the due date of the five received later).
    for (let i = 0; i < 7; i++) await newCase(core, i, '2026-02-02T10:00');
    let last = '';
    for (let i = 7; i < 12; i++) last = await newCase(core, i, '2026-02-16T10:00');
    const today = (await core.call('cases.get', { id: last })).due!.due;
    const v = await core.call('cases.today', { today, limit: 3 });
    expect(v.totals).toEqual({ overdue: 7, dueToday: 5, decidedToday: 0 });
    expect([v.overdue.length, v.dueToday.length]).toEqual([3, 3]);
    for (const list of ['overdue', 'dueToday'] as TodayList[]) {
      const all: CaseListItem[] = [...v[list]];
      let next = v.next[list];
      while (next !== null) {
        const page = await core.call('cases.list', { ...todayListArgs(list, v.today), after: next, limit: 2 });
        all.push(...page.items);
        next = page.next;
      }
      const whole = await core.call('cases.list', { ...todayListArgs(list, v.today), limit: 100 });
      expect(all.map((x) => x.id)).toEqual(whole.items.map((x) => x.id));
      expect(all).toHaveLength(v.totals[list]);
    }
    const wide = await core.call('cases.today', { today });
    expect(wide.next).toEqual({ overdue: null, dueToday: null, decidedToday: null });
  });
});

describe('journal of refusals, by key', () => {
  it('loses and repeats no refusal across pages while refusals are issued before and after the page read', async () => {
    const core = tempCore();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const id = await newCase(core, i, '2026-02-02T10:00');
      await core.call('cases.register', { id });
      ids.push(id);
    }
    const refuse = (id: string, date: string) => core.call('cases.decide', { caseId: id, outcome: 'refused', reason: 'no_indications', members: MEMBERS, date, issue: true });
    const day = (k: number) => `2026-02-${String(10 + k).padStart(2, '0')}`;
    // Eight refusals on four days (two a day: the same date, told apart by the protocol number).
    for (let k = 0; k < 8; k++) await refuse(ids[k]!, day(Math.floor(k / 2) * 2));
    const first = await core.call('cases.refusalJournal', { from: '2026-02-01', to: '2026-02-28', limit: 3 });
    expect(first.total).toBe(8);
    const seen = first.items.map((x) => x.decisionId);
    const before = first.items.map((x) => x.caseId);
    // Issued while the journal is read: one dated before the page just read, two after it.
    await refuse(ids[8]!, day(0));
    await refuse(ids[9]!, day(7));
    await refuse(ids[10]!, day(9));
    let next = first.next;
    while (next !== null) {
      const page = await core.call('cases.refusalJournal', { from: '2026-02-01', to: '2026-02-28', limit: 3, after: next, withTotal: false });
      expect(page.total).toBeNull();
      seen.push(...page.items.map((x) => x.decisionId));
      next = page.next;
    }
    expect(new Set(seen).size).toBe(seen.length);
    const whole = (await core.call('cases.refusalJournal', { from: '2026-02-01', to: '2026-02-28', limit: 500 })).items;
    expect(whole).toHaveLength(11);
    // Every refusal but the one issued before the page already read, in the journal's order.
    expect(seen).toEqual(whole.map((x) => x.decisionId).filter((_, i) => whole[i]!.caseId !== ids[8]));
    expect(whole.map((x) => x.caseId).slice(0, 4)).toEqual([before[0], before[1], ids[8], before[2]]);
    // The journal's order: decision date, then protocol number.
    const keys = whole.map((x) => `${x.date} ${String(x.protocol.number).padStart(6, '0')}`);
    expect(keys).toEqual([...keys].sort());
    // A cursor that is not one is refused calmly.
    await expect(core.call('cases.refusalJournal', { after: 'not-a-cursor' })).rejects.toMatchObject({ code: 'api.invalid_argument' });
  });
});
