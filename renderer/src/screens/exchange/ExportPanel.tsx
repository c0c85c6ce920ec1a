import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExportKind, ExportView, PeerView } from '../../../../shared/contract/exchange';
import type { AppError } from '../../../../shared/result';
import { useApi } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { HandOver } from './HandOver';
import type { Job } from './job';

/**
 * "For which laptop(s)": the known laptops as checkboxes; one without an encryption key (it has
 * not introduced itself yet) cannot be chosen.
 */
function RecipientsField({ peers, recipients, onChange }: { peers: PeerView[]; recipients: string[]; onChange: (r: string[]) => void }) {
  const { t } = useTranslation('exchange');
  const encryptable = peers.filter((p) => p.encryptionFingerprint !== null);
  return (
    <fieldset className="recipients" data-testid="export-recipients">
      <legend>{t('exportForm.forWhich')}</legend>
      {encryptable.length === 0 && <p className="muted">{t('exportForm.noPeers')}</p>}
      {peers.map((p) => (
        <label key={p.installationId} className="inline">
          <input
            type="checkbox"
            disabled={p.encryptionFingerprint === null}
            checked={recipients.includes(p.encryptionFingerprint ?? '')}
            onChange={(e) => {
              const fp = p.encryptionFingerprint!;
              onChange(e.target.checked ? [...recipients, fp] : recipients.filter((x) => x !== fp));
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
  );
}

/** What the made bundle holds: records, attachments, for whom it is encrypted, its checksum. */
function ExportDone({ exported, onError }: { exported: ExportView; onError: (e: AppError) => void }) {
  const { t } = useTranslation('exchange');
  return (
    <div role="status" data-testid="export-done">
      <HandOver key={exported.sha256} name={exported.name} testId="export-download" onError={onError}>
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
      </HandOver>
    </div>
  );
}

/**
 * Making a bundle: a sync bundle encrypted for the chosen laptops (or an introduction, which
 * carries only this laptop's keys), a referral bundle for the portal (not encrypted: said so),
 * or a full backup.
 */
export function ExportPanel({ job, peers }: { job: Job; peers: PeerView[] }) {
  const { t } = useTranslation('exchange');
  const api = useApi();
  const [kind, setKind] = useState<ExportKind>('sync');
  const [recipients, setRecipients] = useState<string[]>([]);
  const [exported, setExported] = useState<ExportView | null>(null);
  const [error, setError] = useState<AppError>();

  const doExport = async (introduce = false) => {
    setError(undefined);
    setExported(null);
    const { jobId } = job.start('records');
    const r = await api.call('exchange.export', { kind, jobId, ...(kind === 'sync' ? (introduce ? { introduce: true } : { for: recipients }) : {}) });
    job.finish();
    if (r.ok) setExported(r.value);
    else setError(r.error);
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
        {kind === 'sync' && <RecipientsField peers={peers} recipients={recipients} onChange={setRecipients} />}
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
        {exported && <ExportDone exported={exported} onError={setError} />}
        <ErrorText error={error} />
      </div>
    </>
  );
}
