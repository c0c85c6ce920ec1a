/**
 * The reports area's API: the dashboard (the numbers behind each chart, over a period) and the
 * annual report of ДСМ-238 point 42 (per HTMP code, section and provider; PDF in Kazakh or Russian
 * with charts, and XLSX), with the reminder that it is due in the first quarter of the next year.
 *
 * How each number is counted: docs/reports.md (and shared/domain/reports.ts). Both read the
 * derived `report_facts` table, kept by electron/core/aftercare/facts.ts.
 */
import { z } from 'zod';
import { lazySchemas } from './lazy';
import type { FundingChannel, HtmpSection } from '../domain/funding';
import type { Measures } from '../domain/reports';
import type { OverdueStepId } from './aftercare';

const isoDate = z.string().regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, 'date');
const year = z.number().int().min(2000).max(2100);
export const reportLangSchema = z.enum(['kk', 'ru']);
/** The longest dashboard period (a longer one is refused: the monthly chart would be unreadable). */
export const MAX_DASHBOARD_MONTHS = 120;

export const reportsSchemas = lazySchemas(['reports'], () => ({
  /** The dashboard's numbers for cases received in the period (inclusive); "overdue now" on `today`. */
  'reports.dashboard': z.object({ from: isoDate, to: isoDate, today: isoDate.optional(), lang: reportLangSchema.optional() }).strict(),
  /** The annual report's numbers for a reporting year. */
  'reports.annual': z.object({ year, lang: reportLangSchema.optional() }).strict(),
  /** The annual report as PDF (with charts) in one language. */
  'reports.annualPdf': z.object({ year, lang: reportLangSchema }).strict(),
  /** The annual report as an XLSX workbook in one language. */
  'reports.annualXlsx': z.object({ year, lang: reportLangSchema }).strict(),
  /** The reporting year due now (or `year`) and whether it was submitted (the Today screen's reminder). */
  'reports.status': z.object({ today: isoDate.optional(), year: year.optional() }).strict(),
  /** Marks (or, with null, unmarks) the annual report of a year as submitted to the authority. */
  'reports.markSubmitted': z.object({ year, submittedOn: isoDate.nullable(), note: z.string().max(2000).nullable().optional() }).strict(),
}));

export type ReportLang = z.infer<typeof reportLangSchema>;

// ---------------------------------------------------------------------------------------------
// Dashboard.

export const REFUSAL_GROUNDS = ['no_indications', 'incomplete_packet', 'not_authentic'] as const;
export type RefusalGround = (typeof REFUSAL_GROUNDS)[number];

/** Review time buckets: working days after receipt to the decision; 5 means "5 or more". */
export const REVIEW_BUCKETS = [0, 1, 2, 3, 4, 5] as const;

export interface DashboardData {
  period: { from: string; to: string };
  today: string;
  /** Registered cases received in the period, by their state now. */
  totals: { received: number; approved: number; refused: number; undecided: number };
  /** Every month of the period, zero-filled. */
  perMonth: { month: string; approved: number; refused: number; undecided: number }[];
  /** Decided cases received in the period: working days from receipt to decision. */
  reviewTime: { deadline: number; buckets: { days: number; count: number }[]; onTime: number; late: number; median: number | null };
  /** Every step overdue on `today` (not bound to the period). */
  overdueNow: Record<OverdueStepId, number>;
  /** Registered cases received in the period by section of the list and funding channel. */
  bySectionFunding: { section: HtmpSection | null; funding: FundingChannel | null; count: number }[];
  /**
   * Approved cases received in the period by provider: approvals and operations; largest first.
   * A provider chosen from the registry is counted by its id (`providerOrgId`) and named from the
   * registry in `lang` (default: the settings' language); older cases by their provider text.
   */
  byProvider: { provider: string; providerOrgId: string | null; approved: number; operations: number }[];
  /** Refused cases received in the period by ground of point 40. */
  refusalsByGround: Record<RefusalGround, number>;
  /** Approved cases received in the period: what the follow-up recorded. */
  followUp: { approved: number; operated: number; complications: number; disability: number; deaths: number; aliveOneYear: number; followUpDue: number; pending: number };
}

// ---------------------------------------------------------------------------------------------
// Annual report.

/** The measures of one row (and of the totals) of the annual report; see docs/reports.md. */
export type AnnualMeasures = Measures;

export interface AnnualRow extends AnnualMeasures {
  htmpCode: string;
  section: HtmpSection | null;
  /** The provider's name: the registry's in the report's language, else the case's text ('' when none). */
  provider: string;
  /** The registry organization counted in this row (null: the case's provider text, older cases). */
  providerOrgId: string | null;
}

export interface AnnualReport {
  year: number;
  /** First quarter of the next year: the report is due by this day. */
  dueBy: string;
  rows: AnnualRow[];
  totals: AnnualMeasures;
  bySection: ({ section: HtmpSection | null } & AnnualMeasures)[];
}

export interface ReportFile {
  base64: string;
  fileName: string;
  mime: string;
  bytes: number;
}

export interface ReportStatus {
  today: string;
  /** The year whose report is due (last year), its due day and its submission. */
  year: number;
  dueBy: string;
  submittedOn: string | null;
  note: string | null;
  /** The Today screen shows the reminder (from 1 January until it is submitted). */
  remind: boolean;
  overdue: boolean;
}

type Args<K extends keyof typeof reportsSchemas> = z.infer<(typeof reportsSchemas)[K]>;

export interface ReportsMethods {
  'reports.dashboard': { args: Args<'reports.dashboard'>; result: DashboardData };
  'reports.annual': { args: Args<'reports.annual'>; result: AnnualReport };
  'reports.annualPdf': { args: Args<'reports.annualPdf'>; result: ReportFile & { pages: number; sha256: string; verification: string } };
  'reports.annualXlsx': { args: Args<'reports.annualXlsx'>; result: ReportFile };
  'reports.status': { args: Args<'reports.status'>; result: ReportStatus };
  'reports.markSubmitted': { args: Args<'reports.markSubmitted'>; result: ReportStatus };
}

/** Error codes of the reports area, translated under `errors.<code>` in locales/<lang>/reports.json. */
export const REPORTS_ERROR_CODES = ['reports.bad_period', 'reports.period_too_long', 'reports.date_in_future', 'reports.submitted_too_early', 'reports.bad_output', 'reports.bad_year'] as const;
