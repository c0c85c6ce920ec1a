import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocLangArg, LayoutArg, VerifyResult } from '../../../../shared/contract/protocols';
import type { AppError } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { SetupBanner } from '../setup/SetupGuide';
import { ErrorText } from '../../components/ErrorText';
import { href } from '../../router';
import { PdfControls } from './PdfControls';
import { fmtDate, todayKz } from './pdf';
import { FilterBar, PeriodFilter } from '../../components/FilterBar';

/**
 * The register of protocols for a period (from the statements stored at issue), with the
 * register and the extract of the journal of refusals as official PDFs (preview, save, print),
 * and the check of a paper protocol against the archive.
 */
export function ProtocolsScreen() {
  const { t, i18n } = useTranslation('protocols');
  const lang = i18n.language === 'ru' ? 'ru' : 'kk';
  const today = todayKz();
  const thisYear = { from: `${today.slice(0, 4)}-01-01`, to: today };
  const [{ from, to }, setPeriod] = useState(thisYear);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  const list = useQuery('protocols.list', valid ? { from, to } : null);
  const api = useApi();
  const items = list.data?.items ?? [];

  const loadRegister = useCallback((lang: DocLangArg, layout: LayoutArg) => api.call('protocols.registerPdf', { from, to, lang, layout }), [api, from, to]);
  const loadJournal = useCallback((lang: DocLangArg, layout: LayoutArg) => api.call('protocols.refusalJournalPdf', { from, to, lang, layout }), [api, from, to]);

  return (
    <section className="screen" aria-labelledby="protocols-title">
      <h1 id="protocols-title">{t('register.title')}</h1>
      <SetupBanner need={['names', 'members']} />
      <FilterBar label={t('register.period')} testId="protocols-period" onReset={() => setPeriod(thisYear)} dirty={from !== thisYear.from || to !== thisYear.to}>
        <PeriodFilter from={from} to={to} fromLabel={t('register.from')} toLabel={t('register.to')} onChange={setPeriod} testIds={['protocols-from', 'protocols-to']} />
      </FilterBar>
      <ErrorText error={valid ? list.error : { code: 'protocols.bad_period', params: { from, to } }} />
      <p className="muted" data-testid="protocols-count">
        {items.length === 0 ? t('register.empty') : t('register.count', { count: items.length })}
      </p>
      {items.length > 0 && (
        <table className="grid" data-testid="protocols-table">
          <thead>
            <tr>
              <th scope="col">{t('register.columns.number')}</th>
              <th scope="col">{t('register.columns.date')}</th>
              <th scope="col">{t('register.columns.patient')}</th>
              <th scope="col">{t('register.columns.iin')}</th>
              <th scope="col">{t('register.columns.code')}</th>
              <th scope="col">{t('register.columns.outcome')}</th>
              <th scope="col">{t('register.columns.note')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id} data-testid="register-row" data-number={i.number}>
                <td>
                  <a href={href('cases', i.caseId)}>{i.number}</a>
                </td>
                <td>{fmtDate(i.date)}</td>
                <td>{i.patientName}</td>
                <td className="mono nowrap">{i.iin}</td>
                <td>
                  <span className="mono">{i.code}</span> <span className="small">{i.name[lang] ?? i.name[lang === 'kk' ? 'ru' : 'kk'] ?? ''}</span>
                </td>
                <td className={i.outcome === 'approved' ? 'ok' : 'error'}>{t(`register.outcomes.${i.outcome}`)}</td>
                <td data-testid="register-note">
                  {i.replaces && <div data-testid="register-replaces">{t('register.replaces', { number: i.replaces })}</div>}
                  {i.note && <div className="small">{i.note}</div>}
                  {i.superseded && <span className="muted">{t('register.superseded')}</span>}
                  {i.duplicateNumber && (
                    <span className="badge warn" data-testid="duplicate-number">
                      {t('register.duplicateNumber')}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('register.registerPdf')}</h2>
      <PdfControls id="register" load={loadRegister} title={t('register.registerPdf')} disabled={!valid} />
      <h2>{t('register.journalPdf')}</h2>
      <PdfControls id="journal" load={loadJournal} title={t('register.journalPdf')} disabled={!valid} />
      <VerifyForm />
    </section>
  );
}

/** Checks a paper protocol: its number and the SHA-256 from the QR code or footer. */
function VerifyForm() {
  const { t, i18n } = useTranslation(['protocols', 'cases']);
  const lang = i18n.language === 'ru' ? 'ru' : 'kk';
  const api = useApi();
  const [number, setNumber] = useState('');
  const [sha256, setSha] = useState('');
  const [result, setResult] = useState<VerifyResult>();
  const [error, setError] = useState<AppError>();
  const check = async (e: React.FormEvent) => {
    e.preventDefault();
    // A scanned QR code may be pasted whole: HTMP-PROTOCOL|12/2026|<sha256> (cut short, too).
    const parts = sha256.trim().split('|');
    const [n, h] = parts.length >= 2 && /^HTMP-/i.test(parts[0] ?? '') ? [parts[1] ?? '', parts[2] ?? ''] : [number, sha256];
    if (h.trim() === '') {
      setResult(undefined);
      setError({ code: 'protocols.bad_sha256', params: { length: 0, context: 'incomplete' } });
      return;
    }
    const r = await api.call('protocols.verify', { number: n.trim() || '?', sha256: h.trim() });
    setError(r.ok ? undefined : r.error);
    setResult(r.ok ? r.value : undefined);
  };
  const p = result?.protocol;
  return (
    <section aria-labelledby="verify-title">
      <h2 id="verify-title">{t('verify.title')}</h2>
      <p className="muted small">{t('verify.hint')}</p>
      <form className="toolbar" onSubmit={(e) => void check(e)}>
        <label>
          {t('verify.number')}
          <input value={number} onChange={(e) => setNumber(e.target.value)} placeholder="12/2026" data-testid="verify-number" />
        </label>
        <label style={{ flex: 1 }}>
          {t('verify.sha256')}
          <input value={sha256} onChange={(e) => setSha(e.target.value)} className="mono" data-testid="verify-sha" />
        </label>
        <button type="submit" data-testid="verify-check">
          {t('verify.check')}
        </button>
      </form>
      <ErrorText error={error} />
      {result && (
        <div role="status" data-testid="verify-result">
          <p className={result.matches ? 'ok' : 'error'}>{result.matches ? t('verify.matches') : result.known ? t('verify.mismatch') : t('verify.unknown')}</p>
          {p && (
            <>
              <p className="muted small">{t('verify.compare')}</p>
              <dl className="facts" data-testid="verify-protocol">
                <dt>{t('verify.number')}</dt>
                <dd data-testid="verify-match-number">{p.number}</dd>
                <dt>{t('verify.date')}</dt>
                <dd data-testid="verify-match-date">{fmtDate(p.date)}</dd>
                <dt>{t('verify.patient')}</dt>
                <dd data-testid="verify-match-patient">
                  {p.patientName}
                  {p.iin && <span className="muted"> · {t('verify.iin')} {p.iin}</span>}
                </dd>
                <dt>{t('verify.outcome')}</dt>
                <dd data-testid="verify-match-outcome">
                  {t(`register.outcomes.${p.outcome}`)}
                  {p.reason && ` — ${t(`cases:ui.reasonShort.${p.reason}`)}`}
                </dd>
                {p.code && (
                  <>
                    <dt>{t('verify.technology')}</dt>
                    <dd>
                      {p.code} {p.name[lang] ?? p.name[lang === 'kk' ? 'ru' : 'kk'] ?? ''}
                    </dd>
                  </>
                )}
              </dl>
              {p.superseded && <p className="warning">{t('verify.superseded')}</p>}
            </>
          )}
        </div>
      )}
    </section>
  );
}
