/** The contract builds an area's schemas at the first use of one of its methods (issue 17, start-up). */
import { describe, expect, it } from 'vitest';
import { appSchemas, argSchemas, authSchemas, isMethodName } from '../../shared/contract';
import { casesSchemas } from '../../shared/contract/cases';
import { orgsSchemas } from '../../shared/contract/orgs';
import { protocolsSchemas } from '../../shared/contract/protocols';
import { scoringSchemas } from '../../shared/contract/scoring';
import { abroadSchemas } from '../../shared/contract/abroad';
import { aftercareSchemas } from '../../shared/contract/aftercare';
import { catalogueSchemas } from '../../shared/contract/catalogue';
import { exchangeSchemas } from '../../shared/contract/exchange';
import { areaOf, lazySchemas } from '../../shared/contract/lazy';
import { prefsSchemas } from '../../shared/contract/prefs';
import { reportsSchemas } from '../../shared/contract/reports';
import { setupSchemas } from '../../shared/contract/setup';
import { z } from 'zod';

const AREAS = { appSchemas, authSchemas, casesSchemas, orgsSchemas, protocolsSchemas, scoringSchemas, abroadSchemas, aftercareSchemas, catalogueSchemas, exchangeSchemas, prefsSchemas, reportsSchemas, setupSchemas };
const built = () => Object.entries(AREAS).filter(([, s]) => areaOf(s).built()).map(([n]) => n).sort();

describe('lazy contract', () => {
  // In order: the first tests see a contract nobody has used yet (vitest runs a file's tests in order).
  it('importing the contract builds no schema', () => {
    expect(built()).toEqual([]);
  });

  it('a name that is no method builds nothing; a method builds its own area only', () => {
    expect(isMethodName('nothing.here')).toBe(false);
    expect(isMethodName('constructor')).toBe(false);
    expect(isMethodName('__proto__')).toBe(false);
    expect(built()).toEqual([]);
    expect(isMethodName('auth.status')).toBe(true);
    expect(built()).toEqual(['authSchemas']);
    expect(argSchemas['protocols.list'].safeParse({ from: '2026-01-01' }).success).toBe(true);
    expect(argSchemas['protocols.list'].safeParse({ from: 'yesterday' }).success).toBe(false);
    expect(built()).toEqual(['authSchemas', 'protocolsSchemas']);
    // A prefix two areas share (db.* in app and auth, shell.* in exchange and protocols).
    expect(isMethodName('db.rekey')).toBe(true);
    expect(isMethodName('shell.printPdf')).toBe(true);
    expect(isMethodName('db.nothing')).toBe(false);
  });

  it('lists every method of every area, each found by name, with the same schema object', () => {
    const names = Object.keys(argSchemas);
    expect(new Set(names).size).toBe(names.length);
    let count = 0;
    for (const [, schemas] of Object.entries(AREAS)) {
      for (const [name, schema] of Object.entries(schemas as Record<string, unknown>)) {
        count++;
        expect(isMethodName(name), name).toBe(true);
        expect(name in argSchemas, name).toBe(true);
        expect(argSchemas[name as keyof typeof argSchemas], name).toBe(schema);
      }
    }
    expect(names.length).toBe(count);
    expect(built()).toEqual(Object.keys(AREAS).sort());
    // Spreading and the `in` operator work as on the plain map.
    expect({ ...casesSchemas }['cases.list']).toBe(casesSchemas['cases.list']);
    expect('cases.list' in casesSchemas).toBe(true);
    expect('nothing.here' in argSchemas).toBe(false);
  });

  it('refuses a method whose prefix its area does not declare, when the area is built', () => {
    const schemas = lazySchemas(['good'], () => ({ 'good.one': z.object({}), 'bad.two': z.object({}) }));
    expect(() => schemas['good.one']).toThrow(/bad\.two/);
  });

  it('is read-only', () => {
    expect(Reflect.set(argSchemas, 'x.y', z.object({}))).toBe(false);
    expect(Reflect.deleteProperty(casesSchemas, 'cases.list')).toBe(false);
    expect(isMethodName('x.y')).toBe(false);
  });
});
