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
      return { json: r, human: r.ok ? t(ctx.lang, 'cli:db.checkOk') : `${t(ctx.lang, 'cli:db.checkFailed')}\n${r.integrity.join('\n')}` };
    },
  },
];
