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
 * Runs on every call's arguments (a batch of a thousand imported cases included): one walk with
 * one path stack, the path joined only for a problem.
 */
export function cleanTexts(value: unknown, path: string[] = []): { value: unknown; problem: TextProblem | null } {
  const stack = [...path];
  let problem: TextProblem | null = null;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      // A byte-order mark at the very start is how some editors begin a file (a portal CSV): not text.
      const text = v.charCodeAt(0) === 0xfeff ? v.slice(1) : v;
      const char = deceptiveChar(text);
      if (char) problem = { field: stack.join('.') || '(root)', char };
      return text.normalize('NFC');
    }
    if (Array.isArray(v)) {
      const out: unknown[] = new Array<unknown>(v.length);
      for (let i = 0; i < v.length; i++) {
        stack.push(String(i));
        out[i] = walk(v[i]);
        stack.pop();
        if (problem) return out;
      }
      return out;
    }
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k in v) {
        if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
        stack.push(k);
        out[k] = walk((v as Record<string, unknown>)[k]);
        stack.pop();
        if (problem) return out;
      }
      return out;
    }
    return v;
  };
  const out = walk(value);
  return { value: out, problem };
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
