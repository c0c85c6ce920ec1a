import { useEffect, useState } from 'react';
import { kzToday } from '../../../shared/domain/kz-time';
import { formatDateInput, parseDateInput } from '../../../shared/domain/date-input';
import { fmtDate } from './cases/format';
import { useTranslation } from 'react-i18next';
import type { CalendarYearView } from '../../../shared/contract';
import { noteIn } from '../../../shared/domain/note-text';
import type { AppError } from '../../../shared/result';
import { useApi, useQuery } from '../api/context';
import { ErrorText } from '../components/ErrorText';
import { FileInput } from '../components/FileInput';
import { DateField } from '../components/DateField';

// Dates typed DD.MM.YYYY (or ISO) separated by commas, semicolons or spaces; shown DD.MM.YYYY. A text that is
// not a date is sent as typed, so the core names it (calendar.invalid) and nothing changes.
const splitDates = (s: string): string[] => s.split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean).map((x) => parseDateInput(x) || x);
const showDates = (dates: string[]): string => dates.map(formatDateInput).join(', ');

/** The working-day calendar: per-year Kurban Ait, transfer-act days, confirmation; file import; reset. */
export function CalendarSettings() {
  const { t, i18n } = useTranslation(['common', 'rules']);
  const lang = i18n.language === 'ru' ? 'ru' : 'kk';
  // The sources as shown (shipped ones in the interface language): saved back only when edited,
  // so a shipped source keeps both its languages.
  const shownSources = (y: CalendarYearView) => y.sources.map((x) => noteIn(x, lang)).join('; ');
  const api = useApi();
  const view = useQuery('calendar.get', {});
  const [year, setYear] = useState<number | null>(null);
  const [error, setError] = useState<AppError>();
  const [saved, setSaved] = useState(false);
  const years = view.data?.years ?? [];
  // Opens on the current year (Kazakhstan time) when the calendar has it, else on the latest one.
  const thisYear = Number(kzToday().slice(0, 4));
  const current: CalendarYearView | undefined = years.find((y) => y.year === year) ?? years.find((y) => y.year === thisYear) ?? years[years.length - 1];
  const [form, setForm] = useState({ confirmed: false, kurbanAit: '', extra: '', weekend: '', source: '' });

  useEffect(() => {
    if (current) {
      setYear(current.year);
      setForm({ confirmed: current.confirmed, kurbanAit: current.kurbanAit ?? '', extra: showDates(current.extraDaysOff), weekend: showDates(current.workingWeekendDays), source: shownSources(current) });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [current?.year, view.data]);

  const done = (r: { ok: boolean; error?: AppError }) => {
    setSaved(r.ok);
    setError(r.ok ? undefined : r.error);
    if (r.ok) view.reload();
  };
  const saveYear = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!current) return;
    if (form.confirmed && form.source.trim() === '') return setError({ code: 'calendar.source_required' });
    done(await api.call('calendar.setYear', { year: current.year, confirmed: form.confirmed, kurbanAit: form.kurbanAit || null, extraDaysOff: splitDates(form.extra), workingWeekendDays: splitDates(form.weekend), ...(form.source !== shownSources(current) ? { sources: form.source.split(';').map((x) => x.trim()).filter(Boolean) } : {}) }));
  };
  const addYear = async () => {
    const next = (years[years.length - 1]?.year ?? new Date().getFullYear()) + 1;
    done(await api.call('calendar.setYear', { year: next, confirmed: false, kurbanAit: null, extraDaysOff: [], workingWeekendDays: [] }));
    setYear(next);
  };
  const importFile = async (file: File | undefined) => {
    if (!file) return;
    let calendar: unknown;
    try {
      calendar = JSON.parse(await file.text()) as unknown;
    } catch {
      return done({ ok: false, error: { code: 'cli.file_not_json', params: { file: file.name } } });
    }
    done(await api.call('calendar.replace', { calendar }));
  };

  return (
    <section className="panel" aria-labelledby="calendar-title" data-testid="calendar-settings">
      <h2 id="calendar-title">{t('calendar.title')}</h2>
      <p className="muted">{t('calendar.lead')}</p>
      {view.data && <p data-testid="calendar-source">{t(`calendar.source.${view.data.source}`)}</p>}
      <div className="toolbar">
        <label>
          {t('calendar.year')}
          <select value={current?.year ?? ''} onChange={(e) => setYear(Number(e.target.value))} data-testid="calendar-year">
            {years.map((y) => (
              <option key={y.year} value={y.year}>
                {y.year} — {t(y.confirmed ? 'calendar.confirmed' : 'calendar.unconfirmed')}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void addYear()}>
          {t('calendar.addYear')}
        </button>
        <FileInput label={t('calendar.replaceFromFile')} accept="application/json,.json" onChange={(f) => void importFile(f ?? undefined)} testId="calendar-file" />
        <button type="button" onClick={() => void api.call('calendar.reset', {}).then(done)} disabled={view.data?.source !== 'local'}>
          {t('calendar.reset')}
        </button>
      </div>
      {current && (
        <form className="form" onSubmit={saveYear}>
          <label className="inline">
            <input type="checkbox" checked={form.confirmed} onChange={(e) => setForm({ ...form, confirmed: e.target.checked })} /> {t('calendar.confirmed')}
          </label>
          <div className="row align-end">
            <label>
              {t('calendar.kurbanAit')}
              <DateField value={form.kurbanAit} onChange={(e) => setForm({ ...form, kurbanAit: e.target.value })} data-testid="calendar-kurban" />
            </label>
            <label>
              {t('calendar.extraDaysOff')}
              <input value={form.extra} aria-describedby="calendar-dates-hint" onChange={(e) => setForm({ ...form, extra: e.target.value })} data-testid="calendar-extra" />
            </label>
            <label>
              {t('calendar.workingWeekendDays')}
              <input value={form.weekend} aria-describedby="calendar-dates-hint" onChange={(e) => setForm({ ...form, weekend: e.target.value })} />
            </label>
          </div>
          <p className="hint" id="calendar-dates-hint" style={{ margin: 0 }}>
            {t('calendar.datesHint')}
          </p>
          <label>
            {t('calendar.sources')}
            <input value={form.source} onChange={(e) => setForm({ ...form, source: e.target.value })} data-testid="calendar-source-input" />
          </label>
          <div className="actions">
            <button type="submit" className="primary" data-testid="calendar-save">
              {t('calendar.saveYear')}
            </button>
            {saved && <span role="status">{t('calendar.saved')}</span>}
          </div>
          <h3>{t('calendar.daysOff')}</h3>
          <ul className="days-off" data-testid="calendar-days-off">
            {current.daysOff.map((d) => (
              <li key={d.date}>
                <span className="mono">{fmtDate(d.date)}</span> — {d.holiday ? t(`rules:calendar.holiday.${d.holiday}`) : t(`calendar.reason.${d.reason}`)}
                {d.reason !== 'holiday' && <span className="muted"> ({t(`calendar.reason.${d.reason}`)})</span>}
              </li>
            ))}
          </ul>
          {current.note && (
            <p className="muted">
              {t('calendar.note')}: {noteIn(current.note, lang)}
            </p>
          )}
        </form>
      )}
      <ErrorText error={error ?? view.error} />
    </section>
  );
}
