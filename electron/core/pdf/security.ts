/**
 * Documents of the protection area: the recovery-key sheet (printed once at set-up and kept in a
 * safe) and the audit trail's export (PDF and CSV). Texts come from locales/<lang>/auth.json.
 */
import pdfmake from 'pdfmake';
import type { AuditRow } from '../../../shared/contract/auth';
import type { Lang } from '../../../shared/contract';
import { kzLocal } from '../../../shared/domain/kz-time';
import { t } from '../i18n';
import { assetsDir } from '../paths';
import { PDF_FONT_FAMILY, registerPdfFonts } from './fonts';

/** DD.MM.YYYY HH:mm in Kazakhstan time. */
const formatKzDateTime = (d: Date): string => {
  const x = kzLocal(d);
  return `${x.slice(8, 10)}.${x.slice(5, 7)}.${x.slice(0, 4)} ${x.slice(11, 16)}`;
};

const tr = (lang: Lang, key: string, params: Record<string, unknown> = {}): string => t(lang, `auth:${key}`, params);

async function render(definition: Record<string, unknown>): Promise<Buffer> {
  registerPdfFonts(assetsDir());
  return pdfmake.createPdf({ defaultStyle: { font: PDF_FONT_FAMILY, fontSize: 10, lineHeight: 1.2 }, pageSize: 'A4', compress: true, ...definition }).getBuffer();
}

/** The recovery-key sheet: the key, what it opens, how to keep it. */
export async function renderRecoverySheet(o: { recoveryKey: string; lang: Lang; installationId: string; dataDir: string; commission: string }): Promise<{ base64: string; fileName: string }> {
  const l = o.lang;
  const now = formatKzDateTime(new Date());
  const buffer = await render({
    pageMargins: [60, 60, 60, 60],
    info: { title: tr(l, 'sheet.title'), creator: 'HTMP Commission Desk' },
    content: [
      { text: tr(l, 'sheet.title'), fontSize: 18, bold: true, margin: [0, 0, 0, 6] },
      { text: o.commission || tr(l, 'sheet.noCommission'), fontSize: 11, margin: [0, 0, 0, 14] },
      {
        table: {
          widths: ['35%', '*'],
          body: [
            [tr(l, 'sheet.created'), now],
            [tr(l, 'sheet.installation'), o.installationId],
          ],
        },
        layout: 'lightHorizontalLines',
        margin: [0, 0, 0, 18],
      },
      { text: tr(l, 'sheet.keyLabel'), bold: true, margin: [0, 0, 0, 6] },
      {
        table: { widths: ['*'], body: [[{ text: o.recoveryKey, fontSize: 20, bold: true, alignment: 'center', margin: [0, 14, 0, 14], characterSpacing: 1.5 }]] },
        margin: [0, 0, 0, 18],
      },
      { text: tr(l, 'sheet.whatTitle'), bold: true, margin: [0, 0, 0, 4] },
      { ul: [tr(l, 'sheet.what1'), tr(l, 'sheet.what2'), tr(l, 'sheet.what3')], margin: [0, 0, 0, 12] },
      { text: tr(l, 'sheet.keepTitle'), bold: true, margin: [0, 0, 0, 4] },
      { ul: [tr(l, 'sheet.keep1'), tr(l, 'sheet.keep2'), tr(l, 'sheet.keep3')], margin: [0, 0, 0, 12] },
      { text: tr(l, 'sheet.howTitle'), bold: true, margin: [0, 0, 0, 4] },
      { ol: [tr(l, 'sheet.how1'), tr(l, 'sheet.how2'), tr(l, 'sheet.how3')], margin: [0, 0, 0, 30] },
      {
        columns: [
          { width: '*', text: `${tr(l, 'sheet.keptBy')}: ______________________` },
          { width: '*', text: `${tr(l, 'sheet.signature')}: ______________` },
        ],
      },
    ],
  });
  return { base64: buffer.toString('base64'), fileName: `recovery-key_${o.installationId.slice(0, 8)}.pdf` };
}

const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  // A leading = + - @ would be a formula in a spreadsheet: quoted with a leading apostrophe.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[";\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** CSV (semicolon-separated, as spreadsheets in kk/ru locales expect), oldest first. */
export function auditCsv(rows: AuditRow[]): string {
  const head = ['seq', 'at', 'user', 'action', 'method', 'outcome', 'case_id', 'patient_iin', 'host', 'detail'];
  const lines = rows.map((r) => [r.seq, r.at, r.userName, r.action, r.method, r.outcome, r.caseId, r.patientIin, r.host, JSON.stringify(r.detail)].map(csvCell).join(';'));
  return `\uFEFF${[head.join(';'), ...lines].join('\r\n')}\r\n`;
}

export async function renderAuditPdf(o: { rows: AuditRow[]; lang: Lang; filter: Record<string, unknown>; commission: string }): Promise<{ base64: string; fileName: string }> {
  const l = o.lang;
  const filter = Object.entries(o.filter)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${tr(l, `audit.filter.${k}`)}: ${String(v)}`)
    .join('; ');
  const body = [
    [tr(l, 'audit.col.seq'), tr(l, 'audit.col.at'), tr(l, 'audit.col.user'), tr(l, 'audit.col.action'), tr(l, 'audit.col.patient'), tr(l, 'audit.col.outcome')].map((text) => ({ text, bold: true })),
    ...o.rows.map((r) => [
      String(r.seq),
      formatKzDateTime(new Date(r.at)),
      r.userName ?? '—',
      tr(l, `audit.action.${r.action}`),
      r.patientIin ?? '',
      r.outcome === 'ok' ? tr(l, 'audit.ok') : r.outcome,
    ]),
  ];
  const buffer = await render({
    pageOrientation: 'landscape',
    pageMargins: [40, 40, 40, 40],
    info: { title: tr(l, 'audit.pdfTitle'), creator: 'HTMP Commission Desk' },
    content: [
      { text: tr(l, 'audit.pdfTitle'), fontSize: 15, bold: true },
      { text: o.commission, margin: [0, 2, 0, 2] },
      { text: `${tr(l, 'audit.printed')}: ${formatKzDateTime(new Date())}${filter ? ` · ${filter}` : ''}`, fontSize: 8.5, margin: [0, 0, 0, 8] },
      { table: { headerRows: 1, widths: [34, 96, 80, '*', 80, 90], body }, layout: 'lightHorizontalLines', fontSize: 8.5 },
    ],
  });
  return { base64: buffer.toString('base64'), fileName: `audit_${new Date().toISOString().slice(0, 10)}.pdf` };
}
