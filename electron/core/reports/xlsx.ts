import type { AnnualMeasures, AnnualReport, ReportLang } from '../../../shared/contract/reports';
import type { CommissionInfo } from '../../../shared/documents';
import { t } from '../i18n';
import { lazyRequire } from '../lazy-require';

type ExcelModule = typeof import('exceljs');
let excel: Promise<ExcelModule> | null = null;
/** exceljs is loaded on the first workbook (over a second on a busy laptop), not at start. */
const load = (): Promise<ExcelModule> => (excel ??= Promise.resolve().then(() => lazyRequire<ExcelModule>('exceljs')));

const GROUNDS = ['no_indications', 'incomplete_packet', 'not_authentic'] as const;
const text = (v: string | { kk: string; ru: string }, lang: ReportLang): string => (typeof v === 'string' ? v : v[lang]);

/** The measures of a row in the columns' order (refusals by ground, then the rest). */
function cells(m: AnnualMeasures): number[] {
  return [m.referrals, m.approvals, ...GROUNDS.map((g) => m.refusals[g]), m.refusalsTotal, m.operations, m.complications, m.disability, m.followUpDue, m.aliveOneYear, m.deaths];
}

/**
 * The annual report (ДСМ-238 point 42) as an XLSX workbook in one language: the summary with how
 * it is counted, the table per HTMP code, section and provider (numbers as numbers, a filter on the
 * header, the header frozen), and the totals per section. Words from locales/<lang>/reports.json.
 */
export async function annualXlsx(r: AnnualReport, lang: ReportLang, commission: CommissionInfo): Promise<Buffer> {
  const ExcelJS = await load();
  const tr = (key: string, params: Record<string, unknown> = {}) => t(lang, `reports:${key}`, params);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'HTMP Commission Desk';
  wb.title = tr('annual.metaTitle', { year: r.year });
  // A fixed date: the same report gives the same workbook.
  wb.created = new Date(Date.UTC(r.year + 1, 0, 1));
  wb.modified = wb.created;
  const bold = { bold: true };

  // ---- Summary
  const sum = wb.addWorksheet(tr('xlsx.sheet.summary'));
  sum.columns = [{ width: 62 }, { width: 14 }];
  sum.addRow([text(commission.authority, lang)]).font = bold;
  sum.addRow([text(commission.name, lang)]);
  sum.addRow([tr('annual.title', { year: r.year })]).font = { bold: true, size: 13 };
  sum.addRow([tr('annual.subtitle')]);
  sum.addRow([tr('annual.dueBy', { date: `${r.dueBy.slice(8, 10)}.${r.dueBy.slice(5, 7)}.${r.dueBy.slice(0, 4)}` })]);
  sum.addRow([]);
  const head = sum.addRow([tr('xlsx.measure'), tr('xlsx.value')]);
  head.font = bold;
  const line = (label: string, value: number, indent = false) => {
    const row = sum.addRow([label, value]);
    if (indent) row.getCell(1).alignment = { indent: 2 };
    else row.font = bold;
  };
  const m = r.totals;
  line(tr('annual.measure.referrals'), m.referrals);
  line(tr('annual.measure.approvals'), m.approvals);
  line(tr('annual.measure.refusalsTotal'), m.refusalsTotal);
  for (const g of GROUNDS) line(tr(`annual.ground.${g}`), m.refusals[g], true);
  line(tr('annual.measure.operations'), m.operations);
  line(tr('annual.measure.complications'), m.complications, true);
  line(tr('annual.measure.disability'), m.disability, true);
  line(tr('annual.measure.followUpDue'), m.followUpDue);
  line(tr('annual.measure.aliveOneYear'), m.aliveOneYear, true);
  line(tr('annual.measure.deaths'), m.deaths);
  sum.addRow([]);
  sum.addRow([tr('annual.sections.method')]).font = bold;
  for (const k of ['referrals', 'decisions', 'operations', 'oneYear', 'deaths', 'section', 'provider']) {
    const row = sum.addRow([tr(`annual.method.${k}`)]);
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    sum.mergeCells(row.number, 1, row.number, 2);
  }

  // ---- By code, section and provider
  const headers = [
    tr('annual.col.code'),
    tr('annual.col.section'),
    tr('annual.col.provider'),
    ...(['referrals', 'approvals'] as const).map((k) => tr(`charts.measure.${k}`)),
    ...GROUNDS.map((g) => tr(`annual.ground.${g}`)),
    ...(['refusalsTotal', 'operations', 'complications', 'disability', 'followUpDue', 'aliveOneYear', 'deaths'] as const).map((k) => tr(`charts.measure.${k}`)),
  ];
  const rows = wb.addWorksheet(tr('xlsx.sheet.rows'), { views: [{ state: 'frozen', ySplit: 1 }] });
  rows.columns = headers.map((h, i) => ({ header: h, width: i === 2 ? 48 : i === 0 ? 12 : i === 1 ? 9 : 14 }));
  rows.getRow(1).font = bold;
  rows.getRow(1).alignment = { wrapText: true, vertical: 'middle' };
  rows.getRow(1).height = 60;
  for (const x of r.rows) rows.addRow([x.htmpCode, x.section ?? '', x.provider === '' ? tr('annual.providerNone') : x.provider, ...cells(x)]);
  const total = rows.addRow([tr('annual.total'), '', '', ...cells(r.totals)]);
  total.font = bold;
  rows.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers.length } };

  // ---- By section
  const secs = wb.addWorksheet(tr('xlsx.sheet.sections'), { views: [{ state: 'frozen', ySplit: 1 }] });
  secs.columns = [tr('annual.col.section'), ...headers.slice(3)].map((h, i) => ({ header: h, width: i === 0 ? 12 : 14 }));
  secs.getRow(1).font = bold;
  secs.getRow(1).alignment = { wrapText: true, vertical: 'middle' };
  secs.getRow(1).height = 60;
  for (const s of r.bySection) secs.addRow([s.section ?? '—', ...cells(s)]);
  secs.addRow([tr('annual.total'), ...cells(r.totals)]).font = bold;

  return Buffer.from(await wb.xlsx.writeBuffer());
}
