/**
 * Kazakhstan's clock. The whole country has one zone, UTC+5, since 1 March 2024, so "today" and
 * "now" for deadlines, registers and printed documents are computed here, whatever zone the
 * laptop is set to.
 */
const KZ_OFFSET_MS = 5 * 3_600_000;

/** A moment as Kazakhstan local time without zone: 'YYYY-MM-DDTHH:mm:ss'. */
export function kzLocal(at: Date | number = Date.now()): string {
  const ms = typeof at === 'number' ? at : at.getTime();
  return new Date(ms + KZ_OFFSET_MS).toISOString().slice(0, 19);
}

/** Now in Kazakhstan with its zone: '2026-03-14T10:22:05+05:00'. */
export function kzNow(now: Date = new Date()): string {
  return `${kzLocal(now)}+05:00`;
}

/** Today's date in Kazakhstan: 'YYYY-MM-DD'. */
export function kzToday(now: Date = new Date()): string {
  return kzLocal(now).slice(0, 10);
}
