import { checkAfterDates, type AfterFacts } from '../../../shared/domain/aftercare';
import { kzToday } from '../../../shared/domain/kz-time';
import { AppFailure } from '../../../shared/result';
import type { CoreContext } from '../context';
import { afterFactsOf, CASE_FACTS_SQL } from './facts';

/**
 * Refuses after-care dates that cannot be true once `patch` is applied to what is stored (a step
 * before the decision, a past event dated in the future, informing before the date was set, a
 * discharge before the operation): `aftercare.date_*` with the field and dates, nothing written.
 */
export function assertAfterDates(ctx: CoreContext, caseId: string, patch: Partial<AfterFacts>, today: string = kzToday()): void {
  const row = ctx.db.prepare(`${CASE_FACTS_SQL} WHERE c.id = ?`).get(caseId) as Parameters<typeof afterFactsOf>[0] | undefined;
  if (!row) return;
  const facts: AfterFacts = { ...afterFactsOf(row), ...patch };
  // Only what this write touches: an older inconsistency must not block an unrelated step.
  const touched = new Set(Object.keys(patch));
  const problem = checkAfterDates(facts, row.decided_on, today).find((p) => touched.has(p.field) || (p.other !== null && touched.has(p.other)));
  if (!problem) return;
  // Dates as people write them; the order problem names its pair through i18next's context.
  const params: Record<string, string> = { field: problem.field };
  for (const [k, v] of Object.entries(problem.params)) params[k] = /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v.slice(8, 10)}.${v.slice(5, 7)}.${v.slice(0, 4)}` : v;
  if (problem.other) params.context = problem.field;
  throw new AppFailure(problem.code, params);
}
