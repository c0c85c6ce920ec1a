import { z } from 'zod';
import { lazySchemas } from './lazy';

/** The exchange area's API: bundles (sync, backup, catalogue, referral), trust, conflicts, jobs. */

const jobId = z.string().min(1).max(100).optional();
const path = z.string().min(1).max(4096);
const key = z.string().min(40).max(60);

export const EXPORT_KINDS = ['sync', 'backup', 'referral'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export interface ExchangeIdentity {
  installationId: string;
  /** Ed25519 key that signs this installation's bundles, and its fingerprint. */
  publicKey: string;
  fingerprint: string;
  name: string;
  /** X25519 key sync bundles for this installation are encrypted to, and its fingerprint (`--for`). */
  encryptionKey: string;
  encryptionFingerprint: string;
}

export interface PeerView {
  installationId: string;
  publicKey: string;
  fingerprint: string;
  name: string | null;
  acceptedAt: string;
  ackedSeq: number;
  receivedSeq: number;
  lastImportAt: string | null;
  lastExportAt: string | null;
  /** Local changes the peer has not acknowledged yet (what the next bundle would carry at most). */
  pending: number;
  /** The peer's encryption key (learnt from its 2.0 bundles); null: no encrypted bundle for it yet. */
  encryptionKey: string | null;
  encryptionFingerprint: string | null;
  /** Every replacement of this peer's signing key, oldest first (from the change log). */
  keyChanges: { at: string; previousFingerprint: string; fingerprint: string }[];
}

export interface PublisherView {
  publicKey: string;
  fingerprint: string;
  name: string | null;
  acceptedAt: string;
}

export interface ExportView {
  file: string;
  /** File name in the outgoing folder (for `exchange.download`), or null when written elsewhere. */
  name: string | null;
  kind: ExportKind;
  bundleId: string;
  records: number;
  attachments: number;
  sha256: string;
  bytes: number;
  missingFiles?: string[];
  /** Referral bundles: how the printable index was made. */
  index?: 'pdf' | 'html';
  /** Sync bundles: encrypted to these installations (false: an introduction, keys only). */
  encrypted?: boolean;
  recipients?: { installationId: string; name: string | null; fingerprint: string }[];
}

export interface ImportView {
  kind: string;
  bundleId: string;
  imported: number;
  unchanged: number;
  conflicts: number;
  refused: number;
  attachments: number;
  dryRun: boolean;
  alreadyImported: boolean;
  sender: { installationId: string; name: string | null; fingerprint: string; trustedNow: boolean };
  warnings: { code: string; params?: Record<string, string | number | boolean | null> }[];
  /** Catalogue updates: the editions (ids) the update adds and removes. */
  editions?: { added: string[]; removed: string[] };
}

export interface VerifyView {
  valid: boolean;
  kind: string | null;
  bundleId: string | null;
  createdAt: string | null;
  sender: { installationId: string; name: string | null; fingerprint: string } | null;
  trusted: boolean;
  entries: number;
  errors: { code: string; [param: string]: string | number | boolean | null }[];
}

export interface ConflictView {
  id: string;
  changeId: string;
  kind: 'field' | 'locked' | 'deleted' | 'delete' | 'issued';
  table: string;
  recordId: string;
  field: string;
  base: string | number | null;
  local: string | number | null;
  remote: string | number | null;
  localBy: { installationId: string | null; name: string | null; at: string | null };
  remoteBy: { installationId: string; name: string | null; at: string };
  bundleId: string;
  status: 'open' | 'resolved';
  resolution: string | null;
  resolvedAt: string | null;
  createdAt: string;
}

export interface BackupView {
  file: string;
  name: string | null;
  bundleId: string;
  sha256: string;
  bytes: number;
  files: number;
  verified: { integrity: string; files: number };
}

export interface RestoreView {
  dataDir: string;
  installationId: string;
  files: number;
  integrity: string;
  replaced: string | null;
}

export interface CatalogueDiffView {
  bundleId: string;
  publisher: { fingerprint: string; name: string | null; trustedNow: boolean };
  alreadyApplied: boolean;
  /** The bundle's own date (catalogue updates only move forward). */
  createdAt: string;
  /** Edition ids the update adds, and removes (loaded now, absent from the update). */
  editionsAdded: string[];
  editionsRemoved: string[];
  /**
   * Not a step forward: older than (or as old as) the update applied last, removes editions, or
   * changes nothing. Applying it needs `allowRollback` (`--allow-rollback`, a confirmation).
   */
  rollback: { reason: 'older' | 'equal' | 'removes_editions'; appliedCreatedAt: string | null } | null;
  editions: { id: string; status: 'added' | 'changed' | 'same'; added: number; removed: number; renamed: number; sample: { section: number; code: string; change: 'added' | 'removed' | 'renamed'; before?: string; after?: string }[] }[];
  characteristics: { status: 'added' | 'changed' | 'same' | 'absent'; added: number; removed: number; changed: number; codes: string[] };
  calendar: { status: 'added' | 'changed' | 'same' | 'absent'; years: { year: number; status: 'added' | 'changed' | 'same' }[] };
}

export interface CatalogueStateView {
  current: { bundleId: string; appliedAt: string; summary: string } | null;
  history: { bundleId: string; appliedAt: string; status: string; summary: string }[];
  dir: string;
}

export interface ReferralAnswerView {
  updated: number;
  unknown: string[];
  unchanged: number;
  errors: { line: number; code: string }[];
}

/** A backup passphrase: like a user's, at least 10 characters. */
const backupPassphrase = z.string().min(10).max(1024);

export const exchangeSchemas = lazySchemas(['exchange', 'shell'], () => ({
  'exchange.identity': z.object({}).strict(),
  'exchange.peers': z.object({}).strict(),
  'exchange.trustPeer': z
    .object({
      installationId: z.string().min(1).max(128),
      publicKey: key,
      name: z.string().max(200).nullable().optional(),
      encryptionKey: key.optional(),
      /** The NEW key's fingerprint, to replace the key of a known peer (its own confirmation). */
      acceptKeyChange: z.string().max(64).optional(),
    })
    .strict(),
  'exchange.removePeer': z.object({ installationId: z.string().min(1).max(128) }).strict(),
  'exchange.publishers': z.object({}).strict(),
  'exchange.trustPublisher': z.object({ publicKey: key, name: z.string().max(200).nullable().optional() }).strict(),
  'exchange.removePublisher': z.object({ publicKey: key }).strict(),
  'exchange.export': z
    .object({
      kind: z.enum(EXPORT_KINDS),
      peer: z.string().min(1).max(128).optional(),
      /** Sync: fingerprints of the receiving installations (`bundle identity`); the bundle is encrypted to them. */
      for: z.array(z.string().min(1).max(64)).max(64).optional(),
      /** Sync without recipients: this installation's keys and acknowledgements only (no patient data). */
      introduce: z.boolean().optional(),
      out: path.optional(),
      caseIds: z.array(z.string().min(1).max(100)).max(10_000).optional(),
      jobId,
      passphrase: backupPassphrase.optional(),
    })
    .strict(),
  'exchange.verify': z.object({ file: path.optional(), uploadId: z.string().uuid().optional() }).strict(),
  'exchange.import': z
    .object({
      file: path.optional(),
      uploadId: z.string().uuid().optional(),
      dryRun: z.boolean().optional(),
      trustNewPeer: z.boolean().optional(),
      /** The new key's fingerprint when a known laptop arrives with another key. */
      acceptKeyChange: z.string().max(64).optional(),
      /** Catalogue bundles: apply even when it is not a step forward (editions removed, older). */
      allowRollback: z.boolean().optional(),
      jobId,
    })
    .strict(),
  'exchange.cancel': z.object({ jobId: z.string().min(1).max(100) }).strict(),
  'exchange.jobs': z.object({}).strict(),
  'exchange.conflicts': z.object({ status: z.enum(['open', 'resolved']).optional() }).strict(),
  'exchange.resolve': z.object({ id: z.string().min(1).max(100), choice: z.enum(['local', 'remote']) }).strict(),
  /** `passphrase`: a backup passphrase that can restore it on a new laptop (besides the recovery key). */
  'exchange.backup': z.object({ out: path.optional(), jobId, passphrase: backupPassphrase.optional() }).strict(),
  'exchange.restore': z
    .object({ file: path.optional(), uploadId: z.string().uuid().optional(), dataDir: path, force: z.boolean().optional(), trustBackupKey: z.string().min(8).max(100).optional(), jobId, recoveryKey: z.string().min(20).max(80).optional(), backupPassphrase: z.string().min(1).max(1024).optional() })
    .strict(),
  'exchange.cataloguePreview': z.object({ file: path.optional(), uploadId: z.string().uuid().optional(), trustNewPublisher: z.boolean().optional() }).strict(),
  'exchange.catalogueApply': z.object({ file: path.optional(), uploadId: z.string().uuid().optional(), trustNewPublisher: z.boolean().optional(), allowRollback: z.boolean().optional() }).strict(),
  'exchange.catalogueRestore': z.object({}).strict(),
  'exchange.catalogueState': z.object({}).strict(),
  'exchange.referralAnswer': z.object({ file: path.optional(), uploadId: z.string().uuid().optional(), text: z.string().max(20_000_000).optional() }).strict(),
  /** Web host upload: base64 chunks appended in order (offset = bytes already sent). */
  'exchange.upload': z.object({ uploadId: z.string().uuid().optional(), offset: z.number().int().min(0), data: z.string().max(12 * 1024 * 1024), done: z.boolean().optional() }).strict(),
  /** Web host download of an exported file from the outgoing folder, in base64 chunks. */
  'exchange.download': z.object({ name: z.string().min(1).max(255), offset: z.number().int().min(0), length: z.number().int().min(1).max(8 * 1024 * 1024) }).strict(),
  /**
   * Electron: saves an exported file of the outgoing folder where the user chooses in the native
   * save dialog (answered by the main process, which streams it through `exchange.download`). The
   * page names the file by its outgoing name only, never a path; other hosts download instead.
   */
  'shell.saveFile': z.object({ name: z.string().min(1).max(255) }).strict(),
}));

type A<M extends keyof typeof exchangeSchemas> = z.infer<(typeof exchangeSchemas)[M]>;

export interface ExchangeMethods {
  'exchange.identity': { args: A<'exchange.identity'>; result: ExchangeIdentity };
  'exchange.peers': { args: A<'exchange.peers'>; result: PeerView[] };
  'exchange.trustPeer': { args: A<'exchange.trustPeer'>; result: PeerView };
  'exchange.removePeer': { args: A<'exchange.removePeer'>; result: { removed: boolean } };
  'exchange.publishers': { args: A<'exchange.publishers'>; result: PublisherView[] };
  'exchange.trustPublisher': { args: A<'exchange.trustPublisher'>; result: PublisherView };
  'exchange.removePublisher': { args: A<'exchange.removePublisher'>; result: { removed: boolean } };
  'exchange.export': { args: A<'exchange.export'>; result: ExportView };
  'exchange.verify': { args: A<'exchange.verify'>; result: VerifyView };
  'exchange.import': { args: A<'exchange.import'>; result: ImportView };
  'exchange.cancel': { args: A<'exchange.cancel'>; result: { cancelled: boolean } };
  'exchange.jobs': { args: A<'exchange.jobs'>; result: { running: { jobId: string; kind: string; startedAt: string }[]; recent: { id: string; kind: string; direction: string; status: string; file: string | null; records: number; attachments: number; finishedAt: string }[] } };
  'exchange.conflicts': { args: A<'exchange.conflicts'>; result: ConflictView[] };
  'exchange.resolve': { args: A<'exchange.resolve'>; result: ConflictView };
  'exchange.backup': { args: A<'exchange.backup'>; result: BackupView };
  'exchange.restore': { args: A<'exchange.restore'>; result: RestoreView };
  'exchange.cataloguePreview': { args: A<'exchange.cataloguePreview'>; result: CatalogueDiffView };
  'exchange.catalogueApply': { args: A<'exchange.catalogueApply'>; result: CatalogueDiffView & { applied: boolean } };
  'exchange.catalogueRestore': { args: A<'exchange.catalogueRestore'>; result: CatalogueStateView };
  'exchange.catalogueState': { args: A<'exchange.catalogueState'>; result: CatalogueStateView };
  'exchange.referralAnswer': { args: A<'exchange.referralAnswer'>; result: ReferralAnswerView };
  'exchange.upload': { args: A<'exchange.upload'>; result: { uploadId: string; size: number } };
  'exchange.download': { args: A<'exchange.download'>; result: { data: string; size: number; eof: boolean } };
  'shell.saveFile': { args: A<'shell.saveFile'>; result: { saved: boolean } };
}

