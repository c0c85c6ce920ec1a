import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocLangArg, LayoutArg } from '../../../../shared/contract/protocols';
import type { AppError } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { href } from '../../router';
import { PdfControls } from '../protocols/PdfControls';
import { fmtDate, orgName, todayKz, useLang } from './util';

/** Issued conclusions of a year, each printable, and the check of a paper conclusion against the archive. */
export function ConclusionsView() {
  const { t } = useTranslation('orgs');
  const lang = useLang();
  const api = useApi();
  const [year, setYear] = useState(todayKz().slice(0, 4));
  const list = useQuery('conformity.listConclusions', /^\d{4}$/.test(year) ? { year: Number(year) } : {});
  const [open, setOpen] = useState<string | null>(null);
  const items = list.data?.items ?? [];
  const load = useCallback((l: DocLangArg, layout: LayoutArg) => api.call('conformity.renderConclusion', { id: open!, lang: l, layout }), [api, open]);
  return (
    <>
      <h2>{t('conclusions.title')}</h2>
      <form className="toolbar" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('applications.year')}
          <input type="number" min={2000} max={2100} value={year} onChange={(e) => setYear(e.target.value)} data-testid="conclusions-year" />
        </label>
      </form>
      <ErrorText error={list.error} />
      {items.length === 0 ? (
        <p className="muted">{t('conclusions.empty')}</p>
      ) : (
        <table className="grid" data-testid="conclusions-table">
          <thead>
            <tr>
              <th scope="col">{t('conclusions.columns.number')}</th>
              <th scope="col">{t('conclusions.columns.date')}</th>
              <th scope="col">{t('conclusions.columns.org')}</th>
              <th scope="col">{t('conclusions.columns.code')}</th>
              <th scope="col">{t('conclusions.columns.validity')}</th>
              <th scope="col">{t('conclusions.columns.result')}</th>
              <th scope="col">PDF</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id}>
                <td className="nowrap">№ {c.number}</td>
                <td>{fmtDate(c.issuedOn)}</td>
                <td><a href={href('orgs', 'org', c.org.id)}>{orgName(c.org, lang)}</a></td>
                <td>{c.code}</td>
                <td className="nowrap">{fmtDate(c.validFrom)} – {fmtDate(c.validTo)}</td>
                <td className={c.overallConform ? 'ok' : 'error'}>
                  {t(c.overallConform ? 'conclusions.conforms' : 'conclusions.notConforms')}
                  {c.superseded && <span className="muted"> ({t('conclusions.superseded')})</span>}
                </td>
                <td><button type="button" className="link" onClick={() => setOpen(open === c.id ? null : c.id)} aria-expanded={open === c.id}>{t('conclusions.pdf')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && <div className="panel"><PdfControls id="conclusion-list" load={load} title={t('conclusions.title')} defaultLang={lang} /></div>}
      <VerifyConclusion />
    </>
  );
}

function VerifyConclusion() {
  const { t } = useTranslation('orgs');
  const api = useApi();
  const [number, setNumber] = useState('');
  const [sha, setSha] = useState('');
  const [result, setResult] = useState<{ matches: boolean; known: boolean }>();
  const [error, setError] = useState<AppError>();
  const check = async (e: React.FormEvent) => {
    e.preventDefault();
    // A scanned QR code may be pasted whole: HTMP-CONCLUSION|1/2026|<sha256>.
    const parts = sha.trim().split('|');
    const [n, h] = parts.length === 3 ? [parts[1] ?? '', parts[2] ?? ''] : [number, sha];
    const r = await api.call('conformity.verify', { number: n.trim() || '-', sha256: h.trim() || '-' });
    setError(r.ok ? undefined : r.error);
    setResult(r.ok ? r.value : undefined);
  };
  return (
    <section aria-labelledby="concl-verify-title">
      <h2 id="concl-verify-title">{t('conclusions.verifyTitle')}</h2>
      <p className="hint">{t('conclusions.verifyHint')}</p>
      <form className="toolbar" onSubmit={(e) => void check(e)}>
        <label>
          {t('conclusions.verifyNumber')}
          <input value={number} onChange={(e) => setNumber(e.target.value)} placeholder="1/2026" />
        </label>
        <label style={{ flex: 1 }}>
          {t('conclusions.verifySha')}
          <input value={sha} onChange={(e) => setSha(e.target.value)} className="mono" />
        </label>
        <button type="submit">{t('conclusions.verify')}</button>
      </form>
      <ErrorText error={error} />
      {result && <p role="status" className={result.matches ? 'ok' : 'error'}>{result.matches ? t('conclusions.matches') : result.known ? t('conclusions.mismatch') : t('conclusions.unknown')}</p>}
    </section>
  );
}
