import type { CalendarView } from '../../../shared/contract';
import { t } from '../../core/i18n';
import { readJsonFile, type Command, type CommandContext } from '../command';

function human(ctx: CommandContext, v: CalendarView): string {
  const lines = [`${t(ctx.lang, `common:calendar.source.${v.source}`)}`];
  for (const y of v.years) {
    lines.push(`${y.year}: ${t(ctx.lang, y.confirmed ? 'common:calendar.confirmed' : 'common:calendar.unconfirmed')}`);
    lines.push(`  ${y.daysOff.map((d) => d.date).join(', ')}`);
  }
  return lines.join('\n');
}

export const calendarCommands: Command[] = [
  {
    name: 'calendar show',
    usage: 'htmp calendar show [--json]',
    summary: 'cli:commands.calendarShow',
    maxArgs: 0,
    async run(ctx) {
      const v = await ctx.core().call('calendar.get', {});
      return { json: v, human: human(ctx, v) };
    },
  },
  {
    name: 'calendar import',
    usage: 'htmp calendar import FILE.json [--json]',
    summary: 'cli:commands.calendarImport',
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const calendar = readJsonFile(ctx.args[0]!);
      const v = await ctx.core().call('calendar.replace', { calendar });
      return { json: v, human: human(ctx, v) };
    },
  },
  {
    name: 'calendar reset',
    usage: 'htmp calendar reset [--json]',
    summary: 'cli:commands.calendarReset',
    maxArgs: 0,
    async run(ctx) {
      const v = await ctx.core().call('calendar.reset', {});
      return { json: v, human: human(ctx, v) };
    },
  },
];
