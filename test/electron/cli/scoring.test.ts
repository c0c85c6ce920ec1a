import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/run';
import { ADMIN_ENV } from '../../support/cli';
import { REGION_IDS } from '../../../shared/domain/regions';
import { adminCore, tempDir } from '../../support/temp';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: { ...ADMIN_ENV } });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, any> };
}

const score = (innovation: string[], rest = ['--resource', '1', '--uniqueness', '1', '--complexity', '1']) =>
  cli(['score', ...innovation, ...rest, '--json']);

describe('htmp score', () => {
  it('prints the issue contract: criteria with id, level, value, weight, points; total; included', async () => {
    const r = await score(['--innovation', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const j = r.json();
    expect(j.criteria.map((c: { id: string }) => c.id)).toEqual(['innovation', 'resource', 'uniqueness', 'complexity']);
    expect(j.criteria[0]).toMatchObject({ id: 'innovation', level: 1, value: 10, weight: 0.1, points: 1, band: 'under_5' });
    expect(j.criteria[1]).toMatchObject({ id: 'resource', level: 1, value: 10, weight: 0.3, points: 3 });
    expect(j.criteria[3]).toMatchObject({ id: 'complexity', level: 1, value: 10, weight: 0.5, points: 5 });
    expect(j.total).toBe(10);
    expect(j.included).toBe(true);
  });

  it('derives the innovation band from years at the edges 5, 10 and 15', async () => {
    const cases: [string, number, string, number][] = [
      ['0', 1, 'under_5', 10],
      ['4.9', 1, 'under_5', 10],
      ['5', 2, 'from_5_to_10', 7.5],
      ['10', 2, 'from_5_to_10', 7.5],
      ['10.5', 3, 'over_10_to_15', 5],
      ['15', 3, 'over_10_to_15', 5],
      ['16', 4, 'over_15', 2.5],
    ];
    for (const [years, level, band, value] of cases) {
      const j = (await score(['--innovation-years', years])).json();
      expect(j.criteria[0], years).toMatchObject({ level, band, value, years: Number(years) });
    }
  });

  it('is exact at the threshold: 7.00 is in, 6.75 is not', async () => {
    const run = async (i: string, r: string, u: string, c: string) =>
      (await score(['--innovation', i], ['--resource', r, '--uniqueness', u, '--complexity', c])).json();
    // 0.1x10 + 0.3x10 + 0.1x5 + 0.5x5 = 1 + 3 + 0.5 + 2.5 = 7.00
    expect(await run('1', '1', '3', '3')).toMatchObject({ total: 7, totalHundredths: 700, included: true });
    // 0.1x2.5 + 0.3x10 + 0.1x10 + 0.5x5 = 0.25 + 3 + 1 + 2.5 = 6.75
    expect(await run('4', '1', '1', '3')).toMatchObject({ total: 6.75, totalHundredths: 675, included: false });
    // the lowest and the highest possible totals
    expect(await run('4', '4', '4', '4')).toMatchObject({ total: 2.5, included: false });
    expect(await run('1', '1', '1', '1')).toMatchObject({ total: 10, included: true });
  });

  it('bad input exits 2 with a translated JSON error', async () => {
    const both = await score(['--innovation', '1', '--innovation-years', '3']);
    expect(both.code).toBe(2);
    expect(both.json().error.code).toBe('scoring.innovation_one_of');
    const none = await score([]);
    expect(none.code).toBe(2);
    const level = await cli(['score', '--innovation', '5', '--resource', '1', '--uniqueness', '1', '--complexity', '1', '--json', '--lang', 'ru']);
    expect(level.code).toBe(2);
    expect(level.json().error).toMatchObject({ code: 'scoring.invalid_level', params: { field: 'innovation' } });
    expect(level.json().error.message).toMatch(/выберите один уровень/);
    const missing = await cli(['score', '--innovation', '1', '--resource', '1', '--uniqueness', '1', '--json']);
    expect(missing.code).toBe(2);
    expect(missing.json().error.params.field).toBe('complexity');
    const years = await cli(['score', '--innovation-years', 'abc', '--resource', '1', '--uniqueness', '1', '--complexity', '1', '--json', '--lang', 'kk']);
    expect(years.code).toBe(2);
    expect(years.json().error.code).toBe('scoring.invalid_years');
    expect(years.json().error.message).toMatch(/жылдар/);
  });

  it('human output states the band and the verdict', async () => {
    const r = await cli(['score', '--innovation-years', '12', '--resource', '1', '--uniqueness', '1', '--complexity', '1', '--lang', 'ru']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('более 10 и до 15 лет включительно');
    expect(r.stdout).toContain('включается в перечень');
  });
});

describe('htmp transfer', () => {
  it('regions --json lists the 20 regions with names and the default zones', async () => {
    const r = await cli(['transfer', 'regions', '--json', '--data-dir', tempDir()]);
    expect(r.code).toBe(0);
    const j = r.json();
    expect(j.regions).toHaveLength(20);
    expect(j.regions.find((x: { id: string }) => x.id === 'akmola')).toEqual({ id: 'akmola', name: { kk: 'Ақмола облысы', ru: 'Акмолинская область' }, zone: 'north' });
  });

  it('regions reflects an edited grouping stored in the database', async () => {
    const dir = tempDir();
    const core = await adminCore(dir);
    const current = await core.call('transfer.regions', {});
    await core.call('transfer.setZones', { regions: current.regions.map((x) => ({ id: x.id, zone: x.id === 'ulytau' ? 'north' : x.zone })) });
    core.close();
    const j = (await cli(['transfer', 'regions', '--json', '--data-dir', dir])).json();
    expect(j.regions.find((x: { id: string }) => x.id === 'ulytau').zone).toBe('north');
    expect(j.isDefault).toBe(false);
  });

  function file(data: unknown): string {
    const f = path.join(tempDir(), 'in.json');
    fs.writeFileSync(f, typeof data === 'string' ? data : JSON.stringify(data));
    return f;
  }

  const zones = ['akmola', 'almaty', 'abai', 'aktobe', 'karaganda'];
  const input = (over: Record<string, unknown> = {}) => ({
    code: '35.21',
    year: 2025,
    regions: zones.map((region) => ({ region, regionalCases: 76, republicanCases: 24 })),
    tariff: 100,
    listTariffs: [100, 300],
    casesPerYear: 200,
    population: 1_000_000,
    lethalOrComplicated: 19,
    ...over,
  });

  it('evaluate FILE.json: all four criteria met leaves the list', async () => {
    const r = await cli(['transfer', 'evaluate', file(input()), '--json', '--data-dir', tempDir()]);
    expect(r.code).toBe(0);
    const j = r.json();
    expect(j.criteria.transfer).toMatchObject({ met: true, qualifyingCount: 5 });
    expect(j.criteria.cost.met).toBe(true);
    expect(j.criteria.rarity.met).toBe(true);
    expect(j.criteria.outcomes.met).toBe(true);
    expect(j.metCount).toBe(4);
    expect(j.leavesList).toBe(true);
  });

  it('evaluate at the thresholds: exactly 75%, the mean, 1 per 100,000 and 10% are not met', async () => {
    const r = await cli([
      'transfer',
      'evaluate',
      file(input({ regions: zones.map((region) => ({ region, regionalCases: 75, republicanCases: 25 })), tariff: 200, casesPerYear: 10, population: 1_000_000, lethalOrComplicated: 1 })),
      '--json',
      '--data-dir',
      tempDir(),
    ]);
    const j = r.json();
    expect(j.criteria.transfer.met).toBe(false);
    expect(j.criteria.cost.met).toBe(false);
    expect(j.criteria.rarity.met).toBe(false);
    expect(j.criteria.outcomes.met).toBe(false);
    expect(j.metCount).toBe(0);
    expect(j.leavesList).toBe(false);
  });

  it('evaluate: bad input exits 2 with a translated JSON error', async () => {
    const dir = tempDir();
    const bad = await cli(['transfer', 'evaluate', file(input({ population: 0 })), '--json', '--lang', 'ru', '--data-dir', dir]);
    expect(bad.code).toBe(2);
    expect(bad.json().error).toMatchObject({ code: 'transfer.invalid_input', params: { field: 'population' } });
    expect(bad.json().error.message).toMatch(/Неверные данные/);
    const notJson = await cli(['transfer', 'evaluate', file('{oops'), '--json', '--data-dir', dir]);
    expect(notJson.code).toBe(2);
    expect(notJson.json().error.code).toBe('cli.file_not_json');
    const missing = await cli(['transfer', 'evaluate', path.join(dir, 'nope.json'), '--json', '--data-dir', dir]);
    expect(missing.code).toBe(2);
    expect(missing.json().error.code).toBe('cli.file_unreadable');
    const region = await cli(['transfer', 'evaluate', file(input({ regions: [{ region: 'mars', regionalCases: 1, republicanCases: 0 }] })), '--json', '--data-dir', dir]);
    expect(region.code).toBe(2);
    expect(region.json().error.code).toBe('transfer.invalid_input');
    expect(REGION_IDS).toHaveLength(20);
  });
});
