/**
 * Completeness check of a patient's document packet (ДСМ-238 points 33-34 and 40).
 *
 * Point 34 lists the packet: (1) a copy of the identity document; (2) a referral for
 * hospitalization; (3) an extract from the outpatient or inpatient medical record with the
 * clinical diagnosis, signed by the attending physician, the head of department and the deputy
 * chief physician for medical work, with the organization's seal; (4) results of laboratory,
 * instrumental and functional tests and specialists' consultations.
 *
 * The inpatient case (point 40: the patient is already in hospital). The text says the attending
 * physician sends the inpatient record extract by e-mail, scanned, "together with the head of
 * department OR the deputy chief physician for medical work". That is what it changes, and all we
 * change: the extract needs the attending physician plus at least one of those two
 * (`extract.cosignature_missing` when neither), and an extract without a scan gets a warning. The
 * text does not waive the other three documents nor the seal, and the refusal ground "incomplete
 * packet" still points to the packet rules, so the same four documents stay required.
 *
 * A document entry that is neither on paper nor has files is treated as absent (with a warning
 * saying so). With several extracts, the one with the fewest errors is judged: one good extract
 * is enough. Complete means: no finding of severity `error`.
 */

import { checkIcd10 } from './icd10';
import { checkIin, iinMismatches } from './iin';
import { localDatePart } from './deadline';
import { isIsoDate } from './calendar';

export type DocumentKind = 'identity' | 'referral' | 'record_extract' | 'test_results' | 'other';
export type SignatureRole = 'attending' | 'head_of_department' | 'deputy_chief';
export type CaseChannel = 'paper' | 'electronic' | 'email';

export interface CaseDocument {
  kind: DocumentKind;
  paper: boolean;
  files: string[];
  signatures: SignatureRole[];
  seal: boolean;
  clinicalDiagnosis?: string;
  items?: { name: string; date: string }[];
}

/** A case as it arrives in JSON (import file, form, or the API). */
export interface CaseInput {
  /** Local Kazakhstan date-time as written: '2026-03-20T16:30' or with '+05:00'. */
  receivedAt: string;
  patient: {
    iin: string;
    lastName: string;
    firstName: string;
    middleName?: string;
    birthDate?: string;
    sex?: 'male' | 'female';
  };
  htmpCode: string;
  urgency: 'planned' | 'emergency';
  inpatient: boolean;
  channel?: CaseChannel;
  diagnosis: { icd10: string; text: string };
  documents: CaseDocument[];
}

export interface CatalogueLookup {
  known: boolean;
  inForce: boolean;
  sections: (1 | 2 | 3)[];
}

export interface PacketContext {
  catalogue: { lookup(code: string, onDate: string): CatalogueLookup };
  fileExists(path: string): boolean;
  /** Today in Kazakhstan ('YYYY-MM-DD'): a receipt date or an IIN's birth date after it is an error. */
  today?: string;
}

export type FindingSeverity = 'error' | 'warning';

export type FindingCode =
  | 'case.received_at_invalid'
  | 'case.received_in_future'
  | 'case.urgency_missing'
  | 'document.missing'
  | 'document.empty'
  | 'extract.signature_missing'
  | 'extract.cosignature_missing'
  | 'extract.seal_missing'
  | 'extract.diagnosis_missing'
  | 'extract.not_scanned'
  | 'tests.date_missing'
  | 'tests.after_receipt'
  | 'file.missing'
  | 'patient.name_missing'
  | 'patient.iin_invalid'
  | 'patient.iin_mismatch'
  | 'patient.open_case_exists'
  | 'code.missing'
  | 'code.unknown'
  | 'code.not_in_force'
  | 'code.urgency_mismatch'
  | 'diagnosis.icd10_invalid'
  | 'diagnosis.text_missing'
  | 'channel.inpatient_not_email';

export interface Finding {
  code: FindingCode;
  severity: FindingSeverity;
  /** Path of the field concerned in CaseInput, e.g. 'patient.iin' or 'documents[2].files[0]'. */
  field: string;
  params: Record<string, string | number>;
}

export interface PacketCheck {
  complete: boolean;
  findings: Finding[];
}

/** Severity of every finding code: one place, so the UI and the tests agree. */
export const FINDING_SEVERITY: Readonly<Record<FindingCode, FindingSeverity>> = {
  'case.received_at_invalid': 'error',
  'case.received_in_future': 'error',
  'case.urgency_missing': 'error',
  'document.missing': 'error',
  'document.empty': 'warning',
  'extract.signature_missing': 'error',
  'extract.cosignature_missing': 'error',
  'extract.seal_missing': 'error',
  'extract.diagnosis_missing': 'error',
  'extract.not_scanned': 'warning',
  'tests.date_missing': 'warning',
  'tests.after_receipt': 'warning',
  'file.missing': 'error',
  'patient.name_missing': 'error',
  'patient.iin_invalid': 'error',
  'patient.iin_mismatch': 'error',
  'patient.open_case_exists': 'warning',
  'code.missing': 'error',
  'code.unknown': 'error',
  'code.not_in_force': 'error',
  'code.urgency_mismatch': 'error',
  'diagnosis.icd10_invalid': 'error',
  'diagnosis.text_missing': 'warning',
  'channel.inpatient_not_email': 'warning',
};

/**
 * Findings that say a document of point 34 is missing or defective: only these make the packet
 * "incomplete" in the sense of the refusal ground of point 40(2). Every other error (a wrong IIN,
 * ICD-10 code, HTMP code or date, a file lost from the store) is a mistake in the case data to
 * correct, never a ground for refusal.
 */
export const PACKET_DEFECT_CODES: ReadonlySet<FindingCode> = new Set<FindingCode>([
  'document.missing',
  'extract.signature_missing',
  'extract.cosignature_missing',
  'extract.seal_missing',
  'extract.diagnosis_missing',
]);

/** The errors that make the packet incomplete under point 34 (see PACKET_DEFECT_CODES). */
export function packetDefects(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'error' && PACKET_DEFECT_CODES.has(f.code));
}

/** The errors in the case data itself (to correct before any decision is issued). */
export function dataErrors(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'error' && !PACKET_DEFECT_CODES.has(f.code));
}

/** The four documents of point 34, in the order of the text. */
export const REQUIRED_DOCUMENT_KINDS = ['identity', 'referral', 'record_extract', 'test_results'] as const;

/** Signatures point 34(3) requires on the extract. */
export const EXTRACT_SIGNATURES: readonly SignatureRole[] = ['attending', 'head_of_department', 'deputy_chief'];

// Urgency -> sections of the HTMP list that serve it (ДСМ-134 app. 2 section headings).
const SECTIONS_FOR_URGENCY: Readonly<Record<CaseInput['urgency'], readonly (1 | 2 | 3)[]>> = {
  emergency: [1],
  planned: [2, 3],
};

function finding(code: FindingCode, field: string, params: Record<string, string | number> = {}): Finding {
  return { code, severity: FINDING_SEVERITY[code], field, params };
}

function blank(s: unknown): boolean {
  return typeof s !== 'string' || s.trim() === '';
}

function hasContent(doc: CaseDocument): boolean {
  return doc.paper === true || (Array.isArray(doc.files) && doc.files.length > 0);
}

function checkExtract(doc: CaseDocument, index: number, inpatient: boolean): Finding[] {
  const at = `documents[${index}]`;
  const out: Finding[] = [];
  const signed = new Set(Array.isArray(doc.signatures) ? doc.signatures : []);
  if (!signed.has('attending')) out.push(finding('extract.signature_missing', `${at}.signatures`, { role: 'attending' }));
  if (inpatient) {
    if (!signed.has('head_of_department') && !signed.has('deputy_chief')) {
      out.push(finding('extract.cosignature_missing', `${at}.signatures`));
    }
    // Point 40 has the inpatient extract e-mailed as a scan.
    if (!Array.isArray(doc.files) || doc.files.length === 0) out.push(finding('extract.not_scanned', `${at}.files`));
  } else {
    for (const role of EXTRACT_SIGNATURES) {
      if (role !== 'attending' && !signed.has(role)) out.push(finding('extract.signature_missing', `${at}.signatures`, { role }));
    }
  }
  if (doc.seal !== true) out.push(finding('extract.seal_missing', `${at}.seal`));
  if (blank(doc.clinicalDiagnosis)) out.push(finding('extract.diagnosis_missing', `${at}.clinicalDiagnosis`));
  return out;
}

function checkTests(doc: CaseDocument, index: number, receivedDate: string | null): Finding[] {
  const out: Finding[] = [];
  const items = Array.isArray(doc.items) ? doc.items : [];
  items.forEach((item, i) => {
    const field = `documents[${index}].items[${i}].date`;
    const name = typeof item.name === 'string' ? item.name : '';
    if (!isIsoDate(item.date)) out.push(finding('tests.date_missing', field, { name }));
    else if (receivedDate !== null && item.date > receivedDate) {
      out.push(finding('tests.after_receipt', field, { name, date: item.date }));
    }
  });
  return out;
}

function errorCount(findings: readonly Finding[]): number {
  return findings.filter((f) => f.severity === 'error').length;
}

/** Checks a case's packet against points 33-34 and 40; complete when no finding is an error. */
export function validatePacket(input: CaseInput, ctx: PacketContext): PacketCheck {
  const findings: Finding[] = [];
  const documents = Array.isArray(input.documents) ? input.documents : [];

  const receivedDate = localDatePart(input.receivedAt);
  if (receivedDate === null) findings.push(finding('case.received_at_invalid', 'receivedAt'));
  else if (ctx.today !== undefined && receivedDate > ctx.today) findings.push(finding('case.received_in_future', 'receivedAt', { date: receivedDate }));

  // Patient
  const patient = input.patient ?? { iin: '', lastName: '', firstName: '' };
  if (blank(patient.lastName)) findings.push(finding('patient.name_missing', 'patient.lastName', { field: 'lastName' }));
  if (blank(patient.firstName)) findings.push(finding('patient.name_missing', 'patient.firstName', { field: 'firstName' }));
  const iin = checkIin(patient.iin, ctx.today);
  if (!iin.valid) {
    findings.push(finding('patient.iin_invalid', 'patient.iin', { reason: iin.reason ?? 'format' }));
  } else {
    for (const field of iinMismatches(patient.iin, { birthDate: patient.birthDate ?? null, sex: patient.sex ?? null })) {
      const fromIin = field === 'birthDate' ? (iin.birthDate ?? '') : (iin.sex ?? '');
      const entered = field === 'birthDate' ? (patient.birthDate ?? '') : (patient.sex ?? '');
      findings.push(finding('patient.iin_mismatch', `patient.${field}`, { field, fromIin, entered }));
    }
  }

  // Diagnosis
  const diagnosis = input.diagnosis ?? { icd10: '', text: '' };
  const icd = checkIcd10(diagnosis.icd10);
  if (!icd.valid) {
    const params: Record<string, string> = { reason: icd.reason ?? 'format', value: typeof diagnosis.icd10 === 'string' ? diagnosis.icd10 : '' };
    if (icd.suggestion) params.suggestion = icd.suggestion;
    // i18next context: an empty code reads "not given", not "wrong («»)".
    if (icd.reason === 'empty') params.context = 'empty';
    findings.push(finding('diagnosis.icd10_invalid', 'diagnosis.icd10', params));
  }
  if (blank(diagnosis.text)) findings.push(finding('diagnosis.text_missing', 'diagnosis.text'));

  // Urgency: it selects the section of the list, and so the funding and the wording of the name.
  const urgencyKnown = input.urgency === 'planned' || input.urgency === 'emergency';
  if (!urgencyKnown) findings.push(finding('case.urgency_missing', 'urgency'));

  // HTMP code, judged against the edition in force on the day of receipt.
  const code = typeof input.htmpCode === 'string' ? input.htmpCode.trim() : '';
  if (code === '') {
    findings.push(finding('code.missing', 'htmpCode'));
  } else if (receivedDate !== null) {
    const hit = ctx.catalogue.lookup(code, receivedDate);
    // Words typed in the code field are a search, not a code: say that no code was chosen (i18next
    // context «words»), never that the words are not a code on the list.
    if (!hit.known) findings.push(finding('code.unknown', 'htmpCode', /\p{L}/u.test(code) ? { code, context: 'words' } : { code }));
    else if (!hit.inForce) findings.push(finding('code.not_in_force', 'htmpCode', { code, date: receivedDate }));
    else if (urgencyKnown) {
      const fitting = SECTIONS_FOR_URGENCY[input.urgency] ?? [];
      if (!hit.sections.some((s) => fitting.includes(s))) {
        const sections = [...new Set(hit.sections)].sort((a, b) => a - b).join(', ');
        findings.push(finding('code.urgency_mismatch', 'urgency', { code, urgency: input.urgency, sections }));
      }
    }
  }

  // Documents: presence, then content.
  documents.forEach((doc, i) => {
    if (!hasContent(doc)) findings.push(finding('document.empty', `documents[${i}]`, { kind: doc.kind }));
  });
  for (const kind of REQUIRED_DOCUMENT_KINDS) {
    if (!documents.some((d) => d.kind === kind && hasContent(d))) {
      findings.push(finding('document.missing', 'documents', { kind }));
    }
  }

  const extracts = documents
    .map((doc, i) => ({ doc, i }))
    .filter(({ doc }) => doc.kind === 'record_extract' && hasContent(doc))
    .map(({ doc, i }) => checkExtract(doc, i, input.inpatient === true));
  if (extracts.length > 0) {
    const best = extracts.reduce((a, b) => (errorCount(b) < errorCount(a) ? b : a));
    findings.push(...best);
  }

  documents.forEach((doc, i) => {
    if (doc.kind === 'test_results' && hasContent(doc)) findings.push(...checkTests(doc, i, receivedDate));
  });

  documents.forEach((doc, i) => {
    const files = Array.isArray(doc.files) ? doc.files : [];
    const seen = new Set<string>();
    files.forEach((path, j) => {
      if (seen.has(path)) return;
      seen.add(path);
      if (!ctx.fileExists(path)) findings.push(finding('file.missing', `documents[${i}].files[${j}]`, { path, kind: doc.kind }));
    });
  });

  if (input.inpatient === true && input.channel !== undefined && input.channel !== 'email') {
    findings.push(finding('channel.inpatient_not_email', 'channel', { channel: input.channel }));
  }

  return { complete: errorCount(findings) === 0, findings };
}
