/** "Today": the undecided cases due today and overdue, and the decisions issued today. */
import { todayListArgs, TODAY_LIMIT, type TodayList, type TodayView } from '../../../shared/contract/cases';
import type { CoreContext } from '../context';
import { kzToday } from './calendar';
import { listCases } from './register';

/**
 * The first `limit` cases of each list with its exact total and the cursor of the rest (the
 * screen reads further pages through `cases.list`): the view costs the same with 30 overdue
 * cases or 3,000.
 */
export function todayView(ctx: CoreContext, a: { today?: string | undefined; limit?: number | undefined }): TodayView {
  const today = a.today ?? kzToday();
  const limit = a.limit ?? TODAY_LIMIT;
  const one = (list: TodayList) => listCases(ctx, { ...todayListArgs(list, today), limit });
  const dueToday = one('dueToday');
  const overdue = one('overdue');
  const decidedToday = one('decidedToday');
  return {
    today,
    dueToday: dueToday.items,
    overdue: overdue.items,
    decidedToday: decidedToday.items,
    totals: { dueToday: dueToday.total ?? 0, overdue: overdue.total ?? 0, decidedToday: decidedToday.total ?? 0 },
    next: { dueToday: dueToday.next, overdue: overdue.next, decidedToday: decidedToday.next },
  };
}
