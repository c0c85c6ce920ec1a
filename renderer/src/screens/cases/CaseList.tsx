import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CASE_STATUSES, type CaseListItem } from '../../../../shared/contract/cases';
import type { ArgsOf } from '../../../../shared/contract';
import { useApi, useQuery } from '../../api/context';
import { DueBadge } from '../../components/DueBadge';
import { ErrorText } from '../../components/ErrorText';
import { Pager } from '../../components/Pager';
import { href, navigate } from '../../router';
import { OverdueSteps } from '../aftercare/OverdueSteps';
import { fmtDateTime, personName } from './format';
import type { AppError } from '../../../../shared/result';
import { DateField } from '../../components/DateField';

type ListArgs = ArgsOf<'cases.list'>;

interface Filters {
  status: '' | (typeof CASE_STATUSES)[number] | 'undecided';
  due: '' | 'today' | 'overdue' | 'steps';
  code: string;
  from: string;
  to: string;
  query: string;
  sort: 'due' | 'received_desc';
}

const EMPTY: Filters = { status: '', due: '', code: '', from: '', to: '', query: '', sort: 'due' };
const PAGE = 50;
const KEY = 'htmp.cases.filters';

/**
 * Where the reader is: the cursors (`after`) of the pages opened after the first, in order. The
 * page shown is the last one; "previous" drops it. Kept per tab, like the filters.
 */
type Trail = string[];

function loadFilters(): { f: Filters; trail: Trail } {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as { f: Filters; trail?: unknown } | null;
    if (s && typeof s === 'object') {
      const trail = Array.isArray(s.trail) && s.trail.every((x) => typeof x === 'string') ? (s.trail as Trail) : [];
      return { f: { ...EMPTY, ...s.f }, trail };
    }
  } catch {
    /* stale or hand-edited: start clean */
  }
  return { f: EMPTY, trail: [] };
}

function toArgs(f: Filters, trail: Trail): ListArgs {
  const a: ListArgs = { sort: f.sort, limit: PAGE };
  const after = trail.at(-1);
  if (after !== undefined) a.after = after;
  if (f.status === 'undecided') a.status = ['draft', 'registered'];
  else if (f.status) a.status = f.status;
  if (f.due === 'today') a.dueToday = true;
  if (f.due === 'overdue') a.overdue = true;
  if (f.code.trim()) a.code = f.code.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(f.from)) a.receivedFrom = f.from;
  if (/^\d{4}-\d{2}-\d{2}$/.test(f.to)) a.receivedTo = f.to;
  if (f.query.trim()) a.query = f.query.trim().replace(/\s+/g, ' ');
  return a;
}

/** The register: filtered and paged on the server, sorted by due time, one row per case. */
export function CaseList() {
  const { t } = useTranslation('cases');
  const api = useApi();
  const initial = useRef(loadFilters()).current;
  const [filters, setFilters] = useState<Filters>(initial.f);
  const [trail, setTrail] = useState<Trail>(initial.trail);
  // Text filters wait for a pause in typing so each keystroke is not a query.
  const [typed, setTyped] = useState({ query: initial.f.query, code: initial.f.code });
  useEffect(() => {
    const h = setTimeout(() => {
      setFilters((f) => (f.query === typed.query && f.code === typed.code ? f : { ...f, ...typed }));
      setTrail((tr) => (filters.query === typed.query && filters.code === typed.code ? tr : []));
    }, 300);
    return () => clearTimeout(h);
  }, [typed, filters.query, filters.code]);
  useEffect(() => sessionStorage.setItem(KEY, JSON.stringify({ f: filters, trail })), [filters, trail]);

  const list = useQuery('cases.list', filters.due === 'steps' ? null : toArgs(filters, trail));
  const [createError, setCreateError] = useState<AppError>();
  const set = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setTrail([]);
  };
  const reset = () => {
    setFilters(EMPTY);
    setTyped({ query: '', code: '' });
    setTrail([]);
  };

  const create = async () => {
    const r = await createCase(api);
    if (r.ok) navigate('cases', r.value);
    else setCreateError(r.error);
  };

  // A new page shows from its first row.
  const top = useRef<HTMLElement>(null);
  const turn = (change: (tr: Trail) => Trail) => {
    setTrail(change);
    top.current?.scrollIntoView({ block: 'start' });
  };

  const data = list.data;
  return (
    <section className="screen" aria-labelledby="cases-title" ref={top}>
      <div className="screen-head">
        <h1 id="cases-title">{t('ui.list.title')}</h1>
        <div className="actions">
          <a href={href('cases', 'journal')} data-testid="open-journal">
            {t('ui.journal.title')}
          </a>
          <a href={href('cases', 'inpatient-journal')} data-testid="open-inpatient-journal">
            {t('journal.linkTitle', { ns: 'aftercare' })}
          </a>
          <button type="button" className="primary" onClick={() => void create()} data-testid="new-case">
            {t('ui.list.new')}
          </button>
        </div>
      </div>
      <ErrorText error={createError} />
      <form className="toolbar filters" role="search" aria-label={t('ui.list.filters')} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('ui.list.search')}
          <input type="search" value={typed.query} onChange={(e) => setTyped({ ...typed, query: e.target.value })} placeholder={t('ui.list.searchHint')} data-testid="filter-query" size={22} />
        </label>
        <label>
          {t('ui.list.status')}
          <select value={filters.status} onChange={(e) => set({ status: e.target.value as Filters['status'] })} data-testid="filter-status">
            <option value="">{t('ui.list.any')}</option>
            <option value="undecided">{t('ui.status.undecided')}</option>
            {CASE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`ui.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('ui.list.due')}
          <select value={filters.due} onChange={(e) => set({ due: e.target.value as Filters['due'] })} data-testid="filter-due">
            <option value="">{t('ui.list.any')}</option>
            <option value="today">{t('ui.list.dueToday')}</option>
            <option value="overdue">{t('ui.list.overdue')}</option>
            <option value="steps">{t('overdue.filterOption', { ns: 'aftercare' })}</option>
          </select>
        </label>
        <label>
          {t('ui.list.code')}
          <input value={typed.code} onChange={(e) => setTyped({ ...typed, code: e.target.value })} placeholder="35.*" size={8} data-testid="filter-code" />
        </label>
        <label>
          {t('ui.list.receivedFrom')}
          <DateField value={filters.from} onChange={(e) => set({ from: e.target.value })} data-testid="filter-from" />
        </label>
        <label>
          {t('ui.list.receivedTo')}
          <DateField value={filters.to} onChange={(e) => set({ to: e.target.value })} data-testid="filter-to" />
        </label>
        <label>
          {t('ui.list.sort')}
          <select value={filters.sort} onChange={(e) => set({ sort: e.target.value as Filters['sort'] })} data-testid="filter-sort">
            <option value="due">{t('ui.list.sortDue')}</option>
            <option value="received_desc">{t('ui.list.sortReceived')}</option>
          </select>
        </label>
        <button type="button" onClick={reset}>
          {t('ui.list.reset')}
        </button>
      </form>
      <ErrorText error={list.error} />
      {/* Overdue steps of every kind come from their own indexed query, not the register's. */}
      {filters.due === 'steps' && <OverdueSteps />}
      {filters.due !== 'steps' && data && (
        <>
          <CaseTable items={data.items} today={data.today} testId="case-table" busy={list.loading} />
          {data.items.length === 0 && trail.length === 0 && <p className="muted" data-testid="list-empty">{t('ui.list.empty')}</p>}
          <Pager
            from={trail.length * PAGE + 1}
            count={data.items.length}
            total={data.total ?? 0}
            atLeast={data.totalAtLeast === true}
            hasPrev={trail.length > 0}
            hasNext={data.next !== null}
            onPrev={() => turn((tr) => tr.slice(0, -1))}
            onNext={() => data.next !== null && turn((tr) => [...tr, data.next as string])}
          />
        </>
      )}
      {filters.due !== 'steps' && !data && list.loading && <p className="muted">{t('ui.loading')}</p>}
    </section>
  );
}

/** Creates an empty draft received now and returns its id (the form autosaves from there). */
export async function createCase(api: ReturnType<typeof useApi>): Promise<{ ok: true; value: string } | { ok: false; error: AppError }> {
  const args: ArgsOf<'cases.save'> = { receivedAt: nowLocal(), channel: 'paper', urgency: 'planned', inpatient: false };
  const r = await api.call('cases.save', args);
  return r.ok ? { ok: true, value: r.value.id } : r;
}

function nowLocal(): string {
  return new Date(Date.now() + 5 * 3600_000).toISOString().slice(0, 16);
}

/** Rows of cases linking to the form; shared by the register and the "today" view. */
export function CaseTable({ items, today, testId, busy, caption }: { items: CaseListItem[]; today: string; testId?: string; busy?: boolean; caption?: string }) {
  const { t } = useTranslation('cases');
  return (
    <table className="grid cases" data-testid={testId} aria-busy={busy ? true : undefined}>
      {caption && <caption className="sr-only">{caption}</caption>}
      <thead>
        <tr>
          <th scope="col">{t('ui.col.due')}</th>
          <th scope="col">{t('ui.col.patient')}</th>
          <th scope="col">{t('ui.col.iin')}</th>
          <th scope="col">{t('ui.col.code')}</th>
          <th scope="col">{t('ui.col.received')}</th>
          <th scope="col">{t('ui.col.packet')}</th>
          <th scope="col">{t('ui.col.status')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((c) => {
          const decided = c.status === 'approved' || c.status === 'refused';
          const name = personName(c.patient) || t('ui.list.noName');
          return (
            <tr key={c.id} data-testid="case-row" data-id={c.id} data-status={c.status} className={c.overdue ? 'overdue' : undefined}>
              <td>
                <DueBadge due={c.due} today={today} confirmed={c.calendarConfirmed} decided={decided} />
              </td>
              <td>
                <a href={href('cases', c.id)} className="row-link">
                  {name}
                </a>
              </td>
              <td className="mono">{c.patient.iin}</td>
              <td>
                {c.htmpCode}
                {c.urgency === 'emergency' && <span className="badge warn small">{t('ui.urgency.emergencyShort')}</span>}
              </td>
              <td className="nowrap">{fmtDateTime(c.receivedAt)}</td>
              <td>
                {c.complete ? (
                  <span className="badge ok">{t('ui.packet.completeShort')}</span>
                ) : (
                  <span className="badge err">{t('ui.packet.errors', { count: c.errorCount })}</span>
                )}
              </td>
              <td>
                <span className={`status status-${c.status}`}>{t(`ui.status.${c.status}`)}</span>
                {c.protocol && <span className="muted nowrap"> № {c.protocol.label}</span>}
                {c.reason && <div className="muted small">{t(`ui.reasonShort.${c.reason}`)}</div>}
                {c.portalStatus && <div className="muted small">{t(`ui.portal.${c.portalStatus}`)}</div>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
