import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ORG_LEVELS, validateOrg, type OrgField, type OrgInput } from '../../../../shared/domain/orgs';
import { REGION_IDS } from '../../../../shared/domain/regions';
import type { AppError } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { href, navigate } from '../../router';
import { fmtDate, regionName, useLang } from './util';

const EMPTY: OrgInput = { bin: '', nameKk: '', nameRu: '', region: '', level: '', address: '', phone: '', email: '', head: '' };
const FIELDS: OrgField[] = ['bin', 'nameKk', 'nameRu', 'region', 'level', 'address', 'phone', 'email', 'head'];

/** One organization: its data (checked as the secretary leaves each field), applications and conclusions. */
export function OrgEditor({ id }: { id: string | null }) {
  const { t } = useTranslation('orgs');
  const lang = useLang();
  const api = useApi();
  const existing = useQuery('orgs.get', id ? { id } : null);
  const [form, setForm] = useState<OrgInput>(EMPTY);
  const [touched, setTouched] = useState<Set<OrgField>>(new Set());
  const [error, setError] = useState<AppError>();
  const [saved, setSaved] = useState(false);
  const loaded = useRef(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!existing.data || loaded.current) return;
    loaded.current = true;
    const o = existing.data;
    setForm({ bin: o.bin, nameKk: o.nameKk, nameRu: o.nameRu, region: o.region, level: o.level, address: o.address ?? '', phone: o.phone ?? '', email: o.email ?? '', head: o.head ?? '' });
  }, [existing.data]);
  useEffect(() => first.current?.focus(), []);

  const check = validateOrg(form);
  const errorOf = (f: OrgField) => (check.ok || !touched.has(f) ? null : check.errors.find((e) => e.field === f) ?? null);
  const set = (f: OrgField, v: string) => {
    setForm((x) => ({ ...x, [f]: v }));
    setSaved(false);
  };
  const touch = (f: OrgField) => setTouched((s) => (s.has(f) ? s : new Set(s).add(f)));

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!check.ok) {
      setTouched(new Set(FIELDS));
      document.getElementById(`org-${check.errors[0]!.field}`)?.focus();
      return;
    }
    const r = await api.call('orgs.save', { ...(id ? { id } : {}), ...form });
    if (!r.ok) return setError(r.error);
    setError(undefined);
    setSaved(true);
    if (!id) navigate('orgs', 'org', r.value.id);
  };
  const remove = async () => {
    if (!id || !window.confirm(t('org.deleteConfirm'))) return;
    const r = await api.call('orgs.delete', { id });
    if (r.ok) navigate('orgs');
    else setError(r.error);
  };

  const field = (f: OrgField, control: (p: { id: string; 'aria-invalid': boolean | undefined; 'aria-describedby': string | undefined; onBlur: () => void }) => React.ReactNode, opts: { wide?: boolean; hint?: string } = {}) => {
    const err = errorOf(f);
    const described = [err ? `org-${f}-error` : '', opts.hint ? `org-${f}-hint` : ''].filter(Boolean).join(' ') || undefined;
    return (
      <div className={`field${opts.wide ? ' wide' : ''}`} data-testid={`org-field-${f}`}>
        <label htmlFor={`org-${f}`}>{t(`fields.${f}`)}</label>
        {control({ id: `org-${f}`, 'aria-invalid': err ? true : undefined, 'aria-describedby': described, onBlur: () => touch(f) })}
        {opts.hint && <div className="hint" id={`org-${f}-hint`}>{opts.hint}</div>}
        {err && (
          <p className="error small" id={`org-${f}-error`} data-testid={`org-error-${f}`}>
            {t(`fieldErrors.${err.code}`)}
          </p>
        )}
      </div>
    );
  };

  const o = existing.data;
  return (
    <>
      <p>
        <a href={href('orgs')}>← {t('org.back')}</a>
      </p>
      <h2>{id ? t('org.editTitle') : t('org.newTitle')}</h2>
      <ErrorText error={existing.error} />
      <form className="org-form panel" onSubmit={(e) => void save(e)} noValidate aria-label={id ? t('org.editTitle') : t('org.newTitle')}>
        {field('bin', (p) => <input {...p} ref={first} value={form.bin} inputMode="numeric" maxLength={20} className="mono-input" onChange={(e) => set('bin', e.target.value)} data-testid="org-bin" />, { hint: t('org.binHint') })}
        {field('level', (p) => (
          <select {...p} value={form.level} onChange={(e) => set('level', e.target.value)} data-testid="org-level">
            <option value="">—</option>
            {ORG_LEVELS.map((l) => <option key={l} value={l}>{t(`levels.${l}`)}</option>)}
          </select>
        ))}
        {field('nameKk', (p) => <input {...p} value={form.nameKk} onChange={(e) => set('nameKk', e.target.value)} lang="kk" data-testid="org-nameKk" />, { wide: true })}
        {field('nameRu', (p) => <input {...p} value={form.nameRu} onChange={(e) => set('nameRu', e.target.value)} lang="ru" data-testid="org-nameRu" />, { wide: true })}
        {field('region', (p) => (
          <select {...p} value={form.region} onChange={(e) => set('region', e.target.value)} data-testid="org-region">
            <option value="">—</option>
            {REGION_IDS.map((r) => <option key={r} value={r}>{regionName(r, lang)}</option>)}
          </select>
        ))}
        {field('phone', (p) => <input {...p} type="tel" value={form.phone ?? ''} onChange={(e) => set('phone', e.target.value)} data-testid="org-phone" />)}
        {field('address', (p) => <input {...p} value={form.address ?? ''} onChange={(e) => set('address', e.target.value)} data-testid="org-address" />, { wide: true })}
        {field('email', (p) => <input {...p} type="email" value={form.email ?? ''} onChange={(e) => set('email', e.target.value)} data-testid="org-email" />)}
        {field('head', (p) => <input {...p} value={form.head ?? ''} onChange={(e) => set('head', e.target.value)} data-testid="org-head" />)}
        <div className="actions wide">
          <button type="submit" className="primary" data-testid="org-save">{t('org.save')}</button>
          {saved && <span className="ok" role="status">{t('org.saved')}</span>}
          {id && <button type="button" className="danger" onClick={() => void remove()} data-testid="org-delete">{t('org.delete')}</button>}
        </div>
        <div className="wide"><ErrorText error={error} /></div>
      </form>
      {o && (
        <div className="two-col">
          <section className="panel">
            <div className="screen-head">
              <h2>{t('org.applications')}</h2>
              <button type="button" onClick={() => navigate('orgs', 'application', 'new', o.id)} data-testid="org-new-application">{t('org.newApplication')}</button>
            </div>
            {o.applications.length === 0 ? <p className="muted">{t('org.none')}</p> : (
              <ul>
                {o.applications.map((a) => (
                  <li key={a.id}>
                    <a href={href('orgs', 'application', a.id)}>{a.code} · {a.year}</a> — {t(`applications.statuses.${a.status}`)}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="panel">
            <h2>{t('org.conclusions')}</h2>
            {o.conclusions.length === 0 ? <p className="muted">{t('org.none')}</p> : (
              <ul>
                {o.conclusions.map((c) => (
                  <li key={c.id}>
                    № {c.number} · {c.code} · {fmtDate(c.validFrom)} – {fmtDate(c.validTo)} — {t(c.overallConform ? 'conclusions.conforms' : 'conclusions.notConforms')}
                    {c.superseded && <span className="muted"> ({t('conclusions.superseded')})</span>}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      )}
    </>
  );
}
