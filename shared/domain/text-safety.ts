/**
 * Text that cannot deceive (issue 12, point 10). Characters that change how text LOOKS without
 * being visible — control characters, NUL, the bidirectional embeddings, overrides and isolates
 * (a name with U+202E prints backwards: "…fdp.exe" shows as "…exe.pdf"), the left/right marks, a
 * stray byte-order mark, interlinear annotations — have no place in a patient's name, a
 * commission's name or any other text a secretary types. Tab and line breaks are allowed (notes
 * have lines); everything else listed here is refused with `input.control_chars`.
 *
 * Text is also stored in Unicode NFC, so "й" typed as и + U+0306 (a combining breve, as some
 * keyboards and PDF copy-paste produce) is the same text, and finds the same records, as "й".
 */

/** Characters refused in any text the user enters. */
export const DECEPTIVE_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF\uFFF9-\uFFFB]/u;
const DECEPTIVE_GLOBAL = new RegExp(DECEPTIVE_CHARS.source, 'gu');

/** The first deceptive character of `text` as U+XXXX, or null. */
export function deceptiveChar(text: string): string | null {
  const m = DECEPTIVE_CHARS.exec(text);
  return m ? `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : null;
}

export interface TextProblem {
  /** Path of the field in the argument, e.g. `patient.lastName` or `members.0.name`. */
  field: string;
  char: string;
}

/**
 * Normalises every string of a JSON value to NFC and reports the first string holding a
 * deceptive character (null when all are clean). Returns a new value; the input is not changed.
 */
export function cleanTexts(value: unknown, path: string[] = []): { value: unknown; problem: TextProblem | null } {
  if (typeof value === 'string') {
    // A byte-order mark at the very start is how some editors begin a file (a portal CSV): not text.
    const text = value.replace(/^\uFEFF/, '');
    const char = deceptiveChar(text);
    return { value: text.normalize('NFC'), problem: char ? { field: path.join('.') || '(root)', char } : null };
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const r = cleanTexts(value[i], [...path, String(i)]);
      if (r.problem) return r;
      out.push(r.value);
    }
    return { value: out, problem: null };
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = cleanTexts(v, [...path, k]);
      if (r.problem) return r;
      out[k] = r.value;
    }
    return { value: out, problem: null };
  }
  return { value, problem: null };
}

/**
 * Text made safe to print on a terminal: every deceptive character (escape sequences included)
 * becomes a visible `\u{…}`; tabs and line breaks stay.
 */
export function neutralize(text: string): string {
  return text.replace(DECEPTIVE_GLOBAL, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`);
}

/** JSON text whose strings carry no raw bidi or C1 characters (escaped as \uXXXX, still valid JSON). */
export function neutralizeJson(json: string): string {
  return json.replace(DECEPTIVE_GLOBAL, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}
