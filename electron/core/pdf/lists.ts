import type { CommissionInfo, NamePair, ProtocolRegisterDoc, RefusalJournalDoc } from '../../../shared/documents';
import { authorityBlock, formatDate, GRID, signatureBlock, type Content, type Ctx } from './common';
import type { DocBuilder } from './builder';

function th(ctx: Ctx, key: string): Content {
  return ctx.label(key, undefined, { style: 'th' });
}

/** Per-language cell text; in a bilingual table Kazakh above Russian. */
function cell(ctx: Ctx, key: string): Content {
  return ctx.lang === 'both' ? ctx.label(key, undefined, { style: 'td' }) : { text: ctx.t(key), style: 'td' };
}

/**
 * Code and name of a technology in a list: the name in the document's language, else the other
 * language's official name marked with an asterisk (explained under the table); in a bilingual
 * table Kazakh above Russian.
 */
function codeCell(ctx: Ctx, code: string, name: NamePair | undefined, marked: { used: boolean }): Content {
  const lines: Content[] = [{ text: code, style: 'td', bold: true }];
  if (name) {
    if (ctx.lang === 'both') {
      if (name.kk) lines.push({ text: name.kk, style: 'small' });
      if (name.ru) lines.push({ text: name.ru, style: 'small', color: '#404040' });
    } else {
      const own = name[ctx.lang];
      const other = name[ctx.lang === 'kk' ? 'ru' : 'kk'];
      if (own) lines.push({ text: own, style: 'small' });
      else if (other) {
        marked.used = true;
        lines.push({ text: `${other} *`, style: 'small' });
      }
    }
  }
  return { stack: lines };
}

function otherLanguageNote(ctx: Ctx, marked: { used: boolean }): Content[] {
  return marked.used ? [{ text: `* ${ctx.t('common.nameInOtherLanguage')}`, style: 'note', margin: [0, 3, 0, 0] }] : [];
}

/** Patient's name with the IIN on its own line, never wrapped. */
function patientCell(name: string, iin: string): Content {
  return { stack: [{ text: name, style: 'td' }, { text: iin, style: 'td', noWrap: true }] };
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
    const marked = { used: false };
    // A patient in hospital: point 40 has the refusal entered in the journal of refusals of admission and hospitalization.
    const reasonCell = (r: RefusalJournalDoc['rows'][number]): Content =>
      r.inpatient ? { stack: [cell(ctx, `reasonsShort.${r.reason}`), { ...(cell(ctx, 'refusalJournal.inpatientMark') as object), style: 'small', bold: true }] } : cell(ctx, `reasonsShort.${r.reason}`);
    const anyInpatient = doc.rows.some((r) => r.inpatient === true);
    return [
      {
        table: {
          headerRows: 1,
          dontBreakRows: true,
          // The patient column holds the IIN on a line of its own: at least 12 digits wide.
          widths: [20, 58, 50, 96, '*', 92],
          body: [
            [th(ctx, 'common.rowNo'), c('number'), c('date'), c('patient'), c('code'), c('reason')],
            ...doc.rows.map((r, i) => [
              { text: String(i + 1), style: 'td', alignment: 'center' },
              { text: r.number, style: 'td', noWrap: true },
              { text: formatDate(r.date), style: 'td', noWrap: true },
              patientCell(r.patientName, r.iin),
              codeCell(ctx, r.code, r.name, marked),
              reasonCell(r),
            ]),
          ],
        },
        layout: GRID,
      },
      ...otherLanguageNote(ctx, marked),
      ...(anyInpatient ? [{ text: ctx.t('refusalJournal.inpatientNote'), style: 'note', margin: [0, 3, 0, 0] }] : []),
      { text: ctx.t('common.recordCount', { count: doc.rows.length }), margin: [0, 6, 0, 0] },
    ];
  },
  signatures: (doc, ctx) => signatureBlock(ctx, [{ roleLabel: ctx.t('roles.secretary'), name: doc.secretary ? ctx.text(doc.secretary) : '' }]),
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
    const marked = { used: false };
    // A correction: the protocol it replaces under its number, the decision's note under the technology.
    const numberCell = (r: ProtocolRegisterDoc['rows'][number]): Content =>
      r.replaces
        ? { stack: [{ text: r.number, style: 'td', noWrap: true }, { text: ctx.t('protocolRegister.replaces', { number: r.replaces }), style: 'small' }] }
        : { text: r.number, style: 'td', noWrap: true };
    const codeAndNote = (r: ProtocolRegisterDoc['rows'][number]): Content => {
      const c = codeCell(ctx, r.code, r.name, marked);
      return r.note ? { stack: [c, { text: `${ctx.t('protocolRegister.columns.note')}: ${r.note}`, style: 'small', margin: [0, 2, 0, 0] }] } : c;
    };
    return [
      {
        table: {
          headerRows: 1,
          dontBreakRows: true,
          widths: [20, 58, 50, 104, '*', 'auto'],
          body: [
            [th(ctx, 'common.rowNo'), c('number'), c('date'), c('patient'), c('code'), c('outcome')],
            ...doc.rows.map((r, i) => [
              { text: String(i + 1), style: 'td', alignment: 'center' },
              numberCell(r),
              { text: formatDate(r.date), style: 'td', noWrap: true },
              { text: r.patientName, style: 'td' },
              codeAndNote(r),
              { ...(cell(ctx, `outcomes.${r.outcome}`) as object), alignment: 'center' },
            ]),
          ],
        },
        layout: GRID,
      },
      ...otherLanguageNote(ctx, marked),
      {
        text: ctx.t('protocolRegister.summary', { total: doc.rows.length, approved, refused: doc.rows.length - approved }),
        margin: [0, 6, 0, 0],
      },
    ];
  },
  signatures: (doc, ctx) => signatureBlock(ctx, [{ roleLabel: ctx.t('roles.secretary'), name: doc.secretary ? ctx.text(doc.secretary) : '' }]),
  meta: (doc, t, lang) => ({
    title: t(lang, 'protocolRegister.metaTitle', { from: formatDate(doc.period.from), to: formatDate(doc.period.to) }),
    subject: t(lang, 'protocolRegister.metaSubject'),
  }),
};
