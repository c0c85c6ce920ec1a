/** The assessment of an application (machine pre-assessment and the assessor's decisions), and the impact of a point-29 change. */
import type { AssessmentDecision, AssessmentView, RequirementsView, UpdateView } from '../../../shared/contract/orgs';
import { preAssess, summarize, type ApplicationData, type AssessStatus } from '../../../shared/domain/conformity';
import { allRequirements } from '../../../shared/domain/requirements';
import { foldText } from '../../../shared/domain/text-fold';
import type { CoreContext } from '../context';
import { requirementsFor } from './conformity-requirements';
import { applicationData, type ApplicationRow, type UpdateRow } from './conformity-rows';

export function assessmentOf(ctx: CoreContext, app: ApplicationRow, reqs: RequirementsView, decisions: AssessmentDecision[], onDate: string): AssessmentView {
  const items = preAssess(reqs.requirements, applicationData(app), onDate);
  const byId = new Map(reqs.requirements ? allRequirements(reqs.requirements).map((r) => [r.id, r] as const) : []);
  const dec = new Map(decisions.map((d) => [d.requirementId, d] as const));
  const undecided: string[] = [];
  const unjustified: string[] = [];
  const out = items.map((i) => {
    const d = dec.get(i.requirementId) ?? null;
    const final: AssessStatus = d?.decision ?? i.status;
    if (final === 'manual') undecided.push(i.requirementId);
    // An override (the assessor disagrees with the machine) is always justified.
    if (d?.decision && i.status !== 'manual' && d.decision !== i.status && d.justification.trim() === '') unjustified.push(i.requirementId);
    return { ...i, requirement: byId.get(i.requirementId) ?? null, decision: d, final };
  });
  const part = (p: 'staff' | 'devices') => summarize(out.filter((i) => i.part === p).map((i) => i.final));
  return { items: out, staff: part('staff'), devices: part('devices'), overall: summarize(out.map((i) => i.final)), open: { undecided, unjustified }, onDate };
}


// ---------------------------------------------------------------------------------------------
// Points 29 and 30

const same = (a: string, b: string): boolean => foldText(a).replace(/\s+/g, ' ').trim() === foldText(b).replace(/\s+/g, ' ').trim();

/** Point 29: the conclusion's application re-assessed with the change (who left, which device failed). */
export function impactOf(ctx: CoreContext, u: UpdateRow): UpdateView['impact'] {
  if (u.kind !== 'staff_left' && u.kind !== 'device_fault') return null;
  const c = ctx.db.prepare('SELECT application_id, code FROM org_conclusions WHERE id = ?').get(u.conclusion_id) as { application_id: string; code: string } | undefined;
  if (!c) return null;
  const app = ctx.db.prepare('SELECT * FROM org_applications WHERE id = ?').get(c.application_id) as ApplicationRow | undefined;
  if (!app) return null;
  const data = applicationData(app);
  const changed: ApplicationData =
    u.kind === 'staff_left'
      ? { ...data, staff: data.staff.filter((s) => !same(s.name, u.subject)) }
      : { ...data, devices: data.devices.map((d) => (same(d.serial, u.subject) || same(d.name, u.subject) ? { ...d, inService: false, outOfOrderSince: u.event_on } : d)) };
  return preAssess(requirementsFor(ctx, c.code).requirements, changed, u.event_on).map((i) => ({ requirementId: i.requirementId, status: i.status }));
}
