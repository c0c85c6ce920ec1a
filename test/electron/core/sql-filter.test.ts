import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqlFilter } from '../../../electron/core/sql-filter';

describe('SqlFilter', () => {
  it('adds a condition only for a given value, parameters in the order of the conditions', () => {
    const f = new SqlFilter(["state = 'issued'"]).equals('year', 2026).equals('org', undefined).equals('code', '').equals('x', null).atLeast('d', '2026-01-01').atMost('d', undefined);
    expect(f.conditions).toEqual(["state = 'issued'", 'year = ?', 'd >= ?']);
    expect(f.params).toEqual([2026, '2026-01-01']);
    expect(f.where).toBe("WHERE state = 'issued' AND year = ? AND d >= ?");
    expect(new SqlFilter().equals('year', 0).params).toEqual([0]);
    expect(new SqlFilter().where).toBe('');
  });

  it('a copy is added to without changing the original', () => {
    const f = new SqlFilter().add('a BETWEEN ? AND ?', 1, 2);
    const page = f.copy().add('b > ?', 3);
    expect(f.where).toBe('WHERE a BETWEEN ? AND ?');
    expect(f.params).toEqual([1, 2]);
    expect(page.where).toBe('WHERE a BETWEEN ? AND ? AND b > ?');
    expect(page.params).toEqual([1, 2, 3]);
  });

  it('binds the values: a hostile value is data, never SQL', () => {
    const db = new Database(':memory:');
    db.exec("CREATE TABLE t (name TEXT); INSERT INTO t VALUES ('a'), ('b')");
    const f = new SqlFilter().equals('name', "a' OR '1'='1");
    expect(db.prepare(`SELECT count(*) AS n FROM t ${f.where}`).get(...f.params)).toEqual({ n: 0 });
    const g = new SqlFilter().equals('name', 'b');
    expect(db.prepare(`SELECT name FROM t ${g.where}`).all(...g.params)).toEqual([{ name: 'b' }]);
    db.close();
  });
});
