/**
 * The treatment-abroad documents as PDF (Kazakh or Russian), on the protocols' engine: the same
 * page geometry, letterhead, embedded DejaVu fonts, QR code with the verification string, footer
 * with the generation time and page numbers (electron/core/pdf/common.ts), and atomic writing.
 * Texts come from locales/<lang>/abroad.json (`pdf.*`, `chart.*`, quotes) with the common words of pdf.json.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pdfmake from 'pdfmake';
import { canonicalJson } from '../../../shared/canonical-json';
import type { AbroadText } from '../../../shared/domain/abroad';
import { abroadStatement, abroadVerificationString, type AbroadDocument, type AbroadLetterDoc, type AbroadSummaryDoc } from '../../../shared/domain/abroad-documents';
import type { PdfLang } from '../../../shared/documents';
import { renderChartSvg } from '../charts/svg';
import { assetsDir, localesDir } from '../paths';
import { CONTENT_WIDTH, footer, formatDate, GRID, gridTable, keep, kvTable, makeCtx, pageSetup, rule, section, signatureBlock, titleRow, type Content, type Ctx } from '../pdf/common';
import { PDF_FONT_FAMILY, registerPdfFonts } from '../pdf/fonts';
import { createPdfTranslator, loadPdfMessages, type PdfTranslate } from '../pdf/i18n';
import { abroadRouteLabel, summaryStepsChart } from '../../../shared/domain/abroad-charts';
import { chartOption } from '../../../shared/charts/chart-spec';

let translator: { dir: string; t: PdfTranslate } | undefined;

/** pdf.json (common words) with this area's `pdf` texts under `abroad.pdf.`. */
export function abroadPdfTranslator(dir: string = localesDir()): PdfTranslate {
  if (translator?.dir === dir) return translator.t;
  const base = loadPdfMessages(dir);
  const area = (lang: PdfLang) => JSON.parse(fs.readFileSync(path.join(dir, lang, 'abroad.json'), 'utf8')) as unknown;
  const t = createPdfTranslator({
    kk: { ...(base.kk as object), abroad: area('kk') },
    ru: { ...(base.ru as object), abroad: area('ru') },
  });
  translator = { dir, t };
  return t;
}

/** SHA-256 of the canonical JSON of the document's statement. */
export function abroadStatementHash(doc: AbroadDocument): string {
  return createHash('sha256').update(canonicalJson(abroadStatement(doc)), 'utf8').digest('hex');
}

export interface RenderedAbroadPdf {
  buffer: Buffer;
  pages: number;
  sha256: string;
  verification: string;
}

const tx = (ctx: Ctx, v: AbroadText) => v[ctx.lang === 'ru' ? 'ru' : 'kk'];

/** The letterhead in the document's language: a Kazakh letter carries no Russian name, nor the other way round. */
function letterhead(ctx: Ctx, sender: AbroadText, commission: AbroadText | string | null): Content {
  const commissionText = commission === null ? '' : typeof commission === 'string' ? commission : tx(ctx, commission);
  return {
    stack: [
      { text: tx(ctx, sender).toLocaleUpperCase(ctx.lang === 'ru' ? 'ru' : 'kk'), style: 'authority' },
      ...(commissionText ? [{ text: commissionText, style: 'commission', margin: [0, 2, 0, 0] }] : []),
    ],
  };
}

function kkNote(ctx: Ctx, source: AbroadText): Content[] {
  return [
    { text: ctx.t('abroad.pdf.common.source', { source: tx(ctx, source) }), style: 'note', margin: [0, 8, 0, 0] },
    ...(ctx.lang === 'kk' ? [{ text: ctx.t('abroad.pdf.common.kkUnofficial'), style: 'note', margin: [0, 2, 0, 0] }] : []),
  ];
}

function letterBody(doc: AbroadLetterDoc, ctx: Ctx): Content[] {
  const petition = doc.kind === 'abroad_petition';
  const p = petition ? 'abroad.pdf.petition' : 'abroad.pdf.coverLetter';
  const out: Content[] = [
    {
      columns: [
        { width: '*', stack: [{ text: ctx.t('abroad.pdf.common.number', { number: doc.number }), bold: true }, { text: formatDate(doc.date) }] },
        { width: 220, stack: [{ text: ctx.t('abroad.pdf.common.to'), style: 'small' }, { text: tx(ctx, doc.recipient), bold: true }] },
      ],
      margin: [0, 4, 0, 8],
    },
    { text: ctx.t(`${p}.title`), style: 'title' },
    { text: ctx.t(`${p}.subtitle`), style: 'subtitle', margin: [0, 0, 0, 8] },
    {
      text: petition
        ? ctx.t('abroad.pdf.petition.intro', { sender: tx(ctx, doc.sender), recipient: tx(ctx, doc.recipient) })
        : ctx.t('abroad.pdf.coverLetter.intro', { step: doc.step.n, action: tx(ctx, doc.step.action) }),
      margin: [0, 0, 0, 6],
      alignment: 'justify',
    },
  ];
  const rows: [Content, Content][] = [
    [ctx.t('abroad.pdf.fields.patient'), doc.patient.name],
    [ctx.t('abroad.pdf.fields.iin'), doc.patient.iin],
    [ctx.t('abroad.pdf.fields.birthDate'), formatDate(doc.patient.birthDate)],
  ];
  if (doc.diagnosis) rows.push([ctx.t('abroad.pdf.fields.diagnosis'), doc.diagnosis]);
  rows.push([ctx.t('abroad.pdf.fields.group'), tx(ctx, doc.diseaseGroup)]);
  if (doc.transplant) rows.push([ctx.t('abroad.pdf.fields.transplant'), tx(ctx, doc.transplant)]);
  rows.push([ctx.t('abroad.pdf.fields.category'), tx(ctx, doc.category)]);
  rows.push([ctx.t('abroad.pdf.fields.confirmations'), { ul: doc.confirmations.map((c) => tx(ctx, c)), style: 'td' }]);
  if (doc.instructionRef) rows.push([ctx.t('abroad.pdf.fields.instruction'), doc.instructionRef]);
  out.push(keep([section(1, ctx.t('abroad.pdf.sections.patient')), kvTable(rows)]));
  out.push(
    keep([
      section(2, ctx.t('abroad.pdf.sections.route')),
      kvTable([
        [ctx.t('abroad.pdf.fields.request'), ctx.t('abroad.pdf.fields.requestValue', { number: doc.request.number, date: formatDate(doc.request.startedOn) })],
        [ctx.t('abroad.pdf.fields.route'), `${tx(ctx, doc.request.routeTitle)} (${ctx.t('abroad.pdf.fields.version', { version: doc.request.routeVersion })})`],
        [ctx.t('abroad.pdf.fields.step'), ctx.t('abroad.pdf.fields.stepValue', { n: doc.step.n, action: tx(ctx, doc.step.action) })],
        [ctx.t('abroad.pdf.fields.holder'), tx(ctx, doc.step.holder)],
        [ctx.t('abroad.pdf.fields.stepTerm'), ctx.t('abroad.pdf.fields.stepTermValue', { days: doc.step.workingDays, due: formatDate(doc.step.due) })],
        [ctx.t('abroad.pdf.fields.routeTerm'), ctx.t('abroad.pdf.fields.routeTermValue', { days: doc.request.totalWorkingDays, due: formatDate(doc.request.routeDue) })],
      ]),
    ]),
  );
  out.push(
    keep([
      section(3, ctx.t(petition ? 'abroad.pdf.sections.enclosures' : 'abroad.pdf.sections.documents')),
      doc.enclosures.length === 0
        ? { text: ctx.t('abroad.pdf.common.none'), style: 'note' }
        : { ol: doc.enclosures.map((e) => `${tx(ctx, e.name)}${e.files > 0 ? ` — ${ctx.t('abroad.pdf.common.files', { count: e.files })}` : ''}`) },
    ]),
  );
  out.push(...kkNote(ctx, doc.source));
  return out;
}

function summaryBody(doc: AbroadSummaryDoc, ctx: Ctx, chartSvg: string | null): Content[] {
  const th = (k: string): Content => ({ text: ctx.t(`abroad.pdf.summary.columns.${k}`), style: 'th' });
  const td = (v: string | number, align = 'center'): Content => ({ text: String(v), style: 'td', alignment: align });
  const blocks: Content[] = [
    { text: ctx.t('abroad.pdf.summary.totals', { total: doc.total, contracted: doc.contracted }), margin: [0, 0, 0, 4] },
    keep([
      section(1, ctx.t('abroad.pdf.summary.sections.byGroup')),
      {
        table: {
          headerRows: 1,
          dontBreakRows: true,
          widths: ['*', 50, 64, 48],
          body: [
            [th('group'), th('child'), th('serviceInjury'), th('total')],
            ...doc.byGroup.map((g) => [td(tx(ctx, g.group), 'left'), td(g.child), td(g.service_injury), td(g.total)]),
          ],
        },
        layout: GRID,
      },
    ]),
  ];
  blocks.push([
    section(2, ctx.t('abroad.pdf.summary.sections.steps')),
    {
      table: {
        headerRows: 1,
        dontBreakRows: true,
        widths: [32, '*', 40, 64, 46, 40, 64],
        body: [
          [th('step'), th('actor'), th('norm'), th('completed'), th('mean'), th('max'), th('late')],
          // The steps of each route under a row naming the route in the document's language.
          ...doc.steps.flatMap((s, i) => [
            ...(i === 0 || doc.steps[i - 1]!.route !== s.route
              ? [[{ text: `${ctx.t('abroad.pdf.summary.columns.route')}: ${abroadRouteLabel(s.route, (k, p) => ctx.t(`abroad.${k}`, p))}`, style: 'td', bold: true, colSpan: 7 }, {}, {}, {}, {}, {}, {}]]
              : []),
            [td(s.n), td(tx(ctx, s.actor), 'left'), td(s.norm), td(s.completed), td(s.mean), td(s.max), td(s.late)],
          ]),
        ],
      },
      layout: GRID,
    },
    ...(chartSvg ? [{ svg: chartSvg, width: CONTENT_WIDTH * 0.95, font: PDF_FONT_FAMILY, margin: [0, 8, 0, 0] }] : []),
  ]);
  blocks.push([
    section(3, ctx.t('abroad.pdf.summary.sections.late')),
    gridTable(
      [44, '*', 32, 80, 52, 62, 58],
      [th('number'), th('patient'), th('step'), th('actor'), th('due'), th('completedOn'), th('lateDays')],
      doc.late.map((l) => [td(l.number), td(l.patientName, 'left'), td(l.n), td(tx(ctx, l.actor), 'left'), td(formatDate(l.due)), td(l.completedOn ? formatDate(l.completedOn) : '—'), td(l.lateDays)]),
      ctx.t('abroad.pdf.common.none'),
    ),
  ]);
  blocks.push(
    keep([
      section(4, ctx.t('abroad.pdf.summary.sections.route')),
      kvTable([
        [ctx.t('abroad.pdf.summary.withinNorm'), String(doc.route.withinNorm)],
        [ctx.t('abroad.pdf.summary.overNorm'), String(doc.route.overNorm)],
        [ctx.t('abroad.pdf.summary.meanToContract'), doc.route.meanDaysToContract],
      ]),
    ]),
  );
  if (ctx.lang === 'kk') blocks.push({ text: ctx.t('abroad.pdf.common.kkUnofficial'), style: 'note', margin: [0, 8, 0, 0] });
  return blocks;
}

async function summaryChartSvg(doc: AbroadSummaryDoc, ctx: Ctx): Promise<string | null> {
  const chart = summaryStepsChart(doc, (k, p) => ctx.t(`abroad.${k}`, p));
  return chart ? renderChartSvg(chartOption(chart, { fontFamily: PDF_FONT_FAMILY }), { width: 460, height: 240 }) : null;
}

/** Renders a document in one language. */
export async function renderAbroadPdf(doc: AbroadDocument, lang: PdfLang, opts: { t?: PdfTranslate; assetsDir?: string } = {}): Promise<RenderedAbroadPdf> {
  const t = opts.t ?? abroadPdfTranslator();
  const ctx = makeCtx(lang, t);
  const sha256 = abroadStatementHash(doc);
  const verification = abroadVerificationString(doc, sha256);
  let content: Content[];
  let title: string;
  if (doc.kind === 'abroad_summary') {
    title = t(lang, 'abroad.pdf.summary.title', { year: doc.year });
    content = [
      titleRow(doc.authority ? letterhead(ctx, doc.authority, doc.commission) : { text: '' }, verification),
      rule(),
      { text: title, style: 'title' },
      { text: t(lang, 'abroad.pdf.summary.subtitle', { asOf: formatDate(doc.asOf) }), style: 'subtitle', margin: [0, 0, 0, 8] },
      ...summaryBody(doc, ctx, await summaryChartSvg(doc, ctx)),
    ];
  } else {
    title = t(lang, doc.kind === 'abroad_petition' ? 'abroad.pdf.petition.title' : 'abroad.pdf.coverLetter.title');
    content = [
      titleRow(letterhead(ctx, doc.sender, doc.commission), verification),
      rule(),
      ...letterBody(doc, ctx),
      { stack: [signatureBlock(ctx, [{ roleLabel: t(lang, doc.kind === 'abroad_petition' ? 'abroad.pdf.petition.signer' : 'abroad.pdf.coverLetter.signer'), name: ' ' }])], margin: [0, 14, 0, 0] },
    ];
  }
  let pages = 0;
  const pageFooter = footer(t, lang, doc.generatedAt, verification);
  const definition: Record<string, unknown> = {
    ...pageSetup(pageFooter, (n) => (pages = n)),
    content,
    language: lang === 'kk' ? 'kk-KZ' : 'ru-RU',
    info: { title, subject: t(lang, 'abroad.pdf.common.subject'), keywords: verification, creator: 'HTMP Commission Desk', creationDate: new Date(doc.generatedAt) },
    displayTitle: true,
    compress: true,
    version: '1.7',
    subset: 'PDF/A-2b',
  };
  registerPdfFonts(opts.assetsDir ?? assetsDir());
  const buffer = await pdfmake.createPdf(definition).getBuffer();
  return { buffer, pages, sha256, verification };
}
