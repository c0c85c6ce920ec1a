import path from 'node:path';
import type { Lang, Settings, StandingMember } from '../../../shared/contract';
import { AppFailure } from '../../../shared/result';
import { readJsonFile, type Command } from '../command';
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
    usage:
      'htmp settings set [--commission-name-kk TEXT] [--commission-name-ru TEXT] [--authority-name-kk TEXT] [--authority-name-ru TEXT] [--commission-name TEXT] [--authority-name TEXT] [--language kk|ru] [--json]',
    summary: 'cli:commands.settingsSet',
    options: {
      'commission-name-kk': { type: 'string' },
      'commission-name-ru': { type: 'string' },
      'authority-name-kk': { type: 'string' },
      'authority-name-ru': { type: 'string' },
      'commission-name': { type: 'string' },
      'authority-name': { type: 'string' },
      language: { type: 'string' },
    },
    maxArgs: 0,
    async run(ctx) {
      const o = ctx.options;
      const str = (k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
      // The single-language flags name the commission in the interface language of this command
      // (--lang, HTMP_LANG, Kazakh by default); the -kk / -ru flags say it explicitly and win.
      const suffix = ctx.lang === 'ru' ? 'Ru' : 'Kk';
      const names: Record<string, string> = {};
      for (const [flag, key] of [['commission-name', 'commissionName'], ['authority-name', 'authorityName']] as const) {
        const single = str(flag);
        if (single !== undefined) names[`${key}${suffix}`] = single;
        for (const [l, k] of [['kk', 'Kk'], ['ru', 'Ru']] as const) {
          const v = str(`${flag}-${l}`);
          if (v !== undefined) names[`${key}${k}`] = v;
        }
      }
      const s = await ctx.core().call('settings.update', {
        ...names,
        ...(typeof o.language === 'string' ? { language: o.language as Lang } : {}),
      });
      return { json: s, human: settingsText(ctx.lang, s) };
    },
  },
  {
    name: 'settings members show',
    usage: 'htmp settings members show [--json]',
    summary: 'cli:commands.membersShow',
    maxArgs: 0,
    async run(ctx) {
      const { members } = await ctx.core().call('settings.members', {});
      return { json: { members }, human: membersText(ctx.lang, members) };
    },
  },
  {
    name: 'settings members set',
    usage: 'htmp settings members set FILE.json [--json]',
    summary: 'cli:commands.membersSet',
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const file = path.resolve(ctx.args[0] ?? '');
      const raw = readJsonFile(file);
      // The file: [{ "role", "name": {"kk","ru"} | "text", "position"?: {"kk","ru"} }], or { "members": [...] }.
      const list = Array.isArray(raw) ? raw : raw !== null && typeof raw === 'object' ? (raw as { members?: unknown }).members : undefined;
      if (!Array.isArray(list)) throw new AppFailure('settings.bad_members_file', { file });
      const members = list.map((m: unknown) => {
        if (m === null || typeof m !== 'object') throw new AppFailure('settings.bad_members_file', { file });
        const r = m as Record<string, unknown>;
        const name = typeof r.name === 'string' ? { kk: r.name, ru: r.name } : r.name;
        return { ...r, name };
      });
      const { appSchemas } = await import('../../../shared/contract');
      const parsed = appSchemas['settings.setMembers'].safeParse({ members });
      if (!parsed.success) throw new AppFailure('settings.bad_members_file', { file });
      const r = await ctx.core().call('settings.setMembers', parsed.data);
      return { json: r, human: membersText(ctx.lang, r.members) };
    },
  },
];

function settingsText(lang: Lang, s: Settings): string {
  return [
    `${t(lang, 'common:settings.commissionNameKk')}: ${s.commissionNameKk}`,
    `${t(lang, 'common:settings.commissionNameRu')}: ${s.commissionNameRu}`,
    `${t(lang, 'common:settings.authorityNameKk')}: ${s.authorityNameKk}`,
    `${t(lang, 'common:settings.authorityNameRu')}: ${s.authorityNameRu}`,
    `${t(lang, 'common:language.label')}: ${t(lang, `common:language.${s.language}`)}`,
  ].join('\n');
}

function membersText(lang: Lang, members: StandingMember[]): string {
  if (members.length === 0) return t(lang, 'common:settings.members.none');
  return members
    .map((m, i) => {
      const name = m.name.kk === m.name.ru ? m.name.kk : `${m.name.kk} / ${m.name.ru}`;
      const position = m.position ? ` — ${m.position[lang]}` : '';
      return `${i + 1}. ${name} (${t(lang, `rules:memberRole.${m.role}`)})${position}`;
    })
    .join('\n');
}
