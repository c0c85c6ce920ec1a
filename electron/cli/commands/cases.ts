import type { Command } from '../command';

/** The cases area's CLI commands. */
export const casesCommands: Command[] = [];
