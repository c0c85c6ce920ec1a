import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { href } from '../../router';

const CRITERIA = ['transfer', 'cost', 'rarity', 'outcomes'] as const;

/** All technologies with data: which meet all 4 criteria of leaving the list, 3, or fewer. */
export function ReportScreen() {
  const { t } = useTranslation('scoring');
  const [yearText, setYearText] = useState('');
  const [year, setYear] = useState<number | undefined>();
  const report = useQuery('transfer.report', year === undefined ? {} : { year });

  return (
    <div>
      <h2>{t('ui.report.title')}</h2>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          const y = Number(yearText.trim());
          setYear(yearText.trim() === '' || !Number.isInteger(y) ? undefined : y);
        }}
      >
        <label>
          {t('ui.report.year')}
          <input value={yearText} onChange={(e) => setYearText(e.target.value)} inputMode="numeric" style={{ width: 100 }} data-testid="report-year" />
        </label>
        <button type="submit">{t('ui.report.show')}</button>
      </form>
      <ErrorText error={report.error} />
      {report.data && (
        <>
          <ul data-testid="report-counts">
            <li>{t('ui.report.meetsAll', { n: report.data.meetsAll })}</li>
            <li>{t('ui.report.meetsThree', { n: report.data.meetsThree })}</li>
            <li>{t('ui.report.fewer', { n: report.data.fewer })}</li>
          </ul>
          {report.data.rows.length === 0 && report.data.invalid.length === 0 ? (
            <p className="muted">{t('ui.report.empty')}</p>
          ) : (
            <table className="grid" data-testid="report-table">
              <thead>
                <tr>
                  <th>{t('ui.transfer.code')}</th>
                  <th>{t('ui.transfer.year')}</th>
                  {CRITERIA.map((c) => (
                    <th key={c}>{t(`transfer.criteria.${c}.name`)}</th>
                  ))}
                  <th className="num">{t('ui.report.metCount')}</th>
                  <th>{t('ui.report.leaves')}</th>
                </tr>
              </thead>
              <tbody>
                {report.data.rows.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <a href={href('scoring', 'transfer', r.code, String(r.year))}>{r.code}</a>
                    </td>
                    <td>{r.year}</td>
                    {CRITERIA.map((c) => (
                      <td key={c}>
                        <span className={`badge ${r.met[c] ? 'ok' : 'err'}`}>{t(r.met[c] ? 'transfer.met' : 'transfer.notMet')}</span>
                      </td>
                    ))}
                    <td className="num">{r.metCount}</td>
                    <td>{r.leavesList ? <strong className="verdict-in">{t('ui.transfer.yes')}</strong> : t('ui.transfer.no')}</td>
                  </tr>
                ))}
                {report.data.invalid.map((r) => (
                  <tr key={`${r.code}/${r.year}`}>
                    <td>{r.code}</td>
                    <td>{r.year}</td>
                    <td colSpan={6}>
                      <span className="badge err">{t('ui.report.invalid')}</span> <ErrorText error={r.error} />
                    </td>
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
