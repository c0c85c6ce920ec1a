import path from 'node:path';
import type { Role } from '../../../shared/contract';
import { AppFailure } from '../../../shared/result';
import { t } from '../../core/i18n';
import type { Command, CommandContext } from '../command';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

async function newPassphrase(ctx: CommandContext): Promise<string> {
  const p = await ctx.secret('HTMP_NEW_PASSPHRASE', 'new-passphrase-file', 'auth:cli.newPassphrasePrompt');
  if (!p) throw new AppFailure('cli.bad_option', { option: '--new-passphrase-file' });
  return p;
}

async function userIdOf(ctx: CommandContext, login: string): Promise<string> {
  const users = await ctx.core().call('users.list', {});
  const u = users.find((x) => x.login === login.trim().normalize('NFC').toLowerCase());
  if (!u) throw new AppFailure('auth.unknown_user', { login });
  return u.id;
}

/** Users, the audit trail and the data key on the command line. */
export const authCommands: Command[] = [
  {
    name: 'user list',
    usage: 'htmp user list [--json]',
    summary: 'auth:cli.userList',
    maxArgs: 0,
    async run(ctx) {
      const users = await ctx.core().call('users.list', {});
      return {
        json: users,
        human: users.map((u) => `${u.login.padEnd(20)} ${t(ctx.lang, `auth:role.${u.role}`).padEnd(14)} ${u.disabled ? t(ctx.lang, 'auth:users.disabled') : ''} ${u.displayName}`).join('\n'),
      };
    },
  },
  {
    name: 'user add',
    usage: 'htmp user add LOGIN --name "FULL NAME" --role admin|secretary|viewer [--new-passphrase-file FILE] [--json]',
    summary: 'auth:cli.userAdd',
    options: { name: { type: 'string' }, role: { type: 'string' }, 'new-passphrase-file': { type: 'string' } },
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const role = str(ctx.options.role) ?? 'secretary';
      // The contract (zod schemas) loads when a command needs it, not at every start of the bin.
      const { ROLES } = await import('../../../shared/contract');
      if (!(ROLES as readonly string[]).includes(role)) throw new AppFailure('cli.bad_option', { option: `--role ${role}` });
      const name = str(ctx.options.name);
      if (!name) throw new AppFailure('cli.bad_option', { option: '--name' });
      const core = ctx.core();
      await core.call('users.list', {}); // signs in first (and sets up a new folder)
      const u = await core.call('users.add', { login: ctx.args[0]!, displayName: name, role: role as Role, passphrase: await newPassphrase(ctx) });
      return { json: u, human: t(ctx.lang, 'auth:cli.userAdded', { login: u.login, role: t(ctx.lang, `auth:role.${u.role}`) }) };
    },
  },
  {
    name: 'user disable',
    usage: 'htmp user disable LOGIN [--json]',
    summary: 'auth:cli.userDisable',
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const u = await ctx.core().call('users.disable', { userId: await userIdOf(ctx, ctx.args[0]!) });
      return { json: u, human: t(ctx.lang, 'auth:cli.userDisabled', { login: u.login }) };
    },
  },
  {
    name: 'user passwd',
    usage: 'htmp user passwd [LOGIN] [--new-passphrase-file FILE] [--json]',
    summary: 'auth:cli.userPasswd',
    options: { 'new-passphrase-file': { type: 'string' } },
    maxArgs: 1,
    async run(ctx) {
      const creds = await ctx.credentials();
      if (!creds) throw new AppFailure('auth.required');
      const core = ctx.core();
      const me = await core.call('auth.status', {});
      void me;
      const target = ctx.args[0];
      if (target !== undefined && target.trim().toLowerCase() !== creds.login.trim().toLowerCase()) {
        // Another user's passphrase: an admin's reset, confirmed with the admin's own passphrase.
        const userId = await userIdOf(ctx, target);
        const u = await core.call('users.reset', { userId, newPassphrase: await newPassphrase(ctx), adminPassphrase: creds.passphrase });
        return { json: u, human: t(ctx.lang, 'auth:cli.userReset', { login: u.login }) };
      }
      const next = await newPassphrase(ctx);
      const s = await core.call('auth.changePassphrase', { current: creds.passphrase, next });
      return { json: { login: s.user?.login ?? creds.login, changed: true }, human: t(ctx.lang, 'auth:cli.passphraseChanged') };
    },
  },
  {
    name: 'audit list',
    usage: 'htmp audit list [--by LOGIN] [--iin IIN] [--from DATE] [--to DATE] [--action ACTION] [--limit N] [--json]',
    summary: 'auth:cli.auditList',
    options: { by: { type: 'string' }, iin: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, action: { type: 'string' }, limit: { type: 'string' } },
    maxArgs: 0,
    async run(ctx) {
      const o = ctx.options;
      const action = str(o.action);
      const { AUDIT_ACTIONS } = await import('../../../shared/contract/access');
      if (action && !(AUDIT_ACTIONS as readonly string[]).includes(action)) throw new AppFailure('cli.bad_option', { option: `--action ${action}` });
      const limit = str(o.limit) ? Number(o.limit) : 200;
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new AppFailure('cli.bad_option', { option: '--limit' });
      const by = str(o.by);
      const r = await ctx.core().call('audit.list', {
        ...(by ? { userId: await userIdOf(ctx, by) } : {}),
        ...(str(o.iin) ? { iin: str(o.iin)! } : {}),
        ...(str(o.from) ? { from: str(o.from)! } : {}),
        ...(str(o.to) ? { to: str(o.to)! } : {}),
        ...(action ? { action } : {}),
        limit,
      });
      return {
        json: r.rows,
        human: r.rows.map((x) => `${String(x.seq).padStart(6)} ${x.at} ${(x.userName ?? '-').padEnd(14)} ${x.action.padEnd(22)} ${x.patientIin ?? ''} ${x.outcome === 'ok' ? '' : x.outcome}`).join('\n'),
      };
    },
  },
  {
    name: 'audit verify',
    usage: 'htmp audit verify [--json]',
    summary: 'auth:cli.auditVerify',
    maxArgs: 0,
    async run(ctx) {
      const r = await ctx.core().call('audit.verify', {});
      if (!r.ok) throw new AppFailure('audit.broken', { seq: r.brokenAt ?? 0, reason: r.reason ?? 'altered', rows: r.rows });
      return { json: r, human: t(ctx.lang, 'auth:cli.auditOk', { rows: r.rows }) };
    },
  },
  {
    name: 'db rekey',
    usage: 'htmp db rekey [--json]',
    summary: 'auth:cli.dbRekey',
    maxArgs: 0,
    async run(ctx) {
      const creds = await ctx.credentials();
      if (!creds) throw new AppFailure('auth.required');
      const r = await ctx.core().call('db.rekey', { passphrase: creds.passphrase });
      return { json: r, human: t(ctx.lang, 'auth:cli.rekeyed', { files: r.files }) };
    },
  },
];

export { path };
