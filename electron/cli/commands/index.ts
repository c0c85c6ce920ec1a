import type { Command } from '../command';
import { abroadCommands } from './abroad';
import { aftercareCommands } from './aftercare';
import { calendarCommands } from './calendar';
import { casesCommands } from './cases';
import { catalogueCommands } from './catalogue';
import { dbCommands } from './db';
import { exchangeCommands } from './exchange';
import { protocolsCommands } from './protocols';
import { reportsCommands } from './reports';
import { scoringCommands } from './scoring';

/** Every CLI command; each area declares its list in its own file. */
export const commands: Command[] = [...dbCommands, ...calendarCommands, ...catalogueCommands, ...casesCommands, ...scoringCommands, ...protocolsCommands, ...exchangeCommands, ...aftercareCommands, ...reportsCommands, ...abroadCommands];
