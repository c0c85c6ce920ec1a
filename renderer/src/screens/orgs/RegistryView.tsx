import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportResult } from '../../../../shared/contract/orgs';
import { ORG_LEVELS, type ImportRowError } from '../../../../shared/domain/orgs';
import { REGION_IDS } from '../../../../shared/domain/regions';
import type { AppError } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { FileInput } from '../../components/FileInput';
import { Pager } from '../../components/Pager';
import { href, navigate } from '../../router';
import { downloadBase64 } from '../../components/download';
import { fileBase64, orgName, regionName, useLang } from './util';

const PAGE = 50;

/** One wrong row of an import in the user's language. */
export function useRowError(): (e: ImportRowError) => string {
  const { t, i18n } = useTranslation('orgs');
  return (e) => (i18n.exists(`fieldErrors.${e.code}`, { ns: 'orgs' }) ? t(`fieldErrors.${e.code}`) : t(`importErrors.${e.code}`, { value: e.value }));
}

/** The registry: search (folded like the catalogue), filters, import (checked first) and export. */
export function RegistryView() {
  const { t } = useTranslation('orgs');
  const lang = useLang();
  const [typed, setTyped] = useState('');
  const [query, setQuery] = useState('');
  const [region, setRegion] = useState('');
  const [level, setLevel] = useState('');
  // Key paging as in the register: the cursors of the pages opened after the first (a cursor
  // belongs to the name order of one language: another language starts again at the first page).
  const [trail, setTrail] = useState<{ lang: string; cursors: string[] }>({ lang, cursors: [] });
  const cursors = trail.lang === lang ? trail.cursors : [];
  const after = cursors.at(-1);
  const turn = (f: (c: string[]) => string[]) => setTrail({ lang, cursors: f(cursors) });
  useEffect(() => {
    const h = setTimeout(() => {
      setQuery(typed.trim());
      setTrail({ lang, cursors: [] });
    }, 250);
    return () => clearTimeout(h);
  }, [typed, lang]);
  const list = useQuery('orgs.list', {
    ...(query ? { query } : {}),
    ...(region ? { region } : {}),
    ...(level ? { level: level as (typeof ORG_LEVELS)[number] } : {}),
    ...(after !== undefined ? { after } : {}),
    limit: PAGE,
    lang,
  });
  const data = list.data;

  return (
    <>
      <div className="screen-head">
        <h2>{t('registry.title')}</h2>
        <button type="button" className="primary" onClick={() => navigate('orgs', 'org', 'new')} data-testid="org-new">
          {t('registry.new')}
        </button>
      </div>
      <form className="toolbar filters" role="search" aria-label={t('registry.search')} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('registry.search')}
          <input type="search" value={typed} onChange={(e) => setTyped(e.target.value)} data-testid="orgs-search" size={30} />
        </label>
        <label>
          {t('fields.region')}
          <select value={region} onChange={(e) => { setRegion(e.target.value); turn(() => []); }} data-testid="orgs-region">
            <option value="">{t('registry.allRegions')}</option>
            {REGION_IDS.map((r) => (
              <option key={r} value={r}>{regionName(r, lang)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('fields.level')}
          <select value={level} onChange={(e) => { setLevel(e.target.value); turn(() => []); }} data-testid="orgs-level">
            <option value="">{t('registry.allLevels')}</option>
            {ORG_LEVELS.map((l) => (
              <option key={l} value={l}>{t(`levels.${l}`)}</option>
            ))}
          </select>
        </label>
      </form>
      <ErrorText error={list.error} />
      <p className="muted" role="status" data-testid="orgs-count">
        {data ? (data.total === 0 ? t(query || region || level ? 'registry.noMatch' : 'registry.empty') : t('registry.count', { count: data.total })) : ''}
      </p>
      {data && data.items.length > 0 && (
        <table className="grid" data-testid="orgs-table">
          <thead>
            <tr>
              <th scope="col">{t('fields.bin')}</th>
              <th scope="col">{lang === 'ru' ? t('fields.nameRu') : t('fields.nameKk')}</th>
              <th scope="col">{t('fields.region')}</th>
              <th scope="col">{t('fields.level')}</th>
              <th scope="col">{t('fields.phone')}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((o) => (
              <tr key={o.id}>
                <td className="mono nowrap">
                  {o.bin}
                  {o.duplicateBin && <span className="badge warn small">{t('registry.duplicateBin')}</span>}
                </td>
                <td>
                  <a className="row-link" href={href('orgs', 'org', o.id)}>{orgName(o, lang)}</a>
                </td>
                <td>{regionName(o.region, lang)}</td>
                <td>{t(`levels.${o.level}`)}</td>
                <td className="nowrap">{o.phone ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && data.total > PAGE && (
        <Pager
          from={cursors.length * PAGE + 1}
          count={data.items.length}
          total={data.total}
          hasPrev={cursors.length > 0}
          hasNext={data.next !== null}
          onPrev={() => turn((c) => c.slice(0, -1))}
          onNext={() => data.next !== null && turn((c) => [...c, data.next as string])}
        />
      )}
      <ImportPanel onDone={list.reload} />
      <ExportPanel />
    </>
  );
}

function ImportPanel({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation('orgs');
  const api = useApi();
  const rowError = useRowError();
  const [file, setFile] = useState<{ name: string; content: string } | null>(null);
  const [check, setCheck] = useState<ImportResult | null>(null);
  const [done, setDone] = useState<ImportResult | null>(null);
  const [error, setError] = useState<AppError>();
  const [busy, setBusy] = useState(false);
  const resultRef = useRef<HTMLDivElement>(null);

  const choose = async (f: File | null) => {
    setCheck(null);
    setDone(null);
    setError(undefined);
    if (!f) return setFile(null);
    setBusy(true);
    try {
      const content = await fileBase64(f);
      setFile({ name: f.name, content });
      const r = await api.call('orgs.import', { fileName: f.name, contentBase64: content, dryRun: true });
      if (r.ok) setCheck(r.value);
      else setError(r.error);
    } finally {
      setBusy(false);
      setTimeout(() => resultRef.current?.focus(), 0);
    }
  };
  const run = async () => {
    if (!file) return;
    setBusy(true);
    const r = await api.call('orgs.import', { fileName: file.name, contentBase64: file.content });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setDone(r.value);
    setCheck(null);
    onDone();
  };
  const rows = check ? new Set(check.errors.map((e) => e.row)).size : 0;

  return (
    <section className="panel" aria-labelledby="orgs-import-title" data-testid="orgs-import">
      <h2 id="orgs-import-title">{t('registry.import.title')}</h2>
      <p className="hint">{t('registry.import.hint')}</p>
      <FileInput button={t('registry.import.choose')} accept=".csv,.xlsx,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" testId="orgs-import-file" onChange={(f) => void choose(f)} />
      {busy && <p role="status">{t('registry.import.checking')}</p>}
      <ErrorText error={error} />
      <div ref={resultRef} tabIndex={-1} aria-live="polite">
        {check && check.errors.length === 0 && (
          <div className="actions">
            <p className="ok" data-testid="orgs-import-ok">{t('registry.import.ok', { created: check.created, updated: check.updated, unchanged: check.unchanged })}</p>
            <button type="button" className="primary" onClick={() => void run()} disabled={busy} data-testid="orgs-import-run">
              {t('registry.import.confirm')}
            </button>
          </div>
        )}
        {check && check.errors.length > 0 && (
          <>
            <p className="error" data-testid="orgs-import-errors">{t('registry.import.errors', { count: rows })}</p>
            <div className="import-errors">
              <table className="grid compact">
                <thead>
                  <tr>
                    <th scope="col">{t('registry.import.row')}</th>
                    <th scope="col">{t('registry.import.column')}</th>
                    <th scope="col">{t('registry.import.problem')}</th>
                    <th scope="col">{t('registry.import.value')}</th>
                  </tr>
                </thead>
                <tbody>
                  {check.errors.map((e, i) => (
                    <tr key={i}>
                      <td>{e.row || t('registry.import.fileRow')}</td>
                      <td className="mono">{e.column ?? ''}</td>
                      <td>{rowError(e)}</td>
                      <td className="mono">{e.value}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
        {done && <p className="ok" role="status" data-testid="orgs-import-done">{t('registry.import.done', { created: done.created, updated: done.updated, unchanged: done.unchanged })}</p>}
      </div>
    </section>
  );
}

function ExportPanel() {
  const { t } = useTranslation('orgs');
  const api = useApi();
  const [note, setNote] = useState('');
  const [error, setError] = useState<AppError>();
  const run = async (format: 'csv' | 'xlsx') => {
    const r = await api.call('orgs.export', { format });
    if (!r.ok) return setError(r.error);
    setError(undefined);
    downloadBase64(r.value.contentBase64, r.value.fileName, format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    setNote(t('registry.exported', { file: r.value.fileName, count: r.value.count }));
  };
  return (
    <div className="actions">
      <span>{t('registry.export')}</span>
      <button type="button" onClick={() => void run('csv')} data-testid="orgs-export-csv">CSV</button>
      <button type="button" onClick={() => void run('xlsx')} data-testid="orgs-export-xlsx">XLSX</button>
      {note && <span role="status" className="muted">{note}</span>}
      <ErrorText error={error} />
    </div>
  );
}
