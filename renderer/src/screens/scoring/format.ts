import { kzToday } from '../../../../shared/domain/kz-time';
import { formatHundredths } from '../../../../shared/domain/scoring';

/** Hundredths as a decimal with a comma, as Kazakh and Russian write it (700 -> "7,00"). */
export const points = (hundredths: number): string => formatHundredths(hundredths).replace('.', ',');

/** A decimal number for display with a comma (75.01 -> "75,01"). */
export const decimal = (n: number): string => String(n).replace('.', ',');

/** Tiyn as tenge with two decimals and grouped thousands (125000050 -> "1 250 000,50"). */
export function tenge(tiyn: number): string {
  const whole = Math.floor(tiyn / 100);
  const frac = String(tiyn % 100).padStart(2, '0');
  return `${String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0')},${frac}`;
}

const SPACES = /[\s\u00a0\u202f]/g;

/** Tenge typed by the user ("1 250 000,5") to tiyn, exactly; null when not a valid amount. */
export function parseTenge(raw: string): number | null {
  const m = /^(\d{1,13})(?:[.,](\d{1,2}))?$/.exec(raw.replace(SPACES, ''));
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** A whole non-negative count ("12 500"); null when not one. */
export function parseCount(raw: string): number | null {
  const s = raw.replace(SPACES, '');
  return /^\d{1,15}$/.test(s) ? Number(s) : null;
}

/** Years of use typed by the user ("12", "4,5"); null when not a non-negative number. */
export function parseYears(raw: string): number | null {
  const s = raw.trim().replace(',', '.');
  return /^\d{1,4}(\.\d{1,2})?$/.test(s) ? Number(s) : null;
}

/** Today in Kazakhstan, YYYY-MM-DD (a sheet is dated like every other document, whatever the laptop's zone). */
export function today(): string {
  return kzToday();
}

/** 'YYYY-MM-DD' -> 'DD.MM.YYYY', as dates are written in both languages. */
export function showDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}
