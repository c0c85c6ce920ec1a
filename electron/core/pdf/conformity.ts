/**
 * The application (ДСМ-238 app. 1) and the conclusion of conformity (app. 3) as official documents:
 * the letterhead of the organization (application) or of the issuing subdivision (conclusion),
 * the QR code with the verification string, the table of the form, and the detail of what the
 * form's columns hold. Texts: `orgs.*` keys, kept in locales/<lang>/orgs.json under `pdf`
 * (the `orgsPdfTranslator` of electron/core/orgs/pdf.ts), the rest from pdf.json.
 *
 * Both documents are written once for any context: in a document in both languages the labels
 * stand Kazakh above Russian and the values are given in both (a bilingual body, as the lists).
 */
import type { ApplicationDoc, ConclusionDoc, DocHtmp, DocOrganization } from '../../../shared/documents-conformity';
import type { PdfLang } from '../../../shared/documents';
import type { DocBuilder } from './builder';
import { formatDate, GRID, gridTable, keep, kvTable, section, signatureBlock, type Content, type Ctx } from './common';

const single = (ctx: Ctx): PdfLang => (ctx.lang === 'both' ? 'kk' : ctx.lang);

/** A pair of texts: the context's language, or both (Kazakh above, Russian in grey). */
function pair(ctx: Ctx, v: { kk: string; ru: string }, style: Record<string, unknown> = { style: 'td' }): Content {
  if (ctx.lang !== 'both') return { text: v[ctx.lang], ...style };
  if (v.kk === v.ru) return { text: v.kk, ...style };
  return { stack: [{ text: v.kk }, { text: v.ru, color: '#404040' }], ...style };
}

function th(ctx: Ctx, key: string): Content {
  return ctx.label(key, undefined, { style: 'th' });
}

/** Label cell of a key/value table: one language, or Kazakh above Russian. */
function label(ctx: Ctx, key: string, params?: Record<string, string | number>): Content {
  return ctx.label(key, params);
}

function orgHead(ctx: Ctx, o: DocOrganization): Content {
  const name = ctx.lang === 'both' ? [o.name.kk, o.name.ru] : [o.name[ctx.lang]];
  return {
    stack: [
      ...name.map((n, i) => ({ text: n.toLocaleUpperCase(i === 0 && ctx.lang !== 'ru' ? 'kk' : 'ru'), style: 'authority', margin: [0, i ? 2 : 0, 0, 0] })),
      { text: `${ctx.t('orgs.common.bin')}: ${o.bin}`, style: 'commission', margin: [0, 2, 0, 0] },
    ],
  };
}

function issuerHead(ctx: Ctx, name: ConclusionDoc['issuer']['name']): Content {
  const texts = typeof name === 'string' ? [name] : ctx.lang === 'both' ? [name.kk, name.ru] : [name[ctx.lang]];
  return { stack: texts.map((n, i) => ({ text: n.toLocaleUpperCase(ctx.lang === 'ru' || i === 1 ? 'ru' : 'kk'), style: 'authority', margin: [0, i ? 2 : 0, 0, 0] })) };
}

/** The HTMP type's official name; the other language's (not translated) with a note where one is missing. */
function htmpName(ctx: Ctx, h: DocHtmp): Content {
  const want: PdfLang[] = ctx.lang === 'both' ? ['kk', 'ru'] : [ctx.lang];
  const lines: Content[] = [];
  for (const lang of want) {
    const own = h.name[lang];
    if (own) lines.push({ text: own, style: 'td', ...(lang === 'ru' && ctx.lang === 'both' ? { color: '#404040' } : {}) });
  }
  if (lines.length === 0) {
    const other = h.name.kk ?? h.name.ru;
    if (!other) return { text: ctx.t('orgs.common.noName'), style: 'td' };
    return { stack: [{ text: other, style: 'td' }, { text: ctx.t('common.nameInOtherLanguage'), style: 'note', margin: [0, 2, 0, 0] }] };
  }
  if (ctx.lang === 'both' && (h.name.kk === null || h.name.ru === null)) {
    lines.push({ text: ctx.t('orgs.common.oneLanguageOnly'), style: 'note', margin: [0, 2, 0, 0] });
  }
  return { stack: lines };
}

function orgTable(ctx: Ctx, o: DocOrganization): Content {
  const rows: [Content, Content][] = [
    [label(ctx, 'orgs.common.orgName'), pair(ctx, o.name)],
    [label(ctx, 'orgs.common.bin'), { text: o.bin, style: 'td' }],
    [label(ctx, 'orgs.common.region'), pair(ctx, o.region)],
  ];
  if (o.address) rows.push([label(ctx, 'orgs.common.address'), { text: o.address, style: 'td' }]);
  return kvTable(rows, '32%');
}

const num = (v: number | null): string => (v === null ? '—' : String(v));
const dateOr = (v: string | null | undefined): string => (v ? formatDate(v) : '—');
const mark = (on: boolean): Content => ({ text: on ? '✓' : '', style: 'td', alignment: 'center', bold: true });

// ---------------------------------------------------------------------------------------------
// Application (app. 1)

export const applicationBuilder: DocBuilder<ApplicationDoc> = {
  bilingualBody: true,
  head: (doc, ctx) => orgHead(ctx, doc.organization),

  titles: (doc, ctx) => [
    { text: ctx.t('orgs.app.form'), style: 'small', alignment: 'right', margin: [0, 4, 0, 0] },
    { text: ctx.t('orgs.app.title', { year: doc.year }), style: 'title' },
    { text: ctx.t('orgs.app.subtitle'), style: 'subtitle' },
    {
      columns: [
        { text: doc.receivedOn ? ctx.t('orgs.app.received', { date: formatDate(doc.receivedOn) }) : ctx.t('orgs.app.notReceived'), width: '*' },
        { text: ctx.t('orgs.app.reference', { reference: doc.reference }), width: 'auto', alignment: 'right', bold: true },
      ],
      style: 'meta',
    },
  ],

  body: (doc, ctx) => {
    const blocks: Content[] = [];
    blocks.push(keep([section(1, ctx.t('orgs.app.sections.org')), orgTable(ctx, doc.organization)]));
    blocks.push(
      keep([
        section(2, ctx.t('orgs.app.sections.request')),
        {
          table: {
            headerRows: 1,
            dontBreakRows: true,
            widths: [18, 40, '*', 72, 72, 82],
            body: [
              [th(ctx, 'orgs.app.columns.no'), th(ctx, 'orgs.app.columns.code'), th(ctx, 'orgs.app.columns.type'), th(ctx, 'orgs.app.columns.staff'), th(ctx, 'orgs.app.columns.devices'), th(ctx, 'orgs.app.columns.volume')],
              [
                { text: '1', style: 'td', alignment: 'center' },
                { text: doc.htmp.code, style: 'td', bold: true },
                htmpName(ctx, doc.htmp),
                { text: ctx.t('orgs.app.staffCount', { count: doc.staff.length }), style: 'td' },
                { text: ctx.t('orgs.app.devicesCount', { count: doc.devices.length }), style: 'td' },
                { text: doc.plannedVolume === null ? ctx.t('orgs.app.volumeEmpty') : String(doc.plannedVolume), style: 'td', alignment: 'center' },
              ],
            ],
          },
          layout: GRID,
        },
        ...(doc.firstTime ? [{ text: ctx.t('orgs.app.firstTime'), style: 'note', margin: [0, 3, 0, 0] }] : []),
      ]),
    );
    blocks.push(
      keep([
        section(3, ctx.t('orgs.app.sections.staff')),
        gridTable(
          [18, '*', '*', 34, 80, 80, 70],
          [th(ctx, 'orgs.app.columns.no'), th(ctx, 'orgs.app.staffColumns.name'), th(ctx, 'orgs.app.staffColumns.specialty'), th(ctx, 'orgs.app.staffColumns.years'), th(ctx, 'orgs.app.staffColumns.hours'), th(ctx, 'orgs.app.staffColumns.date'), th(ctx, 'orgs.app.staffColumns.operations')],
          doc.staff.map((s, i) => [
            { text: String(i + 1), style: 'td', alignment: 'center' },
            { text: s.name || '—', style: 'td' },
            { text: s.specialty || '—', style: 'td' },
            { text: num(s.years), style: 'td', alignment: 'center' },
            { text: num(s.trainingHours), style: 'td', alignment: 'center' },
            { text: dateOr(s.trainingDate), style: 'td', alignment: 'center' },
            { text: num(s.operationsPerYear), style: 'td', alignment: 'center' },
          ]),
          ctx.t('orgs.app.none'),
        ),
      ]),
    );
    blocks.push(
      keep([
        section(4, ctx.t('orgs.app.sections.devices')),
        gridTable(
          [18, '*', 90, 80, 70],
          [th(ctx, 'orgs.app.columns.no'), th(ctx, 'orgs.app.deviceColumns.name'), th(ctx, 'orgs.app.deviceColumns.model'), th(ctx, 'orgs.app.deviceColumns.serial'), th(ctx, 'orgs.app.deviceColumns.state')],
          doc.devices.map((d, i) => [
            { text: String(i + 1), style: 'td', alignment: 'center' },
            { text: d.name || '—', style: 'td' },
            { text: d.model || '—', style: 'td' },
            { text: d.serial || '—', style: 'td' },
            { text: d.inService && !d.outOfOrderSince ? ctx.t('orgs.app.inService') : d.outOfOrderSince ? ctx.t('orgs.app.outSince', { date: formatDate(d.outOfOrderSince) }) : ctx.t('orgs.app.outOfOrder'), style: 'td' },
          ]),
          ctx.t('orgs.app.none'),
        ),
      ]),
    );
    if (doc.permits !== null && doc.permits.length > 0) {
      blocks.push(
        keep([
          section(5, ctx.t('orgs.app.sections.permits')),
          kvTable(doc.permits.map((p) => [ctx.t('orgs.app.permit', { number: p.number }), p.validUntil ? ctx.t('orgs.app.validUntil', { date: formatDate(p.validUntil) }) : ctx.t('orgs.app.noTerm')] as [Content, Content]), '50%'),
        ]),
      );
    }
    blocks.push({
      stack: [
        { text: ctx.t('orgs.app.notesTitle'), style: 'small', bold: true, margin: [0, 10, 0, 2] },
        { text: ctx.t('orgs.app.note1'), style: 'small' },
        { text: ctx.t('orgs.app.note2'), style: 'small' },
        { text: ctx.t('orgs.common.rules', { rules: ctx.t('legal.rules238') }), style: 'small', margin: [0, 4, 0, 0] },
      ],
    });
    return blocks;
  },

  signatures: (_doc, ctx) => signatureBlock(ctx, [{ roleLabel: ctx.t('orgs.app.head'), name: '' }]),

  meta: (doc, t, lang) => ({
    title: t(lang, 'orgs.app.metaTitle', { code: doc.htmp.code, year: doc.year, bin: doc.organization.bin }),
    subject: t(lang, 'orgs.app.metaSubject'),
  }),
};

// ---------------------------------------------------------------------------------------------
// Conclusion (app. 3)

function partRow(ctx: Ctx, key: string, conform: boolean, justification: string): Content[] {
  return [
    label(ctx, key),
    mark(conform),
    mark(!conform),
    { text: conform ? '—' : justification, style: 'td' },
    ctx.label(conform ? 'orgs.concl.conforms' : 'orgs.concl.notConforms', undefined, { style: 'td', bold: !conform }),
  ];
}

export const conclusionBuilder: DocBuilder<ConclusionDoc> = {
  bilingualBody: true,
  head: (doc, ctx) => issuerHead(ctx, doc.issuer.name),

  titles: (doc, ctx) => [
    { text: ctx.t('orgs.concl.form'), style: 'small', alignment: 'right', margin: [0, 4, 0, 0] },
    { text: ctx.t('orgs.concl.title'), style: 'title' },
    {
      columns: [
        { text: ctx.lang === 'both' ? formatDate(doc.date) : ctx.t('orgs.concl.date', { date: formatDate(doc.date) }), width: '*' },
        { text: ctx.t('orgs.concl.number', { number: doc.number }), width: 'auto', alignment: 'right', bold: true },
      ],
      style: 'meta',
    },
    { text: ctx.t('orgs.concl.validity', { from: formatDate(doc.validFrom), to: formatDate(doc.validTo) }), style: 'subtitle', bold: true, margin: [0, 0, 0, 6] },
  ],

  body: (doc, ctx) => {
    const blocks: Content[] = [];
    blocks.push(keep([section(1, ctx.t('orgs.concl.sections.org')), orgTable(ctx, doc.organization)]));
    blocks.push(
      keep([
        section(2, ctx.t('orgs.concl.sections.htmp')),
        kvTable([
          [label(ctx, 'orgs.common.code'), { text: doc.htmp.code, style: 'td', bold: true }],
          [label(ctx, 'orgs.common.htmpName'), htmpName(ctx, doc.htmp)],
          [label(ctx, 'orgs.concl.application'), { text: ctx.t(doc.application.firstTime ? 'orgs.concl.applicationFirst' : 'orgs.concl.applicationRegular', { date: formatDate(doc.application.receivedOn), year: doc.year }), style: 'td' }],
        ], '32%'),
        ...(doc.reissueOf
          ? [{ text: ctx.t('orgs.concl.reissue', { number: doc.reissueOf.number, date: formatDate(doc.reissueOf.date), code: doc.reissueOf.code }), style: 'note', margin: [0, 3, 0, 0] }]
          : []),
      ]),
    );
    blocks.push(
      keep([
        section(3, ctx.t('orgs.concl.sections.result')),
        {
          table: {
            headerRows: 1,
            dontBreakRows: true,
            widths: [78, 68, 80, '*', 76],
            body: [
              [th(ctx, 'orgs.concl.columns.criteria'), th(ctx, 'orgs.concl.columns.conform'), th(ctx, 'orgs.concl.columns.notConform'), th(ctx, 'orgs.concl.columns.justification'), th(ctx, 'orgs.concl.columns.conclusion')],
              partRow(ctx, 'orgs.concl.rows.staff', doc.staff.conform, doc.staff.justification),
              partRow(ctx, 'orgs.concl.rows.devices', doc.devices.conform, doc.devices.justification),
              [
                label(ctx, 'orgs.concl.rows.overall'),
                mark(doc.overall.conform),
                mark(!doc.overall.conform),
                { text: doc.overall.note || '—', style: 'td' },
                ctx.label(doc.overall.conform ? 'orgs.concl.conforms' : 'orgs.concl.notConforms', undefined, { style: 'td', bold: true }),
              ],
            ],
          },
          layout: GRID,
        },
      ]),
    );
    const rows = doc.requirements;
    const table = (part: 'staff' | 'devices'): Content => {
      const list = rows.filter((r) => r.part === part);
      return {
        table: {
          headerRows: 1,
          dontBreakRows: true,
          widths: [18, '*', 90, 80, 90],
          body: [
            [th(ctx, 'orgs.app.columns.no'), th(ctx, 'orgs.concl.reqColumns.requirement'), th(ctx, 'orgs.concl.reqColumns.auto'), th(ctx, 'orgs.concl.reqColumns.decision'), th(ctx, 'orgs.concl.reqColumns.justification')],
            ...list.map((r, i) => [
              { text: String(i + 1), style: 'td', alignment: 'center' },
              { text: r.text, style: 'td', fontSize: 7.5 },
              ctx.label(`orgs.concl.auto.${r.auto}`, undefined, { style: 'td' }),
              ctx.label(r.status === 'met' ? 'orgs.concl.conforms' : 'orgs.concl.notConforms', undefined, { style: 'td', bold: r.status !== 'met' }),
              { text: r.justification || '—', style: 'td' },
            ]),
          ],
        },
        layout: GRID,
      };
    };
    blocks.push({ text: `4. ${ctx.t('orgs.concl.sections.detail')}`, style: 'section', pageBreak: 'before' });
    if (single(ctx) !== 'kk' || ctx.lang === 'both') blocks.push({ text: ctx.t('orgs.concl.kkOnly'), style: 'note', margin: [0, 0, 0, 4] });
    blocks.push({ text: ctx.t('orgs.concl.rows.staff'), style: 'decision', margin: [0, 4, 0, 3] }, table('staff'));
    blocks.push({ text: ctx.t('orgs.concl.rows.devices'), style: 'decision', margin: [0, 8, 0, 3] }, table('devices'));
    blocks.push({
      stack: [
        { text: ctx.t('orgs.concl.notesTitle'), style: 'small', bold: true, margin: [0, 10, 0, 2] },
        { text: ctx.t('orgs.concl.note'), style: 'small' },
        { text: ctx.t('orgs.common.rules', { rules: ctx.t('legal.rules238') }), style: 'small', margin: [0, 4, 0, 0] },
      ],
    });
    return blocks;
  },

  signatures: (doc, ctx) => signatureBlock(ctx, [{ roleLabel: doc.signer.position || ctx.t('orgs.concl.signer'), name: doc.signer.name }]),

  meta: (doc, t, lang) => ({
    title: t(lang, 'orgs.concl.metaTitle', { number: doc.number, date: formatDate(doc.date) }),
    subject: t(lang, 'orgs.concl.metaSubject', { code: doc.htmp.code }),
  }),
};
