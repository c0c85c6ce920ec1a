import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { summaryStepsChart } from '../../../../shared/domain/abroad-charts';
import { kzToday } from '../../../../shared/domain/kz-time';
import type { AppError } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { SpecChart } from '../../components/SpecChart';
import { ErrorText } from '../../components/ErrorText';
import { base64ToBlob } from '../../components/FilePreview';
import { downloadPdf } from '../protocols/pdf';
import { fmtDate, pick } from './format';

const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(1).replace('.', ','));

/** The yearly summary on screen, and as PDF or XLSX to save. */
export function SummaryView() {
  const { t, i18n } = useTranslation('abroad');
  const api = useApi();
  const lang = i18n.language;
  const [year, setYear] = useState(Number(kzToday().slice(0, 4)));
  const [fileLang, setFileLang] = useState<'kk' | 'ru'>(lang === 'ru' ? 'ru' : 'kk');
  const [error, setError] = useState<AppError>();
  const [note, setNote] = useState<string>();
  const q = useQuery('abroad.summary', { year });
  const s = q.data;
  const save = async (kind: 'pdf' | 'xlsx') => {
    setNote(undefined);
    if (kind === 'pdf') {
      const r = await api.call('abroad.summaryPdf', { year, lang: fileLang });
      if (!r.ok) return setError(r.error);
      downloadPdf(r.value);
      setNote(t('ui.summary.saved', { file: r.value.fileName }));
    } else {
      const r = await api.call('abroad.summaryXlsx', { year, lang: fileLang });
      if (!r.ok) return setError(r.error);
      const url = URL.createObjectURL(base64ToBlob(r.value.xlsxBase64, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'));
      const a = document.createElement('a');
      a.href = url;
      a.download = r.value.fileName;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 30_000);
      setNote(t('ui.summary.saved', { file: r.value.fileName }));
    }
    setError(undefined);
  };
  const chart = s && s.steps.length > 0
    ? summaryStepsChart({ steps: s.steps.map((x) => ({ route: `${x.routeId} v${x.routeVersion}`, n: x.n, norm: x.norm, completed: x.completed, mean: fmt(x.meanDays) })) }, (k, p) => t(k, p ?? {}))
    : null;
  return (
    <div data-testid="abroad-summary">
      <div className="toolbar">
        <label>
          {t('ui.summary.year')}
          <input type="number" min={2000} max={2100} value={year} onChange={(e) => setYear(Number(e.target.value) || year)} style={{ width: 90 }} data-testid="abroad-summary-year" />
        </label>
        <label>
          {t('ui.summary.lang')}
          <select value={fileLang} onChange={(e) => setFileLang(e.target.value as 'kk' | 'ru')}>
            <option value="kk">қазақша</option>
            <option value="ru">русский</option>
          </select>
        </label>
        <button type="button" onClick={() => void save('pdf')} data-testid="abroad-summary-pdf">
          {t('ui.summary.pdf')}
        </button>
        <button type="button" onClick={() => void save('xlsx')} data-testid="abroad-summary-xlsx">
          {t('ui.summary.xlsx')}
        </button>
        {note && <span role="status" className="muted small">{note}</span>}
      </div>
      <ErrorText error={error ?? q.error} />
      {s && (
        <>
          <p>{t('ui.summary.totals', { total: s.total, contracted: s.contracted })}</p>
          <h2>{t('ui.summary.byGroup')}</h2>
          <table className="grid compact" data-testid="abroad-summary-groups">
            <thead>
              <tr>
                <th scope="col">{t('ui.list.columns.group')}</th>
                <th scope="col">{t('categories.child.short')}</th>
                <th scope="col">{t('categories.service_injury.short')}</th>
                <th scope="col">{t('pdf.summary.columns.total')}</th>
              </tr>
            </thead>
            <tbody>
              {s.byGroup.map((g) => (
                <tr key={g.group}>
                  <th scope="row">{t(`groups.${g.group}.short`)}</th>
                  <td>{g.child}</td>
                  <td>{g.service_injury}</td>
                  <td>{g.total}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('ui.summary.steps')}</h2>
          {chart ? <SpecChart spec={chart} height={260} testId="abroad-summary-chart" /> : <p className="muted">{t('ui.summary.none')}</p>}
          <h2>{t('ui.summary.late')}</h2>
          {s.late.length === 0 ? (
            <p className="muted">{t('ui.summary.none')}</p>
          ) : (
            <table className="grid compact">
              <thead>
                <tr>
                  {(['number', 'patient', 'step', 'actor', 'due', 'completedOn', 'lateDays'] as const).map((c) => (
                    <th key={c} scope="col">
                      {t(`pdf.summary.columns.${c}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {s.late.map((l) => (
                  <tr key={`${l.requestId}-${l.n}`}>
                    <td>
                      <a href={`#/abroad/r/${l.requestId}`}>{l.number}</a>
                    </td>
                    <td>{l.patientName}</td>
                    <td>{l.n}</td>
                    <td>{pick(l.actor, lang)}</td>
                    <td>{fmtDate(l.due)}</td>
                    <td>{fmtDate(l.completedOn)}</td>
                    <td>{l.lateDays}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}
