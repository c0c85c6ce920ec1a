/**
 * Kazakhstan's 20 regions (17 oblasts and 3 cities of republican significance, since 2022) and
 * their grouping into the geographic zones of ДСМ-134 rules point 3.
 *
 * Policy: the legal text names the zones (north, south, east, west, centre) but does not list
 * which region belongs where, so the grouping is configuration. The app ships a documented default
 * (assets/config/regions.json, mirrored in DEFAULT_ZONE_CONFIG) that the user may edit; every
 * edited file passes parseZoneConfig before use.
 */
import type { AppError, Result } from '../result';

/** Stable region ids; never renamed, since saved data and exchange files refer to them. */
export const REGION_IDS = [
  'abai',
  'akmola',
  'aktobe',
  'almaty',
  'atyrau',
  'west_kazakhstan',
  'zhambyl',
  'zhetysu',
  'karaganda',
  'kostanay',
  'kyzylorda',
  'mangystau',
  'pavlodar',
  'north_kazakhstan',
  'turkestan',
  'ulytau',
  'east_kazakhstan',
  'astana',
  'almaty_city',
  'shymkent',
] as const;
export type RegionId = (typeof REGION_IDS)[number];

/** Zones in the order the rules list them: "северный, южный, восточный, западный и центральный". */
export const ZONES = ['north', 'south', 'east', 'west', 'centre'] as const;
export type Zone = (typeof ZONES)[number];

export type RegionNames = { kk: string; ru: string };

export type RegionEntry = {
  id: RegionId;
  kind: 'oblast' | 'city';
  name: RegionNames;
  zone: Zone;
};

export type ZoneConfig = {
  /** True for the shipped default; an edited file should set it to false. */
  isDefault: boolean;
  regions: RegionEntry[];
};

/** Official names of each region (kk, ru), independent of any zone configuration. */
export const REGION_NAMES: Readonly<Record<RegionId, RegionNames & { kind: 'oblast' | 'city' }>> = {
  abai: { kind: 'oblast', kk: 'Абай облысы', ru: 'область Абай' },
  akmola: { kind: 'oblast', kk: 'Ақмола облысы', ru: 'Акмолинская область' },
  aktobe: { kind: 'oblast', kk: 'Ақтөбе облысы', ru: 'Актюбинская область' },
  almaty: { kind: 'oblast', kk: 'Алматы облысы', ru: 'Алматинская область' },
  atyrau: { kind: 'oblast', kk: 'Атырау облысы', ru: 'Атырауская область' },
  west_kazakhstan: { kind: 'oblast', kk: 'Батыс Қазақстан облысы', ru: 'Западно-Казахстанская область' },
  zhambyl: { kind: 'oblast', kk: 'Жамбыл облысы', ru: 'Жамбылская область' },
  zhetysu: { kind: 'oblast', kk: 'Жетісу облысы', ru: 'область Жетісу' },
  karaganda: { kind: 'oblast', kk: 'Қарағанды облысы', ru: 'Карагандинская область' },
  kostanay: { kind: 'oblast', kk: 'Қостанай облысы', ru: 'Костанайская область' },
  kyzylorda: { kind: 'oblast', kk: 'Қызылорда облысы', ru: 'Кызылординская область' },
  mangystau: { kind: 'oblast', kk: 'Маңғыстау облысы', ru: 'Мангистауская область' },
  pavlodar: { kind: 'oblast', kk: 'Павлодар облысы', ru: 'Павлодарская область' },
  north_kazakhstan: { kind: 'oblast', kk: 'Солтүстік Қазақстан облысы', ru: 'Северо-Казахстанская область' },
  turkestan: { kind: 'oblast', kk: 'Түркістан облысы', ru: 'Туркестанская область' },
  ulytau: { kind: 'oblast', kk: 'Ұлытау облысы', ru: 'область Ұлытау' },
  east_kazakhstan: { kind: 'oblast', kk: 'Шығыс Қазақстан облысы', ru: 'Восточно-Казахстанская область' },
  astana: { kind: 'city', kk: 'Астана қаласы', ru: 'город Астана' },
  almaty_city: { kind: 'city', kk: 'Алматы қаласы', ru: 'город Алматы' },
  shymkent: { kind: 'city', kk: 'Шымкент қаласы', ru: 'город Шымкент' },
};

/** The default grouping (domain.md section 10): a reasonable reading, not a legal text. */
export const DEFAULT_ZONE_BY_REGION: Readonly<Record<RegionId, Zone>> = {
  akmola: 'north',
  kostanay: 'north',
  pavlodar: 'north',
  north_kazakhstan: 'north',
  almaty: 'south',
  zhambyl: 'south',
  zhetysu: 'south',
  kyzylorda: 'south',
  turkestan: 'south',
  almaty_city: 'south',
  shymkent: 'south',
  east_kazakhstan: 'east',
  abai: 'east',
  aktobe: 'west',
  atyrau: 'west',
  west_kazakhstan: 'west',
  mangystau: 'west',
  karaganda: 'centre',
  ulytau: 'centre',
  astana: 'centre',
};

/** The shipped default configuration, equal to what parseZoneConfig makes of regions.json. */
export const DEFAULT_ZONE_CONFIG: ZoneConfig = {
  isDefault: true,
  regions: REGION_IDS.map((id) => {
    const { kind, kk, ru } = REGION_NAMES[id];
    return { id, kind, name: { kk, ru }, zone: DEFAULT_ZONE_BY_REGION[id] };
  }),
};

/** The `kind` tag of a zone configuration file. */
export const ZONE_CONFIG_KIND = 'htmp.zone-config';

/** True when a string is one of the 20 region ids. */
export function isRegionId(x: unknown): x is RegionId {
  return typeof x === 'string' && (REGION_IDS as readonly string[]).includes(x);
}

/** True when a string is one of the five zones. */
export function isZone(x: unknown): x is Zone {
  return typeof x === 'string' && (ZONES as readonly string[]).includes(x);
}

function fail(code: string, params: Record<string, string | number>): { ok: false; error: AppError } {
  return { ok: false, error: { code, params } };
}

function nonEmptyString(x: unknown): x is string {
  return typeof x === 'string' && x.trim().length > 0;
}

/**
 * Validate a (possibly user-edited) zone configuration: every one of the 20 regions exactly once,
 * each in one of the five zones. Names are optional in an edited file and default to the official
 * ones, so a user who only moves regions between zones cannot break the names.
 */
export function parseZoneConfig(json: unknown): Result<ZoneConfig> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return fail('regions.invalid_config', { field: 'config' });
  }
  const root = json as Record<string, unknown>;
  // A file of another kind (a catalogue, a calendar) must not be taken for a zone configuration.
  if (root.kind !== undefined && root.kind !== ZONE_CONFIG_KIND) return fail('regions.invalid_config', { field: 'kind' });
  if (!Array.isArray(root.regions)) return fail('regions.invalid_config', { field: 'regions' });
  const seen = new Set<RegionId>();
  const regions: RegionEntry[] = [];
  for (const [index, raw] of root.regions.entries()) {
    if (typeof raw !== 'object' || raw === null) {
      return fail('regions.invalid_config', { field: `regions[${index}]` });
    }
    const entry = raw as Record<string, unknown>;
    if (!isRegionId(entry.id)) {
      return fail('regions.unknown_region', { field: `regions[${index}].id`, region: String(entry.id) });
    }
    if (seen.has(entry.id)) {
      return fail('regions.duplicate_region', { field: `regions[${index}].id`, region: entry.id });
    }
    if (!isZone(entry.zone)) {
      return fail('regions.invalid_zone', {
        field: `regions[${index}].zone`,
        region: entry.id,
        zone: String(entry.zone),
      });
    }
    const official = REGION_NAMES[entry.id];
    let name: RegionNames = { kk: official.kk, ru: official.ru };
    if (entry.name !== undefined) {
      const n = entry.name as Record<string, unknown> | null;
      if (typeof n !== 'object' || n === null || !nonEmptyString(n.kk) || !nonEmptyString(n.ru)) {
        return fail('regions.invalid_config', { field: `regions[${index}].name`, region: entry.id });
      }
      name = { kk: n.kk, ru: n.ru };
    }
    seen.add(entry.id);
    regions.push({ id: entry.id, kind: official.kind, name, zone: entry.zone });
  }
  const missing = REGION_IDS.filter((id) => !seen.has(id));
  if (missing.length > 0) {
    return fail('regions.missing_region', { field: 'regions', region: missing.join(', '), count: missing.length });
  }
  // A zone with no region would make the transfer criterion impossible to meet; refuse it so the
  // user learns at edit time, not when every technology quietly fails criterion 1.
  for (const zone of ZONES) {
    if (!regions.some((r) => r.zone === zone)) return fail('regions.empty_zone', { field: 'regions', zone });
  }
  const isDefault = root.isDefault === true;
  return { ok: true, value: { isDefault, regions } };
}

/** Zone of a region in a configuration (every region is present in a parsed one). */
export function zoneOf(config: ZoneConfig, region: RegionId): Zone | undefined {
  return config.regions.find((r) => r.id === region)?.zone;
}
