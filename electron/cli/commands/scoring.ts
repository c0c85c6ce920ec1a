import type { Command } from '../command';

/** The scoring area's CLI commands. */
export const scoringCommands: Command[] = [];
