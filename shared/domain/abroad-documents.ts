/**
 * The documents the treatment-abroad area prints: the petition (ходатайство) of the route's
 * petition step, the cover letters of the working body's steps, and the yearly summary. Like the
 * protocols (shared/documents.ts), a document is plain JSON; everything but `generatedAt` is its
 * statement, whose SHA-256 (of canonical JSON) is printed in a QR code and in every footer with
 * the document's number, so a paper copy can be checked against the stored statement.
 *
 * Pure TypeScript: no Node, DOM or Electron.
 */
import type { AbroadText } from './abroad';

export interface AbroadLetterDoc {
  kind: 'abroad_petition' | 'abroad_cover_letter';
  /** `<request number>-<step>`: '3/2026-2'. */
  number: string;
  /** Date of the letter (the day it was first printed). */
  date: string;
  /** The sending organisation, printed in the letterhead. */
  sender: AbroadText;
  /**
   * The commission under the sender's name (the health authority's letters), in Kazakh and
   * Russian, when set: a document prints the name in its own language (a plain string is a
   * statement stored before the names were kept per language).
   */
  commission: AbroadText | string | null;
  recipient: AbroadText;
  request: { number: string; startedOn: string; routeTitle: AbroadText; routeVersion: number; totalWorkingDays: number; routeDue: string };
  patient: { name: string; iin: string; birthDate: string };
  diseaseGroup: AbroadText;
  category: AbroadText;
  /** The category's conditions, each confirmed. */
  confirmations: AbroadText[];
  transplant: AbroadText | null;
  instructionRef: string | null;
  diagnosis: string | null;
  step: { n: number; action: AbroadText; workingDays: number; start: string; due: string; holder: AbroadText };
  enclosures: { name: AbroadText; files: number }[];
  source: AbroadText;
  generatedAt: string;
}

export interface AbroadSummaryDoc {
  kind: 'abroad_summary';
  year: number;
  /** The day the figures were computed on (late steps depend on it). */
  asOf: string;
  /** The health authority and the commission in Kazakh and Russian (both set), else null. */
  authority: AbroadText | null;
  commission: AbroadText | null;
  total: number;
  contracted: number;
  /** Rows: group text, children, service injuries, total. */
  byGroup: { group: AbroadText; child: number; service_injury: number; total: number }[];
  /** Means as text ('3,5'): canonical JSON has no fractions. */
  steps: { route: string; n: number; actor: AbroadText; norm: number; completed: number; mean: string; max: string; late: number }[];
  late: { number: string; patientName: string; n: number; actor: AbroadText; due: string; completedOn: string | null; lateDays: number }[];
  route: { withinNorm: number; overNorm: number; meanDaysToContract: string };
  generatedAt: string;
}

export type AbroadDocument = AbroadLetterDoc | AbroadSummaryDoc;

const PREFIX: Record<AbroadDocument['kind'], string> = {
  abroad_petition: 'HTMP-ABROAD-PETITION',
  abroad_cover_letter: 'HTMP-ABROAD-LETTER',
  abroad_summary: 'HTMP-ABROAD-SUMMARY',
};

/** The statement: the document without `generatedAt`. */
export function abroadStatement(doc: AbroadDocument): Record<string, unknown> {
  const { generatedAt: _omit, ...rest } = doc;
  return rest;
}

/** The identifier printed in the verification string. */
export function abroadDocumentNumber(doc: AbroadDocument): string {
  return doc.kind === 'abroad_summary' ? `${doc.year}@${doc.asOf}` : doc.number;
}

/** `HTMP-ABROAD-PETITION|3/2026-2|<sha256>`. */
export function abroadVerificationString(doc: AbroadDocument, sha256: string): string {
  const number = abroadDocumentNumber(doc);
  if (number === '' || number.includes('|') || !/^[0-9a-f]{64}$/.test(sha256)) throw new TypeError('abroadVerificationString: bad number or sha256');
  return `${PREFIX[doc.kind]}|${number}|${sha256}`;
}

/** Parses a scanned verification string of this area; null when it is not one. */
export function parseAbroadVerification(text: string): { kind: AbroadDocument['kind']; number: string; sha256: string } | null {
  const parts = text.trim().split('|');
  if (parts.length !== 3) return null;
  const kind = (Object.keys(PREFIX) as AbroadDocument['kind'][]).find((k) => PREFIX[k] === parts[0]);
  const sha256 = parts[2]!.toLowerCase();
  if (!kind || parts[1] === '' || !/^[0-9a-f]{64}$/.test(sha256)) return null;
  return { kind, number: parts[1]!, sha256 };
}

/** The letter number of a request's step: '3/2026-2'. */
export function letterNumber(requestNumber: string, step: number): string {
  return `${requestNumber}-${step}`;
}
