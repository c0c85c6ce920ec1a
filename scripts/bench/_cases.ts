/**
 * Real cases for the benchmarks, made the way a commission makes them: case files (the JSON of
 * `htmp case import`) stored through `cases.importBatch`, then decided and their protocols
 * issued through `cases.decide` — `core.call`, the app's own door, every write in the change log.
 *
 * Seeded, so every run builds the same data. Receipts from the day the first shipped catalogue
 * edition came into force to a few days before "today" (a protocol is issued only for a code in
 * force on its date, and the app ships no edition before 2024-11-16), working days and hours;
 * Kazakh and Russian names (Kazakh letters included), valid IINs; codes listed in every shipped
 * edition (so in force on every day of the span), a few far more frequent than the others; about
 * 12% of packets with a gap and 2% of files without a valid IIN (they stay drafts). Every case due
 * more than a week before "today" is decided, except 2% forgotten (the overdue ones).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../../electron/core/core';
import { appRoot } from '../../electron/core/paths';
import { MAX_IMPORT_BATCH, type CaseFile } from '../../shared/contract/cases';
import { addDays, isWorkingDay, type WorkCalendar } from '../../shared/domain/calendar';
import { iinCheckDigit } from '../../shared/domain/iin';
import { atClock, rng } from './_util';

/** "Today" of every benchmark over cases (a Monday). */
export const BENCH_TODAY = '2026-06-15';
const LAST_DAY = '2026-06-12';

const LAST = [
  'Абаев', 'Ержанова', 'Ёлкин', 'Сапаров', 'Омарова', 'Ким', 'Нұрланов', 'Жұмабекова', 'Иванов', 'Серікбаев', 'Тоқтарова', 'Ахметов',
  'Әбдірахманова', 'Қасымов', 'Оспанова', 'Бекмұхамбетов', 'Смагулова', 'Петров', 'Кузнецова', 'Есенова', 'Мұқанов', 'Жақсылықова',
  'Байжанов', 'Төлеуова', 'Исмаилов', 'Ғабдуллин', 'Нұрпейісова', 'Сидоренко', 'Құрманғалиев', 'Әлімова', 'Шәріпов', 'Ли', 'Пак',
  'Үсенова', 'Өтепов', 'Хасенова', 'Дәулетов', 'Волкова', 'Садықов', 'Мамырова',
];
const FIRST_M = ['Ерлан', 'Марат', 'Нұрсұлтан', 'Олег', 'Асқар', 'Дәурен', 'Бауыржан', 'Сергей', 'Ғалым', 'Әлихан', 'Қайрат', 'Тимур', 'Еркебұлан', 'Андрей'];
const FIRST_F = ['Айгүл', 'Дина', 'Асель', 'Жанна', 'Гүлнар', 'Әсем', 'Ольга', 'Мөлдір', 'Ақбота', 'Сәуле', 'Наталья', 'Айжан', 'Ұлжан', 'Елена'];
const MIDDLE_M = ['Серікұлы', 'Иванович', 'Нұрланұлы', 'Маратович', 'Қайратұлы', 'Ахметович'];
const MIDDLE_F = ['Серікқызы', 'Ивановна', 'Нұрланқызы', 'Маратовна', 'Қайратқызы', 'Ахметовна'];

/** The codes listed in every shipped catalogue edition, and the day the first came into force. */
function shippedCodes(): { codes: string[]; firstDay: string } {
  const dir = path.join(appRoot(), 'assets', 'catalogue', 'editions');
  const editions = fs
    .readdirSync(dir)
    .filter((x) => x.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { inForceFrom: string; sections: { entries: { code: string }[] }[] });
  const sets = editions.map((ed) => new Set(ed.sections.flatMap((s) => s.entries.map((e) => e.code))));
  const codes = [...(sets[0] ?? [])].filter((c) => sets.every((set) => set.has(c)));
  return { codes: codes.sort(), firstDay: editions.map((ed) => ed.inForceFrom).sort()[0]! };
}

/** A valid IIN for a birth date and sex (serial from `serial`, the first with a check digit). */
export function iinFor(birth: string, male: boolean, serial: number): string {
  const y = Number(birth.slice(0, 4));
  const c = y >= 2000 ? (male ? 5 : 6) : male ? 3 : 4;
  for (let s = serial; ; s++) {
    const first = `${birth.slice(2, 4)}${birth.slice(5, 7)}${birth.slice(8, 10)}${c}${String(s % 10000).padStart(4, '0')}`;
    const d = iinCheckDigit(first);
    if (d !== null) return first + d;
  }
}

/** `n` case files, in the order a generator of random receipts over ten years gives them. */
export function* benchCaseFiles(n: number, calendar: WorkCalendar, seed = 17): Generator<CaseFile> {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const { codes, firstDay } = shippedCodes();
  // Zipf-like: the first codes of a shuffled list are far more frequent.
  const order = [...codes].sort(() => r() - 0.5);
  const weights = order.map((_, i) => 1 / (i + 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  const pickCode = () => {
    let x = r() * sum;
    for (let i = 0; i < order.length; i++) if ((x -= weights[i]!) <= 0) return order[i]!;
    return order.at(-1)!;
  };
  const days: string[] = [];
  for (let d = addDays(firstDay, 1); d <= LAST_DAY; d = addDays(d, 1)) if (isWorkingDay(d, calendar)) days.push(d);
  for (let i = 0; i < n; i++) {
    const male = r() < 0.5;
    const birth = `${1940 + Math.floor(r() * 80)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
    const day = pick(days);
    const gaps = r() < 0.12;
    const badIin = r() < 0.02;
    const lastName = pick(LAST);
    const middle = r() < 0.7 ? pick(male ? MIDDLE_M : MIDDLE_F) : undefined;
    const iin = badIin ? iinFor(birth, male, i).slice(0, 11) : iinFor(birth, male, Math.floor(r() * 9000));
    yield {
      receivedAt: `${day}T${String(9 + Math.floor(r() * 9)).padStart(2, '0')}:${String(Math.floor(r() * 60)).padStart(2, '0')}`,
      patient: {
        iin,
        lastName,
        firstName: pick(male ? FIRST_M : FIRST_F),
        ...(middle ? { middleName: middle } : {}),
        birthDate: birth,
        sex: male ? 'male' : 'female',
        insured: r() < 0.85,
      },
      htmpCode: pickCode(),
      urgency: r() < 0.1 ? 'emergency' : 'planned',
      inpatient: r() < 0.3,
      channel: pick(['paper', 'electronic', 'email'] as const),
      diagnosis: { icd10: pick(['I25.1', 'I20.8', 'C50.9', 'M16.1', 'Q21.1', 'H40.1']), text: 'Диагноз по направлению' },
      documents: [
        { kind: 'identity', paper: true, files: [], signatures: [], seal: false, items: [] },
        { kind: 'referral', paper: !gaps || r() < 0.5, files: [], signatures: [], seal: false, items: [] },
        {
          kind: 'record_extract',
          paper: true,
          files: [],
          signatures: gaps ? ['attending', 'head_of_department'] : ['attending', 'head_of_department', 'deputy_chief'],
          seal: true,
          clinicalDiagnosis: 'Клинический диагноз',
          items: [],
        },
        { kind: 'test_results', paper: true, files: [], signatures: [], seal: false, items: [{ name: 'ЭКГ', date: day }] },
      ],
    };
  }
}

/** Stores case files through `cases.importBatch` in batches of MAX_IMPORT_BATCH. */
export async function importCases(core: Core, files: Iterable<CaseFile>): Promise<{ id: string; status: string }[]> {
  const out: { id: string; status: string }[] = [];
  let batch: CaseFile[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const r = await core.call('cases.importBatch', { cases: batch.map((c) => ({ case: c, files: [] })) });
    out.push(...r.cases);
    batch = [];
  };
  for (const c of files) {
    batch.push(c);
    if (batch.length >= MAX_IMPORT_BATCH) await flush();
  }
  await flush();
  return out;
}

export const BENCH_MEMBERS = [
  { name: 'Сапаров А.Б.', role: 'chair' as const },
  { name: 'Ким Л.В.', role: 'member' as const },
  { name: 'Омарова Д.С.', role: 'secretary' as const },
];

/**
 * Decides the registered cases as a commission would have by `today`: every case due more than
 * a week ago (except 2% forgotten), half of the more recent ones; approved when the packet is
 * complete (9 in 10), else refused (no indications), protocol issued. Returns the number decided.
 */
export async function decideCases(core: Core, ids: readonly string[], today = BENCH_TODAY, seed = 29): Promise<number> {
  const r = rng(seed);
  const weekAgo = addDays(today, -7);
  const rows = core.db.prepare("SELECT id, due_date, complete FROM cases WHERE status = 'registered' AND id = ?");
  let decided = 0;
  for (const id of ids) {
    const c = rows.get(id) as { id: string; due_date: string | null; complete: number } | undefined;
    if (!c || c.due_date === null || c.due_date >= today) continue;
    if (r() < (c.due_date < weekAgo ? 0.02 : 0.5)) continue;
    const approve = c.complete === 1 && r() < 0.9;
    // What the secretary sees before issuing: a case the protocol cannot be issued for (since
    // issue 11: a code not matching the urgency, ...) is refused instead, or left undecided.
    const base = { caseId: c.id, members: BENCH_MEMBERS, date: c.due_date };
    const tries = [approve ? { outcome: 'approved' as const, reason: null } : null, { outcome: 'refused' as const, reason: 'no_indications' as const }].filter((x) => x !== null);
    let chosen: (typeof tries)[number] | null = null;
    for (const t of tries) {
      if ((await core.call('cases.issueCheck', { ...base, ...t })).ready) {
        chosen = t;
        break;
      }
    }
    if (chosen === null) continue;
    // Issued on the day it was decided (the protocol's date of issue is the clock's).
    await atClock(`${c.due_date}T11:00:00Z`, () => core.call('cases.decide', { ...base, ...chosen, issue: true }));
    decided++;
  }
  return decided;
}

/** Sets the commission up (protocols need its name), as a secretary does in the settings. */
export async function setUpCommission(core: Core): Promise<void> {
  await core.call('settings.update', {
    commissionNameKk: 'Бенчмарк облысының ЖТМК жөніндегі комиссиясы',
    commissionNameRu: 'Комиссия по ВТМП области Бенчмарк',
    authorityNameKk: 'Бенчмарк облысының денсаулық сақтау басқармасы',
    authorityNameRu: 'Управление здравоохранения области Бенчмарк',
  });
}
