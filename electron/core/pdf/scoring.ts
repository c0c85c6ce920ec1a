import type { ScoringSheetDoc } from '../../../shared/documents';
import { authorityBlock, keep, formatDate, formatHundredths, GRID, kvTable, section, signatureBlock, type Content, type Ctx } from './common';
import { htmpName } from './protocol';
import type { DocBuilder } from './builder';

/** The technology's official names when its code is in the list (marked when only the other language has one), else the name as entered. */
function technologyName(ctx: Ctx, tech: ScoringSheetDoc['technology']): Content {
  if (!tech.names) return ctx.text(tech.name);
  if (ctx.lang !== 'both') return htmpName(ctx, tech.names);
  const lines: Content[] = [];
  if (tech.names.kk) lines.push({ text: tech.names.kk.text, style: 'td' });
  if (tech.names.ru) lines.push({ text: tech.names.ru.text, style: 'td', color: '#404040' });
  return { stack: lines };
}

export const scoringSheetBuilder: DocBuilder<ScoringSheetDoc> = {
  // The criteria table needs the full width: in the columns layout it is one bilingual table.
  bilingualBody: true,
  head: (doc, ctx) => authorityBlock(ctx, doc.commission),

  titles: (doc, ctx) => [
    { text: ctx.t('scoringSheet.title'), style: 'title' },
    { text: ctx.t('scoringSheet.subtitle'), style: 'subtitle' },
    { text: formatDate(doc.date), style: 'meta', alignment: 'right' },
  ],

  body: (doc, ctx) => {
    const blocks: Content[] = [];
    blocks.push(keep([
      section(1, ctx.t('scoringSheet.sections.technology')),
      kvTable([
        [ctx.t('scoringSheet.fields.name'), technologyName(ctx, doc.technology)],
        [ctx.t('scoringSheet.fields.code'), doc.technology.code ?? ctx.t('common.none')],
        [ctx.t('scoringSheet.fields.evaluator'), doc.evaluator],
        [ctx.t('scoringSheet.fields.date'), formatDate(doc.date)],
      ]),
    ]));

    // Slightly smaller headers: the official column names are long ("Весовой коэффициент", "Балл критерия").
    const col = (k: string): Content => ({ text: ctx.t(`scoringSheet.columns.${k}`), style: 'th', fontSize: 7.5 });
    // Not kept on one page: with bilingual labels the table can be taller than what is left of it.
    blocks.push([
      section(2, ctx.t('scoringSheet.sections.criteria')),
      {
        table: {
          headerRows: 1,
          keepWithHeaderRows: 1,
          dontBreakRows: true,
          widths: [20, '*', 48, 70, 62, 82],
          body: [
            [{ text: ctx.t('common.rowNo'), style: 'th' }, col('criterion'), col('value'), col('weight'), col('points'), col('rationale')],
            ...doc.criteria.map((c, i) => [
              { text: String(i + 1), style: 'td', alignment: 'center' },
              {
                stack: [
                  { text: ctx.t(`scoringSheet.criteria.${c.id}`), style: 'td', bold: true },
                  { text: `${ctx.t('scoringSheet.columns.level')}: ${c.level} — ${ctx.t(`scoringSheet.levels.${c.id}.${c.level}`)}`, style: 'td' },
                  ...(c.band ? [{ text: ctx.t('scoringSheet.bandApplied', { band: ctx.t(`scoringSheet.bands.${c.band}`) }), style: 'note' }] : []),
                ],
              },
              { text: formatHundredths(c.value), style: 'td', alignment: 'center' },
              { text: formatHundredths(c.weight), style: 'td', alignment: 'center' },
              { text: formatHundredths(c.points), style: 'td', alignment: 'center', bold: true },
              { text: c.rationale, style: 'td' },
            ]),
            [
              { text: ctx.t('scoringSheet.columns.total'), colSpan: 4, style: 'td', bold: true, alignment: 'right' },
              {},
              {},
              {},
              { text: formatHundredths(doc.total), style: 'td', alignment: 'center', bold: true },
              { text: '' },
            ],
          ],
        },
        layout: GRID,
      },
      ...(doc.criteria.some((c) => c.id === 'innovation') ? [{ text: ctx.t('scoringSheet.bandReading'), style: 'note', margin: [0, 3, 0, 0] }] : []),
      // Where the criteria's wording comes from (the Kazakh one is the app's translation).
      { text: ctx.t('scoringSheet.wordingNote'), style: 'note', margin: [0, 3, 0, 0] },
    ]);

    blocks.push(keep([
      section(3, ctx.t('scoringSheet.sections.result')),
      { text: ctx.t('scoringSheet.total', { total: formatHundredths(doc.total) }), style: 'decision' },
      { text: ctx.t(doc.included ? 'scoringSheet.included' : 'scoringSheet.notIncluded'), margin: [0, 3, 0, 0] },
      { text: ctx.t('common.source', { source: ctx.t('legal.rules134') }), style: 'small', margin: [0, 4, 0, 0] },
    ]));

    if (doc.sensitivity && doc.sensitivity.length > 0) {
      blocks.push(keep([
        section(4, ctx.t('scoringSheet.sections.sensitivity')),
        {
          table: {
            headerRows: 1,
            dontBreakRows: true,
            widths: ['*', 'auto', 'auto', 'auto'],
            body: [
              [col('criterion'), col('altLevel'), col('total'), col('included')],
              ...doc.sensitivity.map((s) => [
                { text: ctx.t(`scoringSheet.criteria.${s.id}`), style: 'td' },
                { text: String(s.level), style: 'td', alignment: 'center' },
                { text: formatHundredths(s.total), style: 'td', alignment: 'center' },
                { text: ctx.t(s.included ? 'common.yes' : 'common.no'), style: 'td', alignment: 'center' },
              ]),
            ],
          },
          layout: GRID,
        },
      ]));
    }
    return blocks;
  },

  signatures: (doc, ctx) => signatureBlock(ctx, [{ roleLabel: ctx.t('scoringSheet.evaluatorSign'), name: doc.evaluator }]),

  meta: (doc, t, lang) => ({
    title: t(lang, 'scoringSheet.metaTitle', { name: typeof doc.technology.name === 'string' ? doc.technology.name : doc.technology.name[lang] }),
    subject: t(lang, 'scoringSheet.metaSubject'),
  }),
};
