/**
 * The protocols area's API: the commission's official documents as PDF (protocol of a decision,
 * register of protocols, extract of the journal of refusals, scoring sheet) in Kazakh, Russian or
 * both, the issued protocols' statements (stored exactly as issued, so a re-print gives the same
 * text and hash) and their verification. See docs/pdf.md.
 *
 * PDFs cross IPC/HTTP as base64 (the renderer previews them from a blob: URL and downloads them).
 * Writing to a path is not an API method (a page must never choose a file on disk): the CLI calls
 * the service's `renderCaseProtocolToFile` directly.
 *
 * `shell.printPdf` is answered by the Electron main process before core dispatch (system print
 * dialog); the core itself (web host, CLI) answers `protocols.print_unavailable`.
 */
import { z } from 'zod';
import { lazySchemas } from './lazy';
import type { DecisionOutcome, ProtocolDoc, RefusalReason } from '../documents';

const isoDate = z.string().regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, 'date');
const uuid = z.string().uuid();
export const docLangSchema = z.enum(['kk', 'ru', 'both']);
export const layoutSchema = z.enum(['columns', 'sequential']);
/** Largest PDF accepted by `shell.printPdf` (bytes of the decoded content). */
export const MAX_PRINT_BYTES = 20 * 1024 * 1024;

const period = { from: isoDate, to: isoDate };

export const protocolsSchemas = lazySchemas(['protocols', 'shell'], () => ({
  /** What can be done with a case's protocol: its decision, whether its statement is stored. */
  'protocols.forCase': z.object({ caseId: uuid }).strict(),
  /** The protocol of the case's issued decision as PDF (the stored statement when issued). */
  'protocols.render': z.object({ caseId: uuid, lang: docLangSchema, layout: layoutSchema.optional() }).strict(),
  /**
   * Issues the protocol: issues the case's draft decision through the cases area (number, lock)
   * and stores the statement as issued, in one transaction. On an already issued decision it
   * stores the statement when missing; an existing statement is never replaced.
   */
  /** The protocol of a case file (CLI `protocol render --case FILE`): rendered, nothing stored. */
  'protocols.renderCaseFile': z.object({ caseFile: z.unknown(), lang: docLangSchema, layout: layoutSchema.optional() }).strict(),
  'protocols.issue': z.object({ caseId: uuid, lang: docLangSchema.optional(), layout: layoutSchema.optional() }).strict(),
  /** Does a printed protocol (number + SHA-256 from its QR code or footer) match a stored statement? */
  'protocols.verify': z.object({ number: z.string().min(1).max(40), sha256: z.string().min(1).max(128) }).strict(),
  /** Issued protocols whose date is in the period (inclusive), by date and number. */
  'protocols.list': z.object({ from: isoDate.optional(), to: isoDate.optional() }).strict(),
  /** The register of protocols for a period as PDF. */
  'protocols.registerPdf': z.object({ ...period, lang: docLangSchema, layout: layoutSchema.optional() }).strict(),
  /** An extract of the journal of refusals for a period as PDF (issued refusals not superseded). */
  'protocols.refusalJournalPdf': z.object({ ...period, lang: docLangSchema, layout: layoutSchema.optional() }).strict(),
  /** A scoring sheet (scoring area) as PDF. */
  'protocols.scoringSheetPdf': z.object({ sheetId: uuid, lang: docLangSchema, layout: layoutSchema.optional() }).strict(),
  /** Print a PDF with the system print dialog (Electron only). */
  'shell.printPdf': z
    .object({ pdfBase64: z.string().min(8).max(Math.ceil(MAX_PRINT_BYTES / 3) * 4 + 8), title: z.string().max(300).optional() })
    .strict(),
}));

export type DocLangArg = z.infer<typeof docLangSchema>;
export type LayoutArg = z.infer<typeof layoutSchema>;

/** A rendered document as it crosses to the renderer. */
export interface PdfFile {
  pdfBase64: string;
  /** Suggested file name, e.g. `protocol-12-2026-kk.pdf`. */
  fileName: string;
  pages: number;
  bytes: number;
  /** SHA-256 of the statement (printed in the QR code). */
  sha256: string;
  /** The verification string printed in the QR code and footer. */
  verification: string;
}

/** A protocol whose statement is stored as issued. */
export interface IssuedProtocol {
  id: string;
  caseId: string;
  decisionId: string;
  decisionVersion: number;
  number: string;
  date: string;
  outcome: DecisionOutcome;
  /** Language and layout chosen when it was issued (any language can be printed later). */
  lang: DocLangArg;
  layout: LayoutArg;
  sha256: string;
  issuedAt: string;
}

/** What an issued protocol states (its document without the generation time): what the case screen shows after issue. */
export type ProtocolStatement = Omit<ProtocolDoc, 'generatedAt'>;

export interface ProtocolCaseState {
  caseId: string;
  /** The decision in force (latest issued, else the draft), or null. */
  decision: { id: string; version: number; state: 'draft' | 'issued' | 'superseded'; outcome: DecisionOutcome; number: string | null } | null;
  /** The stored statement of the issued decision, or null (not issued, or issued but not yet captured). */
  issued: IssuedProtocol | null;
  /** What that protocol states, as issued (null when not stored or not readable). */
  statement: ProtocolStatement | null;
  /** True when a PDF can be rendered now (the decision is issued). */
  renderable: boolean;
  /** True when a draft decision can be issued from here. */
  canIssue: boolean;
}

export interface RenderedProtocol extends PdfFile {
  number: string;
  issued: IssuedProtocol;
}

/**
 * A paper protocol checked against the archive: `known` when a protocol has the number; on a
 * match, the protocol as stored (number, date, patient, outcome) to compare with the paper.
 */
export interface VerifyResult {
  matches: boolean;
  known: boolean;
  protocol?: ProtocolListItem;
}

export interface ProtocolListItem {
  id: string;
  caseId: string;
  decisionId: string;
  number: string;
  date: string;
  patientName: string;
  iin: string;
  code: string;
  /** The technology's name as the protocol printed it (its section's wording). */
  name: { kk: string | null; ru: string | null };
  /** The section of the list the protocol names (null in protocols issued before it was recorded). */
  section: 1 | 2 | 3 | null;
  outcome: DecisionOutcome;
  reason: RefusalReason | null;
  /** The patient was in hospital (null when the protocol did not record it). */
  inpatient: boolean | null;
  /** The protocol this one replaces (a correction). */
  replaces: string | null;
  /** The decision's note (for a correction: why). */
  note: string | null;
  sha256: string;
  issuedAt: string;
  /** A later decision of the same case has been issued (a correction). */
  superseded: boolean;
  /** Another case's protocol carries the same number (two laptops issued offline). */
  duplicateNumber: boolean;
}

type Args<K extends keyof typeof protocolsSchemas> = z.infer<(typeof protocolsSchemas)[K]>;

export interface ProtocolsMethods {
  'protocols.forCase': { args: Args<'protocols.forCase'>; result: ProtocolCaseState };
  'protocols.render': { args: Args<'protocols.render'>; result: RenderedProtocol };
  'protocols.renderCaseFile': { args: Args<'protocols.renderCaseFile'>; result: PdfFile };
  'protocols.issue': { args: Args<'protocols.issue'>; result: { issued: IssuedProtocol; created: boolean } };
  'protocols.verify': { args: Args<'protocols.verify'>; result: VerifyResult };
  'protocols.list': { args: Args<'protocols.list'>; result: { items: ProtocolListItem[] } };
  'protocols.registerPdf': { args: Args<'protocols.registerPdf'>; result: PdfFile & { count: number } };
  'protocols.refusalJournalPdf': { args: Args<'protocols.refusalJournalPdf'>; result: PdfFile & { count: number } };
  'protocols.scoringSheetPdf': { args: Args<'protocols.scoringSheetPdf'>; result: PdfFile };
  'shell.printPdf': { args: Args<'shell.printPdf'>; result: { printed: boolean } };
}

/** Error codes of the protocols area, translated under `errors.<code>` in locales/<lang>/protocols.json. */
export const PROTOCOLS_ERROR_CODES = [
  'protocols.no_decision',
  'protocols.not_issued',
  'protocols.commission_missing',
  'protocols.htmp_name_missing',
  'protocols.invalid_case_file',
  'protocols.statement_corrupt',
  'protocols.print_unavailable',
  'protocols.print_failed',
  'protocols.bad_period',
  'protocols.missing_option',
  'protocols.bad_sha256',
] as const;
