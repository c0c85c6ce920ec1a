/**
 * Scoring a technology for the HTMP list: order ҚР ДСМ-134/2020, app. 1, rules point 2 and the
 * appendix table "Критерии определения видов ВТМП".
 *
 * Policy: every value, weight, point and total is an integer number of hundredths. The official
 * threshold is "7-10 points" and 7.00 must be in while 6.99 is out, which a float sum compared
 * with `>=` cannot promise. Decimal numbers (7.5, 0.3, 2.25) are only derived for JSON and display,
 * by dividing an integer by 100, which yields the same double as the decimal literal.
 */
import type { AppError, Result } from '../result';

/** The four criteria in the order of the official table. */
export const CRITERION_IDS = ['innovation', 'resource', 'uniqueness', 'complexity'] as const;
export type CriterionId = (typeof CRITERION_IDS)[number];

/** Levels as rows of the official table: 1 is the top row (value 10), 4 the bottom (value 2.5). */
export type Level = 1 | 2 | 3 | 4;
export const LEVELS: readonly Level[] = [1, 2, 3, 4];

/**
 * How the overlapping official bands of criterion 1 ("5-10 years", "more than 10", "more than 15")
 * are read here. The text gives no upper bound to "more than 10"; we read it as "over 10 up to 15
 * inclusive", so that every number of years falls in exactly one band.
 */
export type InnovationBand = 'under_5' | 'from_5_to_10' | 'over_10_to_15' | 'over_15';

/** Band of each innovation level, so a sheet scored by level still shows the band it stands for. */
export const INNOVATION_BAND_BY_LEVEL: Readonly<Record<Level, InnovationBand>> = {
  1: 'under_5',
  2: 'from_5_to_10',
  3: 'over_10_to_15',
  4: 'over_15',
};

/** Weight of each criterion in hundredths (0.1 = 10, 0.3 = 30, 0.5 = 50). */
export const WEIGHT_HUNDREDTHS: Readonly<Record<CriterionId, number>> = {
  innovation: 10,
  resource: 30,
  uniqueness: 10,
  complexity: 50,
};

/** Value of each level in hundredths, the same for all criteria in the official table. */
export const VALUE_HUNDREDTHS: Readonly<Record<Level, number>> = {
  1: 1000,
  2: 750,
  3: 500,
  4: 250,
};

/** Threshold of inclusion, in hundredths: "технологии, набравшие 7-10 баллов". */
export const INCLUSION_THRESHOLD_HUNDREDTHS = 700;

/** Points of one criterion at one level, in hundredths (value x weight, both in hundredths). */
export function pointsHundredths(criterion: CriterionId, level: Level): number {
  const product = VALUE_HUNDREDTHS[level] * WEIGHT_HUNDREDTHS[criterion];
  // The table is chosen so that this is always whole; if someone edits a weight so that it is
  // not, fail loudly rather than silently rounding a legal score.
  if (product % 100 !== 0) {
    throw new Error(`scoring: points of ${criterion} at level ${level} are not whole hundredths`);
  }
  return product / 100;
}

// Check the invariant once for the whole table at load time, so a bad edit cannot ship.
for (const criterion of CRITERION_IDS) for (const level of LEVELS) pointsHundredths(criterion, level);

/** Decimal number for JSON and display from an integer count of hundredths (750 -> 7.5). */
export function fromHundredths(hundredths: number): number {
  return hundredths / 100;
}

/** Canonical two-decimal string of hundredths ("7.00", "6.75"); locales format for display. */
export function formatHundredths(hundredths: number): string {
  const sign = hundredths < 0 ? '-' : '';
  const abs = Math.abs(hundredths);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** True when a total in hundredths is within the HTMP list (7.00 in, 6.99 out). */
export function isIncluded(totalHundredths: number): boolean {
  return totalHundredths >= INCLUSION_THRESHOLD_HUNDREDTHS;
}

/** Innovation level and band for the years a technology has been used in the world. */
export function innovationLevelFromYears(
  years: number,
): Result<{ level: Level; band: InnovationBand }> {
  if (typeof years !== 'number' || !Number.isFinite(years) || years < 0) {
    return { ok: false, error: { code: 'scoring.invalid_years', params: { field: 'innovation.years' } } };
  }
  // Reading of the overlapping bands: see InnovationBand.
  const level: Level = years < 5 ? 1 : years <= 10 ? 2 : years <= 15 ? 3 : 4;
  return { ok: true, value: { level, band: INNOVATION_BAND_BY_LEVEL[level] } };
}

/** What the evaluator chose for one criterion; innovation may be given as years instead. */
export type LevelChoice = { level: Level };
export type InnovationChoice = { level: Level } | { years: number };

export type ScoreSheetInput = {
  innovation: InnovationChoice;
  resource: LevelChoice;
  uniqueness: LevelChoice;
  complexity: LevelChoice;
};

/** One scored criterion: integers in hundredths and the same numbers as exact decimals. */
export type ScoredCriterion = {
  id: CriterionId;
  level: Level;
  value: number;
  weight: number;
  points: number;
  valueHundredths: number;
  weightHundredths: number;
  pointsHundredths: number;
  /** Innovation only: the band applied, always shown with the score. */
  band?: InnovationBand;
  /** Innovation only, when scored from years: the years entered. */
  years?: number;
};

export type ScoreSheet = {
  criteria: ScoredCriterion[];
  total: number;
  totalHundredths: number;
  included: boolean;
};

function isLevel(x: unknown): x is Level {
  return x === 1 || x === 2 || x === 3 || x === 4;
}

function scoredCriterion(id: CriterionId, level: Level): ScoredCriterion {
  const valueH = VALUE_HUNDREDTHS[level];
  const weightH = WEIGHT_HUNDREDTHS[id];
  const pointsH = pointsHundredths(id, level);
  return {
    id,
    level,
    value: fromHundredths(valueH),
    weight: fromHundredths(weightH),
    points: fromHundredths(pointsH),
    valueHundredths: valueH,
    weightHundredths: weightH,
    pointsHundredths: pointsH,
  };
}

function invalid(code: string, field: string): { ok: false; error: AppError } {
  return { ok: false, error: { code, params: { field } } };
}

/** Score a technology on the four official criteria; included when the total is 7.00 or more. */
export function scoreSheet(input: ScoreSheetInput): Result<ScoreSheet> {
  if (typeof input !== 'object' || input === null) return invalid('scoring.invalid_input', 'sheet');
  const criteria: ScoredCriterion[] = [];
  for (const id of CRITERION_IDS) {
    const choice: unknown = (input as Record<string, unknown>)[id];
    if (typeof choice !== 'object' || choice === null) return invalid('scoring.invalid_level', id);
    const c = choice as { level?: unknown; years?: unknown };
    if (id === 'innovation' && c.level === undefined && c.years !== undefined) {
      const fromYears = innovationLevelFromYears(c.years as number);
      if (!fromYears.ok) return fromYears;
      criteria.push({
        ...scoredCriterion(id, fromYears.value.level),
        band: fromYears.value.band,
        years: c.years as number,
      });
      continue;
    }
    // A level and years together could disagree; refuse rather than pick one silently.
    if (id === 'innovation' && c.years !== undefined) return invalid('scoring.invalid_level', id);
    if (!isLevel(c.level)) return invalid('scoring.invalid_level', id);
    const scored = scoredCriterion(id, c.level);
    criteria.push(id === 'innovation' ? { ...scored, band: INNOVATION_BAND_BY_LEVEL[c.level] } : scored);
  }
  const totalHundredths = criteria.reduce((sum, c) => sum + c.pointsHundredths, 0);
  return {
    ok: true,
    value: {
      criteria,
      total: fromHundredths(totalHundredths),
      totalHundredths,
      included: isIncluded(totalHundredths),
    },
  };
}

/** The smallest single-criterion change that flips a sheet's verdict. */
export type Sensitivity = {
  criterion: CriterionId;
  fromLevel: Level;
  toLevel: Level;
  /** Number of levels moved (1..3). */
  levels: number;
  /** Change of the total in hundredths (negative when the total falls). */
  deltaHundredths: number;
  newTotal: number;
  newTotalHundredths: number;
  newIncluded: boolean;
};

/**
 * Smallest change of one criterion that would flip the verdict, or null if none can.
 * Order: fewest levels moved, then smallest change of points, then the official criterion order
 * (innovation and uniqueness weigh the same, so ties are real and must resolve the same way).
 */
export function sensitivity(sheet: ScoreSheet): Sensitivity | null {
  let best: Sensitivity | null = null;
  for (const scored of sheet.criteria) {
    for (const toLevel of LEVELS) {
      if (toLevel === scored.level) continue;
      const deltaHundredths = pointsHundredths(scored.id, toLevel) - scored.pointsHundredths;
      const newTotalHundredths = sheet.totalHundredths + deltaHundredths;
      const newIncluded = isIncluded(newTotalHundredths);
      if (newIncluded === sheet.included) continue;
      const levels = Math.abs(toLevel - scored.level);
      const better =
        best === null ||
        levels < best.levels ||
        (levels === best.levels && Math.abs(deltaHundredths) < Math.abs(best.deltaHundredths));
      // Strict comparisons keep the first candidate in criterion order on a full tie.
      if (better) {
        best = {
          criterion: scored.id,
          fromLevel: scored.level,
          toLevel,
          levels,
          deltaHundredths,
          newTotal: fromHundredths(newTotalHundredths),
          newTotalHundredths,
          newIncluded,
        };
      }
    }
  }
  return best;
}

/** Mean of the totals of several evaluators' sheets. */
export type SheetsMean = {
  count: number;
  sumHundredths: number;
  /** The mean rounded half-up to whole hundredths, for display only. */
  meanHundredths: number;
  mean: number;
  /** False when the mean had to be rounded, so the UI can show it as approximate. */
  exact: boolean;
  /** Verdict on the exact mean (sum >= 7.00 x count), never on the rounded one. */
  included: boolean;
};

/**
 * Mean total of several sheets, exact in integers. Rounding is half-up to hundredths (totals are
 * positive); the verdict compares the exact mean by cross-multiplication, so a mean of 6.996 shows
 * as 7.00 but is not included.
 */
export function meanOfSheets(sheets: readonly ScoreSheet[]): Result<SheetsMean> {
  if (!Array.isArray(sheets) || sheets.length === 0) {
    return { ok: false, error: { code: 'scoring.no_sheets', params: { field: 'sheets' } } };
  }
  const count = sheets.length;
  const sumHundredths = sheets.reduce((sum, s) => sum + s.totalHundredths, 0);
  // floor((2s + n) / 2n) is s/n rounded half-up for s >= 0; the remainder is taken off first so
  // the division is exact and no float quotient is floored.
  const numerator = 2 * sumHundredths + count;
  const meanHundredths = (numerator - (numerator % (2 * count))) / (2 * count);
  return {
    ok: true,
    value: {
      count,
      sumHundredths,
      meanHundredths,
      mean: fromHundredths(meanHundredths),
      exact: sumHundredths % count === 0,
      included: sumHundredths >= INCLUSION_THRESHOLD_HUNDREDTHS * count,
    },
  };
}
