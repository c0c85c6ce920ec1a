/**
 * How the reports count (ДСМ-238 point 42; docs/reports.md says it for people).
 *
 * One fact per case (`CaseFact`) holds the dimensions (HTMP code, section of the list, funding
 * channel, provider) and the dates and outcomes the counts are made from. The Node side keeps the
 * facts in a table; everything here is pure, so the same rules serve the annual report, the tests'
 * hand-counted fixtures and the benchmark's naive peer.
 *
 * Annual report for year Y, per (code, section, provider), each count by the date of its event:
 *   referrals       registered cases received in Y;
 *   approvals       cases whose decision in force is an approval dated in Y;
 *   refusals        ... a refusal dated in Y, by ground (point 40, subpoints 1-3);
 *   operations      approved cases operated in Y; complications and disability: of those;
 *   one-year        approved cases whose one-year check (operation + 1 year) fell in Y, and of
 *                   them those alive at one year;
 *   deaths          approved cases whose patient died in Y («өлім-жітім» is this aggregate).
 *
 * Dashboard over a period: the cases received in it (drafts aside), so that its charts add up
 * (the refused of the monthly chart are the refusals by ground).
 */
import { followUpDue, workingDaysBetween } from './aftercare';
import { isIsoDate, type IsoDate, type WorkCalendar } from './calendar';
import { localDatePart, reviewDue, REVIEW_WORKING_DAYS } from './deadline';
import { deriveFunding, type FundingChannel, type FundingResult, type HtmpSection } from './funding';

export type RefusalGround = 'no_indications' | 'incomplete_packet' | 'not_authentic';
export const GROUNDS: readonly RefusalGround[] = ['no_indications', 'incomplete_packet', 'not_authentic'];

/** One case as the reports see it. */
export interface CaseFact {
  caseId: string;
  status: 'draft' | 'registered' | 'approved' | 'refused';
  receivedDate: IsoDate | null;
  htmpCode: string;
  section: HtmpSection | null;
  funding: FundingChannel | null;
  provider: string;
  inpatient: boolean;
  outcome: 'approved' | 'refused' | null;
  reason: RefusalGround | null;
  decidedOn: IsoDate | null;
  reviewDue: IsoDate | null;
  /** Working days after the day of receipt up to the decision (0: decided the day it came). */
  reviewWd: number | null;
  reviewOnTime: boolean | null;
  operationDate: IsoDate | null;
  complications: boolean | null;
  disability: boolean | null;
  death: boolean | null;
  deathDate: IsoDate | null;
  survivalOneYear: boolean | null;
  followUpDue: IsoDate | null;
}

/** What a fact is derived from: the stored case, its patient's insurance and its follow-up. */
export interface FactInput {
  caseId: string;
  status: CaseFact['status'];
  receivedAt: string;
  htmpCode: string;
  urgency: 'planned' | 'emergency' | null;
  insured: boolean | null;
  providerOrg: string | null;
  /** The organization chosen from the registry (orgs.setCaseProvider), when it still exists. */
  providerOrgId?: string | null;
  inpatient: boolean;
  outcome: 'approved' | 'refused' | null;
  reason: RefusalGround | null;
  decidedOn: IsoDate | null;
  operationDate: IsoDate | null;
  complications: boolean | null;
  disability: boolean | null;
  death: boolean | null;
  deathDate: IsoDate | null;
  survivalOneYear: boolean | null;
}

export type SectionLookup = (code: string, onDate: IsoDate) => { known: boolean; inForce: boolean; sections: HtmpSection[] };

/** The key of a provider chosen from the registry: this prefix and the organization's id. */
export const REGISTRY_PROVIDER_PREFIX = 'org:';

/**
 * The provider a case is counted under (the ONE place that decides it): the registry
 * organization chosen on the case (`org:<id>`, so a renamed organization or one written in the
 * other language stays one row), else — older cases, chosen before the registry — the case's
 * provider text, trimmed, spaces collapsed ('' when none). The reports name a registry key from
 * the registry, in the report's language.
 */
export function providerKey(providerOrg: string | null | undefined, providerOrgId: string | null = null): string {
  if (providerOrgId) return `${REGISTRY_PROVIDER_PREFIX}${providerOrgId}`;
  return typeof providerOrg === 'string' ? providerOrg.replace(/\s+/g, ' ').trim() : '';
}

/** The registry organization's id of a provider key, or null for a text (or no) provider. */
export function registryProviderId(key: string): string | null {
  return key.startsWith(REGISTRY_PROVIDER_PREFIX) ? key.slice(REGISTRY_PROVIDER_PREFIX.length) : null;
}

/** The section of the list a funding result applies (emergency: 1; planned: 2, else 3). */
export function sectionOfFunding(f: FundingResult | null): HtmpSection | null {
  if (!f) return null;
  const k = f.reason.key;
  if (k === 'funding.emergency_section1') return 1;
  if (k.startsWith('funding.planned_section2')) return 2;
  if (k.startsWith('funding.planned_section3')) return 3;
  return null;
}

/** The report fact of a case. */
export function deriveFact(i: FactInput, cal: WorkCalendar, lookup: SectionLookup): CaseFact {
  const receivedDate = localDatePart(i.receivedAt);
  let funding: FundingResult | null = null;
  const code = i.htmpCode.trim();
  if (code !== '' && receivedDate !== null && (i.urgency === 'planned' || i.urgency === 'emergency')) {
    const hit = lookup(code, receivedDate);
    if (hit.known && hit.inForce) funding = deriveFunding(hit.sections, i.urgency, { insured: i.insured });
  }
  const due = receivedDate !== null ? reviewDue(i.receivedAt, cal).due : null;
  const decided = i.outcome !== null && i.decidedOn !== null && isIsoDate(i.decidedOn);
  return {
    caseId: i.caseId,
    status: i.status,
    receivedDate,
    htmpCode: code,
    section: sectionOfFunding(funding),
    funding: funding?.channel ?? null,
    provider: providerKey(i.providerOrg, i.providerOrgId ?? null),
    inpatient: i.inpatient,
    outcome: i.outcome,
    reason: i.outcome === 'refused' ? i.reason : null,
    decidedOn: i.decidedOn,
    reviewDue: due,
    reviewWd: decided && receivedDate !== null ? workingDaysBetween(receivedDate, i.decidedOn!, cal) : null,
    reviewOnTime: decided && due !== null ? i.decidedOn! <= due : null,
    operationDate: i.operationDate,
    complications: i.complications,
    disability: i.disability,
    death: i.death,
    deathDate: i.deathDate,
    survivalOneYear: i.survivalOneYear,
    followUpDue: followUpDue(i.operationDate),
  };
}

// ---------------------------------------------------------------------------------------------
// The annual report.

/**
 * The measures of one row (and of the totals) of the annual report of point 42 (how each is
 * counted: docs/reports.md); the contract (AnnualMeasures) and the document
 * (AnnualReportMeasures) use this one definition.
 */
export interface Measures {
  referrals: number;
  approvals: number;
  refusals: Record<RefusalGround, number>;
  refusalsTotal: number;
  operations: number;
  complications: number;
  disability: number;
  /** One-year follow-ups that fell due in the year, and of them the patients alive at one year. */
  followUpDue: number;
  aliveOneYear: number;
  deaths: number;
}

export const emptyMeasures = (): Measures => ({
  referrals: 0,
  approvals: 0,
  refusals: { no_indications: 0, incomplete_packet: 0, not_authentic: 0 },
  refusalsTotal: 0,
  operations: 0,
  complications: 0,
  disability: 0,
  followUpDue: 0,
  aliveOneYear: 0,
  deaths: 0,
});

function addMeasures(to: Measures, m: Measures): void {
  to.referrals += m.referrals;
  to.approvals += m.approvals;
  for (const g of GROUNDS) to.refusals[g] += m.refusals[g];
  to.refusalsTotal += m.refusalsTotal;
  to.operations += m.operations;
  to.complications += m.complications;
  to.disability += m.disability;
  to.followUpDue += m.followUpDue;
  to.aliveOneYear += m.aliveOneYear;
  to.deaths += m.deaths;
}

const inYear = (d: string | null, year: number): boolean => d !== null && d.startsWith(`${year}-`);

/** What one case adds to the annual report of `year` (all zero when nothing of it happened in Y). */
export function caseMeasures(f: CaseFact, year: number): Measures {
  const m = emptyMeasures();
  if (f.status !== 'draft' && inYear(f.receivedDate, year)) m.referrals = 1;
  if (f.outcome === 'approved' && inYear(f.decidedOn, year)) m.approvals = 1;
  if (f.outcome === 'refused' && inYear(f.decidedOn, year) && f.reason !== null) {
    m.refusals[f.reason] = 1;
    m.refusalsTotal = 1;
  }
  if (f.outcome === 'approved') {
    if (inYear(f.operationDate, year)) {
      m.operations = 1;
      if (f.complications === true) m.complications = 1;
      if (f.disability === true) m.disability = 1;
    }
    if (inYear(f.followUpDue, year)) {
      m.followUpDue = 1;
      if (f.survivalOneYear === true) m.aliveOneYear = 1;
    }
    if (f.death === true && inYear(f.deathDate, year)) m.deaths = 1;
  }
  return m;
}

const isZero = (m: Measures): boolean =>
  m.referrals + m.approvals + m.refusalsTotal + m.operations + m.complications + m.disability + m.followUpDue + m.aliveOneYear + m.deaths === 0;

export interface AnnualRowOut extends Measures {
  htmpCode: string;
  section: HtmpSection | null;
  provider: string;
}

/** Rows per (code, section, provider) sorted by code, section, provider; totals; per section. */
export function aggregateAnnual(facts: Iterable<CaseFact>, year: number): { rows: AnnualRowOut[]; totals: Measures; bySection: ({ section: HtmpSection | null } & Measures)[] } {
  const rows = new Map<string, AnnualRowOut>();
  const sections = new Map<HtmpSection | null, Measures>();
  const totals = emptyMeasures();
  for (const f of facts) {
    const m = caseMeasures(f, year);
    if (isZero(m)) continue;
    const key = `${f.htmpCode}\u0000${f.section ?? ''}\u0000${f.provider}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { htmpCode: f.htmpCode, section: f.section, provider: f.provider, ...emptyMeasures() }));
    addMeasures(row, m);
    let s = sections.get(f.section);
    if (!s) sections.set(f.section, (s = emptyMeasures()));
    addMeasures(s, m);
    addMeasures(totals, m);
  }
  const out = [...rows.values()].sort(compareAnnualRows);
  const bySection = [...sections.entries()].sort((a, b) => (a[0] ?? 9) - (b[0] ?? 9)).map(([section, m]) => ({ section, ...m }));
  return { rows: out, totals, bySection };
}

// Made at the first comparison, not at import: a collator loads ICU's collation data (~10 ms of
// every process start, the web host's first answer included, which never sorts a report).
let rowCollator: Intl.Collator | null = null;
/** The annual report's order: code (list order), section, provider (alphabetically). */
export function compareAnnualRows(a: { htmpCode: string; section: HtmpSection | null; provider: string }, b: { htmpCode: string; section: HtmpSection | null; provider: string }): number {
  return compareCodes(a.htmpCode, b.htmpCode) || (a.section ?? 9) - (b.section ?? 9) || (rowCollator ??= new Intl.Collator('ru')).compare(a.provider, b.provider);
}

/** HTMP codes in list order: numerically part by part ('35.9900' after '35.21'), then as text. */
export function compareCodes(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = Number(x);
    const ny = Number(y);
    if (Number.isFinite(nx) && Number.isFinite(ny) && nx !== ny) return nx - ny;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** The last day of the first quarter after the reporting year (point 42). */
export const annualDueBy = (year: number): IsoDate => `${year + 1}-03-31`;

// ---------------------------------------------------------------------------------------------
// The dashboard.

/** Every month 'YYYY-MM' from the month of `from` to the month of `to`. */
export function monthsOf(from: IsoDate, to: IsoDate): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const ey = Number(to.slice(0, 4));
  const em = Number(to.slice(5, 7));
  while (y < ey || (y === ey && m <= em)) {
    out.push(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`);
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

export interface DashboardNumbers {
  totals: { received: number; approved: number; refused: number; undecided: number };
  perMonth: { month: string; approved: number; refused: number; undecided: number }[];
  reviewTime: { deadline: number; buckets: { days: number; count: number }[]; onTime: number; late: number; median: number | null };
  bySectionFunding: { section: HtmpSection | null; funding: FundingChannel | null; count: number }[];
  /** By provider key (a registry key `org:<id>` is named by the Node side; here it stays the key). */
  byProvider: { provider: string; providerOrgId: string | null; approved: number; operations: number }[];
  refusalsByGround: Record<RefusalGround, number>;
  followUp: { approved: number; operated: number; complications: number; disability: number; deaths: number; aliveOneYear: number; followUpDue: number; pending: number };
}

/** Review-time buckets: 0..4 working days, and 5 for "5 or more". */
export const reviewBucket = (wd: number): number => Math.min(wd, 5);

/** The period-bound dashboard numbers from the facts, in JavaScript (the reference the SQL is checked against). */
export function aggregateDashboard(facts: Iterable<CaseFact>, from: IsoDate, to: IsoDate, today: IsoDate): DashboardNumbers {
  const months = new Map(monthsOf(from, to).map((m) => [m, { month: m, approved: 0, refused: 0, undecided: 0 }]));
  const totals = { received: 0, approved: 0, refused: 0, undecided: 0 };
  const buckets = new Map<number, number>([0, 1, 2, 3, 4, 5].map((d) => [d, 0]));
  const wds: number[] = [];
  let onTime = 0;
  let late = 0;
  const sf = new Map<string, { section: HtmpSection | null; funding: FundingChannel | null; count: number }>();
  const prov = new Map<string, { provider: string; providerOrgId: string | null; approved: number; operations: number }>();
  const refusals: Record<RefusalGround, number> = { no_indications: 0, incomplete_packet: 0, not_authentic: 0 };
  const fu = { approved: 0, operated: 0, complications: 0, disability: 0, deaths: 0, aliveOneYear: 0, followUpDue: 0, pending: 0 };
  for (const f of facts) {
    if (f.status === 'draft' || f.receivedDate === null || f.receivedDate < from || f.receivedDate > to) continue;
    totals.received++;
    const month = months.get(f.receivedDate.slice(0, 7))!;
    if (f.status === 'approved') {
      totals.approved++;
      month.approved++;
    } else if (f.status === 'refused') {
      totals.refused++;
      month.refused++;
    } else {
      totals.undecided++;
      month.undecided++;
    }
    if (f.reviewWd !== null) {
      buckets.set(reviewBucket(f.reviewWd), buckets.get(reviewBucket(f.reviewWd))! + 1);
      wds.push(f.reviewWd);
      if (f.reviewOnTime) onTime++;
      else late++;
    }
    const k = `${f.section ?? ''}|${f.funding ?? ''}`;
    const s = sf.get(k) ?? { section: f.section, funding: f.funding, count: 0 };
    s.count++;
    sf.set(k, s);
    if (f.status === 'refused' && f.reason !== null) refusals[f.reason]++;
    if (f.status === 'approved') {
      const p = prov.get(f.provider) ?? { provider: f.provider, providerOrgId: registryProviderId(f.provider), approved: 0, operations: 0 };
      p.approved++;
      if (f.operationDate !== null) p.operations++;
      prov.set(f.provider, p);
      fu.approved++;
      if (f.operationDate !== null) fu.operated++;
      if (f.complications === true) fu.complications++;
      if (f.disability === true) fu.disability++;
      if (f.death === true) fu.deaths++;
      if (f.survivalOneYear === true) fu.aliveOneYear++;
      if (f.followUpDue !== null && f.followUpDue <= today) {
        fu.followUpDue++;
        if (f.survivalOneYear === null && f.death !== true) fu.pending++;
      }
    }
  }
  wds.sort((a, b) => a - b);
  const median = wds.length === 0 ? null : wds.length % 2 === 1 ? wds[(wds.length - 1) / 2]! : (wds[wds.length / 2 - 1]! + wds[wds.length / 2]!) / 2;
  return {
    totals,
    perMonth: [...months.values()],
    reviewTime: { deadline: REVIEW_WORKING_DAYS, buckets: [...buckets].map(([days, count]) => ({ days, count })), onTime, late, median },
    bySectionFunding: sortSectionFunding([...sf.values()]),
    byProvider: sortProviders([...prov.values()]),
    refusalsByGround: refusals,
    followUp: fu,
  };
}

const FUNDING_ORDER: Record<string, number> = { gobmp: 0, osms: 1, gobmp_or_osms: 2, '': 3 };
export function sortSectionFunding<T extends { section: HtmpSection | null; funding: FundingChannel | null }>(xs: T[]): T[] {
  return xs.sort((a, b) => (a.section ?? 9) - (b.section ?? 9) || FUNDING_ORDER[a.funding ?? '']! - FUNDING_ORDER[b.funding ?? '']!);
}
export function sortProviders<T extends { provider: string; approved: number }>(xs: T[]): T[] {
  const c = new Intl.Collator('ru');
  return xs.sort((a, b) => b.approved - a.approved || c.compare(a.provider, b.provider));
}
