/**
 * Key changes of sync peers in the audit trail (issue 10): a peer trusted (by hand or from its
 * bundle), its signing or encryption key replaced, a peer removed — each an audit row naming the
 * peer and the fingerprints, in the verified chain, with kk/ru labels for the screen and the PDF.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core/core';
import { hasKey } from '../../../electron/core/i18n';
import { AUDIT_ACTIONS } from '../../../shared/contract/access';
import { setUpAndSignIn, tempDir, track } from '../../support/temp';

const cores: Core[] = [];
afterEach(() => {
  for (const c of cores.splice(0)) c.close();
});

function laptop(): Core {
  const { core } = setUpAndSignIn(track(createCore({ dataDir: tempDir('htmp-audit-peers-'), host: 'cli' })));
  cores.push(core);
  return core;
}

const peerRows = async (core: Core) => (await core.call('audit.list', { limit: 1000 })).rows.filter((r) => r.action.startsWith('peer.')).reverse();

describe('audit trail: sync peers', () => {
  it('records a peer trusted, its signing key and its encryption key replaced, and its removal', async () => {
    const a = laptop();
    const b = laptop();
    const c = laptop();
    const ib = await b.call('exchange.identity', {});
    const ic = await c.call('exchange.identity', {});
    await a.call('exchange.trustPeer', { installationId: ib.installationId, publicKey: ib.publicKey, encryptionKey: ib.encryptionKey, name: 'B' });
    // Same signing key, another encryption key: replaced (recorded), not refused.
    await a.call('exchange.trustPeer', { installationId: ib.installationId, publicKey: ib.publicKey, encryptionKey: ic.encryptionKey, name: 'B' });
    // Another signing key for B's installation (a reinstall), confirmed by its fingerprint.
    await expect(a.call('exchange.trustPeer', { installationId: ib.installationId, publicKey: ic.publicKey, name: 'B' })).rejects.toMatchObject({ code: 'bundle.key_changed' });
    await a.call('exchange.trustPeer', { installationId: ib.installationId, publicKey: ic.publicKey, encryptionKey: ic.encryptionKey, name: 'B', acceptKeyChange: ic.fingerprint });
    await a.call('exchange.removePeer', { installationId: ib.installationId });

    const rows = await peerRows(a);
    expect(rows.map((r) => [r.action, r.method, r.outcome])).toEqual([
      ['peer.trust', 'exchange.trustPeer', 'ok'],
      ['peer.key_change', null, 'ok'],
      ['peer.trust', 'exchange.trustPeer', 'ok'],
      ['peer.trust', 'exchange.trustPeer', 'bundle.key_changed'],
      ['peer.key_change', null, 'ok'],
      ['peer.trust', 'exchange.trustPeer', 'ok'],
      ['peer.remove', 'exchange.removePeer', 'ok'],
    ]);
    expect(rows[0]!.detail).toMatchObject({ installationId: ib.installationId, name: 'B' });
    expect(rows[1]!.detail).toEqual({ installationId: ib.installationId, name: 'B', key: 'encryption', previousFingerprint: ib.encryptionFingerprint, fingerprint: ic.encryptionFingerprint });
    expect(rows[4]!.detail).toEqual({ installationId: ib.installationId, name: 'B', key: 'signing', previousFingerprint: ib.fingerprint, fingerprint: ic.fingerprint });
    // The acting user is named on the rows written from inside the call.
    expect(rows[4]!.userName).toBe(rows[5]!.userName);
    expect(rows[4]!.userName).not.toBeNull();
    expect(rows[6]!.detail).toMatchObject({ installationId: ib.installationId });
    // In the chain, and in the exports.
    expect((await a.call('audit.verify', {})).ok).toBe(true);
    expect((await a.call('audit.exportCsv', { action: 'peer.key_change' })).rows).toBe(2);
    const pdf = await a.call('audit.exportPdf', { action: 'peer.key_change', lang: 'kk' });
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 4).toString()).toBe('%PDF');
  });

  it('records a sender trusted from its own bundle at import', async () => {
    const a = laptop();
    const b = laptop();
    const ib = await b.call('exchange.identity', {});
    const ia = await a.call('exchange.identity', {});
    await a.call('exchange.trustPeer', { installationId: ib.installationId, publicKey: ib.publicKey, encryptionKey: ib.encryptionKey, name: 'B' });
    const file = path.join(tempDir('htmp-audit-peers-bundle-'), 'a.htmp');
    await a.call('exchange.export', { kind: 'sync', out: file, for: [ib.encryptionFingerprint] });
    await b.call('exchange.import', { file, trustNewPeer: true });
    const rows = await peerRows(b);
    expect(rows.map((r) => [r.action, r.method])).toEqual([['peer.trust', 'exchange.import']]);
    expect(rows[0]!.detail).toMatchObject({ installationId: ia.installationId, fingerprint: ia.fingerprint });
    expect(rows[0]!.userName).not.toBeNull();
    // A second bundle from the now trusted sender adds no row.
    await a.call('exchange.export', { kind: 'sync', out: file, for: [ib.encryptionFingerprint] });
    await b.call('exchange.import', { file });
    expect(await peerRows(b)).toHaveLength(1);
  });

  it('labels every peer action in Kazakh and Russian', () => {
    for (const action of AUDIT_ACTIONS.filter((x) => x.startsWith('peer.'))) {
      for (const lang of ['kk', 'ru'] as const) expect(hasKey(lang, `audit.action.${action}`)).toBe(true);
    }
    expect(AUDIT_ACTIONS.filter((x) => x.startsWith('peer.'))).toEqual(['peer.trust', 'peer.key_change', 'peer.remove']);
  });
});
