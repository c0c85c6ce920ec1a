import type { AbroadLetterKind } from '../../../shared/contract/abroad';
import {
  checkEligibility,
  computeSchedule,
  type AbroadCategory,
  type ConfirmationId,
  type DiseaseGroup,
  type EligibilityResult,
  type IneligibleFinding,
  type RouteSnapshot,
  type Schedule,
  type TransplantKind,
} from '../../../shared/domain/abroad';
import { AppFailure } from '../../../shared/result';
import { workCalendar } from '../cases/calendar';
import type { CoreContext } from '../context';

// Treatment abroad: the stored rows of a request and how they are read with their steps (used
// by the service's views, the letters and the yearly summary).

export interface RequestRow {
  id: string;
  created_at: string;
  updated_at: string;
  year: number;
  seq: number;
  started_on: string;
  iin: string;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  birth_date: string;
  sex: 'male' | 'female' | null;
  category: AbroadCategory;
  disease_group: DiseaseGroup;
  transplant_kind: TransplantKind | null;
  confirmations: string;
  instruction_ref: string | null;
  diagnosis_icd10: string;
  diagnosis_text: string;
  route_id: string;
  route_version: number;
  route_snapshot: string;
  clinic: string | null;
  contract_date: string | null;
  notes: string | null;
}

export interface StepRow {
  id: string;
  request_id: string;
  step: number;
  completed_on: string;
  note: string | null;
}

export interface FileRow {
  id: string;
  created_at: string;
  request_id: string;
  step: number;
  document: string;
  sha256: string;
  name: string;
  mime: string;
  size: number;
}

export interface LetterRow {
  id: string;
  created_at: string;
  request_id: string;
  kind: AbroadLetterKind;
  step: number;
  number: string;
  statement: string;
  sha256: string;
  issued_at: string;
}

export interface Loaded {
  r: RequestRow;
  route: RouteSnapshot;
  confirmations: Partial<Record<ConfirmationId, boolean | null>>;
  completions: Map<number, string>;
  stepRows: StepRow[];
}

export function loadRequest(ctx: CoreContext, id: string): Loaded {
  const r = ctx.db.prepare('SELECT * FROM abroad_requests WHERE id = ?').get(id) as RequestRow | undefined;
  if (!r) throw new AppFailure('abroad.not_found', { id });
  return withSteps(ctx, r);
}

function withSteps(ctx: CoreContext, r: RequestRow): Loaded {
  const stepRows = ctx.db.prepare('SELECT * FROM abroad_steps WHERE request_id = ? ORDER BY step').all(r.id) as StepRow[];
  return {
    r,
    route: JSON.parse(r.route_snapshot) as RouteSnapshot,
    confirmations: JSON.parse(r.confirmations) as Loaded['confirmations'],
    completions: new Map(stepRows.map((s) => [s.step, s.completed_on])),
    stepRows,
  };
}

export const personName = (r: Pick<RequestRow, 'last_name' | 'first_name' | 'middle_name'>) => [r.last_name, r.first_name, r.middle_name].filter((s) => s && s.trim()).join(' ');

export function eligibilityOf(l: Loaded): EligibilityResult {
  return checkEligibility({
    category: l.r.category,
    diseaseGroup: l.r.disease_group,
    birthDate: l.r.birth_date,
    startedOn: l.r.started_on,
    transplantKind: l.r.transplant_kind,
    confirmations: l.confirmations,
  });
}

export function scheduleOf(ctx: CoreContext, l: Loaded, today: string): Schedule {
  return computeSchedule(l.route, l.r.started_on, l.completions, today, workCalendar(ctx.db));
}

/** The refusal of a request that does not qualify: the first reason as the error, with how many more. */
export function ineligible(refusals: IneligibleFinding[]): AppFailure {
  const first = refusals[0]!;
  // `context` picks the message of the exact condition (`…_methods_exhausted`, `…_bone_marrow_related`).
  const context = first.reason === 'confirmation' ? first.params.confirmation : first.reason === 'transplant' ? first.params.kind : undefined;
  return new AppFailure(`abroad.ineligible_${first.reason}`, { ...first.params, more: refusals.length - 1, ...(context !== undefined ? { context: String(context) } : {}) });
}


/** The first stored letter of a kind for a step (two laptops may both have printed one: the earliest counts). */
export function storedLetter(ctx: CoreContext, requestId: string, kind: AbroadLetterKind, step: number): LetterRow | undefined {
  return ctx.db.prepare('SELECT * FROM abroad_letters WHERE request_id = ? AND kind = ? AND step = ? ORDER BY created_at, id LIMIT 1').get(requestId, kind, step) as LetterRow | undefined;
}

export function allLoaded(ctx: CoreContext, where = '', params: unknown[] = []): Loaded[] {
  const rows = ctx.db.prepare(`SELECT * FROM abroad_requests ${where} ORDER BY started_on DESC, year DESC, seq DESC`).all(...params) as RequestRow[];
  const steps = ctx.db.prepare('SELECT * FROM abroad_steps ORDER BY request_id, step').all() as StepRow[];
  const byRequest = new Map<string, StepRow[]>();
  for (const s of steps) (byRequest.get(s.request_id) ?? byRequest.set(s.request_id, []).get(s.request_id)!).push(s);
  return rows.map((r) => {
    const stepRows = byRequest.get(r.id) ?? [];
    return {
      r,
      route: JSON.parse(r.route_snapshot) as RouteSnapshot,
      confirmations: JSON.parse(r.confirmations) as Loaded['confirmations'],
      completions: new Map(stepRows.map((s) => [s.step, s.completed_on])),
      stepRows,
    };
  });
}
