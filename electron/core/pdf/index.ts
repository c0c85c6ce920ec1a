/**
 * The PDF engine for the commission's official documents (protocol, journal of refusals, scoring
 * sheet, register of protocols) in Kazakh, Russian or both. Node only; never imports electron.
 * See docs/pdf.md.
 */
export { PdfError, PdfInvalidDocumentError, type PdfErrorCode } from './errors';
export { PDF_FONT_FAMILY, PDF_FONT_FILES, registerPdfFonts } from './fonts';
export { documentVerification, statementHash } from './hash';
export {
  createPdfTranslator,
  defaultPdfTranslator,
  interpolate,
  loadPdfMessages,
  lookup,
  type MessageParams,
  type PdfMessages,
  type PdfTranslate,
} from './i18n';
export {
  buildDocDefinition,
  renderDocument,
  renderDocumentToFile,
  validateDocument,
  type BuiltDefinition,
  type RenderedPdf,
  type RenderOptions,
} from './render';
export { writePdfAtomic } from './write';
