import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/run';
import { ADMIN_ENV } from '../../support/cli';
import { adminCore, tempCore, tempDir } from '../../support/temp';
import { readStoredFile } from '../../../electron/core/files';
import { completeDraft, makeIin, MEMBERS } from '../core/cases-fixtures';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: { ...ADMIN_ENV, HTMP_DATA_DIR: tempDir() } });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, unknown> };
}

/** A case file as in issue 4, with two scans next to it (one in a sub-folder). */
function caseFile(dir: string, over: Record<string, unknown> = {}): string {
  const d = completeDraft();
  fs.mkdirSync(path.join(dir, 'scans'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'scans', 'extract.pdf'), '%PDF-1.4 extract');
  fs.writeFileSync(path.join(dir, 'id.jpg'), 'jpeg bytes');
  const body = {
    receivedAt: d.receivedAt,
    patient: { iin: d.patient.iin, lastName: d.patient.lastName, firstName: d.patient.firstName, birthDate: d.patient.birthDate, sex: d.patient.sex },
    htmpCode: d.htmpCode,
    urgency: d.urgency,
    inpatient: false,
    diagnosis: d.diagnosis,
    documents: [
      { kind: 'identity', paper: false, files: ['id.jpg'], signatures: [], seal: false },
      { kind: 'referral', paper: true, files: [], signatures: [], seal: false },
      { kind: 'record_extract', paper: false, files: ['scans/extract.pdf'], signatures: ['attending', 'head_of_department', 'deputy_chief'], seal: true, clinicalDiagnosis: 'ИБС' },
      { kind: 'test_results', paper: true, files: [], signatures: [], seal: false, items: [{ name: 'ЭКГ', date: '2026-03-10' }] },
    ],
    extraField: 'allowed',
    ...over,
  };
  const file = path.join(dir, 'case.json');
  fs.writeFileSync(file, JSON.stringify(body));
  return file;
}

describe('htmp iin check', () => {
  it('valid, and each reason', async () => {
    const iin = makeIin('1980-05-12', 'male');
    expect((await cli(['iin', 'check', iin, '--json'])).json()).toEqual({ valid: true, birthDate: '1980-05-12', sex: 'male', reason: null });
    expect((await cli(['iin', 'check', '12345', '--json'])).json()).toEqual({ valid: false, birthDate: null, sex: null, reason: 'format' });
    expect((await cli(['iin', 'check', '801312300012', '--json'])).json()).toMatchObject({ valid: false, reason: 'date' });
    const bad = iin.slice(0, 11) + String((Number(iin[11]) + 1) % 10);
    expect((await cli(['iin', 'check', bad, '--json'])).json()).toMatchObject({ valid: false, birthDate: '1980-05-12', sex: 'male', reason: 'checksum' });
    const ru = await cli(['iin', 'check', iin, '--lang', 'ru']);
    expect(ru.stdout).toContain('ИИН верный');
    expect((await cli(['iin', 'check', '--json'])).code).toBe(2);
  });
});

describe('htmp deadline', () => {
  const deadline = async (from: string, n = '2') => (await cli(['deadline', '--from', from, '--working-days', n, '--json'])).json();

  it('across Nauryz 2026 (21-25 March off)', async () => {
    expect(await deadline('2026-03-20T16:30')).toEqual({ due: '2026-03-27', workingDays: ['2026-03-26', '2026-03-27'], calendarConfirmed: true });
    expect(await deadline('2026-03-19T08:00+05:00')).toEqual({ due: '2026-03-26', workingDays: ['2026-03-20', '2026-03-26'], calendarConfirmed: true });
  });

  it('across the New Year (1-2 January, moved days, 7 January)', async () => {
    expect(await deadline('2025-12-31T10:00')).toEqual({ due: '2026-01-06', workingDays: ['2026-01-05', '2026-01-06'], calendarConfirmed: true });
    expect(await deadline('2026-01-06T10:00')).toEqual({ due: '2026-01-09', workingDays: ['2026-01-08', '2026-01-09'], calendarConfirmed: true });
  });

  it('across Independence Day (16 December) and weekends', async () => {
    expect(await deadline('2026-12-15T09:00')).toEqual({ due: '2026-12-18', workingDays: ['2026-12-17', '2026-12-18'], calendarConfirmed: true });
    expect(await deadline('2026-04-03T17:59')).toEqual({ due: '2026-04-07', workingDays: ['2026-04-06', '2026-04-07'], calendarConfirmed: true });
    expect(await deadline('2026-04-04T10:00')).toEqual({ due: '2026-04-07', workingDays: ['2026-04-06', '2026-04-07'], calendarConfirmed: true });
    expect(await deadline('2026-04-06T10:00', '0')).toEqual({ due: '2026-04-06', workingDays: [], calendarConfirmed: true });
  });

  it('says so when the year has no confirmed calendar', async () => {
    const r = await deadline('2031-06-10T10:00');
    expect(r.calendarConfirmed).toBe(false);
    const human = await cli(['deadline', '--from', '2031-06-10T10:00', '--working-days', '2', '--lang', 'ru']);
    expect(human.stdout).toMatch(/не подтвержд/);
  });

  it('bad input exits 2 with a translated error', async () => {
    for (const args of [
      ['--from', 'yesterday', '--working-days', '2'],
      ['--from', '2026-02-30T10:00', '--working-days', '2'],
      ['--from', '2026-03-20T10:00', '--working-days', '-1'],
      ['--from', '2026-03-20T10:00', '--working-days', 'two'],
      ['--working-days', '2'],
    ]) {
      const r = await cli(['deadline', ...args, '--json']);
      expect(r.code, args.join(' ')).toBe(2);
      // '-1' reads as an unknown option to the argument parser: still a usage error, exit 2.
      expect((r.json().error as { code: string }).code).toMatch(/^(cases\.bad_|cli\.bad_option$)/);
    }
    const ru = await cli(['deadline', '--from', 'x', '--working-days', '2', '--lang', 'ru']);
    expect(ru.stderr).toContain('Неверные дата и время');
  });
});

describe('htmp packet validate', () => {
  it('a complete packet: files relative to the case file, due and funding', async () => {
    const dir = tempDir();
    const r = await cli(['packet', 'validate', caseFile(dir), '--json', '--data-dir', tempDir()]);
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      complete: true,
      findings: [],
      due: '2026-03-27',
      funding: { channel: 'gobmp_or_osms', section: 2, reason: { key: 'funding.planned_section2', params: { sections: '2' } } },
    });
  });

  it('file.missing when a referenced file is absent; other findings with their params', async () => {
    const dir = tempDir();
    const file = caseFile(dir);
    fs.rmSync(path.join(dir, 'scans', 'extract.pdf'));
    const body = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    const iin = completeDraft().patient.iin;
    (body.patient as Record<string, unknown>).iin = iin.slice(0, 11) + String((Number(iin[11]) + 1) % 10);
    fs.writeFileSync(file, JSON.stringify(body));
    const r = await cli(['packet', 'validate', file, '--json', '--data-dir', tempDir()]);
    expect(r.code).toBe(0);
    const out = r.json() as { complete: boolean; findings: { code: string; field: string; params: Record<string, unknown> }[] };
    expect(out.complete).toBe(false);
    expect(out.findings).toEqual(
      expect.arrayContaining([
        { code: 'file.missing', severity: 'error', field: 'documents[2].files[0]', params: { path: 'scans/extract.pdf', kind: 'record_extract' } },
        expect.objectContaining({ code: 'patient.iin_invalid', field: 'patient.iin' }),
      ]),
    );
    const kk = await cli(['packet', 'validate', file, '--lang', 'ru', '--data-dir', tempDir()]);
    expect(kk.stdout).toContain('Файл не найден: scans/extract.pdf');
    expect(kk.stdout).toContain('Пакет неполный');
  });

  it('a malformed case file or a missing one exits 2', async () => {
    const dir = tempDir();
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ receivedAt: '2026-03-20T10:00', urgency: 'soon' }));
    const r = await cli(['packet', 'validate', bad, '--json', '--data-dir', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.json()).toMatchObject({ error: { code: 'cases.bad_case_file' } });
    fs.writeFileSync(bad, '{not json');
    expect((await cli(['packet', 'validate', bad, '--json'])).json()).toMatchObject({ error: { code: 'cli.file_not_json' } });
    expect((await cli(['packet', 'validate', path.join(dir, 'none.json'), '--json'])).code).toBe(2);
  });
});

describe('htmp case import / list / show / decide', () => {
  it('imports a case with its files copied into the store, lists, decides and shows the protocol number', async () => {
    const data = tempDir();
    const src = tempDir();
    const imp = await cli(['case', 'import', caseFile(src), '--json', '--data-dir', data]);
    expect(imp.code).toBe(0);
    const { id } = imp.json() as { id: string };
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    // The copies do not depend on the originals.
    fs.rmSync(src, { recursive: true, force: true });
    const shown = (await cli(['case', 'show', id, '--json', '--data-dir', data])).json() as {
      status: string;
      complete: boolean;
      documents: { files: { sha256: string; name: string }[] }[];
      decision: unknown;
      protocolNumber: unknown;
    };
    expect(shown).toMatchObject({ status: 'registered', complete: true, decision: null, protocolNumber: null });
    const files = shown.documents.flatMap((d) => d.files);
    expect(files.map((f) => f.name).sort()).toEqual(['extract.pdf', 'id.jpg']);
    const core = await adminCore(data);
    for (const f of files) expect(readStoredFile(data, f.sha256)).not.toBeNull();
    core.close();

    const list = (await cli(['case', 'list', '--json', '--data-dir', data])).json() as { cases: Record<string, unknown>[] };
    expect(list.cases).toEqual([
      expect.objectContaining({ id, htmpCode: '54.970.059', status: 'registered', due: '2026-03-27', patient: expect.objectContaining({ iin: completeDraft().patient.iin, lastName: 'Абаев' }) }),
    ]);
    expect(((await cli(['case', 'list', '--status', 'approved', '--json', '--data-dir', data])).json() as { cases: unknown[] }).cases).toEqual([]);
    expect((await cli(['case', 'list', '--status', 'lost', '--json', '--data-dir', data])).code).toBe(2);

    const members = path.join(data, 'members.json');
    fs.writeFileSync(members, JSON.stringify(MEMBERS));
    // Before anything is stored, every gap is named in words: the letterhead is not set up, and a
    // complete packet cannot be refused as incomplete. Exit 2, nothing stored.
    const forbidden = await cli(['case', 'decide', id, '--refuse', 'incomplete_packet', '--members', members, '--date', '2026-03-23', '--lang', 'ru', '--json', '--data-dir', data]);
    expect(forbidden.code).toBe(2);
    const ferr = forbidden.json().error as { code: string; message: string; params: { gaps: string; gap: string; count: number } };
    expect(ferr).toMatchObject({ code: 'cases.not_ready', params: { gap: 'commission_name_kk', count: 5 } });
    for (const words of ['наименование комиссии на казахском языке', 'наименование комиссии на русском языке', 'на казахском языке (Настройки)', 'основание «неполный пакет документов» неприменимо']) {
      expect(ferr.message).toContain(words);
    }
    expect(ferr.message).not.toMatch(/commission_name|incomplete_packet|diagnosis\.text/);
    expect(((await cli(['case', 'show', id, '--json', '--data-dir', data])).json() as { decisions: unknown[] }).decisions).toEqual([]);

    // The letterhead in both languages; the single-language flag names it in the interface language.
    const set = await cli(['settings', 'set', '--commission-name-kk', 'Қарағанды облысының ЖТМК жөніндегі комиссиясы', '--commission-name-ru', 'Комиссия по ВТМП Карагандинской области', '--authority-name', 'Қарағанды облысының денсаулық сақтау басқармасы', '--json', '--data-dir', data]);
    expect(set.json()).toMatchObject({ commissionNameKk: 'Қарағанды облысының ЖТМК жөніндегі комиссиясы', commissionNameRu: 'Комиссия по ВТМП Карагандинской области', authorityNameKk: 'Қарағанды облысының денсаулық сақтау басқармасы', authorityNameRu: '' });
    const half = await cli(['case', 'decide', id, '--approve', '--members', members, '--date', '2026-03-23', '--json', '--data-dir', data]);
    expect(half.json()).toMatchObject({ error: { code: 'cases.not_ready', params: { gap: 'authority_name_ru', count: 1 } } });
    const ru = await cli(['settings', 'set', '--authority-name', 'Управление здравоохранения Карагандинской области', '--lang', 'ru', '--json', '--data-dir', data]);
    expect(ru.json()).toMatchObject({ authorityNameKk: 'Қарағанды облысының денсаулық сақтау басқармасы', authorityNameRu: 'Управление здравоохранения Карагандинской области' });
    const shownSettings = await cli(['settings', 'show', '--lang', 'ru', '--data-dir', data]);
    expect(shownSettings.stdout).toContain('Наименование комиссии — на русском языке: Комиссия по ВТМП Карагандинской области');

    const ok = await cli(['case', 'decide', id, '--approve', '--members', members, '--date', '2026-03-23', '--json', '--data-dir', data]);
    expect(ok.code).toBe(0);
    expect(ok.json()).toMatchObject({ id, status: 'approved', protocolNumber: '1/2026', decision: { outcome: 'approved', state: 'issued', locked: true } });

    const after = (await cli(['case', 'show', id, '--json', '--data-dir', data])).json();
    expect(after).toMatchObject({ status: 'approved', protocolNumber: '1/2026', decision: { outcome: 'approved', protocol: { number: 1, year: 2026 } } });
    const human = await cli(['case', 'show', id, '--lang', 'ru', '--data-dir', data]);
    expect(human.stdout).toContain('Протокол № 1/2026');
    expect(human.stdout).toContain('положительное решение');
    expect(((await cli(['case', 'list', '--status', 'approved', '--json', '--data-dir', data])).json() as { cases: unknown[] }).cases).toHaveLength(1);

    // Issued: a second decision is refused unless it is a correction, and a correction says why.
    const again = await cli(['case', 'decide', id, '--refuse', 'not_authentic', '--members', members, '--date', '2026-03-24', '--json', '--data-dir', data]);
    expect(again.code).toBe(2);
    expect(again.json()).toMatchObject({ error: { code: 'cases.decision_locked' } });
    const noNote = await cli(['case', 'decide', id, '--refuse', 'not_authentic', '--members', members, '--date', '2026-03-24', '--correction', '--json', '--data-dir', data]);
    expect(noNote.json()).toMatchObject({ error: { code: 'cases.not_ready', params: { gap: 'correction_note' } } });
    const corr = await cli(['case', 'decide', id, '--refuse', 'not_authentic', '--members', members, '--date', '2026-03-24', '--correction', '--note', 'Выписка оказалась поддельной', '--json', '--data-dir', data]);
    expect(corr.json()).toMatchObject({ status: 'refused', protocolNumber: '2/2026', decision: { version: 2, note: 'Выписка оказалась поддельной' } });
  });

  it('settings members set FILE.json; case decide without --members uses the standing members', async () => {
    const data = tempDir();
    const { id } = (await cli(['case', 'import', caseFile(tempDir()), '--json', '--data-dir', data])).json() as { id: string };
    await cli(['settings', 'set', '--commission-name-kk', 'ЖТМК комиссиясы', '--commission-name-ru', 'Комиссия по ВТМП', '--authority-name-kk', 'Денсаулық сақтау басқармасы', '--authority-name-ru', 'Управление здравоохранения', '--data-dir', data]);
    // Without members anywhere: the gap is named, nothing stored.
    const none = await cli(['case', 'decide', id, '--approve', '--date', '2026-03-23', '--json', '--data-dir', data]);
    expect(none.json()).toMatchObject({ error: { code: 'cases.not_ready', params: { gap: 'members_none' } } });

    const file = path.join(data, 'standing.json');
    const standing = [
      { role: 'chair', name: { kk: 'Сейітқали Ә. Н.', ru: 'Сейткали А. Н.' }, position: { kk: 'Басқарма басшысының орынбасары', ru: 'Заместитель руководителя управления' } },
      { role: 'member', name: 'Ким Л.' },
      { role: 'secretary', name: { kk: 'Омарова Д.', ru: '' } },
    ];
    fs.writeFileSync(file, JSON.stringify(standing));
    const set = await cli(['settings', 'members', 'set', file, '--json', '--data-dir', data]);
    expect(set.code).toBe(0);
    expect((set.json() as { members: unknown[] }).members).toEqual([
      expect.objectContaining({ role: 'chair', name: { kk: 'Сейітқали Ә. Н.', ru: 'Сейткали А. Н.' }, position: { kk: 'Басқарма басшысының орынбасары', ru: 'Заместитель руководителя управления' } }),
      expect.objectContaining({ role: 'member', name: { kk: 'Ким Л.', ru: 'Ким Л.' }, position: null }),
      // A name given in one language is the same in the other.
      expect.objectContaining({ role: 'secretary', name: { kk: 'Омарова Д.', ru: 'Омарова Д.' } }),
    ]);
    const listed = await cli(['settings', 'members', 'show', '--lang', 'ru', '--data-dir', data]);
    expect(listed.stdout).toContain('1. Сейітқали Ә. Н. / Сейткали А. Н. (председатель комиссии) — Заместитель руководителя управления');

    const ok = await cli(['case', 'decide', id, '--approve', '--date', '2026-03-23', '--json', '--data-dir', data]);
    expect(ok.code).toBe(0);
    expect((ok.json() as { decision: { members: unknown[] } }).decision.members).toEqual([
      { name: { kk: 'Сейітқали Ә. Н.', ru: 'Сейткали А. Н.' }, role: 'chair', position: { kk: 'Басқарма басшысының орынбасары', ru: 'Заместитель руководителя управления' } },
      { name: 'Ким Л.', role: 'member' },
      { name: 'Омарова Д.', role: 'secretary' },
    ]);

    // A bad file changes nothing.
    fs.writeFileSync(file, JSON.stringify([{ role: 'chair', name: 'A' }, { role: 'chair', name: 'B' }]));
    expect((await cli(['settings', 'members', 'set', file, '--json', '--data-dir', data])).json()).toMatchObject({ error: { code: 'settings.member_role_twice', params: { role: 'chair' } } });
    fs.writeFileSync(file, JSON.stringify([{ role: 'chair', name: { kk: 'A', ru: 'A' }, position: { kk: 'Төраға', ru: '' } }]));
    expect((await cli(['settings', 'members', 'set', file, '--json', '--data-dir', data])).json()).toMatchObject({ error: { code: 'settings.member_position_language', params: { n: 1 } } });
    fs.writeFileSync(file, '{"members": "nobody"}');
    expect((await cli(['settings', 'members', 'set', file, '--json', '--data-dir', data])).json()).toMatchObject({ error: { code: 'settings.bad_members_file' } });
    expect(((await cli(['settings', 'members', 'show', '--json', '--data-dir', data])).json() as { members: unknown[] }).members).toHaveLength(3);
  });

  it('decide: bad arguments exit 2', async () => {
    const data = tempDir();
    const { id } = (await cli(['case', 'import', caseFile(tempDir()), '--json', '--data-dir', data])).json() as { id: string };
    const members = path.join(data, 'm.json');
    fs.writeFileSync(members, JSON.stringify([{ name: 'A', role: 'president' }]));
    const run = async (...a: string[]) => (await cli(['case', 'decide', id, ...a, '--json', '--data-dir', data])).json().error as { code: string } | undefined;
    expect(await run('--members', members)).toMatchObject({ code: 'cases.approve_or_refuse' });
    expect(await run('--approve', '--refuse', 'not_authentic', '--members', members)).toMatchObject({ code: 'cases.approve_or_refuse' });
    expect(await run('--refuse', 'too_expensive', '--members', members)).toMatchObject({ code: 'cases.bad_reason' });
    expect(await run('--approve', '--members', members)).toMatchObject({ code: 'cases.bad_members_file' });
    fs.writeFileSync(members, JSON.stringify(MEMBERS.slice(1)));
    const noChair = (await cli(['case', 'decide', id, '--approve', '--members', members, '--date', '2026-03-23', '--json', '--data-dir', data])).json().error as { code: string; message: string };
    expect(noChair.code).toBe('cases.not_ready');
    expect(noChair.message).toContain('Қатысқандардың арасында комиссия төрағасы жоқ');
    expect(await run('--approve', '--members', members, '--date', '2099-03-23')).toMatchObject({ code: 'cases.not_ready' });
    expect(await run('--approve', '--members', members, '--date', '23.03.2026')).toMatchObject({ code: 'cases.bad_date' });
    expect((await cli(['case', 'show', 'nope', '--json', '--data-dir', data])).code).toBe(2);
    expect((await cli(['case', 'show', '11111111-1111-4111-8111-111111111111', '--json', '--data-dir', data])).json()).toMatchObject({ error: { code: 'cases.not_found' } });
  });

  it('decide refused at issue (no commission set) leaves no draft decision behind', async () => {
    const data = tempDir();
    const { id } = (await cli(['case', 'import', caseFile(tempDir()), '--json', '--data-dir', data])).json() as { id: string };
    const members = path.join(data, 'members.json');
    fs.writeFileSync(members, JSON.stringify(MEMBERS));
    const r = await cli(['case', 'decide', id, '--approve', '--members', members, '--date', '2026-03-23', '--json', '--data-dir', data]);
    expect(r.code).toBe(2);
    expect(r.json()).toMatchObject({ error: { code: 'cases.not_ready', params: { gap: 'commission_name_kk' } } });
    const shown = (await cli(['case', 'show', id, '--json', '--data-dir', data])).json();
    expect(shown).toMatchObject({ status: 'registered', decision: null, draftDecision: null, decisions: [] });
    // A draft (--draft) is kept: only issuing needs everything.
    const draft = await cli(['case', 'decide', id, '--approve', '--members', members, '--date', '2026-03-23', '--draft', '--json', '--data-dir', data]);
    expect(draft.json()).toMatchObject({ status: 'registered', protocolNumber: null, decision: { state: 'draft' } });
  });

  it('import refuses a case whose file is missing (nothing half-stored)', async () => {
    const data = tempDir();
    const src = tempDir();
    const file = caseFile(src);
    fs.rmSync(path.join(src, 'id.jpg'));
    const r = await cli(['case', 'import', file, '--json', '--data-dir', data]);
    expect(r.code).toBe(2);
    expect(r.json()).toMatchObject({ error: { code: 'cases.file_not_found', params: { path: 'id.jpg' } } });
    expect(((await cli(['case', 'list', '--json', '--data-dir', data])).json() as { cases: unknown[] }).cases).toEqual([]);
  });
});

describe('case files name only files in their own folder', () => {
  for (const [label, ref] of [
    ['an absolute path', '/etc/passwd'],
    ['a parent folder', '../outside.pdf'],
    ['a parent folder inside a path', 'scans/../../outside.pdf'],
    ['a Windows absolute path', 'C:\\Windows\\win.ini'],
  ] as const) {
    it(`${label} is refused by packet validate and case import, nothing stored`, async () => {
      const root = tempDir();
      const dir = path.join(root, 'case');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(root, 'outside.pdf'), 'another patient');
      const file = caseFile(dir, { documents: [{ kind: 'identity', paper: false, files: [ref], signatures: [], seal: false }] });
      const dataDir = path.join(root, 'data');
      for (const cmd of [['packet', 'validate', file], ['case', 'import', file]]) {
        const r = await cli([...cmd, '--json', '--data-dir', dataDir]);
        expect(r.code, cmd.join(' ')).toBe(2);
        expect((r.json().error as { code: string }).code).toBe('cases.file_outside_folder');
      }
      const list = await cli(['case', 'list', '--json', '--data-dir', dataDir]);
      expect(list.json().cases).toEqual([]);
    });
  }

  it('a symbolic link, to a file or through a folder, is refused', async () => {
    const root = tempDir();
    const dir = path.join(root, 'case');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(root, 'secret.pdf'), 'secret');
    fs.mkdirSync(path.join(root, 'elsewhere'));
    fs.writeFileSync(path.join(root, 'elsewhere', 'scan.pdf'), 'elsewhere');
    fs.symlinkSync(path.join(root, 'secret.pdf'), path.join(dir, 'link.pdf'));
    fs.symlinkSync(path.join(root, 'elsewhere'), path.join(dir, 'linked-folder'));
    for (const ref of ['link.pdf', 'linked-folder/scan.pdf']) {
      const file = caseFile(dir, { documents: [{ kind: 'identity', paper: false, files: [ref], signatures: [], seal: false }] });
      const r = await cli(['case', 'import', file, '--json', '--data-dir', path.join(root, 'data')]);
      expect(r.code, ref).toBe(2);
      expect((r.json().error as { code: string }).code).toBe('cases.file_outside_folder');
    }
  });

  it('files in the folder and its sub-folders are stored with their content', async () => {
    const dir = tempDir();
    const file = caseFile(dir);
    const dataDir = path.join(dir, 'data');
    const r = await cli(['case', 'import', file, '--json', '--data-dir', dataDir]);
    expect(r.code).toBe(0);
    const shown = (await cli(['case', 'show', String(r.json().id), '--json', '--data-dir', dataDir])).json() as { documents: { files: { name: string; size: number }[] }[] };
    const names = shown.documents.flatMap((d) => d.files.map((f) => `${f.name}:${f.size}`));
    expect(names.sort()).toEqual(['extract.pdf:16', 'id.jpg:10']);
  });
});

describe('htmp case import: many cases (JSON array, NDJSON), in batches', () => {
  /** A case file body (as caseFile writes), with its own IIN and name. */
  function body(i: number, files: string[] = []) {
    const d = completeDraft({ iin: makeIin('1980-05-12', 'male', 1 + (i % 90)), lastName: `Абаев${i}` });
    return {
      receivedAt: d.receivedAt,
      patient: { iin: d.patient.iin, lastName: d.patient.lastName, firstName: d.patient.firstName },
      htmpCode: d.htmpCode,
      urgency: d.urgency,
      diagnosis: d.diagnosis,
      documents: [{ kind: 'identity', paper: false, files, signatures: [], seal: false }],
    };
  }
  const count = async (data: string) => (((await cli(['case', 'list', '--json', '--data-dir', data])).json().cases as unknown[]) ?? []).length;

  it('NDJSON: every line a case, files beside the file, progress on stderr; a JSON array the same', async () => {
    const src = tempDir();
    fs.writeFileSync(path.join(src, 'a.pdf'), 'scan a');
    fs.mkdirSync(path.join(src, 'sub'));
    fs.writeFileSync(path.join(src, 'sub', 'b.pdf'), 'scan b');
    const nd = path.join(src, 'cases.ndjson');
    fs.writeFileSync(nd, `${JSON.stringify(body(1, ['a.pdf']))}\n\n${JSON.stringify(body(2, ['sub/b.pdf']))}\r\n${JSON.stringify(body(3))}`);
    const data = tempDir();
    const r = await cli(['case', 'import', nd, '--json', '--data-dir', data]);
    expect(r.code, r.stdout).toBe(0);
    const out = r.json() as { imported: number; registered: number; drafts: number; cases: { id: string; status: string }[] };
    expect(out).toMatchObject({ imported: 3, registered: 3, drafts: 0 });
    expect(r.stderr).toContain('3 / 3');
    const shown = (await cli(['case', 'show', out.cases[1]!.id, '--json', '--data-dir', data])).json() as { patient: { lastName: string }; documents: { files: { name: string }[] }[] };
    expect(shown.patient.lastName).toBe('Абаев2');
    expect(shown.documents[0]!.files.map((f) => f.name)).toEqual(['b.pdf']);

    const arr = path.join(src, 'cases.json');
    fs.writeFileSync(arr, JSON.stringify([body(4), body(5)], null, 2));
    const r2 = await cli(['case', 'import', arr, '--lang', 'ru', '--data-dir', data]);
    expect(r2.code).toBe(0);
    expect(r2.stdout).toContain('Загружено 2 дела (зарегистрировано: 2, черновиков: 0).');
    expect(r2.stderr).toContain('Загружено дел: 2 из 2');
    expect(await count(data)).toBe(5);
  });

  it('a bad line or item is reported with its number and nothing is stored', async () => {
    const src = tempDir();
    const data = tempDir();
    const nd = path.join(src, 'cases.ndjson');
    const bad = { ...body(2), urgency: 'sometimes' };
    fs.writeFileSync(nd, [body(1), bad, body(3)].map((x) => JSON.stringify(x)).join('\n'));
    let r = await cli(['case', 'import', nd, '--json', '--data-dir', data]);
    expect(r.code).toBe(2);
    expect(r.json()).toMatchObject({ error: { code: 'cases.import_refused', params: { line: 2, causeCode: 'cases.bad_case_file' } } });
    r = await cli(['case', 'import', nd, '--lang', 'ru', '--data-dir', data]);
    expect(r.stderr).toMatch(/строка 2: .*urgency.* Ничего не сохранено\./);
    // Not JSON on a line; a file missing; a file outside the folder.
    fs.writeFileSync(nd, `${JSON.stringify(body(1))}\n{oops\n`);
    expect((await cli(['case', 'import', nd, '--json', '--data-dir', data])).json()).toMatchObject({ error: { code: 'input.bad_json_line', params: { line: 2 } } });
    fs.writeFileSync(nd, `${JSON.stringify(body(1))}\n${JSON.stringify(body(2, ['absent.pdf']))}\n`);
    expect((await cli(['case', 'import', nd, '--json', '--data-dir', data])).json()).toMatchObject({ error: { code: 'cases.import_refused', params: { line: 2, causeCode: 'cases.file_not_found' } } });
    const arr = path.join(src, 'cases.json');
    fs.writeFileSync(arr, JSON.stringify([body(1), body(2), body(3, ['../x.pdf'])]));
    expect((await cli(['case', 'import', arr, '--json', '--data-dir', data])).json()).toMatchObject({ error: { code: 'cases.import_refused', params: { item: 3, causeCode: 'cases.file_outside_folder' } } });
    expect(await count(data)).toBe(0);
  });

  it('stores 1,000 cases per transaction: 1,001 cases are two batches, listed in pages by key', async () => {
    const src = tempDir();
    const data = tempDir();
    const nd = path.join(src, 'cases.ndjson');
    fs.writeFileSync(nd, Array.from({ length: 1001 }, (_, i) => JSON.stringify(body(i))).join('\n'));
    const r = await cli(['case', 'import', nd, '--json', '--data-dir', data]);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ imported: 1001 });
    expect(r.stderr.trim().split('\n')).toEqual(['Жүктелген істер: 1000 / 1001', 'Жүктелген істер: 1001 / 1001']);
    // `case list` reads pages of 500 and writes them as they come: one JSON document, every case once.
    const list = await cli(['case', 'list', '--json', '--data-dir', data]);
    const ids = (list.json().cases as { id: string }[]).map((x) => x.id);
    expect(ids).toHaveLength(1001);
    expect(new Set(ids).size).toBe(1001);
    const human = await cli(['case', 'list', '--lang', 'ru', '--data-dir', data]);
    expect(human.stdout.trim().split('\n')).toHaveLength(1001);
  }, 120_000);

  it('caps what it reads whole: a JSON document over 64 MB, an NDJSON line over 4 MB', async () => {
    const src = tempDir();
    const data = tempDir();
    const line = path.join(src, 'long.ndjson');
    fs.writeFileSync(line, `${JSON.stringify(body(1))}\n${JSON.stringify({ ...body(2), notes: 'x'.repeat(5 * 1024 * 1024) })}\n`);
    expect((await cli(['case', 'import', line, '--json', '--data-dir', data])).json()).toMatchObject({ error: { code: 'input.line_too_large', params: { line: 2, maxMb: 4 } } });
    const big = path.join(src, 'big.json');
    const fd = fs.openSync(big, 'w');
    fs.writeSync(fd, '[\n');
    const chunk = `${JSON.stringify(body(1))},\n`.repeat(2000);
    for (let n = 0; n * chunk.length < 65 * 1024 * 1024; n++) fs.writeSync(fd, chunk);
    fs.writeSync(fd, `${JSON.stringify(body(1))}\n]\n`);
    fs.closeSync(fd);
    const r = await cli(['case', 'import', big, '--json', '--data-dir', data]);
    expect(r.code).toBe(2);
    expect(r.json()).toMatchObject({ error: { code: 'input.too_large', params: { limitMb: 64 } } });
    expect(await count(data)).toBe(0);
  }, 60_000);
});

describe('htmp case journal', () => {
  it('streams every refusal of the period as one JSON document, and refuses a bad date', async () => {
    const data = tempDir();
    const core = tempCore({ dataDir: data });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { id } = await core.call('cases.save', completeDraft({ iin: makeIin('1980-05-12', 'male', 1 + i), receivedAt: '2026-02-02T10:00' }));
      await core.call('cases.register', { id });
      ids.push(id);
    }
    await core.call('cases.decide', { caseId: ids[0]!, outcome: 'refused', reason: 'no_indications', members: MEMBERS, date: '2026-02-10', issue: true });
    await core.call('cases.decide', { caseId: ids[1]!, outcome: 'approved', members: MEMBERS, date: '2026-02-10', issue: true });
    await core.call('cases.decide', { caseId: ids[2]!, outcome: 'refused', reason: 'no_indications', members: MEMBERS, date: '2026-02-11', issue: true });
    core.close();
    const r = await cli(['case', 'journal', '--from', '2026-02-01', '--to', '2026-02-28', '--json', '--data-dir', data]);
    expect(r.code).toBe(0);
    const doc = r.json() as { from: string; to: string; items: { caseId: string; date: string }[]; total: number };
    expect(doc).toMatchObject({ from: '2026-02-01', to: '2026-02-28', total: 2 });
    expect(doc.items.map((x) => [x.caseId, x.date])).toEqual([[ids[0], '2026-02-10'], [ids[2], '2026-02-11']]);
    expect((await cli(['case', 'journal', '--from', '2026-02-11', '--json', '--data-dir', data])).json().items).toHaveLength(1);
    const human = await cli(['case', 'journal', '--lang', 'ru', '--data-dir', data]);
    expect(human.stdout.trim().split('\n')).toHaveLength(2);
    expect((await cli(['case', 'journal', '--to', '2026-01-31', '--lang', 'ru', '--data-dir', data])).stdout).toContain('Отказов за этот период нет.');
    const bad = await cli(['case', 'journal', '--from', '2026-13-01', '--json', '--data-dir', data]);
    expect(bad.code).toBe(2);
    expect(bad.json()).toMatchObject({ error: { code: 'cases.bad_date' } });
  }, 60_000);
});
