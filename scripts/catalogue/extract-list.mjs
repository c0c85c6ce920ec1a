#!/usr/bin/env node
// Extracts the HTMP list (appendix 2 of order ҚР ДСМ-134/2020) from the legal texts in the
// seeds folder into versioned edition files, assets/catalogue/editions/<id>.json.
//
// Usage: node scripts/catalogue/extract-list.mjs [seedsDir] [outDir]
//   seedsDir  default: ../shared/seeds relative to the repository root
//   outDir    default: assets/catalogue/editions in the repository root
//
// Plain Node ESM, no dependencies. Deterministic: the output depends only on the seed files,
// the corrections file and this script, so running it twice gives byte-identical files.
//
// What the code does generically (the same rule for every line, no per-entry knowledge):
//   - joins the lines of a name broken by the PDF layout with one space;
//   - joins without a space after a line that ends with "/" (e.g. "және/" + "немесе");
//   - joins a word hyphenated at a line end ("Допол-" + "нительно") by dropping the hyphen
//     (only when a letter precedes the hyphen and a lowercase letter starts the next line);
//   - collapses runs of whitespace to one space and trims;
//   - removes a space left after "(" or before ")" by a line break ("( CRT-D)" -> "(CRT-D)").
// Everything else that the PDF broke (letters spaced out, interleaved columns, page-break junk)
// is fixed only through the reviewed corrections file scripts/catalogue/list-corrections.json.
// The script fails when a correction does not apply exactly once or is never used.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
const seedsDir = resolve(process.argv[2] ?? join(repoRoot, '..', 'shared', 'seeds'));
const outDir = resolve(process.argv[3] ?? join(repoRoot, 'assets', 'catalogue', 'editions'));
const correctionsPath = join(here, 'list-corrections.json');

/** Codes as the texts write them: 33.5, 35.21, 35.210, 03.7992, 54.970.059. Always strings. */
const CODE = String.raw`\d{2}\.\d{1,4}(?:\.\d{3})?`;
const CODE_RE = new RegExp(`^${CODE}$`);

// Notes are shown to the user: in Kazakh and Russian (no English sentence reaches a screen).
const ORDER_143_NOTE = {
  kk:
    '2025 жылғы 14 қарашадағы № 143 бұйрық тізбенің осы редакциясының тек қазақша мәтінін өзгертті ' +
    '(«внесено изменение на казахском языке, текст на русском языке не меняется, приказом ' +
    'Министра здравоохранения РК от 14.11.2025 № 143»). Мұндағы орысша атаулар өзгермеген; № 143 ' +
    'бұйрықпен өзгертілген № 103 бұйрық редакциясының қазақша мәтіні дереккөздер арасында жоқ.',
  ru:
    'Приказ № 143 от 14.11.2025 изменил только казахский текст этой редакции перечня («внесено ' +
    'изменение на казахском языке, текст на русском языке не меняется, приказом Министра ' +
    'здравоохранения РК от 14.11.2025 № 143»). Русские наименования здесь не затронуты; казахского ' +
    'текста редакции приказа № 103 с изменениями приказа № 143 среди источников нет.',
};

/**
 * Edition metadata. Every `quote` must occur in the source text (whitespace-normalized); the
 * script checks it, so the notes cannot drift from what the texts say.
 */
const EDITIONS = [
  {
    id: '2024-090-kk',
    file: '001_96c360b6f67b2914.txt',
    language: 'kk',
    parser: 'pdf-lines',
    order: { number: '90', date: '2024-11-01' },
    orderTitleLines: [2, 7],
    registration: { number: '35327', date: '2024-11-04' },
    quotes: [
      'Қазақстан Республикасы Денсаулық сақтау министрінің 2024 жылғы 1 қарашадағы № 90 бұйрығы. ' +
        'Қазақстан Республикасының Әділет министрлігінде 2024 жылғы 4 қарашада № 35327 болып тіркелді',
      'Осы бұйрық алғашқы ресми жарияланған күнінен кейін күнтізбелік он күн өткен соң қолданысқа енгізіледі.',
    ],
    inForceFrom: '2024-11-16',
    inForceChosen: true,
    inForceNote: {
      kk:
        'Бұйрықта (4-тармақ): «Осы бұйрық алғашқы ресми жарияланған күнінен кейін күнтізбелік он ' +
        'күн өткен соң қолданысқа енгізіледі»; орыс тіліндегі бірыңғай мәтінде тізбеге берілген ' +
        'ескертпе де соны айтады («от 01.11.2024 № 90 (вводится в действие по истечении десяти ' +
        'календарных дней после дня его первого официального опубликования)»). Жарияланған күні екі ' +
        'мәтінде де жоқ. Қабылданғаны: бұйрық 04.11.2024 тіркелген; алғашқы ресми жариялау (НҚА ' +
        'эталондық бақылау банкі) бір күннен кейін, 05.11.2024 болды деп есептесек, күнтізбелік он ' +
        'күн 06.11.2024–15.11.2024 аралығында өтеді және бұйрық 16.11.2024 бастап қолданылады. Бұл ' +
        'мәтіндерден алынған дерек емес, болжам: күнін өзгертуге болады.',
      ru:
        'Приказ гласит (пункт 4): «Осы бұйрық алғашқы ресми жарияланған күнінен кейін күнтізбелік ' +
        'он күн өткен соң қолданысқа енгізіледі» (вводится в действие по истечении десяти ' +
        'календарных дней после дня его первого официального опубликования); сноска к перечню в ' +
        'русском консолидированном тексте говорит то же («от 01.11.2024 № 90 (вводится в действие по ' +
        'истечении десяти календарных дней после дня его первого официального опубликования)»). Дата ' +
        'опубликования ни в одном из текстов не указана. Принято: приказ зарегистрирован 04.11.2024; ' +
        'если первое официальное опубликование (Эталонный контрольный банк НПА) состоялось днём ' +
        'позже, 05.11.2024, то десять календарных дней — с 06.11.2024 по 15.11.2024, и приказ ' +
        'действует с 16.11.2024. Это допущение, а не факт из текстов: дату можно изменить.',
    },
    notes: [
      {
        kk:
          'Бұл редакция — № 90 бұйрықпен белгіленген 2-қосымшаның толық жаңа редакциясы («жаңа ' +
          'редакцияда»), тек қазақ тілінде; бұл редакцияның орысша мәтіні дереккөздерде жоқ.',
        ru:
          'Эта редакция — полная новая редакция приложения 2, установленная приказом № 90 («жаңа ' +
          'редакцияда»), только на казахском языке; русского текста этой редакции в источниках нет.',
      },
    ],
    sections: [
      { section: 1, headingStart: 'Шұғыл емдеуге жатқызу кезінде' },
      { section: 2, headingStart: 'Жоспарлы емдеуге жатқызу кезіндегі тегін' },
      { section: 3, headingStart: 'Жоспарлы емдеуге жатқызу кезіндегі міндетті' },
    ],
  },
  {
    id: '2025-103-ru',
    file: '000_caa82e6a75477e6d.txt',
    language: 'ru',
    parser: 'tabbed',
    order: { number: '103', date: '2025-10-01' },
    orderTitleLines: null,
    registration: null,
    quotes: [
      'от 01.10.2025 № 103 (вводится в действие с 01.10.2025)',
      'внесено изменение на казахском языке, текст на русском языке не меняется, приказом Министра ' +
        'здравоохранения РК от 14.11.2025 № 143',
    ],
    inForceFrom: '2025-10-01',
    inForceChosen: false,
    inForceNote: {
      kk:
        'Тізбеге берілген ескертпеде: «Перечень в редакции приказов ... от 01.10.2025 № 103 ' +
        '(вводится в действие с 01.10.2025)» (2025 жылғы 1 қазаннан бастап қолданысқа енгізіледі). ' +
        'Күні мәтіннен сол күйінде алынды.',
      ru:
        'Сноска к перечню гласит: «Перечень в редакции приказов ... от 01.10.2025 № 103 (вводится в ' +
        'действие с 01.10.2025)». Дата взята из текста как есть.',
    },
    notes: [
      {
        kk:
          'Дереккөз — 2-қосымшасы № 103 бұйрықтың редакциясындағы ҚР ДСМ-134/2020 бұйрығының орыс ' +
          'тіліндегі бірыңғай мәтіні; № 103 бұйрықтың өз атауы мен тіркелуі дереккөзде келтірілмеген, ' +
          'сондықтан бұйрықтың атауы бос, тіркелуі көрсетілмеген.',
        ru:
          'Источник — русский консолидированный текст приказа ҚР ДСМ-134/2020 с приложением 2 в ' +
          'редакции приказа № 103; наименование и регистрация самого приказа № 103 в источнике не ' +
          'приводятся, поэтому наименование приказа пусто, а регистрация не указана.',
      },
      ORDER_143_NOTE,
    ],
    listStart: '№ п /п',
    listEnd: 'Приложение 3 к приказу',
    sections: [
      { section: 1, headingStart: 'Виды высокотехнологичной медицинской помощи в рамках гарантированного объема бесплатной медицинской помощи при экстренной' },
      { section: 2, headingStart: 'Виды высокотехнологичной медицинской помощи в рамках гарантированного объема бесплатной медицинской помощи и системе' },
      { section: 3, headingStart: 'Виды высокотехнологичной медицинской помощи в системе обязательного' },
    ],
  },
];

function fail(message) {
  throw new Error(`extract-list: ${message}`);
}

function normalizeSpaces(s) {
  return s.replace(/\s+/g, ' ').trim();
}

/** Joins the physical lines of one logical text (a name or a heading) with the generic rules. */
function joinLines(lines) {
  let out = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    if (out === '') {
      out = line;
    } else if (out.endsWith('/')) {
      out += line;
    } else if (/\p{L}-$/u.test(out) && /^\p{Ll}/u.test(line)) {
      out = out.slice(0, -1) + line;
    } else {
      out += ' ' + line;
    }
  }
  return normalizeSpaces(out).replace(/\( /g, '(').replace(/ \)/g, ')');
}

function parsePdfLines(lines, edition) {
  // Locate the section headings; each heading runs until the next blank line.
  const starts = edition.sections.map((s) => {
    const hits = [];
    lines.forEach((l, i) => {
      if (l.trim().startsWith(s.headingStart)) hits.push(i);
    });
    if (hits.length !== 1) fail(`${edition.id}: heading of section ${s.section} found ${hits.length} times`);
    return hits[0];
  });
  const entryRe = new RegExp(`^(\\d{1,3}) (${CODE})(?:\\s+(.*))?$`);
  return edition.sections.map((s, k) => {
    let i = starts[k];
    const heading = [];
    while (i < lines.length && lines[i].trim() !== '') heading.push(lines[i++]);
    const end = k + 1 < starts.length ? starts[k + 1] : lines.length;
    const entries = [];
    let current = null;
    for (; i < end; i++) {
      const line = lines[i].trim();
      if (line === '') continue;
      const m = entryRe.exec(line);
      if (m) {
        current = { position: Number(m[1]), code: m[2], nameLines: m[3] ? [m[3]] : [] };
        entries.push(current);
      } else if (current) {
        current.nameLines.push(line);
      } else {
        fail(`${edition.id}: text before the first entry of section ${s.section}: ${line}`);
      }
    }
    return { section: s.section, title: joinLines(heading), entries };
  });
}

function parseTabbed(lines, edition) {
  const from = lines.findIndex((l) => l.startsWith(edition.listStart));
  const to = lines.findIndex((l, i) => i > from && l.trim().startsWith(edition.listEnd));
  if (from < 0 || to < 0) fail(`${edition.id}: list boundaries not found`);
  const entryRe = new RegExp(`^(\\d{1,3})\\t(${CODE})\\t(.+)$`);
  const sections = [];
  for (let i = from + 1; i < to; i++) {
    const line = lines[i].replace(/\s+$/, '');
    if (line.trim() === '') continue;
    const m = entryRe.exec(line);
    if (m) {
      const current = sections[sections.length - 1];
      if (!current) fail(`${edition.id}: entry before the first heading: ${line}`);
      current.entries.push({ position: Number(m[1]), code: m[2], nameLines: [m[3]] });
      continue;
    }
    const spec = edition.sections[sections.length];
    if (spec && line.startsWith(spec.headingStart)) {
      sections.push({ section: spec.section, title: joinLines([line]), entries: [] });
      continue;
    }
    fail(`${edition.id}: unexpected line ${i + 1}: ${line}`);
  }
  if (sections.length !== edition.sections.length) fail(`${edition.id}: found ${sections.length} sections`);
  return sections;
}

function applyCorrections(edition, sections, corrections, used) {
  for (const sec of sections) {
    for (const e of sec.entries) {
      e.name = joinLines(e.nameLines);
      delete e.nameLines;
      corrections.forEach((c, idx) => {
        if (c.edition !== edition.id || c.section !== sec.section || c.code !== e.code) return;
        if (c.field !== 'name') fail(`correction ${idx}: unsupported field ${c.field}`);
        const count = e.name.split(c.from).length - 1;
        if (count !== 1) fail(`correction ${idx} (${c.code}): "from" occurs ${count} times in "${e.name}"`);
        e.name = e.name.replace(c.from, () => c.to);
        used[idx] = (used[idx] ?? 0) + 1;
      });
    }
  }
}

function validate(edition, sections) {
  for (const sec of sections) {
    const seen = new Set();
    sec.entries.forEach((e, i) => {
      const where = `${edition.id} section ${sec.section} position ${e.position}`;
      if (e.position !== i + 1) fail(`${where}: expected position ${i + 1}`);
      if (!CODE_RE.test(e.code)) fail(`${where}: bad code ${e.code}`);
      if (seen.has(e.code)) fail(`${where}: duplicate code ${e.code}`);
      seen.add(e.code);
      if (!e.name) fail(`${where}: empty name`);
      // Leftovers of spaced-out letters ("қ о л д а н у") must have been corrected.
      if (/(?:^|\s)\p{L} \p{L} \p{L}(?:\s|$)/u.test(e.name)) fail(`${where}: spaced-out letters in "${e.name}"`);
    });
  }
}

function buildEdition(edition, corrections, used) {
  const path = join(seedsDir, edition.file);
  if (!existsSync(path)) fail(`seed file not found: ${path}`);
  const bytes = readFileSync(path);
  const text = bytes.toString('utf8');
  const lines = text.split(/\r?\n/);
  const flat = normalizeSpaces(text);
  for (const q of edition.quotes) {
    if (!flat.includes(normalizeSpaces(q))) fail(`${edition.id}: quote not found in the source: ${q}`);
  }
  const sections = edition.parser === 'tabbed' ? parseTabbed(lines, edition) : parsePdfLines(lines, edition);
  applyCorrections(edition, sections, corrections, used);
  validate(edition, sections);

  const lang = edition.language;
  const title = {};
  if (edition.orderTitleLines) {
    const [a, b] = edition.orderTitleLines;
    title[lang] = joinLines(lines.slice(a - 1, b));
  }
  return {
    id: edition.id,
    order: { number: edition.order.number, date: edition.order.date, title },
    registration: edition.registration,
    inForceFrom: edition.inForceFrom,
    inForceNote: edition.inForceNote,
    inForceChosen: edition.inForceChosen,
    languages: [lang],
    notes: edition.notes,
    source: { file: edition.file, sha256: createHash('sha256').update(bytes).digest('hex') },
    sections: sections.map((s) => ({
      section: s.section,
      title: { [lang]: s.title },
      entries: s.entries.map((e) => ({ position: e.position, code: e.code, name: e.name })),
    })),
  };
}

function main() {
  const doc = JSON.parse(readFileSync(correctionsPath, 'utf8'));
  const corrections = doc.corrections;
  if (!Array.isArray(corrections)) fail('list-corrections.json: "corrections" must be an array');
  corrections.forEach((c, idx) => {
    for (const k of ['edition', 'section', 'code', 'field', 'from', 'to', 'reason']) {
      if (c[k] === undefined || c[k] === '') fail(`correction ${idx}: missing ${k}`);
    }
  });
  const used = [];
  const outputs = EDITIONS.map((e) => buildEdition(e, corrections, used));
  corrections.forEach((c, idx) => {
    if (used[idx] !== 1) fail(`correction ${idx} (${c.edition} ${c.section} ${c.code}) applied ${used[idx] ?? 0} times`);
  });
  mkdirSync(outDir, { recursive: true });
  for (const o of outputs) {
    const file = join(outDir, `${o.id}.json`);
    writeFileSync(file, JSON.stringify(o, null, 2) + '\n', 'utf8');
    const counts = o.sections.map((s) => `${s.section}:${s.entries.length}`).join(' ');
    console.log(`${o.id}: ${counts} -> ${file}`);
  }
  console.log(`corrections applied: ${corrections.length}`);
}

main();
