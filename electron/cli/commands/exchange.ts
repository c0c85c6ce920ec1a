import path from 'node:path';
import { AppFailure } from '../../../shared/result';
import { t } from '../../core/i18n';
import type { Command } from '../command';

const stripUndefined = <T extends Record<string, unknown>>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function required(v: unknown, option: string): string {
  const s = str(v);
  if (s === undefined || s === '') throw new AppFailure('cli.bad_option', { option });
  return s;
}

/** The exchange area's CLI commands: bundles (export, verify, import), backup and restore, trust. */
export const exchangeCommands: Command[] = [
  {
    name: 'bundle export',
    usage: 'htmp bundle export --kind referral|sync|backup --out FILE [--peer ID] [--json]',
    summary: 'exchange:cli.export',
    options: { kind: { type: 'string' }, out: { type: 'string' }, peer: { type: 'string' } },
    maxArgs: 0,
    async run(ctx) {
      const kind = required(ctx.options.kind, '--kind');
      if (kind !== 'referral' && kind !== 'sync' && kind !== 'backup') throw new AppFailure('cli.bad_option', { option: `--kind ${kind}` });
      const out = path.resolve(required(ctx.options.out, '--out'));
      const peer = str(ctx.options.peer);
      const r = await ctx.core().call('exchange.export', { kind, out, ...(peer !== undefined ? { peer } : {}) });
      return {
        json: { file: r.file, kind: r.kind, records: r.records, attachments: r.attachments, sha256: r.sha256 },
        human: t(ctx.lang, 'exchange:cli.exported', { file: r.file, records: r.records, attachments: r.attachments, sha256: r.sha256 }),
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
      return {
        json: { valid: r.valid, kind: r.kind, errors: r.errors, bundleId: r.bundleId, sender: r.sender, trusted: r.trusted, entries: r.entries },
        human: r.valid
          ? t(ctx.lang, 'exchange:cli.valid', { kind: r.kind ?? '', fingerprint: r.sender?.fingerprint ?? '' })
          : [t(ctx.lang, 'exchange:cli.invalid'), ...r.errors.map((e) => `  ${e.code}: ${t(ctx.lang, `exchange:errors.${e.code}`, e)}`)].join('\n'),
      };
    },
  },
  {
    name: 'bundle import',
    usage: 'htmp bundle import FILE [--dry-run] [--trust-new-peer] [--json]',
    summary: 'exchange:cli.import',
    options: { 'dry-run': { type: 'boolean' }, 'trust-new-peer': { type: 'boolean' } },
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const r = await ctx.core().call('exchange.import', {
        file: path.resolve(ctx.args[0]!),
        dryRun: ctx.options['dry-run'] === true,
        trustNewPeer: ctx.options['trust-new-peer'] === true,
      });
      return {
        json: { imported: r.imported, unchanged: r.unchanged, conflicts: r.conflicts },
        human: t(ctx.lang, r.dryRun ? 'exchange:cli.importedDry' : 'exchange:cli.imported', { imported: r.imported, unchanged: r.unchanged, conflicts: r.conflicts, refused: r.refused }),
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
      return { json: r, human: `${r.installationId}\n${r.fingerprint}\n${r.publicKey}` };
    },
  },
  {
    name: 'bundle peers',
    usage: 'htmp bundle peers [--json]',
    summary: 'exchange:cli.peers',
    maxArgs: 0,
    async run(ctx) {
      const r = await ctx.core().call('exchange.peers', {});
      return { json: r, human: r.map((p) => `${p.installationId}  ${p.fingerprint}  ${p.name ?? ''}`).join('\n') };
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
