/**
 * Conformity of a health organization to the characteristics (ДСМ-238, points 22-30, appendices 1
 * and 3): the application's dates, the pre-assessment of every requirement, the conclusion's
 * validity and the deadlines of points 26, 29 and 30. Pure: no I/O.
 *
 * READINGS OF THE TEXT (docs/conformity.md says the same for the user)
 * - Point 23: applications for the NEXT year are filed from 15 September to 15 October of the
 *   current year (both days included). Point 24: an organization applying for an HTMP type for the
 *   first time may apply at any time for the CURRENT year (or, in the window, for the next one).
 * - Point 26 1): the territorial subdivision (Бөлімше) assesses within 30 calendar days of the day
 *   the application was received: due = received + 30 days.
 * - Point 26 2): a conclusion is valid from 1 January to 31 December of its year; a first-time
 *   applicant's conclusion for the current year from the day its application was registered to
 *   31 December. (The seed also carries an older wording, "one calendar year from registration";
 *   the app follows the 1 January - 31 December wording the issue and domain.md state.)
 * - Point 29: after a specialist leaves or is replaced, or a device fails for a repair or
 *   replacement of over 3 months, the organization updates its data within 10 WORKING days of the
 *   event (the day of the event not counted, as every working-day deadline of the app).
 * - Point 30: when the HTMP code or name changes, the conclusion is reissued within 30 calendar
 *   days of the organization's application.
 */
import { addDays, isIsoDate, type IsoDate, type WorkCalendar } from './calendar';
import { addWorkingDays } from './deadline';
import type { DeviceRequirement, EntryRequirements, Requirement, StaffAlternative, StaffRequirement } from './requirements';
import { foldText } from './text-fold';

export const ASSESSMENT_DAYS = 30;
export const UPDATE_WORKING_DAYS = 10;
export const REISSUE_DAYS = 30;
/** A device out of order longer than this is a point-29 event (months). */
export const LONG_REPAIR_MONTHS = 3;

export type AssessStatus = 'met' | 'not_met' | 'manual';

// ---------------------------------------------------------------------------------------------
// What an application declares (app. 1: "Кадрлар туралы мәліметтер", "Медициналық бұйымдар туралы мәліметтер").

export interface StaffEntry {
  name: string;
  specialty: string;
  /** Years of experience as declared for the requirement. */
  years: number | null;
  /** Hours of further training as declared (on the subject the requirement names). */
  trainingHours: number | null;
  /** Date of the training certificate. */
  trainingDate: string | null;
  /** Operations a year as declared (of the kind the requirement names). */
  operationsPerYear: number | null;
  /** The requirement this person is declared for (the form sets it); absent: matched by specialty. */
  requirement?: string | null;
}

export interface DeviceEntry {
  name: string;
  model: string;
  serial: string;
  /** False: out of order. */
  inService: boolean;
  /** Out of order since this date (the form's field); a date after the assessment date does not count. */
  outOfOrderSince?: string | null;
  requirement?: string | null;
}

export const PERMIT_KINDS = ['ionizing_radiation'] as const;
export type PermitKind = (typeof PERMIT_KINDS)[number];

export interface PermitEntry {
  kind: PermitKind;
  number: string;
  /** Last day of validity; null = without a term. */
  validUntil: string | null;
}

export interface ApplicationData {
  staff: StaffEntry[];
  devices: DeviceEntry[];
  /** Permits held; absent (a file that does not say) makes every permit requirement checked by hand. */
  permits?: PermitEntry[] | undefined;
}

// ---------------------------------------------------------------------------------------------
// Pre-assessment

/** Why a requirement has its status: a message code (orgs:assess.reasons.<code>) and its parameters. */
export interface Reason {
  code: string;
  params: Record<string, string | number>;
}

export interface AssessedRequirement {
  requirementId: string;
  part: 'staff' | 'devices';
  kind: Requirement['kind'];
  status: AssessStatus;
  reasons: Reason[];
  /** Names (people) or "name model serial" (devices) counted for it. */
  matched: string[];
}

const norm = (s: string): string => foldText(s.replace(/["«»]/g, ' ')).replace(/\s+/g, ' ').replace(/\(\s+/g, '(').replace(/\s+\)/g, ')').trim();
const base = (s: string): string => norm(s).replace(/\s*\(.*$/, '').trim();

type SpecialtyMatch = 'exact' | 'base' | 'none';

/** Does a declared specialty name one of the alternative's? Exact (folded) or only its base name ("Кардиология" for "Кардиология (интервенциялық кардиология) (ересектер)"). */
export function matchSpecialty(declared: string, alt: StaffAlternative): SpecialtyMatch {
  const d = norm(declared);
  if (d === '') return 'none';
  if (alt.specialties.some((s) => norm(s) === d)) return 'exact';
  const db = base(declared);
  if (alt.specialties.some((s) => base(s) === db)) return 'base';
  return 'none';
}

/** Years between two ISO dates, as whole years (a training on 2021-03-01 is within 5 years of 2026-03-01). */
function within(date: string, onDate: string, years: number): boolean {
  const y = Number(onDate.slice(0, 4)) - years;
  return date >= `${String(y).padStart(4, '0')}${onDate.slice(4)}`;
}

interface PersonResult {
  verdict: 'ok' | 'manual' | 'fail';
  reasons: Reason[];
}

function checkPerson(p: StaffEntry, alt: StaffAlternative, onDate: string, linked: boolean): PersonResult {
  const reasons: Reason[] = [];
  let manual = false;
  let fail = false;
  const name = p.name.trim() || '—';
  if (alt.education !== null) {
    // Education is described, not certified: only a person declared for the requirement is considered.
    if (!linked) return { verdict: 'fail', reasons: [] };
    manual = true;
    reasons.push({ code: 'education_by_hand', params: { name, education: alt.education } });
  } else {
    const m = matchSpecialty(p.specialty, alt);
    if (m === 'none') {
      if (!linked) return { verdict: 'fail', reasons: [] };
      fail = true;
      reasons.push({ code: 'specialty_not_listed', params: { name, specialty: p.specialty.trim() || '—', specialties: alt.specialties.join('; ') } });
    } else if (m === 'base') {
      manual = true;
      reasons.push({ code: 'specialty_base_only', params: { name, specialty: p.specialty.trim(), specialties: alt.specialties.join('; ') } });
    }
    if (alt.joint) {
      manual = true;
      reasons.push({ code: 'joint_by_hand', params: { name, specialties: alt.specialties.join(' + ') } });
    }
  }
  const failed = (cond: 'minYears' | 'training' | 'operations', r: Reason) => {
    reasons.push(r);
    if (alt.uncertain.includes(cond)) {
      manual = true;
      reasons.push({ code: 'uncertain_condition', params: { name } });
    } else fail = true;
  };
  if (alt.minYears !== null) {
    if (p.years === null) failed('minYears', { code: 'years_missing', params: { name, min: alt.minYears } });
    else if (p.years < alt.minYears) failed('minYears', { code: 'years_short', params: { name, years: p.years, min: alt.minYears } });
  }
  if (alt.trainingHours !== null) {
    if (p.trainingHours === null) failed('training', { code: 'training_missing', params: { name, min: alt.trainingHours } });
    else if (p.trainingHours < alt.trainingHours) failed('training', { code: 'training_short', params: { name, hours: p.trainingHours, min: alt.trainingHours } });
    else if (alt.trainingWithinYears !== null) {
      const d = p.trainingDate;
      if (d === null || !isIsoDate(d)) failed('training', { code: 'training_date_missing', params: { name, years: alt.trainingWithinYears } });
      else if (d > onDate) failed('training', { code: 'training_date_future', params: { name, date: d } });
      else if (!within(d, onDate, alt.trainingWithinYears)) failed('training', { code: 'training_too_old', params: { name, date: d, years: alt.trainingWithinYears } });
    }
  }
  if (alt.operationsPerYear !== null) {
    if (p.operationsPerYear === null) failed('operations', { code: 'operations_missing', params: { name, min: alt.operationsPerYear } });
    else if (p.operationsPerYear < alt.operationsPerYear) failed('operations', { code: 'operations_short', params: { name, operations: p.operationsPerYear, min: alt.operationsPerYear } });
  }
  return { verdict: fail ? 'fail' : manual ? 'manual' : 'ok', reasons };
}

/** The best result of a person over the alternatives (ok, then by hand, then failing). */
function bestOver(p: StaffEntry, r: StaffRequirement, onDate: string, linked: boolean): (PersonResult & { candidate: boolean }) {
  let best: (PersonResult & { candidate: boolean }) | null = null;
  const rank = { ok: 0, manual: 1, fail: 2 } as const;
  for (const alt of r.alternatives) {
    const res = checkPerson(p, alt, onDate, linked);
    const candidate = linked || res.reasons.length > 0 || res.verdict !== 'fail';
    if (!candidate) continue;
    const c = { ...res, candidate };
    if (!best || rank[c.verdict] < rank[best.verdict]) best = c;
  }
  return best ?? { verdict: 'fail', reasons: [], candidate: false };
}

function assessStaff(r: StaffRequirement, data: ApplicationData, onDate: string, used: Set<StaffEntry>): AssessedRequirement {
  const ok: string[] = [];
  const byHand: string[] = [];
  const reasons: Reason[] = [];
  const failures: Reason[] = [];
  for (const p of data.staff) {
    const linked = p.requirement === r.id;
    if (!linked && (p.requirement ?? null) !== null) continue; // declared for another requirement
    if (!linked && used.has(p)) continue;
    const res = bestOver(p, r, onDate, linked);
    if (!res.candidate) continue;
    const name = p.name.trim() || '—';
    if (res.verdict === 'ok' && ok.length < r.count) {
      ok.push(name);
      used.add(p);
    } else if (res.verdict === 'manual') {
      byHand.push(name);
      reasons.push(...res.reasons);
      used.add(p);
    } else if (res.verdict === 'fail') failures.push(...res.reasons);
  }
  const base: Omit<AssessedRequirement, 'status' | 'reasons'> = { requirementId: r.id, part: 'staff', kind: 'staff', matched: [...ok, ...byHand] };
  const manualParts = r.manual.map((text) => ({ code: 'manual_part', params: { text } }));
  if (ok.length >= r.count) {
    return manualParts.length > 0
      ? { ...base, status: 'manual', reasons: [{ code: 'staff_ok', params: { names: ok.join(', ') } }, ...manualParts] }
      : { ...base, status: 'met', reasons: [{ code: 'staff_ok', params: { names: ok.join(', ') } }] };
  }
  if (ok.length + byHand.length >= r.count) return { ...base, status: 'manual', reasons: [...reasons, ...manualParts] };
  const shortBy = { code: 'staff_count', params: { found: ok.length, count: r.count } };
  if (r.otherwise !== null) return { ...base, status: 'manual', reasons: [...failures, ...(r.count > 1 ? [shortBy] : []), { code: 'otherwise_by_hand', params: { text: r.otherwise } }] };
  if (r.alternatives.every((a) => a.education !== null) && ok.length + byHand.length === 0 && failures.length === 0) {
    return { ...base, status: 'manual', reasons: [{ code: 'education_no_link', params: { education: r.alternatives.map((a) => a.education).join('; ') } }] };
  }
  const none = ok.length + byHand.length + failures.length === 0;
  return {
    ...base,
    status: 'not_met',
    reasons: none ? [{ code: 'no_specialist', params: { specialties: r.alternatives.flatMap((a) => a.specialties).join('; ') || r.alternatives.map((a) => a.education ?? '').join('; ') } }, ...(r.count > 1 ? [shortBy] : [])] : [...failures, ...(r.count > 1 ? [shortBy] : [])],
  };
}

const inServiceOn = (d: DeviceEntry, onDate: string): boolean =>
  d.inService !== false && !(d.outOfOrderSince && isIsoDate(d.outOfOrderSince) && d.outOfOrderSince <= onDate);

/** Does a device's name name the requirement? Folded equality, or one side of a «немесе» in the required name. */
export function matchDeviceName(declared: string, required: string): boolean {
  const d = norm(declared);
  if (d === '') return false;
  const r = norm(required);
  if (d === r) return true;
  return r.includes(' немесе ') && r.split(' немесе ').some((part) => part.trim() === d);
}

const deviceLabel = (d: DeviceEntry): string => [d.name, d.model, d.serial].map((s) => s.trim()).filter(Boolean).join(' · ');

/**
 * Pre-assesses an application against the requirements of its code on a date (the day of the
 * assessment; training windows count back from it). Each requirement: `met`, `not_met` with why,
 * or `manual` (a machine cannot decide: checked by hand). Unlinked staff and devices are matched
 * by specialty / name and counted once; linked ones count only for their requirement.
 */
export function preAssess(reqs: EntryRequirements | null, data: ApplicationData, onDate: string): AssessedRequirement[] {
  if (reqs === null) return [{ requirementId: 'none', part: 'staff', kind: 'manual', status: 'manual', reasons: [{ code: 'no_characteristics', params: {} }], matched: [] }];
  const out: AssessedRequirement[] = [];
  const usedStaff = new Set<StaffEntry>();
  for (const r of reqs.staff) {
    if (r.kind === 'staff') out.push(assessStaff(r, data, onDate, usedStaff));
    else if (r.kind === 'permit') out.push(assessPermit(r.id, data, onDate));
    else out.push({ requirementId: r.id, part: 'staff', kind: r.kind, status: 'manual', reasons: [{ code: r.kind === 'manual' && r.footnote ? 'footnote_by_hand' : 'by_hand', params: { footnote: r.kind === 'manual' ? r.footnote ?? '' : '' } }], matched: [] });
  }
  // Devices: first place every device (linked, else by name, each counted once), then judge.
  const deviceReqs = reqs.devices.filter((r): r is DeviceRequirement => r.kind === 'device');
  const placed = new Map<string, DeviceEntry[]>();
  const usedDevices = new Set<DeviceEntry>();
  for (const r of deviceReqs) placed.set(r.id, data.devices.filter((d) => d.requirement === r.id));
  for (const d of data.devices) if (d.requirement) usedDevices.add(d);
  for (const r of deviceReqs) {
    const list = placed.get(r.id)!;
    for (const d of data.devices) {
      if (usedDevices.has(d) || (d.requirement ?? null) !== null) continue;
      if (list.filter((x) => inServiceOn(x, onDate)).length >= r.count) break;
      if (matchDeviceName(d.name, r.name)) {
        list.push(d);
        usedDevices.add(d);
      }
    }
  }
  // Surplus devices of a requirement already met (three ultrasound machines where one is asked)
  // are placed too: they are not devices the machine failed to recognize.
  for (const d of data.devices) {
    if (usedDevices.has(d)) continue;
    const r = deviceReqs.find((q) => matchDeviceName(d.name, q.name));
    if (r) {
      placed.get(r.id)!.push(d);
      usedDevices.add(d);
    }
  }
  const unplaced = data.devices.filter((d) => !usedDevices.has(d));
  for (const r of reqs.devices) {
    if (r.kind !== 'device') {
      out.push({ requirementId: r.id, part: 'devices', kind: r.kind, status: 'manual', reasons: [{ code: 'by_hand', params: { footnote: '' } }], matched: [] });
      continue;
    }
    const list = placed.get(r.id)!;
    const working = list.filter((d) => inServiceOn(d, onDate));
    const broken = list.filter((d) => !inServiceOn(d, onDate));
    const matched = list.map(deviceLabel);
    if (working.length >= r.count) {
      out.push({ requirementId: r.id, part: 'devices', kind: 'device', status: 'met', reasons: [{ code: 'device_ok', params: { found: working.length, count: r.count } }], matched });
      continue;
    }
    const reasons: Reason[] = [];
    if (broken.length > 0) reasons.push({ code: 'device_out_of_order', params: { names: broken.map(deviceLabel).join(', ') } });
    reasons.push({ code: working.length + broken.length === 0 ? 'device_missing' : 'device_count', params: { found: working.length, count: r.count, name: r.name } });
    // Devices the machine could not place may be this one under another name: by hand.
    if (unplaced.length > 0) {
      reasons.push({ code: 'device_unplaced', params: { names: unplaced.map(deviceLabel).join(', ') } });
      out.push({ requirementId: r.id, part: 'devices', kind: 'device', status: 'manual', reasons, matched });
    } else out.push({ requirementId: r.id, part: 'devices', kind: 'device', status: 'not_met', reasons, matched });
  }
  return out;
}

function assessPermit(id: string, data: ApplicationData, onDate: string): AssessedRequirement {
  const base = { requirementId: id, part: 'staff' as const, kind: 'permit' as const, matched: [] as string[] };
  if (data.permits === undefined) return { ...base, status: 'manual', reasons: [{ code: 'permit_not_declared', params: {} }] };
  const held = data.permits.filter((p) => p.kind === 'ionizing_radiation');
  const valid = held.find((p) => p.validUntil === null || p.validUntil >= onDate);
  if (valid) return { ...base, status: 'met', reasons: [{ code: 'permit_ok', params: { number: valid.number, until: valid.validUntil ?? '' } }], matched: [valid.number] };
  if (held.length > 0) return { ...base, status: 'not_met', reasons: [{ code: 'permit_expired', params: { number: held[0]!.number, until: held[0]!.validUntil ?? '' } }] };
  return { ...base, status: 'not_met', reasons: [{ code: 'permit_missing', params: {} }] };
}

/** A part's (or the whole list's) status: not met if any is, else by hand if any is, else met. */
export function summarize(statuses: readonly AssessStatus[]): AssessStatus {
  if (statuses.includes('not_met')) return 'not_met';
  if (statuses.includes('manual')) return 'manual';
  return 'met';
}

// ---------------------------------------------------------------------------------------------
// Dates

/** The filing window of applications for conclusions valid in `year` (point 23). */
export function applicationWindow(year: number): { from: IsoDate; to: IsoDate } {
  return { from: `${year - 1}-09-15`, to: `${year - 1}-10-15` };
}

export type TimingProblem =
  | { code: 'conformity.outside_window'; params: { from: string; to: string; year: number } }
  | { code: 'conformity.year_not_open'; params: { year: number; receivedOn: string } };

/**
 * Whether an application received on a date may be filed for a year: for the next year within the
 * window (anyone); for the current year only a first-time applicant (point 24), any day.
 */
export function checkTiming(a: { year: number; receivedOn: IsoDate; firstTime: boolean }): TimingProblem | null {
  const receivedYear = Number(a.receivedOn.slice(0, 4));
  if (a.year === receivedYear && a.firstTime) return null;
  if (a.year === receivedYear + 1) {
    const w = applicationWindow(a.year);
    if (a.receivedOn >= w.from && a.receivedOn <= w.to) return null;
    return { code: 'conformity.outside_window', params: { ...w, year: a.year } };
  }
  if (a.year === receivedYear) {
    const w = applicationWindow(a.year + 1);
    return { code: 'conformity.outside_window', params: { ...w, year: a.year } };
  }
  return { code: 'conformity.year_not_open', params: { year: a.year, receivedOn: a.receivedOn } };
}

/** The last day of the assessment (point 26 1): 30 calendar days from the day of receipt. */
export function assessmentDue(receivedOn: IsoDate): IsoDate {
  return addDays(receivedOn, ASSESSMENT_DAYS);
}

/** Days from `today` to `due` (negative: overdue). */
export function daysLeft(today: IsoDate, due: IsoDate): number {
  return Math.round((Date.parse(`${due}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** The validity of a conclusion (point 26 2): its year; a first-time current-year one from registration. */
export function conclusionValidity(a: { year: number; receivedOn: IsoDate; firstTime: boolean }): { from: IsoDate; to: IsoDate } {
  const from = `${a.year}-01-01`;
  const to = `${a.year}-12-31`;
  if (a.firstTime && Number(a.receivedOn.slice(0, 4)) === a.year && a.receivedOn > from) return { from: a.receivedOn, to };
  return { from, to };
}

/** Point 29: the organization updates its data within 10 working days of the event. */
export function updateDue(eventDate: IsoDate, calendar: WorkCalendar): { due: IsoDate; calendarConfirmed: boolean } {
  const d = addWorkingDays(eventDate, UPDATE_WORKING_DAYS, calendar);
  return { due: d.due, calendarConfirmed: d.calendarConfirmed };
}

/** Point 30: the conclusion is reissued within 30 calendar days of the organization's application. */
export function reissueDue(receivedOn: IsoDate): IsoDate {
  return addDays(receivedOn, REISSUE_DAYS);
}

/** The date from which a device out of order is a point-29 event: 3 months after it failed. */
export function longRepairFrom(outOfOrderSince: IsoDate): IsoDate {
  const [y, m, d] = outOfOrderSince.split('-').map(Number) as [number, number, number];
  const month = m - 1 + LONG_REPAIR_MONTHS;
  const year = y + Math.floor(month / 12);
  const mm = (month % 12) + 1;
  const last = new Date(Date.UTC(year, mm, 0)).getUTCDate();
  return `${year}-${String(mm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
