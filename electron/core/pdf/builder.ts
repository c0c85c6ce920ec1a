import type { PdfLang } from '../../../shared/documents';
import type { Content, Ctx } from './common';
import type { PdfTranslate } from './i18n';

/**
 * How one kind of document is laid out. The renderer assembles the parts per language and layout:
 * single language; both in columns (head, titles and body side by side, signatures once with
 * bilingual labels); both sequential (the whole Kazakh text, then the whole Russian text).
 */
export interface DocBuilder<D> {
  /** Authority / commission names, printed left of the QR code. */
  head(doc: D, ctx: Ctx): Content;
  /** Title, subtitle, number and date. */
  titles(doc: D, ctx: Ctx): Content[];
  /** Numbered sections; in the columns layout block i of kk stands level with block i of ru. */
  body(doc: D, ctx: Ctx): Content[];
  /** Signature block, or null. */
  signatures(doc: D, ctx: Ctx): Content | null;
  /** PDF metadata in one language. */
  meta(doc: D, t: PdfTranslate, lang: PdfLang): { title: string; subject: string };
  /**
   * Long lists: in the columns layout the body is one table with bilingual headers (a "both"
   * context) rather than two half-width copies of every row.
   */
  bilingualBody?: boolean;
}
