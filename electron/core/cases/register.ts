/** The register: the cases list with its filters, keyset paging and totals. */
import type { CaseList, CaseListItem, CaseStatus } from '../../../shared/contract/cases';
import { CASE_STATUSES, MAX_PAGE } from '../../../shared/contract/cases';
import { foldText } from '../../../shared/domain/text-fold';
import { kzToday } from './calendar';
import { decodeCursor, encodeCursor } from '../cursor';
import type { CoreContext } from '../context';
import { SqlFilter } from '../sql-filter';
import { protocolLabel, UNDECIDED, foldSearch, prepared } from './rows';
import type { CaseRow } from './rows';
import { isOverdue } from './detail';

export interface ListArgs {
  status?: CaseStatus | CaseStatus[] | undefined;
  dueToday?: boolean | undefined;
  overdue?: boolean | undefined;
  code?: string | undefined;
  receivedFrom?: string | undefined;
  receivedTo?: string | undefined;
  query?: string | undefined;
  today?: string | undefined;
  sort?: 'due' | 'received_desc' | undefined;
  issuedOn?: string | undefined;
  after?: string | undefined;
  limit?: number | undefined;
  withTotal?: boolean | undefined;
}

type ListRow = CaseRow & { p_iin: string; p_last: string; p_first: string; p_middle: string | null };

function listItem(r: ListRow, today: string): CaseListItem {
  return {
    id: r.id,
    status: r.status,
    patient: { iin: r.p_iin, lastName: r.p_last, firstName: r.p_first, middleName: r.p_middle },
    htmpCode: r.htmp_code,
    urgency: r.urgency,
    receivedAt: r.received_at,
    due: r.due_date,
    calendarConfirmed: r.calendar_confirmed === 1,
    overdue: isOverdue(r.status, r.due_date, today),
    complete: r.complete === 1,
    errorCount: r.error_count,
    warningCount: r.warning_count,
    outcome: r.outcome,
    reason: r.reason,
    protocol: r.protocol_year !== null && r.protocol_number !== null ? protocolLabel(r.protocol_year, r.protocol_number) : null,
    portalStatus: r.portal_status,
    updatedAt: r.updated_at,
  };
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/**
 * The text query folded as `case_search.text` is (migration 0013-register): lower case, ё = е, spaces
 * collapsed (foldSearch), then Kazakh letters and Latin look-alikes to Russian ones (foldText).
 */
export function foldQuery(s: string): string {
  return foldText(foldSearch(s));
}

/**
 * The register's sort key: undated cases last, then due date (migration 0007 indexes it). The
 * filters "due today" and "overdue" are ranges of the same key, so they walk the same indexes.
 */
const DUE_KEY = "coalesce(c.due_date, '~')";

/** Up to this many cases in a date range, a page is sorted from the date index (see listCases). */

const DATE_INDEX_BELOW = 20_000;

/**
 * A text of one or two letters (no trigram to look it up by) is counted up to this many cases:
 * past it the register says "more than 1,000" (`totalAtLeast`), and the count stops there
 * instead of reading every case's names (most names contain "ов"), alone or among the cases of
 * other filters (each walked case's names are looked up: undecided + code + "ов" at 100,000
 * cases took 55 ms of CPU a call counted exactly, 9 ms capped). Nobody pages through a thousand
 * cases: the count tells the secretary to type a third letter.
 */
export const TEXT_COUNT_CAP = 1_000;

/**
 * A walk (many matches) checks each walked case against the set of the trigram index's matches
 * up to this many matches; past it (a text in most names), its names are read instead, since a
 * page is then found after a few walked cases and a set of every match would cost more.
 */
const TEXT_SET_UP_TO = 20_000;
const CURSOR_VERSION = 1;

type Cursor = { sort: 'due'; key: string; receivedAt: string; id: string } | { sort: 'received_desc'; receivedAt: string; id: string };

function encodeRegisterCursor(c: Cursor): string {
  return encodeCursor(c.sort === 'due' ? [CURSOR_VERSION, c.sort, c.key, c.receivedAt, c.id] : [CURSOR_VERSION, c.sort, c.receivedAt, c.id]);
}

function decodeRegisterCursor(text: string, sort: 'due' | 'received_desc'): Cursor {
  const parts = decodeCursor(text, (p) => p[0] === CURSOR_VERSION && p[1] === sort && p.length === (sort === 'due' ? 5 : 4) && p.slice(2).every((x) => typeof x === 'string')) as [number, string, ...string[]];
  return sort === 'due' ? { sort, key: parts[2]!, receivedAt: parts[3]!, id: parts[4]! } : { sort, receivedAt: parts[2]!, id: parts[3]! };
}

/** The smallest string above every string that starts with `prefix` (for a prefix range). */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** The number of cases of these statuses (every case: null), from the counts kept by triggers. */
export function statusTotal(ctx: CoreContext, statuses: readonly string[] | null): number {
  if (statuses !== null && statuses.length === 0) return 0;
  const sql = statuses === null ? 'SELECT coalesce(sum(n), 0) AS n FROM case_status_counts' : `SELECT coalesce(sum(n), 0) AS n FROM case_status_counts WHERE status IN (${statuses.map(() => '?').join(', ')})`;
  return (prepared(ctx, sql).get(...(statuses ?? [])) as { n: number }).n;
}

/**
 * The number of cases of one HTMP code (or of a range of codes: a prefix), of these statuses
 * (every status: null), from the counts kept by triggers (0022-register): a few rows, where a
 * `count(*)` read every entry of the code in `cases_code_key` (20,000 for the most frequent code
 * at 100,000 cases).
 */
export function codeTotal(ctx: CoreContext, codes: { eq: string } | { from: string; to: string }, statuses: readonly string[] | null): number {
  if (statuses !== null && statuses.length === 0) return 0;
  const byCode = 'eq' in codes ? 'htmp_code = ?' : 'htmp_code >= ? AND htmp_code < ?';
  const byStatus = statuses === null ? '' : ` AND status IN (${statuses.map(() => '?').join(', ')})`;
  const params = 'eq' in codes ? [codes.eq] : [codes.from, codes.to];
  return (prepared(ctx, `SELECT coalesce(sum(n), 0) AS n FROM case_code_counts WHERE ${byCode}${byStatus}`).get(...params, ...(statuses ?? [])) as { n: number }).n;
}

/**
 * The undecided cases not overdue (due today unless `withToday`, later, or undated): overdue
 * alone is every undecided case (the kept counts) less these, which `cases_open_key` holds after
 * the overdue ones. A few hundred entries, where counting the overdue ones read each of them
 * (11,619 at 100,000 cases, from pages a first call after sign-in decrypts).
 */
function notOverdue(ctx: CoreContext, today: string, withToday: boolean): number {
  const sql = `SELECT count(*) AS n FROM cases c INDEXED BY cases_open_key WHERE c.status IN ('draft', 'registered') AND ${DUE_KEY} ${withToday ? '>' : '>='} ?`;
  return (prepared(ctx, sql).get(today) as { n: number }).n;
}

/** The codes of a range that have cases (0022-register), in order. */
function codesIn(ctx: CoreContext, from: string, to: string): string[] {
  return prepared(ctx, 'SELECT DISTINCT htmp_code FROM case_code_counts WHERE htmp_code >= ? AND htmp_code < ? ORDER BY htmp_code').pluck().all(from, to) as string[];
}

/**
 * A code prefix in the register's order is merged from one walk per code of the prefix, each
 * reading at most a page of `cases_code_key`, up to this many codes (past it, the entries of the
 * range are sorted, as before).
 */
const MERGE_CODES_UP_TO = 64;

/**
 * The register's query: filters in SQL on indexed columns, one page in the register's order,
 * continued with a cursor (key paging: the next page starts after the last row's sort key, so
 * a deep page costs what the first does). Text is looked up in the trigram index of names and
 * IINs (`case_search_fts`), never by scanning the cases.
 */
export function listCases(ctx: CoreContext, a: ListArgs, tuning: { textWalkAbove?: number; dateIndexBelow?: number; textCountCap?: number; textSetUpTo?: number } = {}): CaseList {
  const cap = tuning.textCountCap ?? TEXT_COUNT_CAP;
  const setUpTo = tuning.textSetUpTo ?? TEXT_SET_UP_TO;
  const today = a.today ?? kzToday();
  const sort = a.sort ?? 'due';
  const filter = new SqlFilter();
  const statuses = [...new Set(a.status === undefined ? [] : Array.isArray(a.status) ? a.status : [a.status])].filter((x) => (CASE_STATUSES as readonly string[]).includes(x)).sort();
  // Exactly the undecided cases, or some of them by due date: the partial indexes hold them.
  const undecidedOnly = a.dueToday === true || a.overdue === true || (statuses.length === UNDECIDED.length && UNDECIDED.every((x) => statuses.includes(x)));
  if (a.status !== undefined) {
    // Written as literals (the values are the fixed status names): SQLite then knows each
    // status's share from its statistics.
    filter.add(statuses.length > 0 ? `c.status IN (${statuses.map((x) => `'${x}'`).join(', ')})` : '0');
  }
  if (a.dueToday || a.overdue) {
    filter.add("c.status IN ('draft', 'registered')");
    filter.add(`${DUE_KEY} ${a.dueToday && a.overdue ? '<=' : a.overdue ? '<' : '='} ?`, today);
  }
  const code = a.code?.trim() ?? '';
  let codeRange: { from: string; to: string } | null = null;
  if (code !== '') {
    if (!code.endsWith('*')) {
      // With a date range the date index answers both (it holds the code): a frequent code
      // walked in its own index would read every case of it to find the dates.
      filter.add(a.receivedFrom || a.receivedTo ? '+c.htmp_code = ?' : 'c.htmp_code = ?', code);
    } else if (/^[0-9.]+\*$/.test(code)) {
      // A prefix of digits and dots (what codes are made of): an index range. LIKE gives the
      // same rows (its case folding touches only Latin letters) but cannot use an index.
      const prefix = code.slice(0, -1);
      codeRange = { from: prefix, to: prefixEnd(prefix) };
      filter.add('c.htmp_code >= ? AND c.htmp_code < ?', prefix, prefixEnd(prefix));
    } else if (code !== '*') {
      filter.add("c.htmp_code LIKE ? ESCAPE '\\'", `${likeEscape(code.slice(0, -1))}%`);
    }
  }
  filter.atLeast('c.received_date', a.receivedFrom).atMost('c.received_date', a.receivedTo).equals('c.issued_on', a.issuedOn);

  // The text: the cases whose folded names and IIN contain the query, an exact substring. Three
  // letters or more are looked up in the trigram index (a phrase of the query's trigrams); one or
  // two letters have no trigram, so the narrow table of folded names is scanned, and only until
  // TEXT_COUNT_CAP + 1 matches: past that the total is given as "more than TEXT_COUNT_CAP"
  // (`totalAtLeast`), never a guess.
  const q = foldQuery(a.query ?? '');
  let text: { matches: number; capped: boolean; few: string; many: string; param: string; manyParam: string } | null = null;
  if (q !== '') {
    const trigram = [...q].length >= 3;
    const param = trigram ? `"${q.replace(/"/g, '""')}"` : q;
    const ids = trigram ? 'SELECT rowid FROM case_search_fts WHERE case_search_fts MATCH ?' : 'SELECT id FROM case_search WHERE instr(text, ?) > 0';
    const matches = trigram
      ? (prepared(ctx, `SELECT count(*) AS n FROM (${ids})`).get(param) as { n: number }).n
      : (prepared(ctx, `SELECT count(*) AS n FROM (${ids} LIMIT ?)`).get(param, cap + 1) as { n: number }).n;
    text = {
      matches: trigram ? matches : Math.min(matches, cap),
      capped: !trigram && matches > cap,
      // Few matches: read them, then their cases (a name-index entry is keyed by its case's
      // rowid, 0027-register), and sort those.
      few: `c.rowid IN (${ids})`,
      // Many: walk the register's order (or another filter's index) and check each case's own
      // folded names for the substring (what the trigram phrase matches), never every match first.
      // With a trigram and up to TEXT_SET_UP_TO matches, the walked case's rowid (the last column
      // of every index entry: no page read) is checked against the set of matches, read once from
      // the trigram index ("ержан" at 100,000 cases: 2,000 cases walked, 13.5 ms cold when each
      // one's entry was looked up by case id); the unary + keeps SQLite from looking up every
      // match and sorting them instead. Past it, the walked case's names are read by its rowid.
      many: trigram && matches <= setUpTo ? `+c.rowid IN (${ids})` : 'instr((SELECT s.text FROM case_search s WHERE s.id = c.rowid), ?) > 0',
      param,
      manyParam: trigram && matches <= setUpTo ? param : q,
    };
  }
  // A capped count (one or two letters, over TEXT_COUNT_CAP) is many by definition: walked.
  const walk = text === null || text.capped || text.matches > (tuning.textWalkAbove ?? 2000);

  const page = filter.copy();
  if (text) page.add(walk ? text.many : text.few, walk ? text.manyParam : text.param);
  if (a.after !== undefined) {
    const cur = decodeRegisterCursor(a.after, sort);
    if (cur.sort === 'due') {
      page.add(`${DUE_KEY} >= ? AND (${DUE_KEY} > ? OR (c.received_at, c.id) > (?, ?))`, cur.key, cur.key, cur.receivedAt, cur.id);
    } else {
      page.add('c.received_at <= ? AND (c.received_at < ? OR c.id > ?)', cur.receivedAt, cur.receivedAt, cur.id);
    }
  }
  const order = sort === 'received_desc' ? 'c.received_at DESC, c.id' : `${DUE_KEY}, c.received_at, c.id`;
  // Undecided cases are walked in their partial indexes, in the order shown: SQLite would rather
  // read both statuses from cases_status_key and sort them (measured: 100x slower at 100,000).
  // With one code, in the partial index that holds the code (0020-register): the page and its
  // exact total are read there alone. One undecided status newest first: the undecided cases
  // newest first, keeping that status (0020 dropped the full status + received index).
  // A date range matching up to DATE_INDEX_BELOW cases: its page is chosen in the date index
  // (0017-register-pages: it holds status, code and both orders), whatever the planner guesses
  // from a LIMIT it cannot see; a wider range walks the register's order like any other filter.
  const dated = a.receivedFrom !== undefined || a.receivedTo !== undefined;
  const oneCode = code !== '' && !code.endsWith('*') && !dated;
  const undecidedSome = statuses.length > 0 && statuses.every((x) => (UNDECIDED as readonly string[]).includes(x));
  const openCode = undecidedOnly && oneCode && sort === 'due' ? 'INDEXED BY cases_open_code_key' : '';
  const count = (f: SqlFilter, hint = '') => (prepared(ctx, `SELECT count(*) AS n FROM cases c ${hint} ${f.where}`).get(...f.params) as { n: number }).n;
  const datedCount = dated ? count(filter) : null;
  let indexed = '';
  if (datedCount !== null && datedCount <= (tuning.dateIndexBelow ?? DATE_INDEX_BELOW)) indexed = 'INDEXED BY cases_received_key';
  else if (walk && openCode !== '') indexed = openCode;
  else if (walk && undecidedOnly) indexed = `INDEXED BY ${sort === 'received_desc' ? 'cases_open_received' : 'cases_open_key'}`;
  else if (walk && statuses.length > 0 && sort === 'received_desc' && code === '' && !dated) {
    if (undecidedSome) {
      page.add("c.status IN ('draft', 'registered')");
      indexed = 'INDEXED BY cases_open_received';
    } else {
      // A set with a decided status (approved or refused: most cases) newest first: walked in
      // that order, its page found after a few dozen entries. SQLite would rather read every
      // case of the status from cases_status_key and sort them (71,000 at 100,000 cases).
      indexed = 'INDEXED BY cases_received_desc';
    }
  }
  const limit = Math.min(a.limit ?? 50, MAX_PAGE);
  // The filters (and the cursor) beside the code are only the code range: a code prefix in the
  // register's order is merged from one walk per code of the range (0022-register keeps the
  // codes), each reading at most a page of `cases_code_key`, instead of sorting every entry of
  // the range (27,000 for "37.*" at 100,000 cases).
  const onlyCodes = codeRange !== null && sort === 'due' && text === null && filter.conditions.length === 1 && a.status === undefined ? codesIn(ctx, codeRange.from, codeRange.to) : null;
  let ids: { sql: string; params: unknown[] };
  if (onlyCodes !== null && onlyCodes.length > 0 && onlyCodes.length <= MERGE_CODES_UP_TO) {
    const arms: string[] = [];
    const params: unknown[] = [];
    for (const one of onlyCodes) {
      const arm = page.copy().add('c.htmp_code = ?', one);
      arms.push(`SELECT * FROM (SELECT c.id AS id, ${DUE_KEY} AS k, c.received_at AS r FROM cases c INDEXED BY cases_code_key ${arm.where} ORDER BY k, r, id LIMIT ?)`);
      params.push(...arm.params, limit + 1);
    }
    ids = { sql: `SELECT id FROM (${arms.join(' UNION ALL ')}) ORDER BY k, r, id LIMIT ?`, params: [...params, limit + 1] };
  } else ids = { sql: `SELECT c.id FROM cases c ${indexed} ${page.where} ORDER BY ${order} LIMIT ?`, params: [...page.params, limit + 1] };
  // The page's ids first, from the indexes alone where they hold the filters and the order
  // (every filter index ends with the sort keys), then only those cases are read: a filter
  // matching thousands of cases sorts index entries, not cases.
  const rows = prepared(
    ctx,
    `SELECT c.*, ${DUE_KEY} AS sort_key, p.iin AS p_iin, p.last_name AS p_last, p.first_name AS p_first, p.middle_name AS p_middle
     FROM cases c JOIN patients p ON p.id = c.patient_id
     WHERE c.id IN (${ids.sql}) ORDER BY ${order}`,
  ).all(...ids.params) as (ListRow & { sort_key: string })[];
  const more = rows.length > limit;
  if (more) rows.length = limit;
  const last = rows.at(-1);
  const next =
    more && last
      ? encodeRegisterCursor(sort === 'due' ? { sort, key: last.sort_key, receivedAt: last.received_at, id: last.id } : { sort, receivedAt: last.received_at, id: last.id })
      : null;

  // A code (or a prefix of digits), alone or with statuses: its total from the kept counts.
  const codeOnly = !dated && !a.dueToday && !a.overdue && (a.issuedOn ?? '') === '' && (oneCode || codeRange !== null) && filter.conditions.length === (a.status !== undefined ? 2 : 1);
  const codeCount = a.withTotal !== false && codeOnly ? codeTotal(ctx, codeRange ?? { eq: code }, a.status !== undefined ? statuses : null) : null;
  let total: number | null = null;
  let totalAtLeast = false;
  if (a.withTotal !== false) {
    if (text === null && filter.conditions.length === (a.status !== undefined ? 1 : 0)) {
      // The statuses alone (or nothing): the counts the database keeps per status (0018-register-counts).
      total = statusTotal(ctx, a.status !== undefined ? statuses : null);
    } else if (text === null && a.overdue === true && a.status === undefined && filter.conditions.length === 2) {
      total = statusTotal(ctx, UNDECIDED) - notOverdue(ctx, today, a.dueToday === true);
    } else if (text === null) total = datedCount ?? codeCount ?? count(filter, openCode);
    else if (filter.conditions.length === 0) {
      // One name-index entry per case.
      total = text.matches;
      totalAtLeast = text.capped;
    } else {
      // Text and other filters: count from the smaller side (the other filters alone are counted
      // in their indexes, cheaply). A text of one or two letters that matches many cases is
      // counted up to TEXT_COUNT_CAP, like alone.
      const filtered = datedCount ?? codeCount ?? count(filter, openCode);
      const few = !text.capped && text.matches <= filtered;
      const both = filter.copy().add(few ? text.few : text.many, few ? text.param : text.manyParam);
      if (filtered === 0) total = 0;
      else if (few || !text.capped || filtered <= cap) total = count(both, openCode);
      else {
        const n = (prepared(ctx, `SELECT count(*) AS n FROM (SELECT 1 FROM cases c ${openCode} ${both.where} LIMIT ?)`).get(...both.params, cap + 1) as { n: number }).n;
        total = Math.min(n, cap);
        totalAtLeast = n > cap;
      }
    }
  }
  return { items: rows.map((r) => listItem(r, today)), total, ...(totalAtLeast ? { totalAtLeast } : {}), limit, next, today };
}
