import { useTranslation } from 'react-i18next';
import { useApi, useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { fmtInstant } from '../cases/format';

/** This laptop's identity (the fingerprints to read out on the phone) and the laptops it trusts. */
export function PeersPanel() {
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
