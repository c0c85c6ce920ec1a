import type { Lang } from '../../../shared/contract';
import { formatHundredths, scoreSheet, sensitivity, type InnovationChoice, type Level } from '../../../shared/domain/scoring';
import type { TransferInput, TransferResult } from '../../../shared/domain/transfer';
import { AppFailure } from '../../../shared/result';
import { t } from '../../core/i18n';
import { readJsonFile, type Command } from '../command';

/** A level option: 1..4 in the order of the official table (1 = value 10, 4 = value 2.5). */
function levelOption(value: unknown, field: string): Level {
  if (typeof value !== 'string' || !/^[1-4]$/.test(value.trim())) throw new AppFailure('scoring.invalid_level', { field });
  return Number(value.trim()) as Level;
}

function yearsOption(value: string): number {
  const s = value.trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(s)) throw new AppFailure('scoring.invalid_years', { field: 'innovation.years' });
  return Number(s);
}

const criterionName = (lang: Lang, id: string) => t(lang, `scoring:criteria.${id}.name`);

function humanTransfer(lang: Lang, r: TransferResult): string {
  const mark = (met: boolean) => t(lang, met ? 'scoring:transfer.met' : 'scoring:transfer.notMet');
  const c = r.criteria;
  return [
    `${t(lang, 'scoring:transfer.criteria.transfer.name')}: ${mark(c.transfer.met)} — ${t(lang, 'scoring:transfer.criteria.transfer.qualifying', { n: c.transfer.qualifyingCount, min: c.transfer.minRegions })}`,
    `${t(lang, 'scoring:transfer.criteria.cost.name')}: ${mark(c.cost.met)} — ${t(lang, 'scoring:transfer.criteria.cost.values', { tariff: c.cost.tariff, mean: c.cost.meanTariff, n: c.cost.listCount })}`,
    `${t(lang, 'scoring:transfer.criteria.rarity.name')}: ${mark(c.rarity.met)} — ${t(lang, 'scoring:transfer.criteria.rarity.values', { rate: c.rarity.perHundredThousand })}`,
    `${t(lang, 'scoring:transfer.criteria.outcomes.name')}: ${mark(c.outcomes.met)} — ${t(lang, 'scoring:transfer.criteria.outcomes.values', { share: c.outcomes.sharePercent ?? '—' })}`,
    r.leavesList ? t(lang, 'scoring:transfer.verdict.leaves') : t(lang, 'scoring:transfer.verdict.stays', { met: r.metCount }),
  ].join('\n');
}

/** The scoring area's CLI commands. */
export const scoringCommands: Command[] = [
  {
    name: 'score',
    usage: 'htmp score (--innovation-years N | --innovation L) --resource L --uniqueness L --complexity L [--json]',
    summary: 'scoring:cli.score',
    options: {
      'innovation-years': { type: 'string' },
      innovation: { type: 'string' },
      resource: { type: 'string' },
      uniqueness: { type: 'string' },
      complexity: { type: 'string' },
    },
    maxArgs: 0,
    run(ctx) {
      const o = ctx.options;
      const byYears = o['innovation-years'] !== undefined;
      const byLevel = o.innovation !== undefined;
      // Exactly one of the two ways to give innovation.
      if (byYears === byLevel) throw new AppFailure('scoring.innovation_one_of', { field: 'innovation' });
      const innovation: InnovationChoice = byYears
        ? { years: yearsOption(String(o['innovation-years'])) }
        : { level: levelOption(o.innovation, 'innovation') };
      const r = scoreSheet({
        innovation,
        resource: { level: levelOption(o.resource, 'resource') },
        uniqueness: { level: levelOption(o.uniqueness, 'uniqueness') },
        complexity: { level: levelOption(o.complexity, 'complexity') },
      });
      if (!r.ok) throw new AppFailure(r.error.code, r.error.params);
      const sheet = r.value;
      const sens = sensitivity(sheet);
      const json = {
        criteria: sheet.criteria.map((c) => ({
          id: c.id,
          level: c.level,
          value: c.value,
          weight: c.weight,
          points: c.points,
          ...(c.band ? { band: c.band } : {}),
          ...(c.years !== undefined ? { years: c.years } : {}),
        })),
        total: sheet.total,
        totalHundredths: sheet.totalHundredths,
        included: sheet.included,
        sensitivity: sens,
      };
      const lang = ctx.lang;
      const total = formatHundredths(sheet.totalHundredths);
      const human = [
        ...sheet.criteria.map(
          (c) =>
            `${criterionName(lang, c.id)}: ${t(lang, 'scoring:sheet.level')} ${c.level} — ${formatHundredths(c.valueHundredths)} × ${formatHundredths(c.weightHundredths)} = ${formatHundredths(c.pointsHundredths)}` +
            (c.band ? ` (${t(lang, 'scoring:sheet.band', { band: t(lang, `scoring:innovation.bands.${c.band}`) })})` : ''),
        ),
        t(lang, sheet.included ? 'scoring:verdict.included' : 'scoring:verdict.excluded', { total }),
        sens
          ? t(lang, 'scoring:sensitivity.flip', { criterion: criterionName(lang, sens.criterion), from: sens.fromLevel, to: sens.toLevel, total: formatHundredths(sens.newTotalHundredths) })
          : t(lang, 'scoring:sensitivity.none'),
      ].join('\n');
      return { json, human };
    },
  },
  {
    name: 'transfer regions',
    usage: 'htmp transfer regions [--json]',
    summary: 'scoring:cli.regions',
    maxArgs: 0,
    async run(ctx) {
      const config = await ctx.core().call('transfer.regions', {});
      const json = {
        isDefault: config.isDefault,
        regions: config.regions.map((r) => ({ id: r.id, name: { kk: r.name.kk, ru: r.name.ru }, zone: r.zone })),
      };
      const human = [
        t(ctx.lang, config.isDefault ? 'scoring:zoneConfig.defaultNote' : 'scoring:zoneConfig.editedNote'),
        ...config.regions.map((r) => `  ${r.id.padEnd(18)} ${r.name[ctx.lang].padEnd(32)} ${t(ctx.lang, `scoring:zones.${r.zone}`)}`),
      ].join('\n');
      return { json, human };
    },
  },
  {
    name: 'transfer evaluate',
    usage: 'htmp transfer evaluate FILE.json [--json]',
    summary: 'scoring:cli.evaluate',
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const input = readJsonFile(ctx.args[0]!);
      const result = await ctx.core().call('transfer.evaluate', input as TransferInput);
      return { json: result, human: humanTransfer(ctx.lang, result) };
    },
  },
];
