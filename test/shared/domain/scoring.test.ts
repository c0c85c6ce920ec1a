// Pins the scoring rules to the appendix table of order ҚР ДСМ-134/2020 (rules point 2).
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CRITERION_IDS,
  LEVELS,
  formatHundredths,
  innovationLevelFromYears,
  meanOfSheets,
  pointsHundredths,
  scoreSheet,
  sensitivity,
  type Level,
  type ScoreSheet,
  type ScoreSheetInput,
} from '../../../shared/domain/scoring';

// The official table, transcribed by hand from the seed text: [criterion, weight, [value, points] per level].
const OFFICIAL: ReadonlyArray<[string, number, ReadonlyArray<[number, number]>]> = [
  ['innovation', 0.1, [[10, 1], [7.5, 0.75], [5, 0.5], [2.5, 0.25]]],
  ['resource', 0.3, [[10, 3], [7.5, 2.25], [5, 1.5], [2.5, 0.75]]],
  ['uniqueness', 0.1, [[10, 1], [7.5, 0.75], [5, 0.5], [2.5, 0.25]]],
  ['complexity', 0.5, [[10, 5], [7.5, 3.75], [5, 2.5], [2.5, 1.25]]],
];

function sheet(i: Level, r: Level, u: Level, c: Level): ScoreSheet {
  const result = scoreSheet({ innovation: { level: i }, resource: { level: r }, uniqueness: { level: u }, complexity: { level: c } });
  if (!result.ok) throw new Error(result.error.code);
  return result.value;
}

describe('official table', () => {
  it('lists the criteria in the official order', () => {
    expect(CRITERION_IDS).toEqual(OFFICIAL.map((row) => row[0]));
  });

  for (const [id, weight, levels] of OFFICIAL) {
    levels.forEach(([value, points], index) => {
      const level = (index + 1) as Level;
      it(`${id} level ${level}: value ${value}, weight ${weight}, points ${points}`, () => {
        // Put the criterion under test at `level` and all others at level 1.
        const levelsOf = Object.fromEntries(CRITERION_IDS.map((c) => [c, { level: c === id ? level : 1 }]));
        const result = scoreSheet(levelsOf as unknown as ScoreSheetInput);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        const scored = result.value.criteria.find((c) => c.id === id);
        expect(scored).toMatchObject({ id, level, value, weight, points });
        expect(scored?.pointsHundredths).toBe(Math.round(points * 100));
      });
    });
  }

  it('keeps points in whole hundredths for every criterion and level', () => {
    for (const id of CRITERION_IDS) {
      for (const level of LEVELS) {
        expect(Number.isInteger(pointsHundredths(id, level))).toBe(true);
      }
    }
  });

  it('spans 2.50 to 10.00 over all 256 combinations, each total exact', () => {
    const totals = new Set<number>();
    for (const i of LEVELS) for (const r of LEVELS) for (const u of LEVELS) for (const c of LEVELS) {
      const s = sheet(i, r, u, c);
      expect(Number.isInteger(s.totalHundredths)).toBe(true);
      expect(s.total).toBe(s.totalHundredths / 100);
      expect(s.included).toBe(s.totalHundredths >= 700);
      totals.add(s.totalHundredths);
    }
    expect(Math.min(...totals)).toBe(250);
    expect(Math.max(...totals)).toBe(1000);
  });

  it('serializes decimals as the table prints them', () => {
    const s = sheet(2, 2, 2, 2);
    const json = JSON.stringify(s.criteria.map((c) => [c.value, c.weight, c.points]));
    expect(json).toBe('[[7.5,0.1,0.75],[7.5,0.3,2.25],[7.5,0.1,0.75],[7.5,0.5,3.75]]');
    expect(s.total).toBe(7.5);
  });
});

describe('innovation bands', () => {
  const cases: Array<[number, Level, string]> = [
    [0, 1, 'under_5'],
    [4.99, 1, 'under_5'],
    [5, 2, 'from_5_to_10'],
    [10, 2, 'from_5_to_10'],
    [10.01, 3, 'over_10_to_15'],
    [15, 3, 'over_10_to_15'],
    [15.01, 4, 'over_15'],
    [40, 4, 'over_15'],
  ];
  for (const [years, level, band] of cases) {
    it(`${years} years -> level ${level} (${band})`, () => {
      expect(innovationLevelFromYears(years)).toEqual({ ok: true, value: { level, band } });
    });
  }

  it('rejects negative and non-finite years', () => {
    for (const years of [-1, -0.01, Number.NaN, Number.POSITIVE_INFINITY]) {
      const result = innovationLevelFromYears(years);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('scoring.invalid_years');
    }
  });

  it('scores from years and shows the band applied', () => {
    const result = scoreSheet({ innovation: { years: 12 }, resource: { level: 1 }, uniqueness: { level: 1 }, complexity: { level: 1 } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.criteria[0]).toMatchObject({ id: 'innovation', level: 3, band: 'over_10_to_15', years: 12, points: 0.5 });
  });

  it('shows the band also when innovation is scored by level', () => {
    expect(sheet(4, 1, 1, 1).criteria[0]?.band).toBe('over_15');
    expect(sheet(1, 1, 1, 1).criteria[1]?.band).toBeUndefined();
  });
});

describe('verdict', () => {
  it('includes exactly 7.00', () => {
    // 0.25 + 2.25 + 0.75 + 3.75 = 7.00
    const s = sheet(4, 2, 2, 2);
    expect(s.totalHundredths).toBe(700);
    expect(s.total).toBe(7);
    expect(s.included).toBe(true);
  });

  it('excludes 6.75', () => {
    // 0.25 + 2.25 + 0.5 + 3.75 = 6.75
    const s = sheet(4, 2, 3, 2);
    expect(s.totalHundredths).toBe(675);
    expect(s.included).toBe(false);
  });

  it('formats hundredths canonically', () => {
    expect(formatHundredths(700)).toBe('7.00');
    expect(formatHundredths(675)).toBe('6.75');
    expect(formatHundredths(1000)).toBe('10.00');
    expect(formatHundredths(5)).toBe('0.05');
  });
});

describe('input validation', () => {
  it('refuses a level outside 1..4 naming the criterion', () => {
    const result = scoreSheet({ innovation: { level: 1 }, resource: { level: 5 as Level }, uniqueness: { level: 1 }, complexity: { level: 1 } });
    expect(result).toEqual({ ok: false, error: { code: 'scoring.invalid_level', params: { field: 'resource' } } });
  });

  it('refuses a missing criterion', () => {
    const result = scoreSheet({ innovation: { level: 1 }, resource: { level: 1 }, uniqueness: { level: 1 } } as unknown as ScoreSheetInput);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.params?.field).toBe('complexity');
  });

  it('refuses innovation given both as level and as years', () => {
    const result = scoreSheet({
      innovation: { level: 1, years: 20 } as unknown as { level: Level },
      resource: { level: 1 },
      uniqueness: { level: 1 },
      complexity: { level: 1 },
    });
    expect(result.ok).toBe(false);
  });

  it('passes on invalid years from the innovation choice', () => {
    const result = scoreSheet({ innovation: { years: -3 }, resource: { level: 1 }, uniqueness: { level: 1 }, complexity: { level: 1 } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('scoring.invalid_years');
  });
});

describe('sensitivity', () => {
  it('finds the one-level drop that excludes a 7.00 sheet, the smallest in points', () => {
    // 7.00: any one-level drop excludes; innovation 4 cannot drop, so the smallest is
    // uniqueness 2 -> 3 (-0.25).
    const s = sheet(4, 2, 2, 2);
    expect(sensitivity(s)).toMatchObject({
      criterion: 'uniqueness',
      fromLevel: 2,
      toLevel: 3,
      newTotal: 6.75,
      newTotalHundredths: 675,
      newIncluded: false,
      levels: 1,
      deltaHundredths: -25,
    });
  });

  it('prefers fewer levels over fewer points', () => {
    // 0.5 + 3 + 0.5 + 2.5 = 6.50 out. Innovation or uniqueness 3 -> 1 (+0.5) would reach 7.00 but
    // moves two levels; complexity 3 -> 2 (+1.25) moves one and wins despite more points.
    const s = sheet(3, 1, 3, 3);
    expect(s.totalHundredths).toBe(650);
    expect(sensitivity(s)).toMatchObject({ criterion: 'complexity', fromLevel: 3, toLevel: 2, levels: 1, newTotalHundredths: 775 });
  });

  it('among equal level moves prefers the smaller change of points', () => {
    // 1 + 3 + 1 + 2.5 = 7.50 in. Innovation/uniqueness 1 -> 2 give 7.25 (still in); the one-level
    // flips are resource 1 -> 2 (-0.75, 6.75) and complexity 3 -> 4 (-1.25, 6.25): resource wins.
    const s = sheet(1, 1, 1, 3);
    expect(s.totalHundredths).toBe(750);
    expect(sensitivity(s)).toMatchObject({ criterion: 'resource', fromLevel: 1, toLevel: 2, newTotalHundredths: 675 });
    // 0.25 + 0.75 + 0.25 + 5 = 6.25 out: resource 4 -> 3 (+0.75) reaches exactly 7.00, in.
    const t = sheet(4, 4, 4, 1);
    expect(t.totalHundredths).toBe(625);
    expect(sensitivity(t)).toMatchObject({ criterion: 'resource', fromLevel: 4, toLevel: 3, newTotalHundredths: 700, newIncluded: true });
  });

  it('breaks a full tie between innovation and uniqueness by the official order', () => {
    // 0.5 + 2.25 + 0.5 + 3.75 = 7.00: innovation 3 -> 4 and uniqueness 3 -> 4 both give 6.75.
    const s = sheet(3, 2, 3, 2);
    expect(s.totalHundredths).toBe(700);
    expect(sensitivity(s)).toMatchObject({ criterion: 'innovation', fromLevel: 3, toLevel: 4, newTotalHundredths: 675 });
  });

  it('returns null when no single change can flip the verdict', () => {
    // 2.50 plus the largest single gain (complexity 4 -> 1, +3.75) is 6.25: still out.
    expect(sensitivity(sheet(4, 4, 4, 4))).toBeNull();
    // 10.00 minus complexity 1 -> 4 (-3.75) is 6.25: the only flip, three levels away.
    expect(sensitivity(sheet(1, 1, 1, 1))).toMatchObject({ criterion: 'complexity', toLevel: 4, newTotalHundredths: 625, levels: 3 });
  });

  it('agrees with brute force on every sheet', () => {
    for (const i of LEVELS) for (const r of LEVELS) for (const u of LEVELS) for (const c of LEVELS) {
      const s = sheet(i, r, u, c);
      const found = sensitivity(s);
      const start = [i, r, u, c];
      // Strict comparisons in criterion order: on a full tie the earlier criterion stays.
      let bestKey = null as [number, number, number] | null;
      for (let k = 0; k < CRITERION_IDS.length; k++) {
        for (const to of LEVELS) {
          if (to === start[k]) continue;
          const levels = start.slice() as Level[];
          levels[k] = to;
          const t = sheet(levels[0]!, levels[1]!, levels[2]!, levels[3]!);
          if (t.included === s.included) continue;
          const key: [number, number, number] = [Math.abs(to - start[k]!), Math.abs(t.totalHundredths - s.totalHundredths), k];
          if (!bestKey || key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) bestKey = key;
        }
      }
      if (bestKey === null) expect(found).toBeNull();
      else {
        const [levels, points, k] = bestKey;
        expect(found?.levels).toBe(levels);
        expect(Math.abs(found?.deltaHundredths ?? 0)).toBe(points);
        expect(found?.criterion).toBe(CRITERION_IDS[k]);
      }
    }
  });
});

describe('meanOfSheets', () => {
  it('rounds a mean of 6.875 half-up to 6.88 and keeps it out', () => {
    const result = meanOfSheets([sheet(4, 2, 2, 2), sheet(4, 2, 3, 2)]);
    // (7.00 + 6.75) / 2 = 6.875 -> rounds half-up to 6.88; not included.
    expect(result).toEqual({
      ok: true,
      value: { count: 2, sumHundredths: 1375, meanHundredths: 688, mean: 6.88, exact: false, included: false },
    });
  });

  it('rounds half-up and includes means at or above 7.00', () => {
    const result = meanOfSheets([sheet(4, 2, 2, 2), sheet(4, 2, 2, 2), sheet(2, 2, 2, 2), sheet(4, 2, 3, 2)]);
    // (700 + 700 + 750 + 675) / 4 = 706.25 -> 706
    expect(result.ok && result.value).toMatchObject({ sumHundredths: 2825, meanHundredths: 706, included: true, exact: false });
    const even = meanOfSheets([sheet(2, 2, 2, 2), sheet(4, 2, 3, 2)]);
    // (750 + 675) / 2 = 712.5 -> 713
    expect(even.ok && even.value).toMatchObject({ meanHundredths: 713, mean: 7.13, included: true });
    const seven = meanOfSheets([sheet(2, 2, 2, 2), sheet(3, 2, 2, 2)]);
    // (750 + 725) / 2 = 737.5 -> 738.
    expect(seven.ok && seven.value.meanHundredths).toBe(738);
    const exact = meanOfSheets([sheet(4, 2, 2, 2), sheet(4, 2, 2, 2)]);
    expect(exact.ok && exact.value).toMatchObject({ meanHundredths: 700, exact: true, included: true });
  });

  it('decides on the exact mean, not the rounded one', () => {
    // (700 x 399 + 675) / 400 = 699.9375: shown as 7.00 after rounding, but not included.
    const sheets = [...Array.from({ length: 399 }, () => sheet(4, 2, 2, 2)), sheet(4, 2, 3, 2)];
    const result = meanOfSheets(sheets);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.meanHundredths).toBe(700);
    expect(result.value.exact).toBe(false);
    expect(result.value.included).toBe(false);
  });

  it('rounds a quarter of a hundredth down', () => {
    // (700 + 675 x 3) / 4 = 681.25 -> 681; the half case 687.5 -> 688 is above.
    const result = meanOfSheets([sheet(4, 2, 2, 2), sheet(4, 2, 3, 2), sheet(4, 2, 3, 2), sheet(4, 2, 3, 2)]);
    expect(result.ok && result.value.meanHundredths).toBe(681);
  });

  it('refuses an empty list', () => {
    const result = meanOfSheets([]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('scoring.no_sheets');
  });
});

describe('locales/{kk,ru}/scoring.json', () => {
  const here = dirname(fileURLToPath(import.meta.url));
  const load = (lang: string): Record<string, unknown> =>
    JSON.parse(readFileSync(resolve(here, `../../../locales/${lang}/scoring.json`), 'utf8'));
  const ru = load('ru');
  const kk = load('kk');
  const flat = (obj: unknown, prefix = ''): Map<string, unknown> => {
    const out = new Map<string, unknown>();
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
      if (typeof v === 'object' && v !== null) for (const [kk2, vv] of flat(v, `${prefix}${k}.`)) out.set(kk2, vv);
      else out.set(`${prefix}${k}`, v);
    }
    return out;
  };

  it('have identical key sets and only non-empty strings', () => {
    const r = flat(ru);
    const k = flat(kk);
    expect([...k.keys()].sort()).toEqual([...r.keys()].sort());
    for (const v of [...r.values(), ...k.values()]) {
      expect(typeof v).toBe('string');
      expect((v as string).trim().length).toBeGreaterThan(0);
    }
  });

  it('use the same interpolation variables in both languages', () => {
    const r = flat(ru);
    const k = flat(kk);
    const vars = (s: unknown) => [...String(s).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [key, value] of r) expect(vars(k.get(key)), key).toEqual(vars(value));
  });

  it('name every criterion and level, every band, and every error code the rules return', () => {
    const r = flat(ru);
    for (const id of CRITERION_IDS) {
      expect(r.has(`criteria.${id}.name`)).toBe(true);
      for (const level of LEVELS) expect(r.has(`criteria.${id}.levels.${level}`)).toBe(true);
    }
    for (const band of ['under_5', 'from_5_to_10', 'over_10_to_15', 'over_15']) expect(r.has(`innovation.bands.${band}`)).toBe(true);
    for (const code of [
      'scoring.invalid_input',
      'scoring.invalid_level',
      'scoring.invalid_years',
      'scoring.no_sheets',
      'transfer.invalid_input',
      'regions.invalid_config',
      'regions.unknown_region',
      'regions.duplicate_region',
      'regions.missing_region',
      'regions.invalid_zone',
      'regions.empty_zone',
    ]) {
      expect(r.has(`errors.${code}`), code).toBe(true);
    }
  });

  it('carry the official Russian wording, with the hyphenated word joined', () => {
    const r = flat(ru);
    expect(r.get('criteria.innovation.name')).toBe('Инновационность (новизна)');
    expect(r.get('criteria.innovation.levels.3')).toBe('Технология применяется в мире более 10 лет');
    expect(r.get('criteria.resource.levels.2')).toBe(
      'Применение технологии требует дорогостоящих лекарственных средств, медицинских изделий, медицинской техники',
    );
    const top = String(r.get('criteria.complexity.levels.1'));
    expect(top).toContain('реконструктивные операции). Дополнительно учитываются анатомо-физиологические');
    expect(top).not.toMatch(/Допол-|\t|\n/);
    expect(top.endsWith('требуют тщательного планирования')).toBe(true);
  });

  it('mark the Kazakh wording as an unofficial translation', () => {
    expect(String(flat(kk).get('meta.kkWordingNote'))).toMatch(/Бейресми аударма/);
    expect(String(flat(ru).get('meta.kkWordingNote'))).toMatch(/неофициальный перевод/);
  });
});
