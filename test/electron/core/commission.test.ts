import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import { migrate } from '../../../electron/core/db';
import { migrations } from '../../../electron/core/migrations';
import { m0010Commission } from '../../../electron/core/migrations/0010-commission';
import { tempCore, tempDir } from '../../support/temp';
import { completeDraft, MEMBERS } from './cases-fixtures';
import { failure } from '../../support/failures';

async function registered(core: Core, over: Parameters<typeof completeDraft>[0] = {}, patch: Record<string, unknown> = {}) {
  const { id } = await core.call('cases.save', { ...completeDraft(over), ...patch });
  await core.call('cases.register', { id });
  return id;
}

const decisions = (core: Core, caseId: string) => core.db.prepare('SELECT state, version, protocol_number FROM decisions WHERE case_id = ? ORDER BY version').all(caseId);

describe('migration: the commission in two languages and its standing members', () => {
  it('moves the single names to the interface language and adds commission_members', () => {
    const db = new Database(path.join(tempDir(), 'old.sqlite'));
    const before = migrations.filter((m) => m.version < m0010Commission.version);
    migrate(db, before);
    const put = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)');
    put.run('language', JSON.stringify('ru'), '2026-01-01T00:00:00.000Z');
    put.run('commissionName', JSON.stringify('Комиссия по ВТМП'), '2026-01-01T00:00:00.000Z');
    put.run('authorityName', JSON.stringify('Управление здравоохранения'), '2026-01-01T00:00:00.000Z');
    migrate(db, migrations.filter((m) => m.version <= m0010Commission.version));
    const rows = Object.fromEntries((db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[]).map((r) => [r.key, JSON.parse(r.value)]));
    expect(rows).toEqual({ language: 'ru', commissionNameRu: 'Комиссия по ВТМП', authorityNameRu: 'Управление здравоохранения' });
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'commission_members'").get()).toEqual({ name: 'commission_members' });
    db.close();
  });

  it('a Kazakh interface (or none) keeps the names as Kazakh', () => {
    const db = new Database(path.join(tempDir(), 'old.sqlite'));
    migrate(db, migrations.filter((m) => m.version < m0010Commission.version));
    db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run('commissionName', JSON.stringify('ЖТМК комиссиясы'), 'x');
    migrate(db, migrations.filter((m) => m.version <= m0010Commission.version));
    expect(db.prepare('SELECT key, value FROM settings').all()).toEqual([{ key: 'commissionNameKk', value: JSON.stringify('ЖТМК комиссиясы') }]);
    db.close();
  });
});

describe('settings: names per language and standing members', () => {
  it('settings.update: per-language names; the single name goes to the interface language', async () => {
    const core = tempCore({ commission: false });
    let s = await core.call('settings.update', { commissionNameKk: ' ЖТМК комиссиясы ', commissionNameRu: 'Комиссия по ВТМП' });
    expect(s).toMatchObject({ commissionNameKk: 'ЖТМК комиссиясы', commissionNameRu: 'Комиссия по ВТМП', commissionName: 'ЖТМК комиссиясы', language: 'kk' });
    s = await core.call('settings.update', { language: 'ru', authorityName: 'Управление здравоохранения' });
    expect(s).toMatchObject({ authorityNameRu: 'Управление здравоохранения', authorityNameKk: '', authorityName: 'Управление здравоохранения', commissionName: 'Комиссия по ВТМП' });
  });

  it('standing members: stored through the Store in order, validated as a whole', async () => {
    const core = tempCore();
    const r = await core.call('settings.setMembers', {
      members: [
        { role: 'chair', name: { kk: 'Сейітқали Ә.', ru: 'Сейткали А.' }, position: { kk: 'Басшының орынбасары', ru: 'Заместитель руководителя' } },
        { role: 'secretary', name: { kk: '', ru: 'Омарова Д.' } },
      ],
    });
    expect(r.members.map((m) => [m.role, m.name, m.position])).toEqual([
      ['chair', { kk: 'Сейітқали Ә.', ru: 'Сейткали А.' }, { kk: 'Басшының орынбасары', ru: 'Заместитель руководителя' }],
      ['secretary', { kk: 'Омарова Д.', ru: 'Омарова Д.' }, null],
    ]);
    const log = core.db.prepare("SELECT op FROM change_log WHERE table_name = 'commission_members'").all();
    expect(log).toEqual([{ op: 'insert' }, { op: 'insert' }]);
    // Reordered and shortened: rows are updated in place and the rest removed.
    await core.call('settings.setMembers', { members: [{ role: 'secretary', name: { kk: 'Омарова Д.', ru: 'Омарова Д.' } }] });
    expect((await core.call('settings.members', {})).members.map((m) => m.role)).toEqual(['secretary']);
    for (const [members, code] of [
      [[{ role: 'chair', name: { kk: ' ', ru: '' } }], 'settings.member_name_missing'],
      [[{ role: 'chair', name: { kk: 'A', ru: 'A' }, position: { kk: 'Төраға', ru: ' ' } }], 'settings.member_position_language'],
      [[{ role: 'secretary', name: { kk: 'A', ru: 'A' } }, { role: 'secretary', name: { kk: 'B', ru: 'B' } }], 'settings.member_role_twice'],
    ] as const) {
      expect((await failure(core.call('settings.setMembers', { members: members as never }))).code).toBe(code);
    }
    expect((await core.call('settings.members', {})).members).toHaveLength(1);
  });
});

describe('issuing never fails at the last step', () => {
  it('cases.issueCheck names every gap (no field keys), and the number it would take', async () => {
    const core = tempCore({ commission: false });
    const id = await registered(core, {}, { diagnosis: { icd10: 'I25.1', text: '' } });
    const c = await core.call('cases.issueCheck', { caseId: id, outcome: 'approved', date: '2026-03-23' });
    expect(c.ready).toBe(false);
    expect(c.gaps.map((g) => g.code)).toEqual(['commission_name_kk', 'commission_name_ru', 'authority_name_kk', 'authority_name_ru', 'members_none', 'diagnosis_text']);
    expect(c.nextNumber).toBe('1/2026');
    expect(c.patient).toEqual({ name: 'Абаев Ерлан', iin: completeDraft().patient.iin });
    // Nothing was stored by the check.
    expect(decisions(core, id)).toEqual([]);
  });

  it('a decision issued in one call leaves nothing behind when it fails, and keeps an earlier draft as it was', async () => {
    const core = tempCore();
    const id = await registered(core, {}, { diagnosis: { icd10: 'I25.1', text: '' } });
    const f = await failure(core.call('cases.decide', { caseId: id, outcome: 'approved', members: MEMBERS, date: '2026-03-23', issue: true }));
    expect(f).toEqual({ code: 'cases.not_ready', params: { count: 1, gap: 'diagnosis_text' } });
    expect(decisions(core, id)).toEqual([]);
    // A draft saved before stays exactly as it was after a failed issue.
    const draft = await core.call('cases.decide', { caseId: id, outcome: 'refused', reason: 'no_indications', members: MEMBERS, date: '2026-03-23', note: 'первый вариант' });
    await failure(core.call('cases.decide', { caseId: id, outcome: 'approved', members: MEMBERS, date: '2026-03-24', issue: true }));
    const after = (await core.call('cases.get', { id })).draftDecision!;
    expect(after).toMatchObject({ id: draft.decision.id, outcome: 'refused', date: '2026-03-23', note: 'первый вариант', state: 'draft' });
    expect(core.db.prepare('SELECT count(*) AS n FROM protocol_counters').get()).toEqual({ n: 0 });
  });

  it('a decision dated before receipt or in the future is named, not issued', async () => {
    const core = tempCore();
    const id = await registered(core);
    const gap = async (date: string) => (await core.call('cases.issueCheck', { caseId: id, outcome: 'approved', members: MEMBERS, date })).gaps.map((g) => g.code);
    expect(await gap('2026-03-19')).toEqual(['date_before_receipt']);
    expect(await gap('2999-01-01')).toEqual(['date_future']);
    expect(await gap('2026-03-23')).toEqual([]);
  });

  it('without members the standing members sit (the secretary among them)', async () => {
    const core = tempCore();
    const id = await registered(core);
    await core.call('settings.setMembers', {
      members: [
        { role: 'chair', name: { kk: 'Сапаров А.', ru: 'Сапаров А.' } },
        { role: 'secretary', name: { kk: 'Омарова Д.', ru: 'Омарова Д.' }, position: { kk: 'Бас маман', ru: 'Главный специалист' } },
      ],
    });
    const r = await core.call('cases.decide', { caseId: id, outcome: 'approved', date: '2026-03-23', issue: true });
    expect(r.decision.members).toEqual([
      { name: 'Сапаров А.', role: 'chair' },
      { name: 'Омарова Д.', role: 'secretary', position: { kk: 'Бас маман', ru: 'Главный специалист' } },
    ]);
    const st = (await core.call('protocols.forCase', { caseId: id })).statement!;
    expect(st.members).toEqual([
      { name: 'Сапаров А.', role: 'chair' },
      { name: 'Омарова Д.', role: 'secretary', position: { kk: 'Бас маман', ru: 'Главный специалист' } },
    ]);
  });
});

describe('refusal grounds as point 40 words them', () => {
  it('"incomplete packet" only when a document of point 34 is missing or defective', async () => {
    const core = tempCore();
    const complete = await registered(core);
    const check = (caseId: string, reason: 'incomplete_packet' | 'no_indications') => core.call('cases.issueCheck', { caseId, outcome: 'refused', reason, members: MEMBERS, date: '2026-03-23' });
    expect((await check(complete, 'incomplete_packet')).gaps.map((g) => g.code)).toEqual(['reason_incomplete_not_allowed']);
    const d = completeDraft();
    const noSeal = await registered(core, { iin: completeDraft({}).patient.iin }, { documents: d.documents.map((x) => (x.kind === 'record_extract' ? { ...x, seal: false } : x)) });
    expect((await check(noSeal, 'incomplete_packet')).ready).toBe(true);
    // The same defect bars an approval, and names it.
    expect((await core.call('cases.issueCheck', { caseId: noSeal, outcome: 'approved', members: MEMBERS, date: '2026-03-23' })).gaps).toEqual([{ code: 'packet_incomplete', params: { count: 1 } }]);
  });

  it('a wrong IIN or ICD-10 code is an error to correct, not a ground: no decision is issued on it', async () => {
    const core = tempCore();
    const id = await registered(core);
    await core.call('cases.save', { id, patient: { iin: '800512300013' }, diagnosis: { icd10: 'С50' } });
    for (const reason of ['incomplete_packet', 'no_indications', 'not_authentic'] as const) {
      const c = await core.call('cases.issueCheck', { caseId: id, outcome: 'refused', reason, members: MEMBERS, date: '2026-03-23' });
      expect(c.gaps.map((g) => g.code)).toEqual(expect.arrayContaining(['iin', 'icd10']));
      expect(c.gaps.map((g) => g.code)).not.toContain('reason');
      // The detail is the finding's own message (rules:findings.<code>), not a field key.
      expect(c.gaps.find((g) => g.code === 'iin')?.finding?.code).toBe('patient.iin_invalid');
    }
    // "Incomplete packet" is not open either: the four documents are there.
    const c = await core.call('cases.issueCheck', { caseId: id, outcome: 'refused', reason: 'incomplete_packet', members: MEMBERS, date: '2026-03-23' });
    expect(c.gaps.map((g) => g.code)).toContain('reason_incomplete_not_allowed');
  });

  it('the journal statement is printed for a patient in hospital only', async () => {
    const core = tempCore();
    const statement = async (inpatient: boolean) => {
      const id = await registered(core, { iin: undefined, lastName: inpatient ? 'Стационарная' : 'Амбулаторная' }, { inpatient, channel: inpatient ? 'email' : 'paper' });
      await core.call('cases.decide', { caseId: id, outcome: 'refused', reason: 'no_indications', members: MEMBERS, date: '2026-03-23', issue: true });
      return (await core.call('protocols.forCase', { caseId: id })).statement!;
    };
    expect((await statement(true)).inpatient).toBe(true);
    const out = await statement(false);
    expect(out.inpatient).toBe(false);
    const journal = await core.call('cases.refusalJournal', {});
    expect(journal.items.map((j) => [j.patient.lastName, j.inpatient])).toEqual([
      ['Стационарная', true],
      ['Амбулаторная', false],
    ]);
  });
});

describe('an issued case is locked', () => {
  it('refuses every change of its data until a correction starts; the correction needs a note and a new number', async () => {
    const core = tempCore();
    const id = await registered(core);
    const first = await core.call('cases.decide', { caseId: id, outcome: 'approved', members: MEMBERS, date: '2026-03-23', issue: true });
    const detail = await core.call('cases.get', { id });
    expect(detail.locked).toBe(true);
    const locked = { code: 'cases.locked', params: { protocol: '1/2026' } };
    expect(await failure(core.call('cases.save', { id, patient: { lastName: 'Другая' } }))).toEqual(locked);
    expect(await failure(core.call('cases.attachFile', { caseId: id, kind: 'other', name: 'x.txt', mime: 'text/plain', contentBase64: 'eA==' }))).toEqual(locked);
    expect(await failure(core.call('cases.delete', { id }))).toMatchObject({ code: 'cases.has_issued_decision' });

    // "Correct the decision": a draft correction unlocks the data.
    await core.call('cases.decide', { caseId: id, outcome: 'approved', members: MEMBERS, date: '2026-03-24', correction: true });
    expect((await core.call('cases.get', { id })).locked).toBe(false);
    await core.call('cases.save', { id, diagnosis: { text: 'Уточнённый диагноз' } });
    expect((await failure(core.call('cases.issueProtocol', { decisionId: (await core.call('cases.get', { id })).draftDecision!.id }))).params).toMatchObject({ gap: 'correction_note' });
    const corr = await core.call('cases.decide', { caseId: id, outcome: 'approved', members: MEMBERS, date: '2026-03-24', correction: true, note: 'Уточнён диагноз', issue: true });
    expect(corr.decision).toMatchObject({ version: 2, protocol: { label: '2/2026' }, supersedesId: first.decision.id, note: 'Уточнён диагноз' });
    expect(corr.detail.locked).toBe(true);
    const st = (await core.call('protocols.forCase', { caseId: id })).statement!;
    expect(st.correction).toEqual({ replaces: '1/2026', reason: 'Уточнён диагноз' });
    expect(st.diagnosis.text).toBe('Уточнённый диагноз');
    // Cancelling a correction (deleting its draft) locks the case again as it was.
    await core.call('cases.decide', { caseId: id, outcome: 'approved', members: MEMBERS, date: '2026-03-25', correction: true });
    await core.call('cases.deleteDecision', { decisionId: (await core.call('cases.get', { id })).draftDecision!.id });
    expect((await core.call('cases.get', { id })).locked).toBe(true);
  });
});
