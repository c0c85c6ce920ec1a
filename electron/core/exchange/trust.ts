/**
 * This installation's identity (key pair made at first start by migration 0005) and the two
 * trust stores: peers (laptops of the commission, for sync bundles) and publishers (keys that
 * sign catalogue updates). Trust is by key; names are display only.
 */
import { newId } from '../ids';
import os from 'node:os';
import { AppFailure } from '../../../shared/result';
import type { CoreContext } from '../context';
import { readSettings } from '../services/app';
import { openBundle, type BundleReader, type OpenBundleOptions } from './archive';
import { BundleError, isBundleError } from './errors';
import { fingerprint, generateKeyPair, isPublicKey } from './keys';
import type { BundleSenderSecret } from './archive';
import { boxFingerprint, generateBoxKeyPair, type BoxKeyPair } from './seal';

export interface Identity {
  installationId: string;
  publicKey: string;
  fingerprint: string;
  name: string;
  /** X25519 key sync bundles for this installation are encrypted to (format 2.0). */
  encryptionKey: string;
  /** Its fingerprint: what the sender gives as `bundle export --kind sync --for`. */
  encryptionFingerprint: string;
}

export interface PeerRow {
  installation_id: string;
  public_key: string;
  fingerprint: string;
  name: string | null;
  accepted_at: string;
  acked_seq: number;
  received_seq: number;
  last_import_at: string | null;
  last_export_at: string | null;
  /** The peer's X25519 key, learnt from its signed 2.0 bundles; null for a peer known only from 1.0. */
  encryption_key: string | null;
}

type Ctx = Pick<CoreContext, 'db' | 'installationId' | 'audit'>;

interface KeyRow {
  public_key: string;
  private_key: string;
  box_public_key: string;
  box_private_key: string;
}

function keyRow(ctx: Ctx): KeyRow {
  let row = ctx.db.prepare('SELECT public_key, private_key, box_public_key, box_private_key FROM exchange_key WHERE id = 1').get() as
    | { public_key: string; private_key: string; box_public_key: string | null; box_private_key: string | null }
    | undefined;
  if (!row) {
    // Normally made by the migrations; kept here for a database whose row was lost.
    const k = generateKeyPair();
    const b = generateBoxKeyPair();
    ctx.db
      .prepare('INSERT INTO exchange_key (id, public_key, private_key, box_public_key, box_private_key, created_at) VALUES (1, ?, ?, ?, ?, ?)')
      .run(k.publicKey, k.privateKey, b.publicKey, b.privateKey, new Date().toISOString());
    return { public_key: k.publicKey, private_key: k.privateKey, box_public_key: b.publicKey, box_private_key: b.privateKey };
  }
  if (row.box_public_key === null || row.box_private_key === null) {
    const b = generateBoxKeyPair();
    ctx.db.prepare('UPDATE exchange_key SET box_public_key = ?, box_private_key = ? WHERE id = 1').run(b.publicKey, b.privateKey);
    row = { ...row, box_public_key: b.publicKey, box_private_key: b.privateKey };
  }
  return row as KeyRow;
}

/** This installation's X25519 key pair (to open sync bundles sealed to it). */
export function boxKeys(ctx: Ctx): BoxKeyPair {
  const k = keyRow(ctx);
  return { publicKey: k.box_public_key, privateKey: k.box_private_key };
}

/** What this installation calls itself in bundles: the commission's name, else the computer's. */
export function installationName(ctx: Pick<CoreContext, 'db'>): string {
  try {
    const s = readSettings(ctx);
    const name = [s.commissionName, s.authorityName].filter((x) => x.trim() !== '').join(', ');
    if (name) return name.slice(0, 200);
  } catch {
    /* settings table missing in a bare database */
  }
  return os.hostname().slice(0, 200);
}

export function identity(ctx: Ctx): Identity {
  const k = keyRow(ctx);
  return {
    installationId: ctx.installationId,
    publicKey: k.public_key,
    fingerprint: fingerprint(k.public_key),
    name: installationName(ctx),
    encryptionKey: k.box_public_key,
    encryptionFingerprint: boxFingerprint(k.box_public_key),
  };
}

export function senderSecret(ctx: Ctx): BundleSenderSecret {
  const k = keyRow(ctx);
  return { installationId: ctx.installationId, publicKey: k.public_key, privateKey: k.private_key, name: installationName(ctx), encryptionKey: k.box_public_key };
}

// --- peers -----------------------------------------------------------------------------------

export function listPeers(ctx: Ctx): PeerRow[] {
  return ctx.db.prepare('SELECT * FROM exchange_peers ORDER BY accepted_at, installation_id').all() as PeerRow[];
}

export function getPeer(ctx: Ctx, installationId: string): PeerRow | undefined {
  return ctx.db.prepare('SELECT * FROM exchange_peers WHERE installation_id = ?').get(installationId) as PeerRow | undefined;
}

export function peerByKey(ctx: Ctx, publicKey: string): PeerRow | undefined {
  return ctx.db.prepare('SELECT * FROM exchange_peers WHERE public_key = ?').get(publicKey) as PeerRow | undefined;
}

/** The refusal when a known installation arrives with another signing key. */
export function keyChangedFailure(known: PeerRow, p: { installationId: string; publicKey: string; name?: string | null }): AppFailure {
  return new AppFailure('bundle.key_changed', {
    installationId: p.installationId,
    name: p.name ?? known.name ?? null,
    previousFingerprint: known.fingerprint,
    fingerprint: fingerprint(p.publicKey),
    publicKey: p.publicKey,
  });
}

/** The table name under which key changes of peers are written to the change log (never synced). */
export const PEER_KEY_LOG = 'exchange_peers';

/**
 * Trusts a peer's key (the user compared the fingerprint). A known installation with ANOTHER key
 * (a reinstall, or a forgery) is a key change: refused with `bundle.key_changed` unless
 * `acceptKeyChange` is the new key's fingerprint (its own confirmation, beyond trusting a new
 * peer); the replacement is then written to the change log (table `exchange_peers`, old and new
 * key and fingerprint) and shown with the peer. Watermarks are kept.
 */
export function trustPeer(
  ctx: Ctx,
  p: { installationId: string; publicKey: string; name?: string | null; encryptionKey?: string | null; acceptKeyChange?: string | null },
): PeerRow {
  if (!isPublicKey(p.publicKey)) throw new AppFailure('exchange.bad_key', { field: 'publicKey' });
  if (p.encryptionKey !== undefined && p.encryptionKey !== null && !isPublicKey(p.encryptionKey)) throw new AppFailure('exchange.bad_key', { field: 'encryptionKey' });
  if (p.installationId === ctx.installationId) throw new AppFailure('exchange.own_key', {});
  const at = new Date().toISOString();
  ctx.db.transaction(() => {
    const known = getPeer(ctx, p.installationId);
    const changed = known !== undefined && known.public_key !== p.publicKey;
    if (changed && (p.acceptKeyChange ?? '').replace(/\s/g, '').toUpperCase() !== fingerprint(p.publicKey).replace(/\s/g, '')) {
      throw keyChangedFailure(known, p);
    }
    const other = peerByKey(ctx, p.publicKey);
    if (other && other.installation_id !== p.installationId) ctx.db.prepare('DELETE FROM exchange_peers WHERE installation_id = ?').run(other.installation_id);
    ctx.db
      .prepare(
        `INSERT INTO exchange_peers (installation_id, public_key, fingerprint, name, accepted_at, encryption_key) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(installation_id) DO UPDATE SET public_key = excluded.public_key, fingerprint = excluded.fingerprint,
           name = COALESCE(excluded.name, exchange_peers.name), accepted_at = excluded.accepted_at,
           encryption_key = CASE WHEN exchange_peers.public_key = excluded.public_key THEN COALESCE(excluded.encryption_key, exchange_peers.encryption_key)
                                 ELSE excluded.encryption_key END`,
      )
      .run(p.installationId, p.publicKey, fingerprint(p.publicKey), p.name ?? null, at, p.encryptionKey ?? null);
    // The audit trail names every key replaced (the change log row below feeds the peer's view).
    const encryptionReplaced = !changed && known !== undefined && known.encryption_key !== null && p.encryptionKey != null && p.encryptionKey !== known.encryption_key;
    if (changed) auditKeyChange(ctx, known, 'signing', known.fingerprint, fingerprint(p.publicKey));
    if (encryptionReplaced) auditKeyChange(ctx, known, 'encryption', boxFingerprint(known.encryption_key!), boxFingerprint(p.encryptionKey!));
    if (changed) {
      const fields = {
        public_key: [known.public_key, p.publicKey],
        fingerprint: [known.fingerprint, fingerprint(p.publicKey)],
        encryption_key: [known.encryption_key, p.encryptionKey ?? null],
      };
      ctx.db
        .prepare('INSERT INTO change_log (change_id, table_name, record_id, op, fields, installation_id, at, origin) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)')
        .run(newId(), PEER_KEY_LOG, p.installationId, 'update', JSON.stringify(fields), ctx.installationId, at);
    }
  })();
  return getPeer(ctx, p.installationId)!;
}

/** Key changes of a peer, oldest first, from the change log. */
export function peerKeyChanges(ctx: Ctx, installationId: string): { at: string; previousFingerprint: string; fingerprint: string }[] {
  return (ctx.db.prepare('SELECT at, fields FROM change_log WHERE table_name = ? AND record_id = ? ORDER BY seq').all(PEER_KEY_LOG, installationId) as { at: string; fields: string }[]).map((r) => {
    const f = JSON.parse(r.fields) as { fingerprint: [string, string] };
    return { at: r.at, previousFingerprint: f.fingerprint[0], fingerprint: f.fingerprint[1] };
  });
}

/** An audit row `peer.key_change`: which key of which peer, the fingerprints before and after. */
function auditKeyChange(ctx: Ctx, peer: PeerRow, key: 'signing' | 'encryption', previousFingerprint: string, newFingerprint: string): void {
  ctx.audit?.({ action: 'peer.key_change', detail: { installationId: peer.installation_id, name: peer.name, key, previousFingerprint, fingerprint: newFingerprint } });
}

/** Records the X25519 key a trusted peer announced in a bundle signed with its trusted key. */
export function learnEncryptionKey(ctx: Ctx, installationId: string, publicKey: string, encryptionKey: string | undefined): void {
  if (encryptionKey === undefined || !isPublicKey(encryptionKey)) return;
  const known = getPeer(ctx, installationId);
  if (known && known.public_key === publicKey && known.encryption_key !== null && known.encryption_key !== encryptionKey) {
    auditKeyChange(ctx, known, 'encryption', boxFingerprint(known.encryption_key), boxFingerprint(encryptionKey));
  }
  ctx.db.prepare('UPDATE exchange_peers SET encryption_key = ? WHERE installation_id = ? AND public_key = ?').run(encryptionKey, installationId, publicKey);
}

export function removePeer(ctx: Ctx, installationId: string): boolean {
  return ctx.db.prepare('DELETE FROM exchange_peers WHERE installation_id = ?').run(installationId).changes > 0;
}

// --- publishers ------------------------------------------------------------------------------

export interface PublisherRow {
  public_key: string;
  fingerprint: string;
  name: string | null;
  accepted_at: string;
}

export function listPublishers(ctx: Ctx): PublisherRow[] {
  return ctx.db.prepare('SELECT * FROM exchange_publishers ORDER BY accepted_at').all() as PublisherRow[];
}

export function trustPublisher(ctx: Ctx, p: { publicKey: string; name?: string | null }): PublisherRow {
  if (!isPublicKey(p.publicKey)) throw new AppFailure('exchange.bad_key', { field: 'publicKey' });
  ctx.db
    .prepare(
      `INSERT INTO exchange_publishers (public_key, fingerprint, name, accepted_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(public_key) DO UPDATE SET name = COALESCE(excluded.name, exchange_publishers.name)`,
    )
    .run(p.publicKey, fingerprint(p.publicKey), p.name ?? null, new Date().toISOString());
  return ctx.db.prepare('SELECT * FROM exchange_publishers WHERE public_key = ?').get(p.publicKey) as PublisherRow;
}

export function removePublisher(ctx: Ctx, publicKey: string): boolean {
  return ctx.db.prepare('DELETE FROM exchange_publishers WHERE public_key = ?').run(publicKey).changes > 0;
}

// --- opening bundles with trust ----------------------------------------------------------------

/** Turns a bundle-layer refusal into the API's failure (same code and params). */
export function toFailure(err: unknown): unknown {
  if (isBundleError(err)) return new AppFailure(err.code, err.params);
  return err;
}

export interface OpenedBundle {
  reader: BundleReader;
  /**
   * The sender was not trusted before and the caller allowed trusting it (peer or publisher);
   * `keyChanged` when it is a known installation with another key (accepted by fingerprint).
   */
  newSender: { publicKey: string; installationId: string; name: string | null; fingerprint: string; keyChanged?: boolean; acceptKeyChange?: string } | null;
}

/**
 * Opens a bundle and checks trust by its kind: sync and referral answers from peers, catalogue
 * from publishers, backups from this installation's own key. `trustNew` accepts an unknown
 * sender (the caller records it, in its transaction). Refusals become AppFailure with the
 * bundle code; an unknown key carries its fingerprint. A known installation id arriving with
 * another key is `bundle.key_changed` (old and new fingerprint) unless `acceptKeyChange` names
 * the new key's fingerprint: trusting new senders is not enough to replace a known one's key.
 */
export async function openTrusted(
  ctx: Ctx,
  file: string,
  opts: { trustNew?: boolean; acceptKeyChange?: string; limits?: OpenBundleOptions['limits']; kinds?: readonly string[] } = {},
): Promise<OpenedBundle> {
  let newSender: OpenedBundle['newSender'] = null;
  let changedFrom: PeerRow | undefined;
  let wrongKind: string | null = null;
  const own = keyRow(ctx).public_key;
  const accepts = (fp: string): boolean => (opts.acceptKeyChange ?? '').replace(/\s/g, '').toUpperCase() === fp.replace(/\s/g, '');
  let reader: BundleReader;
  try {
    reader = await openBundle(file, {
      ...(opts.limits ? { limits: opts.limits } : {}),
      isTrusted: (publicKey, q) => {
        // A kind not importable here is refused before any question of trust: nobody should be
        // asked to trust a sender for a bundle that would be refused anyway.
        if (opts.kinds && !opts.kinds.includes(q.kind)) {
          wrongKind = q.kind;
          return false;
        }
        if (publicKey === own) return true;
        const known = getPeer(ctx, q.installationId);
        if (known !== undefined && known.public_key !== publicKey) {
          // A known laptop with another key: its own confirmation, whatever else is allowed.
          changedFrom = known;
          if (!accepts(q.fingerprint)) return false;
          newSender = { publicKey, installationId: q.installationId, name: q.name ?? null, fingerprint: q.fingerprint, keyChanged: true, acceptKeyChange: q.fingerprint };
          return true;
        }
        // The kind is not known to this callback; the manifest is read and verified by now, so
        // it is looked up through the trust stores: a key in either list may open the bundle,
        // and the kind-specific check below decides whether it may be used for this kind.
        if (peerByKey(ctx, publicKey) || ctx.db.prepare('SELECT 1 FROM exchange_publishers WHERE public_key = ?').get(publicKey)) return true;
        if (opts.trustNew) {
          newSender = { publicKey, installationId: q.installationId, name: q.name ?? null, fingerprint: q.fingerprint };
          return true;
        }
        return false;
      },
    });
  } catch (err) {
    if (wrongKind !== null) throw kindRefusal(wrongKind, opts.kinds!);
    if (isBundleError(err, 'bundle.untrusted_sender')) {
      if (changedFrom !== undefined) throw keyChangedFailure(changedFrom, { installationId: String(err.params.installationId), publicKey: String(err.params.publicKey), name: (err.params.name as string | null) ?? null });
      throw new AppFailure(err.code, { ...err.params, keyChanged: false });
    }
    throw toFailure(err);
  }
  const m = reader.manifest;
  if (opts.kinds && !opts.kinds.includes(m.kind)) {
    await reader.close();
    throw kindRefusal(m.kind, opts.kinds);
  }
  // Kind-specific trust: catalogue bundles only from publishers, the rest only from peers (or us).
  if (newSender === null && m.sender.publicKey !== own) {
    const isPublisher = ctx.db.prepare('SELECT 1 FROM exchange_publishers WHERE public_key = ?').get(m.sender.publicKey) !== undefined;
    const isPeer = peerByKey(ctx, m.sender.publicKey) !== undefined;
    const ok = m.kind === 'catalogue' ? isPublisher : isPeer;
    if (!ok) {
      await reader.close();
      if (opts.trustNew) {
        newSender = { publicKey: m.sender.publicKey, installationId: m.sender.installationId, name: m.sender.name ?? null, fingerprint: reader.fingerprint };
        return { reader: await reopen(file, opts.limits), newSender };
      }
      throw new AppFailure('bundle.untrusted_sender', {
        fingerprint: reader.fingerprint,
        publicKey: m.sender.publicKey,
        installationId: m.sender.installationId,
        name: m.sender.name ?? null,
        keyChanged: false,
      });
    }
  }
  return { reader, newSender };
}

/** The refusal of a bundle of a kind not accepted here (a backup is pointed to Restore). */
function kindRefusal(kind: string, accepted: readonly string[]): AppFailure {
  if (kind === 'backup') return new AppFailure('exchange.use_restore', { kind });
  return new AppFailure('exchange.wrong_kind', { kind, expected: accepted.join(', ') });
}

async function reopen(file: string, limits?: OpenBundleOptions['limits']): Promise<BundleReader> {
  try {
    return await openBundle(file, { ...(limits ? { limits } : {}), isTrusted: () => true });
  } catch (err) {
    throw toFailure(err);
  }
}

export { BundleError };
