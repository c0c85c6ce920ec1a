import fs from 'node:fs';
import { AppFailure } from '../../shared/result';
import { readFileCapped } from './command';

/**
 * The input of `htmp case import`: one case (a JSON object, pretty-printed or not), a JSON array
 * of cases, or NDJSON (one case per line). Several cases are read from a regular file, twice: once
 * to check every case before anything is stored, once to store them (a pipe gives one case).
 *
 * Limits, so a wrong or hostile file cannot exhaust memory: a JSON document (one case or an
 * array) is read whole and may be up to MAX_JSON_BYTES; NDJSON is read line by line, each line up
 * to MAX_LINE_BYTES, at most MAX_CASES lines with a case.
 */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;
export const MAX_LINE_BYTES = 4 * 1024 * 1024;
export const MAX_CASES = 1_000_000;

export type InputKind = 'one' | 'array' | 'ndjson';

/** One case of the input: its value (not yet checked) and where it is (line or array item, 1-based). */
export interface InputCase {
  value: unknown;
  line?: number;
  item?: number;
}

const CHUNK = 1024 * 1024;

/** Reads the file's lines (split on \n, so a UTF-8 character is never cut), each with its number. */
function* lines(file: string): Generator<{ line: number; text: string }> {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let rest: Buffer[] = [];
    let restBytes = 0;
    let line = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      let start = 0;
      for (let i = buf.indexOf(0x0a, 0); i !== -1 && i < n; i = buf.indexOf(0x0a, i + 1)) {
        line++;
        const piece = buf.subarray(start, i);
        if (restBytes + piece.length > MAX_LINE_BYTES) throw lineTooLarge(file, line);
        yield { line, text: Buffer.concat([...rest, piece]).toString('utf8') };
        rest = [];
        restBytes = 0;
        start = i + 1;
      }
      if (start < n) {
        const piece = Buffer.from(buf.subarray(start, n));
        restBytes += piece.length;
        if (restBytes > MAX_LINE_BYTES) throw lineTooLarge(file, line + 1);
        rest.push(piece);
      }
    }
    if (restBytes > 0) yield { line: line + 1, text: Buffer.concat(rest).toString('utf8') };
  } finally {
    fs.closeSync(fd);
  }
}

const lineTooLarge = (file: string, line: number) => new AppFailure('input.line_too_large', { file, line, maxMb: MAX_LINE_BYTES / 1024 / 1024 });

function parse(text: string, file: string, at: { line?: number; item?: number }): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch {
    if (at.line === undefined) throw new AppFailure('cli.file_not_json', { file });
    throw new AppFailure('input.bad_json_line', { file, line: at.line });
  }
}

/**
 * What the file holds: NDJSON when its first line is a whole JSON object followed by more; else
 * one JSON document (an object: one case; an array: several), read whole up to MAX_JSON_BYTES.
 */
export function inputKind(file: string): InputKind {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new AppFailure('cli.file_unreadable', { file });
  }
  // Many cases are read twice (checked, then stored): from a pipe or a device, one case only, read
  // once and capped like any JSON file.
  if (!st.isFile()) return 'one';
  const size = st.size;
  let first: { line: number; text: string } | undefined;
  let second: { line: number; text: string } | undefined;
  let firstIsObject = false;
  try {
    const it = lines(file);
    for (let r = it.next(); !r.done; r = it.next()) {
      if (r.value.text.trim() === '') continue;
      if (!first) {
        first = r.value;
        try {
          const v = JSON.parse(first.text.replace(/^\uFEFF/, '')) as unknown;
          firstIsObject = typeof v === 'object' && v !== null && !Array.isArray(v);
        } catch {
          firstIsObject = false;
        }
        if (!firstIsObject) break;
      } else {
        second = r.value;
        break;
      }
    }
    it.return(undefined);
  } catch (err) {
    if (!(err instanceof AppFailure) || err.code !== 'input.line_too_large') throw err;
    // A first line over the line limit: a (huge) single JSON document; a later one: NDJSON,
    // whose reading reports that line.
    if (firstIsObject) return 'ndjson';
  }
  if (firstIsObject && second) return 'ndjson';
  if (size > MAX_JSON_BYTES) throw new AppFailure('input.too_large', { file, limitMb: MAX_JSON_BYTES / 1024 / 1024 });
  return first && /^\uFEFF?\s*\[/.test(first.text) ? 'array' : 'one';
}

/** The cases of the file, in order, with their line (NDJSON) or item (array) number. */
export function* readCases(file: string, kind: InputKind): Generator<InputCase> {
  if (kind === 'ndjson') {
    let count = 0;
    for (const { line, text } of lines(file)) {
      if (text.trim() === '') continue;
      if (++count > MAX_CASES) throw new AppFailure('input.too_many_cases', { file, max: MAX_CASES });
      yield { value: parse(text, file, { line }), line };
    }
    return;
  }
  const text = readFileCapped(file, MAX_JSON_BYTES).toString('utf8');
  const value = parse(text, file, {});
  if (kind === 'one' || !Array.isArray(value)) {
    yield { value };
    return;
  }
  if (value.length > MAX_CASES) throw new AppFailure('input.too_many_cases', { file, max: MAX_CASES });
  for (let i = 0; i < value.length; i++) yield { value: value[i], item: i + 1 };
}
