import type { Lang, Settings } from '../../../shared/contract';
import type { Command } from '../command';
import { t } from '../../core/i18n';

export const dbCommands: Command[] = [
  {
    name: 'db info',
    usage: 'htmp db info [--json]',
    summary: 'cli:commands.dbInfo',
    maxArgs: 0,
    async run(ctx) {
      const info = await ctx.core().call('db.info', {});
      return {
        json: info,
        human: [
          `${t(ctx.lang, 'cli:db.path')}: ${info.path}`,
          `${t(ctx.lang, 'cli:db.schema')}: ${info.schemaVersion} / ${info.latestSchemaVersion}`,
          `${t(ctx.lang, 'cli:db.size')}: ${info.sizeBytes} B (WAL ${info.walBytes} B)`,
          `${t(ctx.lang, 'cli:db.installation')}: ${info.installationId}`,
          ...info.tables.map((x) => `  ${x.name}: ${x.rows}`),
        ].join('\n'),
      };
    },
  },
  {
    name: 'db check',
    usage: 'htmp db check [--json]',
    summary: 'cli:commands.dbCheck',
    maxArgs: 0,
    async run(ctx) {
      const r = await ctx.core().call('db.check', {});
      const files = r.files.problems.map((p) =>
        t(ctx.lang, p.status === 'missing' ? 'cli:db.fileMissing' : 'cli:db.fileDamaged', { sha256: p.sha256, cases: p.cases.join(', ') || '—' }),
      );
      const db = r.integrity.length === 1 && r.integrity[0] === 'ok' && r.foreignKeyViolations === 0;
      return {
        json: r,
        human: r.ok
          ? `${t(ctx.lang, 'cli:db.checkOk')}\n${t(ctx.lang, 'cli:db.filesOk', { count: r.files.checked })}`
          : [t(ctx.lang, 'cli:db.checkFailed'), ...(db ? [] : r.integrity), ...files].join('\n'),
      };
    },
  },
  {
    name: 'settings show',
    usage: 'htmp settings show [--json]',
    summary: 'cli:commands.settingsShow',
    maxArgs: 0,
    async run(ctx) {
      const s = await ctx.core().call('settings.get', {});
      return { json: s, human: settingsText(ctx.lang, s) };
    },
  },
  {
    name: 'settings set',
    usage: 'htmp settings set [--commission-name TEXT] [--authority-name TEXT] [--language kk|ru] [--json]',
    summary: 'cli:commands.settingsSet',
    options: { 'commission-name': { type: 'string' }, 'authority-name': { type: 'string' }, language: { type: 'string' } },
    maxArgs: 0,
    async run(ctx) {
      const o = ctx.options;
      const s = await ctx.core().call('settings.update', {
        ...(typeof o['commission-name'] === 'string' ? { commissionName: o['commission-name'] } : {}),
        ...(typeof o['authority-name'] === 'string' ? { authorityName: o['authority-name'] } : {}),
        ...(typeof o.language === 'string' ? { language: o.language as Lang } : {}),
      });
      return { json: s, human: settingsText(ctx.lang, s) };
    },
  },
];

function settingsText(lang: Lang, s: Settings): string {
  return [
    `${t(lang, 'common:settings.commissionName')}: ${s.commissionName}`,
    `${t(lang, 'common:settings.authorityName')}: ${s.authorityName}`,
    `${t(lang, 'common:language.label')}: ${t(lang, `common:language.${s.language}`)}`,
  ].join('\n');
}
