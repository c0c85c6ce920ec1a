import type { MemberRole, PdfLang, ProtocolDoc, SourcedName } from '../../../shared/documents';
import { authorityBlock, keep, formatDate, GRID, gridTable, kvTable, section, signatureBlock, type Content, type Ctx } from './common';
import type { DocBuilder } from './builder';

const ROLE_ORDER: Record<MemberRole, number> = { chair: 0, member: 1, secretary: 2 };

function single(ctx: Ctx): PdfLang {
  return ctx.lang === 'both' ? 'kk' : ctx.lang;
}

/** Name of the HTMP type in ctx's language; the other language's official name with a note where there is none. */
export function htmpName(ctx: Ctx, name: ProtocolDoc['htmp']['name']): Content {
  const lang = single(ctx);
  const own: SourcedName | null = name[lang];
  const other: SourcedName | null = name[lang === 'kk' ? 'ru' : 'kk'];
  const shown = own ?? other;
  if (!shown) return { text: ctx.t('protocol.htmpNotInList'), style: 'td' };
  return {
    stack: [
      { text: shown.text, style: 'td' },
      ...(own ? [] : [{ text: ctx.t('common.nameInOtherLanguage'), style: 'note', margin: [0, 2, 0, 0] }]),
      { text: ctx.t('common.source', { source: shown.source }), style: 'small', margin: [0, 2, 0, 0] },
    ],
  };
}

function patientName(doc: ProtocolDoc): string {
  const p = doc.patient;
  return [p.lastName, p.firstName, p.middleName].filter((s): s is string => !!s && s.trim() !== '').join(' ');
}

export const protocolBuilder: DocBuilder<ProtocolDoc> = {
  head: (doc, ctx) => authorityBlock(ctx, doc.commission),

  titles: (doc, ctx) => [
    { text: ctx.t('protocol.title'), style: 'title' },
    { text: ctx.t('protocol.subtitle'), style: 'subtitle' },
    {
      columns: [
        { text: ctx.lang === 'both' ? formatDate(doc.date) : ctx.t('protocol.date', { date: formatDate(doc.date) }), width: '*' },
        { text: ctx.t('protocol.number', { number: doc.number }), width: 'auto', alignment: 'right', bold: true },
      ],
      style: 'meta',
    },
    // A correction says, before anything else, which protocol it replaces and why.
    ...(doc.correction
      ? [
          { text: ctx.t('protocol.replaces', { number: doc.correction.replaces }), bold: true, margin: [0, 0, 0, 2] },
          { text: ctx.t('protocol.correctionReason', { reason: doc.correction.reason }), margin: [0, 0, 0, 6] },
        ]
      : []),
  ],

  body: (doc, ctx) => {
    const members = [...doc.members].sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);
    const blocks: Content[] = [];

    blocks.push(keep([
      section(1, ctx.t('protocol.sections.members')),
      {
        table: {
          headerRows: 1,
          dontBreakRows: true,
          widths: [22, '*', '*'],
          body: [
            [
              { text: ctx.t('common.rowNo'), style: 'th' },
              { text: ctx.t('protocol.fields.memberName'), style: 'th' },
              { text: ctx.t('protocol.fields.role'), style: 'th' },
            ],
            ...members.map((m, i) => [
              { text: String(i + 1), style: 'td', alignment: 'center' },
              {
                stack: [
                  { text: ctx.text(m.name), style: 'td' },
                  ...(m.position ? [{ text: ctx.text(m.position), style: 'small', margin: [0, 1, 0, 0] }] : []),
                ],
              },
              { text: ctx.t(`roles.${m.role}`), style: 'td' },
            ]),
          ],
        },
        layout: GRID,
      },
    ]));

    blocks.push(keep([
      section(2, ctx.t('protocol.sections.patient')),
      kvTable([
        [ctx.t('protocol.fields.fullName'), patientName(doc)],
        [ctx.t('protocol.fields.iin'), doc.patient.iin],
        [ctx.t('protocol.fields.birthDate'), formatDate(doc.patient.birthDate)],
      ]),
    ]));

    blocks.push(keep([
      section(3, ctx.t('protocol.sections.diagnosis')),
      kvTable([
        [ctx.t('protocol.fields.icd10'), doc.diagnosis.icd10],
        [ctx.t('protocol.fields.diagnosisText'), doc.diagnosis.text],
      ]),
    ]));

    blocks.push(keep([
      section(4, ctx.t('protocol.sections.htmp')),
      kvTable([
        [ctx.t('protocol.fields.htmpCode'), { text: doc.htmp.code, style: 'td', bold: true }],
        // The group of the list the urgency and funding select, in the list's own words: the name
        // below is that group's wording (a code can be worded differently in each).
        ...(doc.htmp.section ? [[ctx.t('protocol.fields.htmpSection'), `«${ctx.t(`listSections.${doc.htmp.section}`)}»`] as [Content, Content]] : []),
        [ctx.t('protocol.fields.htmpName'), htmpName(ctx, doc.htmp.name)],
      ]),
    ]));

    blocks.push(keep([
      section(5, ctx.t('protocol.sections.provider')),
      { text: doc.provider ? ctx.text(doc.provider.name) : ctx.t('protocol.providerNone'), margin: [0, 0, 0, 0] },
    ]));

    blocks.push(keep([
      section(6, ctx.t('protocol.sections.checklist')),
      gridTable(
        [22, '*', 'auto'],
        [
          { text: ctx.t('common.rowNo'), style: 'th' },
          { text: ctx.t('protocol.fields.document'), style: 'th' },
          { text: ctx.t('protocol.fields.received'), style: 'th' },
        ],
        doc.checklist.map((c, i) => [
          { text: String(i + 1), style: 'td', alignment: 'center' },
          {
            stack: [
              { text: ctx.t(`checklist.${c.kind}`), style: 'td' },
              ...(c.note ? [{ text: `${ctx.t('protocol.fields.note')}: ${c.note}`, style: 'note', margin: [0, 1, 0, 0] }] : []),
            ],
          },
          { text: ctx.t(c.received ? 'common.yes' : 'common.no'), style: 'td', alignment: 'center', bold: !c.received },
        ]),
        ctx.t('protocol.checklistEmpty'),
      ),
    ]));

    const decision: Content[] = [
      section(7, ctx.t('protocol.sections.decision')),
      { text: ctx.t('protocol.reviewed'), margin: [0, 0, 0, 4] },
    ];
    if (doc.decision.outcome === 'approved') {
      decision.push({ text: ctx.t('protocol.approved'), style: 'decision' });
    } else {
      const reason = doc.decision.reason;
      decision.push(
        { text: ctx.t('protocol.refused'), style: 'decision' },
        {
          text: ctx.t('protocol.reasonLabel', { reason: ctx.t(`reasons.${reason}`), legal: ctx.t(`reasonsLegal.${reason}`) }),
          margin: [0, 3, 0, 0],
        },
        // Point 40 has the refusal entered in the journal for a patient in hospital. A protocol
        // issued before the case recorded this (no `inpatient`) printed the sentence on every
        // refusal, and prints it again as issued.
        ...(doc.inpatient !== false ? [{ text: ctx.t('protocol.refusalJournal'), margin: [0, 3, 0, 0] }] : []),
      );
    }
    decision.push({ text: ctx.t('protocol.rulesNote', { rules: ctx.t('legal.rules238') }), style: 'small', margin: [0, 6, 0, 0] });
    blocks.push(keep(decision));
    return blocks;
  },

  signatures: (doc, ctx) => {
    const members = [...doc.members].sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);
    return signatureBlock(
      ctx,
      members.map((m) => ({ roleLabel: ctx.t(`roles.${m.role}`), name: ctx.text(m.name) })),
      ctx.t('common.signatures'),
    );
  },

  meta: (doc, t, lang) => ({
    title: t(lang, 'protocol.metaTitle', { number: doc.number, date: formatDate(doc.date) }),
    subject: t(lang, 'protocol.metaSubject'),
  }),
};
