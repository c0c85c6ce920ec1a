// Pins the 20 regions, the shipped default zone grouping and the validation of edited configs.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_ZONE_CONFIG,
  REGION_IDS,
  ZONES,
  parseZoneConfig,
  zoneOf,
  type Zone,
} from '../../../shared/domain/regions';

const shipped: unknown = JSON.parse(readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../../../assets/config/regions.json'), 'utf8'));

function clone(): { regions: Array<{ id: string; zone: string; name?: unknown }>; [k: string]: unknown } {
  return JSON.parse(JSON.stringify(shipped));
}

describe('regions', () => {
  it('has 17 oblasts and 3 cities, each id once', () => {
    expect(REGION_IDS).toHaveLength(20);
    expect(new Set(REGION_IDS).size).toBe(20);
    expect(DEFAULT_ZONE_CONFIG.regions.filter((r) => r.kind === 'city').map((r) => r.id)).toEqual([
      'astana',
      'almaty_city',
      'shymkent',
    ]);
  });

  it('lists the zones in the order of the rules', () => {
    expect(ZONES).toEqual(['north', 'south', 'east', 'west', 'centre']);
  });
});

describe('shipped default (assets/config/regions.json)', () => {
  it('parses and equals DEFAULT_ZONE_CONFIG', () => {
    expect(parseZoneConfig(shipped)).toEqual({ ok: true, value: DEFAULT_ZONE_CONFIG });
  });

  it('is labelled as a default configuration, not a legal text', () => {
    const root = shipped as { isDefault: boolean; note: Record<string, string> };
    expect(root.isDefault).toBe(true);
    expect(root.note.en).toMatch(/NOT A LEGAL TEXT/);
    expect(root.note.ru).toMatch(/не текст нормативного акта/);
    expect(root.note.kk).toMatch(/акт мәтіні емес/);
  });

  it('follows the grouping of domain.md section 10', () => {
    const expected: Record<Zone, string[]> = {
      north: ['akmola', 'kostanay', 'pavlodar', 'north_kazakhstan'],
      south: ['almaty', 'zhambyl', 'zhetysu', 'kyzylorda', 'turkestan', 'almaty_city', 'shymkent'],
      east: ['east_kazakhstan', 'abai'],
      west: ['aktobe', 'atyrau', 'west_kazakhstan', 'mangystau'],
      centre: ['karaganda', 'ulytau', 'astana'],
    };
    for (const zone of ZONES) {
      const actual = DEFAULT_ZONE_CONFIG.regions.filter((r) => r.zone === zone).map((r) => r.id);
      expect(actual.sort()).toEqual([...expected[zone]].sort());
    }
    expect(zoneOf(DEFAULT_ZONE_CONFIG, 'ulytau')).toBe('centre');
  });

  it('carries names in both languages', () => {
    for (const r of DEFAULT_ZONE_CONFIG.regions) {
      expect(r.name.kk.length).toBeGreaterThan(0);
      expect(r.name.ru.length).toBeGreaterThan(0);
    }
    expect(DEFAULT_ZONE_CONFIG.regions.find((r) => r.id === 'north_kazakhstan')?.name).toEqual({
      kk: 'Солтүстік Қазақстан облысы',
      ru: 'Северо-Казахстанская область',
    });
  });
});

describe('parseZoneConfig', () => {
  it('accepts a user edit that moves a region to another zone, marked as not default', () => {
    const edited = clone();
    edited.isDefault = false;
    edited.regions.find((r) => r.id === 'aktobe')!.zone = 'north';
    const result = parseZoneConfig(edited);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.isDefault).toBe(false);
    expect(zoneOf(result.value, 'aktobe')).toBe('north');
  });

  it('fills official names when an edited file leaves them out', () => {
    const edited = { regions: REGION_IDS.map((id) => ({ id, zone: zoneOf(DEFAULT_ZONE_CONFIG, id) })) };
    const result = parseZoneConfig(edited);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.regions).toEqual(DEFAULT_ZONE_CONFIG.regions);
      expect(result.value.isDefault).toBe(false);
    }
  });

  it('refuses a missing region', () => {
    const edited = clone();
    edited.regions = edited.regions.filter((r) => r.id !== 'shymkent' && r.id !== 'abai');
    expect(parseZoneConfig(edited)).toEqual({
      ok: false,
      error: { code: 'regions.missing_region', params: { field: 'regions', region: 'abai, shymkent', count: 2 } },
    });
  });

  it('refuses a duplicated region', () => {
    const edited = clone();
    edited.regions.push({ id: 'astana', zone: 'north' });
    const result = parseZoneConfig(edited);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toEqual({ code: 'regions.duplicate_region', params: { field: 'regions[20].id', region: 'astana' } });
  });

  it('refuses an unknown region id', () => {
    const edited = clone();
    edited.regions[0]!.id = 'semey';
    const result = parseZoneConfig(edited);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('regions.unknown_region');
  });

  it('refuses a zone outside north|south|east|west|centre', () => {
    const edited = clone();
    edited.regions[0]!.zone = 'center';
    const result = parseZoneConfig(edited);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'regions.invalid_zone', params: { zone: 'center' } });
  });

  it('refuses a configuration that leaves a zone empty', () => {
    const edited = clone();
    for (const r of edited.regions) if (r.zone === 'east') r.zone = 'north';
    const result = parseZoneConfig(edited);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toEqual({ code: 'regions.empty_zone', params: { field: 'regions', zone: 'east' } });
  });

  it('refuses malformed files and files of another kind', () => {
    for (const bad of [null, 42, 'x', [], {}, { regions: 'all' }, { regions: [null] }]) {
      const result = parseZoneConfig(bad);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('regions.invalid_config');
    }
    const other = clone();
    other.kind = 'htmp.calendar';
    const result = parseZoneConfig(other);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.params?.field).toBe('kind');
  });

  it('refuses empty names in an edited file', () => {
    const edited = clone();
    edited.regions[3]!.name = { kk: '', ru: 'Алматинская область' };
    const result = parseZoneConfig(edited);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'regions.invalid_config', params: { field: 'regions[3].name' } });
  });
});
