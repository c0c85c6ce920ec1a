import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/run';
import { tempDir } from '../../support/temp';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: {} });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, unknown> };
}

describe('htmp catalogue', () => {
  const dir = tempDir('htmp-cat-cli-');

  it('editions --json follows the contract, one JSON document', async () => {
    const r = await cli(['catalogue', 'editions', '--json', '--data-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.json()).toEqual({
      editions: [
        { id: '2024-090-kk', order: '90', orderDate: '2024-11-01', inForceFrom: '2024-11-16', languages: ['kk'] },
        { id: '2025-103-ru', order: '103', orderDate: '2025-10-01', inForceFrom: '2025-10-01', languages: ['ru'] },
      ],
    });
  });

  it('show CODE --on DATE --json: edition on the date, sections, names from any edition, history, characteristics', async () => {
    const r = await cli(['catalogue', 'show', '55.62', '--on', '2025-12-01', '--json', '--data-dir', dir]);
    expect(r.code).toBe(0);
    const j = r.json() as any;
    expect(j.code).toBe('55.62');
    expect(j.inForce).toBe(true);
    expect(j.edition.id).toBe('2025-103-ru');
    expect(j.sections.map((s: any) => s.section)).toEqual([1, 3]);
    for (const s of j.sections) {
      expect(typeof s.position).toBe('number');
      expect(s.name.ru).toMatch(/почки/i);
      expect(s.nameSource.ru).toEqual({ kind: 'edition', id: '2025-103-ru' });
      expect(s.nameSource.kk).toEqual({ kind: 'edition', id: '2024-090-kk' });
    }
    expect(j.history.map((h: any) => h.edition)).toEqual(['2024-090-kk', '2025-103-ru']);
    expect(j.history[0].sections[0].name.ru).toBeNull();
    expect(j.characteristics === null || typeof j.characteristics.kind === 'string').toBe(true);
  });

  it('show: a code with characteristics carries staff, devices and the footnote', async () => {
    const r = await cli(['catalogue', 'show', '69.921', '--on', '2025-01-01', '--json', '--data-dir', dir]);
    const j = r.json() as any;
    expect(j.inForce).toBe(true);
    expect(j.edition.id).toBe('2024-090-kk');
    expect(j.characteristics.kind).toBe('main');
    expect(j.characteristics.name.kk).toMatch(/экстракорпоралдық/);
    expect(j.characteristics.staff.text).toMatch(/Акушерлік/);
    expect(j.characteristics.devices.items.length).toBeGreaterThan(3);
    expect(j.characteristics.notes[0].mark).toBe('*');
    expect(j.characteristics.notes[0].text.kk).toMatch(/300 цикл/);
  });

  it('an unknown code and a date before every edition exit 2 with their codes', async () => {
    const u = await cli(['catalogue', 'show', '35.210', '--json', '--data-dir', dir]);
    expect(u.code).toBe(2);
    expect(u.json()).toMatchObject({ error: { code: 'catalogue.unknown_code' } });
    const n = await cli(['catalogue', 'show', '35.21', '--on', '2020-01-01', '--json', '--data-dir', dir]);
    expect(n.code).toBe(2);
    expect(n.json()).toMatchObject({ error: { code: 'catalogue.no_edition' } });
    const s = await cli(['catalogue', 'search', 'клапан', '--on', '2020-01-01', '--json', '--data-dir', dir]);
    expect(s.code).toBe(2);
    expect(s.json()).toMatchObject({ error: { code: 'catalogue.no_edition' } });
    const ru = await cli(['catalogue', 'show', '35.210', '--lang', 'ru', '--data-dir', dir]);
    expect(ru.stderr).toMatch(/Код 35\.210 не найден/);
    const kk = await cli(['catalogue', 'show', '35.210', '--lang', 'kk', '--data-dir', dir]);
    expect(kk.stderr).toMatch(/35\.210 коды/);
  });

  it('search --json: best first, exact code first, typo and Kazakh letters typed in Russian', async () => {
    const code = await cli(['catalogue', 'search', '35.21', '--on', '2025-12-01', '--json', '--data-dir', dir]);
    const results = (code.json() as any).results;
    expect(results[0].code).toBe('35.21');
    expect(results[0]).toHaveProperty('name.kk');
    expect(results[0]).toHaveProperty('name.ru');
    expect(Array.isArray(results[0].sections)).toBe(true);
    const mixed = await cli(['catalogue', 'search', 'журек', 'аневризмасын', '--on', '2025-12-01', '--limit', '3', '--json', '--data-dir', dir]);
    expect((mixed.json() as any).results[0].code).toBe('37.32');
    expect((mixed.json() as any).results.length).toBeLessThanOrEqual(3);
    const typo = await cli(['catalogue', 'search', 'трансплантацыя почки', '--on', '2025-12-01', '--json', '--data-dir', dir]);
    expect((typo.json() as any).results[0].code).toBe('55.62');
    expect((typo.json() as any).results[0].typos).toEqual([{ word: 'трансплантацыя', as: 'трансплантация' }]);
    const dotless = await cli(['catalogue', 'search', '3751', '--on', '2025-12-01', '--json', '--data-dir', dir]);
    expect((dotless.json() as any).results[0]).toMatchObject({ code: '37.51', match: 'code' });
    const partial = await cli(['catalogue', 'search', 'кохлеарная имплантация', '--on', '2025-12-01', '--json', '--data-dir', dir]);
    const pj = partial.json() as any;
    expect(pj.words[0]).toMatchObject({ word: 'кохлеарная', found: false });
    expect(pj.results[0]).toMatchObject({ partial: true, missing: ['кохлеарная'] });
    expect(pj.counts).toEqual({ full: 0, partial: pj.results.length });
    const eco = await cli(['catalogue', 'search', 'ЭКО', '--on', '2025-12-01', '--json', '--data-dir', dir]);
    expect((eco.json() as any).elsewhere[0]).toEqual({
      code: '69.921',
      name: { kk: 'Классикалық экстракорпоралдық ұрықтандыру, ұзақ хаттама', ru: null },
      status: 'removed',
      since: '2025-10-01',
      listed: [{ edition: '2024-090-kk', from: '2024-11-16', to: '2025-09-30', sections: [3] }],
      sections: [],
    });
    const bad = await cli(['catalogue', 'search', 'x', '--limit', 'many', '--json', '--data-dir', dir]);
    expect(bad.code).toBe(2);
  });

  it('diff --json: added/removed per section; renamed empty between editions in different languages', async () => {
    const r = await cli(['catalogue', 'diff', '2024-090-kk', '2025-103-ru', '--json', '--data-dir', dir]);
    expect(r.code).toBe(0);
    const j = r.json() as any;
    expect(Object.keys(j).sort()).toEqual(['added', 'from', 'namesCompared', 'removed', 'renamed', 'sharedLanguages', 'to']);
    // The two editions share no language: `renamed` is empty because no name could be compared.
    expect(j).toMatchObject({ from: '2024-090-kk', to: '2025-103-ru', sharedLanguages: [], namesCompared: false });
    expect(j.renamed).toEqual([]);
    expect(j.added).toContainEqual({ section: 2, code: '92.330.001' });
    const same = (await cli(['catalogue', 'diff', '2024-090-kk', '2024-090-kk', '--json', '--data-dir', dir])).json() as any;
    expect(same).toMatchObject({ sharedLanguages: ['kk'], namesCompared: true, renamed: [], added: [], removed: [] });
    // Section counts: 25/8/75 -> 24/7/69.
    const net = (s: number) => j.added.filter((x: any) => x.section === s).length - j.removed.filter((x: any) => x.section === s).length;
    expect([net(1), net(2), net(3)]).toEqual([-1, -1, -6]);
    const unknown = await cli(['catalogue', 'diff', '2024-090-kk', 'nope', '--json', '--data-dir', dir]);
    expect(unknown.code).toBe(2);
    expect(unknown.json()).toMatchObject({ error: { code: 'catalogue.unknown_edition' } });
  });

  it('human output in kk and ru', async () => {
    const ru = await cli(['catalogue', 'show', '69.921', '--on', '2025-12-01', '--lang', 'ru', '--data-dir', dir]);
    expect(ru.code).toBe(0);
    expect(ru.stdout).toMatch(/нет текста на русском/);
    expect(ru.stdout).toMatch(/Код не входит в редакцию, действующую на 2025-12-01/);
    const kk = await cli(['catalogue', 'editions', '--lang', 'kk', '--data-dir', dir]);
    expect(kk.stdout).toMatch(/2024-11-01 № 90 бұйрық/);
    expect(kk.stdout).toMatch(/күні таңдалған/);
    const diff = await cli(['catalogue', 'diff', '2024-090-kk', '2025-103-ru', '--lang', 'ru', '--data-dir', dir]);
    expect(diff.stdout).toMatch(/разных языках/);
    expect(diff.stdout).toMatch(/\+ 92\.330\.001/);
    const search = await cli(['catalogue', 'search', 'жүрек', '--on', '2025-12-01', '--lang', 'kk', '--data-dir', dir]);
    expect(search.stdout).toMatch(/37\.32/);
    const lost = await cli(['catalogue', 'search', 'кохлеарная имплантация', '--on', '2025-12-01', '--lang', 'ru', '--data-dir', dir]);
    expect(lost.stdout).toMatch(/Слово «кохлеарная» не найдено ни в одном наименовании/);
    expect(lost.stdout).toMatch(/частично: нет слова «кохлеарная»/);
    const eco = await cli(['catalogue', 'search', 'ЭКО', '--on', '2025-12-01', '--lang', 'kk', '--data-dir', dir]);
    expect(eco.stdout).toMatch(/2025-12-01 күні қолданыстағы редакцияда жоқ/);
    expect(eco.stdout).toMatch(/69\.921 .*2025-10-01 бастап тізбеде жоқ/);
    const ecoRu = await cli(['catalogue', 'search', 'ЭКО', '--on', '2025-12-01', '--lang', 'ru', '--data-dir', dir]);
    expect(ecoRu.stdout).toMatch(/С 2025-10-01 в перечне нет; был в перечне по приказу № 90 от 2024-11-01 \(редакция действовала с 2024-11-16 по 2025-09-30\)/);
  });
});
