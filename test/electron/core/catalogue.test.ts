import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readShippedCatalogue, type CatalogueData } from '../../../electron/core/catalogue/data';
import { currentCatalogueData, ensureShippedCatalogue, loadCatalogue, loadedHash } from '../../../electron/core/catalogue/loader';
import { createCore } from '../../../electron/core/core';
import { migrate, openDatabase } from '../../../electron/core/db';
import { migrations } from '../../../electron/core/migrations';
import { catalogueLookup } from '../../../electron/core/services/catalogue-lookup';
import { catalogueModel } from '../../../electron/core/catalogue/model';
import { tempCore, tempDir } from '../../support/temp';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const shipped = () => readShippedCatalogue().data;

/** A synthetic third edition in Russian that renames one code, drops one and adds one. */
function withSyntheticEdition(base: CatalogueData): CatalogueData {
  const data = clone(base);
  const ru = data.editions.find((e) => e.id === '2025-103-ru')!;
  const next = clone(ru);
  next.id = '2026-999-ru';
  next.order = { number: '999', date: '2026-03-01', title: {} };
  next.inForceFrom = '2026-03-01';
  const s1 = next.sections.find((s) => s.section === 1)!;
  s1.entries[0]!.name = 'Новое наименование';
  const dropped = s1.entries.splice(1, 1)[0]!;
  s1.entries.push({ position: 99, code: '99.999', name: 'Новая технология' });
  data.editions.push(next);
  return Object.assign(data, { dropped: dropped.code, renamedCode: s1.entries[0]!.code });
}

describe('catalogue loader', () => {
  it('loads the shipped data at first use: editions, entries per section, characteristics', async () => {
    const core = tempCore();
    const r = await core.call('catalogue.editions', {});
    expect(r.editions.map((e) => [e.id, e.counts.map((c) => c.entries)])).toEqual([
      ['2024-090-kk', [25, 8, 75]],
      ['2025-103-ru', [24, 7, 69]],
    ]);
    const n = core.db.prepare('SELECT count(*) AS n FROM catalogue_characteristics').get() as { n: number };
    expect(n.n).toBe(78);
    const e = r.editions[0]!;
    expect(e.inForceChosen).toBe(true);
    expect(e.registration).toEqual({ number: '35327', date: '2024-11-04' });
    expect(e.sectionTitles['1'].kk).toMatch(/Шұғыл/);
    expect(loadedHash(core.db)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not reload unchanged data, and refuses broken data as a whole', () => {
    const core = tempCore();
    catalogueLookup(core.context).lookup('35.21', '2025-12-01');
    expect(ensureShippedCatalogue(core.db)).toBeNull();
    const again = loadCatalogue(core.db, shipped(), { hash: loadedHash(core.db)! });
    expect(again.changed).toBe(false);
    const broken = clone(shipped());
    broken.editions[0]!.sections[0]!.entries[1]!.code = broken.editions[0]!.sections[0]!.entries[0]!.code;
    expect(() => loadCatalogue(core.db, broken)).toThrow(/catalogue.bad_data/);
    expect(() => loadCatalogue(core.db, { editions: [{ id: 'x' }], characteristics: null })).toThrow(/catalogue.bad_data/);
    // Nothing of the refused data was written.
    expect((core.db.prepare('SELECT count(*) AS n FROM catalogue_entries').get() as { n: number }).n).toBe(25 + 8 + 75 + 24 + 7 + 69);
  });

  it('keeps local translations, notes and the edited in-force date across a reload with changed data', async () => {
    const dir = tempDir();
    let core = createCore({ dataDir: dir });
    const tr = await core.call('catalogue.saveTranslation', { code: '69.921', lang: 'ru', text: 'ЭКО, длинный протокол' });
    await core.call('catalogue.saveNote', { code: '69.921', text: 'Проверить лицензию' });
    await core.call('catalogue.setInForce', { editionId: '2024-090-kk', inForceFrom: '2024-11-20', reason: 'опубликован 2024-11-09' });
    expect((await core.call('catalogue.show', { code: '69.921', on: '2024-12-01' })).nameSource.ru).toEqual({ kind: 'local', id: tr.id });
    // A changed data set arrives (as a catalogue-update bundle would bring it).
    const changed = withSyntheticEdition(shipped());
    const r = loadCatalogue(core.db, changed, { source: 'bundle-test' });
    expect(r.changed).toBe(true);
    core.close();
    core = createCore({ dataDir: dir });
    try {
      const show = await core.call('catalogue.show', { code: '69.921', on: '2024-12-01' });
      expect(show.translations.map((t) => t.text)).toEqual(['ЭКО, длинный протокол']);
      expect(show.names.ru).toBe('ЭКО, длинный протокол');
      expect(show.localNotes.map((n) => n.text)).toEqual(['Проверить лицензию']);
      const eds = (await core.call('catalogue.editions', {})).editions;
      expect(eds.map((e) => e.id)).toEqual(['2024-090-kk', '2025-103-ru', '2026-999-ru']);
      expect(eds[0]!.inForceFrom).toBe('2024-11-20');
      expect(eds[0]!.inForceShipped).toBe('2024-11-16');
      expect(eds[0]!.inForceEdited?.reason).toBe('опубликован 2024-11-09');
      // The edited date decides the edition in force.
      expect(catalogueLookup(core.context).lookup('69.921', '2024-11-18').editionId).toBeNull();
      expect(catalogueLookup(core.context).lookup('69.921', '2024-11-20')).toMatchObject({ editionId: '2024-090-kk', inForce: true, sections: [3] });
      // Writes went through the Store (audited).
      const logged = core.db.prepare("SELECT DISTINCT table_name FROM change_log WHERE table_name LIKE 'catalogue_%' ORDER BY 1").all();
      expect(logged).toEqual([{ table_name: 'catalogue_edition_dates' }, { table_name: 'catalogue_notes' }, { table_name: 'catalogue_translations' }]);
    } finally {
      core.close();
    }
  });

  it('reloads the shipped data when the build ships different assets (hash changes)', () => {
    const core = tempCore();
    catalogueLookup(core.context).lookup('35.21', '2025-12-01');
    core.db.prepare("UPDATE catalogue_info SET value = 'old' WHERE key IN ('shipped_hash', 'data_hash')").run();
    const count = () => (core.db.prepare("SELECT count(*) AS n FROM catalogue_entries WHERE code = '35.21'").get() as { n: number }).n;
    const before = count();
    core.db.prepare("DELETE FROM catalogue_entries WHERE code = '35.21'").run();
    const fresh = openDatabase(core.databaseFile);
    try {
      const r = ensureShippedCatalogue(fresh);
      expect(r?.changed).toBe(true);
    } finally {
      fresh.close();
    }
    expect(before).toBeGreaterThan(0);
    expect(count()).toBe(before);
  });

  it('gives back the loaded data as a data object the loader accepts (for catalogue-update bundles)', () => {
    const core = tempCore();
    catalogueLookup(core.context).lookup('35.21', '2025-12-01');
    const current = currentCatalogueData(core.db);
    const original = shipped();
    expect(current.editions.map((e) => e.id)).toEqual(original.editions.map((e) => e.id));
    expect(current.editions).toEqual(original.editions);
    expect(current.characteristics?.entries).toEqual(original.characteristics?.entries);
    expect(current.characteristics?.footnotes).toEqual(original.characteristics?.footnotes);
    const next = withSyntheticEdition(current);
    expect(loadCatalogue(core.db, next).changed).toBe(true);
    expect(catalogueLookup(core.context).lookup('99.999', '2026-03-02')).toMatchObject({ inForce: true, editionId: '2026-999-ru' });
  });

  it('only a chosen in-force date can be edited; reset returns to the shipped date', async () => {
    const core = tempCore();
    await expect(core.call('catalogue.setInForce', { editionId: '2025-103-ru', inForceFrom: '2025-11-01' })).rejects.toMatchObject({ code: 'catalogue.in_force_not_editable' });
    await core.call('catalogue.setInForce', { editionId: '2024-090-kk', inForceFrom: '2024-12-01' });
    expect(catalogueLookup(core.context).lookup('35.21', '2024-11-20').editionId).toBeNull();
    const back = await core.call('catalogue.setInForce', { editionId: '2024-090-kk', inForceFrom: null });
    expect(back.inForceFrom).toBe('2024-11-16');
    expect(back.inForceEdited).toBeNull();
    expect(catalogueLookup(core.context).lookup('35.21', '2024-11-20').editionId).toBe('2024-090-kk');
  });
});

describe('catalogueLookup', () => {
  it('answers known/in force/sections/edition for a code on a date', () => {
    const l = catalogueLookup(tempCore().context);
    expect(l.lookup('55.62', '2025-12-01')).toEqual({ known: true, inForce: true, sections: [1, 3], editionId: '2025-103-ru' });
    expect(l.lookup('69.921', '2025-12-01')).toEqual({ known: true, inForce: false, sections: [], editionId: '2025-103-ru' });
    expect(l.lookup('69.921', '2025-01-10')).toEqual({ known: true, inForce: true, sections: [3], editionId: '2024-090-kk' });
    expect(l.lookup('35.210', '2025-12-01')).toEqual({ known: false, inForce: false, sections: [], editionId: '2025-103-ru' });
    expect(l.lookup('35.21', '2024-01-01')).toEqual({ known: true, inForce: false, sections: [], editionId: null });
    // The day an edition comes into force belongs to it.
    expect(l.lookup('35.21', '2025-10-01').editionId).toBe('2025-103-ru');
    expect(l.lookup('35.21', '2025-09-30').editionId).toBe('2024-090-kk');
  });

  it('gives names per language with their source, never invented', () => {
    const l = catalogueLookup(tempCore().context);
    const both = l.names('55.62', '2025-12-01');
    expect(both.ru?.source).toEqual({ kind: 'edition', id: '2025-103-ru' });
    expect(both.kk?.source).toEqual({ kind: 'edition', id: '2024-090-kk' });
    // A code only in the Kazakh 2024 edition has no Russian name.
    const kkOnly = l.names('69.921', '2025-01-10');
    expect(kkOnly.kk?.text).toMatch(/экстракорпоралдық/);
    expect(kkOnly.ru).toBeNull();
    // A code added in 2025 (Russian only) has no Kazakh name unless the characteristics carry one.
    const added = l.names('92.330.001', '2025-12-01');
    expect(added.ru?.text).toBe('Протонная терапия (1 сеанс)');
    expect(added.kk).toBeNull();
    expect(l.names('00.00', '2025-12-01')).toEqual({ kk: null, ru: null });
  });

  it('takes a Kazakh name from the characteristics when no edition has one', () => {
    const core = tempCore();
    const data = clone(shipped());
    const ch = data.characteristics!.entries[0]!;
    for (const e of data.editions) if (e.languages[0] === 'kk') for (const s of e.sections) s.entries = s.entries.filter((x) => x.code !== ch.code);
    loadCatalogue(core.db, data);
    const n = catalogueLookup(core.context).names(ch.code, '2025-12-01');
    expect(n.kk).toEqual({ text: ch.name.kk, source: { kind: 'characteristics', id: 'dsm-238-app2' } });
  });

  it('is cached, invalidated by writes on this connection and by other connections', async () => {
    const core = tempCore();
    const l = catalogueLookup(core.context);
    expect(l.names('92.330.001', '2025-12-01').kk).toBeNull();
    await core.call('catalogue.saveTranslation', { code: '92.330.001', lang: 'kk', text: 'Протондық терапия (1 сеанс)' });
    expect(l.names('92.330.001', '2025-12-01').kk?.source.kind).toBe('local');
    // Another connection (e.g. the CLI next to the app) edits the date.
    const other = createCore({ dataDir: core.dataDir });
    try {
      await other.call('catalogue.setInForce', { editionId: '2024-090-kk', inForceFrom: '2024-12-01' });
    } finally {
      other.close();
    }
    expect(l.lookup('35.21', '2024-11-20').editionId).toBeNull();
  });

  it('answers from one cached model: the model is built once, not per lookup (speed: npm run bench)', () => {
    const core = tempCore();
    const l = catalogueLookup(core.context);
    l.lookup('35.21', '2025-12-01');
    const model = catalogueModel(core.context);
    for (let i = 0; i < 1_000; i++) {
      expect(l.lookup('35.21', '2025-12-01').inForce).toBe(true);
      l.names('55.62', '2024-12-01');
    }
    expect(catalogueModel(core.context)).toBe(model);
  });
});

describe('show, search and diff', () => {
  it('show: names filled from another edition per section, with sources; history of every edition', async () => {
    const core = tempCore();
    const s = await core.call('catalogue.show', { code: '55.62', on: '2025-12-01' });
    expect(s.sections.map((x) => x.section)).toEqual([1, 3]);
    expect(s.history.map((h) => h.sections.map((x) => x.section))).toEqual([[1, 3], [1, 3]]);
    // The 2025 text names 55.62 differently in sections 1 and 3.
    expect(s.sections[0]!.name.ru).not.toBeNull();
    for (const sec of s.sections) expect(sec.nameSource.kk?.id).toBe('2024-090-kk');
    await expect(core.call('catalogue.show', { code: '35.210' })).rejects.toMatchObject({ code: 'catalogue.unknown_code' });
    await expect(core.call('catalogue.show', { code: '35.21', on: '2024-01-01' })).rejects.toMatchObject({ code: 'catalogue.no_edition' });
  });

  it('search: covers the codes in force on the date, section filter, edition override, empty query lists', async () => {
    const core = tempCore();
    const on2025 = await core.call('catalogue.search', { query: 'экстракорпоралдык', on: '2025-12-01' });
    expect(on2025.results).toEqual([]);
    const on2024 = await core.call('catalogue.search', { query: 'экстракорпоралдык', on: '2025-01-10' });
    expect(on2024.results.map((r) => r.code)).toContain('69.921');
    const byEdition = await core.call('catalogue.search', { query: 'экстракорпоралдык', editionId: '2024-090-kk' });
    expect(byEdition.edition.id).toBe('2024-090-kk');
    expect(byEdition.results.length).toBeGreaterThan(0);
    const s2 = await core.call('catalogue.search', { query: '', on: '2025-12-01', section: 2 });
    expect(s2.results).toHaveLength(7);
    expect(s2.results.every((r) => r.sections.every((x) => x.section === 2) && r.match === 'list')).toBe(true);
    const all = await core.call('catalogue.search', { query: '', on: '2025-12-01' });
    expect(all.results.length).toBe(new Set(all.results.map((r) => r.code)).size);
    const code = await core.call('catalogue.search', { query: '81.0', on: '2025-12-01' });
    expect(code.results.length).toBeGreaterThan(0);
    expect(code.results.every((r) => r.code.startsWith('81.0') && r.match === 'codePrefix')).toBe(true);
  });

  it('search: several words — full results first, partial ones marked with the words they lack, a lost word named', async () => {
    const core = tempCore();
    const r = await core.call('catalogue.search', { query: 'кохлеарная имплантация', on: '2025-12-01' });
    expect(r.words.map((w) => [w.word, w.found, w.foundElsewhere])).toEqual([
      ['кохлеарная', false, false],
      ['имплантация', true, false],
    ]);
    expect(r.counts.full).toBe(0);
    expect(r.counts.partial).toBe(r.results.length);
    expect(r.results.length).toBeGreaterThan(5);
    expect(r.results.every((x) => x.partial && x.missing.join() === 'кохлеарная')).toBe(true);
    const t = await core.call('catalogue.search', { query: 'трансплантация печени от посмертного донора', on: '2025-12-01' });
    expect(t.results[0]).toMatchObject({ code: '50.52', partial: false, missing: [] });
    expect(t.results.slice(1).every((x) => x.partial)).toBe(true);
    expect(t.counts.full).toBe(1);
    expect(t.words.find((w) => w.word === 'от')?.optional).toBe(true);
  });

  it('search: codes typed without dots, with a comma or spaces', async () => {
    const core = tempCore();
    for (const [q, code] of [
      ['3751', '37.51'],
      ['37,51', '37.51'],
      ['81 53', '81.53'],
      ['54970059', '54.970.059'],
    ]) {
      const r = await core.call('catalogue.search', { query: q!, on: '2025-12-01' });
      expect(r.results[0], q).toMatchObject({ code, match: 'code', partial: false });
    }
  });

  it('search: word forms are forms, a typo is labelled with what it was read as', async () => {
    const core = tempCore();
    const forms = await core.call('catalogue.search', { query: 'сердце', on: '2025-12-01' });
    expect(forms.results.map((x) => x.code)).toEqual(expect.arrayContaining(['33.6', '37.51', '37.32']));
    expect(forms.results.every((x) => x.match !== 'fuzzy' && x.typos.length === 0)).toBe(true);
    expect(forms.results.find((x) => x.code === '37.51')!.match).toBe('form');
    const kk = await core.call('catalogue.search', { query: 'жүректі', on: '2025-12-01' });
    expect(kk.results.find((x) => x.code === '37.32')!.match).toBe('form');
    const typo = await core.call('catalogue.search', { query: 'трансплантацыя почки', on: '2025-12-01' });
    expect(typo.results[0]).toMatchObject({ code: '55.62', match: 'fuzzy', typos: [{ word: 'трансплантацыя', as: 'трансплантация' }] });
  });

  it('search: a technology no longer on the list is shown as such (ЭКО after 2025-10-01), never an empty answer', async () => {
    const core = tempCore();
    const r = await core.call('catalogue.search', { query: 'ЭКО', on: '2025-12-01' });
    expect(r.results).toEqual([]);
    expect(r.words).toEqual([{ word: 'ЭКО', optional: false, found: false, foundElsewhere: true, abbreviation: { kk: 'экстракорпоралдық ұрықтандыру', ru: 'экстракорпоральное оплодотворение' } }]);
    expect(r.elsewhere.map((x) => x.code)).toEqual(['69.921', '69.922', '69.923', '69.924']);
    expect(r.elsewhere[0]).toMatchObject({
      status: 'removed',
      since: '2025-10-01',
      listed: [{ edition: { id: '2024-090-kk' }, from: '2024-11-16', to: '2025-09-30', sections: [3] }],
    });
    // Before 2025-10-01 the same codes are in force.
    const before = await core.call('catalogue.search', { query: 'ЭКО', on: '2025-01-10' });
    expect(before.results.map((x) => x.code)).toEqual(['69.921', '69.922', '69.923', '69.924']);
    expect(before.results[0]!.match).toBe('abbr');
    expect(before.elsewhere).toEqual([]);
    // A code of a later edition while an earlier one is in force; another section with a filter.
    const later = await core.call('catalogue.search', { query: 'протонная терапия', on: '2025-01-10' });
    expect(later.elsewhere[0]).toMatchObject({ code: '92.330.001', status: 'later', since: '2025-10-01' });
    expect(later.elsewhere[0]!.listed[0]).toMatchObject({ edition: { id: '2025-103-ru' }, to: null });
    const section = await core.call('catalogue.search', { query: 'трансплантация сердца', on: '2025-12-01', section: 1 });
    expect(section.elsewhere.find((x) => x.code === '37.51')).toMatchObject({ status: 'otherSection', sections: [3] });
  });

  it('search: the edition in force on the date is named even while another edition is browsed', async () => {
    const core = tempCore();
    const browsing = await core.call('catalogue.search', { query: '', on: '2025-12-01', editionId: '2024-090-kk' });
    expect(browsing.edition.id).toBe('2024-090-kk');
    expect(browsing.inForce?.id).toBe('2025-103-ru');
    const byDate = await core.call('catalogue.search', { query: 'сердце', on: '2025-01-10' });
    expect([byDate.edition.id, byDate.inForce?.id]).toEqual(['2024-090-kk', '2024-090-kk']);
    const early = await core.call('catalogue.search', { query: '', on: '2020-01-01', editionId: '2024-090-kk' });
    expect(early.inForce).toBeNull();
  });

  it('diff: renamed where both editions carry the language (synthetic edition)', async () => {
    const core = tempCore();
    const data = withSyntheticEdition(shipped()) as CatalogueData & { dropped: string; renamedCode: string };
    loadCatalogue(core.db, data);
    const d = await core.call('catalogue.diff', { from: '2025-103-ru', to: '2026-999-ru' });
    expect(d.sharedLanguages).toEqual(['ru']);
    expect(d.renamed).toEqual([{ section: 1, code: data.renamedCode, lang: 'ru', from: expect.any(String), to: 'Новое наименование' }]);
    expect(d.added).toEqual([{ section: 1, code: '99.999', position: 99, name: 'Новая технология', lang: 'ru' }]);
    expect(d.removed.map((x) => [x.section, x.code])).toEqual([[1, data.dropped]]);
    const none = await core.call('catalogue.diff', { from: '2025-103-ru', to: '2025-103-ru' });
    expect([none.added, none.removed, none.renamed]).toEqual([[], [], []]);
    const cross = await core.call('catalogue.diff', { from: '2024-090-kk', to: '2025-103-ru' });
    expect(cross.sharedLanguages).toEqual([]);
    expect(cross.renamed).toEqual([]);
  });
});

describe('migration 0002', () => {
  it('migrates a version-1 database to the catalogue schema and loads the data', () => {
    const file = path.join(tempDir(), 'htmp.sqlite');
    const db = openDatabase(file);
    migrate(db, migrations.slice(0, 1));
    db.prepare("INSERT INTO meta (key, value) VALUES ('installation_id', 'test-install')").run();
    expect(migrate(db, migrations.slice(0, 2))).toEqual({ from: 1, to: 2 });
    const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'catalogue_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(['catalogue_characteristics', 'catalogue_edition_dates', 'catalogue_editions', 'catalogue_entries', 'catalogue_info', 'catalogue_notes', 'catalogue_translations']);
    for (const t of ['catalogue_translations', 'catalogue_notes', 'catalogue_edition_dates']) {
      const sql = (db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').get(t) as { sql: string }).sql;
      expect(sql).toMatch(/STRICT/);
      expect(sql).toMatch(/id TEXT PRIMARY KEY/);
      expect(sql).toMatch(/created_at/);
      expect(sql).toMatch(/updated_at/);
    }
    db.close();
    const core = createCore({ dataDir: path.dirname(file) });
    try {
      expect(core.installationId).toBe('test-install');
      expect(catalogueLookup(core.context).lookup('00.50', '2025-12-01').inForce).toBe(true);
    } finally {
      core.close();
    }
  });

  it('the shipped assets exist where the loader reads them', () => {
    expect(fs.existsSync(path.join(process.cwd(), 'assets', 'catalogue', 'characteristics.json'))).toBe(true);
  });
});
