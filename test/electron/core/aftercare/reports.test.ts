import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../../../shared/result';
import { aggregateDashboard } from '../../../../shared/domain/reports';
import { CHART_COLORS } from '../../../../shared/reports/charts';
import type { Core } from '../../../../electron/core/core';
import { FACTS_SQL, factFromRow } from '../../../../electron/core/aftercare/facts';
import { tempCore, tempDir } from '../../../support/temp';
import { completeDraft, makeIin, MEMBERS } from '../cases-fixtures';

let serial = 100;
interface Spec {
  receivedAt: string;
  code?: string;
  urgency?: 'planned' | 'emergency';
  insured?: boolean;
  provider?: string | null;
  outcome?: 'approved' | 'refused';
  reason?: 'no_indications' | 'incomplete_packet' | 'not_authentic';
  date?: string;
  incomplete?: boolean;
  draft?: boolean;
  inpatient?: boolean;
  followUp?: Record<string, unknown>;
}

async function makeCase(core: Core, s: Spec): Promise<string> {
  const d = completeDraft({ receivedAt: s.receivedAt, iin: makeIin('1970-01-15', 'male', serial++), htmpCode: s.code ?? '54.970.059' });
  const { id } = await core.call('cases.save', {
    ...d,
    patient: { ...d.patient, birthDate: '1970-01-15', insured: s.insured ?? true },
    urgency: s.urgency ?? 'planned',
    inpatient: s.inpatient ?? false,
    channel: s.inpatient ? 'email' : 'paper',
    providerOrg: s.provider === undefined ? 'A' : s.provider,
    documents: s.incomplete ? d.documents.slice(0, 3) : d.documents,
  });
  if (s.draft) return id;
  await core.call('cases.register', { id });
  if (s.outcome) await core.call('cases.decide', { caseId: id, outcome: s.outcome, reason: s.reason ?? null, members: MEMBERS, date: s.date!, issue: true });
  if (s.followUp) await core.call('cases.followUp', { caseId: id, ...s.followUp });
  return id;
}

/**
 * The register, counted by hand for 2026 (code, urgency -> section and funding, provider):
 *  A 54.970.059 planned insured (2, OSMS), 'A': received Mon 2 Feb, approved 3 Feb (1 wd); operated 20 Feb, complications
 *  B 54.970.059 planned uninsured (2, GOBMP), ' A ': received Fri 20 Mar 16:30, approved 27 Mar (2 wd across Nauryz, on time);
 *    operated 1 Apr, disability, died 1 Jun
 *  C 35.84 emergency (1, GOBMP), 'B': received Fri 6 Mar, approved 12 Mar (3 wd across 9 March: late)
 *  D 35.84 planned insured (3, OSMS), 'B': received 3 Mar 2025, approved 4 Mar 2025, operated 10 Mar 2025, alive at one year
 *  E 54.970.059, 'A': received 10 Feb, refused 11 Feb, no indications
 *  F 54.970.059 (no test results), 'A': received 16 Feb, refused 17 Feb, incomplete packet
 *  G 54.970.059 inpatient, 'A': received 30 Dec 2025, refused 5 Jan 2026, not authentic
 *  H 54.970.059, no provider: received Mon 23 Mar (a day off), undecided
 *  I a draft received in 2026
 */
async function fixture(core: Core) {
  const ids = {
    A: await makeCase(core, { receivedAt: '2026-02-02T10:00', outcome: 'approved', date: '2026-02-03', followUp: { operationDate: '2026-02-20', complications: true, disability: false } }),
    B: await makeCase(core, { receivedAt: '2026-03-20T16:30', insured: false, provider: '  A ', outcome: 'approved', date: '2026-03-27', followUp: { operationDate: '2026-04-01', disability: true, death: true, deathDate: '2026-06-01' } }),
    C: await makeCase(core, { receivedAt: '2026-03-06T10:00', code: '35.84', urgency: 'emergency', provider: 'B', outcome: 'approved', date: '2026-03-12' }),
    D: await makeCase(core, { receivedAt: '2025-03-03T10:00', code: '35.84', provider: 'B', outcome: 'approved', date: '2025-03-04', followUp: { operationDate: '2025-03-10', survivalOneYear: true } }),
    E: await makeCase(core, { receivedAt: '2026-02-10T10:00', outcome: 'refused', reason: 'no_indications', date: '2026-02-11' }),
    F: await makeCase(core, { receivedAt: '2026-02-16T10:00', incomplete: true, outcome: 'refused', reason: 'incomplete_packet', date: '2026-02-17' }),
    G: await makeCase(core, { receivedAt: '2025-12-30T10:00', inpatient: true, outcome: 'refused', reason: 'not_authentic', date: '2026-01-05' }),
    H: await makeCase(core, { receivedAt: '2026-03-23T10:00', provider: null }),
    I: await makeCase(core, { receivedAt: '2026-03-24T10:00', draft: true }),
  };
  return ids;
}

describe('the annual report through the app, against the hand count', () => {
  it('totals, rows per code / section / provider, per section', async () => {
    const core = tempCore();
    await fixture(core);
    const r = await core.call('reports.annual', { year: 2026 });
    expect(r.dueBy).toBe('2027-03-31');
    expect(r.totals).toEqual({
      referrals: 6, // A B C E F H
      approvals: 3, // A B C
      refusals: { no_indications: 1, incomplete_packet: 1, not_authentic: 1 }, // E F G
      refusalsTotal: 3,
      operations: 2, // A B
      complications: 1, // A
      disability: 1, // B
      followUpDue: 1, // D (10 March 2026)
      aliveOneYear: 1, // D
      deaths: 1, // B
    });
    expect(r.rows.map((x) => [x.htmpCode, x.section, x.provider, x.referrals, x.approvals, x.refusalsTotal, x.operations, x.followUpDue, x.aliveOneYear, x.deaths])).toEqual([
      ['35.84', 1, 'B', 1, 1, 0, 0, 0, 0, 0], // C
      ['35.84', 3, 'B', 0, 0, 0, 0, 1, 1, 0], // D
      ['54.970.059', 2, '', 1, 0, 0, 0, 0, 0, 0], // H
      ['54.970.059', 2, 'A', 4, 2, 3, 2, 0, 0, 1], // A B E F G
    ]);
    expect(r.rows[3]!.refusals).toEqual({ no_indications: 1, incomplete_packet: 1, not_authentic: 1 });
    expect(r.bySection.map((s) => [s.section, s.referrals, s.approvals, s.refusalsTotal])).toEqual([
      [1, 1, 1, 0],
      [2, 5, 2, 3],
      [3, 0, 0, 0],
    ]);
    const last = await core.call('reports.annual', { year: 2025 });
    expect(last.totals).toMatchObject({ referrals: 2, approvals: 1, operations: 1, refusalsTotal: 0, followUpDue: 0 }); // D, G; D
    expect((await core.call('reports.annual', { year: 2030 })).rows).toEqual([]);
  });

  it('the dashboard: hand count, and the SQL equals the JavaScript reference over the same facts', async () => {
    const core = tempCore();
    await fixture(core);
    const d = await core.call('reports.dashboard', { from: '2026-01-01', to: '2026-03-31', today: '2026-05-01' });
    expect(d.totals).toEqual({ received: 6, approved: 3, refused: 2, undecided: 1 });
    expect(d.perMonth).toEqual([
      { month: '2026-01', approved: 0, refused: 0, undecided: 0 },
      { month: '2026-02', approved: 1, refused: 2, undecided: 0 },
      { month: '2026-03', approved: 2, refused: 0, undecided: 1 },
    ]);
    // A 1, B 2 (Nauryz), C 3 (9 March), E 1, F 1.
    expect(d.reviewTime).toMatchObject({ onTime: 4, late: 1, median: 1, deadline: 2 });
    expect(d.reviewTime.buckets.map((b) => b.count)).toEqual([0, 3, 1, 1, 0, 0]);
    expect(d.bySectionFunding).toEqual([
      { section: 1, funding: 'gobmp', count: 1 },
      { section: 2, funding: 'gobmp', count: 1 },
      { section: 2, funding: 'osms', count: 4 },
    ]);
    expect(d.byProvider).toEqual([
      { provider: 'A', providerOrgId: null, approved: 2, operations: 2 },
      { provider: 'B', providerOrgId: null, approved: 1, operations: 0 },
    ]);
    expect(d.refusalsByGround).toEqual({ no_indications: 1, incomplete_packet: 1, not_authentic: 0 });
    expect(d.followUp).toEqual({ approved: 3, operated: 2, complications: 1, disability: 1, deaths: 1, aliveOneYear: 0, followUpDue: 0, pending: 0 });
    // H and the draft I are past their review deadline (27 March); nothing after approval has a due
    // date yet (no Portal upload) but D's follow-up, which is done.
    expect(d.overdueNow).toEqual({ review: 2, hospitalization_date: 0, inform: 0, follow_up: 0 });

    const facts = (core.db.prepare(FACTS_SQL).all() as Record<string, unknown>[]).map(factFromRow);
    for (const [from, to, today] of [
      ['2026-01-01', '2026-03-31', '2026-05-01'],
      ['2025-01-01', '2026-12-31', '2026-11-30'],
      ['2026-03-20', '2026-03-20', '2026-03-21'],
      ['2024-01-01', '2024-12-31', '2026-11-30'],
    ] as const) {
      const sql = await core.call('reports.dashboard', { from, to, today });
      const { overdueNow: _o, period: _p, today: _t, ...numbers } = sql;
      expect(numbers).toEqual(aggregateDashboard(facts, from, to, today));
    }
  });

  it('refuses a bad or too long period', async () => {
    const core = tempCore();
    const fail = async (args: { from: string; to: string }) => {
      try {
        await core.call('reports.dashboard', args);
      } catch (e) {
        return (e as AppFailure).code;
      }
      return 'ok';
    };
    expect(await fail({ from: '2026-05-01', to: '2026-01-01' })).toBe('reports.bad_period');
    expect(await fail({ from: '2026-02-30', to: '2026-03-01' })).toBe('reports.bad_period');
    expect(await fail({ from: '2010-01-01', to: '2026-01-01' })).toBe('reports.period_too_long');
    expect(await fail({ from: '2026-01-01', to: '2026-01-01' })).toBe('ok');
  });
});

/** Pixels of a colour in a PPM image rendered by pdftoppm (P6, 8 bits). */
function countColor(ppm: Buffer, hex: string, tolerance = 24): number {
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.subarray(0, 40).toString('latin1'))!;
  const start = header[0].length;
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = start; i + 2 < ppm.length; i += 3) {
    if (Math.abs(ppm[i]! - r!) <= tolerance && Math.abs(ppm[i + 1]! - g!) <= tolerance && Math.abs(ppm[i + 2]! - b!) <= tolerance) n++;
  }
  return n;
}

describe('the annual report as files', () => {
  it.each(['kk', 'ru'] as const)('PDF in %s: text, embedded fonts, and the SVG charts really drawn (pdftoppm)', async (lang) => {
    const core = tempCore();
    await fixture(core);
    const r = await core.call('reports.annualPdf', { year: 2026, lang });
    const dir = tempDir();
    const file = path.join(dir, r.fileName);
    fs.writeFileSync(file, Buffer.from(r.base64, 'base64'));
    expect(r.fileName).toBe(`annual-report-2026-${lang}.pdf`);
    expect(r.verification).toBe(`HTMP-ANNUAL|2026|${r.sha256}`);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    const words = lang === 'kk' ? ['ЖТМК көрсету және динамикалық', 'Тізбе бөлімдері бойынша', 'Өлім-жітім', '54.970.059', 'Комиссия хатшысы'] : ['Отчёт об оказании ВТМП', 'По разделам перечня', 'Летальность', '54.970.059', 'Секретарь комиссии'];
    for (const w of words) expect(text).toContain(w);
    // Chart labels are SVG text: drawn with the embedded font, so they can be extracted too.
    expect(text).toContain(lang === 'kk' ? 'Мақұлданды' : 'Одобрено');
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).toMatch(/DejaVuSans\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(fonts).not.toMatch(/Helvetica|Roboto/);
    // Page 1 holds the first chart: its bars are drawn in the chart colours.
    execFileSync('pdftoppm', ['-r', '50', '-f', '1', '-l', '2', file, path.join(dir, 'page')]);
    const pages = fs.readdirSync(dir).filter((f) => f.startsWith('page') && f.endsWith('.ppm')).sort();
    const ppm = pages.map((p) => fs.readFileSync(path.join(dir, p)));
    const approvedPixels = ppm.reduce((n, p) => n + countColor(p, CHART_COLORS.approved), 0);
    const refusedPixels = ppm.reduce((n, p) => n + countColor(p, CHART_COLORS.refused), 0);
    expect(approvedPixels).toBeGreaterThan(100);
    expect(refusedPixels).toBeGreaterThan(100);
  }, 120_000);

  it('the same statement gives the same hash; a missing commission name is refused', async () => {
    const core = tempCore();
    await fixture(core);
    const a = await core.call('reports.annualPdf', { year: 2026, lang: 'kk' });
    const b = await core.call('reports.annualPdf', { year: 2026, lang: 'ru' });
    expect(a.sha256).toBe(b.sha256);
    const bare = tempCore({ commission: false });
    await expect(bare.call('reports.annualPdf', { year: 2026, lang: 'kk' })).rejects.toMatchObject({ code: 'protocols.commission_missing' });
  }, 120_000);

  it('XLSX opened with exceljs holds the report\'s numbers', async () => {
    const core = tempCore();
    await fixture(core);
    const report = await core.call('reports.annual', { year: 2026 });
    const x = await core.call('reports.annualXlsx', { year: 2026, lang: 'ru' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(x.base64, 'base64') as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Свод', 'По кодам', 'По разделам']);
    const rows = wb.getWorksheet('По кодам')!;
    const header = (rows.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 5)).toEqual(['Код ВТМП', 'Раздел', 'Организация, оказывающая ВТМП', 'Направлений', 'Одобрено']);
    const data = report.rows.map((r) => [r.htmpCode, r.section ?? '', r.provider === '' ? 'организация не указана' : r.provider, r.referrals, r.approvals, r.refusals.no_indications, r.refusals.incomplete_packet, r.refusals.not_authentic, r.refusalsTotal, r.operations, r.complications, r.disability, r.followUpDue, r.aliveOneYear, r.deaths]);
    for (let i = 0; i < data.length; i++) expect((rows.getRow(2 + i).values as unknown[]).slice(1)).toEqual(data[i]);
    const total = (rows.getRow(2 + data.length).values as unknown[]).slice(1);
    expect(total).toEqual(['Итого', '', '', 6, 3, 1, 1, 1, 3, 2, 1, 1, 1, 1, 1]);
    const summary = wb.getWorksheet('Свод')!;
    const values = new Map<string, unknown>();
    summary.eachRow((r) => values.set(String(r.getCell(1).value), r.getCell(2).value));
    expect(values.get('Поступило направлений (зарегистрированные дела)')).toBe(6);
    expect(values.get('Летальность: умерло пациентов')).toBe(1);
  }, 120_000);
});
