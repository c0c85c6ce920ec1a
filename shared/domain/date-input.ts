/**
 * Dates as the secretary types them: 'DD.MM.YYYY' (how dates are written in Kazakhstan, in both
 * languages), with dots, slashes, dashes or spaces between the parts, or eight digits in a row;
 * an ISO date ('YYYY-MM-DD', e.g. pasted from a file) is taken as it is. The code works on ISO.
 */

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** True for a real calendar day 'YYYY-MM-DD' (no 31 April, 29 February only in leap years). */
export function isRealIsoDate(iso: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1000 || mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days;
}

/**
 * The ISO date a typed text means, '' for an empty text, or null when it is not (yet) a date:
 * '20.03.2026', '20/03/2026', '20-03-2026', '20 03 2026', '20032026', '2026-03-20', '2.3.2026'.
 */
export function parseDateInput(text: string): string | null {
  const s = text.trim();
  if (s === '') return '';
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m) {
    const iso = `${m[1]}-${pad(Number(m[2]))}-${pad(Number(m[3]))}`;
    return isRealIsoDate(iso) ? iso : null;
  }
  m = /^(\d{1,2})[.\/\-\s](\d{1,2})[.\/\-\s](\d{4})$/.exec(s) ?? /^(\d{2})(\d{2})(\d{4})$/.exec(s);
  if (!m) return null;
  const iso = `${m[3]}-${pad(Number(m[2]))}-${pad(Number(m[1]))}`;
  return isRealIsoDate(iso) ? iso : null;
}

/** 'YYYY-MM-DD' -> 'DD.MM.YYYY'; anything else as it is. */
export function formatDateInput(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

/**
 * What the field shows while digits are typed: dots put in after the day and the month
 * ('2003' -> '20.03', '20032026' -> '20.03.2026'); text with separators or ISO is left alone.
 */
export function maskDateTyping(text: string): string {
  // Dots the mask put in (after the day and the month) do not stop it: '20.032' -> '20.03.2'.
  if (/^[\d.]+$/.test(text) && [...text].every((c, i) => c !== '.' || i === 2 || i === 5)) text = text.replace(/\./g, '');
  if (!/^\d+$/.test(text) || text.length > 8) return text;
  if (text.length <= 2) return text;
  if (text.length <= 4) return `${text.slice(0, 2)}.${text.slice(2)}`;
  return `${text.slice(0, 2)}.${text.slice(2, 4)}.${text.slice(4)}`;
}

/**
 * The time a typed text means ('HH:MM', 24-hour, as written in Kazakhstan), '' for an empty
 * text, or null when it is not (yet) a time: '9:05', '09:05', '0905', '9.05', '21 30'.
 */
export function parseTimeInput(text: string): string | null {
  const s = text.trim();
  if (s === '') return '';
  const m = /^(\d{1,2})[:.\s](\d{2})$/.exec(s) ?? /^(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2])];
  return h <= 23 && min <= 59 ? `${pad(h)}:${pad(min)}` : null;
}
