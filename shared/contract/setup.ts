import { z } from 'zod';
import { lazySchemas } from './lazy';

/**
 * The first-start guide (issue 13): what must be set before the first protocol, step by step.
 * Each step's state is computed from the data itself (the settings, the standing members, the
 * calendar), so the guide can be left and taken up again at any time and shows the truth on an
 * installation set up before the guide existed.
 */
export const SETUP_STEPS = ['names', 'members', 'calendar'] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

/** The four names a protocol's letterhead needs, each in Kazakh and Russian. */
export const SETUP_NAME_KEYS = ['commissionNameKk', 'commissionNameRu', 'authorityNameKk', 'authorityNameRu'] as const;
export type SetupNameKey = (typeof SETUP_NAME_KEYS)[number];

/** Who confirmed that a year of the working-day calendar was checked, and when. */
export interface CalendarCheck {
  year: number;
  userId: string | null;
  userName: string;
  /** When, in Kazakhstan time ('YYYY-MM-DDTHH:MM:SS+05:00'). */
  at: string;
}

export interface SetupStatus {
  /** True when every step is done. */
  complete: boolean;
  done: number;
  total: number;
  /** The first step still to do (the guide opens there), null when complete. */
  next: SetupStep | null;
  names: { done: boolean; missing: SetupNameKey[] };
  members: {
    done: boolean;
    count: number;
    /** What the standing members lack: none at all, a chair, a secretary. */
    missing: ('none' | 'chair' | 'secretary')[];
  };
  calendar: {
    done: boolean;
    /** The year checked: the current year in Kazakhstan. */
    year: number;
    /** The calendar lists the year (else it is computed from the fixed holidays only). */
    inData: boolean;
    /** The calendar data marks the year as checked against a published calendar. */
    sourced: boolean;
    /** The last confirmation of this year, if any. */
    check: CalendarCheck | null;
    /** The year's data was changed after it was confirmed (the confirmation no longer holds). */
    changedSince: boolean;
  };
}

export const setupSchemas = lazySchemas(['setup'], () => ({
  'setup.status': z.object({}).strict(),
  /** Confirms that the user checked the year's working days against the official calendar. */
  'setup.confirmCalendar': z.object({ year: z.number().int().min(2000).max(2100) }).strict(),
}));

export interface SetupMethods {
  'setup.status': { args: Record<string, never>; result: SetupStatus };
  'setup.confirmCalendar': { args: z.infer<(typeof setupSchemas)['setup.confirmCalendar']>; result: SetupStatus };
}

/** Error codes of the setup area (`errors.<code>` in locales/<lang>/setup.json). */
export const SETUP_ERROR_CODES = ['setup.calendar_year_missing'] as const;
