import fs from 'node:fs';
import path from 'node:path';
import type { AnnualReport, DashboardData, ReportFile, ReportsMethods, ReportStatus } from '../../../shared/contract/reports';
import { MAX_DASHBOARD_MONTHS } from '../../../shared/contract/reports';
import type { AnnualReportDoc, PdfLang } from '../../../shared/documents';
import { isIsoDate } from '../../../shared/domain/calendar';
import type { FundingChannel, HtmpSection } from '../../../shared/domain/funding';
import { kzNow, kzToday } from '../../../shared/domain/kz-time';
import { aggregateAnnual, annualDueBy, compareAnnualRows, monthsOf, registryProviderId, reviewBucket, sortProviders, sortSectionFunding, type RefusalGround } from '../../../shared/domain/reports';
import type { LocalizedText } from '../../../shared/documents';
import { REVIEW_WORKING_DAYS } from '../../../shared/domain/deadline';
import { AppFailure } from '../../../shared/result';
import { ensureFacts, FACTS_SQL, factFromRow } from '../aftercare/facts';
import { prepareCharts } from '../charts/svg';
import type { CoreContext, Handlers } from '../context';
import { createPdfTranslator, defaultPdfTranslator, renderDocument, type PdfTranslate } from '../pdf';
import { localesDir } from '../paths';
import { annualXlsx } from '../reports/xlsx';
import type { TableSpec } from '../store';
import { nameBasedUuid } from '../store';
import { overdueCounts } from './aftercare';
import { readSettings } from './app';
import { commissionFromSettings } from './protocols';

/** Tables of user data owned by the reports area (written only through the Store). */
export const reportsTables: TableSpec[] = [{ name: 'report_submissions', columns: ['year', 'submitted_on', 'note'] }];

type H<M extends keyof ReportsMethods> = (args: ReportsMethods[M]['args'], ctx: CoreContext) => ReportsMethods[M]['result'] | Promise<ReportsMethods[M]['result']>;

function checkPeriod(from: string, to: string): void {
  if (!isIsoDate(from) || !isIsoDate(to) || from > to) throw new AppFailure('reports.bad_period', { from, to });
  if (monthsOf(from, to).length > MAX_DASHBOARD_MONTHS) throw new AppFailure('reports.period_too_long', { from, to, months: MAX_DASHBOARD_MONTHS });
}

// ---------------------------------------------------------------------------------------------
// Providers: a registry organization is counted by its id and named from the registry.

/**
 * Names of the providers of the facts: a registry key (`org:<id>`) gets the organization's names in
 * both languages; a text (older cases) stays as written. An organization no longer in the registry
 * keeps its key's id as its name (it is never silently merged with another).
 */
function providerNamer(ctx: CoreContext): (key: string) => LocalizedText {
  const byId = new Map<string, LocalizedText>();
  const get = ctx.db.prepare('SELECT name_kk, name_ru FROM organizations WHERE id = ?');
  return (key) => {
    const id = registryProviderId(key);
    if (id === null) return key;
    let n = byId.get(id);
    if (!n) {
      const r = get.get(id) as { name_kk: string; name_ru: string } | undefined;
      n = r ? { kk: r.name_kk || r.name_ru, ru: r.name_ru || r.name_kk } : id;
      byId.set(id, n);
    }
    return n;
  };
}

const inLang = (n: LocalizedText, lang: PdfLang): string => (typeof n === 'string' ? n : n[lang]);

/** The language the reports name things in when the caller does not say: the settings'. */
const reportLang = (ctx: CoreContext, lang: PdfLang | undefined): PdfLang => lang ?? readSettings(ctx).language;

// ---------------------------------------------------------------------------------------------
// Dashboard: a few GROUP BY queries on the derived facts (indexed by received date).

const POPULATION = "FROM report_facts WHERE received_date >= @from AND received_date <= @to AND status <> 'draft'";
// The provider's name of a facts row (the table keeps its number: aftercare/facts.ts FACTS_SQL).
const PROVIDER_NAME = '(SELECT name FROM report_providers WHERE id = provider_no)';

export function dashboard(ctx: CoreContext, from: string, to: string, today: string = kzToday(), lang?: PdfLang): DashboardData {
  checkPeriod(from, to);
  ensureFacts(ctx);
  const p = { from, to, today };
  const db = ctx.db;
  // One scan for the months, outcomes, sections and funding channels, and refusal grounds.
  const months = new Map(monthsOf(from, to).map((m) => [m, { month: m, approved: 0, refused: 0, undecided: 0 }]));
  const totals = { received: 0, approved: 0, refused: 0, undecided: 0 };
  const sf = new Map<string, { section: HtmpSection | null; funding: FundingChannel | null; count: number }>();
  const refusalsByGround: Record<RefusalGround, number> = { no_indications: 0, incomplete_packet: 0, not_authentic: 0 };
  for (const r of db
    .prepare(`SELECT substr(received_date, 1, 7) AS month, status, section, funding, reason, count(*) AS n ${POPULATION} GROUP BY month, status, section, funding, reason`)
    .all(p) as { month: string; status: string; section: HtmpSection | null; funding: FundingChannel | null; reason: RefusalGround | null; n: number }[]) {
    const m = months.get(r.month);
    if (m) {
      if (r.status === 'approved') m.approved += r.n;
      else if (r.status === 'refused') m.refused += r.n;
      else m.undecided += r.n;
    }
    if (r.status === 'approved') totals.approved += r.n;
    else if (r.status === 'refused') totals.refused += r.n;
    else totals.undecided += r.n;
    const k = `${r.section ?? ''}|${r.funding ?? ''}`;
    const x = sf.get(k) ?? { section: r.section, funding: r.funding, count: 0 };
    x.count += r.n;
    sf.set(k, x);
    if (r.status === 'refused' && r.reason !== null) refusalsByGround[r.reason] += r.n;
  }
  totals.received = totals.approved + totals.refused + totals.undecided;

  // Working days from receipt to decision: the whole distribution (a handful of values), for the
  // buckets and the exact median.
  const buckets = new Map<number, number>([0, 1, 2, 3, 4, 5].map((d) => [d, 0]));
  const dist: { w: number; n: number }[] = [];
  let onTime = 0;
  let late = 0;
  for (const r of db.prepare(`SELECT review_wd AS w, count(*) AS n, sum(review_on_time) AS ok ${POPULATION} AND review_wd IS NOT NULL GROUP BY review_wd ORDER BY review_wd`).all(p) as { w: number; n: number; ok: number }[]) {
    buckets.set(reviewBucket(r.w), buckets.get(reviewBucket(r.w))! + r.n);
    dist.push({ w: r.w, n: r.n });
    onTime += r.ok;
    late += r.n - r.ok;
  }
  const decided = onTime + late;
  const nth = (k: number): number => {
    let seen = 0;
    for (const x of dist) if ((seen += x.n) > k) return x.w;
    return dist.at(-1)?.w ?? 0;
  };
  const median = decided === 0 ? null : (nth(Math.floor((decided - 1) / 2)) + nth(Math.floor(decided / 2))) / 2;

  const name = providerNamer(ctx);
  const l = reportLang(ctx, lang);
  const byProvider = sortProviders(
    (
      db.prepare(`SELECT ${PROVIDER_NAME} AS provider, count(*) AS approved, count(operation_date) AS operations ${POPULATION} AND status = 'approved' GROUP BY provider_no`).all(p) as {
        provider: string;
        approved: number;
        operations: number;
      }[]
    ).map((r) => ({ ...r, provider: inLang(name(r.provider), l), providerOrgId: registryProviderId(r.provider) })),
  );
  const fu = db
    .prepare(
      `SELECT count(*) AS approved, count(operation_date) AS operated, coalesce(sum(complications = 1), 0) AS complications, coalesce(sum(disability = 1), 0) AS disability,
              coalesce(sum(death = 1), 0) AS deaths, coalesce(sum(survival_one_year = 1), 0) AS aliveOneYear,
              coalesce(sum(follow_up_due <= @today), 0) AS followUpDue,
              coalesce(sum(follow_up_due <= @today AND survival_one_year IS NULL AND coalesce(death, 0) <> 1), 0) AS pending
         ${POPULATION} AND status = 'approved'`,
    )
    .get(p) as DashboardData['followUp'];
  return {
    period: { from, to },
    today,
    totals,
    perMonth: [...months.values()],
    reviewTime: { deadline: REVIEW_WORKING_DAYS, buckets: [...buckets].map(([days, count]) => ({ days, count })), onTime, late, median },
    overdueNow: overdueCounts(ctx, today),
    bySectionFunding: sortSectionFunding([...sf.values()]),
    byProvider,
    refusalsByGround,
    followUp: fu,
  };
}

// ---------------------------------------------------------------------------------------------
// The annual report: the facts with any event in the year (index ranges), counted by the pure rules.

/** The annual report's rows with their providers named (both languages), in the report's order for `lang`. */
function annualRows(ctx: CoreContext, year: number, lang: PdfLang) {
  ensureFacts(ctx);
  const a = `${year}-01-01`;
  const b = `${year}-12-31`;
  const rows = ctx.db
    .prepare(
      `${FACTS_SQL}
        WHERE f.received_date BETWEEN @a AND @b OR f.decided_on BETWEEN @a AND @b OR f.operation_date BETWEEN @a AND @b
           OR f.death_date BETWEEN @a AND @b OR f.follow_up_due BETWEEN @a AND @b`,
    )
    .all({ a, b }) as Record<string, unknown>[];
  const agg = aggregateAnnual(rows.map(factFromRow), year);
  const name = providerNamer(ctx);
  const named = agg.rows
    .map((r) => ({ ...r, names: name(r.provider), providerOrgId: registryProviderId(r.provider) }))
    .map((r) => ({ ...r, provider: inLang(r.names, lang) }))
    .sort(compareAnnualRows);
  return { ...agg, rows: named };
}

export function annualReport(ctx: CoreContext, year: number, lang?: PdfLang): AnnualReport {
  const agg = annualRows(ctx, year, reportLang(ctx, lang));
  return { year, dueBy: annualDueBy(year), rows: agg.rows.map(({ names: _names, ...r }) => r), totals: agg.totals, bySection: agg.bySection };
}

/** The annual report's statement: one for every language (the registry's names in both). */
export function annualDoc(ctx: CoreContext, year: number, generatedAt: string = kzNow()): AnnualReportDoc {
  const r = annualRows(ctx, year, readSettings(ctx).language);
  return {
    kind: 'annual_report',
    year,
    dueBy: annualDueBy(year),
    commission: commissionFromSettings(ctx),
    rows: r.rows.map(({ htmpCode, names, providerOrgId: _id, provider: _p, ...m }) => ({ code: htmpCode, provider: names, ...m })),
    bySection: r.bySection,
    totals: r.totals,
    generatedAt,
  };
}

let reportsMessages: { dir: string; t: PdfTranslate } | null = null;

/** The PDF translator of the annual report: its own words from reports.json, the rest from pdf.json. */
export function reportsPdfTranslator(dir: string = localesDir()): PdfTranslate {
  if (reportsMessages?.dir !== dir) {
    const read = (lang: PdfLang): unknown => JSON.parse(fs.readFileSync(path.join(dir, lang, 'reports.json'), 'utf8'));
    const own = createPdfTranslator({ kk: read('kk'), ru: read('ru') });
    const common = defaultPdfTranslator(dir);
    reportsMessages = { dir, t: (lang, key, params) => (key.startsWith('annual.') || key.startsWith('charts.') ? own(lang, key, params) : common(lang, key, params)) };
  }
  return reportsMessages.t;
}

export async function annualPdf(ctx: CoreContext, year: number, lang: PdfLang): Promise<ReportsMethods['reports.annualPdf']['result']> {
  const doc = annualDoc(ctx, year);
  await prepareCharts();
  const r = await renderDocument(doc, { lang, t: reportsPdfTranslator() });
  return {
    base64: r.buffer.toString('base64'),
    fileName: `annual-report-${year}-${lang}.pdf`,
    mime: 'application/pdf',
    bytes: r.buffer.length,
    pages: r.pages,
    sha256: r.sha256,
    verification: r.verification,
  };
}

// ---------------------------------------------------------------------------------------------
// Submission and the reminder.

function submission(ctx: CoreContext, year: number): { id: string; submitted_on: string | null; note: string | null } | undefined {
  return ctx.db.prepare('SELECT id, submitted_on, note FROM report_submissions WHERE year = ?').get(year) as { id: string; submitted_on: string | null; note: string | null } | undefined;
}

/**
 * The report due now is last year's (point 42: in the first quarter after the reporting year). The
 * Today screen reminds of it from 1 January until it is marked submitted; after 31 March only if
 * the year has anything to report.
 */
export function reportStatus(ctx: CoreContext, today: string = kzToday(), year: number = Number(today.slice(0, 4)) - 1): ReportStatus {
  const dueBy = annualDueBy(year);
  const s = submission(ctx, year);
  const submittedOn = s?.submitted_on ?? null;
  let remind = submittedOn === null;
  if (remind && today > dueBy) {
    ensureFacts(ctx);
    const a = `${year}-01-01`;
    const b = `${year}-12-31`;
    remind = ctx.db.prepare("SELECT 1 FROM report_facts WHERE (received_date BETWEEN ? AND ? AND status <> 'draft') OR decided_on BETWEEN ? AND ? LIMIT 1").get(a, b, a, b) !== undefined;
  }
  return { today, year, dueBy, submittedOn, note: s?.note ?? null, remind, overdue: submittedOn === null && today > dueBy };
}

// ---------------------------------------------------------------------------------------------
// Handlers.

const file = (buffer: Buffer, fileName: string, mime: string): ReportFile => ({ base64: buffer.toString('base64'), fileName, mime, bytes: buffer.length });

export const reportsHandlers: { [M in keyof ReportsMethods]: H<M> } & Pick<Handlers, keyof ReportsMethods> = {
  'reports.dashboard': (a, ctx) => dashboard(ctx, a.from, a.to, a.today, a.lang),
  'reports.annual': (a, ctx) => annualReport(ctx, a.year, a.lang),
  'reports.annualPdf': (a, ctx) => annualPdf(ctx, a.year, a.lang),
  'reports.annualXlsx': async (a, ctx) => {
    const r = annualReport(ctx, a.year, a.lang);
    const buffer = await annualXlsx(r, a.lang, commissionFromSettings(ctx));
    return file(buffer, `annual-report-${a.year}-${a.lang}.xlsx`, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  },
  'reports.status': (a, ctx) => reportStatus(ctx, a.today, a.year),
  'reports.markSubmitted': (a, ctx) => {
    const today = kzToday();
    if (a.submittedOn !== null) {
      if (a.submittedOn > today) throw new AppFailure('reports.date_in_future', { date: fmtDate(a.submittedOn) });
      if (a.submittedOn < `${a.year + 1}-01-01`) throw new AppFailure('reports.submitted_too_early', { date: fmtDate(a.submittedOn), year: a.year });
    }
    ctx.store.transaction(() => {
      const s = submission(ctx, a.year);
      const values = { submitted_on: a.submittedOn, ...(a.note !== undefined ? { note: a.note === null || a.note.trim() === '' ? null : a.note } : {}) };
      if (s) ctx.store.update('report_submissions', s.id, values);
      else ctx.store.insert('report_submissions', { id: nameBasedUuid(`report_submissions/${a.year}`), year: a.year, note: null, ...values });
    });
    ctx.emit({ type: 'data.changed', payload: { area: 'reports' } });
    return reportStatus(ctx, today, a.year);
  },
};

const fmtDate = (d: string): string => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;
