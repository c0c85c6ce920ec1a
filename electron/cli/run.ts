import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { Lang, MethodName } from '../../shared/contract';
import { neutralize, neutralizeJson } from '../../shared/domain/text-safety';
import { AppFailure, type AppError } from '../../shared/result';
import type { Core } from '../core/core';
import { t, translateError } from '../core/i18n';
import { appVersion, defaultDataDir } from '../core/paths';
import type { Command, CommandContext, CoreDoor } from './command';
import { commands as allCommands } from './commands';

/** The UI languages (shared/contract's LANGS, kept here so the CLI starts without the contract). */
const LANGS: readonly Lang[] = ['kk', 'ru'];

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** Asks on the terminal without echo (absent: no terminal, e.g. a script). */
  promptSecret?(question: string): Promise<string>;
  /** Resolves when stdout has taken what was written (streamed output waits for it). */
  flushed?(): Promise<void>;
}

const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  'data-dir': { type: 'string' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  user: { type: 'string' },
  'passphrase-file': { type: 'string' },
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
    // `htmp --version`: the app's version (package.json), nothing else loaded.
    if (words.length === 0 && (optionArgs.includes('--version') || optionArgs.includes('-V'))) {
      const version = appVersion();
      io.stdout(wantsJson ? `${JSON.stringify({ version })}\n` : `htmp ${version}\n`);
      return 0;
    }
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
  const signIn = new CliSignIn(io, values, lang);
  // The core module (database, contract validation, services) is loaded at the first call only.
  const door: CoreDoor = {
    call: async (method, args, caller) => {
      opened ??= import('../core/core').then(({ createCore }) => signIn.wrap(createCore({ dataDir, host: 'cli' })));
      return (await opened).call(method, args, caller);
    },
  };
  const ctx: CommandContext = {
    args: positionals,
    options: values,
    lang,
    json: values.json === true,
    dataDir,
    env: io.env,
    core: () => door,
    credentials: () => signIn.credentials(),
    secret: (name, option, question) => signIn.secret(name, option, question),
    progress: (text) => io.stderr(`${text}\n`),
  };
  try {
    const out = await command.run(ctx);
    let json = 'stream' in out ? null : out.json;
    let human = 'stream' in out ? '' : out.human ?? JSON.stringify(out.json, null, 2);
    if (!('stream' in out) && signIn.recoveryKey) {
      // A folder set up by this command: its recovery key, printed this once.
      json = json !== null && typeof json === 'object' && !Array.isArray(json) ? { ...json, recoveryKey: signIn.recoveryKey } : { result: json, recoveryKey: signIn.recoveryKey };
      human = `${t(lang, 'auth:cli.recoveryKey', { key: signIn.recoveryKey })}\n\n${human}`;
    }
    // Names and other text come from users and from other laptops' bundles: nothing in them may
    // move the cursor, recolour the terminal or reverse the line (issue 12, point 10).
    const safe = (text: string) => (ctx.json ? neutralizeJson(text) : neutralize(text));
    if ('stream' in out) {
      await out.stream((text) => io.stdout(safe(text)), io.flushed ?? (() => Promise.resolve()));
      // A folder set up by this command: its recovery key, printed this once (stdout holds the stream).
      if (signIn.recoveryKey) io.stderr(`${neutralize(t(lang, 'auth:cli.recoveryKey', { key: signIn.recoveryKey }))}\n`);
      return 0;
    }
    io.stdout(ctx.json ? neutralizeJson(JSON.stringify(json)) + '\n' : `${neutralize(human)}\n`);
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

/**
 * Sign-in on the command line. Commands that only read reference data never ask (their methods
 * are public); the first call of a method that needs a user signs in with, in this order:
 * `--user NAME` (the passphrase from `--passphrase-file FILE` or asked on the terminal without
 * echo), or HTMP_USER with HTMP_PASSPHRASE. A folder without users is set up by that first
 * call: the user becomes its admin and the recovery key is printed once.
 */
class CliSignIn {
  recoveryKey: string | null = null;
  private cached: { login: string; passphrase: string } | null | undefined;

  constructor(
    private readonly io: CliIo,
    private readonly options: Record<string, unknown>,
    private readonly lang: Lang,
  ) {}

  async credentials(): Promise<{ login: string; passphrase: string } | null> {
    if (this.cached !== undefined) return this.cached;
    const env = this.io.env;
    const login = typeof this.options.user === 'string' ? this.options.user : env.HTMP_USER;
    if (!login) return (this.cached = null);
    let passphrase: string | undefined;
    if (typeof this.options['passphrase-file'] === 'string') passphrase = readSecretFile(this.options['passphrase-file']);
    else if (typeof this.options.user !== 'string' && env.HTMP_PASSPHRASE) passphrase = env.HTMP_PASSPHRASE;
    else if (this.io.promptSecret) passphrase = await this.io.promptSecret(t(this.lang, 'auth:cli.passphrasePrompt', { user: login }));
    else if (env.HTMP_PASSPHRASE) passphrase = env.HTMP_PASSPHRASE;
    if (!passphrase) throw new AppFailure('auth.required');
    return (this.cached = { login, passphrase });
  }

  /** A secret for a command (a new passphrase, a recovery key): its file option, its variable, else the terminal. */
  async secret(envName: string, option: string, question: string): Promise<string | null> {
    const file = this.options[option];
    if (typeof file === 'string') return readSecretFile(file);
    const v = this.io.env[envName];
    if (v) return v;
    if (this.io.promptSecret) return this.io.promptSecret(t(this.lang, question));
    return null;
  }

  /** The core whose protected calls sign in first. */
  wrap(raw: Core): Core {
    let session: Core | null = null;
    const ensure = async (method: string): Promise<Core> => {
      if (session) return session;
      // Loaded with the core (the CLI starts without the contract).
      const { accessOf, isAuthMethod } = await import('../../shared/contract/access');
      if (method === 'auth.status' || (method === 'auth.restore' && raw.security.state === 'setup')) return raw;
      const c = await this.credentials();
      // Public methods need no user; with one given they see the signed-in data (e.g. the trust store).
      if (!c || (accessOf(method) === 'public' && !isAuthMethod(method) && raw.security.state === 'setup')) return raw;
      const status = await raw.call('auth.status', {});
      if (status.state === 'setup') {
        const r = await raw.call('auth.setup', { login: c.login, displayName: this.io.env.HTMP_USER_NAME || c.login, passphrase: c.passphrase });
        this.recoveryKey = r.recoveryKey;
        session = raw.as({ channel: 'local', sessionId: r.sessionId! });
      } else {
        const r = await raw.call('auth.signIn', { login: c.login, passphrase: c.passphrase });
        session = raw.as({ channel: 'local', sessionId: r.sessionId! });
      }
      return session;
    };
    const wrapped: Core = Object.create(raw) as Core;
    return Object.assign(wrapped, {
      dispatch: async (method: string, args: unknown, caller?: Parameters<Core['dispatch']>[2]) => (caller ? raw.dispatch(method, args, caller) : (await ensure(method)).dispatch(method, args)),
      call: async (method: MethodName, args: never, caller?: Parameters<Core['call']>[2]) => (caller ? raw.call(method, args, caller) : (await ensure(method)).call(method, args)),
      close: () => raw.close(),
    }) as Core;
  }
}

function readSecretFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch {
    throw new AppFailure('cli.file_unreadable', { file });
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
