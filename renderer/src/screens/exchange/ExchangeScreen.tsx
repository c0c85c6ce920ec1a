import { useCallback, useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { CatalogueDiffView, ExportKind, ExportView, ImportView } from '../../../../shared/contract/exchange';
import type { AppError } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { BackupTrustDialog, backupTrustAskOf, type BackupTrustAsk } from '../../components/BackupTrustDialog';
import { Dialog } from '../../components/Dialog';
import { ErrorText } from '../../components/ErrorText';
import { fmtInstant } from '../cases/format';
import { FileInput } from '../../components/FileInput';
import { downloadFile, TransferError, uploadFile } from './transfer';

type Tab = 'transfer' | 'conflicts' | 'backup' | 'catalogue' | 'peers';
const TABS: Tab[] = ['transfer', 'conflicts', 'backup', 'catalogue', 'peers'];

interface Progress {
  jobId: string;
  phase: string;
  done: number;
  total: number;
}

const newJobId = (): string => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);

/** Follows one job's progress events; `cancel` aborts it in the core. */
function useJob() {
  const api = useApi();
  const [progress, setProgress] = useState<Progress | null>(null);
  const current = useRef<string | null>(null);
  const uploadAbort = useRef<AbortController | null>(null);
  useEffect(
    () =>
      api.onEvent((e) => {
        if (e.type !== 'job.progress' || e.payload.jobId !== current.current) return;
        setProgress({ jobId: String(e.payload.jobId), phase: String(e.payload.phase), done: Number(e.payload.done), total: Number(e.payload.total) });
      }),
    [api],
  );
  const start = useCallback((phase = 'verify') => {
    const jobId = newJobId();
    current.current = jobId;
    uploadAbort.current = new AbortController();
    setProgress({ jobId, phase, done: 0, total: 0 });
    return { jobId, signal: uploadAbort.current.signal, local: (p: string, done: number, total: number) => setProgress({ jobId, phase: p, done, total }) };
  }, []);
  const finish = useCallback(() => {
    current.current = null;
    setProgress(null);
  }, []);
  const cancel = useCallback(() => {
    uploadAbort.current?.abort();
    if (current.current) void api.call('exchange.cancel', { jobId: current.current });
  }, [api]);
  return { progress, start, finish, cancel };
}

function ProgressBar({ progress, onCancel }: { progress: Progress | null; onCancel: () => void }) {
  const { t } = useTranslation('exchange');
  if (!progress) return null;
  return (
    <div className="actions" role="status" aria-live="polite" data-testid="exchange-progress">
      <span>{t(`phase.${progress.phase}`, { defaultValue: progress.phase })}</span>
      <progress max={progress.total || 1} value={progress.total ? progress.done : undefined} aria-label={t(`phase.${progress.phase}`, { defaultValue: progress.phase })} />
      <span className="muted">{progress.total ? `${progress.done} / ${progress.total}` : ''}</span>
      <button type="button" onClick={onCancel} data-testid="exchange-cancel">
        {t('cancel.button')}
      </button>
    </div>
  );
}

interface TrustAsk {
  fingerprint: string;
  installationId: string;
  name: string | null;
  keyChanged: boolean;
  /** A known laptop with another key: the fingerprint it had (its own confirmation). */
  previousFingerprint: string | null;
}

function trustAskOf(e: AppError): TrustAsk | null {
  if ((e.code !== 'bundle.untrusted_sender' && e.code !== 'bundle.key_changed') || !e.params) return null;
  const changed = e.code === 'bundle.key_changed';
  return {
    fingerprint: String(e.params.fingerprint),
    installationId: String(e.params.installationId),
    name: (e.params.name as string | null) ?? null,
    keyChanged: changed || e.params.keyChanged === true,
    previousFingerprint: changed ? String(e.params.previousFingerprint) : null,
  };
}

/** A modal dialog frame: labelled, focus on its first control, Escape closes it. */
function Modal({ labelledBy, testId, onClose, children }: { labelledBy: string; testId: string; onClose: () => void; children: ReactNode }) {
  return (
    <div style={{ position: 'fixed', inset: 0, background: 'rgba(0,0,0,0.35)', display: 'grid', placeItems: 'center', zIndex: 10 }} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div role="dialog" aria-modal="true" aria-labelledby={labelledBy} data-testid={testId} style={{ background: '#fff', padding: 20, borderRadius: 6, maxWidth: 600, maxHeight: '90vh', overflow: 'auto', boxShadow: '0 8px 30px rgba(0,0,0,0.3)' }}>
        {children}
      </div>
    </div>
  );
}

/**
 * A known laptop's key changed: old and new fingerprint side by side, and a confirmation of its
 * own (a phone call), beyond what trusting a new sender asks.
 */
function KeyChangeDialog({ ask, onAccept, onReject }: { ask: TrustAsk; onAccept: () => void; onReject: () => void }) {
  const { t } = useTranslation('exchange');
  const [checked, setChecked] = useState(false);
  return (
    <Modal labelledBy="keychange-title" testId="keychange-dialog" onClose={onReject}>
      <h2 id="keychange-title">{t('keyChange.title')}</h2>
      <p className="error">{t('keyChange.intro', { name: ask.name ?? ask.installationId })}</p>
      <p>
        {t('keyChange.before')}: <strong style={{ fontFamily: 'monospace' }}>{ask.previousFingerprint}</strong>
      </p>
      <p>
        {t('keyChange.after')}: <strong style={{ fontFamily: 'monospace', fontSize: '1.2em' }} data-testid="keychange-new">{ask.fingerprint}</strong>
      </p>
      <p className="muted">{t('keyChange.compare')}</p>
      <div className="form">
        <label className="inline">
          <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} data-testid="keychange-confirm" autoFocus /> {t('keyChange.confirm')}
        </label>
      </div>
      <div className="actions" style={{ marginTop: 14 }}>
        <button type="button" className="primary" disabled={!checked} onClick={onAccept} data-testid="keychange-accept">
          {t('keyChange.accept')}
        </button>
        <button type="button" onClick={onReject}>
          {t('keyChange.reject')}
        </button>
      </div>
    </Modal>
  );
}

/** A catalogue update that is not a step forward: which editions go, then an explicit yes. */
function RollbackDialog({ removed, onAccept, onReject }: { removed: string[]; onAccept: () => void; onReject: () => void }) {
  const { t } = useTranslation('exchange');
  const [checked, setChecked] = useState(false);
  return (
    <Modal labelledBy="rollback-title" testId="rollback-dialog" onClose={onReject}>
      <h2 id="rollback-title">{t('rollback.title')}</h2>
      <p>{t('rollback.intro')}</p>
      {removed.length > 0 ? (
        <>
          <p>{t('rollback.removed')}</p>
          <ul data-testid="rollback-removed">
            {removed.map((id) => (
              <li key={id}>{t('catalogueUpdate.edition', { id })}</li>
            ))}
          </ul>
        </>
      ) : (
        <p>{t('rollback.noneRemoved')}</p>
      )}
      <div className="form">
        <label className="inline">
          <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} data-testid="rollback-confirm" autoFocus /> {t('rollback.confirm')}
        </label>
      </div>
      <div className="actions" style={{ marginTop: 14 }}>
        <button type="button" className="primary" disabled={!checked} onClick={onAccept} data-testid="rollback-accept">
          {t('rollback.accept')}
        </button>
        <button type="button" onClick={onReject}>
          {t('rollback.reject')}
        </button>
      </div>
    </Modal>
  );
}

/** The trust-new-sender dialog: the fingerprint to compare by phone, then trust or reject. */
function TrustDialog({ ask, onTrust, onReject, returnTo }: { ask: TrustAsk; onTrust: () => void; onReject: () => void; returnTo?: RefObject<HTMLElement | null> }) {
  const { t } = useTranslation('exchange');
  if (ask.previousFingerprint !== null) return <KeyChangeDialog ask={ask} onAccept={onTrust} onReject={onReject} />;
  return (
    <Dialog labelledBy="trust-title" onCancel={onReject} testId="trust-dialog" returnTo={returnTo}>
      <h2 id="trust-title">{t('trust.title')}</h2>
      <p>{t('trust.intro')}</p>
      {ask.keyChanged && <p className="error">{t('trust.keyChanged')}</p>}
      <p>{t('trust.sender', { name: ask.name ?? t('trust.unknownName') })}</p>
      <p className="muted">{t('trust.installation', { installationId: ask.installationId })}</p>
      <p>
        {t('trust.fingerprint')}: <strong data-testid="trust-fingerprint" style={{ fontFamily: 'monospace', fontSize: '1.2em' }}>{ask.fingerprint}</strong>
      </p>
      <p className="muted">{t('trust.compare')}</p>
      <div className="actions">
        <button type="button" className="primary" onClick={onTrust} data-testid="trust-accept">
          {t('trust.trust')}
        </button>
        <button type="button" onClick={onReject} data-autofocus data-testid="trust-reject">
          {t('trust.reject')}
        </button>
      </div>
    </Dialog>
  );
}

function TransferTab() {
  const { t } = useTranslation('exchange');
  const api = useApi();
  const peers = useQuery('exchange.peers', {});
  const job = useJob();
  const [kind, setKind] = useState<ExportKind>('sync');
  const [recipients, setRecipients] = useState<string[]>([]);
  const [exported, setExported] = useState<ExportView | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(false);
  const [result, setResult] = useState<ImportView | null>(null);
  const [error, setError] = useState<AppError>();
  const [ask, setAsk] = useState<{ trust: TrustAsk; uploadId: string } | null>(null);
  const [rollback, setRollback] = useState<{ removed: string[]; uploadId: string; acceptKeyChange?: string } | null>(null);
  const [answer, setAnswer] = useState<string | null>(null);
  const encryptable = (peers.data ?? []).filter((p) => p.encryptionFingerprint !== null);
  // A sender trusted for a file stays trusted for the rest of that import (a dry run, then the
  // real import), until another file is chosen.
  const [trustedFile, setTrustedFile] = useState<File | null>(null);
  const [downloaded, setDownloaded] = useState(false);
  const importButton = useRef<HTMLButtonElement>(null);

  const doExport = async (introduce = false) => {
    setError(undefined);
    setExported(null);
    setDownloaded(false);
    const { jobId } = job.start('records');
    const r = await api.call('exchange.export', { kind, jobId, ...(kind === 'sync' ? (introduce ? { introduce: true } : { for: recipients }) : {}) });
    job.finish();
    if (r.ok) setExported(r.value);
    else setError(r.error);
  };

  const runImport = async (uploadId: string, opts: { trustNewPeer?: boolean; acceptKeyChange?: string; allowRollback?: boolean } = {}) => {
    const { jobId } = job.start('verify');
    const r = await api.call('exchange.import', { uploadId, dryRun, jobId, trustNewPeer: opts.trustNewPeer === true, ...(opts.acceptKeyChange ? { acceptKeyChange: opts.acceptKeyChange } : {}), ...(opts.allowRollback ? { allowRollback: true } : {}) });
    job.finish();
    if (r.ok) {
      setResult(r.value);
      peers.reload();
      return;
    }
    const trust = trustAskOf(r.error);
    if (trust) setAsk({ trust, uploadId });
    else if (r.error.code === 'exchange.catalogue_rollback') {
      const removed = String(r.error.params?.removed ?? '');
      setRollback({ removed: removed === '—' || removed === '' ? [] : removed.split(', '), uploadId, ...(opts.acceptKeyChange ? { acceptKeyChange: opts.acceptKeyChange } : {}) });
    } else setError(r.error);
  };

  const doImport = async () => {
    if (!file) return;
    setError(undefined);
    setResult(null);
    const { signal, local } = job.start('upload');
    try {
      const uploadId = await uploadFile(api, file, (d, total) => local('upload', d, total), signal);
      await runImport(uploadId, trustedFile !== null && trustedFile === file ? { trustNewPeer: true } : {});
    } catch (e) {
      job.finish();
      setError(e instanceof TransferError ? e.error : { code: 'api.internal' });
    }
  };

  return (
    <>
      <h2>{t('export.title')}</h2>
      <div className="form narrow">
        <div className="row fit">
          <label>
            {t('export.kindLabel')}
            <select value={kind} onChange={(e) => setKind(e.target.value as ExportKind)} data-testid="export-kind">
              {(['sync', 'referral', 'backup'] as const).map((k) => (
                <option key={k} value={k}>
                  {t(`kind.${k}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {kind === 'sync' && (
          <fieldset className="recipients" data-testid="export-recipients">
            <legend>{t('exportForm.forWhich')}</legend>
            {encryptable.length === 0 && <p className="muted">{t('exportForm.noPeers')}</p>}
            {(peers.data ?? []).map((p) => (
              <label key={p.installationId} className="inline">
                <input
                  type="checkbox"
                  disabled={p.encryptionFingerprint === null}
                  checked={recipients.includes(p.encryptionFingerprint ?? '')}
                  onChange={(e) => {
                    const fp = p.encryptionFingerprint!;
                    setRecipients((r) => (e.target.checked ? [...r, fp] : r.filter((x) => x !== fp)));
                  }}
                  data-testid="export-recipient"
                />
                <span>
                  {p.name ?? p.installationId}
                  <span className="muted" style={{ fontFamily: 'monospace' }}>
                    {' '}
                    · {p.encryptionFingerprint ?? p.fingerprint}
                  </span>
                  {p.encryptionFingerprint === null && <span className="muted"> — {t('exportForm.noKey')}</span>}
                </span>
              </label>
            ))}
            <p className="muted">{t('exportForm.encryptedNote')}</p>
          </fieldset>
        )}
        {kind === 'referral' && (
          <p className="warning" role="note" data-testid="export-referral-plain">
            {t('exportForm.referralPlain')}
          </p>
        )}
        <div className="actions">
          <button type="button" className="primary" onClick={() => void doExport()} disabled={job.progress !== null || (kind === 'sync' && recipients.length === 0)} data-testid="export-start">
            {t('export.start')}
          </button>
          {kind === 'sync' && (
            <button type="button" onClick={() => void doExport(true)} disabled={job.progress !== null} data-testid="export-introduce">
              {t('exportForm.introduce')}
            </button>
          )}
        </div>
        {kind === 'sync' && <p className="muted">{t('exportForm.introduceNote')}</p>}
        {exported && (
          <div role="status" data-testid="export-done">
            <p>{downloaded && exported.name ? t('exportForm.handedOver', { name: exported.name }) : t('exportForm.ready')}</p>
            <p className="muted">
              {t('exportForm.records', { number: exported.records })} · {t('exportForm.attachments', { number: exported.attachments })}
            </p>
            {exported.kind === 'sync' && (
              <p data-testid="export-encrypted">
                {exported.encrypted
                  ? t('exportForm.encryptedFor', { recipients: (exported.recipients ?? []).map((r) => r.name ?? r.installationId).join(', ') })
                  : t('exportForm.introduced')}
              </p>
            )}
            <p className="muted" style={{ wordBreak: 'break-all' }}>
              {t('export.checksum', { sha256: exported.sha256 })}
            </p>
            {exported.name && (
              <button
                type="button"
                onClick={() =>
                  void downloadFile(api, exported.name!, () => undefined)
                    .then(() => setDownloaded(true))
                    .catch((e: unknown) => setError(e instanceof TransferError ? e.error : { code: 'api.internal' }))
                }
                data-testid="export-download"
              >
                {t('exportForm.download')}
              </button>
            )}
          </div>
        )}
      </div>

      <h2>{t('import.title')}</h2>
      <div className="form narrow">
        <FileInput
          button={t('import.chooseFile')}
          accept=".htmp,.zip"
          onChange={(f) => {
            setFile(f);
            setTrustedFile(null);
          }}
          testId="import-file"
        />
        <label className="inline">
          <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} /> {t('importForm.dryRun')}
        </label>
        <div className="actions">
          <button type="button" className="primary" disabled={!file || job.progress !== null} onClick={() => void doImport()} data-testid="import-start" ref={importButton}>
            {t('import.start')}
          </button>
        </div>
        {result && (
          <div role="status" data-testid="import-result">
            <p>
              {result.alreadyImported ? t('importForm.already') : t(result.dryRun ? 'importForm.dryResult' : 'importForm.result', { imported: result.imported, unchanged: result.unchanged, conflicts: result.conflicts, refused: result.refused })}
            </p>
            {result.editions && (
              <p data-testid="import-editions">
                {t('importForm.editions', { added: result.editions.added.join(', ') || '—', removed: result.editions.removed.join(', ') || '—' })}
              </p>
            )}
          </div>
        )}
      </div>
      <h2>{t('referral.title')}</h2>
      <div className="form narrow">
        <FileInput
          label={t('referral.answer')}
          accept=".csv,.json,.txt"
          testId="portal-answer"
          onChange={(f) => {
            if (!f) return;
            void f.text().then(async (text) => {
              const r = await api.call('exchange.referralAnswer', { text });
              if (r.ok) setAnswer(t('referral.answerDone', { updated: r.value.updated, unchanged: r.value.unchanged, unknown: r.value.unknown.length }));
              else setError(r.error);
            });
          }}
        />
        {answer && <p role="status">{answer}</p>}
      </div>
      <ProgressBar progress={job.progress} onCancel={job.cancel} />
      <ErrorText error={error} />
      {ask && (
        <TrustDialog
          ask={ask.trust}
          returnTo={importButton}
          onReject={() => setAsk(null)}
          onTrust={() => {
            const { uploadId, trust } = ask;
            setAsk(null);
            if (trust.previousFingerprint === null) setTrustedFile(file);
            void runImport(uploadId, trust.previousFingerprint !== null ? { acceptKeyChange: trust.fingerprint } : { trustNewPeer: true });
          }}
        />
      )}
      {rollback && (
        <RollbackDialog
          removed={rollback.removed}
          onReject={() => setRollback(null)}
          onAccept={() => {
            const { uploadId, acceptKeyChange } = rollback;
            setRollback(null);
            void runImport(uploadId, { allowRollback: true, ...(acceptKeyChange ? { acceptKeyChange } : {}) });
          }}
        />
      )}
    </>
  );
}

function ConflictsTab() {
  const { t } = useTranslation('exchange');
  const api = useApi();
  const open = useQuery('exchange.conflicts', { status: 'open' });
  const [error, setError] = useState<AppError>();
  const resolve = async (id: string, choice: 'local' | 'remote') => {
    const r = await api.call('exchange.resolve', { id, choice });
    setError(r.ok ? undefined : r.error);
    open.reload();
  };
  const show = (v: string | number | null) => (v === null ? '—' : String(v));
  return (
    <>
      <h2>{t('conflicts.title')}</h2>
      <p className="muted">{t('conflicts.intro')}</p>
      {open.data && open.data.length === 0 && <p data-testid="conflicts-empty">{t('conflicts.empty')}</p>}
      {open.data && open.data.length > 0 && (
        <table className="grid compact" data-testid="conflicts-table">
          <thead>
            <tr>
              <th>{t('conflicts.record')}</th>
              <th>{t('conflicts.field')}</th>
              <th>{t('conflicts.local')}</th>
              <th>{t('conflicts.remote')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {open.data.map((c) => (
              <tr key={c.id}>
                <td>
                  {c.table} · <span className="muted">{c.recordId.slice(0, 8)}</span>
                  <div className="muted">{t(`conflicts.kind.${c.kind}`)}</div>
                </td>
                <td>{c.field}</td>
                <td>
                  <strong>{show(c.local)}</strong>
                  <div className="muted">{t('conflicts.by', { name: c.localBy.name ?? c.localBy.installationId ?? '', at: fmtInstant(c.localBy.at ?? '') })}</div>
                </td>
                <td>
                  <strong>{show(c.remote)}</strong>
                  <div className="muted">{t('conflicts.by', { name: c.remoteBy.name ?? c.remoteBy.installationId, at: fmtInstant(c.remoteBy.at) })}</div>
                </td>
                <td>
                  <div className="actions">
                    <button type="button" onClick={() => void resolve(c.id, 'local')} data-testid="conflict-keep">
                      {c.kind === 'field' ? t('conflicts.keepLocal') : t('conflicts.dismiss')}
                    </button>
                    {(c.kind === 'field' || c.kind === 'delete') && (
                      <button type="button" onClick={() => void resolve(c.id, 'remote')} data-testid="conflict-take">
                        {t('conflicts.takeRemote')}
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorText error={error ?? open.error} />
    </>
  );
}

function BackupTab() {
  const { t } = useTranslation('exchange');
  const api = useApi();
  const job = useJob();
  const [done, setDone] = useState<{ name: string | null; integrity: string; files: number } | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [secret, setSecret] = useState('');
  const [force, setForce] = useState(false);
  const [restored, setRestored] = useState<{ files: number } | null>(null);
  const [ask, setAsk] = useState<{ trust: BackupTrustAsk; uploadId: string } | null>(null);
  const [backupDownloaded, setBackupDownloaded] = useState(false);
  const [error, setError] = useState<AppError>();
  const create = async () => {
    setError(undefined);
    const { jobId } = job.start('database');
    setBackupDownloaded(false);
    const r = await api.call('exchange.backup', { jobId });
    job.finish();
    if (r.ok) setDone({ name: r.value.name, ...r.value.verified });
    else setError(r.error);
  };
  // Onto this installation, through the running app (auth.restore): it closes, restores, reopens signed out.
  const runRestore = async (uploadId: string, trustBackupKey?: string) => {
    const isKey = /^[0-9A-Za-z]{4}([- ]?[0-9A-Za-z]{4}){7}$/.test(secret.trim());
    const r = await api.call('auth.restore', { uploadId, force: true, ...(isKey ? { recoveryKey: secret.trim() } : { backupPassphrase: secret }), ...(trustBackupKey ? { trustBackupKey } : {}) });
    if (r.ok) {
      setRestored({ files: r.value.files });
      return;
    }
    const trust = backupTrustAskOf(r.error);
    if (trust && !trustBackupKey) setAsk({ trust, uploadId });
    else setError(r.error);
  };
  const restore = async () => {
    if (!file || !secret || !force) return;
    setError(undefined);
    setRestored(null);
    const { signal, local } = job.start('upload');
    try {
      const uploadId = await uploadFile(api, file, (d, total) => local('upload', d, total), signal);
      await runRestore(uploadId);
    } catch (e) {
      setError(e instanceof TransferError ? e.error : { code: 'api.internal' });
    }
    job.finish();
  };
  return (
    <>
      <h2>{t('backup.title')}</h2>
      <p className="muted">{t('backup.intro')}</p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => void create()} disabled={job.progress !== null} data-testid="backup-create">
          {t('backup.create')}
        </button>
      </div>
      {done && (
        <div role="status" data-testid="backup-done">
          <p>{t('backup.done')}</p>
          <p className="muted">{t('backup.verified', { files: done.files })}</p>
          {done.name && (
            <>
              <p>{backupDownloaded ? t('exportForm.handedOver', { name: done.name }) : t('exportForm.ready')}</p>
              <button
                type="button"
                onClick={() =>
                  void downloadFile(api, done.name!, () => undefined)
                    .then(() => setBackupDownloaded(true))
                    .catch((e: unknown) => setError(e instanceof TransferError ? e.error : { code: 'api.internal' }))
                }
                data-testid="backup-download"
              >
                {t('exportForm.download')}
              </button>
            </>
          )}
        </div>
      )}
      <h2>{t('backup.restoreTitle')}</h2>
      <p className="muted">{t('backup.restoreIntro')}</p>
      <div className="form narrow">
        <FileInput button={t('import.chooseFile')} accept=".htmp" testId="restore-file" onChange={(f) => setFile(f)} />
        <label>
          {t('backup.secret')}
          <input type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="off" data-testid="restore-secret" />
        </label>
        <label className="inline">
          <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} data-testid="restore-force" /> {t('backup.force')}
        </label>
        <div className="actions">
          <button type="button" disabled={!file || !secret || !force || job.progress !== null} onClick={() => void restore()} data-testid="restore-start">
            {t('backup.restore')}
          </button>
        </div>
        {restored && (
          <p role="status" data-testid="restore-done">
            {t('backup.restoredHere', restored)}
          </p>
        )}
      </div>
      {ask && (
        <BackupTrustDialog
          ask={ask.trust}
          onReject={() => setAsk(null)}
          onTrust={() => {
            const a = ask;
            setAsk(null);
            void runRestore(a.uploadId, a.trust.fingerprint);
          }}
        />
      )}
      <ProgressBar progress={job.progress} onCancel={job.cancel} />
      <ErrorText error={error} />
    </>
  );
}

function CatalogueTab() {
  const { t } = useTranslation('exchange');
  const api = useApi();
  const state = useQuery('exchange.catalogueState', {});
  const [file, setFile] = useState<File | null>(null);
  const [uploadId, setUploadId] = useState<string | null>(null);
  const [preview, setPreview] = useState<CatalogueDiffView | null>(null);
  const [trustNew, setTrustNew] = useState(false);
  const [ask, setAsk] = useState<TrustAsk | null>(null);
  const [confirmRollback, setConfirmRollback] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<AppError>();
  const show = async (trustNewPublisher: boolean) => {
    if (!file) return;
    setError(undefined);
    setMessage(null);
    try {
      const id = uploadId ?? (await uploadFile(api, file, () => undefined));
      setUploadId(id);
      const r = await api.call('exchange.cataloguePreview', { uploadId: id, trustNewPublisher });
      if (r.ok) {
        setPreview(r.value);
        setTrustNew(trustNewPublisher);
      } else {
        const a = trustAskOf(r.error);
        if (a) setAsk(a);
        else setError(r.error);
      }
    } catch (e) {
      setError(e instanceof TransferError ? e.error : { code: 'api.internal' });
    }
  };
  const apply = async (allowRollback = false) => {
    if (!uploadId) return;
    const r = await api.call('exchange.catalogueApply', { uploadId, trustNewPublisher: trustNew, ...(allowRollback ? { allowRollback } : {}) });
    if (r.ok) {
      setMessage(r.value.applied ? t('catalogueUpdate.applied') : t('catalogueUpdate.alreadyApplied'));
      setPreview(null);
      state.reload();
    } else setError(r.error);
  };
  const restore = async () => {
    const r = await api.call('exchange.catalogueRestore', {});
    if (r.ok) {
      setMessage(t('catalogueUpdate.restored'));
      state.reload();
    } else setError(r.error);
  };
  return (
    <>
      <h2>{t('catalogueUpdate.title')}</h2>
      <p className="muted">{t('catalogueUpdate.intro')}</p>
      <p>{state.data?.current ? t('catalogueUpdate.current', { date: fmtInstant(state.data.current.appliedAt) }) : t('catalogueUpdate.none')}</p>
      <div className="form narrow">
        <FileInput
          button={t('import.chooseFile')}
          accept=".htmp"
          testId="catalogue-file"
          onChange={(f) => {
            setFile(f);
            setUploadId(null);
            setPreview(null);
          }}
        />
        <div className="actions">
          <button type="button" disabled={!file} onClick={() => void show(false)} data-testid="catalogue-show">
            {t('catalogueUpdate.preview')}
          </button>
          <button type="button" disabled={!state.data?.current} onClick={() => void restore()}>
            {t('catalogueUpdate.restore')}
          </button>
        </div>
      </div>
      {preview && (
        <div data-testid="catalogue-preview">
          <p>{t('catalogueUpdate.publisher', { name: preview.publisher.name ?? '', fingerprint: preview.publisher.fingerprint })}</p>
          <p data-testid="catalogue-editions">{t('importForm.editions', { added: preview.editionsAdded.join(', ') || '—', removed: preview.editionsRemoved.join(', ') || '—' })}</p>
          {preview.rollback && !preview.alreadyApplied && (
            <p className="warning" role="alert" data-testid="catalogue-rollback">
              {t(`catalogueUpdate.rollback.${preview.rollback.reason}`)}
            </p>
          )}
          <ul>
            {preview.editions.map((e) => (
              <li key={e.id}>
                {t('catalogueUpdate.edition', { id: e.id })}: {t(`catalogueUpdate.status.${e.status}`)}
                {e.status === 'changed' && ` (${t('catalogueUpdate.counts', e)})`}
                {e.sample.length > 0 && (
                  <ul className="muted">
                    {e.sample.slice(0, 10).map((s) => (
                      <li key={`${s.section}-${s.code}-${s.change}`}>
                        {s.section} · {s.code}: {s.before ?? ''} {s.before && s.after ? '→' : ''} {s.after ?? ''}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
            <li>
              {t('catalogueUpdate.characteristics')}: {t(`catalogueUpdate.status.${preview.characteristics.status}`)}
            </li>
            <li>
              {t('catalogueUpdate.calendar')}: {t(`catalogueUpdate.status.${preview.calendar.status}`)}
              {preview.calendar.years.length > 0 && ` (${preview.calendar.years.map((y) => `${y.year}: ${t(`catalogueUpdate.status.${y.status}`)}`).join(', ')})`}
            </li>
          </ul>
          <div className="actions">
            <button type="button" className="primary" onClick={() => (preview.rollback ? setConfirmRollback(true) : void apply())} disabled={preview.alreadyApplied} data-testid="catalogue-apply">
              {preview.rollback ? t('catalogueUpdate.applyRollback') : t('catalogueUpdate.apply')}
            </button>
          </div>
        </div>
      )}
      {confirmRollback && preview && (
        <RollbackDialog
          removed={preview.editionsRemoved}
          onReject={() => setConfirmRollback(false)}
          onAccept={() => {
            setConfirmRollback(false);
            void apply(true);
          }}
        />
      )}
      {message && <p role="status">{message}</p>}
      <ErrorText error={error ?? state.error} />
      {ask && (
        <TrustDialog
          ask={ask}
          onReject={() => setAsk(null)}
          onTrust={() => {
            setAsk(null);
            void show(true);
          }}
        />
      )}
    </>
  );
}

function PeersTab() {
  const { t } = useTranslation('exchange');
  const api = useApi();
  const me = useQuery('exchange.identity', {});
  const peers = useQuery('exchange.peers', {});
  return (
    <>
      <h2>{t('screen.thisComputer')}</h2>
      {me.data && (
        <div data-testid="own-identity">
          <p>{me.data.name}</p>
          <p className="muted">{t('screen.installation', { installationId: me.data.installationId })}</p>
          <p>
            {t('screen.signingFingerprint')}: <strong style={{ fontFamily: 'monospace' }} data-testid="own-fingerprint">{me.data.fingerprint}</strong>
          </p>
          <p>
            {t('screen.encryptionFingerprint')}: <strong style={{ fontFamily: 'monospace' }} data-testid="own-encryption-fingerprint">{me.data.encryptionFingerprint}</strong>
          </p>
          <p className="muted">{t('screen.encryptionNote')}</p>
        </div>
      )}
      <h2>{t('screen.tabs.peers')}</h2>
      {peers.data && peers.data.length === 0 && <p className="muted">{t('peersList.empty')}</p>}
      {peers.data && peers.data.length > 0 && (
        <table className="grid compact">
          <tbody>
            {peers.data.map((p) => (
              <tr key={p.installationId}>
                <td>
                  {p.name ?? '—'}
                  <div className="muted">{p.installationId}</div>
                </td>
                <td style={{ fontFamily: 'monospace' }}>
                  {p.fingerprint}
                  <div className="muted">{p.encryptionFingerprint ? t('peersList.encryption', { fingerprint: p.encryptionFingerprint }) : t('exportForm.noKey')}</div>
                  {p.keyChanges.map((k) => (
                    <div key={k.at} className="warning" data-testid="peer-key-change">
                      {t('peersList.keyChanged', { at: fmtInstant(k.at), from: k.previousFingerprint, to: k.fingerprint })}
                    </div>
                  ))}
                </td>
                <td>
                  {t('peersList.pending', { number: p.pending })}
                  {p.lastImportAt && <div className="muted">{t('peersList.lastImport', { date: fmtInstant(p.lastImportAt) })}</div>}
                </td>
                <td>
                  <button type="button" onClick={() => void api.call('exchange.removePeer', { installationId: p.installationId }).then(() => peers.reload())}>
                    {t('peersList.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorText error={me.error ?? peers.error} />
    </>
  );
}

/** The exchange area: bundles in and out, conflicts, backups, catalogue updates and trust. */
export function ExchangeScreen({ route }: { route: string[] }) {
  const { t } = useTranslation('exchange');
  const tab: Tab = (TABS as string[]).includes(route[1] ?? '') ? (route[1] as Tab) : 'transfer';
  const open = useQuery('exchange.conflicts', { status: 'open' });
  return (
    <section className="screen" aria-labelledby="exchange-title">
      <h1 id="exchange-title">{t('screen.title')}</h1>
      <nav className="tabs" aria-label={t('screen.title')}>
        {TABS.map((x) => (
          <a key={x} href={`#/exchange/${x}`} aria-current={x === tab ? 'page' : undefined} data-testid={`exchange-tab-${x}`}>
            {t(`screen.tabs.${x}`)}
            {x === 'conflicts' && open.data && open.data.length > 0 ? ` (${open.data.length})` : ''}
          </a>
        ))}
      </nav>
      {tab === 'transfer' && <TransferTab />}
      {tab === 'conflicts' && <ConflictsTab />}
      {tab === 'backup' && <BackupTab />}
      {tab === 'catalogue' && <CatalogueTab />}
      {tab === 'peers' && <PeersTab />}
    </section>
  );
}
