import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReportLang } from '../../../../shared/contract/reports';
import type { AppError } from '../../../../shared/result';
import { annualCharts } from '../../../../shared/reports/charts';
import { useApi, useQuery } from '../../api/context';
import { Chart } from '../../components/Chart';
import { downloadBase64 } from '../../components/download';
import { ErrorText } from '../../components/ErrorText';
import { fmtDate, todayKz } from '../cases/format';
import { DateField } from '../../components/DateField';

const GROUNDS = ['no_indications', 'incomplete_packet', 'not_authentic'] as const;
const MEASURES = ['referrals', 'approvals', 'refusalsTotal', 'operations', 'complications', 'disability', 'followUpDue', 'aliveOneYear', 'deaths'] as const;
/** The "of them" rows: indented under the row they count a part of, like the refusal grounds. */
const SUB_MEASURES = new Set<string>(['complications', 'disability', 'aliveOneYear']);

/**
 * The annual report of point 42: the reporting year, its numbers and charts on screen, the PDF
 * (Kazakh or Russian) and XLSX downloads, and the mark that it was submitted to the authority.
 */
export function AnnualReportView() {
  const { t, i18n } = useTranslation('reports');
  const api = useApi();
  const today = todayKz();
  const thisYear = Number(today.slice(0, 4));
  const [year, setYear] = useState<number>(thisYear - 1);
  // Providers from the registry are named in the interface language.
  const report = useQuery('reports.annual', { year, lang: i18n.language === 'ru' ? 'ru' : 'kk' });
  const status = useQuery('reports.status', { year });
  const [busy, setBusy] = useState<string>();
  const [note, setNote] = useState<string>();
  const [error, setError] = useState<AppError>();
  const [submittedOn, setSubmittedOn] = useState(today);
  const tr = (key: string, params?: Record<string, string | number>) => t(key, params ?? {});
  const charts = useMemo(() => (report.data ? annualCharts(report.data, tr) : []), [report.data, t]); // eslint-disable-line react-hooks/exhaustive-deps

  const download = async (kind: 'pdf' | 'xlsx', lang: ReportLang) => {
    setBusy(`${kind}-${lang}`);
    setError(undefined);
    setNote(undefined);
    const r = kind === 'pdf' ? await api.call('reports.annualPdf', { year, lang }) : await api.call('reports.annualXlsx', { year, lang });
    setBusy(undefined);
    if (!r.ok) return setError(r.error);
    downloadBase64(r.value.base64, r.value.fileName, r.value.mime);
    setNote(t('ui.annual.ready', { name: r.value.fileName }));
  };
  const mark = async (on: string | null) => {
    const r = await api.call('reports.markSubmitted', { year, submittedOn: on });
    setError(r.ok ? undefined : r.error);
    if (r.ok) status.reload();
  };

  const submitted = status.data && status.data.year === year ? status.data.submittedOn : null;
  const years = Array.from({ length: 8 }, (_, i) => thisYear - i);
  const r = report.data;
  return (
    <>
      <p className="muted">{t('ui.annual.lead')}</p>
      <div className="panel">
        <div className="toolbar">
          <label>
            {t('ui.annual.year')}
            <select value={year} onChange={(e) => setYear(Number(e.target.value))} data-testid="annual-year">
              {years.map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </label>
          {(['kk', 'ru'] as const).map((lang) => (
            <button key={`pdf-${lang}`} type="button" className="primary" disabled={busy !== undefined} onClick={() => void download('pdf', lang)} data-testid={`annual-pdf-${lang}`}>
              {t('ui.annual.pdf', { lang: lang === 'kk' ? 'қазақша' : 'на русском' })}
            </button>
          ))}
          {(['kk', 'ru'] as const).map((lang) => (
            <button key={`xlsx-${lang}`} type="button" disabled={busy !== undefined} onClick={() => void download('xlsx', lang)} data-testid={`annual-xlsx-${lang}`}>
              {t('ui.annual.xlsx', { lang: lang === 'kk' ? 'қазақша' : 'на русском' })}
            </button>
          ))}
        </div>
        {busy && (
          <p role="status" className="small">
            {t('ui.annual.preparing')}
          </p>
        )}
        {note && (
          <p role="status" className="small ok" data-testid="annual-ready">
            {note}
          </p>
        )}
        <ErrorText error={error ?? report.error} />
        <div className="inline-form" data-testid="annual-submission">
          {submitted ? (
            <>
              <span className="ok">{t('ui.annual.submitted', { year, date: fmtDate(submitted) })}</span>
              <button type="button" className="link" onClick={() => void mark(null)}>
                {t('ui.annual.unmark')}
              </button>
            </>
          ) : (
            <>
              <span>{t('ui.annual.notSubmitted', { year, date: fmtDate(`${year + 1}-03-31`) })}</span>
              <label htmlFor="annual-submitted-on" className="sr-only">
                {t('ui.annual.submittedOn')}
              </label>
              <DateField id="annual-submitted-on" value={submittedOn} onChange={(e) => setSubmittedOn(e.target.value)} />
              <button type="button" onClick={() => void mark(submittedOn || null)} data-testid="annual-mark">
                {t('ui.annual.markSubmitted')}
              </button>
            </>
          )}
        </div>
      </div>
      {r && (
        <section aria-labelledby="annual-preview">
          <h2 id="annual-preview">{t('ui.annual.preview', { year })}</h2>
          <table className="grid compact annual-summary" data-testid="annual-summary">
            <tbody>
              {/* The refusals by ground right under their total, not after the deaths. */}
              {MEASURES.map((k) => [
                <tr key={k} data-measure={k}>
                  <th scope="row" className={SUB_MEASURES.has(k) ? 'indent' : undefined}>
                    {t(`annual.measure.${k}`)}
                  </th>
                  <td className="num">{r.totals[k]}</td>
                </tr>,
                ...(k === 'refusalsTotal'
                  ? GROUNDS.map((g) => (
                      <tr key={g} data-measure={g}>
                        <th scope="row" className="indent">
                          {t(`annual.ground.${g}`)}
                        </th>
                        <td className="num">{r.totals.refusals[g]}</td>
                      </tr>
                    ))
                  : []),
              ])}
            </tbody>
          </table>
          <div className="chart-grid">
            {charts.map((c) => (
              <Chart key={c.id} id={c.id} title={c.title} description={c.description} option={c.option} table={c.table} height={c.size.height} />
            ))}
          </div>
          {r.rows.length === 0 && <p className="muted">{t('ui.annual.empty')}</p>}
        </section>
      )}
    </>
  );
}
