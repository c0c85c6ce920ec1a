// Pins the characteristics (appendix 2 of order ҚР ДСМ-238/2020, Kazakh) to the legal text.
// Any change of assets/catalogue/characteristics.json must show up here as a visible diff.
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Requirement {
  specialty: string;
  minYears: number | null;
  upgradeHours: number | null;
  upgradeWithinYears: number | null;
  permits: string[];
  text: string;
}
interface Item {
  name: string;
  count: number | null;
}
interface Entry {
  code: string;
  kind: 'unique' | 'main';
  position: number;
  name: { kk: string };
  staff: { text: string; requirements: Requirement[] };
  devices: { text: string; items: Item[] };
  notes: string[];
}
interface Characteristics {
  source: { order: string; date: string; appendix: number; file: string; sha256: string; language: string };
  footnotes: Record<'*' | '**', { kk: string }>;
  entries: Entry[];
}
interface Correction {
  code: string;
  field: string;
  from: unknown;
  to: unknown;
  reason: string;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataFile = join(repoRoot, 'assets', 'catalogue', 'characteristics.json');
const script = join(repoRoot, 'scripts', 'catalogue', 'extract-characteristics.mjs');
const correctionsFile = join(repoRoot, 'scripts', 'catalogue', 'characteristics-corrections.json');
const seedsDir = join(repoRoot, '..', 'shared', 'seeds');
const seedFile = join(seedsDir, '002_5e2574b563d27392.txt');
const haveSeeds = existsSync(seedFile);

const data = JSON.parse(readFileSync(dataFile, 'utf8')) as Characteristics;
const byCode = (code: string): Entry => {
  const found = data.entries.filter((e) => e.code === code);
  expect(found, code).toHaveLength(1);
  return found[0] as Entry;
};

// every code of the table, in the order of the text (the last one is restored, see below)
const CODES = [
  // 1. Бірегей түрлері
  '00.93', '02.93', '03.93', '33.5', '33.6', '37.51', '37.66', '41.06', '41.10', '50.52',
  '52.80', '55.62', '99.791', '92.247',
  // 2. Негізгі түрлері
  '00.50', '00.51', '00.65', '01.53', '03.7992', '03.7993', '35.05', '35.11', '35.12', '35.121',
  '35.14', '35.21', '35.23', '35.33', '35.55', '35.82', '35.83', '35.84', '35.91', '35.9900',
  '35.991', '36.1000', '36.16', '37.32', '37.35', '37.36', '37.76', '37.94', '37.941', '37.96',
  '38.12', '38.34', '38.341', '39.28', '39.591', '39.72', '39.73', '39.731', '41.01', '41.04',
  '41.05', '50.59', '52.53', '55.5016', '56.7404', '63.8301', '78.191', '81.041', '81.042', '81.062',
  '81.073', '81.53', '81.55', '81.9610', '86.66', '69.921', '69.922', '69.923', '69.924', '20.95',
  '39.65', '92.201', '92.202', '92.291',
];

describe('characteristics: source and shape', () => {
  it('names its source', () => {
    expect(data.source).toEqual({
      order: 'ҚР ДСМ-238/2020',
      date: '2020-12-08',
      appendix: 2,
      file: '002_5e2574b563d27392.txt',
      sha256: data.source.sha256,
      language: 'kk',
    });
    expect(data.source.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it.skipIf(!haveSeeds)('records the sha256 of the seed it was made from', () => {
    expect(createHash('sha256').update(readFileSync(seedFile)).digest('hex')).toBe(data.source.sha256);
  });

  it('has 78 entries: 14 unique and 64 main, numbered 1..78', () => {
    expect(data.entries).toHaveLength(78);
    expect(data.entries.filter((e) => e.kind === 'unique')).toHaveLength(14);
    expect(data.entries.filter((e) => e.kind === 'main')).toHaveLength(64);
    expect(data.entries.map((e) => e.position)).toEqual(Array.from({ length: 78 }, (_, i) => i + 1));
    // the unique types come first
    expect(data.entries.slice(0, 14).every((e) => e.kind === 'unique')).toBe(true);
  });

  it('lists exactly the codes of the text, in order, as strings', () => {
    expect(data.entries.map((e) => e.code)).toEqual(CODES);
    for (const e of data.entries) expect(typeof e.code).toBe('string');
    // no code appears twice in this text
    expect(new Set(CODES).size).toBe(CODES.length);
  });

  it('has no empty text anywhere', () => {
    for (const e of data.entries) {
      expect(e.name.kk.trim(), e.code).not.toBe('');
      expect(e.staff.text.trim(), e.code).not.toBe('');
      expect(e.devices.text.trim(), e.code).not.toBe('');
      expect(e.staff.requirements.length, e.code).toBeGreaterThan(0);
      for (const r of e.staff.requirements) {
        expect(r.text.trim(), e.code).not.toBe('');
        expect(r.specialty.trim(), e.code).not.toBe('');
        expect(e.staff.text.includes(r.text), e.code).toBe(true);
      }
      for (const i of e.devices.items) expect(i.name.trim(), e.code).not.toBe('');
    }
  });

  it('keeps no PDF junk: no spaced-out letters, no stray line breaks, every staff cell starts with "Штатта"', () => {
    for (const e of data.entries) {
      for (const t of [e.name.kk, e.staff.text, e.devices.text]) {
        expect(t, e.code).not.toMatch(/(?:^|\s)(?:\p{L} ){2,}\p{L}(?:\s|$)/u);
        expect(t, e.code).not.toMatch(/\n|\s{2,}/);
        expect(t, e.code).toBe(t.trim());
      }
      expect(e.staff.text.startsWith('Штатта '), e.code).toBe(true);
    }
  });
});

describe('characteristics: footnotes', () => {
  it('carries the text of * and **', () => {
    expect(data.footnotes['*'].kk).toBe(
      'ТМККК шеңберінде жасанды ұрықтандыру қызметін көрсететін медициналық ұйымдарға қойылатын қосымша сипаттамалар:\n' +
        '1. денсаулық сақтау ұйымның жасанды ұрықтандыру саласындағы жұмыс ұзақтығы кемінде 3 жыл болуы тиіс;\n' +
        '2. жасанды ұрықтандырудың емдік циклдарының саны жылына кемінде 300 цикл болуы тиіс;\n' +
        '3. эмбриондарды алып жүруге жүкті болуы жиілігі – кемінде 33%;\n' +
        '4. алып жүру сандарындағы бала туу жиілігі – кемінде 25%.',
    );
    expect(data.footnotes['**'].kk).toBe('Кохлеарлық операцияға дейінгі және кейінгі міндетті оңалту жүргізу.');
  });

  it('attaches * to the four IVF codes and ** to cochlear implantation only', () => {
    const starred = data.entries.filter((e) => e.notes.includes('*')).map((e) => e.code);
    expect(starred).toEqual(['69.921', '69.922', '69.923', '69.924']);
    const doubleStarred = data.entries.filter((e) => e.notes.includes('**')).map((e) => e.code);
    expect(doubleStarred).toEqual(['20.95']);
    for (const e of data.entries) expect(e.notes.every((n) => n === '*' || n === '**')).toBe(true);
  });
});

describe('characteristics: spot checks against the text', () => {
  it('00.93 (unique 1): cadaver organ retrieval, two transplant surgeons, devices with counts', () => {
    const e = byCode('00.93');
    expect(e.kind).toBe('unique');
    expect(e.position).toBe(1);
    expect(e.name.kk).toBe('Транспланттау үшін кадаврдан ағзаларды және/немесе тіндерді алу');
    expect(e.staff.requirements).toHaveLength(1);
    expect(e.staff.requirements[0]).toMatchObject({ minYears: 3, upgradeHours: 108, upgradeWithinYears: 3, permits: [] });
    expect(e.staff.requirements[0]?.specialty).toBe('"Жалпы хирургия" (трансплантология)"');
    expect(e.devices.items).toHaveLength(17);
    expect(e.devices.items).toContainEqual({ name: 'Гемодиализ және гемодиасүзгілеу үшін аппарат', count: 2 });
    expect(e.devices.items).toContainEqual({ name: 'дәрілік заттар дозаторы', count: 4 });
    expect(e.devices.items).toContainEqual({ name: 'донорлық ағзаны тасымалдауға арналған контейнер', count: 3 });
    expect(e.devices.items).toContainEqual({ name: 'хирургиялық аспаптар жиынтығы (жаракеңейткіш)', count: 2 });
    expect(e.devices.text.endsWith('ультрадыбыстық хирургиялық аспиратор-1.')).toBe(true);
  });

  it('02.93: the row split across pages is put back together', () => {
    const e = byCode('02.93');
    expect(e.name.kk).toBe('Интракраниалдық нейростимулятордың электродын (электродтарын) импланттау немесе ауыстыру');
    expect(e.staff.text).toBe(
      'Штатта "Нейрохирургия (ересектер, балалар)" мамандығы бойынша сертификаты бар маманның, мамандығы бойынша кемінде 5 жыл жұмыс өтілінің, мамандығы бойынша кемінде 108 сағат көлемінде соңғы 3 жылда біліктілігін арттыру туралы куәліктің болуы.',
    );
    expect(e.devices.items.map((i) => i.name)).toEqual([
      'Функционалдық нейрохирургияға және биопсияға арналған жүйе',
      'Наркоздық-тыныс алу аппараты',
      '"Сүйектерді өңдеуге арналған жиынтық"-тан "Краниотом"',
      'Магниттік-резонанстық томограф',
      'Нейрохирургияға арналған аксессуарлары бар нейрохирургиялық операциялық үстел',
      'Нейрохирургиялық құралдар жиынтығы',
      'Микронейрохирургиялық құралдар жиынтығы',
      'Операциялық коагулятор',
      'Ультрадыбыстық диссектор',
    ]);
  });

  it('03.93: spaced-out letters of the name are joined', () => {
    expect(byCode('03.93').name.kk).toBe('Арқалық нейростимулятордың электродын (электродтарын) импланттау немесе ауыстыру');
    expect(byCode('03.93').devices.text).toContain('Арқалық нейрохирургия үшін жиынтығы бар электротрепан.');
  });

  it('50.52: liver transplantation, devices partly counted', () => {
    const e = byCode('50.52');
    expect(e.name.kk).toBe('Кадаврдан бауырды транспланттау');
    expect(e.devices.items).toHaveLength(24);
    expect(e.devices.items[0]).toEqual({ name: 'Байпас – қанайналымды тексеру аппараты', count: null });
    expect(e.devices.items).toContainEqual({ name: 'С-доға рентгенологиялық аппарат', count: 1 });
    expect(e.devices.items).toContainEqual({ name: 'гармоникалық ультрадыбыстық скальпель', count: 2 });
    expect(e.staff.requirements[0]).toMatchObject({ minYears: 3, upgradeHours: 108, upgradeWithinYears: 3 });
  });

  it('92.247: radiotherapy, two specialists and a permit', () => {
    const e = byCode('92.247');
    expect(e.kind).toBe('unique');
    expect(e.name.kk).toBe('Сызықтық үдеткіште фотондарды қолдану арқылы қашықтықтан сәулелік терапия');
    expect(e.staff.requirements).toHaveLength(2);
    expect(e.staff.requirements[0]).toMatchObject({
      specialty: '"Сәулелік терапия" (радиациялық онкология)',
      minYears: 5,
      upgradeHours: 216,
      upgradeWithinYears: 5,
    });
    expect(e.staff.requirements[1]).toMatchObject({
      specialty: 'Физика немесе жоғары техникалық білімді',
      minYears: 3,
      permits: ['иондаушы сәулелеу көздерімен жұмыс жасауға рұқсат'],
    });
    expect(e.devices.text).toContain('киетін термопластикалық маскалар. Термопластикалық маскалар үшін су ванналары.');
  });

  it('00.50 (main 15): arrhythmology, 108 hours in 5 years, ionising radiation permit', () => {
    const e = byCode('00.50');
    expect(e.kind).toBe('main');
    expect(e.position).toBe(15);
    expect(e.name.kk).toBe(
      'Жалпы жүйенің дефибрилляторын ескертусіз бивентрикулярлық электрокардиостимуляторды импланттау (CRT-P)',
    );
    expect(e.staff.requirements[0]).toMatchObject({
      minYears: 3,
      upgradeHours: 108,
      upgradeWithinYears: 5,
      permits: ['иондаушы сәулелеу көздерімен жұмыс жасауға рұқсат'],
    });
    expect(e.devices.items).toEqual([{ name: 'Гемодинамика жүйесі бар ангиографиялық қондырғы', count: null }]);
  });

  it('01.53: the device cell begun on the page before the row is kept with its row', () => {
    const e = byCode('01.53');
    expect(e.name.kk).toBe('Эпилепсия кезінде мидың лобэктомиясы');
    expect(e.staff.requirements[0]).toMatchObject({ minYears: 5, upgradeHours: null, upgradeWithinYears: null });
    expect(e.devices.text.startsWith('Интраоперациялық электроэнцефалограф. миға араласу үшін хирургиялық навигациялық құрылғы.')).toBe(true);
    expect(byCode('00.65').devices.text.endsWith('Компьютерлік томограф.')).toBe(true);
  });

  it('00.65 and 39.72: 432 hours of endovascular neurosurgery', () => {
    expect(byCode('00.65').staff.requirements[0]).toMatchObject({ minYears: 5, upgradeHours: 432, upgradeWithinYears: 5 });
    expect(byCode('39.72').staff.requirements[0]).toMatchObject({ minYears: 5, upgradeHours: 432, upgradeWithinYears: 5 });
  });

  it('35.11: open-heart experience of 50 operations a year', () => {
    const e = byCode('35.11');
    expect(e.name.kk).toBe('Ауыстырмай аорталық қақпақшаның ашық вальвулопластикасы');
    expect(e.staff.text).toContain('ашық жүрекке жылына өз бетінше кемінде 50 операция жасау тәжірибесінің');
    expect(e.staff.requirements[0]).toMatchObject({ minYears: 5, upgradeHours: 108, upgradeWithinYears: 5 });
    expect(e.devices.items).toHaveLength(13);
  });

  it('52.53: 10 years, 108 hours without a period, adults only', () => {
    const e = byCode('52.53');
    expect(e.name.kk).toBe('Радикалдық субтоталдық панкреатэктомия');
    expect(e.staff.requirements).toHaveLength(1);
    expect(e.staff.requirements[0]).toMatchObject({ minYears: 10, upgradeHours: 108, upgradeWithinYears: null });
    expect(e.staff.text).toContain('Осы қызметті 18 жастан асқан адамдарға көрсету');
  });

  it('55.5016: second clause on angiosurgery, glued words repaired', () => {
    const e = byCode('55.5016');
    expect(e.staff.requirements).toHaveLength(2);
    expect(e.staff.requirements[1]?.specialty).toBe('"Ангиохирургия (ересектер, балалар)"');
    expect(e.devices.text.startsWith('Өкпені жасанды желдету аппараты Наркоздық аппарат.')).toBe(true);
  });

  it('81.53 and 81.55: arthroplasty volumes stay in the text', () => {
    expect(byCode('81.53').staff.text).toContain('протездеу саны жылына кемінде 60 операция болу керек.');
    expect(byCode('81.55').staff.text).toContain('протездеу саны жылына кемінде 30 операция болу керек.');
    expect(byCode('81.55').devices.items.at(-1)).toEqual({ name: 'Сүйек банкі', count: null });
    expect(byCode('81.062').name.kk).toBe(
      'Эндокорректордың ішкі фиксациясы арқылы бел және сегізкөз омыртқаларының спондиллодезі, алдыңғы жету әдісі',
    );
  });

  it('69.921-69.924 (IVF): three specialists each', () => {
    expect(byCode('69.921').name.kk).toBe('Классикалық экстракорпоралдық ұрықтандыру, ұзақ хаттама');
    expect(byCode('69.922').position).toBe(71);
    const r = byCode('69.922').staff.requirements;
    expect(r.map((x) => x.specialty)).toEqual([
      '"Акушерлік және гинекология"',
      '"Урология және андрология"',
      'Жоғары медициналық немесе биологиялық білімі бар',
    ]);
    expect(r[0]).toMatchObject({ minYears: 3, upgradeHours: 108, upgradeWithinYears: 3 });
    expect(byCode('69.921').staff.requirements[0]).toMatchObject({ minYears: 5, upgradeHours: 108, upgradeWithinYears: 5 });
    for (const code of ['69.921', '69.922', '69.923', '69.924']) {
      expect(byCode(code).staff.requirements, code).toHaveLength(3);
      expect(byCode(code).devices.items, code).toHaveLength(8);
    }
  });

  it('20.95: otosurgery and cochlear implantation', () => {
    const e = byCode('20.95');
    expect(e.name.kk).toBe('Электромагниттік есту аппаратын импланттау');
    expect(e.staff.requirements[0]).toMatchObject({ minYears: 10, upgradeHours: null });
    expect(e.devices.items.map((i) => i.name)).toContain('Кохлеарлы имплант');
  });

  it('92.201, 92.202, 92.291: the last rows, whose numbers were lost', () => {
    expect(byCode('92.201')).toMatchObject({ position: 76, name: { kk: 'Қуықасты безі обырының жоғары мөлшердегі брахитерапиясы' } });
    expect(byCode('92.201').staff.requirements).toHaveLength(4);
    expect(byCode('92.201').devices.items).toEqual([]); // descriptive requirements: text only
    expect(byCode('92.202').position).toBe(77);
    expect(byCode('92.202').name.kk).toBe(
      'Қуықасты безінің оқшауланған обырының интерстициалдық сәулелік терапиясы (брахитерапия)',
    );
    const last = byCode('92.291');
    expect(last.position).toBe(78);
    expect(last.name.kk).toBe('Қалқанша безі ауруының радио-йод терапиясы');
    expect(last.staff.requirements.map((r) => r.specialty)).toEqual([
      '"Онкология" немесе "Эндокринология" немесе "Сәулелі терапия" (радиология)',
      'Физика бойынша немесе дозиметрия, радиациялық қауіпсіздік, ядролық физика бойынша маманданудан өткен жоғары техникалық білімі бар медициналық физик',
      'Радиохимиядан маманданудан өткен химия бойынша жоғары білімді инженер-радиохимик',
      '"Медбикелік іс"',
    ]);
    expect(last.devices.items).toHaveLength(4);
  });

  it('descriptive device cells (stem cells, brachytherapy) are kept as text only', () => {
    for (const code of ['41.06', '41.10', '99.791', '41.01', '41.04', '41.05', '92.201', '92.202']) {
      expect(byCode(code).devices.items, code).toEqual([]);
      expect(byCode(code).devices.text, code).toMatch(/тиіс|керек/);
    }
  });
});

describe('characteristics: corrections', () => {
  const corrections = (JSON.parse(readFileSync(correctionsFile, 'utf8')) as { corrections: Correction[] }).corrections;

  it('every correction names code, field, from, to and a reason', () => {
    expect(corrections.length).toBeGreaterThan(0);
    for (const c of corrections) {
      expect(Object.keys(c).sort()).toEqual(['code', 'field', 'from', 'reason', 'to']);
      expect(CODES).toContain(c.code);
      expect(c.reason.length).toBeGreaterThan(20);
    }
  });

  it('the code of the last row is restored from the HTMP list and says so', () => {
    const c = corrections.find((x) => x.field === 'code');
    expect(c).toMatchObject({ code: '92.291', from: null, to: '92.291' });
    expect(c?.reason).toContain('001_96c360b6f67b2914.txt');
  });
});

describe('characteristics: reproducible', () => {
  if (!haveSeeds) console.warn(`SKIPPED: seeds not found at ${seedsDir}; the re-extraction test does not run`);

  it.skipIf(!haveSeeds)('re-running the extraction reproduces the committed file byte for byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'characteristics-'));
    try {
      const out = join(dir, 'characteristics.json');
      execFileSync(process.execPath, [script, seedsDir, out], { stdio: 'pipe' });
      expect(readFileSync(out).equals(readFileSync(dataFile))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
