import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AUDIT_ACTIONS } from '../../../../shared/contract/access';
import type { AuditRow, AuditVerify } from '../../../../shared/contract';
import type { AppError } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { errorMessage } from '../../i18n';
import { fmtInstant } from '../cases/format';
import { downloadPdf } from '../protocols/pdf';
import { FilterBar, FilterField, PeriodFilter } from '../../components/FilterBar';

interface Filter {
  userId: string;
  iin: string;
  from: string;
  to: string;
  action: string;
}

const EMPTY: Filter = { userId: '', iin: '', from: '', to: '', action: '' };
const clean = (f: Filter) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== '')) as Partial<Filter>;

/** The audit trail (admin): filters by user, patient IIN, period and action; CSV and PDF export; chain check. */
export function AuditScreen() {
  const { t, i18n } = useTranslation('auth');
  const api = useApi();
  const users = useQuery('users.list', {});
  const [draft, setDraft] = useState<Filter>(EMPTY);
  const [filter, setFilter] = useState<Filter>(draft);
  const [rows, setRows] = useState<AuditRow[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<AppError>();
  const [verify, setVerify] = useState<AuditVerify | null>(null);

  const load = async (before?: number) => {
    const r = await api.call('audit.list', { ...clean(filter), limit: 100, ...(before ? { before } : {}) });
    if (!r.ok) return setError(r.error);
    setError(undefined);
    setRows((old) => (before ? [...old, ...r.value.rows] : r.value.rows));
    setNext(r.value.next);
  };
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filter]);

  const exportCsv = async () => {
    const r = await api.call('audit.exportCsv', clean(filter));
    if (!r.ok) return setError(r.error);
    const url = URL.createObjectURL(new Blob([r.value.text], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = r.value.fileName;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
  };
  const exportPdf = async () => {
    const r = await api.call('audit.exportPdf', { ...clean(filter), lang: i18n.language === 'ru' ? 'ru' : 'kk' });
    if (!r.ok) return setError(r.error);
    downloadPdf({ pdfBase64: r.value.base64, fileName: r.value.fileName });
  };
  const check = async () => {
    const r = await api.call('audit.verify', {});
    if (!r.ok) return setError(r.error);
    setVerify(r.value);
  };
  const set = (k: keyof Filter) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });

  return (
    <section className="screen" aria-labelledby="audit-title">
      <h1 id="audit-title">{t('audit.title')}</h1>
      <p className="muted">{t('audit.intro')}</p>
      <FilterBar
        label={t('audit.filterLabel')}
        testId="audit-filter"
        onApply={() => setFilter(draft)}
        applyLabel={t('audit.apply')}
        onReset={() => {
          setDraft(EMPTY);
          setFilter(EMPTY);
        }}
        dirty={Object.values(draft).some((v) => v !== '') || Object.values(filter).some((v) => v !== '')}
        actions={
          <>
            <button type="button" onClick={() => void exportCsv()} data-testid="audit-csv">
              {t('audit.csv')}
            </button>
            <button type="button" onClick={() => void exportPdf()} data-testid="audit-pdf">
              {t('audit.pdf')}
            </button>
            <button type="button" onClick={() => void check()} data-testid="audit-verify">
              {t('audit.verify')}
            </button>
          </>
        }
      >
        <FilterField label={t('audit.filter.userId')}>
          <select value={draft.userId} onChange={set('userId')} data-testid="f-user">
            <option value="">{t('audit.all')}</option>
            {(users.data ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.login}
              </option>
            ))}
          </select>
        </FilterField>
        <FilterField label={t('audit.filter.iin')}>
          <input value={draft.iin} onChange={set('iin')} inputMode="numeric" maxLength={12} pattern="[0-9]{1,12}" size={14} data-testid="f-iin" />
        </FilterField>
        <PeriodFilter from={draft.from} to={draft.to} fromLabel={t('audit.filter.from')} toLabel={t('audit.filter.to')} onChange={(p) => setDraft({ ...draft, ...p })} />
        <FilterField label={t('audit.filter.action')}>
          <select value={draft.action} onChange={set('action')} data-testid="f-action">
            <option value="">{t('audit.all')}</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {t(`audit.action.${a}`)}
              </option>
            ))}
          </select>
        </FilterField>
      </FilterBar>
      {verify && (
        <p role="status" className={verify.ok ? 'ok' : 'error'} data-testid="verify-result">
          {verify.ok ? t('audit.verifyOk', { count: verify.rows }) : t('audit.verifyBroken', { seq: verify.brokenAt, reason: t(`audit.reason.${verify.reason}`) })}
        </p>
      )}
      <ErrorText error={error} />
      {rows.length === 0 ? (
        <p className="muted">{t('audit.empty')}</p>
      ) : (
        <table className="grid audit" data-testid="audit-table">
          <thead>
            <tr>
              <th>{t('audit.col.seq')}</th>
              <th>{t('audit.col.at')}</th>
              <th>{t('audit.col.user')}</th>
              <th>{t('audit.col.action')}</th>
              <th>{t('audit.col.patient')}</th>
              <th>{t('audit.col.outcome')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.seq} data-action={r.action}>
                <td>{r.seq}</td>
                <td>{fmtInstant(r.at)}</td>
                <td>{r.userName ?? '—'}</td>
                <td>{t(`audit.action.${r.action}`)}</td>
                <td>{r.patientIin ?? ''}</td>
                <td title={r.outcome === 'ok' ? undefined : r.outcome}>{r.outcome === 'ok' ? t('audit.ok') : errorMessage({ code: r.outcome })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next !== null && (
        <button type="button" onClick={() => void load(next)}>
          {t('audit.more')}
        </button>
      )}
    </section>
  );
}
