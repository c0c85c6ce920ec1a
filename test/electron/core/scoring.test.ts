import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/db';
import { migrations } from '../../../electron/core/migrations';
import { scoringSheetDoc } from '../../../electron/core/services/scoring';
import { parseTransferCsv, tengeToTiyn } from '../../../electron/core/scoring/transfer-csv';
import { REGION_IDS } from '../../../shared/domain/regions';
import { tempCore, tempDir } from '../../support/temp';
import { refusal as refused } from '../../support/failures';

type Core = ReturnType<typeof tempCore>;

const changes = (core: Core, table: string) =>
  core.db.prepare('SELECT op, record_id, fields FROM change_log WHERE table_name = ? ORDER BY seq').all(table) as { op: string; record_id: string; fields: string }[];

const sheet = (over: Record<string, unknown> = {}) => ({
  technology: { code: '35.21' },
  scores: { innovation: { years: 12 }, resource: 1 as const, uniqueness: 1 as const, complexity: 3 as const },
  rationale: { innovation: 'since 2013', resource: '', uniqueness: '', complexity: 'one stage' },
  evaluator: 'Сейтқали Ә. Н.',
  date: '2025-11-03',
  ...over,
});

describe('scoring sheets', () => {
  it('saves a sheet with levels and rationale, recomputes the total and logs the insert', async () => {
    const core = tempCore();
    const s = await core.call('scoring.save', sheet());
    // 0.1x5 + 0.3x10 + 0.1x10 + 0.5x5 = 0.5 + 3 + 1 + 2.5 = 7.00
    expect(s.sheet.totalHundredths).toBe(700);
    expect(s.sheet.included).toBe(true);
    expect(s.sheet.criteria[0]).toMatchObject({ id: 'innovation', level: 3, band: 'over_10_to_15', years: 12 });
    expect(s.technology).toEqual({ key: 'code:35.21', code: '35.21', name: '' });
    expect(s.rationale.complexity).toBe('one stage');
    expect(s.sensitivity).not.toBeNull();
    const log = changes(core, 'scoring_sheets');
    expect(log).toHaveLength(1);
    expect(log[0]!.op).toBe('insert');
    expect(JSON.parse(log[0]!.fields).innovation_years).toEqual([null, 12]);
    // No total is stored: the row holds only what was entered.
    const cols = (core.db.prepare('PRAGMA table_info(scoring_sheets)').all() as { name: string }[]).map((c) => c.name);
    expect(cols.some((c) => /total|points/.test(c))).toBe(false);
  });

  it('updates a sheet, logging only the changed fields; get and list return it', async () => {
    const core = tempCore();
    const s = await core.call('scoring.save', sheet());
    const u = await core.call('scoring.save', { ...sheet(), id: s.id, scores: { ...sheet().scores, innovation: { level: 4 } } });
    expect(u.id).toBe(s.id);
    expect(u.sheet.totalHundredths).toBe(675);
    expect(u.sheet.included).toBe(false);
    expect(u.scores.innovation).toEqual({ level: 4 });
    const log = changes(core, 'scoring_sheets');
    expect(log.map((l) => l.op)).toEqual(['insert', 'update']);
    expect(Object.keys(JSON.parse(log[1]!.fields)).sort()).toEqual(['innovation_level', 'innovation_years']);
    expect((await core.call('scoring.get', { id: s.id })).sheet.totalHundredths).toBe(675);
    expect(await core.call('scoring.list', {})).toHaveLength(1);
    expect((await refused(core.call('scoring.get', { id: 'nope' }))).code).toBe('scoring.not_found');
    expect((await refused(core.call('scoring.save', { ...sheet(), id: 'nope' }))).code).toBe('scoring.not_found');
  });

  it('groups several evaluators per technology with the exact mean; a new technology by name', async () => {
    const core = tempCore();
    await core.call('scoring.save', sheet()); // 7.00
    await core.call('scoring.save', sheet({ evaluator: 'B', scores: { innovation: { level: 4 }, resource: 1, uniqueness: 1, complexity: 3 } })); // 6.75
    await core.call('scoring.save', sheet({ evaluator: 'C', scores: { innovation: { level: 4 }, resource: 1, uniqueness: 1, complexity: 3 } })); // 6.75
    await core.call('scoring.save', sheet({ technology: { name: '  Новая   технология ' }, evaluator: 'D' }));
    await core.call('scoring.save', sheet({ technology: { name: 'новая технология' }, evaluator: 'E' }));
    const sum = await core.call('scoring.summary', {});
    expect(sum).toHaveLength(2);
    const coded = sum.find((g) => g.technology.code === '35.21')!;
    expect(coded.sheets).toHaveLength(3);
    // (700 + 675 + 675) / 3 = 683.33...: shown rounded, not exact, verdict on the exact mean
    expect(coded.mean).toMatchObject({ count: 3, sumHundredths: 2050, meanHundredths: 683, exact: false, included: false });
    const named = sum.find((g) => g.technology.code === null)!;
    expect(named.technology.key).toBe('new:новая технология');
    expect(named.sheets).toHaveLength(2);
    expect(named.mean).toMatchObject({ count: 2, meanHundredths: 700, exact: true, included: true });
    expect(await core.call('scoring.list', { technologyKey: 'code:35.21' })).toHaveLength(3);
  });

  it('deletes a sheet with a logged delete; refuses incomplete sheets before writing', async () => {
    const core = tempCore();
    const s = await core.call('scoring.save', sheet());
    expect(await core.call('scoring.delete', { id: s.id })).toEqual({ deleted: true });
    expect(await core.call('scoring.delete', { id: s.id })).toEqual({ deleted: false });
    expect(changes(core, 'scoring_sheets').map((l) => l.op)).toEqual(['insert', 'delete']);
    expect(await core.call('scoring.list', {})).toEqual([]);
    expect((await refused(core.call('scoring.save', sheet({ technology: { code: ' ', name: '' } })))).code).toBe('scoring.technology_required');
    expect((await refused(core.call('scoring.save', sheet({ evaluator: '  ' })))).code).toBe('scoring.evaluator_required');
    expect((await refused(core.call('scoring.save', sheet({ date: '2025-02-30' })))).code).toBe('scoring.invalid_date');
    const bad = await core.dispatch('scoring.save', sheet({ scores: { innovation: { level: 5 }, resource: 1, uniqueness: 1, complexity: 1 } }));
    expect(bad.ok).toBe(false);
    expect(changes(core, 'scoring_sheets')).toHaveLength(2);
  });

  it('evaluate scores live without saving, with the sensitivity', async () => {
    const core = tempCore();
    const v = await core.call('scoring.evaluate', { innovation: { years: 5 }, resource: 1, uniqueness: 1, complexity: 3 });
    expect(v.sheet.criteria[0]).toMatchObject({ level: 2, band: 'from_5_to_10' });
    expect(v.sheet.totalHundredths).toBe(725);
    expect(v.sensitivity).toMatchObject({ criterion: 'resource', fromLevel: 1, toLevel: 2, newIncluded: false });
    expect(changes(core, 'scoring_sheets')).toHaveLength(0);
  });

  it('scoringSheetDoc gives the printing hook the sheet in hundredths with every alternative total', async () => {
    const core = tempCore();
    const s = await core.call('scoring.save', sheet({ technology: { name: 'Новая технология' } }));
    const doc = scoringSheetDoc(core.context, s.id, 'ru');
    expect(doc.kind).toBe('scoring_sheet');
    expect(doc.technology).toEqual({ name: 'Новая технология' });
    expect(doc.total).toBe(700);
    expect(doc.included).toBe(true);
    expect(doc.criteria[0]).toMatchObject({ id: 'innovation', level: 3, value: 500, weight: 10, points: 50, band: 'over_10_to_15', rationale: 'since 2013' });
    expect(doc.sensitivity).toHaveLength(12);
    expect(doc.sensitivity!.find((x) => x.id === 'complexity' && x.level === 4)).toEqual({ id: 'complexity', level: 4, total: 575, included: false });
    expect(doc.generatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
  });
});

describe('zones', () => {
  it('returns the default, stores an edit as logged user data, refuses a bad edit, resets', async () => {
    const core = tempCore();
    const d = await core.call('transfer.regions', {});
    expect(d.isDefault).toBe(true);
    expect(d.regions).toHaveLength(20);
    const edited = d.regions.map((r) => ({ id: r.id, zone: r.id === 'ulytau' ? 'north' : r.zone }));
    const e = await core.call('transfer.setZones', { regions: edited });
    expect(e.isDefault).toBe(false);
    expect(e.regions.find((r) => r.id === 'ulytau')!.zone).toBe('north');
    expect((await core.call('transfer.regions', {})).regions.find((r) => r.id === 'ulytau')!.zone).toBe('north');
    expect(changes(core, 'zone_config').map((l) => l.op)).toEqual(['insert']);
    // Every zone must keep a region; unknown and missing regions are refused.
    const noEast = d.regions.map((r) => ({ id: r.id, zone: r.zone === 'east' ? 'north' : r.zone }));
    expect((await refused(core.call('transfer.setZones', { regions: noEast }))).code).toBe('regions.empty_zone');
    expect((await refused(core.call('transfer.setZones', { regions: edited.slice(1) }))).code).toBe('regions.missing_region');
    expect((await refused(core.call('transfer.setZones', { regions: [...edited, { id: 'mars', zone: 'north' }] }))).code).toBe('regions.unknown_region');
    expect((await core.call('transfer.regions', {})).regions.find((r) => r.id === 'ulytau')!.zone).toBe('north');
    const back = await core.call('transfer.setZones', { reset: true });
    expect(back.isDefault).toBe(true);
    expect(back.regions.find((r) => r.id === 'ulytau')!.zone).toBe('centre');
    expect(changes(core, 'zone_config').map((l) => l.op)).toEqual(['insert', 'delete']);
  });
});

const five = ['akmola', 'almaty', 'abai', 'aktobe', 'karaganda'] as const;
const input = (over: Record<string, unknown> = {}) => ({
  code: '35.21',
  year: 2025,
  regions: five.map((region) => ({ region, regionalCases: 76, republicanCases: 24 })),
  tariff: 100,
  listTariffs: [100, 300],
  casesPerYear: 200,
  population: 1_000_000,
  lethalOrComplicated: 19,
  ...over,
});

describe('transfer inputs', () => {
  it('saves inputs per technology and year (upsert), recomputes with the zones in force, reports 4/3/fewer', async () => {
    const core = tempCore();
    const a = await core.call('transfer.saveInputs', input());
    expect(a.result!.leavesList).toBe(true);
    const again = await core.call('transfer.saveInputs', input({ lethalOrComplicated: 20 }));
    expect(again.id).toBe(a.id);
    expect(again.result!.criteria.outcomes.met).toBe(false);
    expect(changes(core, 'transfer_inputs').map((l) => l.op)).toEqual(['insert', 'update']);
    await core.call('transfer.saveInputs', input({ year: 2024 }));
    await core.call('transfer.saveInputs', input({ code: '10.1', tariff: 200, casesPerYear: 10, lethalOrComplicated: 0 }));
    await core.call('transfer.saveInputs', input({ code: '20.2' }));
    expect(await core.call('transfer.list', { code: '35.21' })).toHaveLength(2);
    expect(await core.call('transfer.get', { code: '35.21', year: 2024 })).not.toBeNull();
    expect(await core.call('transfer.get', { code: '35.21', year: 2020 })).toBeNull();

    const latest = await core.call('transfer.report', {});
    expect(latest.rows.map((r) => [r.code, r.year, r.metCount])).toEqual([
      ['20.2', 2025, 4],
      ['35.21', 2025, 3],
      ['10.1', 2025, 2],
    ]);
    expect([latest.meetsAll, latest.meetsThree, latest.fewer]).toEqual([1, 1, 1]);
    const y2024 = await core.call('transfer.report', { year: 2024 });
    expect(y2024.rows.map((r) => r.code)).toEqual(['35.21']);

    // Moving karaganda out of the centre leaves no centre region among the five: criterion 1 fails.
    const cfg = await core.call('transfer.regions', {});
    await core.call('transfer.setZones', { regions: cfg.regions.map((r) => ({ id: r.id, zone: r.id === 'karaganda' ? 'north' : r.zone })) });
    const after = await core.call('transfer.report', {});
    expect(after.rows.find((r) => r.code === '20.2')!.met.transfer).toBe(false);

    expect(await core.call('transfer.deleteInputs', { id: a.id })).toEqual({ deleted: true });
    expect(await core.call('transfer.list', { code: '35.21' })).toHaveLength(1);
  });

  it('refuses bad inputs without writing; evaluate does not write', async () => {
    const core = tempCore();
    expect((await refused(core.call('transfer.saveInputs', input({ population: 0 })))).code).toBe('transfer.invalid_input');
    expect((await refused(core.call('transfer.saveInputs', input({ lethalOrComplicated: 201 })))).params).toEqual({ field: 'lethalOrComplicated' });
    const r = await core.call('transfer.evaluate', input());
    expect(r.metCount).toBe(4);
    expect(changes(core, 'transfer_inputs')).toHaveLength(0);
  });
});

const header = ['code', 'year', 'tariff', 'list_tariffs', 'cases_per_year', 'population', 'lethal_or_complicated', ...five.flatMap((r) => [`${r}_regional`, `${r}_republican`])];
const line = (cells: (string | number)[]) => cells.join(';');
const good = (code: string, year = 2025, extra: Partial<Record<string, string>> = {}) => {
  const base: Record<string, string> = {
    code,
    year: String(year),
    tariff: '1,00',
    list_tariffs: '1|3',
    cases_per_year: '200',
    population: '1 000 000',
    lethal_or_complicated: '19',
    ...Object.fromEntries(five.flatMap((r) => [[`${r}_regional`, '76'], [`${r}_republican`, '24']])),
    ...extra,
  };
  return line(header.map((h) => base[h]!));
};

describe('CSV import', () => {
  it('parses money in tenge exactly to tiyn', () => {
    expect(tengeToTiyn('1 250 000,5')).toBe(125_000_050);
    expect(tengeToTiyn('0.01')).toBe(1);
    expect(tengeToTiyn('1.234')).toBeNull();
    expect(tengeToTiyn('-1')).toBeNull();
  });

  it('imports good rows (with a BOM, CRLF and quotes) and writes them through the change log', async () => {
    const core = tempCore();
    const text = '\uFEFF' + [line(header), good('35.21'), good('"10.1"'), good('35.21', 2024)].join('\r\n') + '\r\n';
    const r = await core.call('transfer.importCsv', { text });
    expect(r).toEqual({ imported: 3, rows: 3, errors: [], dryRun: false });
    const rec = await core.call('transfer.get', { code: '35.21', year: 2025 });
    expect(rec!.input.tariff).toBe(100);
    expect(rec!.input.listTariffs).toEqual([100, 300]);
    expect(rec!.input.population).toBe(1_000_000);
    expect(rec!.result!.leavesList).toBe(true);
    expect(changes(core, 'transfer_inputs')).toHaveLength(3);
    // A second import of the same technology and year updates it.
    await core.call('transfer.importCsv', { text: [line(header), good('35.21', 2025, { lethal_or_complicated: '20' })].join('\n') });
    expect((await core.call('transfer.get', { code: '35.21', year: 2025 }))!.result!.criteria.outcomes.met).toBe(false);
  });

  it('a file with any bad row imports nothing and names each bad row', async () => {
    const core = tempCore();
    await core.call('transfer.saveInputs', input({ code: '99.9' }));
    const before = changes(core, 'transfer_inputs').length;
    const text = [
      line(header),
      good('35.21'), // line 2: fine
      good('10.1', 2025, { tariff: '12,345' }), // line 3: money with 3 decimals
      good('10.2', 2025, { population: '0' }), // line 4: rules refuse population 0
      good('35.21'), // line 5: duplicate of line 2
      '1;2;3', // line 6: wrong cell count
      good('', 2025), // line 7: no code
    ].join('\n');
    const r = await core.call('transfer.importCsv', { text });
    expect(r.imported).toBe(0);
    expect(r.errors.map((e) => [e.row, e.error.code])).toEqual([
      [3, 'transfer.csv_bad_money'],
      [4, 'transfer.invalid_input'],
      [5, 'transfer.csv_duplicate'],
      [6, 'transfer.csv_cell_count'],
      [7, 'transfer.csv_bad_required'],
    ]);
    expect(r.errors[0]!.error.params).toMatchObject({ column: 'tariff', value: '12,345' });
    expect(changes(core, 'transfer_inputs')).toHaveLength(before);
    expect(await core.call('transfer.get', { code: '35.21', year: 2025 })).toBeNull();
  });

  it('refuses a bad header, an empty file, and writes nothing on a dry run', async () => {
    const core = tempCore();
    const noCol = parseTransferCsv('code;year;tariff;bogus\n1;2;3;4');
    expect(noCol.errors.map((e) => e.error.code)).toEqual(['transfer.csv_unknown_column', 'transfer.csv_missing_column', 'transfer.csv_missing_column', 'transfer.csv_missing_column', 'transfer.csv_missing_column']);
    expect(parseTransferCsv('').errors[0]!.error.code).toBe('transfer.csv_empty');
    expect(parseTransferCsv(line(header)).errors[0]!.error.code).toBe('transfer.csv_empty');
    const dry = await core.call('transfer.importCsv', { text: [line(header), good('35.21')].join('\n'), dryRun: true });
    expect(dry).toEqual({ imported: 0, rows: 1, errors: [], dryRun: true });
    expect(changes(core, 'transfer_inputs')).toHaveLength(0);
    // Comma-separated files work too.
    const comma = parseTransferCsv([header.join(','), good('1.1').replaceAll(';', ',').replace('1,00', '1').replace('1 000 000', '1000000')].join('\n'));
    expect(comma.errors).toEqual([]);
    expect(comma.rows[0]!.input.regions).toHaveLength(5);
    expect(REGION_IDS).toHaveLength(20);
  });
});

describe('migration 0004', () => {
  it('migrates a database at version 3 to 4 with STRICT scoring tables that have id, created_at, updated_at', () => {
    const db = new Database(path.join(tempDir(), 'm.sqlite'));
    try {
      migrate(db, migrations.slice(0, 3));
      expect(migrate(db, migrations.slice(0, 4))).toEqual({ from: 3, to: 4 });
      for (const t of ['scoring_sheets', 'transfer_inputs', 'zone_config']) {
        const sql = (db.prepare("SELECT sql FROM sqlite_schema WHERE name = ?").get(t) as { sql: string }).sql;
        expect(sql, t).toMatch(/\)\s*STRICT$/);
        const cols = (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name);
        expect(cols.slice(0, 3), t).toEqual(['id', 'created_at', 'updated_at']);
      }
      expect(() => db.prepare("INSERT INTO scoring_sheets (id, created_at, updated_at, technology_key, innovation_level, resource_level, uniqueness_level, complexity_level, evaluator, scored_on) VALUES ('x','a','a','k',5,1,1,1,'e','d')").run()).toThrow();
    } finally {
      db.close();
    }
  });
});

describe('transfer inputs across laptops', () => {
  it('two installations entering the same code and year write the same record id', async () => {
    const a = tempCore();
    const b = tempCore();
    const input = { code: '35.21', year: 2025, regions: [], tariff: 100, listTariffs: [100, 200], casesPerYear: 10, population: 100000, lethalOrComplicated: 0 };
    const ra = await a.call('transfer.saveInputs', input as never);
    const rb = await b.call('transfer.saveInputs', input as never);
    expect((ra as { id: string }).id).toBe((rb as { id: string }).id);
    expect((ra as { id: string }).id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
