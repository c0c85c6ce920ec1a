import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgView } from '../../../../shared/contract/orgs';
import type { AppError, Result } from '../../../../shared/result';
import { useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import './orgs.css';
import { fmtDate, orgName, useLang } from './util';

/**
 * The provider of a case, chosen from the registry: the organizations with a valid conclusion for
 * the case's code on its decision date (point 31: what the patient may choose from), any other
 * organization of the registry with a warning when it has none. The choice is made through
 * `choose` (the case editor's: it saves the form's pending edits first and takes the case back as
 * the core left it, since choosing writes the case's provider text too).
 */
export function ProviderPicker({ caseId, code, choose: chooseOn }: { caseId: string; code: string; choose(orgId: string | null): Promise<Result<unknown>> }) {
  const { t } = useTranslation('orgs');
  const lang = useLang();
  const p = useQuery('orgs.forCase', { caseId, lang }, [code]);
  const [typed, setTyped] = useState('');
  const [query, setQuery] = useState('');
  const [other, setOther] = useState('');
  const [error, setError] = useState<AppError>();
  useEffect(() => {
    const h = setTimeout(() => setQuery(typed.trim()), 250);
    return () => clearTimeout(h);
  }, [typed]);
  const found = useQuery('orgs.list', query ? { query, limit: 20, lang } : null);

  const choose = async (o: OrgView | null) => {
    const r = await chooseOn(o?.id ?? null);
    if (!r.ok) return setError(r.error);
    setError(undefined);
    p.reload();
  };
  const d = p.data;
  const dateLabel = d ? `${fmtDate(d.on)} (${t(d.onSource === 'decision' ? 'provider.eligibleDecision' : 'provider.eligibleToday')})` : '';

  return (
    <fieldset className="panel provider-picker" data-testid="provider-picker">
      <legend>{t('provider.title')}</legend>
      <ErrorText error={p.error ?? error} />
      {d && (
        <>
          <div className="field inline">
            <span className="label">{t('provider.chosen')}:</span>
            <span data-testid="provider-chosen">
              {d.chosen ? (
                <>
                  <strong>{orgName(d.chosen, lang)}</strong> <span className="mono muted">{d.chosen.bin}</span>{' '}
                  <button type="button" className="link" onClick={() => void choose(null)} data-testid="provider-clear">{t('provider.clear')}</button>
                </>
              ) : (
                <span className="muted">{t('provider.none')}</span>
              )}
            </span>
          </div>
          {d.chosenConclusion && (
            <p className="ok small" data-testid="provider-conclusion">
              ✓ {t('provider.conclusion', { number: d.chosenConclusion.number, from: fmtDate(d.chosenConclusion.validFrom), to: fmtDate(d.chosenConclusion.validTo) })}
            </p>
          )}
          {d.warning === 'no_conclusion' && d.chosen && (
            <p className="warn-box" role="alert" data-testid="provider-warning">
              {t('provider.warning', { name: orgName(d.chosen, lang), code: d.code, date: fmtDate(d.on) })}
            </p>
          )}
          {d.legacyText && <p className="small muted">{t('provider.legacy', { text: d.legacyText })}</p>}
          {d.warning === 'no_code' ? (
            <p className="muted small">{t('provider.noCode')}</p>
          ) : (
            <>
              <div className="small"><strong>{t('provider.eligibleTitle', { code: d.code, date: dateLabel })}</strong></div>
              {d.eligible.length === 0 ? (
                <p className="muted small" data-testid="provider-no-eligible">{t('provider.noEligible')}</p>
              ) : (
                <ul className="eligible" data-testid="provider-eligible">
                  {d.eligible.map((e) => (
                    <li key={e.org.id} className={d.chosen?.id === e.org.id ? 'chosen' : ''}>
                      <span>
                        {orgName(e.org, lang)} <span className="mono muted small">{e.org.bin}</span>
                        <span className="small muted"> · № {e.conclusion.number}</span>
                        {e.openUpdates > 0 && <span className="badge warn small">{t('provider.openUpdates', { count: e.openUpdates })}</span>}
                      </span>
                      {d.chosen?.id !== e.org.id && (
                        <button type="button" onClick={() => void choose(e.org)} data-testid={`provider-choose-${e.org.bin}`}>{t('provider.select')}</button>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
          <details>
            <summary className="small">{t('provider.other')}</summary>
            <label className="field search">
              <span className="small">{t('provider.search')}</span>
              <input type="search" value={typed} onChange={(e) => setTyped(e.target.value)} data-testid="provider-search" />
            </label>
            <div className="other-row">
              <select aria-label={t('provider.other')} value={other} onChange={(e) => setOther(e.target.value)} data-testid="provider-other">
                <option value="">—</option>
                {(found.data?.items ?? []).map((o) => <option key={o.id} value={o.id}>{`${orgName(o, lang)} — ${o.bin}`}</option>)}
              </select>
              <button
                type="button"
                disabled={other === ''}
                onClick={() => {
                  const o = found.data?.items.find((x) => x.id === other);
                  if (o) void choose(o);
                }}
                data-testid="provider-other-choose"
              >
                {t('provider.select')}
              </button>
            </div>
          </details>
        </>
      )}
    </fieldset>
  );
}
