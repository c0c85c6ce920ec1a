/** The exchange dialogs: trusting a new sender by its fingerprint, a changed key, a catalogue that steps back. */
import { useState, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../../shared/result';
import { Dialog } from '../../components/Dialog';

/** A bundle's sender this laptop does not trust yet, or a known one whose key changed. */
export interface TrustAsk {
  fingerprint: string;
  installationId: string;
  name: string | null;
  keyChanged: boolean;
  /** A known laptop with another key: the fingerprint it had (its own confirmation). */
  previousFingerprint: string | null;
}

/** The question an import's refusal asks, if it is one about trusting the sender. */
export function trustAskOf(e: AppError): TrustAsk | null {
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

/** A box to tick before the accept button works, then accept or reject (`<prefix>-confirm`, `<prefix>-accept`). */
function ConfirmThenAnswer({ prefix, texts, onAccept, onReject }: { prefix: string; texts: 'keyChange' | 'rollback'; onAccept: () => void; onReject: () => void }) {
  const { t } = useTranslation('exchange');
  const [checked, setChecked] = useState(false);
  return (
    <>
      <div className="form">
        <label className="inline">
          <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} data-testid={`${prefix}-confirm`} autoFocus /> {t(`${texts}.confirm`)}
        </label>
      </div>
      <div className="actions" style={{ marginTop: 14 }}>
        <button type="button" className="primary" disabled={!checked} onClick={onAccept} data-testid={`${prefix}-accept`}>
          {t(`${texts}.accept`)}
        </button>
        <button type="button" onClick={onReject}>
          {t(`${texts}.reject`)}
        </button>
      </div>
    </>
  );
}

/**
 * A known laptop's key changed: old and new fingerprint side by side, and a confirmation of its
 * own (a phone call), beyond what trusting a new sender asks.
 */
function KeyChangeDialog({ ask, onAccept, onReject }: { ask: TrustAsk; onAccept: () => void; onReject: () => void }) {
  const { t } = useTranslation('exchange');
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
      <ConfirmThenAnswer prefix="keychange" texts="keyChange" onAccept={onAccept} onReject={onReject} />
    </Modal>
  );
}

/** A catalogue update that is not a step forward: which editions go, then an explicit yes. */
export function RollbackDialog({ removed, onAccept, onReject }: { removed: string[]; onAccept: () => void; onReject: () => void }) {
  const { t } = useTranslation('exchange');
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
      <ConfirmThenAnswer prefix="rollback" texts="rollback" onAccept={onAccept} onReject={onReject} />
    </Modal>
  );
}

/** The trust-new-sender dialog: the fingerprint to compare by phone, then trust or reject. */
export function TrustDialog({ ask, onTrust, onReject, returnTo }: { ask: TrustAsk; onTrust: () => void; onReject: () => void; returnTo?: RefObject<HTMLElement | null> }) {
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
