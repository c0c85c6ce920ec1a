/**
 * What follows a positive decision (ДСМ-238 points 36-42) as steps with deadlines.
 *
 *   portal               36  the commission registers the referral with the packet on the Portal.
 *                            The law sets no term: the step has no due date.
 *   hospitalization_date 38  the providing organization reviews the referral "within two working
 *                            days of its receipt" on the Portal and sets the hospitalization date.
 *                            Starts at the referral's registration on the Portal (the last
 *                            `uploaded` event since any rejection); due: the end of the 2nd
 *                            working day after that day (the same reading as point 35, deadline.ts).
 *   inform               39  the primary care organization sees the date on the Portal and informs
 *                            the patient "within one working day", in one of four ways. Starts on
 *                            the day the date was set; due: the end of the next working day.
 *   discharge            41  after the care, the providing organization sends the discharge summary
 *                            («шығару эпикризі») with its follow-up plan. No term in the law.
 *   follow_up            42  the primary care organization follows the patient: complications,
 *                            disability, survival within one year after the operation, death. The
 *                            one-year check falls due a calendar year after the operation (29 Feb
 *                            goes to 28 Feb); it is done when survival at one year or a death is
 *                            recorded.
 *
 * A step is `waiting` while its start is unknown (the previous step is not done), `open` while its
 * due date is today or later, `overdue` after it, `done` when done by the due date (or a step without
 * one), `late` when done after it. Dates are 'YYYY-MM-DD' in Kazakhstan time; a start may be a local
 * date-time, of which only the date counts.
 */
import { addDays, dayNumber, isIsoDate, isWorkingDay, type IsoDate, type WorkCalendar } from './calendar';
import { addWorkingDays, localDatePart } from './deadline';

/** Point 38: working days the providing organization has to set the hospitalization date. */
export const HOSPITALIZATION_DATE_WORKING_DAYS = 2;
/** Point 39: working days the primary care organization has to inform the patient. */
export const INFORM_WORKING_DAYS = 1;
/** Point 42: the follow-up of survival is one year after the operation. */
export const FOLLOW_UP_YEARS = 1;

export const AFTER_STEPS = ['portal', 'hospitalization_date', 'inform', 'discharge', 'follow_up'] as const;
export type AfterStepId = (typeof AFTER_STEPS)[number];

/** The point of ДСМ-238 each step follows. */
export const AFTER_STEP_POINT: Readonly<Record<AfterStepId, number>> = {
  portal: 36,
  hospitalization_date: 38,
  inform: 39,
  discharge: 41,
  follow_up: 42,
};

/** Who does each step in law (the app records it; the organizations do it). */
export const AFTER_STEP_ACTOR: Readonly<Record<AfterStepId, 'commission' | 'provider' | 'primary_care'>> = {
  portal: 'commission',
  hospitalization_date: 'provider',
  inform: 'primary_care',
  discharge: 'provider',
  follow_up: 'primary_care',
};

/** Steps that carry a due date (and so can be overdue). */
export const DEADLINE_STEPS = ['hospitalization_date', 'inform', 'follow_up'] as const satisfies readonly AfterStepId[];
export type DeadlineStepId = (typeof DEADLINE_STEPS)[number];

export type StepState = 'waiting' | 'open' | 'overdue' | 'done' | 'late';

/** The facts of an approved case that the steps are computed from. */
export interface AfterFacts {
  /** The date of the positive decision the steps follow. */
  approvedOn: IsoDate | null;
  /** The Portal registration the provider received the referral by (local date-time), or null. */
  portalReceivedAt: string | null;
  /** The hospitalization date set by the providing organization. */
  hospitalizationDate: IsoDate | null;
  /** The day the providing organization set it (as seen on the Portal). */
  hospitalizationSetOn: IsoDate | null;
  informedOn: IsoDate | null;
  operationDate: IsoDate | null;
  dischargeDate: IsoDate | null;
  /** The day the discharge summary (point 41) was received. */
  dischargeSummaryOn: IsoDate | null;
  survivalOneYear: boolean | null;
  death: boolean | null;
  deathDate: IsoDate | null;
}

export const NO_AFTER_FACTS: AfterFacts = {
  approvedOn: null,
  portalReceivedAt: null,
  hospitalizationDate: null,
  hospitalizationSetOn: null,
  informedOn: null,
  operationDate: null,
  dischargeDate: null,
  dischargeSummaryOn: null,
  survivalOneYear: null,
  death: null,
  deathDate: null,
};

export interface AfterStep {
  id: AfterStepId;
  point: number;
  actor: 'commission' | 'provider' | 'primary_care';
  /** When the step's clock started (date-time as written, or a date), null while waiting. */
  start: string | null;
  /** End of this day is the deadline; null for steps without one (or not started). */
  due: IsoDate | null;
  /** Working days counted for a working-day deadline (empty otherwise). */
  workingDays: IsoDate[];
  /** Whether the step is done, and the day (null when done but the day was not recorded). */
  done: boolean;
  doneOn: IsoDate | null;
  state: StepState;
  /** False when the due date lies in a year whose calendar is missing or unconfirmed. */
  calendarConfirmed: boolean;
  unconfirmedYears: number[];
}

/** The date `years` calendar years after `date`; 29 February goes to 28 February. */
export function addYears(date: IsoDate, years: number): IsoDate {
  if (!isIsoDate(date)) throw new RangeError(`not an ISO date: ${date}`);
  const y = Number(date.slice(0, 4)) + years;
  const md = date.slice(4);
  const out = `${String(y).padStart(4, '0')}${md}`;
  return isIsoDate(out) ? out : `${String(y).padStart(4, '0')}-02-28`;
}

/**
 * Working days after `from` up to and including `to` (0 when `to` is `from` or earlier): the
 * measure of "decided on the n-th working day after receipt".
 */
export function workingDaysBetween(from: IsoDate, to: IsoDate, cal: WorkCalendar): number {
  const a = dayNumber(from);
  const b = dayNumber(to);
  let n = 0;
  for (let d = addDays(from, 1), i = a + 1; i <= b; i++, d = addDays(d, 1)) if (isWorkingDay(d, cal)) n++;
  return n;
}

/** The state of a step on `today` from its due date and whether (and when) it was done. */
export function stepState(due: IsoDate | null, started: boolean, done: boolean, doneOn: IsoDate | null, today: IsoDate): StepState {
  if (done) return due !== null && doneOn !== null && doneOn > due ? 'late' : 'done';
  if (!started) return 'waiting';
  return due !== null && today > due ? 'overdue' : 'open';
}

/** The one-year follow-up date of an operation (point 42). */
export function followUpDue(operationDate: IsoDate | null): IsoDate | null {
  return operationDate !== null && isIsoDate(operationDate) ? addYears(operationDate, FOLLOW_UP_YEARS) : null;
}

/** True when point 42's one-year check is answered: survival at one year, or a death, is recorded. */
export function followUpDone(f: Pick<AfterFacts, 'survivalOneYear' | 'death'>): boolean {
  return f.survivalOneYear !== null || f.death === true;
}

/**
 * The after-approval steps of an approved case on `today`. Pure: the caller passes the facts it
 * stored and the working-day calendar.
 */
export function afterApprovalSteps(f: AfterFacts, cal: WorkCalendar, today: IsoDate): AfterStep[] {
  const steps: AfterStep[] = [];
  const make = (id: AfterStepId, start: string | null, deadline: { due: IsoDate; workingDays: IsoDate[]; calendarConfirmed: boolean; unconfirmedYears: number[] } | null, done: boolean, doneOn: IsoDate | null): AfterStep => ({
    id,
    point: AFTER_STEP_POINT[id],
    actor: AFTER_STEP_ACTOR[id],
    start,
    due: deadline?.due ?? null,
    workingDays: deadline?.workingDays ?? [],
    done,
    doneOn,
    state: stepState(deadline?.due ?? null, start !== null, done, doneOn, today),
    calendarConfirmed: deadline?.calendarConfirmed ?? true,
    unconfirmedYears: deadline?.unconfirmedYears ?? [],
  });

  const received = f.portalReceivedAt !== null && localDatePart(f.portalReceivedAt) !== null ? f.portalReceivedAt : null;
  // Point 36: from the decision; done once the referral is registered on the Portal.
  steps.push(make('portal', f.approvedOn, null, received !== null, received ? localDatePart(received) : null));

  // Point 38. A date entered without the day it was set counts as done, the day unknown.
  const hospDone = f.hospitalizationDate !== null || f.hospitalizationSetOn !== null;
  steps.push(make('hospitalization_date', received, received ? addWorkingDays(received, HOSPITALIZATION_DATE_WORKING_DAYS, cal) : null, hospDone, f.hospitalizationSetOn));

  // Point 39: from the day the date was set.
  const setOn = f.hospitalizationSetOn !== null && isIsoDate(f.hospitalizationSetOn) ? f.hospitalizationSetOn : null;
  steps.push(make('inform', setOn, setOn ? addWorkingDays(setOn, INFORM_WORKING_DAYS, cal) : null, f.informedOn !== null, f.informedOn));

  // Point 41: after the care; no term.
  const dischargeStart = f.hospitalizationDate ?? f.operationDate;
  const dischargeDoneOn = f.dischargeSummaryOn ?? null;
  steps.push(make('discharge', dischargeStart, null, dischargeDoneOn !== null, dischargeDoneOn));

  // Point 42: a calendar year after the operation.
  const fuDue = followUpDue(f.operationDate);
  const fuDone = followUpDone(f);
  const fuDoneOn = f.death === true && f.deathDate !== null ? f.deathDate : fuDone && fuDue !== null ? fuDue : null;
  const fuDeadline = fuDue ? { due: fuDue, workingDays: [], calendarConfirmed: true, unconfirmedYears: [] } : null;
  const fu = make('follow_up', f.operationDate, fuDeadline, fuDone, fuDoneOn);
  // Survival is recorded when the year is over; recording it is never "late".
  if (fu.state === 'late') fu.state = 'done';
  steps.push(fu);
  return steps;
}

export type DateField = 'hospitalizationSetOn' | 'hospitalizationDate' | 'informedOn' | 'operationDate' | 'dischargeDate' | 'dischargeSummaryOn' | 'deathDate';

export interface DateProblem {
  field: DateField;
  /** The other field of an order problem (the one this date must not precede). */
  other: DateField | null;
  code: 'aftercare.date_in_future' | 'aftercare.date_before_decision' | 'aftercare.date_order';
  params: Record<string, string>;
}

/**
 * Dates that cannot be true, in the order a secretary would fix them: a step recorded before the
 * decision it follows (a death may precede it), an event dated after today (the hospitalization
 * date itself may be), informing before the date was set, a discharge before the operation.
 */
export function checkAfterDates(f: AfterFacts, decisionDate: IsoDate | null, today: IsoDate): DateProblem[] {
  const out: DateProblem[] = [];
  const past: DateField[] = ['hospitalizationSetOn', 'informedOn', 'operationDate', 'dischargeDate', 'dischargeSummaryOn', 'deathDate'];
  for (const field of [...past, 'hospitalizationDate' as const]) {
    const v = f[field];
    if (v === null) continue;
    if (decisionDate !== null && v < decisionDate && field !== 'deathDate') out.push({ field, other: null, code: 'aftercare.date_before_decision', params: { date: v, decision: decisionDate } });
    else if (field !== 'hospitalizationDate' && v > today) out.push({ field, other: null, code: 'aftercare.date_in_future', params: { date: v, today } });
  }
  const order: [DateField, DateField][] = [
    ['informedOn', 'hospitalizationSetOn'],
    ['dischargeDate', 'operationDate'],
  ];
  for (const [field, before] of order) {
    const v = f[field];
    const b = f[before];
    if (v !== null && b !== null && v < b) out.push({ field, other: before, code: 'aftercare.date_order', params: { date: v, before: b } });
  }
  return out;
}
