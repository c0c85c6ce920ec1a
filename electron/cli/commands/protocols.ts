import type { BilingualLayout, DocLang } from '../../../shared/documents';
import { AppFailure } from '../../../shared/result';
import { t } from '../../core/i18n';
import { readJsonFile, type Command, type CommandContext } from '../command';
import { outputPath, writeRendered } from '../output';

const DOC_LANGS = ['kk', 'ru', 'both'] as const;
const LAYOUTS = ['columns', 'sequential'] as const;

function stringOption(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.options[name];
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function required(ctx: CommandContext, name: string): string {
  const v = stringOption(ctx, name);
  if (v === undefined) throw new AppFailure('protocols.missing_option', { option: `--${name}` });
  return v;
}

/** The protocols area's CLI commands. */
export const protocolsCommands: Command[] = [
  {
    name: 'protocol render',
    usage: 'htmp protocol render (--case-id ID | --case FILE.json) --lang kk|ru|both [--layout columns|sequential] --out FILE.pdf [--json]',
    summary: 'protocols:cli.render',
    options: {
      'case-id': { type: 'string' },
      case: { type: 'string' },
      out: { type: 'string' },
      layout: { type: 'string' },
    },
    langValues: DOC_LANGS,
    maxArgs: 0,
    async run(ctx) {
      // Every option is checked before anything is read or written: bad input leaves no file.
      const caseId = stringOption(ctx, 'case-id');
      const caseFile = stringOption(ctx, 'case');
      if ((caseId === undefined) === (caseFile === undefined)) throw new AppFailure('protocols.missing_option', { option: '--case-id ID | --case FILE.json' });
      const lang = required(ctx, 'lang') as DocLang;
      if (!(DOC_LANGS as readonly string[]).includes(lang)) throw new AppFailure('cli.bad_lang', { lang, allowed: DOC_LANGS.join(' | ') });
      const layoutArg = stringOption(ctx, 'layout');
      if (layoutArg !== undefined && !(LAYOUTS as readonly string[]).includes(layoutArg)) throw new AppFailure('cli.bad_option', { option: `--layout ${layoutArg}` });
      const layout = layoutArg as BilingualLayout | undefined;
      const out = outputPath(required(ctx, 'out'));
      const choice = { lang, ...(layout ? { layout } : {}) };

      const core = ctx.core();
      if (caseId !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(caseId)) throw new AppFailure('cases.not_found', { id: caseId });
      const r = caseId !== undefined
        ? await core.call('protocols.render', { caseId, ...choice })
        : await core.call('protocols.renderCaseFile', { caseFile: readJsonFile(caseFile!), ...choice });
      // The host writes the file the user named (atomically: no file at all on any error).
      const json = await writeRendered(out, r);
      return { json, human: t(ctx.lang, 'protocols:cli.written', json) };
    },
  },
  {
    name: 'protocol verify',
    usage: 'htmp protocol verify --number N --sha256 H [--json]',
    summary: 'protocols:cli.verify',
    options: { number: { type: 'string' }, sha256: { type: 'string' } },
    maxArgs: 0,
    async run(ctx) {
      const number = required(ctx, 'number');
      const sha256 = required(ctx, 'sha256');
      const { matches } = await ctx.core().call('protocols.verify', { number, sha256 });
      return { json: { matches }, human: t(ctx.lang, matches ? 'protocols:cli.matches' : 'protocols:cli.mismatch') };
    },
  },
];
