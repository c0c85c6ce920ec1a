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
  /** The core, opened at its first call (commands that need no database never open one). */
  core(): CoreDoor;
  /** A line of progress on stderr (stdout keeps the result, one JSON document with --json). */
  progress(text: string): void;
}

export interface CommandOutput {
  json: unknown;
  /** Human text in the chosen language; JSON pretty-printed when absent. */
  human?: string;
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

/** Reads a JSON file named on the command line (a BOM is tolerated); bad files are refusals (exit 2). */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new AppFailure('cli.file_unreadable', { file });
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch {
    throw new AppFailure('cli.file_not_json', { file });
  }
}
