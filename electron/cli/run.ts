import { parseArgs } from 'node:util';
import type { Lang } from '../../shared/contract';
import { neutralize, neutralizeJson } from '../../shared/domain/text-safety';
import { AppFailure, type AppError } from '../../shared/result';
import type { Core } from '../core/core';
import { t, translateError } from '../core/i18n';
import { defaultDataDir } from '../core/paths';
import type { Command, CommandContext, CoreDoor } from './command';
import { commands as allCommands } from './commands';

/** The UI languages (shared/contract's LANGS, kept here so the CLI starts without the contract). */
const LANGS: readonly Lang[] = ['kk', 'ru'];

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** Resolves when stdout has taken what was written (streamed output waits for it). */
  flushed?(): Promise<void>;
}

const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  'data-dir': { type: 'string' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Exit codes: 0 done, 1 failure inside the app, 2 bad input (usage or a refused request). */
export async function runCli(argv: string[], io: CliIo, commands: Command[] = allCommands): Promise<number> {
  // `--` ends the options: what follows is a value even when it starts with '-' (a search for
  // "--json", a file named "-x.json").
  const end = argv.indexOf('--');
  const optionArgs = end >= 0 ? argv.slice(0, end) : argv;
  const wantsJson = optionArgs.includes('--json');
  const langArg = optionArgs[optionArgs.indexOf('--lang') + 1];
  let lang: Lang = (LANGS as readonly string[]).includes(langArg ?? '') && optionArgs.includes('--lang') ? (langArg as Lang) : envLang(io.env);
  let opened: Promise<Core> | undefined;

  const fail = (error: AppError, exit: number): number => {
    const message = translateError(lang, error);
    if (wantsJson) io.stdout(neutralizeJson(JSON.stringify({ error: { code: error.code, message, ...(error.params ? { params: error.params } : {}) } })) + '\n');
    else io.stderr(`htmp: ${neutralize(message)}\n`);
    return exit;
  };

  const words = optionArgs.filter((a) => !a.startsWith('-'));
  const command = commands.find((c) => c.name.split(' ').every((w, i) => words[i] === w) && c.name.split(' ').length <= words.length && startsAt(argv, c.name));
  if (!command) {
    if (argv.length === 0 || optionArgs.includes('--help') || optionArgs.includes('-h')) {
      io.stdout(globalHelp(lang, commands, words));
      return argv.length === 0 ? 2 : 0;
    }
    return fail({ code: 'cli.unknown_command', params: { command: words.slice(0, 2).join(' ') || argv.join(' ') } }, 2);
  }

  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv.slice(command.name.split(' ').length),
      options: { ...GLOBAL_OPTIONS, ...(command.options ?? {}) },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    const message = (err as Error).message;
    const option = /'(-{1,2}[^']+)'/.exec(message)?.[1] ?? message;
    return fail({ code: 'cli.bad_option', params: { option } }, 2);
  }
  const values = parsed.values as CommandContext['options'];
  if (typeof values.lang === 'string') {
    const allowed = command.langValues ?? LANGS;
    if (!allowed.includes(values.lang)) return fail({ code: 'cli.bad_lang', params: { lang: values.lang, allowed: allowed.join(' | ') } }, 2);
    if ((LANGS as readonly string[]).includes(values.lang)) lang = values.lang as Lang;
  }
  if (values.help) {
    io.stdout(`${command.usage}\n\n${t(lang, command.summary)}\n\n${t(lang, 'cli:globalOptions')}\n`);
    return 0;
  }
  const positionals = parsed.positionals;
  if ((command.minArgs !== undefined && positionals.length < command.minArgs) || (command.maxArgs !== undefined && positionals.length > command.maxArgs)) {
    return fail({ code: 'cli.bad_arguments', params: { usage: command.usage } }, 2);
  }
  const dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : io.env.HTMP_DATA_DIR ?? defaultDataDir();
  // The core module (database, contract validation, services) is loaded at the first call only.
  const door: CoreDoor = {
    call: async (method, args, caller) => {
      opened ??= import('../core/core').then(({ createCore }) => createCore({ dataDir, host: 'cli' }));
      return (await opened).call(method, args, caller);
    },
  };
  const ctx: CommandContext = {
    args: positionals,
    options: values,
    lang,
    json: values.json === true,
    dataDir,
    core: () => door,
    progress: (text) => io.stderr(`${text}\n`),
  };
  try {
    const out = await command.run(ctx);
    // Names and other text come from users and from other laptops' bundles: nothing in them may
    // move the cursor, recolour the terminal or reverse the line (issue 12, point 10).
    const safe = (text: string) => (ctx.json ? neutralizeJson(text) : neutralize(text));
    if ('stream' in out) {
      await out.stream((text) => io.stdout(safe(text)), io.flushed ?? (() => Promise.resolve()));
      return 0;
    }
    io.stdout(ctx.json ? neutralizeJson(JSON.stringify(out.json)) + '\n' : `${neutralize(out.human ?? JSON.stringify(out.json, null, 2))}\n`);
    return out.exitCode ?? 0;
  } catch (err) {
    // core.call turns every error result into an AppFailure, api.internal (a crash inside a
    // handler) included: that one is a failure of the app (1), not bad input (2).
    if (err instanceof AppFailure) return fail(err.toError(), err.code === 'api.internal' ? 1 : 2);
    return fail({ code: 'api.internal', params: { message: err instanceof Error ? err.message : String(err) } }, 1);
  } finally {
    if (opened) await opened.then((c) => c.close(), () => undefined);
  }
}

/** The command's words must be the first arguments, not found later among the values. */
function startsAt(argv: string[], name: string): boolean {
  return name.split(' ').every((w, i) => argv[i] === w);
}

function envLang(env: Record<string, string | undefined>): Lang {
  const v = env.HTMP_LANG ?? '';
  return v === 'ru' ? 'ru' : 'kk';
}

function globalHelp(lang: Lang, commands: Command[], words: string[]): string {
  const group = words[0];
  const shown = commands.filter((c) => !group || c.name.startsWith(group)).filter((c, _i, arr) => arr.length > 0 && c);
  const list = (shown.length > 0 ? shown : commands).map((c) => `  ${c.usage.padEnd(60)} ${t(lang, c.summary)}`).join('\n');
  return `${t(lang, 'cli:usage')}\n\n${list}\n\n${t(lang, 'cli:globalOptions')}\n`;
}
