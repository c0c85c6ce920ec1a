import type { CommissionInfo, ProtocolRegisterDoc, RefusalJournalDoc } from '../../../shared/documents';
import { authorityBlock, formatDate, GRID, signatureBlock, type Content, type Ctx } from './common';
import type { DocBuilder } from './builder';

function th(ctx: Ctx, key: string): Content {
  return ctx.label(key, undefined, { style: 'th' });
}

/** Per-language cell text; in a bilingual table Kazakh above Russian. */
function cell(ctx: Ctx, key: string): Content {
  return ctx.lang === 'both' ? ctx.label(key, undefined, { style: 'td' }) : { text: ctx.t(key), style: 'td' };
}

function listTitles(ctx: Ctx, prefix: string, period: { from: string; to: string }): Content[] {
  return [
    { text: ctx.t(`${prefix}.title`), style: 'title' },
    { text: ctx.t(`${prefix}.subtitle`), style: 'subtitle' },
    { text: ctx.t('common.period', { from: formatDate(period.from), to: formatDate(period.to) }), style: 'subtitle', bold: true, margin: [0, 4, 0, 8] },
  ];
}

function head(ctx: Ctx, commission: CommissionInfo): Content {
  return authorityBlock(ctx, commission);
}

export const refusalJournalBuilder: DocBuilder<RefusalJournalDoc> = {
  bilingualBody: true,
  head: (doc, ctx) => head(ctx, doc.commission),
  titles: (doc, ctx) => listTitles(ctx, 'refusalJournal', doc.period),
  body: (doc, ctx) => {
    if (doc.rows.length === 0) return [{ text: ctx.t('common.empty'), style: 'note' }];
    const c = (k: string) => th(ctx, `refusalJournal.columns.${k}`);
    return [
      {
        table: {
          headerRows: 1,
          dontBreakRows: true,
          widths: [30, 50, 50, '*', 64, 44, '*'],
          body: [
            [th(ctx, 'common.rowNo'), c('number'), c('date'), c('patient'), c('iin'), c('code'), c('reason')],
            ...doc.rows.map((r, i) => [
              { text: String(i + 1), style: 'td', alignment: 'center' },
              { text: r.number, style: 'td' },
              { text: formatDate(r.date), style: 'td' },
              { text: r.patientName, style: 'td' },
              { text: r.iin, style: 'td' },
              { text: r.code, style: 'td' },
              cell(ctx, `reasonsShort.${r.reason}`),
            ]),
          ],
        },
        layout: GRID,
      },
      { text: ctx.t('common.recordCount', { count: doc.rows.length }), margin: [0, 6, 0, 0] },
    ];
  },
  signatures: (_doc, ctx) => signatureBlock(ctx, [{ roleLabel: ctx.t('roles.secretary'), name: '' }]),
  meta: (doc, t, lang) => ({
    title: t(lang, 'refusalJournal.metaTitle', { from: formatDate(doc.period.from), to: formatDate(doc.period.to) }),
    subject: t(lang, 'refusalJournal.metaSubject'),
  }),
};

export const protocolRegisterBuilder: DocBuilder<ProtocolRegisterDoc> = {
  bilingualBody: true,
  head: (doc, ctx) => head(ctx, doc.commission),
  titles: (doc, ctx) => listTitles(ctx, 'protocolRegister', doc.period),
  body: (doc, ctx) => {
    if (doc.rows.length === 0) return [{ text: ctx.t('common.empty'), style: 'note' }];
    const c = (k: string) => th(ctx, `protocolRegister.columns.${k}`);
    const approved = doc.rows.filter((r) => r.outcome === 'approved').length;
    return [
      {
        table: {
          headerRows: 1,
          dontBreakRows: true,
          widths: [26, 62, 52, '*', 54, 'auto'],
          body: [
            [th(ctx, 'common.rowNo'), c('number'), c('date'), c('patient'), c('code'), c('outcome')],
            ...doc.rows.map((r, i) => [
              { text: String(i + 1), style: 'td', alignment: 'center' },
              { text: r.number, style: 'td' },
              { text: formatDate(r.date), style: 'td' },
              { text: r.patientName, style: 'td' },
              { text: r.code, style: 'td' },
              { ...(cell(ctx, `outcomes.${r.outcome}`) as object), alignment: 'center' },
            ]),
          ],
        },
        layout: GRID,
      },
      {
        text: ctx.t('protocolRegister.summary', { total: doc.rows.length, approved, refused: doc.rows.length - approved }),
        margin: [0, 6, 0, 0],
      },
    ];
  },
  signatures: (_doc, ctx) => signatureBlock(ctx, [{ roleLabel: ctx.t('roles.secretary'), name: '' }]),
  meta: (doc, t, lang) => ({
    title: t(lang, 'protocolRegister.metaTitle', { from: formatDate(doc.period.from), to: formatDate(doc.period.to) }),
    subject: t(lang, 'protocolRegister.metaSubject'),
  }),
};
