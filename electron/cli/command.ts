import fs from 'node:fs';
import type { ParseArgsConfig } from 'node:util';
import type { Lang } from '../../shared/contract';
import type { Core } from '../core/core';

/**
 * The core as a command sees it: one door, `call`. The core is loaded and opened at the first
 * call, so a command that needs none (help, `iin check`, `score`) never loads the database, the
 * contract's validation or the services.
 */
export type CoreDoor = Pick<Core, 'call'>;
import { AppFailure } from '../../shared/result';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandContext {
  args: string[];
  options: Record<string, string | boolean | string[] | undefined>;
  lang: Lang;
  json: boolean;
  dataDir: string;
  env: Record<string, string | undefined>;
  /** Opens the core on first use (commands that need no database never create one); signs in at the first protected call. */
  core(): CoreDoor;
  /** The sign-in credentials of this run (--user / --passphrase-file / HTMP_USER + HTMP_PASSPHRASE), or null. */
  credentials(): Promise<{ login: string; passphrase: string } | null>;
  /** A secret a command needs (`--<option> FILE`, the variable `envName`, else asked on the terminal); null when none. */
  secret(envName: string, option: string, question: string): Promise<string | null>;
  /** A line of progress on stderr (stdout keeps the result, one JSON document with --json). */
  progress(text: string): void;
}

export interface CommandOutput {
  json: unknown;
  /** Human text in the chosen language; JSON pretty-printed when absent. */
  human?: string;
  /** Exit code after printing (default 0): 2 when the answer itself is a refusal (`bundle verify`). */
  exitCode?: number;
}

/**
 * Output written while it is produced (a list of 100,000 cases): `write` goes to stdout. With
 * `--json` the pieces written must make exactly one JSON document.
 */
export interface StreamedOutput {
  /** `flushed` resolves when stdout has taken what was written (back-pressure on a slow pipe). */
  stream(write: (text: string) => void, flushed: () => Promise<void>): Promise<void>;
}

/** One CLI command, e.g. `catalogue show`; help texts are locale keys in the `cli` namespace. */
export interface Command {
  name: string;
  usage: string;
  /** Locale key of the one-line summary. */
  summary: string;
  options?: OptionSpec;
  /**
   * Values `--lang` may take for this command when they differ from the UI languages (e.g.
   * `kk|ru|both` for a document's language). A value that is not a UI language leaves the language
   * of messages as it was (HTMP_LANG or Kazakh).
   */
  langValues?: readonly string[];
  minArgs?: number;
  maxArgs?: number;
  run(ctx: CommandContext): Promise<CommandOutput | StreamedOutput> | CommandOutput | StreamedOutput;
}

/** The largest JSON file a command reads (a case file with its data, a calendar, a members list). */
export const MAX_JSON_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Reads a file named on the command line, at most `limit` bytes: a larger one — or an endless one
 * such as /dev/zero or a pipe — is refused with `input.too_large` instead of filling the memory.
 */
export function readFileCapped(file: string, limit: number): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    throw new AppFailure('cli.file_unreadable', { file });
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, limit + 1 - total));
      let n: number;
      try {
        n = fs.readSync(fd, chunk, 0, chunk.length, null);
      } catch {
        throw new AppFailure('cli.file_unreadable', { file });
      }
      if (n === 0) break;
      total += n;
      if (total > limit) throw new AppFailure('input.too_large', { file, limitMb: Math.round(limit / 1024 / 1024) });
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads a JSON file named on the command line (a BOM is tolerated); bad files are refusals (exit 2). */
export function readJsonFile(file: string, limit = MAX_JSON_FILE_BYTES): unknown {
  const text = readFileCapped(file, limit).toString('utf8');
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch {
    throw new AppFailure('cli.file_not_json', { file });
  }
}
