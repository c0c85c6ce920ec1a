import type { Command } from '../command';
import { dbCommands } from './db';

/** Every CLI command; each area adds its list here. */
export const commands: Command[] = [...dbCommands];
