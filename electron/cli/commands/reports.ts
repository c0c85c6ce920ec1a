import fs from 'node:fs';
import path from 'node:path';
import type { ReportLang } from '../../../shared/contract/reports';
import { isIsoDate } from '../../../shared/domain/calendar';
import { AppFailure } from '../../../shared/result';
import { t } from '../../core/i18n';
import { writePdfAtomic } from '../../core/pdf/write';
import type { Command, CommandContext } from '../command';

const REPORT_LANGS = ['kk', 'ru'] as const;

function option(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.options[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function dateOption(ctx: CommandContext, name: string, required: boolean): string | undefined {
  const v = option(ctx, name);
  if (v === undefined) {
    if (required) throw new AppFailure('cli.bad_option', { option: `--${name} YYYY-MM-DD` });
    return undefined;
  }
  if (!isIsoDate(v)) throw new AppFailure('cases.bad_date', { value: v });
  return v;
}

/** The reports area's CLI commands (the host writes the file the user names). */
export const reportsCommands: Command[] = [
  {
    name: 'report annual',
    usage: 'htmp report annual --year YYYY [--lang kk|ru] --out FILE.pdf|FILE.xlsx [--json]',
    summary: 'reports:cli.annual',
    options: { year: { type: 'string' }, out: { type: 'string' } },
    langValues: REPORT_LANGS,
    maxArgs: 0,
    async run(ctx) {
      // Every option is checked before anything is read or written: bad input leaves no file.
      const yearText = option(ctx, 'year') ?? '';
      if (!/^[0-9]{4}$/.test(yearText) || Number(yearText) < 2000 || Number(yearText) > 2100) throw new AppFailure('reports.bad_year', { value: yearText });
      const year = Number(yearText);
      const lang = ctx.lang as ReportLang;
      const outArg = option(ctx, 'out');
      if (outArg === undefined) throw new AppFailure('cli.bad_option', { option: '--out FILE.pdf|FILE.xlsx' });
      const out = path.resolve(outArg);
      const format = /\.pdf$/i.test(out) ? 'pdf' : /\.xlsx$/i.test(out) ? 'xlsx' : null;
      if (format === null) throw new AppFailure('reports.bad_output', { file: out });
      if (!fs.existsSync(path.dirname(out))) throw new AppFailure('pdf.write_failed', { reason: `ENOENT ${path.dirname(out)}` });
      const core = ctx.core();
      let buffer: Buffer;
      let extra: { pages?: number; sha256?: string; verification?: string } = {};
      if (format === 'pdf') {
        const r = await core.call('reports.annualPdf', { year, lang });
        buffer = Buffer.from(r.base64, 'base64');
        extra = { pages: r.pages, sha256: r.sha256, verification: r.verification };
      } else {
        buffer = Buffer.from((await core.call('reports.annualXlsx', { year, lang })).base64, 'base64');
      }
      await writePdfAtomic(out, buffer);
      const json = { file: out, format, year, lang, bytes: buffer.length, ...extra };
      return { json, human: t(ctx.lang, 'reports:cli.written', { file: out, bytes: buffer.length }) };
    },
  },
  {
    name: 'report dashboard',
    usage: 'htmp report dashboard --from YYYY-MM-DD --to YYYY-MM-DD [--today YYYY-MM-DD] [--json]',
    summary: 'reports:cli.dashboard',
    options: { from: { type: 'string' }, to: { type: 'string' }, today: { type: 'string' } },
    maxArgs: 0,
    async run(ctx) {
      const from = dateOption(ctx, 'from', true)!;
      const to = dateOption(ctx, 'to', true)!;
      const today = dateOption(ctx, 'today', false);
      const d = await ctx.core().call('reports.dashboard', { from, to, lang: ctx.lang, ...(today ? { today } : {}) });
      const human = [
        t(ctx.lang, 'reports:cli.dashboardHuman', { ...d.totals, onTime: d.reviewTime.onTime, late: d.reviewTime.late }),
        ...Object.entries(d.overdueNow).map(([k, n]) => `  ${t(ctx.lang, `reports:charts.step.${k}`)}: ${n}`),
      ].join('\n');
      return { json: d, human };
    },
  },
];
