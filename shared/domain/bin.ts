/**
 * The BIN (БСН / БИН), the 12-digit business identification number of an organization. Like the
 * IIN it ends with the same check digit (shared/domain/iin.ts, domain.md section 9); its own
 * structure (Rules of the national registers of identification numbers; outside the legal texts
 * of this project, to be checked against them):
 *
 *   digits 1-2  year of registration (YY)
 *   digits 3-4  month of registration (01-12)
 *   digit 5     type: 4 = legal entity (resident), 5 = legal entity (non-resident),
 *               6 = individual entrepreneur in a joint venture
 *   digit 6     attribute: 0 = head office, 1 = branch, 2 = representative office,
 *               3 = peasant (farm) enterprise in a joint venture
 *   digits 7-11 serial
 *   digit 12    check digit
 *
 * A health organization that provides HTMP is a legal entity (4) or its branch (41). Policy as for
 * the IIN: no normalisation here (the UI and the importer strip spaces first).
 */
import { iinCheckDigit } from './iin';

export type BinType = 'resident' | 'non_resident' | 'joint_entrepreneur';
export type BinAttribute = 'head' | 'branch' | 'representative' | 'peasant_farm';
export type BinReason = 'format' | 'month' | 'type' | 'attribute' | 'checksum';

export interface BinInfo {
  valid: boolean;
  reason: BinReason | null;
  /** 'YY-MM' as encoded (the century is not in the number). */
  registered: string | null;
  type: BinType | null;
  attribute: BinAttribute | null;
}

const TYPES: Readonly<Record<string, BinType>> = { '4': 'resident', '5': 'non_resident', '6': 'joint_entrepreneur' };
const ATTRIBUTES: Readonly<Record<string, BinAttribute>> = { '0': 'head', '1': 'branch', '2': 'representative', '3': 'peasant_farm' };

/** Checks a BIN: 12 digits, month 01-12, type 4-6, attribute 0-3, then the check digit. */
export function checkBinStructure(s: string): BinInfo {
  const none = { registered: null, type: null, attribute: null };
  if (typeof s !== 'string' || !/^[0-9]{12}$/.test(s)) return { valid: false, reason: 'format', ...none };
  const month = Number(s.slice(2, 4));
  if (month < 1 || month > 12) return { valid: false, reason: 'month', ...none };
  const registered = `${s.slice(0, 2)}-${s.slice(2, 4)}`;
  const type = TYPES[s[4]!] ?? null;
  if (type === null) return { valid: false, reason: 'type', registered, type: null, attribute: null };
  const attribute = ATTRIBUTES[s[5]!] ?? null;
  if (attribute === null) return { valid: false, reason: 'attribute', registered, type, attribute: null };
  const digit = iinCheckDigit(s.slice(0, 11));
  if (digit === null || digit !== Number(s[11])) return { valid: false, reason: 'checksum', registered, type, attribute };
  return { valid: true, reason: null, registered, type, attribute };
}

/** A BIN typed with spaces or dashes ("990 340 000 123") as its 12 digits; other characters are kept (and refused by the check). */
export function cleanBin(s: string): string {
  return s.replace(/[\s\u00a0-]/g, '');
}

/** Completes 11 digits with their check digit (tests, fixtures); null when no digit is valid. */
export function withBinCheckDigit(first11: string): string | null {
  const d = iinCheckDigit(first11);
  return d === null ? null : `${first11}${d}`;
}
