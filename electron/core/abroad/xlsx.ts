/**
 * The yearly summary as an Excel workbook (exceljs): one sheet per table of the PDF (requests by
 * disease group and category, time per step, late steps), headers in the chosen language.
 */
import type { AbroadSummary } from '../../../shared/contract/abroad';
import type { AbroadSummaryDoc } from '../../../shared/domain/abroad-documents';
import { abroadRouteLabel } from '../../../shared/domain/abroad-charts';
import { t } from '../i18n';
import { lazyRequire } from '../lazy-require';

export async function abroadSummaryXlsx(s: AbroadSummary, doc: AbroadSummaryDoc, lang: 'kk' | 'ru'): Promise<Buffer> {
  // Loaded when a workbook is made, not at every start of the core (exceljs takes seconds to load).
  // A CommonJS require, not import() (lazy-require.ts; the CLI's code cache loses import()'s callback).
  const ExcelJS = lazyRequire<typeof import('exceljs')>('exceljs');
  const tr = (key: string, params: Record<string, unknown> = {}) => t(lang, `abroad:pdf.${key}`, params);
  const col = (k: string) => tr(`summary.columns.${k}`);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'HTMP Commission Desk';
  wb.created = new Date(doc.generatedAt);
  wb.title = tr('summary.title', { year: s.year });

  const sheet = (name: string, head: string[], widths: number[]) => {
    const ws = wb.addWorksheet(name.slice(0, 31));
    ws.addRow([tr('summary.title', { year: s.year })]).font = { bold: true, size: 13 };
    ws.addRow([tr('summary.subtitle', { asOf: s.today.split('-').reverse().join('.') })]);
    ws.addRow([]);
    const h = ws.addRow(head);
    h.font = { bold: true };
    h.alignment = { wrapText: true, vertical: 'middle' };
    h.eachCell((c) => {
      c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFECECEC' } };
      c.border = { bottom: { style: 'thin' } };
    });
    ws.views = [{ state: 'frozen', ySplit: 4 }];
    widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
    return ws;
  };

  const g = sheet(tr('summary.sheets.byGroup'), [col('group'), col('child'), col('serviceInjury'), col('total')], [70, 14, 18, 10]);
  doc.byGroup.forEach((row) => g.addRow([row.group[lang], row.child, row.service_injury, row.total]));
  const total = g.addRow([col('total'), s.byGroup.reduce((a, x) => a + x.child, 0), s.byGroup.reduce((a, x) => a + x.service_injury, 0), s.total]);
  total.font = { bold: true };
  g.getColumn(1).alignment = { wrapText: true, vertical: 'top' };

  const st = sheet(tr('summary.sheets.steps'), [col('route'), col('step'), col('actor'), col('norm'), col('completed'), col('mean'), col('max'), col('late')], [26, 6, 50, 10, 12, 12, 10, 10]);
  s.steps.forEach((x) =>
    st.addRow([abroadRouteLabel(`${x.routeId} v${x.routeVersion}`, (k, p) => t(lang, `abroad:${k}`, p ?? {})), x.n, x.actor[lang], x.norm, x.completed, x.meanDays === null ? null : Math.round(x.meanDays * 10) / 10, x.maxDays, x.late]),
  );
  st.getColumn(6).numFmt = '0.0';

  const late = sheet(tr('summary.sheets.late'), [col('number'), col('patient'), col('step'), col('actor'), col('due'), col('completedOn'), col('lateDays')], [12, 36, 6, 44, 12, 12, 12]);
  const date = (iso: string | null) => (iso ? new Date(`${iso}T00:00:00Z`) : null);
  s.late.forEach((x) => late.addRow([x.number, x.patientName, x.n, x.actor[lang], date(x.due), date(x.completedOn), x.lateDays]));
  late.getColumn(5).numFmt = 'dd.mm.yyyy';
  late.getColumn(6).numFmt = 'dd.mm.yyyy';

  const r = sheet(tr('summary.sheets.route'), [tr('summary.sections.route'), ''], [50, 14]);
  r.addRow([tr('summary.withinNorm'), s.route.withinNorm]);
  r.addRow([tr('summary.overNorm'), s.route.overNorm]);
  r.addRow([tr('summary.meanToContract'), s.route.meanDaysToContract === null ? null : Math.round(s.route.meanDaysToContract * 10) / 10]);
  if (lang === 'kk') r.addRow([tr('common.kkUnofficial')]);

  return Buffer.from(await wb.xlsx.writeBuffer());
}
