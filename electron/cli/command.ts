import type { ParseArgsConfig } from 'node:util';
import type { Lang } from '../../shared/contract';
import type { Core } from '../core/core';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandContext {
  args: string[];
  options: Record<string, string | boolean | string[] | undefined>;
  lang: Lang;
  json: boolean;
  dataDir: string;
  /** Opens the core on first use (commands that need no database never create one). */
  core(): Core;
}

export interface CommandOutput {
  json: unknown;
  /** Human text in the chosen language; JSON pretty-printed when absent. */
  human?: string;
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
  run(ctx: CommandContext): Promise<CommandOutput> | CommandOutput;
}
