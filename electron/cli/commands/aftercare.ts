import type { OverdueItem, OverdueStepId } from '../../../shared/contract/aftercare';
import { isIsoDate } from '../../../shared/domain/calendar';
import { AppFailure } from '../../../shared/result';
import { t } from '../../core/i18n';
import type { Command } from '../command';

const fmt = (d: string): string => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;

/** The aftercare area's CLI commands. */
export const aftercareCommands: Command[] = [
  {
    name: 'case overdue',
    usage: 'htmp case overdue [--step review|hospitalization_date|inform|follow_up] [--today YYYY-MM-DD] [--json]',
    summary: 'aftercare:cli.overdue',
    options: { step: { type: 'string' }, today: { type: 'string' } },
    maxArgs: 0,
    async run(ctx) {
      const { MAX_OVERDUE_PAGE, OVERDUE_STEPS } = await import('../../../shared/contract/aftercare');
      const step = typeof ctx.options.step === 'string' ? ctx.options.step : undefined;
      if (step !== undefined && !(OVERDUE_STEPS as readonly string[]).includes(step)) throw new AppFailure('aftercare.bad_step', { step, allowed: OVERDUE_STEPS.join(', ') });
      const today = typeof ctx.options.today === 'string' ? ctx.options.today : undefined;
      if (today !== undefined && !isIsoDate(today)) throw new AppFailure('cases.bad_date', { value: today });
      const core = ctx.core();
      const items: OverdueItem[] = [];
      // Every page, by key (each continues after the previous page's last row).
      let page = await core.call('aftercare.overdue', { ...(today ? { today } : {}), ...(step ? { step: step as OverdueStepId } : {}), limit: MAX_OVERDUE_PAGE });
      const first = page;
      items.push(...page.items);
      while (page.next !== null) {
        page = await core.call('aftercare.overdue', { today: first.today, ...(step ? { step: step as OverdueStepId } : {}), after: page.next, limit: MAX_OVERDUE_PAGE });
        items.push(...page.items);
      }
      const json = { today: first.today, total: items.length, byStep: first.byStep, items };
      const human =
        items.length === 0
          ? t(ctx.lang, 'aftercare:cli.noneOverdue', { today: fmt(first.today) })
          : [
              t(ctx.lang, 'aftercare:cli.overdueHead', { today: fmt(first.today), count: items.length }),
              ...items.map(
                (x) =>
                  `${fmt(x.due)}  +${String(x.daysOverdue).padStart(3)}  ${t(ctx.lang, `aftercare:overdueStep.${x.step}`).padEnd(44)} ${x.htmpCode.padEnd(11)} ${x.patient.iin}  ${x.patient.lastName} ${x.patient.firstName}  ${x.caseId}`,
              ),
            ].join('\n');
      return { json, human };
    },
  },
];
