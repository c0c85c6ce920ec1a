import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JournalEntryView } from '../../../../shared/contract/aftercare';
import type { AppError } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { fmtDate, todayKz } from '../cases/format';
import { DateField } from '../../components/DateField';

/**
 * Point 40: a refusal of a patient already in hospital is entered in the journal of admissions and
 * refusals of hospitalization (kept on the Portal). The commission's record of that entry.
 */
export function InpatientRefusalPanel({ caseId }: { caseId: string }) {
  const { t } = useTranslation('aftercare');
  const q = useQuery('aftercare.timeline', { caseId });
  if (!q.data?.journalRequired) return null;
  return (
    <section className="panel journal-entry" aria-labelledby="journal-entry-title" data-testid="inpatient-journal">
      <h2 id="journal-entry-title">{t('journal.title')}</h2>
      <p className="small muted">{t('journal.lead')}</p>
      <JournalEntryForm caseId={caseId} entry={q.data.journal} onSaved={q.reload} />
    </section>
  );
}

/** The journal entry of one refusal: the day it was entered, its number, a note. */
export function JournalEntryForm({ caseId, entry, onSaved, compact }: { caseId: string; entry: JournalEntryView | null; onSaved(): void; compact?: boolean }) {
  const { t } = useTranslation('aftercare');
  const api = useApi();
  const today = todayKz();
  const [enteredOn, setEnteredOn] = useState(entry?.enteredOn ?? today);
  const [number, setNumber] = useState(entry?.entryNumber ?? '');
  const [error, setError] = useState<AppError>();
  useEffect(() => {
    setEnteredOn(entry?.enteredOn ?? today);
    setNumber(entry?.entryNumber ?? '');
  }, [entry?.updatedAt]); // eslint-disable-line react-hooks/exhaustive-deps
  const save = async (on: string | null) => {
    const r = await api.call('aftercare.journalEntry', { caseId, enteredOn: on, entryNumber: number.trim() || null });
    setError(r.ok ? undefined : r.error);
    if (r.ok) onSaved();
  };
  const id = `je-${caseId.slice(0, 8)}`;
  return (
    <form
      className={compact ? 'inline-form compact' : 'inline-form'}
      onSubmit={(e) => {
        e.preventDefault();
        void save(enteredOn || null);
      }}
      data-testid="journal-form"
    >
      {entry?.enteredOn ? (
        <span className="ok" data-testid="journal-state">
          {entry.entryNumber ? t('journal.enteredNumbered', { date: fmtDate(entry.enteredOn), number: entry.entryNumber }) : t('journal.entered', { date: fmtDate(entry.enteredOn) })}
        </span>
      ) : (
        <span className="warning" data-testid="journal-state">
          {t('journal.pending')}
        </span>
      )}
      <label htmlFor={`${id}-on`}>{t('journal.enteredOn')}</label>
      <DateField id={`${id}-on`} value={enteredOn} max={today} onChange={(e) => setEnteredOn(e.target.value)} data-testid="journal-on" />
      <label htmlFor={`${id}-n`}>{t('journal.number')}</label>
      <input id={`${id}-n`} value={number} size={8} onChange={(e) => setNumber(e.target.value)} data-testid="journal-number" />
      <button type="submit" data-testid="journal-save">
        {t('save')}
      </button>
      {entry?.enteredOn && (
        <button type="button" className="link" onClick={() => void save(null)}>
          {t('journal.clear')}
        </button>
      )}
      <ErrorText error={error} />
    </form>
  );
}
