import type { Command } from '../command';

/** The catalogue area's CLI commands. */
export const catalogueCommands: Command[] = [];
