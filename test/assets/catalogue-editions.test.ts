// Pins the HTMP list editions (appendix 2 of order ҚР ДСМ-134/2020) to the legal texts.
// Any change of the data in assets/catalogue/editions must show up here as a visible diff.
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Entry {
  position: number;
  code: string;
  name: string;
}
interface Section {
  section: number;
  title: Record<string, string>;
  entries: Entry[];
}
interface Edition {
  id: string;
  order: { number: string; date: string; title: Record<string, string> };
  registration: { number: string; date: string } | null;
  inForceFrom: string;
  inForceNote: { kk: string; ru: string };
  inForceChosen: boolean;
  languages: string[];
  notes: { kk: string; ru: string }[];
  source: { file: string; sha256: string };
  sections: Section[];
}
interface Correction {
  edition: string;
  section: number;
  code: string;
  field: string;
  from: string;
  to: string;
  reason: string;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const editionsDir = join(repoRoot, 'assets', 'catalogue', 'editions');
const scriptPath = join(repoRoot, 'scripts', 'catalogue', 'extract-list.mjs');
const seedsDir = resolve(repoRoot, '..', 'shared', 'seeds');
const seedsPresent = existsSync(join(seedsDir, '000_caa82e6a75477e6d.txt')) && existsSync(join(seedsDir, '001_96c360b6f67b2914.txt'));

const EDITION_IDS = ['2024-090-kk', '2025-103-ru'] as const;
type EditionId = (typeof EDITION_IDS)[number];

function load(id: EditionId): Edition {
  return JSON.parse(readFileSync(join(editionsDir, `${id}.json`), 'utf8')) as Edition;
}
const editions: Record<EditionId, Edition> = { '2024-090-kk': load('2024-090-kk'), '2025-103-ru': load('2025-103-ru') };

function section(id: EditionId, n: number): Section {
  const s = editions[id].sections.find((x) => x.section === n);
  if (!s) throw new Error(`${id}: no section ${n}`);
  return s;
}
function nameOf(id: EditionId, n: number, code: string): string | undefined {
  return section(id, n).entries.find((e) => e.code === code)?.name;
}
function codes(id: EditionId, n: number): string[] {
  return section(id, n).entries.map((e) => e.code);
}

/** Every code of every section, in order, as the texts list them. */
const EXPECTED_CODES: Record<EditionId, Record<1 | 2 | 3, string[]>> = {
  '2024-090-kk': {
    1: [
      '00.50', '39.65', '35.84', '35.23', '35.21', '35.82', '37.94', '37.66', '35.33', '81.042',
      '39.72', '00.65', '02.93', '03.7992', '03.7993', '81.073', '81.062', '81.041', '81.53', '81.55',
      '50.52', '55.62', '50.59', '86.66', '52.53',
    ],
    2: ['92.291', '92.321', '92.201', '92.202', '92.247', '92.203', '54.970.059', '86.310.058'],
    3: [
      '00.50', '00.51', '00.65', '00.93', '01.53', '02.93', '03.7992', '03.7993', '03.93', '20.95',
      '33.5', '33.6', '35.05', '35.11', '35.12', '35.121', '35.14', '35.21', '35.23', '35.33',
      '35.55', '35.82', '35.83', '35.84', '35.91', '35.9900', '35.991', '36.1000', '36.16', '37.32',
      '37.35', '37.36', '37.51', '37.66', '37.76', '37.94', '37.941', '37.96', '38.12', '38.34',
      '38.341', '39.28', '39.591', '39.65', '39.72', '39.73', '39.731', '41.01', '41.04', '41.05',
      '41.06', '41.10', '50.52', '50.59', '52.53', '52.80', '55.5016', '55.62', '56.7404', '63.8301',
      '69.921', '69.922', '69.923', '69.924', '78.191', '81.041', '81.042', '81.062', '81.073', '81.53',
      '81.55', '81.9610', '86.66', '99.791', '92.291',
    ],
  },
  '2025-103-ru': {
    1: [
      '00.50', '35.84', '35.23', '35.21', '35.82', '37.94', '37.66', '35.33', '81.042', '39.72',
      '00.65', '02.93', '03.7992', '03.7993', '81.073', '81.062', '81.041', '81.53', '81.55', '50.52',
      '55.62', '50.59', '86.66', '52.53',
    ],
    2: ['92.321', '92.201', '92.202', '92.203', '54.970.059', '86.310.058', '92.330.001'],
    3: [
      '00.50', '00.51', '00.65', '00.93', '01.53', '02.93', '03.7992', '03.7993', '03.93', '20.95',
      '33.5', '33.6', '35.05', '35.11', '35.12', '35.121', '35.14', '35.21', '35.23', '35.33',
      '35.55', '35.82', '35.83', '35.84', '35.91', '35.9900', '35.991', '36.1000', '36.16', '37.32',
      '37.35', '37.36', '37.51', '37.66', '37.76', '37.94', '37.941', '37.96', '38.12', '38.34',
      '38.341', '39.28', '39.591', '39.72', '39.73', '39.731', '41.01', '41.04', '41.05', '41.06',
      '41.10', '50.52', '50.59', '52.53', '52.80', '55.5016', '55.62', '56.7404', '63.8301', '78.191',
      '81.041', '81.042', '81.062', '81.073', '81.53', '81.55', '81.9610', '86.66', '99.791',
    ],
  },
};

/** Codes as the texts write them: 33.5 (one digit), 35.21, 03.7992, 35.9900, 54.970.059. */
const CODE_RE = /^\d{2}\.\d{1,4}(\.\d{3})?$/;

describe('HTMP list editions: metadata', () => {
  it('has exactly the two editions of the sources', () => {
    expect(Object.keys(editions).sort()).toEqual([...EDITION_IDS]);
    for (const id of EDITION_IDS) expect(editions[id].id).toBe(id);
  });

  it('order No. 90 of 01.11.2024: Kazakh, registered 04.11.2024 No. 35327, in-force date chosen', () => {
    const e = editions['2024-090-kk'];
    expect(e.order.number).toBe('90');
    expect(e.order.date).toBe('2024-11-01');
    expect(e.order.title.kk).toMatch(/^"Жоғары технологиялық медициналық көмек түрлерін айқындау тәртібін/);
    expect(e.order.title.kk).toMatch(/№ ҚР ДСМ-134\/2020 бұйрығына өзгеріс енгізу туралы$/);
    expect(e.registration).toEqual({ number: '35327', date: '2024-11-04' });
    expect(e.languages).toEqual(['kk']);
    expect(e.inForceChosen).toBe(true);
    expect(e.inForceFrom).toBe('2024-11-16');
    expect(e.inForceFrom > e.registration!.date).toBe(true);
    // Notes shown to the user are in Kazakh and Russian, each quoting the text it is about.
    for (const lang of ['kk', 'ru'] as const) expect(e.inForceNote[lang]).toContain('күнтізбелік он күн өткен соң қолданысқа енгізіледі');
    expect(e.source.file).toBe('001_96c360b6f67b2914.txt');
  });

  it('order No. 103 of 01.10.2025: Russian, in force 01.10.2025 as the text says, note on order No. 143', () => {
    const e = editions['2025-103-ru'];
    expect(e.order.number).toBe('103');
    expect(e.order.date).toBe('2025-10-01');
    expect(e.order.title).toEqual({});
    expect(e.registration).toBeNull();
    expect(e.languages).toEqual(['ru']);
    expect(e.inForceChosen).toBe(false);
    expect(e.inForceFrom).toBe('2025-10-01');
    for (const lang of ['kk', 'ru'] as const) {
      expect(e.inForceNote[lang]).toContain('от 01.10.2025 № 103 (вводится в действие с 01.10.2025)');
      expect(e.notes.some((n) => n[lang].includes('143') && n[lang].includes('14.11.2025'))).toBe(true);
    }
    expect(e.source.file).toBe('000_caa82e6a75477e6d.txt');
  });

  it('section titles are in the edition language and name the funding channel', () => {
    expect(section('2025-103-ru', 1).title.ru).toMatch(/при экстренной госпитализации$/);
    expect(section('2025-103-ru', 2).title.ru).toMatch(/гарантированного объема .* обязательного социального медицинского страхования при плановой госпитализации$/);
    expect(section('2025-103-ru', 3).title.ru).toBe('Виды высокотехнологичной медицинской помощи в системе обязательного социального медицинского страхования при плановой госпитализации');
    expect(section('2024-090-kk', 1).title.kk).toMatch(/^Шұғыл емдеуге жатқызу кезінде тегін медициналық көмектің кепілдік берілген көлемі/);
    expect(section('2024-090-kk', 2).title.kk).toMatch(/^Жоспарлы емдеуге жатқызу кезіндегі тегін .* және міндетті әлеуметтік медициналық сақтандыру жүйесінде/);
    expect(section('2024-090-kk', 3).title.kk).toMatch(/^Жоспарлы емдеуге жатқызу кезіндегі міндетті әлеуметтік медициналық сақтандыру жүйесінде/);
  });
});

describe('HTMP list editions: structure', () => {
  it('counts per section', () => {
    const counts = (id: EditionId) => editions[id].sections.map((s) => [s.section, s.entries.length]);
    expect(counts('2024-090-kk')).toEqual([[1, 25], [2, 8], [3, 75]]);
    expect(counts('2025-103-ru')).toEqual([[1, 24], [2, 7], [3, 69]]);
  });

  for (const id of EDITION_IDS) {
    for (const n of [1, 2, 3] as const) {
      it(`${id} section ${n}: the full ordered list of codes`, () => {
        expect(codes(id, n)).toEqual(EXPECTED_CODES[id][n]);
      });
    }

    it(`${id}: positions 1..N without gaps, codes well formed and unique per section, names non-empty and clean`, () => {
      for (const s of editions[id].sections) {
        expect(s.entries.map((e) => e.position)).toEqual(s.entries.map((_, i) => i + 1));
        expect(new Set(s.entries.map((e) => e.code)).size).toBe(s.entries.length);
        for (const e of s.entries) {
          expect(typeof e.code).toBe('string');
          expect(e.code).toMatch(CODE_RE);
          expect(e.name.trim()).not.toBe('');
          expect(e.name).toBe(e.name.trim());
          expect(e.name).not.toMatch(/\s{2}|\n|\t/);
          expect(e.name).not.toMatch(/QR-код|ЭКБ НПА/);
          // no leftovers of letters spaced out by the PDF ("қ о л д а н у")
          expect(e.name).not.toMatch(/(^|\s)\p{L} \p{L} \p{L}(\s|$)/u);
          expect(e.name).not.toMatch(/\( | \)/);
        }
      }
    });
  }

  it('keeps codes as strings with their zeros', () => {
    expect(codes('2025-103-ru', 3)).toContain('35.9900');
    expect(codes('2025-103-ru', 3)).toContain('36.1000');
    expect(codes('2025-103-ru', 3)).toContain('41.10');
    expect(codes('2025-103-ru', 3)).toContain('33.5');
    expect(codes('2025-103-ru', 3)).toContain('52.80');
    expect(codes('2024-090-kk', 3)).toContain('81.9610');
    expect(codes('2025-103-ru', 3)).not.toContain('35.99');
  });
});

describe('HTMP list editions: differences between the editions', () => {
  const diff = (n: 1 | 2 | 3) => {
    const a = codes('2024-090-kk', n);
    const b = codes('2025-103-ru', n);
    return { removed: a.filter((c) => !b.includes(c)), added: b.filter((c) => !a.includes(c)) };
  };
  it('section 1: ECMO (39.65) left the emergency list', () => {
    expect(diff(1)).toEqual({ removed: ['39.65'], added: [] });
  });
  it('section 2: radio-iodine (92.291) and linac photon therapy (92.247) out, proton therapy (92.330.001) in', () => {
    expect(diff(2)).toEqual({ removed: ['92.291', '92.247'], added: ['92.330.001'] });
  });
  it('section 3: ECMO, the four IVF codes and radio-iodine out, nothing added', () => {
    expect(diff(3)).toEqual({ removed: ['39.65', '69.921', '69.922', '69.923', '69.924', '92.291'], added: [] });
  });
});

describe('HTMP list editions: names as the texts say', () => {
  it('2025 (ru): spot checks', () => {
    const ru = (n: number, code: string) => nameOf('2025-103-ru', n, code);
    // 55.62 is worded differently in sections 1 and 3 of the same text
    expect(ru(1, '55.62')).toBe('Трансплантация почки от посмертного донора');
    expect(ru(3, '55.62')).toBe('Трансплантация почки от кадавра');
    expect(ru(1, '00.50')).toBe('Имплантация бивентрикулярного электрокардиостимулятора без упоминания дефибриллятора системы в целом (CRT-P)');
    expect(ru(3, '00.51')).toBe('Имплантация бивентрикулярного дефибриллятора, системы в целом (CRT-D)');
    expect(ru(1, '52.53')).toBe('Радикальная субтотальная панкреотомия');
    expect(ru(2, '92.330.001')).toBe('Протонная терапия (1 сеанс)');
    expect(ru(2, '54.970.059')).toBe('Гипертермическая интраперитонеальная химиотерапия (HIPEC)');
    expect(ru(2, '92.321')).toBe('Радиохирургический метод лечения заболеваний центральной нервной системы с применением аппарата Гамма-нож');
    expect(ru(3, '33.6')).toBe('Комбинированная трансплантация комплекса «сердце – легкое»');
    expect(ru(3, '35.9900')).toBe('Протезирование клапанов сердца с использованием интраоперационной радиочастотной абляции');
    expect(ru(3, '56.7404')).toBe('Уретероцистостомия по модифицированному методу политано-легбеттера с дополнительным антирефлюксным механизмом по Блохину');
    expect(ru(3, '78.191')).toBe('Применение внешнего фиксирующего устройства на кости таза, требующих этапной коррекции');
    expect(ru(3, '99.791')).toBe('Заготовка стволовых гематопоэтических клеток крови');
    // the text's own spelling is kept, not corrected
    expect(ru(1, '00.65')).toBe('Чрезкожная имплантация стентов во внутрисерепные артерии');
    expect(ru(3, '00.93')).toBe('Забор органа и/или ткани от труава для трансплантации');
  });

  it('2024 (kk): spot checks', () => {
    const kk = (n: number, code: string) => nameOf('2024-090-kk', n, code);
    expect(kk(1, '55.62')).toBe('Қайтыс болған донордан бүйректі транспланттау');
    expect(kk(3, '55.62')).toBe('Қайтыс болғаннан кейінгі донордан бүйректі транспланттау');
    expect(kk(1, '00.50')).toBe('Бивентрикулярлық электрокардиостимуляторды жалпы жүйенің дефибрилляторын жанаспай импланттау (CRT-P)');
    expect(kk(3, '00.50')).toBe('Жалпы жүйенің дефибрилляторын ескертусіз бивентрикулярлық электрокардиостимуляторды имплантаттау (CRT-P)');
    expect(kk(1, '39.65')).toBe('Экстракорпоралдық мембраналық оксигенация');
    expect(kk(2, '92.291')).toBe('Қалқанша безі ауруының радио-йод терапиясы');
    expect(kk(3, '92.291')).toBe('Қалқанша безі ауруының радио-йод терапиясы');
    expect(kk(2, '92.202')).toBe('Қуықасты безінде орналасқан обырдың интерстициалдық сәулелік терапиясы (брахитерапия)');
    expect(kk(2, '92.247')).toBe('Сызықтық үдеткіште фотондарды қолдану арқылы қашықтықтан сәулелік терапия');
    expect(kk(3, '37.76')).toBe('Трансвеналық атриялық және/немесе вентрикулярлық электродты (электродтарды) ауыстыру');
    expect(kk(3, '37.96')).toBe('Автоматты кардиовертердің/дефибриллятордың тек импульстарының генераторын ғана импланттау');
    expect(kk(3, '33.6')).toBe('"Жүрек – өкпе" кешенін аралас транспланттау');
    // fixed through the corrections file (letters spaced out in the PDF)
    expect(kk(1, '03.7993')).toBe('Стереотаксиялық жүйені қолданумен ми нейростимуляторын импланттау');
    expect(kk(3, '03.7993')).toBe('Стереотаксиялық жүйені қолданумен ми нейростимуляторын импланттау');
    expect(kk(3, '00.51')).toBe('Жалпы жүйенің бивентрикулярлық дефибрилляторын имплантаттау (CRT-D)');
    expect(kk(3, '69.923')).toBe('АЖСИИ (аналық жасушаға сперматозоидты интрацитоплазмалық инъекциялау) жасай отырып, экстракорпоралдық ұрықтандыру, ұзын хаттама');
    expect(kk(3, '69.924')).toBe('АЖСИИ (аналық жасушаға сперматозоидты интрацитоплазмалық инъекциялау) жасай отырып экстракорпоралдық ұрықтандыру, қысқа хаттама');
    // the text's own spelling is kept (no space after the comma in section 1)
    expect(kk(1, '81.042')).toBe('Эндотүзеткіштерді ішкі бекітумен кеуде және бел омыртқаларының спондиллодезі,алдыңғы жету әдісі');
  });

  it('every correction of the corrections file is reflected in the data', () => {
    const doc = JSON.parse(readFileSync(join(repoRoot, 'scripts', 'catalogue', 'list-corrections.json'), 'utf8')) as { corrections: Correction[] };
    expect(doc.corrections.length).toBe(5);
    for (const c of doc.corrections) {
      expect(EDITION_IDS as readonly string[]).toContain(c.edition);
      expect(c.field).toBe('name');
      expect(c.reason.length).toBeGreaterThan(10);
      const name = nameOf(c.edition as EditionId, c.section, c.code);
      expect(name).toContain(c.to);
      expect(name).not.toContain(c.from);
    }
  });
});

describe('HTMP list editions: reproducible from the legal texts', () => {
  // The seeds live outside the repository (../shared/seeds); without them this check cannot run.
  it.skipIf(!seedsPresent)(`re-running the extraction reproduces the committed files byte for byte (seeds: ${seedsPresent ? seedsDir : 'ABSENT, skipped'})`, () => {
    const out = mkdtempSync(join(tmpdir(), 'htmp-editions-'));
    try {
      execFileSync(process.execPath, [scriptPath, seedsDir, out], { stdio: 'pipe' });
      for (const id of EDITION_IDS) {
        const fresh = readFileSync(join(out, `${id}.json`));
        const committed = readFileSync(join(editionsDir, `${id}.json`));
        expect(fresh.equals(committed), `${id}.json differs from a fresh extraction`).toBe(true);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it.skipIf(!seedsPresent)('source checksums match the seed files', () => {
    for (const id of EDITION_IDS) {
      const e = editions[id];
      const sha = createHash('sha256').update(readFileSync(join(seedsDir, e.source.file))).digest('hex');
      expect(e.source.sha256).toBe(sha);
    }
  });
});
