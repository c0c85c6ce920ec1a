import { useCallback, useEffect, useState } from 'react';
import type { RefusalJournalEntry } from '../../../../shared/contract/cases';
import type { AppError } from '../../../../shared/result';
import { useTranslation } from 'react-i18next';
import type { DocLangArg, LayoutArg } from '../../../../shared/contract/protocols';
import { useApi, useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { href } from '../../router';
import { PdfControls } from '../protocols/PdfControls';
import { fmtDate, personName, todayKz } from './format';
import { DateField } from '../../components/DateField';

function monthStart(today: string): string {
  return `${today.slice(0, 8)}01`;
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The journal of refusals: the commission's issued refusals in a period, each linking to its case,
 * and printed as a document (the journal PDF with the letterhead and the period). The column "in
 * hospital" shows the refusals point 40 has entered in the journal of refusals of admission and
 * hospitalization.
 */
export function RefusalJournal() {
  const { t, i18n } = useTranslation('cases');
  const lang = i18n.language === 'ru' ? 'ru' : 'kk';
  const api = useApi();
  const today = todayKz();
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  const args = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
  const journal = useQuery('cases.refusalJournal', args);
  // The first page from the query; further pages by key, appended (the numbering goes on).
  const [more, setMore] = useState<{ items: RefusalJournalEntry[]; next: string | null }>({ items: [], next: null });
  const [busy, setBusy] = useState(false);
  const [moreError, setMoreError] = useState<AppError>();
  useEffect(() => setMore({ items: [], next: journal.data?.next ?? null }), [journal.data]);
  const items = [...(journal.data?.items ?? []), ...more.items];
  const total = journal.data?.total ?? items.length;
  const loadMore = async () => {
    if (more.next === null) return;
    setBusy(true);
    const r = await api.call('cases.refusalJournal', { ...args, after: more.next, withTotal: false });
    setBusy(false);
    if (r.ok) setMore((m) => ({ items: [...m.items, ...r.value.items], next: r.value.next }));
    else setMoreError(r.error);
  };
  const printable = ISO.test(from) && ISO.test(to) && from <= to;
  const loadPdf = useCallback((l: DocLangArg, layout: LayoutArg) => api.call('protocols.refusalJournalPdf', { from, to, lang: l, layout }), [api, from, to]);
  return (
    <section className="screen" aria-labelledby="journal-title">
      <p>
        <a href={href('cases')}>← {t('ui.list.title')}</a>
      </p>
      <h1 id="journal-title">{t('ui.journal.title')}</h1>
      <p className="muted">{t('ui.journal.lead')}</p>
      <form className="toolbar" onSubmit={(e) => e.preventDefault()} aria-label={t('ui.journal.period')}>
        <label>
          {t('ui.journal.from')}
          <DateField value={from} onChange={(e) => setFrom(e.target.value)} data-testid="journal-from" />
        </label>
        <label>
          {t('ui.journal.to')}
          <DateField value={to} onChange={(e) => setTo(e.target.value)} data-testid="journal-to" />
        </label>
        <button type="button" onClick={() => { setFrom(monthStart(today)); setTo(today); }}>
          {t('ui.journal.thisMonth')}
        </button>
        <button type="button" onClick={() => { setFrom(`${today.slice(0, 4)}-01-01`); setTo(today); }}>
          {t('ui.journal.thisYear')}
        </button>
      </form>
      <PdfControls id="journal" load={loadPdf} title={t('ui.journal.title')} disabled={!printable} />
      {!printable && <p className="hint">{t('ui.journal.periodNeeded')}</p>}
      <ErrorText error={journal.error} />
      <table className="grid" data-testid="journal-table">
        <thead>
          <tr>
            <th scope="col">№</th>
            <th scope="col">{t('ui.journal.protocol')}</th>
            <th scope="col">{t('ui.journal.date')}</th>
            <th scope="col">{t('ui.col.patient')}</th>
            <th scope="col">{t('ui.col.iin')}</th>
            <th scope="col">{t('ui.journal.technology')}</th>
            <th scope="col">{t('ui.journal.diagnosis')}</th>
            <th scope="col">{t('ui.journal.reason')}</th>
            <th scope="col">{t('ui.journal.inpatient')}</th>
            <th scope="col">{t('ui.journal.primaryCare')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e, i) => (
            <tr key={e.decisionId} data-testid="journal-row" data-case={e.caseId}>
              <td>{i + 1}</td>
              <td className="nowrap">{e.protocol.label}</td>
              <td className="nowrap">{fmtDate(e.date)}</td>
              <td>
                <a href={href('cases', e.caseId)}>{personName(e.patient)}</a>
              </td>
              <td className="mono nowrap">{e.patient.iin}</td>
              <td>
                <span className="mono">{e.htmpCode}</span> <span className="small">{e.htmpName[lang] ?? e.htmpName[lang === 'kk' ? 'ru' : 'kk'] ?? ''}</span>
              </td>
              <td>
                {e.diagnosis.icd10} {e.diagnosis.text}
              </td>
              <td>
                {t(`ui.reasonShort.${e.reason}`)} <span className="muted small">({t('ui.journal.subpoint', { n: e.legalSubpoint })})</span>
              </td>
              <td>{t(e.inpatient ? 'ui.journal.yes' : 'ui.journal.no')}</td>
              <td>{e.primaryCareOrg ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {journal.data && items.length === 0 && <p className="muted">{t('ui.journal.empty')}</p>}
      <ErrorText error={moreError} />
      {more.next !== null && (
        <p>
          <button type="button" onClick={() => void loadMore()} disabled={busy} data-testid="journal-more">
            {t('ui.journal.more', { shown: items.length, total })}
          </button>
        </p>
      )}
      {journal.data && <p className="muted small" data-testid="journal-total">{t('ui.journal.total', { count: total })}</p>}
    </section>
  );
}
