import path from 'node:path';
import { AppFailure } from '../../../shared/result';
import { t } from '../../core/i18n';
import type { Command } from '../command';

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
    usage: 'htmp backup create --out FILE [--json]',
    summary: 'exchange:cli.backupCreate',
    options: { out: { type: 'string' } },
    maxArgs: 0,
    async run(ctx) {
      const out = path.resolve(required(ctx.options.out, '--out'));
      const r = await ctx.core().call('exchange.backup', { out });
      return {
        json: { file: r.file, sha256: r.sha256, bytes: r.bytes, files: r.files, verified: r.verified },
        human: t(ctx.lang, 'exchange:cli.backupDone', { file: r.file, files: r.files, sha256: r.sha256 }),
      };
    },
  },
  {
    name: 'backup restore',
    usage: 'htmp backup restore FILE --data-dir DIR [--force] [--json]',
    summary: 'exchange:cli.backupRestore',
    options: { force: { type: 'boolean' } },
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      // Never opens a core on the target: the folder must stay empty until the restore is complete.
      const [{ restoreBackup }, { standaloneJob }] = await Promise.all([import('../../core/exchange/backup'), import('../../core/exchange/jobs')]);
      const r = await restoreBackup({ file: path.resolve(ctx.args[0]!), dataDir: ctx.dataDir, force: ctx.options.force === true, job: standaloneJob('restore') });
      return {
        json: { dataDir: r.dataDir, installationId: r.installationId, files: r.files, integrity: r.integrity, replaced: r.replaced },
        human: t(ctx.lang, 'exchange:cli.restored', { dataDir: r.dataDir, files: r.files }),
      };
    },
  },
];
