/**
 * The WHERE clause of a list query, built from optional filters: the conditions (joined with
 * AND) and the values of their `?` placeholders, kept in the same order. Values are always bound,
 * never written into the SQL; only the conditions (fixed SQL of the caller) are text.
 *
 *   const f = new SqlFilter().equals('a.year', args.year).equals('a.org_id', args.orgId);
 *   db.prepare(`SELECT … FROM org_applications a ${f.where} ORDER BY …`).all(...f.params);
 */
import type { SqlValue } from './store';

/** A filter value not given: undefined, null and the empty string add no condition. */
const absent = (v: SqlValue | undefined): v is undefined | null | '' => v === undefined || v === null || v === '';

export class SqlFilter {
  readonly conditions: string[];
  readonly params: SqlValue[];

  constructor(conditions: readonly string[] = [], params: readonly SqlValue[] = []) {
    this.conditions = [...conditions];
    this.params = [...params];
  }

  /** A condition with the values of its placeholders (as many as it has `?`). */
  add(condition: string, ...params: SqlValue[]): this {
    this.conditions.push(condition);
    this.params.push(...params);
    return this;
  }

  /** `column = ?` when the value is given. */
  equals(column: string, value: SqlValue | undefined): this {
    return absent(value) ? this : this.add(`${column} = ?`, value);
  }

  /** `column >= ?` when the value is given. */
  atLeast(column: string, value: SqlValue | undefined): this {
    return absent(value) ? this : this.add(`${column} >= ?`, value);
  }

  /** `column <= ?` when the value is given. */
  atMost(column: string, value: SqlValue | undefined): this {
    return absent(value) ? this : this.add(`${column} <= ?`, value);
  }

  /** A copy to add to (the page of a query whose count reads the filter alone). */
  copy(): SqlFilter {
    return new SqlFilter(this.conditions, this.params);
  }

  /** `WHERE a AND b`, or '' without conditions. */
  get where(): string {
    return this.conditions.length > 0 ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}
