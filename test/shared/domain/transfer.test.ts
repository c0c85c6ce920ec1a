// Pins the criteria of moving a technology out of the HTMP list (ДСМ-134 rules points 3-4) at
// their thresholds, on both sides.
import { describe, it, expect } from 'vitest';
import { DEFAULT_ZONE_CONFIG, parseZoneConfig, type RegionId } from '../../../shared/domain/regions';
import { evaluateTransfer, type TransferInput, type TransferRegionInput } from '../../../shared/domain/transfer';

// One region from each default zone: north, south, east, west, centre.
const FIVE_ZONES: RegionId[] = ['pavlodar', 'turkestan', 'abai', 'atyrau', 'karaganda'];

function regions(ids: RegionId[], regionalCases = 90, republicanCases = 10): TransferRegionInput[] {
  return ids.map((region) => ({ region, regionalCases, republicanCases }));
}

/** An input that meets all four criteria; each test moves one number to its threshold. */
function base(overrides: Partial<TransferInput> = {}): TransferInput {
  return {
    code: '36.10',
    year: 2025,
    regions: regions(FIVE_ZONES),
    tariff: 100_000_00,
    listTariffs: [100_000_00, 300_000_00, 500_000_00],
    casesPerYear: 400,
    population: 20_000_000,
    lethalOrComplicated: 10,
    ...overrides,
  };
}

function evaluate(input: TransferInput) {
  const result = evaluateTransfer(input, DEFAULT_ZONE_CONFIG);
  if (!result.ok) throw new Error(`${result.error.code} ${JSON.stringify(result.error.params)}`);
  return result.value;
}

describe('all four criteria', () => {
  it('a technology meeting all four leaves the list', () => {
    const r = evaluate(base());
    expect(r.criteria.transfer.met).toBe(true);
    expect(r.criteria.cost.met).toBe(true);
    expect(r.criteria.rarity.met).toBe(true);
    expect(r.criteria.outcomes.met).toBe(true);
    expect(r.metCount).toBe(4);
    expect(r.leavesList).toBe(true);
  });

  it('three of four keep it in the list', () => {
    const r = evaluate(base({ tariff: 300_000_00 }));
    expect(r.metCount).toBe(3);
    expect(r.leavesList).toBe(false);
  });
});

describe('criterion 1: transfer', () => {
  it('exactly 75% does not transfer, 75.01% does', () => {
    const at = evaluate(base({ regions: [...regions(FIVE_ZONES.slice(1)), { region: 'pavlodar', regionalCases: 75, republicanCases: 25 }] }));
    const pavlodarAt = at.criteria.transfer.perRegion.find((r) => r.region === 'pavlodar');
    expect(pavlodarAt).toMatchObject({ sharePercent: 75, transfers: false, zone: 'north' });
    expect(at.criteria.transfer.met).toBe(false);
    expect(at.criteria.transfer.zonesMissing).toEqual(['north']);

    const above = evaluate(base({ regions: [...regions(FIVE_ZONES.slice(1)), { region: 'pavlodar', regionalCases: 7501, republicanCases: 2499 }] }));
    expect(above.criteria.transfer.perRegion.find((r) => r.region === 'pavlodar')).toMatchObject({ sharePercent: 75.01, transfers: true });
    expect(above.criteria.transfer.met).toBe(true);
  });

  it('5 transferring regions in only 4 zones do not meet it', () => {
    // Two southern regions, none in the centre.
    const r = evaluate(base({ regions: regions(['pavlodar', 'turkestan', 'shymkent', 'abai', 'atyrau']) }));
    expect(r.criteria.transfer).toMatchObject({
      met: false,
      qualifyingCount: 5,
      zonesCovered: ['north', 'south', 'east', 'west'],
      zonesMissing: ['centre'],
    });
  });

  it('all five zones need at least 5 regions; 6 regions over 5 zones meet it', () => {
    const r = evaluate(base({ regions: regions([...FIVE_ZONES, 'shymkent']) }));
    expect(r.criteria.transfer).toMatchObject({ met: true, qualifyingCount: 6, zonesMissing: [] });
    expect(r.criteria.transfer.qualifyingRegions).toEqual([...FIVE_ZONES, 'shymkent']);
  });

  it('regions below the share or without cases do not count, and report a null share', () => {
    const r = evaluate(
      base({
        regions: [
          ...regions(FIVE_ZONES.slice(0, 4)),
          { region: 'karaganda', regionalCases: 0, republicanCases: 0 },
          { region: 'astana', regionalCases: 10, republicanCases: 90 },
        ],
      }),
    );
    expect(r.criteria.transfer.perRegion.find((x) => x.region === 'karaganda')).toMatchObject({ sharePercent: null, transfers: false });
    expect(r.criteria.transfer.perRegion.find((x) => x.region === 'astana')).toMatchObject({ sharePercent: 10, transfers: false });
    expect(r.criteria.transfer).toMatchObject({ met: false, qualifyingCount: 4, zonesMissing: ['centre'] });
  });

  it('follows an edited zone configuration', () => {
    // Move Atyrau (west) to the centre: the five regions now miss the west.
    const edited = parseZoneConfig({
      regions: DEFAULT_ZONE_CONFIG.regions.map((r) => ({ id: r.id, zone: r.id === 'atyrau' ? 'centre' : r.zone })),
    });
    expect(edited.ok).toBe(true);
    if (!edited.ok) return;
    const result = evaluateTransfer(base({ regions: regions(['pavlodar', 'turkestan', 'abai', 'atyrau', 'astana']) }), edited.value);
    expect(result.ok && result.value.criteria.transfer).toMatchObject({ met: false, zonesMissing: ['west'] });
  });
});

describe('criterion 2: cost', () => {
  it('a tariff equal to the mean does not meet it; one tiyn below does', () => {
    // Mean of 100, 300, 500 thousand tenge is 300 thousand.
    expect(evaluate(base({ tariff: 300_000_00 })).criteria.cost).toMatchObject({ met: false, meanTariff: 300_000_00 });
    expect(evaluate(base({ tariff: 300_000_00 - 1 })).criteria.cost.met).toBe(true);
  });

  it('compares with a mean that is not whole tiyn exactly', () => {
    // Mean of 1, 2 and 2 tiyn is 5/3 = 1.666...: 2 is not below it, 1 is; display rounds to 2.
    expect(evaluate(base({ tariff: 2, listTariffs: [1, 2, 2] })).criteria.cost).toMatchObject({ met: false, meanTariff: 2, listSum: 5, listCount: 3 });
    expect(evaluate(base({ tariff: 1, listTariffs: [1, 2, 2] })).criteria.cost.met).toBe(true);
  });

  it('stays exact for large sums', () => {
    // Sums beyond 2^53 tiyn would lose precision in floats; the comparison must still hold.
    const big = Number.MAX_SAFE_INTEGER;
    expect(evaluate(base({ tariff: big, listTariffs: [big, big] })).criteria.cost.met).toBe(false);
    expect(evaluate(base({ tariff: big - 1, listTariffs: [big, big] })).criteria.cost.met).toBe(true);
  });
});

describe('criterion 3: rarity', () => {
  it('exactly 1 per 100,000 does not meet it; above does', () => {
    const at = evaluate(base({ casesPerYear: 200, population: 20_000_000, lethalOrComplicated: 0 }));
    expect(at.criteria.rarity).toMatchObject({ met: false, perHundredThousand: 1 });
    const above = evaluate(base({ casesPerYear: 201, population: 20_000_000, lethalOrComplicated: 0 }));
    expect(above.criteria.rarity).toMatchObject({ met: true, perHundredThousand: 1.01 });
  });

  it('decides exactly even when display rounds to 1.00', () => {
    // 20,000,001 people and 200 cases: 0.99999995 per 100,000, shown 1.00, not met.
    expect(evaluate(base({ casesPerYear: 200, population: 20_000_001 })).criteria.rarity).toMatchObject({ met: false, perHundredThousand: 1 });
    // 19,999,999 people: just above 1, met.
    expect(evaluate(base({ casesPerYear: 200, population: 19_999_999 })).criteria.rarity).toMatchObject({ met: true, perHundredThousand: 1 });
  });
});

describe('criterion 4: outcomes', () => {
  it('exactly 10% does not meet it; below does', () => {
    const at = evaluate(base({ casesPerYear: 400, lethalOrComplicated: 40 }));
    expect(at.criteria.outcomes).toMatchObject({ met: false, sharePercent: 10 });
    const below = evaluate(base({ casesPerYear: 400, lethalOrComplicated: 39 }));
    expect(below.criteria.outcomes).toMatchObject({ met: true, sharePercent: 9.75 });
    const just = evaluate(base({ casesPerYear: 10_001, population: 1, lethalOrComplicated: 1_000 }));
    expect(just.criteria.outcomes).toMatchObject({ met: true, sharePercent: 10 });
  });

  it('is not met without cases (the share is undefined)', () => {
    const r = evaluate(base({ casesPerYear: 0, lethalOrComplicated: 0 }));
    expect(r.criteria.outcomes).toMatchObject({ met: false, sharePercent: null });
    expect(r.criteria.rarity.met).toBe(false);
  });
});

describe('input validation', () => {
  const cases: Array<[string, Partial<TransferInput> | Record<string, unknown>]> = [
    ['code', { code: ' ' }],
    ['year', { year: 2025.5 }],
    ['regions', { regions: 'all' }],
    ['regions[0].region', { regions: [{ region: 'semey', regionalCases: 1, republicanCases: 0 }] }],
    ['regions[1].region', { regions: regions(['abai', 'abai']) }],
    ['regions[0].regionalCases', { regions: [{ region: 'abai', regionalCases: -1, republicanCases: 0 }] }],
    ['regions[0].republicanCases', { regions: [{ region: 'abai', regionalCases: 1, republicanCases: 0.5 }] }],
    ['tariff', { tariff: Number.NaN }],
    ['tariff', { tariff: 10.5 }],
    ['listTariffs', { listTariffs: [] }],
    ['listTariffs[1]', { listTariffs: [1, -2] }],
    ['casesPerYear', { casesPerYear: '400' }],
    ['population', { population: 0 }],
    ['lethalOrComplicated', { lethalOrComplicated: -1 }],
    ['lethalOrComplicated', { casesPerYear: 10, lethalOrComplicated: 11 }],
  ];
  for (const [field, override] of cases) {
    it(`names the field ${field} (${JSON.stringify(override).slice(0, 60)})`, () => {
      const result = evaluateTransfer({ ...base(), ...override } as TransferInput, DEFAULT_ZONE_CONFIG);
      expect(result).toEqual({ ok: false, error: { code: 'transfer.invalid_input', params: { field } } });
    });
  }

  it('refuses a non-object input without throwing', () => {
    const result = evaluateTransfer(null as unknown as TransferInput, DEFAULT_ZONE_CONFIG);
    expect(result.ok).toBe(false);
  });
});
