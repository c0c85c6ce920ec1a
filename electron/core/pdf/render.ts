import { createHash } from 'node:crypto';
import pdfmake from 'pdfmake';
import {
  findInvalidField,
  type BilingualLayout,
  type DocLang,
  type HtmpDocument,
  type LocalizedText,
  type PdfLang,
} from '../../../shared/documents';
import { assetsDir as appAssetsDir } from '../paths';
import { annualReportBuilder } from './annual-report';
import type { DocBuilder } from './builder';
import { footer, makeCtx, pageSetup, rule, titleRow, type Content, type Ctx } from './common';
import { PdfInvalidDocumentError } from './errors';
import { registerPdfFonts } from './fonts';
import { documentVerification, statementHash } from './hash';
import { defaultPdfTranslator, type PdfTranslate } from './i18n';
import { protocolRegisterBuilder, refusalJournalBuilder } from './lists';
import { applicationBuilder, conclusionBuilder } from './conformity';
import { protocolBuilder } from './protocol';
import { scoringSheetBuilder } from './scoring';
import { writePdfAtomic } from './write';

export interface RenderOptions {
  lang: DocLang;
  /** Layout of a document in both languages (ignored for one language); default `columns`. */
  layout?: BilingualLayout;
  /** Translation function; default: locales/kk|ru/pdf.json of the app. */
  t?: PdfTranslate;
  /** The app's assets folder (fonts in `fonts/`); default: `assetsDir()` of electron/core/paths. */
  assetsDir?: string;
  /** Write PDF/A-2b (embedded sRGB profile and XMP metadata) for archiving; default true. */
  pdfA?: boolean;
}

export interface RenderedPdf {
  buffer: Buffer;
  pages: number;
  /** statementHash(doc): the SHA-256 printed in the QR code and footer. */
  sha256: string;
  /** The verification string printed in the QR code. */
  verification: string;
  /** SHA-256 of the PDF file itself (for an archive index; differs per rendering). */
  fileSha256: string;
}

const BUILDERS: { [K in HtmpDocument['kind']]: DocBuilder<Extract<HtmpDocument, { kind: K }>> } = {
  protocol: protocolBuilder,
  refusal_journal: refusalJournalBuilder,
  scoring_sheet: scoringSheetBuilder,
  protocol_register: protocolRegisterBuilder,
  conformity_application: applicationBuilder,
  conformity_conclusion: conclusionBuilder,
  annual_report: annualReportBuilder,
};

const PDF_LANGUAGE: Record<DocLang, string> = { kk: 'kk-KZ', ru: 'ru-RU', both: 'kk-KZ' };

/** Throws `pdf.invalid_document` with the first bad field unless `doc` is a printable document. */
export function validateDocument(doc: unknown): asserts doc is HtmpDocument {
  const field = findInvalidField(doc);
  if (field !== null) throw new PdfInvalidDocumentError(field);
}

function validateOptions(opts: RenderOptions): void {
  if (!['kk', 'ru', 'both'].includes(opts.lang)) throw new PdfInvalidDocumentError('options.lang');
  if (opts.layout !== undefined && !['columns', 'sequential'].includes(opts.layout)) throw new PdfInvalidDocumentError('options.layout');
}

function side(a: Content[], b: Content[]): Content {
  return { columns: [{ width: '*', stack: a }, { width: '*', stack: b }], columnGap: 16 };
}

function localizedIn(text: LocalizedText | undefined, lang: DocLang): string {
  if (text === undefined) return '';
  if (typeof text === 'string') return text;
  return lang === 'both' ? `${text.kk} / ${text.ru}` : text[lang];
}

export interface BuiltDefinition {
  /** The pdfmake document definition (exposed for tests and previews). */
  definition: Record<string, unknown>;
  verification: string;
  sha256: string;
  /** Number of pages of the last layout (known after rendering). */
  pageCount(): number;
}

/** Builds the pdfmake definition of a validated document (no fonts or files touched). */
export function buildDocDefinition(doc: HtmpDocument, opts: RenderOptions): BuiltDefinition {
  validateDocument(doc);
  validateOptions(opts);
  const t = opts.t ?? defaultPdfTranslator();
  const lang = opts.lang;
  const layout = opts.layout ?? 'columns';
  const builder = BUILDERS[doc.kind] as DocBuilder<HtmpDocument>;
  const sha256 = statementHash(doc);
  const verification = documentVerification(doc);

  const signatures = (ctx: Ctx): Content[] => {
    const s = builder.signatures(doc, ctx);
    return s === null ? [] : [{ stack: [s], margin: [0, 14, 0, 0] }];
  };

  let content: Content[];
  if (lang !== 'both') {
    const ctx = makeCtx(lang, t);
    content = [titleRow(builder.head(doc, ctx), verification), rule(), ...builder.titles(doc, ctx), ...builder.body(doc, ctx), ...signatures(ctx)];
  } else {
    const kk = makeCtx('kk', t);
    const ru = makeCtx('ru', t);
    if (layout === 'columns') {
      const both = makeCtx('both', t);
      const kkBody = builder.body(doc, kk);
      const ruBody = builder.body(doc, ru);
      const body = builder.bilingualBody
        ? builder.body(doc, both)
        : Array.from({ length: Math.max(kkBody.length, ruBody.length) }, (_, i) => side([kkBody[i] ?? ''], [ruBody[i] ?? '']));
      content = [
        titleRow(side([builder.head(doc, kk)], [builder.head(doc, ru)]), verification),
        rule(),
        side(builder.titles(doc, kk), builder.titles(doc, ru)),
        ...body,
        ...signatures(both),
      ];
    } else {
      content = [
        titleRow(builder.head(doc, kk), verification),
        rule(),
        ...builder.titles(doc, kk),
        ...builder.body(doc, kk),
        ...signatures(kk),
        { stack: [builder.head(doc, ru)], pageBreak: 'before' },
        rule(),
        ...builder.titles(doc, ru),
        ...builder.body(doc, ru),
        ...signatures(ru),
      ];
    }
  }

  const metaLangs: PdfLang[] = lang === 'both' ? ['kk', 'ru'] : [lang];
  const metas = metaLangs.map((l) => builder.meta(doc, t, l));
  const commission = 'commission' in doc ? doc.commission : undefined;
  let pages = 0;
  const pageFooter = footer(t, lang, doc.generatedAt, verification);

  const definition: Record<string, unknown> = {
    ...pageSetup(pageFooter, (n) => (pages = n)),
    content,
    language: PDF_LANGUAGE[lang],
    info: {
      title: metas.map((m) => m.title).join(' / '),
      subject: metas.map((m) => m.subject).join(' / '),
      author: commission ? localizedIn(commission.name, lang) : doc.kind === 'scoring_sheet' ? doc.evaluator : '',
      keywords: verification,
      creator: 'HTMP Commission Desk',
      creationDate: new Date(doc.generatedAt),
    },
    displayTitle: true,
    compress: true,
    ...(opts.pdfA === false ? { version: '1.7' } : { version: '1.7', subset: 'PDF/A-2b' }),
  };
  return { definition, verification, sha256, pageCount: () => pages };
}

/**
 * Renders a document to a PDF in memory. Validates first: bad data throws
 * `PdfInvalidDocumentError` (`{code:'pdf.invalid_document', params:{field}}`) before any work.
 */
export async function renderDocument(doc: HtmpDocument, opts: RenderOptions): Promise<RenderedPdf> {
  const built = buildDocDefinition(doc, opts);
  registerPdfFonts(opts.assetsDir ?? appAssetsDir());
  const buffer = await pdfmake.createPdf(built.definition).getBuffer();
  return {
    buffer,
    pages: built.pageCount(),
    sha256: built.sha256,
    verification: built.verification,
    fileSha256: createHash('sha256').update(buffer).digest('hex'),
  };
}

/** Renders and writes atomically to `file` (validation errors leave no file at all). */
export async function renderDocumentToFile(doc: HtmpDocument, file: string, opts: RenderOptions): Promise<RenderedPdf> {
  const rendered = await renderDocument(doc, opts);
  await writePdfAtomic(file, rendered.buffer);
  return rendered;
}

export { statementHash };
