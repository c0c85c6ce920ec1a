/**
 * Columns a laptop stores in a compact form of its own but that travel in sync bundles in their
 * plain form. The wire stays what every build reads: a laptop that stores the column plain (a
 * build from before the compact form) takes the rows of a newer one, and the other way round.
 *
 * Today one column: `protocol_statements.statement`, stored packed (statement-codec.ts, issue 17)
 * and carried as the statement's JSON text. Export unpacks (`changeFieldsToWire`,
 * `valuesToWire`); import packs what it receives (`fieldsFromWire`, `valuesFromWire`). The text,
 * and so the protocol's sha256, is the same on both sides.
 */
import { isPackedStatement, packStatement, unpackStatement } from '../statement-codec';
import type { SqlValue } from '../store';

interface ColumnCodec {
  toWire(stored: string): string;
  fromWire(wire: string): string;
}

const CODECS: Readonly<Record<string, Readonly<Record<string, ColumnCodec>>>> = {
  protocol_statements: {
    statement: {
      // A damaged packed value is sent as it is: the receiver's protocol checks name it.
      toWire: (stored) => unpackStatement(stored) ?? stored,
      fromWire: (wire) => (isPackedStatement(wire) ? wire : packStatement(wire)),
    },
  },
};

const convert = (v: SqlValue, f: (s: string) => string): SqlValue => (typeof v === 'string' ? f(v) : v);

/** True when the table has a column with a wire form (the callers skip the rest untouched). */
export const hasWireForm = (table: string): boolean => CODECS[table] !== undefined;

/** A change-log row's `fields` JSON ({column: [old, new]}) as it travels. */
export function changeFieldsToWire(table: string, fieldsJson: string): string {
  const codecs = CODECS[table];
  if (!codecs) return fieldsJson;
  const fields = JSON.parse(fieldsJson) as Record<string, [SqlValue, SqlValue]>;
  let changed = false;
  for (const [column, codec] of Object.entries(codecs)) {
    const pair = fields[column];
    if (!pair) continue;
    fields[column] = [convert(pair[0], codec.toWire), convert(pair[1], codec.toWire)];
    changed = true;
  }
  return changed ? JSON.stringify(fields) : fieldsJson;
}

/** A received change's fields in their stored form (a new object; the input is left as it is). */
export function fieldsFromWire(table: string, fields: Record<string, [SqlValue, SqlValue]>): Record<string, [SqlValue, SqlValue]> {
  const codecs = CODECS[table];
  if (!codecs) return fields;
  let out = fields;
  for (const [column, codec] of Object.entries(codecs)) {
    const pair = fields[column];
    if (!pair) continue;
    if (out === fields) out = { ...fields };
    out[column] = [convert(pair[0], codec.fromWire), convert(pair[1], codec.fromWire)];
  }
  return out;
}

/** A current row's values (a state record) as they travel; the row itself is changed in place. */
export function valuesToWire(table: string, values: Record<string, SqlValue>): Record<string, SqlValue> {
  const codecs = CODECS[table];
  if (codecs) for (const [column, codec] of Object.entries(codecs)) if (column in values) values[column] = convert(values[column]!, codec.toWire);
  return values;
}

/** A received state record's values in their stored form (a new object). */
export function valuesFromWire(table: string, values: Record<string, SqlValue>): Record<string, SqlValue> {
  const codecs = CODECS[table];
  if (!codecs) return values;
  const out = { ...values };
  for (const [column, codec] of Object.entries(codecs)) if (column in out) out[column] = convert(out[column]!, codec.fromWire);
  return out;
}
