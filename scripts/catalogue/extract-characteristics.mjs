#!/usr/bin/env node
// Extracts appendix 2 of order ҚР ДСМ-238/2020 (the characteristics of organizations
// providing HTMP, per HTMP type) from the Kazakh seed text into
// assets/catalogue/characteristics.json.
//
// Usage: node scripts/catalogue/extract-characteristics.mjs [seedsDir] [outFile]
//   seedsDir defaults to ../shared/seeds relative to the repository root.
//
// The seed is text extracted from a PDF: table rows split across pages, the
// number/code/name cells printed on the page after the staff and device cells began,
// letters spaced out, words broken at line ends. The generic repairs are below; the
// remaining, individually reviewed fixes are in characteristics-corrections.json.
// Plain Node, no dependencies; the output is deterministic (run twice, same bytes).

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SEED_FILE = '002_5e2574b563d27392.txt';
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
const seedsDir = resolve(process.argv[2] ?? join(repoRoot, '..', 'shared', 'seeds'));
const outFile = resolve(process.argv[3] ?? join(repoRoot, 'assets', 'catalogue', 'characteristics.json'));
const correctionsFile = join(here, 'characteristics-corrections.json');

const raw = readFileSync(join(seedsDir, SEED_FILE));
const sha256 = createHash('sha256').update(raw).digest('hex');
const allLines = raw.toString('utf8').replace(/\r\n?/g, '\n').split('\n');

// ---------------------------------------------------------------- region of appendix 2

const tableHeadIdx = allLines.findIndex((l) => /^№ Коды Түрлердің атауы Кадрлар Медициналық бұйымдар\s*$/.test(l));
if (tableHeadIdx < 0) throw new Error('appendix 2 table header not found');
const notesIdx = allLines.findIndex((l, i) => i > tableHeadIdx && /^\s*Ескертпе:\s*$/.test(l));
if (notesIdx < 0) throw new Error('appendix 2 footnotes ("Ескертпе:") not found');
const tableLines = allLines.slice(tableHeadIdx + 1, notesIdx);

// ---------------------------------------------------------------- generic text repairs

const UPPER = 'А-ЯЁӘІҢҒҮҰҚӨҺA-Z';
const LOWER = 'а-яёәіңғүұқөһa-z';

/** Letters spaced out by the PDF ("А р қ а л ы қ  ") are joined: inside each run of text
 * delimited by two or more spaces, three or more consecutive one-character tokens. */
function despace(line) {
  return line
    .split(/( {2,})/)
    .map((seg) => {
      if (/^ +$/.test(seg)) return seg;
      const tokens = seg.split(' ');
      const out = [];
      let run = [];
      const flush = () => {
        if (run.length >= 3) out.push(run.join(''));
        else out.push(...run);
        run = [];
      };
      for (const t of tokens) {
        if ([...t].length === 1) run.push(t);
        else {
          flush();
          out.push(t);
        }
      }
      flush();
      return out.join(' ');
    })
    .join('');
}

/** Does the line break between a and b need no space? (the PDF breaks lines before
 * punctuation and after opening brackets, slashes and hyphens of compound words). */
function glue(a, b) {
  if (/[(/]$/.test(a)) return true;
  if (new RegExp(`[${UPPER}${LOWER}]-$`).test(a)) return true; // "анализаторы-" + "1", "Клиникалық-" + "диагностикалық"
  if (/(^|\s)"$/.test(a)) return true; // opening quote left at the end of a line
  if (/^[,.;:)]/.test(b)) return true;
  if (new RegExp(`^"(?![${UPPER}${LOWER}])`, 'u').test(b)) return true; // closing quote at the start of a line
  return false;
}

/** Joins wrapped lines of one cell into one string. */
function joinLines(lines) {
  let text = '';
  for (const rawLine of lines) {
    const line = despace(rawLine).trim();
    if (!line) continue;
    if (!text) text = line;
    else text += (glue(text, line) ? '' : ' ') + line;
  }
  return normalize(text);
}

function normalize(text) {
  return text
    .replace(/\s+/g, ' ')
    .replace(new RegExp(`([${LOWER}])\\.([${UPPER}])`, 'gu'), '$1. $2') // "болуы.Физика"
    .trim();
}

// ---------------------------------------------------------------- blocks and headers

/** Blocks of non-blank lines; three or more blank lines are a page break. */
function toBlocks(lines) {
  const blocks = [];
  let cur = null;
  let blanks = 0;
  for (const line of lines) {
    if (/^\s*$/.test(line)) {
      blanks++;
      if (cur) {
        blocks.push(cur);
        cur = null;
      }
      continue;
    }
    if (!cur) {
      cur = { lines: [], pageBreakBefore: blanks >= 3 };
      blanks = 0;
    }
    cur.lines.push(line);
  }
  if (cur) blocks.push(cur);
  return blocks;
}

const RE_SECTION = /^(\d)\.\s+(Бірегей|Негізгі) түрлері\s*$/;
const RE_POS = /^(\d{1,3})\.?\s*$/; // "10" or "10." on its own line (only at the start of a block)
const RE_DOT = /^\s*\.\s*$/; // "." : the dot of a position number (the number may be lost)
const RE_STAR = /^\s*(\*{1,2})\s*$/;
const RE_CODE = /^\s*(?:(\d{1,3})\.\s+|\.\s+)?(\d{2}\.\d{1,4}(?:\.\d{1,4})?)\s*(\*{1,2})?(?:\s+(.*?))?\s*$/;
const RE_CELL = /^ \S/; // a line starting with exactly one space is a number/code/name cell

/** Turns blocks into a stream of items: {t:'section'}, {t:'header'}, {t:'content'}, {t:'pb'}. */
function toItems(blocks) {
  const items = [];
  for (const b of blocks) {
    if (b.pageBreakBefore) items.push({ t: 'pb' });
    const first = b.lines[0] ?? '';
    const sec = RE_SECTION.exec(first.trim());
    if (sec && b.lines.length === 1) {
      items.push({ t: 'section', kind: sec[2] === 'Бірегей' ? 'unique' : 'main' });
      continue;
    }
    let content = [];
    let header = null; // the header piece being read in this block
    let inName = false;
    let headerish = true; // still at the start of the block or just after header lines
    const flushContent = () => {
      if (content.length) items.push({ t: 'content', lines: content });
      content = [];
    };
    for (let i = 0; i < b.lines.length; i++) {
      const line = b.lines[i];
      if (inName && RE_STAR.test(line)) {
        header.stars.push(RE_STAR.exec(line)[1]);
        continue;
      }
      if (inName) {
        header.nameLines.push(line);
        continue;
      }
      let m;
      if (headerish && i === 0 && (m = RE_POS.exec(line))) {
        header = { t: 'header', pos: Number(m[1]), code: null, stars: [], nameLines: [] };
        items.push(header);
        continue;
      }
      if (RE_DOT.test(line) && (header || RE_CELL.test(line))) {
        flushContent();
        if (!header) {
          header = { t: 'header', pos: null, code: null, stars: [], nameLines: [] };
          items.push(header);
        }
        headerish = true;
        continue;
      }
      if ((m = RE_STAR.exec(line)) && (header || i === 0)) {
        flushContent();
        if (!header) {
          header = { t: 'header', pos: null, code: null, stars: [], nameLines: [] };
          items.push(header);
        }
        header.stars.push(m[1]);
        headerish = true;
        continue;
      }
      if ((headerish || RE_CELL.test(line)) && (m = RE_CODE.exec(line))) {
        flushContent();
        if (!header || header.code) {
          header = { t: 'header', pos: null, code: null, stars: [], nameLines: [] };
          items.push(header);
        }
        if (m[1]) header.pos = Number(m[1]);
        header.code = m[2];
        if (m[3]) header.stars.push(m[3]);
        if (m[4]) header.nameLines.push(m[4]);
        inName = true;
        continue;
      }
      if (RE_CELL.test(line)) {
        // a name cell whose number and code were lost
        flushContent();
        header = { t: 'header', pos: null, code: null, stars: [], nameLines: [line] };
        items.push(header);
        inName = true;
        continue;
      }
      headerish = false;
      header = null;
      content.push(line);
    }
    flushContent();
  }
  // merge consecutive header pieces ("10" / "." then "50.52 ..."), attach separate name blocks
  const merged = [];
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    const prev = merged[merged.length - 1];
    if (it.t === 'header' && prev && prev.t === 'header' && !(prev.code && it.code) && !(prev.nameLines.length && it.code)) {
      prev.pos ??= it.pos;
      prev.code ??= it.code;
      prev.stars.push(...it.stars);
      prev.nameLines.push(...it.nameLines);
      continue;
    }
    if (it.t === 'content' && prev && prev.t === 'header' && prev.code && prev.nameLines.length === 0) {
      prev.nameLines.push(...it.lines); // the name cell printed as its own block
      continue;
    }
    merged.push(it.t === 'header' ? { ...it, stars: [...it.stars], nameLines: [...it.nameLines] } : it);
  }
  return merged;
}

// ---------------------------------------------------------------- rows

const startsStaff = (lines) => /^Штатта(?![\p{L}])/u.test(despace(lines[0] ?? '').trim());

function buildRows(items) {
  const rows = [];
  let kind = null;
  let cur = null;
  let pending = []; // content (and page breaks) seen since the last header
  const assign = (row, seq, where) => {
    for (const x of seq) row[where].push(x);
  };
  const closeBefore = (next) => {
    // pending = content between the previous header (cur) and the next one (next)
    if (!cur) {
      if (pending.some((x) => x.t === 'content')) next.pre.push(...pending);
      pending = [];
      return;
    }
    const contentIdx = pending.map((x, i) => (x.t === 'content' ? i : -1)).filter((i) => i >= 0);
    let split = pending.length; // index in pending where the next row's content begins
    // rule 1: a staff cell ("Штатта ...") always opens a row
    const firstStaff = contentIdx.slice(1).find((i) => startsStaff(pending[i].lines));
    if (firstStaff !== undefined) split = firstStaff;
    else if (pending.length && pending[pending.length - 1].t === 'pb') {
      // rule 2: before a page break that precedes the next header, a row holds at most
      // one staff and one device block on that page; further blocks open the next row
      const lastPb = pending.slice(0, -1).map((x) => x.t).lastIndexOf('pb');
      const seg = contentIdx.filter((i) => i > lastPb);
      if (seg.length > 2) split = seg[2];
    }
    assign(cur, pending.slice(0, split), 'post');
    assign(next, pending.slice(split), 'pre');
    pending = [];
  };
  for (const it of items) {
    if (it.t === 'section') {
      kind = it.kind;
      continue;
    }
    if (it.t === 'header') {
      const row = { kind, pos: it.pos, code: it.code, stars: it.stars, nameLines: it.nameLines, pre: [], post: [] };
      closeBefore(row);
      rows.push(row);
      cur = row;
      continue;
    }
    pending.push(it);
  }
  if (cur) assign(cur, pending, 'post');
  return rows;
}

/** Splits a row's blocks into staff and device cells. Page breaks and the header cell
 * separate "pages"; on each page a row shows at most one staff block then one device block. */
function splitCells(row) {
  const pages = [];
  let page = [];
  const push = () => {
    if (page.length) pages.push(page);
    page = [];
  };
  for (const x of row.pre) x.t === 'pb' ? push() : page.push(x.lines);
  push();
  for (const x of row.post) x.t === 'pb' ? push() : page.push(x.lines);
  push();
  const staff = [];
  const devices = [];
  const problems = [];
  pages.forEach((p, pi) => {
    if (p.length === 2) {
      staff.push(p[0]);
      devices.push(p[1]);
    } else if (p.length === 1) {
      const staffText = joinLines(staff.flat());
      if (startsStaff(p[0])) staff.push(p[0]);
      else if (pi === 0 || /[.]$/.test(staffText)) devices.push(p[0]);
      else staff.push(p[0]);
    } else {
      problems.push(`${p.length} blocks on one page`);
      staff.push(p[0]);
      devices.push(...p.slice(1));
    }
  });
  return { staffLines: staff.flat(), deviceLines: devices.flat(), problems };
}

// ---------------------------------------------------------------- structure

const SENTENCE_SPLIT = new RegExp(`(?<=\\.)\\s+(?=["«${UPPER}])`, 'u');

function staffRequirements(text) {
  const sentences = text.split(SENTENCE_SPLIT);
  const clauses = [];
  for (const s of sentences) {
    // a sentence naming a specialist (or a certificate holder) opens a new requirement;
    // other sentences (upgrade, permit, case volume) belong to the requirement before them
    const introducesSpecialist = /маман(?:ның|ы|ының)?(?![\p{L}])|сертификаты бар/u.test(s);
    if (introducesSpecialist || clauses.length === 0) clauses.push(s);
    else clauses[clauses.length - 1] += ' ' + s;
  }
  return clauses.map((clause) => {
    const body = clause.replace(/^Штатта\s+/, '');
    let specialty;
    const quoted = /^("[^]*?")\s*(?:мамандығы|мамандықтары|маманның)(?![\p{L}])/u.exec(body);
    if (quoted) specialty = quoted[1];
    else {
      const m = /^(.*?)(?:,?\s*мамандығы бойынша|,?\s*маманның|\s+маманы)/u.exec(body);
      specialty = (m ? m[1] : body).replace(/[,\s]+$/, '');
    }
    const years =
      /(\d+)\s+жыл(?:\s+\([^)]*\))?\s+жұмыс\s+өтіл/u.exec(clause) ?? /жұмыс\s+өтілі\s+кемінде\s+(\d+)\s+жыл/u.exec(clause);
    const hours = /(\d+)\s+сағат/u.exec(clause);
    const within = hours ? /соңғы\s+(\d+)\s+жыл/u.exec(clause) : null;
    const permits = [];
    for (const m of clause.matchAll(/(?:^|[,.]\s*)([^,.]*?рұқсат)/gu)) {
      const p = m[1].trim();
      permits.push(p.charAt(0).toLowerCase() + p.slice(1));
    }
    return {
      specialty,
      minYears: years ? Number(years[1]) : null,
      upgradeHours: hours ? Number(hours[1]) : null,
      upgradeWithinYears: within ? Number(within[1]) : null,
      permits,
      text: clause,
    };
  });
}

/** Splits at top level only (not inside brackets or quotes). */
function splitTop(text, sep) {
  const parts = [];
  let depth = 0;
  let quote = false;
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === '"') quote = !quote;
    if (depth === 0 && !quote && text.startsWith(sep, i)) {
      parts.push(cur);
      cur = '';
      i += sep.length - 1;
      continue;
    }
    cur += c;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter(Boolean);
}

const RE_COUNT = /^(.*?)\s*[-–]\s*(?:кемінде\s+)?(\d+)$/u;

function deviceItems(text) {
  // descriptive requirements ("... болуы тиіс", "... керек") are kept as text only
  if (/(?<![\p{L}])(?:тиіс|керек)(?![\p{L}])/u.test(text)) return [];
  const items = [];
  for (const sentence of splitTop(text, '. ')) {
    const s = sentence.replace(/\.$/, '').trim();
    const commaParts = splitTop(s, ',');
    const counted = commaParts.filter((p) => RE_COUNT.test(p)).length;
    const parts = counted >= 2 ? commaParts : [s];
    for (const p of parts) {
      const m = RE_COUNT.exec(p);
      if (m) items.push({ name: m[1], count: Number(m[2]) });
      else items.push({ name: p, count: null });
    }
  }
  return items;
}

// ---------------------------------------------------------------- corrections

const corrections = JSON.parse(readFileSync(correctionsFile, 'utf8')).corrections;
const applied = new Set();

function applyEntryCorrections(entries) {
  const order = (c) => (c.field === 'code' ? 0 : c.field === 'position' ? 1 : 2);
  const sorted = corrections.map((c, i) => ({ c, i })).sort((a, b) => order(a.c) - order(b.c) || a.i - b.i);
  for (const { c, i } of sorted) {
    if (!c.reason) throw new Error(`correction #${i} has no reason`);
    const targets = entries.filter((e) => (c.field === 'code' ? e.code === c.from && (c.code === c.to) : e.code === c.code));
    if (targets.length === 0) throw new Error(`correction #${i} (${c.code} ${c.field}): no entry`);
    for (const e of targets) {
      switch (c.field) {
        case 'code':
          e.code = c.to;
          break;
        case 'position':
          if (e.position !== c.from) throw new Error(`correction #${i}: position is ${e.position}, expected ${c.from}`);
          e.position = c.to;
          break;
        case 'notes':
          if (JSON.stringify(e.notes) !== JSON.stringify(c.from)) throw new Error(`correction #${i}: notes differ`);
          e.notes = c.to;
          break;
        case 'name':
        case 'staff':
        case 'devices': {
          const key = c.field === 'name' ? 'name' : c.field === 'staff' ? 'staffText' : 'deviceText';
          if (!e[key].includes(c.from)) throw new Error(`correction #${i} (${c.code} ${c.field}): "${c.from}" not found`);
          e[key] = e[key].split(c.from).join(c.to);
          break;
        }
        default:
          throw new Error(`correction #${i}: unknown field ${c.field}`);
      }
    }
    applied.add(i);
  }
}

// ---------------------------------------------------------------- build

const rows = buildRows(toItems(toBlocks(tableLines)));
const warnings = [];
const entries = rows.map((r) => {
  const { staffLines, deviceLines, problems } = splitCells(r);
  for (const p of problems) warnings.push(`${r.code ?? '?'}: ${p}`);
  const stars = [...new Set(r.stars)].sort((a, b) => a.length - b.length);
  return {
    code: r.code,
    kind: r.kind,
    position: r.pos,
    name: joinLines(r.nameLines),
    staffText: joinLines(staffLines),
    deviceText: joinLines(deviceLines),
    notes: stars,
  };
});

applyEntryCorrections(entries);

if (process.env.DEBUG_ROWS) {
  for (const e of entries) {
    console.log([e.position, e.code, e.kind, e.notes.join(''), e.name, e.staffText, e.deviceText].join('\n  '));
  }
}

// checks: numbering, codes, cells
entries.forEach((e, i) => {
  if (e.position !== i + 1) throw new Error(`entry ${i + 1} (${e.code}): position ${e.position}`);
  if (typeof e.code !== 'string' || !/^\d{2}\.\d+(\.\d+)?$/.test(e.code)) throw new Error(`entry ${i + 1}: code ${e.code}`);
  if (!e.kind) throw new Error(`entry ${e.code}: no kind`);
  for (const k of ['name', 'staffText', 'deviceText']) if (!e[k]) throw new Error(`entry ${e.code}: empty ${k}`);
  if (!/^Штатта /.test(e.staffText)) warnings.push(`${e.code}: staff text does not start with "Штатта"`);
});
const seen = new Map();
for (const e of entries) seen.set(e.code, (seen.get(e.code) ?? 0) + 1);
const duplicates = [...seen].filter(([, n]) => n > 1).map(([c]) => c);

// footnotes: paragraphs start with the indentation of the source, wrapped lines do not
function footnote(marker) {
  const lines = allLines.slice(notesIdx + 1);
  const start = lines.findIndex((l) => l.trim().startsWith(marker + ' ') && !l.trim().startsWith(marker + '*'));
  if (start < 0) throw new Error(`footnote ${marker} not found`);
  const paras = [];
  for (let i = start; i < lines.length; i++) {
    const l = lines[i];
    if (/^\s*$/.test(l)) break;
    if (i > start && /^\s*\*/.test(l)) break;
    if (/^ {6}\S/.test(l) || i === start) paras.push([l]);
    else paras[paras.length - 1].push(l);
  }
  const text = paras.map((p) => joinLines(p)).join('\n');
  return text.replace(/^\*+\s*(?:-\s*)?/, '');
}

const output = {
  source: {
    order: 'ҚР ДСМ-238/2020',
    date: '2020-12-08',
    appendix: 2,
    file: SEED_FILE,
    sha256,
    language: 'kk',
  },
  footnotes: { '*': { kk: footnote('*') }, '**': { kk: footnote('**') } },
  entries: entries.map((e) => ({
    code: e.code,
    kind: e.kind,
    position: e.position,
    name: { kk: e.name },
    staff: { text: e.staffText, requirements: staffRequirements(e.staffText) },
    devices: { text: e.deviceText, items: deviceItems(e.deviceText) },
    notes: e.notes,
  })),
};

mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify(output, null, 2) + '\n');

const unused = corrections.map((_, i) => i).filter((i) => !applied.has(i));
const byKind = (k) => entries.filter((e) => e.kind === k).length;
console.log(`${entries.length} entries (unique ${byKind('unique')}, main ${byKind('main')}), ${applied.size} corrections applied -> ${outFile}`);
if (duplicates.length) console.log(`codes appearing more than once (all kept): ${duplicates.join(', ')}`);
for (const w of warnings) console.log(`warning: ${w}`);
if (unused.length) throw new Error(`corrections not applied: ${unused.join(', ')}`);
