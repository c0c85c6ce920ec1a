import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportView } from '../../../../shared/contract/exchange';
import type { AppError } from '../../../../shared/result';
import { useApi } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { FileInput } from '../../components/FileInput';
import { RollbackDialog, TrustDialog, trustAskOf, type TrustAsk } from './dialogs';
import type { Job } from './job';
import { transferErrorOf, uploadFile } from './transfer';

interface ImportOptions {
  trustNewPeer?: boolean;
  acceptKeyChange?: string;
  allowRollback?: boolean;
}

/**
 * Taking in a bundle from another laptop: upload, then import (or a dry run that only shows what
 * would change). An unknown sender asks to be trusted by its fingerprint, a known one with a new
 * key asks for its own confirmation, and a catalogue that steps back asks before it is applied.
 */
export function ImportPanel({ job, onImported }: { job: Job; onImported: () => void }) {
  const { t } = useTranslation('exchange');
  const api = useApi();
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(false);
  const [result, setResult] = useState<ImportView | null>(null);
  const [error, setError] = useState<AppError>();
  const [ask, setAsk] = useState<{ trust: TrustAsk; uploadId: string } | null>(null);
  const [rollback, setRollback] = useState<{ removed: string[]; uploadId: string; acceptKeyChange?: string } | null>(null);
  // A sender trusted for a file stays trusted for the rest of that import (a dry run, then the
  // real import), until another file is chosen.
  const [trustedFile, setTrustedFile] = useState<File | null>(null);
  const importButton = useRef<HTMLButtonElement>(null);

  const runImport = async (uploadId: string, opts: ImportOptions = {}) => {
    const { jobId } = job.start('verify');
    const r = await api.call('exchange.import', { uploadId, dryRun, jobId, trustNewPeer: opts.trustNewPeer === true, ...(opts.acceptKeyChange ? { acceptKeyChange: opts.acceptKeyChange } : {}), ...(opts.allowRollback ? { allowRollback: true } : {}) });
    job.finish();
    if (r.ok) {
      setResult(r.value);
      onImported();
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
      setError(transferErrorOf(e));
    }
  };

  return (
    <>
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
        <ErrorText error={error} />
      </div>
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
