import path from 'node:path';
import type { AbroadRequestDetail } from '../../../shared/contract/abroad';
import { AppFailure } from '../../../shared/result';
import { t } from '../../core/i18n';
import { readJsonFile, type Command, type CommandContext } from '../command';
import { outputPath, writeBase64, writeRendered } from '../output';

const DOC_LANGS = ['kk', 'ru'] as const;

function option(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.options[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function required(ctx: CommandContext, name: string): string {
  const v = option(ctx, name);
  if (v === undefined) throw new AppFailure('abroad.missing_option', { option: `--${name}` });
  return v;
}

function integer(ctx: CommandContext, name: string, min: number, max: number): number {
  const v = required(ctx, name);
  const n = Number(v);
  if (!/^[0-9]+$/.test(v) || n < min || n > max) throw new AppFailure('cli.bad_option', { option: `--${name} ${v}` });
  return n;
}

/** The output folder must exist: nothing is written when it does not. */
function outFile(ctx: CommandContext): string {
  return outputPath(required(ctx, 'out'));
}

/** A request named by its id or by its number ('3/2026'). */
async function requestId(ctx: CommandContext, arg: string): Promise<string> {
  if (!/^[0-9]+\/[0-9]{4}$/.test(arg)) return arg;
  const { items } = await ctx.core().call('abroad.list', {});
  const hit = items.find((i) => i.number === arg);
  if (!hit) throw new AppFailure('abroad.not_found', { id: arg });
  return hit.id;
}

const lang = (ctx: CommandContext) => (ctx.lang === 'ru' ? 'ru' : 'kk');

/** What the CLI prints of a request: where it stands. */
function brief(d: AbroadRequestDetail) {
  const cur = d.currentStep === null ? null : d.steps[d.currentStep - 1]!;
  return {
    id: d.id,
    number: d.number,
    patient: d.patient,
    category: d.category,
    diseaseGroup: d.diseaseGroup,
    startedOn: d.startedOn,
    route: { id: d.route.id, version: d.route.version, totalWorkingDays: d.route.totalWorkingDays },
    status: d.status,
    currentStep: d.currentStep,
    holder: cur ? cur.actor : null,
    due: cur?.due ?? null,
    late: cur?.late ?? false,
    routeDue: d.routeDue,
    pending: d.eligibility.pending,
    clinic: d.clinic,
    contractDate: d.contractDate,
    steps: d.steps.map((s) => ({ n: s.n, actor: s.actor, workingDays: s.workingDays, start: s.start, due: s.due, completedOn: s.completedOn, state: s.state, late: s.late, lateDays: s.lateDays })),
  };
}

/** The treatment-abroad area's CLI commands (all through core.call). */
export const abroadCommands: Command[] = [
  {
    name: 'abroad routes',
    usage: 'htmp abroad routes [--json]',
    summary: 'abroad:cli.routes',
    maxArgs: 0,
    async run(ctx) {
      const ref = await ctx.core().call('abroad.reference', {});
      const routes = ref.routes.routes.map((r) => ({
        id: r.id,
        version: r.version,
        status: r.status,
        inForce: r.inForce,
        totalWorkingDays: r.totalWorkingDays,
        title: r.title,
        steps: r.steps.map((s) => ({ n: s.n, actor: s.actor, recipient: s.recipient, workingDays: s.workingDays, documents: s.documents, letter: s.letter })),
      }));
      const json = { source: ref.source, inForce: ref.inForce, routes };
      const human = routes
        .map((r) =>
          [
            t(ctx.lang, 'abroad:cli.routeLine', { id: r.id, version: r.version, status: r.status, steps: r.steps.length, total: r.totalWorkingDays }),
            ...r.steps.map((s) => `  ${s.n}. ${ref.routes.actors[s.actor]![lang(ctx)]} — ${s.workingDays}`),
          ].join('\n'),
        )
        .join('\n');
      return { json, human };
    },
  },
  {
    name: 'abroad request import',
    usage: 'htmp abroad request import FILE.json [--json]',
    summary: 'abroad:cli.import',
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const input = readJsonFile(ctx.args[0]!);
      const d = await ctx.core().call('abroad.create', input as never);
      const cur = d.steps[(d.currentStep ?? 1) - 1]!;
      const human = t(ctx.lang, 'abroad:cli.created', { number: d.number, name: `${d.patient.lastName} ${d.patient.firstName}`, step: cur.n, holder: cur.holder[lang(ctx)], due: cur.due });
      return { json: brief(d), human };
    },
  },
  {
    name: 'abroad list',
    usage: 'htmp abroad list [--late] [--json]',
    summary: 'abroad:cli.list',
    options: { late: { type: 'boolean' } },
    maxArgs: 0,
    async run(ctx) {
      const r = await ctx.core().call('abroad.list', ctx.options.late === true ? { late: true } : {});
      const human =
        r.items.length === 0
          ? t(ctx.lang, 'abroad:cli.listEmpty')
          : r.items
              .map((i) =>
                i.currentStep === null
                  ? t(ctx.lang, 'abroad:cli.listDone', { number: i.number, patient: i.patientName })
                  : t(ctx.lang, 'abroad:cli.listLine', {
                      number: i.number,
                      patient: i.patientName,
                      step: i.currentStep,
                      holder: i.holder?.[lang(ctx)] ?? '',
                      due: i.due ?? '',
                      late: i.late ? t(ctx.lang, 'abroad:cli.listLate', { days: i.lateDays }) : '',
                    }),
              )
              .join('\n');
      return { json: r, human };
    },
  },
  {
    name: 'abroad advance',
    usage: 'htmp abroad advance ID --step N --date YYYY-MM-DD [--clinic NAME] [--note TEXT] [--json]',
    summary: 'abroad:cli.advance',
    options: { step: { type: 'string' }, date: { type: 'string' }, clinic: { type: 'string' }, note: { type: 'string' } },
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const step = integer(ctx, 'step', 1, 50);
      const date = required(ctx, 'date');
      const id = await requestId(ctx, ctx.args[0]!);
      const clinic = option(ctx, 'clinic');
      const note = option(ctx, 'note');
      const d = await ctx.core().call('abroad.advance', { id, step, date, ...(clinic ? { clinic } : {}), ...(note ? { note } : {}) });
      const next = d.currentStep === null ? null : d.steps[d.currentStep - 1]!;
      const human = next
        ? t(ctx.lang, 'abroad:cli.advanced', { step, number: d.number, date, next: next.n, holder: next.holder[lang(ctx)], due: next.due })
        : t(ctx.lang, 'abroad:cli.advancedDone', { step, number: d.number, date });
      return { json: brief(d), human };
    },
  },
  {
    name: 'abroad render',
    usage: 'htmp abroad render ID --doc petition|cover-letter [--step N] --lang kk|ru --out FILE.pdf [--json]',
    summary: 'abroad:cli.render',
    options: { doc: { type: 'string' }, step: { type: 'string' }, out: { type: 'string' } },
    langValues: DOC_LANGS,
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      // Every option is checked before anything is read or written: bad input leaves no file.
      const docArg = required(ctx, 'doc');
      if (docArg !== 'petition' && docArg !== 'cover-letter') throw new AppFailure('cli.bad_option', { option: `--doc ${docArg}` });
      const docLang = required(ctx, 'lang') as (typeof DOC_LANGS)[number];
      const step = option(ctx, 'step') === undefined ? undefined : integer(ctx, 'step', 1, 50);
      if (docArg === 'cover-letter' && step === undefined) throw new AppFailure('abroad.missing_option', { option: '--step' });
      const out = outFile(ctx);
      const id = await requestId(ctx, ctx.args[0]!);
      const r = await ctx.core().call('abroad.renderDocument', { id, doc: docArg === 'petition' ? 'petition' : 'cover_letter', lang: docLang, ...(step !== undefined ? { step } : {}) });
      const json = { ...(await writeRendered(out, r)), number: r.number, verification: r.verification };
      return { json, human: t(ctx.lang, 'abroad:cli.written', json) };
    },
  },
  {
    name: 'abroad summary',
    usage: 'htmp abroad summary --year YYYY --out FILE.pdf|FILE.xlsx [--lang kk|ru] [--json]',
    summary: 'abroad:cli.summary',
    options: { year: { type: 'string' }, out: { type: 'string' } },
    maxArgs: 0,
    async run(ctx) {
      const year = integer(ctx, 'year', 2000, 2100);
      const out = outFile(ctx);
      const ext = path.extname(out).toLowerCase();
      if (ext !== '.pdf' && ext !== '.xlsx') throw new AppFailure('abroad.bad_format', { file: path.basename(out) });
      const core = ctx.core();
      if (ext === '.pdf') {
        const r = await core.call('abroad.summaryPdf', { year, lang: lang(ctx) });
        const json = await writeRendered(out, r);
        return { json, human: t(ctx.lang, 'abroad:cli.written', json) };
      }
      const r = await core.call('abroad.summaryXlsx', { year, lang: lang(ctx) });
      await writeBase64(out, r.xlsxBase64);
      const json = { file: out, bytes: r.bytes };
      return { json, human: t(ctx.lang, 'abroad:cli.writtenFile', json) };
    },
  },
  {
    name: 'abroad verify',
    usage: 'htmp abroad verify --number N --sha256 H [--json]',
    summary: 'abroad:cli.verify',
    options: { number: { type: 'string' }, sha256: { type: 'string' } },
    maxArgs: 0,
    async run(ctx) {
      const r = await ctx.core().call('abroad.verifyDocument', { number: required(ctx, 'number'), sha256: required(ctx, 'sha256') });
      return { json: r, human: t(ctx.lang, r.matches ? 'abroad:cli.matches' : 'abroad:cli.mismatch') };
    },
  },
];
