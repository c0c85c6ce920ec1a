/**
 * Real cases for benchmarks, made through the app's own code: `importCase` (what `htmp case
 * import` runs: the case, its patient, documents and attached files, registered when complete)
 * and `cases.decide` + `cases.issueProtocol` through `core.call` (the decision, the numbered,
 * locked protocol). Every write goes through the Store, so the change log is what a commission's
 * laptop holds after the same work. Seeded: the same arguments always make the same cases.
 *
 * Per 10 cases on average: 2 with an attached scan (random bytes, incompressible like a scanned
 * PDF), about 3 decided with an issued protocol, 1-2 left as drafts with gaps in the packet.
 */
import { randomBytes } from 'node:crypto';
import type { Core } from '../../electron/core/core';
import { importCase } from '../../electron/core/services/cases';
import { addDays } from '../../shared/domain/calendar';
import { atClock, rng } from './_util';
import { iinFor } from './_cases';

const LAST = ['Абаев', 'Ержанова', 'Ёлкин', 'Сапаров', 'Омарова', 'Ким', 'Нұрланов', 'Жұмабекова', 'Иванов', 'Серікбаев', 'Тоқтарова', 'Ахметов'];
const FIRST = ['Ерлан', 'Айгүл', 'Дина', 'Марат', 'Асель', 'Нұрсұлтан', 'Олег', 'Жанна'];
const MIDDLE = ['Серікұлы', 'Маратқызы', 'Иванович', 'Олеговна', null];
// Codes of the shipped editions (planned and emergency sections).
const CODES = ['00.50', '54.970.059', '92.321', '00.51', '03.93', '20.95', '39.65', '92.201', '35.84', '35.23'];
const MEMBERS = [
  { name: 'Сапаров А.', role: 'chair' as const },
  { name: 'Ким Л.', role: 'member' as const },
  { name: 'Омарова Д.', role: 'secretary' as const },
];


/** Sets the installation up like a commission's laptop (protocols need the commission's names). */
export async function setUpCommission(core: Core): Promise<void> {
  await core.call('settings.update', {
    commissionNameKk: 'Абай облысының ЖТМК жөніндегі комиссиясы',
    commissionNameRu: 'Комиссия по ВТМП области Абай',
    authorityNameKk: 'Абай облысының денсаулық сақтау басқармасы',
    authorityNameRu: 'Управление здравоохранения области Абай',
  });
}

export interface RealCasesStats {
  cases: number;
  decided: number;
  attachments: number;
  attachmentBytes: number;
}

/**
 * Makes cases number `from` .. `to - 1` (so a data set can grow in steps: 0..1000, 1000..10000).
 * `attachEvery`: one case in N gets a scan of `fileSize` bytes (default 5: 2,000 per 10,000).
 */
export async function makeRealCases(
  core: Core,
  opts: { from: number; to: number; attachEvery?: number; fileSize?: number; seed?: number; onProgress?: (done: number) => void },
): Promise<RealCasesStats> {
  const attachEvery = opts.attachEvery ?? 5;
  const fileSize = opts.fileSize ?? 50 * 1024;
  const stats: RealCasesStats = { cases: 0, decided: 0, attachments: 0, attachmentBytes: 0 };
  // Batches of 500 cases in one transaction (each step inside is a savepoint), so making 100,000
  // cases does not wait for 400,000 commits; every write still goes through the same code.
  const BATCH = 500;
  for (let i = opts.from; i < opts.to; i++) {
    if ((i - opts.from) % BATCH === 0) {
      if (core.db.inTransaction) core.db.exec('COMMIT');
      core.db.exec('BEGIN');
    }
    const r = rng((opts.seed ?? 17) * 1_000_003 + i);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const male = r() < 0.5;
    const birth = `${1940 + Math.floor(r() * 80)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
    // Received over 2025-2026 on working days at office hours.
    let day = addDays('2025-01-06', Math.floor(r() * 540));
    const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (dow === 0) day = addDays(day, 1);
    if (dow === 6) day = addDays(day, 2);
    const gaps = r() < 0.15;
    const withFile = i % attachEvery === 0;
    const files: Record<string, Buffer> = {};
    if (withFile) files[`scan-${i}.pdf`] = randomBytes(fileSize);
    const input = {
      patient: {
        iin: iinFor(birth, male, i % 9000),
        lastName: pick(LAST),
        firstName: pick(FIRST),
        middleName: pick(MIDDLE),
        birthDate: birth,
        sex: male ? ('male' as const) : ('female' as const),
        insured: r() < 0.8,
      },
      receivedAt: `${day}T${String(9 + Math.floor(r() * 9)).padStart(2, '0')}:${String(Math.floor(r() * 60)).padStart(2, '0')}`,
      channel: 'paper' as const,
      htmpCode: pick(CODES),
      urgency: 'planned' as const,
      inpatient: false,
      diagnosis: { icd10: 'I25.1', text: 'Атеросклеротическая болезнь сердца, стенокардия напряжения ФК III' },
      providerOrg: 'Национальный научный кардиохирургический центр',
      documents: [
        { kind: 'identity' as const, paper: true },
        { kind: 'referral' as const, paper: !gaps },
        {
          kind: 'record_extract' as const,
          paper: true,
          signatures: ['attending' as const, 'head_of_department' as const, ...(gaps ? [] : ['deputy_chief' as const])],
          seal: true,
          clinicalDiagnosis: 'ИБС. Стенокардия напряжения ФК III',
          files: withFile ? [`scan-${i}.pdf`] : [],
        },
        { kind: 'test_results' as const, paper: true, items: [{ name: 'ЭКГ', date: day }, { name: 'ЭхоКГ', date: day }] },
      ],
    };
    const { id } = importCase(core.context, input as never, (ref) => files[ref] ?? null);
    stats.cases++;
    if (withFile) {
      stats.attachments++;
      stats.attachmentBytes += fileSize;
    }
    if (!gaps && r() < 0.3) {
      const detail = await core.call('cases.get', { id });
      if (detail.status === 'registered' && detail.complete) {
        const outcome = r() < 0.8 ? 'approved' : 'refused';
        // Decided and issued the next day, by that day's clock (not the day the bench runs).
        await atClock(`${addDays(day, 1)}T11:00:00Z`, async () => {
          const dec = await core.call('cases.decide', {
            caseId: id,
            outcome,
            reason: outcome === 'approved' ? null : 'no_indications',
            members: MEMBERS,
            date: addDays(day, 1),
          });
          await core.call('cases.issueProtocol', { decisionId: dec.decision.id });
        });
        stats.decided++;
      }
    }
    if ((i + 1) % 1000 === 0) opts.onProgress?.(i + 1);
  }
  if (core.db.inTransaction) core.db.exec('COMMIT');
  return stats;
}
