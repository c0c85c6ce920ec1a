import type { Lang } from '../../../shared/contract';
import type { CodeShow, NamePair, NameSources, SearchElsewhereItem, SearchResult } from '../../../shared/contract/catalogue';
import { AppFailure } from '../../../shared/result';
import { t } from '../../core/i18n';
import type { Command, CommandContext } from '../command';

const tt = (ctx: CommandContext, key: string, params: Record<string, unknown> = {}) => t(ctx.lang, `catalogue:${key}`, params);

/** A name in the asked language, or the other one with a visible mark; never invented. */
function nameLine(ctx: CommandContext, name: NamePair, sources?: NameSources): string {
  const other: Lang = ctx.lang === 'kk' ? 'ru' : 'kk';
  const mine = name[ctx.lang];
  const mark = (lang: Lang) => (sources?.[lang]?.kind === 'local' ? ` [${tt(ctx, 'source.localShort')}]` : '');
  if (mine) return mine + mark(ctx.lang);
  const theirs = name[other];
  if (theirs) return `[${tt(ctx, `missing.${ctx.lang}`)}] ${theirs}${mark(other)}`;
  return `[${tt(ctx, 'missing.both')}]`;
}

const dateOption = (ctx: CommandContext): string | undefined => {
  const on = ctx.options.on;
  return typeof on === 'string' ? on : undefined;
};

function humanShow(ctx: CommandContext, r: CodeShow): string {
  const lines: string[] = [];
  lines.push(`${r.code}  ${nameLine(ctx, r.names, r.nameSource)}`);
  for (const lang of ['kk', 'ru'] as Lang[]) {
    const src = r.nameSource[lang];
    const where = src ? (src.kind === 'edition' ? src.id : tt(ctx, `source.${src.kind}Short`)) : '—';
    lines.push(`  ${lang}: ${r.names[lang] ?? `[${tt(ctx, `missing.${lang}`)}]`} (${where})`);
  }
  lines.push(
    r.inForce && r.edition
      ? tt(ctx, 'cli.inForce', { date: r.on, edition: r.edition.id, sections: r.sections.map((s) => `${s.section} (${tt(ctx, 'code.position', { n: s.position })})`).join(', ') })
      : tt(ctx, 'code.notInForce', { date: r.on }),
  );
  lines.push(`${tt(ctx, 'code.history')}:`);
  for (const h of r.history) {
    const where = h.sections.length ? h.sections.map((s) => `${s.section}/${s.position}`).join(', ') : tt(ctx, 'code.notListed');
    lines.push(`  ${h.edition} (${tt(ctx, 'edition.inForce', { date: h.inForceFrom })}): ${where}`);
  }
  const ch = r.characteristics;
  if (ch) {
    lines.push(`${tt(ctx, 'ch.title')} (${tt(ctx, `ch.kind.${ch.kind}`)}):`);
    lines.push(`  ${tt(ctx, 'ch.staff')}:`);
    for (const q of ch.staff.requirements) lines.push(`   - ${q.text}`);
    if (ch.staff.requirements.length === 0) lines.push(`   ${ch.staff.text}`);
    lines.push(`  ${tt(ctx, 'ch.devices')}:`);
    for (const d of ch.devices.items) lines.push(`   - ${d.name}${d.count !== null ? ` — ${d.count}` : ''}`);
    if (ch.devices.items.length === 0) lines.push(`   ${ch.devices.text}`);
    for (const n of ch.notes) lines.push(`  ${n.mark} ${n.text.kk ?? n.text.ru ?? ''}`);
  } else lines.push(tt(ctx, 'ch.none'));
  return lines.join('\n');
}

/** Search results: full ones, then partial ones with the words they lack, then codes outside the edition. */
function humanSearch(ctx: CommandContext, r: SearchResult): string {
  const lines = [tt(ctx, 'cli.searchHeader', { date: r.on, edition: r.edition.id })];
  const quote = (ws: typeof r.words) => ws.map((w) => `«${w.word}»`).join(', ');
  const lost = r.words.filter((w) => !w.optional && !w.found && !w.foundElsewhere);
  const away = r.words.filter((w) => !w.optional && !w.found && w.foundElsewhere);
  if (lost.length) lines.push(tt(ctx, 'words.notFound', { words: quote(lost), count: lost.length }));
  if (away.length) lines.push(tt(ctx, 'words.onlyElsewhere', { words: quote(away), count: away.length }));
  for (const w of r.words) if (w.abbreviation) lines.push(tt(ctx, 'words.abbreviation', { word: w.word, text: w.abbreviation[ctx.lang] }));
  for (const x of r.results) {
    const marks = [
      x.partial ? tt(ctx, 'results.partialMark', { words: x.missing.map((w) => `«${w}»`).join(', '), count: x.missing.length }) : '',
      ...x.typos.map((y) => tt(ctx, 'match.typoAs', { word: y.word, as: y.as })),
    ].filter(Boolean);
    lines.push(`${x.code.padEnd(11)} [${x.sections.map((s) => s.section).join(',')}] ${nameLine(ctx, x.name, x.nameSource)}${marks.length ? `  (${marks.join('; ')})` : ''}`);
  }
  if (r.results.length === 0 && r.elsewhere.length === 0) lines.push(tt(ctx, 'results.none'));
  if (r.elsewhere.length) {
    lines.push(r.edition.id === r.inForce?.id ? tt(ctx, 'elsewhere.titleOnDate', { date: r.on }) : tt(ctx, 'elsewhere.titleEdition'));
    for (const x of r.elsewhere) lines.push(`${x.code.padEnd(11)} ${nameLine(ctx, x.name, x.nameSource)}  (${elsewhereText(ctx, x)})`);
  }
  return lines.join('\n');
}

function elsewhereText(ctx: CommandContext, x: SearchElsewhereItem): string {
  const periods = x.listed.map((p) =>
    tt(ctx, p.to ? 'elsewhere.period' : 'elsewhere.periodOpen', { order: p.edition.order, orderDate: p.edition.orderDate, from: p.from, to: p.to }),
  );
  const status =
    x.status === 'removed'
      ? x.since
        ? tt(ctx, 'elsewhere.removed', { date: x.since })
        : tt(ctx, 'elsewhere.removedNoDate')
      : x.status === 'later'
        ? tt(ctx, 'elsewhere.later', { date: x.since ?? '' })
        : x.status === 'otherSection'
          ? tt(ctx, 'elsewhere.otherSection', { sections: x.sections.join(', '), count: x.sections.length })
          : tt(ctx, 'elsewhere.never');
  return [status, ...periods].join('; ');
}

/** The catalogue area's CLI commands (JSON contract in issue 3). */
export const catalogueCommands: Command[] = [
  {
    name: 'catalogue editions',
    usage: 'htmp catalogue editions [--json]',
    summary: 'catalogue:cli.commands.editions',
    maxArgs: 0,
    async run(ctx) {
      const r = await ctx.core().call('catalogue.editions', {});
      return {
        json: { editions: r.editions.map((e) => ({ id: e.id, order: e.order, orderDate: e.orderDate, inForceFrom: e.inForceFrom, languages: e.languages })) },
        human: r.editions
          .map((e) =>
            [
              `${e.id}  ${tt(ctx, 'edition.order', { order: e.order, date: e.orderDate })}  ${tt(ctx, 'edition.inForce', { date: e.inForceFrom })}${e.inForceChosen ? ` (${tt(ctx, e.inForceEdited ? 'edition.edited' : 'edition.chosen')})` : ''}`,
              `  ${tt(ctx, 'edition.languages')}: ${e.languages.join(', ')}; ${e.counts.map((c) => tt(ctx, 'cli.sectionCount', { section: c.section, count: c.entries })).join(', ')}`,
            ].join('\n'),
          )
          .join('\n'),
      };
    },
  },
  {
    name: 'catalogue show',
    usage: 'htmp catalogue show CODE [--on YYYY-MM-DD] [--json]',
    summary: 'catalogue:cli.commands.show',
    options: { on: { type: 'string' } },
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const on = dateOption(ctx);
      const r = await ctx.core().call('catalogue.show', { code: ctx.args[0]!, ...(on ? { on } : {}) });
      const json = {
        code: r.code,
        on: r.on,
        inForce: r.inForce,
        edition: r.edition,
        sections: r.sections,
        names: r.names,
        nameSource: r.nameSource,
        history: r.history,
        characteristics: r.characteristics,
        translations: r.translations,
      };
      return { json, human: humanShow(ctx, r) };
    },
  },
  {
    name: 'catalogue search',
    usage: 'htmp catalogue search QUERY [--on YYYY-MM-DD] [--limit N] [--json]',
    summary: 'catalogue:cli.commands.search',
    options: { on: { type: 'string' }, limit: { type: 'string' } },
    minArgs: 1,
    async run(ctx) {
      const on = dateOption(ctx);
      const rawLimit = ctx.options.limit;
      let limit: number | undefined;
      if (typeof rawLimit === 'string') {
        limit = Number(rawLimit);
        if (!/^\d+$/.test(rawLimit) || limit < 1 || limit > 1000) throw new AppFailure('cli.bad_option', { option: `--limit ${rawLimit}` });
      }
      const r = await ctx.core().call('catalogue.search', { query: ctx.args.join(' '), ...(on ? { on } : {}), ...(limit ? { limit } : {}) });
      return {
        json: {
          on: r.on,
          edition: r.edition.id,
          inForce: r.inForce?.id ?? null,
          results: r.results.map((x) => ({
            code: x.code,
            name: x.name,
            nameSource: x.nameSource,
            sections: x.sections,
            match: x.match,
            partial: x.partial,
            missing: x.missing,
            typos: x.typos,
          })),
          words: r.words,
          counts: r.counts,
          elsewhere: r.elsewhere.map((x) => ({
            code: x.code,
            name: x.name,
            status: x.status,
            since: x.since,
            listed: x.listed.map((p) => ({ edition: p.edition.id, from: p.from, to: p.to, sections: p.sections })),
            sections: x.sections,
          })),
        },
        human: humanSearch(ctx, r),
      };
    },
  },
  {
    name: 'catalogue diff',
    usage: 'htmp catalogue diff FROM_ID TO_ID [--json]',
    summary: 'catalogue:cli.commands.diff',
    minArgs: 2,
    maxArgs: 2,
    async run(ctx) {
      const r = await ctx.core().call('catalogue.diff', { from: ctx.args[0]!, to: ctx.args[1]! });
      const lines = [tt(ctx, 'cli.diffHeader', { from: r.from.id, to: r.to.id })];
      if (r.sharedLanguages.length === 0) lines.push(tt(ctx, 'diff.languagesDiffer'));
      for (const s of [1, 2, 3]) {
        const a = r.added.filter((x) => x.section === s);
        const d = r.removed.filter((x) => x.section === s);
        const n = r.renamed.filter((x) => x.section === s);
        if (!a.length && !d.length && !n.length) continue;
        lines.push(`${tt(ctx, 'section.label', { n: s })}:`);
        for (const x of d) lines.push(`  - ${x.code}  ${x.name}`);
        for (const x of a) lines.push(`  + ${x.code}  ${x.name}`);
        for (const x of n) lines.push(`  ~ ${x.code} (${x.lang}): ${x.from} -> ${x.to}`);
      }
      return {
        json: {
          from: r.from.id,
          to: r.to.id,
          // Names are compared only in a language both editions carry: with none in common,
          // `renamed` is empty because nothing could be compared, not because nothing changed.
          sharedLanguages: r.sharedLanguages,
          namesCompared: r.sharedLanguages.length > 0,
          added: r.added.map((x) => ({ section: x.section, code: x.code })),
          removed: r.removed.map((x) => ({ section: x.section, code: x.code })),
          renamed: r.renamed.map((x) => ({ section: x.section, code: x.code, lang: x.lang, from: x.from, to: x.to })),
        },
        human: lines.join('\n'),
      };
    },
  },
];
