/**
 * The organizations area's CLI commands: the registry (`org import | export | list`) and the
 * conformity work (`conformity assess | list | render`). Every command goes through
 * `ctx.core().call` (one door into the core); files are read and written here.
 * JSON contracts: README.md, command table.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Lang } from '../../../shared/contract';
import type { AssessFileResult, ImportResult } from '../../../shared/contract/orgs';
import type { ImportRowError } from '../../../shared/domain/orgs';
import { AppFailure } from '../../../shared/result';
import { t } from '../../core/i18n';
import { readJsonFile, type Command, type CommandContext } from '../command';
import { outputPath, writeBase64 } from '../output';

const DOC_LANGS = ['kk', 'ru', 'both'] as const;
const LAYOUTS = ['columns', 'sequential'] as const;
const tt = (lang: Lang, key: string, params: Record<string, unknown> = {}) => t(lang, `orgs:${key}`, params);

function option(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.options[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function required(ctx: CommandContext, name: string): string {
  const v = option(ctx, name);
  if (v === undefined) throw new AppFailure('cli.bad_arguments', { usage: `--${name}` });
  return v;
}

function readFileBase64(file: string): string {
  try {
    return fs.readFileSync(file).toString('base64');
  } catch {
    throw new AppFailure('cli.file_unreadable', { file });
  }
}

/** One wrong row as the user reads it: "row 4, bin: the check digit does not match". */
function rowError(lang: Lang, e: ImportRowError): string {
  const key = t(lang, `orgs:fieldErrors.${e.code}`) !== `orgs:fieldErrors.${e.code}` ? `fieldErrors.${e.code}` : `importErrors.${e.code}`;
  return tt(lang, 'cli.rowError', { row: e.row, column: e.column ?? tt(lang, 'registry.import.fileRow'), problem: tt(lang, key, { value: e.value }) });
}

/** Counts as the human output says them. */
const counts = (r: ImportResult) => ({ created: r.created, updated: r.updated, unchanged: r.unchanged });

/** Russian plurals of a reason follow the years (or the minimum when the years are missing). */
const pluralCount = (p: Record<string, unknown>): { count?: number } =>
  typeof p.years === 'number' ? { count: p.years } : typeof p.min === 'number' ? { count: p.min } : {};

/** The pre-assessment with each requirement's reasons written out in the chosen language. */
function withWhy(lang: Lang, r: Omit<AssessFileResult, 'requirements'> & { requirements: Omit<AssessFileResult['requirements'][number], 'why'>[] }): AssessFileResult {
  return {
    ...r,
    requirements: r.requirements.map((q) => ({ ...q, why: q.reasons.map((x) => t(lang, `orgs:assess.reasons.${x.code}`, { ...x.params, ...pluralCount(x.params) })).join(' ') })),
  };
}

const statusWord = (lang: Lang, s: string): string => t(lang, `orgs:assess.${s}`);

/** The organizations area's CLI commands. */
export const orgsCommands: Command[] = [
  {
    name: 'org import',
    usage: 'htmp org import FILE.csv|FILE.xlsx [--dry-run] [--json]',
    summary: 'orgs:cli.import',
    options: { 'dry-run': { type: 'boolean' } },
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const file = path.resolve(ctx.args[0]!);
      const contentBase64 = readFileBase64(file);
      const core = ctx.core();
      // Check every row first: on any wrong row, every one of them is reported and nothing is written.
      const check = await core.call('orgs.import', { fileName: path.basename(file), contentBase64, dryRun: true });
      if (check.errors.length > 0) {
        throw new AppFailure('orgs.import_invalid', {
          count: new Set(check.errors.map((e) => e.row)).size,
          rows: check.errors.map((e) => rowError(ctx.lang, e)).join('; '),
          errors: JSON.stringify(check.errors),
        });
      }
      const dryRun = ctx.options['dry-run'] === true;
      const r = dryRun ? check : await core.call('orgs.import', { fileName: path.basename(file), contentBase64 });
      const json = { file, dryRun, rows: r.rows, ...counts(r) };
      return { json, human: tt(ctx.lang, dryRun ? 'cli.checked' : 'cli.imported', counts(r)) };
    },
  },
  {
    name: 'org export',
    usage: 'htmp org export --format csv|xlsx --out FILE [--json]',
    summary: 'orgs:cli.export',
    options: { format: { type: 'string' }, out: { type: 'string' } },
    maxArgs: 0,
    async run(ctx) {
      const format = required(ctx, 'format');
      if (format !== 'csv' && format !== 'xlsx') throw new AppFailure('cli.bad_option', { option: `--format ${format}` });
      const out = outputPath(required(ctx, 'out'));
      const f = await ctx.core().call('orgs.export', { format });
      await writeBase64(out, f.contentBase64);
      const json = { file: out, format, count: f.count };
      return { json, human: tt(ctx.lang, 'cli.exported', json) };
    },
  },
  {
    name: 'org list',
    usage: 'htmp org list [--code C --on YYYY-MM-DD] [--query TEXT] [--json]',
    summary: 'orgs:cli.list',
    options: { code: { type: 'string' }, on: { type: 'string' }, query: { type: 'string' } },
    maxArgs: 0,
    async run(ctx) {
      const code = option(ctx, 'code');
      const on = option(ctx, 'on');
      const core = ctx.core();
      if ((code === undefined) !== (on === undefined)) throw new AppFailure('orgs.code_and_date');
      if (code !== undefined && on !== undefined) {
        const r = await core.call('orgs.eligible', { code, on, lang: ctx.lang });
        const items = r.items.map((e) => ({
          id: e.org.id,
          bin: e.org.bin,
          nameKk: e.org.nameKk,
          nameRu: e.org.nameRu,
          region: e.org.region,
          level: e.org.level,
          conclusion: { id: e.conclusion.id, number: e.conclusion.number, validFrom: e.conclusion.validFrom, validTo: e.conclusion.validTo },
          openUpdates: e.openUpdates,
        }));
        const human = [
          tt(ctx.lang, 'cli.eligibleHeader', { code, on, count: items.length }),
          ...items.map((i) => `  ${i.bin}  ${ctx.lang === 'ru' ? i.nameRu : i.nameKk}  № ${i.conclusion.number} (${i.conclusion.validFrom} – ${i.conclusion.validTo})`),
        ].join('\n');
        return { json: { code, on, items }, human };
      }
      const query = option(ctx, 'query');
      // Every page, by key (each continues after the previous page's last organization).
      const r = await core.call('orgs.list', { ...(query ? { query } : {}), limit: 1000, lang: ctx.lang });
      for (let page = r; page.next !== null; ) {
        page = await core.call('orgs.list', { ...(query ? { query } : {}), limit: 1000, lang: ctx.lang, after: page.next });
        r.items.push(...page.items);
      }
      const items = r.items.map((o) => ({ id: o.id, bin: o.bin, nameKk: o.nameKk, nameRu: o.nameRu, region: o.region, level: o.level, address: o.address, phone: o.phone }));
      const human = [tt(ctx.lang, 'cli.listHeader', { count: r.total }), ...items.map((i) => `  ${i.bin}  ${ctx.lang === 'ru' ? i.nameRu : i.nameKk}  ${i.region}  ${tt(ctx.lang, `levels.${i.level}`)}`)].join('\n');
      return { json: { total: r.total, items }, human };
    },
  },
  {
    name: 'conformity assess',
    usage: 'htmp conformity assess FILE.json [--on YYYY-MM-DD] [--json]',
    summary: 'orgs:cli.assess',
    options: { on: { type: 'string' } },
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const file = readJsonFile(ctx.args[0]!);
      const on = option(ctx, 'on');
      const r = withWhy(ctx.lang, await ctx.core().call('conformity.assessFile', { file: file as never, ...(on ? { on } : {}) }));
      const human = [
        tt(ctx.lang, 'cli.assessHeader', { code: r.code, on: r.on, staff: statusWord(ctx.lang, r.staff), devices: statusWord(ctx.lang, r.devices), overall: statusWord(ctx.lang, r.overall) }),
        ...r.requirements.map((q) => `  [${statusWord(ctx.lang, q.status)}] ${q.id} ${q.text.slice(0, 90)}${q.text.length > 90 ? '…' : ''}\n      ${q.why}`),
      ].join('\n');
      return { json: r, human };
    },
  },
  {
    name: 'conformity list',
    usage: 'htmp conformity list --year YYYY [--json]',
    summary: 'orgs:cli.conclusions',
    options: { year: { type: 'string' } },
    maxArgs: 0,
    async run(ctx) {
      const raw = required(ctx, 'year');
      if (!/^\d{4}$/.test(raw)) throw new AppFailure('cli.bad_option', { option: `--year ${raw}` });
      const year = Number(raw);
      const r = await ctx.core().call('conformity.listConclusions', { year });
      const human = [
        tt(ctx.lang, 'cli.conclusionsHeader', { year, count: r.items.length }),
        ...r.items.map((c) => `  № ${c.number}  ${c.issuedOn}  ${c.code}  ${c.org.bin}  ${ctx.lang === 'ru' ? c.org.nameRu : c.org.nameKk}  ${t(ctx.lang, c.overallConform ? 'orgs:conclusions.conforms' : 'orgs:conclusions.notConforms')}${c.superseded ? ` (${t(ctx.lang, 'orgs:conclusions.superseded')})` : ''}`),
      ].join('\n');
      return { json: { year, items: r.items }, human };
    },
  },
  {
    name: 'conformity render',
    usage: 'htmp conformity render ID --lang kk|ru|both [--layout columns|sequential] --out FILE.pdf [--json]',
    summary: 'orgs:cli.render',
    options: { out: { type: 'string' }, layout: { type: 'string' } },
    langValues: DOC_LANGS,
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      // Every option is checked before anything is read or written: bad input leaves no file.
      const lang = required(ctx, 'lang');
      if (!(DOC_LANGS as readonly string[]).includes(lang)) throw new AppFailure('cli.bad_lang', { lang, allowed: DOC_LANGS.join(' | ') });
      const layout = option(ctx, 'layout');
      if (layout !== undefined && !(LAYOUTS as readonly string[]).includes(layout)) throw new AppFailure('cli.bad_option', { option: `--layout ${layout}` });
      const out = outputPath(required(ctx, 'out'));
      const r = await ctx.core().call('conformity.renderConclusion', {
        id: ctx.args[0]!,
        lang: lang as (typeof DOC_LANGS)[number],
        ...(layout ? { layout: layout as (typeof LAYOUTS)[number] } : {}),
      });
      await writeBase64(out, r.pdfBase64);
      const json = { file: out, number: r.number, pages: r.pages, sha256: r.sha256 };
      return { json, human: tt(ctx.lang, 'cli.written', json) };
    },
  },
];
