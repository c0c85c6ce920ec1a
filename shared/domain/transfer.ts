/**
 * Criteria for moving a technology out of the HTMP list into specialized care: order
 * ҚР ДСМ-134/2020, app. 1, rules points 3-4. The four criteria are judged together and a
 * technology that meets all four leaves the list.
 *
 * Policy: every comparison is made on integers by cross-multiplication (BigInt, so no product can
 * lose precision); decimal shares and means in the result are for display only and never decide.
 */
import type { AppError, Result } from '../result';
import { ZONES, isRegionId, type RegionId, type Zone, type ZoneConfig } from './regions';

export type TransferRegionInput = {
  region: RegionId;
  /** Cases of the technology provided by regional-level clinics (oblast/city, incl. private). */
  regionalCases: number;
  /** Cases of the region's patients provided at the republican level. */
  republicanCases: number;
};

export type TransferInput = {
  /** HTMP code, kept as a string ("35.21" and "35.210" differ). */
  code: string;
  year: number;
  regions: TransferRegionInput[];
  /** Tariff of this technology, in tiyn. */
  tariff: number;
  /** Tariffs of all services in the HTMP list (this one included), in tiyn. */
  listTariffs: number[];
  /** Cases per year in the country. */
  casesPerYear: number;
  /** Population of the country. */
  population: number;
  /** Cases with a lethal outcome or a complication, each case counted once, in the same year. */
  lethalOrComplicated: number;
};

/** Transfer level over 75%: strictly more than three quarters of the region's cases. */
export const TRANSFER_SHARE_PERCENT = 75;
export const TRANSFER_MIN_REGIONS = 5;
export const RARITY_PER_POPULATION = 100_000;
export const OUTCOMES_MAX_PERCENT = 10;

export type RegionShare = {
  region: RegionId;
  zone: Zone;
  regionalCases: number;
  republicanCases: number;
  /** Regional share in percent rounded half-up to hundredths; null when the region had no cases. */
  sharePercent: number | null;
  transfers: boolean;
};

export type TransferResult = {
  criteria: {
    transfer: {
      met: boolean;
      qualifyingCount: number;
      qualifyingRegions: RegionId[];
      zonesCovered: Zone[];
      zonesMissing: Zone[];
      minRegions: number;
      thresholdPercent: number;
      perRegion: RegionShare[];
    };
    cost: {
      met: boolean;
      tariff: number;
      /** Arithmetic mean of listTariffs rounded half-up to whole tiyn, for display only. */
      meanTariff: number;
      listCount: number;
      listSum: number;
    };
    rarity: {
      met: boolean;
      /** Cases per 100,000 population rounded half-up to hundredths, for display only. */
      perHundredThousand: number;
      casesPerYear: number;
      population: number;
    };
    outcomes: {
      met: boolean;
      /** Share of lethal/complicated cases in percent rounded half-up to hundredths; null with no cases. */
      sharePercent: number | null;
      lethalOrComplicated: number;
      casesPerYear: number;
    };
  };
  metCount: number;
  leavesList: boolean;
};

/** Half-up rounding of a non-negative fraction num/den to an integer, exactly. */
function roundHalfUp(num: bigint, den: bigint): bigint {
  return (2n * num + den) / (2n * den);
}

/** num/den x 100 rounded half-up to hundredths, as a decimal number (7501/10000 -> 75.01). */
function percentHundredths(num: number, den: number): number {
  return Number(roundHalfUp(BigInt(num) * 10_000n, BigInt(den))) / 100;
}

function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

/**
 * Validate the input; every field that fails is named in `params.field`. Counts and money must be
 * whole non-negative numbers (money in tiyn), since a fraction there is a typing error.
 */
function validate(input: TransferInput, zoneConfig: ZoneConfig): AppError | null {
  if (typeof input !== 'object' || input === null) return { code: 'transfer.invalid_input', params: { field: 'input' } };
  const bad = (field: string): AppError => ({ code: 'transfer.invalid_input', params: { field } });
  if (typeof input.code !== 'string' || input.code.trim() === '') return bad('code');
  if (!Number.isSafeInteger(input.year) || input.year < 1900 || input.year > 9999) return bad('year');
  if (!Array.isArray(input.regions)) return bad('regions');
  const seen = new Set<string>();
  for (const [i, r] of input.regions.entries()) {
    if (typeof r !== 'object' || r === null) return bad(`regions[${i}]`);
    if (!isRegionId(r.region) || !zoneConfig.regions.some((e) => e.id === r.region)) {
      return bad(`regions[${i}].region`);
    }
    if (seen.has(r.region)) return bad(`regions[${i}].region`);
    seen.add(r.region);
    if (!isCount(r.regionalCases)) return bad(`regions[${i}].regionalCases`);
    if (!isCount(r.republicanCases)) return bad(`regions[${i}].republicanCases`);
  }
  if (!isCount(input.tariff)) return bad('tariff');
  if (!Array.isArray(input.listTariffs) || input.listTariffs.length === 0) return bad('listTariffs');
  for (const [i, t] of input.listTariffs.entries()) if (!isCount(t)) return bad(`listTariffs[${i}]`);
  if (!isCount(input.casesPerYear)) return bad('casesPerYear');
  if (!isCount(input.population) || input.population === 0) return bad('population');
  if (!isCount(input.lethalOrComplicated)) return bad('lethalOrComplicated');
  // More lethal/complicated cases than cases would make the share exceed 100%.
  if (input.lethalOrComplicated > input.casesPerYear) return bad('lethalOrComplicated');
  return null;
}

/**
 * Judge the four criteria of leaving the HTMP list (rules points 3-4).
 *
 * Criterion 1 reading: for each region, the regional-level share is
 * regionalCases / (regionalCases + republicanCases) of that region's cases; a region transfers when
 * the share is strictly over 75% (regional x 4 > total x 3). The criterion is met when at least 5
 * regions transfer AND, "by the geographic principle", they span all five zones of the
 * configuration (north, south, east, west, centre), at least one in each. Regions without data or
 * without cases do not transfer.
 * Criterion 2: tariff strictly below the arithmetic mean of listTariffs (tariff x n < sum).
 * Criterion 3: more than once a year per 100,000 population (cases x 100,000 > population).
 * Criterion 4: lethal/complicated share strictly below 10% (lethalOrComplicated x 10 < cases);
 * with no cases the share is undefined and the criterion is not met.
 */
export function evaluateTransfer(input: TransferInput, zoneConfig: ZoneConfig): Result<TransferResult> {
  const error = validate(input, zoneConfig);
  if (error) return { ok: false, error };

  const zoneById = new Map<RegionId, Zone>(zoneConfig.regions.map((r) => [r.id, r.zone]));
  const perRegion: RegionShare[] = input.regions.map((r) => {
    const total = r.regionalCases + r.republicanCases;
    const transfers =
      total > 0 &&
      BigInt(r.regionalCases) * 100n > BigInt(total) * BigInt(TRANSFER_SHARE_PERCENT);
    return {
      region: r.region,
      // validate() has checked that the region is in the configuration.
      zone: zoneById.get(r.region) as Zone,
      regionalCases: r.regionalCases,
      republicanCases: r.republicanCases,
      sharePercent: total > 0 ? percentHundredths(r.regionalCases, total) : null,
      transfers,
    };
  });
  const qualifying = perRegion.filter((r) => r.transfers);
  const zonesCovered = ZONES.filter((z) => qualifying.some((r) => r.zone === z));
  const zonesMissing = ZONES.filter((z) => !zonesCovered.includes(z));
  const transferMet = qualifying.length >= TRANSFER_MIN_REGIONS && zonesMissing.length === 0;

  const listCount = input.listTariffs.length;
  const listSum = input.listTariffs.reduce((s, t) => s + BigInt(t), 0n);
  const costMet = BigInt(input.tariff) * BigInt(listCount) < listSum;

  const cases = BigInt(input.casesPerYear);
  const rarityMet = cases * BigInt(RARITY_PER_POPULATION) > BigInt(input.population);
  const perHundredThousand =
    Number(roundHalfUp(cases * BigInt(RARITY_PER_POPULATION) * 100n, BigInt(input.population))) / 100;

  const outcomesMet =
    input.casesPerYear > 0 &&
    BigInt(input.lethalOrComplicated) * 100n < cases * BigInt(OUTCOMES_MAX_PERCENT);

  const met = [transferMet, costMet, rarityMet, outcomesMet];
  const metCount = met.filter(Boolean).length;
  return {
    ok: true,
    value: {
      criteria: {
        transfer: {
          met: transferMet,
          qualifyingCount: qualifying.length,
          qualifyingRegions: qualifying.map((r) => r.region),
          zonesCovered,
          zonesMissing,
          minRegions: TRANSFER_MIN_REGIONS,
          thresholdPercent: TRANSFER_SHARE_PERCENT,
          perRegion,
        },
        cost: {
          met: costMet,
          tariff: input.tariff,
          meanTariff: Number(roundHalfUp(listSum, BigInt(listCount))),
          listCount,
          // Sum of safe integers can exceed 2^53 only for absurd inputs; shown as a number for JSON.
          listSum: Number(listSum),
        },
        rarity: {
          met: rarityMet,
          perHundredThousand,
          casesPerYear: input.casesPerYear,
          population: input.population,
        },
        outcomes: {
          met: outcomesMet,
          sharePercent:
            input.casesPerYear > 0 ? percentHundredths(input.lethalOrComplicated, input.casesPerYear) : null,
          lethalOrComplicated: input.lethalOrComplicated,
          casesPerYear: input.casesPerYear,
        },
      },
      metCount,
      leavesList: metCount === met.length,
    },
  };
}
