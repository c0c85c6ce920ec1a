import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScoringSheetView } from '../../../../shared/contract/scoring';
import type { AppError } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { href } from '../../router';
import { downloadPdf } from '../protocols/pdf';
import { points, showDate } from './format';

/** Sheets grouped by technology: each evaluator's sheet, and the exact mean of the group. */
export function SheetsList() {
  const { t, i18n } = useTranslation('scoring');
  const api = useApi();
  const summary = useQuery('scoring.summary', {});
  const [error, setError] = useState<AppError>();

  const remove = async (s: ScoringSheetView) => {
    if (!window.confirm(t('ui.sheets.confirmDelete', { evaluator: s.evaluator, date: showDate(s.date) }))) return;
    const r = await api.call('scoring.delete', { id: s.id });
    setError(r.ok ? undefined : r.error);
    summary.reload();
  };

  const pdf = async (s: ScoringSheetView) => {
    const r = await api.call('protocols.scoringSheetPdf', { sheetId: s.id, lang: i18n.language === 'ru' ? 'ru' : 'kk' });
    setError(r.ok ? undefined : r.error);
    if (r.ok) downloadPdf(r.value);
  };

  return (
    <div>
      <h2>{t('ui.sheets.title')}</h2>
      <ErrorText error={error ?? summary.error} />
      {summary.data && summary.data.length === 0 && <p className="muted">{t('ui.sheets.empty')}</p>}
      {summary.data?.map((g) => (
        <section key={g.technology.key} className="panel" data-testid="sheet-group" aria-label={g.technology.code ?? g.technology.name}>
          <h3 style={{ margin: '0 0 6px' }}>
            {g.technology.code ? <span className="mono" style={{ fontSize: 14 }}>{g.technology.code}</span> : <span className="badge warn">{t('ui.sheets.newTechnology')}</span>}{' '}
            {g.technology.name}
          </h3>
          <table className="grid">
            <thead>
              <tr>
                <th>{t('ui.sheets.evaluator')}</th>
                <th>{t('ui.sheets.date')}</th>
                <th>{t('ui.sheets.levels')}</th>
                <th>{t('sheet.band', { band: '' }).replace(/[:：]\s*$/, '')}</th>
                <th className="num">{t('ui.sheets.total')}</th>
                <th>{t('ui.sheets.verdict')}</th>
                <th>{t('ui.sheets.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {g.sheets.map((s) => (
                <tr key={s.id} data-testid="sheet-row">
                  <td>{s.evaluator}</td>
                  <td className="nowrap">{showDate(s.date)}</td>
                  <td className="mono">{s.sheet.criteria.map((c) => c.level).join(' · ')}</td>
                  <td>{s.sheet.criteria[0]?.band ? t(`innovation.bands.${s.sheet.criteria[0].band}`) : ''}</td>
                  <td className="num" data-testid="sheet-total">
                    {points(s.sheet.totalHundredths)}
                  </td>
                  <td>
                    <span className={`badge ${s.sheet.included ? 'ok' : 'err'}`}>{t(s.sheet.included ? 'ui.sheets.included' : 'ui.sheets.excluded')}</span>
                  </td>
                  <td className="actions">
                    <a href={href('scoring', 'form', s.id)}>{t('ui.sheets.edit')}</a>
                    <button type="button" onClick={() => void pdf(s)} data-testid="sheet-pdf">
                      {t('ui.sheets.pdf')}
                    </button>
                    <button type="button" onClick={() => void remove(s)}>
                      {t('ui.sheets.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p data-testid="mean" style={{ marginBottom: 0 }}>
            {t(g.mean.exact ? 'mean.exact' : 'mean.approx', { mean: points(g.mean.meanHundredths), n: g.mean.count })}{' '}
            <strong className={g.mean.included ? 'verdict-in' : 'verdict-out'}>{t(g.mean.included ? 'ui.sheets.meanVerdictIn' : 'ui.sheets.meanVerdictOut')}</strong>
          </p>
        </section>
      ))}
    </div>
  );
}
