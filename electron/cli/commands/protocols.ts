import type { Command } from '../command';

/** The protocols area's CLI commands. */
export const protocolsCommands: Command[] = [];
