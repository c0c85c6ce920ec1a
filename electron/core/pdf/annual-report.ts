import type { AnnualReportDoc, AnnualReportMeasures } from '../../../shared/documents';
import { annualCharts } from '../../../shared/reports/charts';
import { renderChartSvgSync } from '../charts/svg';
import type { DocBuilder } from './builder';
import { authorityBlock, CONTENT_WIDTH, formatDate, GRID, keep, section, signatureBlock, type Content, type Ctx } from './common';
import { PDF_FONT_FAMILY } from './fonts';

/**
 * The annual report of ДСМ-238 point 42 to the local health authority: the totals, three charts
 * (drawn by ECharts as SVG: electron/core/charts, options in shared/reports/charts.ts) and the table
 * per HTMP code, section of the list and provider, with how each number is counted.
 *
 * Its words are in locales/<lang>/reports.json (`annual.*`, `charts.*`): the renderer passes a
 * translator that reads them there and everything else (footer, signatures) from pdf.json.
 * The charts need `prepareCharts()` to have run (the reports service does it before rendering).
 */
const GROUNDS = ['no_indications', 'incomplete_packet', 'not_authentic'] as const;

function th(text: string, extra: Record<string, unknown> = {}): Content {
  return { text, style: 'th', fontSize: 7, ...extra };
}
const num = (n: number): Content => ({ text: String(n), style: 'td', fontSize: 7.5, alignment: 'right' });

function summary(ctx: Ctx, m: AnnualReportMeasures): Content {
  const row = (label: string, value: string | number, indent = false): Content[] => [
    { text: label, style: 'td', margin: indent ? [10, 0, 0, 0] : [0, 0, 0, 0] },
    { text: String(value), style: 'td', alignment: 'right', bold: !indent },
  ];
  return {
    table: {
      widths: ['*', 70],
      dontBreakRows: true,
      body: [
        row(ctx.t('annual.measure.referrals'), m.referrals),
        row(ctx.t('annual.measure.approvals'), m.approvals),
        row(ctx.t('annual.measure.refusalsTotal'), m.refusalsTotal),
        ...GROUNDS.map((g) => row(ctx.t(`annual.ground.${g}`), m.refusals[g], true)),
        row(ctx.t('annual.measure.operations'), m.operations),
        row(ctx.t('annual.measure.complications'), m.complications, true),
        row(ctx.t('annual.measure.disability'), m.disability, true),
        row(ctx.t('annual.measure.followUpDue'), m.followUpDue),
        row(ctx.t('annual.measure.aliveOneYear'), m.aliveOneYear, true),
        row(ctx.t('annual.measure.deaths'), m.deaths),
      ],
    },
    layout: GRID,
  };
}

function mainTable(ctx: Ctx, doc: AnnualReportDoc): Content {
  if (doc.rows.length === 0) return { text: ctx.t('annual.noRows'), style: 'note' };
  const sec = (s: number | null) => (s === null ? '—' : String(s));
  const cells = (m: AnnualReportMeasures): Content[] => [
    num(m.referrals),
    num(m.approvals),
    ...GROUNDS.map((g) => num(m.refusals[g])),
    num(m.operations),
    num(m.complications),
    num(m.disability),
    num(m.followUpDue),
    num(m.aliveOneYear),
    num(m.deaths),
  ];
  const c = (k: string) => th(ctx.t(`annual.col.${k}`));
  const span = (k: string, n: number): Content[] => [th(ctx.t(`annual.col.${k}`), { colSpan: n }), ...Array.from({ length: n - 1 }, () => ({}))];
  return {
    table: {
      headerRows: 2,
      dontBreakRows: true,
      widths: [16, 50, 28, '*', 44, 50, 24, 24, 24, 48, 40, 48, 36, 30, 44],
      body: [
        [
          th(ctx.t('common.rowNo'), { rowSpan: 2 }),
          th(ctx.t('annual.col.code'), { rowSpan: 2 }),
          th(ctx.t('annual.col.section'), { rowSpan: 2 }),
          th(ctx.t('annual.col.provider'), { rowSpan: 2 }),
          th(ctx.t('annual.col.referrals'), { rowSpan: 2 }),
          th(ctx.t('annual.col.approvals'), { rowSpan: 2 }),
          ...span('refusals', 3),
          th(ctx.t('annual.col.operations'), { rowSpan: 2 }),
          th(ctx.t('annual.col.complications'), { rowSpan: 2 }),
          th(ctx.t('annual.col.disability'), { rowSpan: 2 }),
          ...span('oneYear', 2),
          th(ctx.t('annual.col.deaths'), { rowSpan: 2 }),
        ],
        [{}, {}, {}, {}, {}, {}, c('ground1'), c('ground2'), c('ground3'), {}, {}, {}, c('followUpDue'), c('aliveOneYear'), {}],
        ...doc.rows.map((r, i) => [
          { text: String(i + 1), style: 'td', fontSize: 7.5, alignment: 'center' },
          { text: r.code === '' ? '—' : r.code, style: 'td', fontSize: 7.5 },
          { text: sec(r.section), style: 'td', fontSize: 7.5, alignment: 'center' },
          { text: r.provider === '' ? ctx.t('annual.providerNone') : ctx.text(r.provider), style: 'td', fontSize: 7.5 },
          ...cells(r),
        ]),
        [{ text: ctx.t('annual.total'), style: 'td', fontSize: 7, bold: true, colSpan: 4 }, {}, {}, {}, ...cells(doc.totals).map((x) => ({ ...(x as object), bold: true }))],
      ],
    },
    layout: { ...GRID, paddingLeft: () => 2, paddingRight: () => 2 },
  };
}

export const annualReportBuilder: DocBuilder<AnnualReportDoc> = {
  bilingualBody: true,
  head: (doc, ctx) => authorityBlock(ctx, doc.commission),
  titles: (doc, ctx) => [
    { text: ctx.t('annual.title', { year: doc.year }), style: 'title' },
    { text: ctx.t('annual.subtitle'), style: 'subtitle' },
    { text: ctx.t('annual.dueBy', { date: formatDate(doc.dueBy) }), style: 'subtitle', margin: [0, 2, 0, 8] },
  ],
  body: (doc, ctx) => {
    const t = (key: string, params?: Record<string, string | number>) => ctx.t(key, params);
    const charts = annualCharts({ year: doc.year, totals: doc.totals, bySection: doc.bySection.map((s) => ({ ...s, section: s.section })) }, t, { print: true, fontFamily: PDF_FONT_FAMILY });
    const chartBlocks: Content[] = charts.map((c) =>
      keep([
        { text: c.title, bold: true, fontSize: 9.5, margin: [0, 8, 0, 2] },
        { svg: renderChartSvgSync(c.option, c.size), width: CONTENT_WIDTH, font: PDF_FONT_FAMILY },
        { text: c.description, style: 'note', margin: [0, 1, 0, 0] },
      ]),
    );
    return [
      keep([section(1, ctx.t('annual.sections.summary')), summary(ctx, doc.totals)]),
      [section(2, ctx.t('annual.sections.charts')), ...chartBlocks],
      // The table has fifteen columns: it gets a landscape page (pdfmake switches orientation per page).
      { stack: [section(3, ctx.t('annual.sections.table')), mainTable(ctx, doc)], pageBreak: 'before', pageOrientation: 'landscape' },
      {
        stack: [
          { text: ctx.t('annual.sections.method'), style: 'section' },
          { ul: ['referrals', 'decisions', 'operations', 'oneYear', 'deaths', 'section', 'provider'].map((k) => ({ text: ctx.t(`annual.method.${k}`), style: 'note' })) },
        ],
      },
    ];
  },
  signatures: (_doc, ctx) =>
    signatureBlock(ctx, [
      { roleLabel: ctx.t('roles.chair'), name: '' },
      { roleLabel: ctx.t('roles.secretary'), name: '' },
    ]),
  meta: (doc, t, lang) => ({ title: t(lang, 'annual.metaTitle', { year: doc.year }), subject: t(lang, 'annual.subtitle') }),
};
