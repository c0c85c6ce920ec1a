import path from 'node:path';
import { AppFailure } from '../../../shared/result';
import { t, translateError } from '../../core/i18n';
import type { Command } from '../command';

const stripUndefined = <T extends Record<string, unknown>>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);
/** Text a bundle's sender chose (a name): printed with control and bidi characters shown as escapes. */
const shown = (text: string | null | undefined): string =>
  // eslint-disable-next-line no-control-regex
  (text ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function required(v: unknown, option: string): string {
  const s = str(v);
  if (s === undefined || s === '') throw new AppFailure('cli.bad_option', { option });
  return s;
}

/** The exchange area's CLI commands: bundles (export, verify, import), backup and restore, trust. */
export const exchangeCommands: Command[] = [
  {
    name: 'bundle export',
    usage: 'htmp bundle export --kind referral|sync|backup --out FILE [--for FINGERPRINT]... [--peer ID] [--introduce] [--json]',
    summary: 'exchange:cli.export',
    options: { kind: { type: 'string' }, out: { type: 'string' }, peer: { type: 'string' }, for: { type: 'string', multiple: true }, introduce: { type: 'boolean' } },
    maxArgs: 0,
    async run(ctx) {
      const kind = required(ctx.options.kind, '--kind');
      if (kind !== 'referral' && kind !== 'sync' && kind !== 'backup') throw new AppFailure('cli.bad_option', { option: `--kind ${kind}` });
      const out = path.resolve(required(ctx.options.out, '--out'));
      const peer = str(ctx.options.peer);
      const recipients = list(ctx.options.for);
      const introduce = ctx.options.introduce === true;
      if (kind !== 'sync' && (recipients.length > 0 || introduce)) throw new AppFailure('cli.bad_option', { option: recipients.length > 0 ? '--for' : '--introduce' });
      const r = await ctx.core().call('exchange.export', {
        kind,
        out,
        ...(peer !== undefined ? { peer } : {}),
        ...(recipients.length > 0 ? { for: recipients } : {}),
        ...(introduce ? { introduce } : {}),
      });
      const sync = r.kind === 'sync' ? { encrypted: r.encrypted === true, recipients: r.recipients ?? [] } : {};
      const whom = (r.recipients ?? []).map((x) => `${shown(x.name) || x.installationId} (${x.fingerprint})`).join(', ');
      return {
        json: { file: r.file, kind: r.kind, records: r.records, attachments: r.attachments, sha256: r.sha256, ...sync },
        human: [
          t(ctx.lang, 'exchange:cli.exported', { file: r.file, records: r.records, attachments: r.attachments, sha256: r.sha256 }),
          ...(r.kind === 'sync' ? [r.encrypted ? t(ctx.lang, 'exchange:cli.encryptedFor', { recipients: whom }) : t(ctx.lang, 'exchange:cli.introduction')] : []),
          ...(r.kind === 'referral' ? [t(ctx.lang, 'exchange:cli.referralPlain')] : []),
        ].join('\n'),
      };
    },
  },
  {
    name: 'bundle verify',
    usage: 'htmp bundle verify FILE [--json]',
    summary: 'exchange:cli.verify',
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const r = await ctx.core().call('exchange.verify', { file: path.resolve(ctx.args[0]!) });
      const report = { valid: r.valid, kind: r.kind, errors: r.errors, bundleId: r.bundleId, sender: r.sender, trusted: r.trusted, entries: r.entries };
      if (r.valid) return { json: report, human: t(ctx.lang, 'exchange:cli.valid', { kind: r.kind ?? '', fingerprint: r.sender?.fingerprint ?? '' }) };
      // Not valid: exit 2, and the JSON leads with the usual error envelope (the first refusal).
      const { code, ...params } = r.errors[0]!;
      const error = { code, message: translateError(ctx.lang, { code, params }), params };
      return {
        json: { error, ...report },
        human: [t(ctx.lang, 'exchange:cli.invalid'), ...r.errors.map((e) => `  ${e.code}: ${translateError(ctx.lang, { code: e.code, params: e })}`)].join('\n'),
        exitCode: 2,
      };
    },
  },
  {
    name: 'bundle import',
    usage: 'htmp bundle import FILE [--dry-run] [--trust-new-peer] [--accept-key-change FINGERPRINT] [--allow-rollback] [--json]',
    summary: 'exchange:cli.import',
    options: { 'dry-run': { type: 'boolean' }, 'trust-new-peer': { type: 'boolean' }, 'accept-key-change': { type: 'string' }, 'allow-rollback': { type: 'boolean' } },
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const accept = str(ctx.options['accept-key-change']);
      const r = await ctx.core().call('exchange.import', {
        file: path.resolve(ctx.args[0]!),
        dryRun: ctx.options['dry-run'] === true,
        trustNewPeer: ctx.options['trust-new-peer'] === true,
        ...(accept !== undefined ? { acceptKeyChange: accept } : {}),
        ...(ctx.options['allow-rollback'] === true ? { allowRollback: true } : {}),
      });
      const editions = r.editions;
      return {
        json: { imported: r.imported, unchanged: r.unchanged, conflicts: r.conflicts, ...(editions ? { editions } : {}) },
        human: [
          t(ctx.lang, r.dryRun ? 'exchange:cli.importedDry' : 'exchange:cli.imported', { imported: r.imported, unchanged: r.unchanged, conflicts: r.conflicts, refused: r.refused }),
          ...(editions ? [t(ctx.lang, 'exchange:cli.editions', { added: editions.added.join(', ') || '—', removed: editions.removed.join(', ') || '—' })] : []),
          ...r.warnings.map((w) => translateError(ctx.lang, { code: w.code, ...(w.params ? { params: w.params } : {}) })),
        ].join('\n'),
      };
    },
  },
  {
    name: 'bundle identity',
    usage: 'htmp bundle identity [--json]',
    summary: 'exchange:cli.identity',
    maxArgs: 0,
    async run(ctx) {
      const r = await ctx.core().call('exchange.identity', {});
      return {
        json: r,
        human: [
          `${t(ctx.lang, 'exchange:cli.installation')}: ${r.installationId}`,
          `${t(ctx.lang, 'exchange:cli.signingFingerprint')}: ${r.fingerprint}`,
          `${t(ctx.lang, 'exchange:cli.encryptionFingerprint')}: ${r.encryptionFingerprint}`,
        ].join('\n'),
      };
    },
  },
  {
    name: 'bundle peers',
    usage: 'htmp bundle peers [--json]',
    summary: 'exchange:cli.peers',
    maxArgs: 0,
    async run(ctx) {
      const r = await ctx.core().call('exchange.peers', {});
      return {
        json: r,
        human: r
          .map((p) =>
            [
              `${p.installationId}  ${p.fingerprint}  ${shown(p.name)}`,
              `  ${t(ctx.lang, 'exchange:cli.encryptionFingerprint')}: ${p.encryptionFingerprint ?? '—'}`,
              ...p.keyChanges.map((k) => `  ${t(ctx.lang, 'exchange:cli.keyChanged', { at: k.at, from: k.previousFingerprint, to: k.fingerprint })}`),
            ].join('\n'),
          )
          .join('\n'),
      };
    },
  },
  {
    name: 'backup create',
    usage: 'htmp backup create --out FILE [--backup-passphrase-file FILE] [--json]',
    summary: 'exchange:cli.backupCreate',
    options: { out: { type: 'string' }, 'backup-passphrase-file': { type: 'string' } },
    maxArgs: 0,
    async run(ctx) {
      const out = path.resolve(required(ctx.options.out, '--out'));
      // A backup passphrase (besides the recovery key) only when asked for: file or HTMP_BACKUP_PASSPHRASE.
      const passphrase = typeof ctx.options['backup-passphrase-file'] === 'string' || ctx.env.HTMP_BACKUP_PASSPHRASE ? await ctx.secret('HTMP_BACKUP_PASSPHRASE', 'backup-passphrase-file', 'auth:cli.backupPassphrasePrompt') : null;
      const r = await ctx.core().call('exchange.backup', { out, ...(passphrase ? { passphrase } : {}) });
      return {
        json: { file: r.file, sha256: r.sha256, bytes: r.bytes, files: r.files, verified: r.verified },
        human: t(ctx.lang, 'exchange:cli.backupDone', { file: r.file, files: r.files, sha256: r.sha256 }),
      };
    },
  },
  {
    name: 'backup restore',
    usage: 'htmp backup restore FILE --data-dir DIR [--recovery-key-file FILE | --backup-passphrase-file FILE] [--trust-backup-key FINGERPRINT] [--force] [--json]',
    summary: 'exchange:cli.backupRestore',
    options: { force: { type: 'boolean' }, 'recovery-key-file': { type: 'string' }, 'backup-passphrase-file': { type: 'string' }, 'trust-backup-key': { type: 'string' } },
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      // The secret that opens an encrypted backup: the recovery key (file or HTMP_RECOVERY_KEY) or the backup passphrase.
      const usePassphrase = typeof ctx.options['backup-passphrase-file'] === 'string' || (!ctx.env.HTMP_RECOVERY_KEY && typeof ctx.options['recovery-key-file'] !== 'string' && ctx.env.HTMP_BACKUP_PASSPHRASE);
      const secret = usePassphrase
        ? { backupPassphrase: (await ctx.secret('HTMP_BACKUP_PASSPHRASE', 'backup-passphrase-file', 'auth:cli.backupPassphrasePrompt')) ?? undefined }
        : typeof ctx.options['recovery-key-file'] === 'string' || ctx.env.HTMP_RECOVERY_KEY
          ? { recoveryKey: (await ctx.secret('HTMP_RECOVERY_KEY', 'recovery-key-file', 'auth:cli.recoveryKeyPrompt'))?.trim() ?? undefined }
          : {};
      // Through the target folder's own core: a folder without users takes it (a new laptop); a
      // set-up one only from its signed-in admin with --force. The core refuses while the folder
      // is open anywhere else, and a backup of another installation without its confirmed fingerprint.
      const trust = str(ctx.options['trust-backup-key']);
      const r = await ctx.core().call('auth.restore', {
        file: path.resolve(ctx.args[0]!),
        ...stripUndefined(secret),
        ...(ctx.options.force === true ? { force: true } : {}),
        ...(trust !== undefined ? { trustBackupKey: trust } : {}),
      });
      return {
        json: { dataDir: ctx.dataDir, installationId: r.installationId, files: r.files, replaced: r.replaced, state: r.state },
        human: t(ctx.lang, 'exchange:cli.restored', { dataDir: ctx.dataDir, files: r.files }),
      };
    },
  },
];
