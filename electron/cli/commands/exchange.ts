import type { Command } from '../command';

/** The exchange area's CLI commands. */
export const exchangeCommands: Command[] = [];
