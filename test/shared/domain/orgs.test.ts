import { describe, expect, it } from 'vitest';
import { checkBinStructure, cleanBin, withBinCheckDigit } from '../../../shared/domain/bin';
import { iinCheckDigit } from '../../../shared/domain/iin';
import { checkImportRows, orgQueryTokens, orgSearchText, parseCsv, validateOrg, writeCsv } from '../../../shared/domain/orgs';

/** A valid BIN from its first 10 digits and a serial digit (the first that has a check digit). */
function bin(first10: string): string {
  for (let d = 0; d < 10; d++) {
    const b = withBinCheckDigit(`${first10}${d}`);
    if (b) return b;
  }
  throw new Error('no BIN');
}
const BIN = bin('9903400001'); // registered 1999-03, legal entity, head office

describe('BIN', () => {
  it('checks form, month, type, attribute and the check digit (the IIN one)', () => {
    expect(checkBinStructure(BIN)).toEqual({ valid: true, reason: null, registered: '99-03', type: 'resident', attribute: 'head' });
    expect(checkBinStructure(bin('0405410001'))).toMatchObject({ valid: true, type: 'resident', attribute: 'branch' });
    expect(checkBinStructure('99034000012').reason).toBe('format');
    expect(checkBinStructure('99 0340000012').reason).toBe('format');
    expect(checkBinStructure(bin('9913400001')).reason).toBe('month');
    expect(checkBinStructure(bin('9903300001')).reason).toBe('type');
    expect(checkBinStructure(bin('9903480001')).reason).toBe('attribute');
    const wrong = BIN.slice(0, 11) + String((Number(BIN[11]) + 1) % 10);
    expect(checkBinStructure(wrong).reason).toBe('checksum');
    expect(iinCheckDigit(BIN.slice(0, 11))).toBe(Number(BIN[11]));
  });
  it('a BIN typed with spaces or dashes is cleaned first', () => {
    expect(cleanBin(`${BIN.slice(0, 3)} ${BIN.slice(3, 6)}-${BIN.slice(6)}`)).toBe(BIN);
  });
});

describe('an organization', () => {
  const ok = { bin: BIN, nameKk: '«Ұлттық ғылыми кардиохирургия орталығы» АҚ', nameRu: 'АО «Национальный научный кардиохирургический центр»', region: 'astana', level: 'republican' };
  it('is cleaned and validated, every problem reported', () => {
    const r = validateOrg({ ...ok, region: ' ASTANA ', address: '  ', phone: '+7 7172 70 30 30' });
    expect(r).toMatchObject({ ok: true, value: { region: 'astana', address: null, phone: '+7 7172 70 30 30' } });
    const bad = validateOrg({ bin: '123', nameKk: '', nameRu: 'x'.repeat(501), region: 'mars', level: 'federal', email: 'no' });
    expect(bad.ok ? [] : bad.errors).toEqual([
      { field: 'bin', code: 'bin_format' },
      { field: 'nameKk', code: 'required' },
      { field: 'nameRu', code: 'too_long' },
      { field: 'region', code: 'unknown_region' },
      { field: 'level', code: 'unknown_level' },
      { field: 'email', code: 'bad_email' },
    ]);
  });
  it('is found with the catalogue\'s letter folding (қ=к, ұ=у, ё=е, Latin look-alikes)', () => {
    const text = orgSearchText(ok);
    for (const q of ['кардиохирургия', 'ҰЛТТЫҚ', 'улттык', 'нaциональный' /* Latin a */, BIN.slice(0, 6)]) {
      expect(orgQueryTokens(q).every((t) => text.includes(t)), q).toBe(true);
    }
  });
});

describe('import rows', () => {
  const header = ['bin', 'name_kk', 'name_ru', 'region', 'level', 'address', 'phone'];
  const row = (b: string, region = 'karaganda') => [b, 'Облыстық аурухана', 'Областная больница', region, 'regional', 'Қарағанды', '+7 7212 00 00 00'];
  it('reads rows in any column order and skips blank lines', () => {
    const r = checkImportRows([['name_ru', 'bin', 'name_kk', 'level', 'region'], ['Б', BIN, 'Б', 'city', 'astana'], ['', '', '', '', '']]);
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([{ row: 2, org: expect.objectContaining({ bin: BIN, level: 'city', region: 'astana' }) }]);
  });
  it('reports every wrong row with its spreadsheet row number, column and code', () => {
    const b2 = bin('0511400002');
    const r = checkImportRows([header, row(BIN), row('123'), row(b2, 'moon'), row(BIN)]);
    expect(r.errors).toEqual([
      { row: 3, column: 'bin', code: 'bin_format', value: '123' },
      { row: 4, column: 'region', code: 'unknown_region', value: 'moon' },
      { row: 5, column: 'bin', code: 'duplicate_bin', value: `${BIN} (2)` },
    ]);
  });
  it('refuses unknown, duplicate and missing columns, and an empty file', () => {
    expect(checkImportRows([['bin', 'nam_kk', 'name_ru', 'region', 'level', 'bin']]).errors.map((e) => e.code)).toEqual(['unknown_column', 'duplicate_column', 'missing_column']);
    expect(checkImportRows([]).errors[0]!.code).toBe('no_header');
    expect(checkImportRows([header]).errors[0]!.code).toBe('no_rows');
  });
});

describe('CSV', () => {
  it('reads quotes, doubled quotes, line breaks in quotes, CRLF and a BOM; finds the separator', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, ""y""","line\nbreak"\r\n')).toEqual([['a', 'b'], ['x, "y"', 'line\nbreak']]);
    expect(parseCsv('bin;name_kk\n990340000012;«Ана» ЖШС')).toEqual([['bin', 'name_kk'], ['990340000012', '«Ана» ЖШС']]);
    expect(() => parseCsv('a,"b\n')).toThrow(/unclosed/);
  });
  it('writes what it reads back', () => {
    const rows = [['bin', 'name_ru'], [BIN, 'ТОО "Мед; центр"'], ['x', ' пробел ']];
    expect(parseCsv(writeCsv(rows))).toEqual(rows);
  });
});
