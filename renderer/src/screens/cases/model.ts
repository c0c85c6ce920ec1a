import type { ArgsOf } from '../../../../shared/contract';
import type { CaseDetail, FileRef } from '../../../../shared/contract/cases';
import { checkIcd10 } from '../../../../shared/domain/icd10';
import { checkIin, iinMismatches } from '../../../../shared/domain/iin';
import { FINDING_SEVERITY, REQUIRED_DOCUMENT_KINDS, type DocumentKind, type Finding, type FindingCode, type SignatureRole } from '../../../../shared/domain/packet';

export interface DocState {
  /** Stable key for React and for matching documents the server creates. */
  key: string;
  id?: string;
  /** A placeholder row for a required document not yet in the packet (not sent until touched). */
  virtual: boolean;
  kind: DocumentKind;
  title: string;
  paper: boolean;
  signatures: SignatureRole[];
  seal: boolean;
  clinicalDiagnosis: string;
  items: { name: string; date: string }[];
  files: FileRef[];
}

export interface FormState {
  patient: {
    iin: string;
    lastName: string;
    firstName: string;
    middleName: string;
    birthDate: string;
    sex: '' | 'male' | 'female';
    phone: string;
    primaryCareOrg: string;
    insured: '' | 'yes' | 'no';
  };
  receivedDate: string;
  receivedTime: string;
  channel: '' | 'paper' | 'electronic' | 'email';
  htmpCode: string;
  urgency: '' | 'planned' | 'emergency';
  inpatient: boolean;
  icd10: string;
  diagnosisText: string;
  specialistConclusion: string;
  providerOrg: string;
  notes: string;
  documents: DocState[];
}

let keySeq = 0;
export const newKey = () => `k${++keySeq}-${Math.random().toString(36).slice(2, 7)}`;

export function emptyDoc(kind: DocumentKind, virtual = false): DocState {
  return { key: newKey(), virtual, kind, title: '', paper: false, signatures: [], seal: false, clinicalDiagnosis: '', items: [], files: [] };
}

/** Adds placeholder rows so every document of point 34 has a row in the checklist. */
function withPlaceholders(docs: DocState[]): DocState[] {
  const out = [...docs];
  for (const kind of REQUIRED_DOCUMENT_KINDS) if (!out.some((d) => d.kind === kind)) out.push(emptyDoc(kind, true));
  const order = (k: DocumentKind) => [...REQUIRED_DOCUMENT_KINDS, 'other'].indexOf(k);
  return out.map((d, i) => ({ d, i })).sort((a, b) => order(a.d.kind) - order(b.d.kind) || a.i - b.i).map(({ d }) => d);
}

export function fromDetail(d: CaseDetail, previous?: FormState): FormState {
  const [date = '', time = ''] = d.receivedAt ? d.receivedAt.split('T') : [];
  const oldKeys = new Map((previous?.documents ?? []).filter((x) => x.id).map((x) => [x.id!, x.key]));
  return {
    patient: {
      iin: d.patient.iin ?? '',
      lastName: d.patient.lastName ?? '',
      firstName: d.patient.firstName ?? '',
      middleName: d.patient.middleName ?? '',
      birthDate: d.patient.birthDate ?? '',
      sex: d.patient.sex ?? '',
      phone: d.patient.phone ?? '',
      primaryCareOrg: d.patient.primaryCareOrg ?? '',
      insured: d.patient.insured === true ? 'yes' : d.patient.insured === false ? 'no' : '',
    },
    receivedDate: date,
    receivedTime: time.slice(0, 5),
    channel: d.channel ?? '',
    htmpCode: d.htmpCode ?? '',
    urgency: d.urgency ?? '',
    inpatient: d.inpatient,
    icd10: d.diagnosis.icd10 ?? '',
    diagnosisText: d.diagnosis.text ?? '',
    specialistConclusion: d.specialistConclusion ?? '',
    providerOrg: d.providerOrg ?? '',
    notes: d.notes ?? '',
    documents: withPlaceholders(
      d.documents.map((doc) => ({
        key: oldKeys.get(doc.id) ?? newKey(),
        id: doc.id,
        virtual: false,
        kind: doc.kind,
        title: doc.title ?? '',
        paper: doc.paper,
        signatures: [...doc.signatures],
        seal: doc.seal,
        clinicalDiagnosis: doc.clinicalDiagnosis ?? '',
        items: doc.items.map((i) => ({ ...i })),
        files: doc.files,
      })),
    ),
  };
}

export function receivedAt(f: FormState): string {
  return f.receivedDate ? (f.receivedTime ? `${f.receivedDate}T${f.receivedTime}` : f.receivedDate) : '';
}

const nn = (s: string) => (s.trim() === '' ? null : s);

/** The whole form as a `cases.save` patch (placeholder rows not sent). */
export function toPayload(f: FormState, id: string, expectedUpdatedAt: string | undefined): ArgsOf<'cases.save'> {
  return {
    id,
    ...(expectedUpdatedAt ? { expectedUpdatedAt } : {}),
    patient: {
      iin: f.patient.iin.replace(/\s+/g, ''),
      lastName: f.patient.lastName,
      firstName: f.patient.firstName,
      middleName: nn(f.patient.middleName),
      birthDate: nn(f.patient.birthDate),
      sex: f.patient.sex || null,
      phone: nn(f.patient.phone),
      primaryCareOrg: nn(f.patient.primaryCareOrg),
      insured: f.patient.insured === 'yes' ? true : f.patient.insured === 'no' ? false : null,
    },
    receivedAt: receivedAt(f),
    channel: f.channel || null,
    htmpCode: f.htmpCode.trim(),
    urgency: f.urgency || null,
    inpatient: f.inpatient,
    diagnosis: { icd10: f.icd10.trim(), text: f.diagnosisText },
    specialistConclusion: nn(f.specialistConclusion),
    providerOrg: nn(f.providerOrg),
    notes: nn(f.notes),
    documents: f.documents
      .filter((d) => !d.virtual)
      .map((d) => ({
        ...(d.id ? { id: d.id } : {}),
        kind: d.kind,
        title: nn(d.title),
        paper: d.paper,
        signatures: d.signatures,
        seal: d.seal,
        clinicalDiagnosis: nn(d.clinicalDiagnosis),
        items: d.items,
      })),
  };
}

/**
 * After a save whose answer arrives while the user kept typing: keep what is typed, take the ids
 * the server gave new documents (matched by kind, in order) and the files it holds.
 */
export function mergeServerIds(local: FormState, d: CaseDetail): FormState {
  const known = new Set(local.documents.filter((x) => x.id).map((x) => x.id!));
  const fresh = d.documents.filter((x) => !known.has(x.id));
  const byId = new Map(d.documents.map((x) => [x.id, x]));
  const documents = local.documents.map((doc) => {
    if (doc.id) return { ...doc, files: byId.get(doc.id)?.files ?? doc.files };
    if (doc.virtual) return doc;
    const i = fresh.findIndex((x) => x.kind === doc.kind);
    if (i < 0) return doc;
    const [match] = fresh.splice(i, 1);
    return { ...doc, id: match!.id, files: match!.files };
  });
  return { ...local, documents };
}

const mk = (code: FindingCode, field: string, params: Record<string, string | number> = {}): Finding => ({ code, severity: FINDING_SEVERITY[code], field, params });

/** Fields checked in the browser on every keystroke (the rest come from the core's packet check). */
const LOCAL_FIELDS = new Set(['patient.iin', 'patient.birthDate', 'patient.sex', 'patient.lastName', 'patient.firstName', 'diagnosis.icd10']);

/** The same checks the core runs, for the fields a secretary types, so errors follow the typing. */
export function localFindings(f: FormState, touched: (field: string) => boolean, today?: string): Finding[] {
  const out: Finding[] = [];
  if (f.patient.lastName.trim() === '' && touched('lastName')) out.push(mk('patient.name_missing', 'patient.lastName', { field: 'lastName' }));
  if (f.patient.firstName.trim() === '' && touched('firstName')) out.push(mk('patient.name_missing', 'patient.firstName', { field: 'firstName' }));
  const iin = f.patient.iin.replace(/\s+/g, '');
  const check = checkIin(iin, today);
  if (!check.valid) {
    if (touched('iin') || check.reason !== 'format' || /[^0-9]/.test(iin) || iin.length >= 12) out.push(mk('patient.iin_invalid', 'patient.iin', { reason: check.reason ?? 'format' }));
  } else {
    for (const field of iinMismatches(iin, { birthDate: f.patient.birthDate || null, sex: f.patient.sex || null })) {
      const fromIin = field === 'birthDate' ? (check.birthDate ?? '') : (check.sex ?? '');
      const entered = field === 'birthDate' ? f.patient.birthDate : f.patient.sex;
      out.push(mk('patient.iin_mismatch', `patient.${field}`, { field, fromIin, entered }));
    }
  }
  const icd = checkIcd10(f.icd10);
  if (!icd.valid && (icd.reason !== 'empty' || touched('icd10'))) {
    const params: Record<string, string> = { reason: icd.reason ?? 'format', value: f.icd10 };
    if (icd.suggestion) params.suggestion = icd.suggestion;
    out.push(mk('diagnosis.icd10_invalid', 'diagnosis.icd10', params));
  }
  return out;
}

/** Server findings with the locally checked fields replaced by the live check. */
export function mergedFindings(server: Finding[], local: Finding[]): Finding[] {
  return [...server.filter((x) => !LOCAL_FIELDS.has(x.field)), ...local];
}

/** Findings about one stored document (field paths use the index in the server's list). */
export function findingsForDoc(all: Finding[], detail: CaseDetail, doc: DocState, firstOfKind: boolean): Finding[] {
  const out: Finding[] = [];
  if (doc.id) {
    const i = detail.documents.findIndex((x) => x.id === doc.id);
    if (i >= 0) {
      const prefix = `documents[${i}]`;
      out.push(...all.filter((x) => x.field === prefix || x.field.startsWith(`${prefix}.`)));
    }
  }
  if (firstOfKind) out.push(...all.filter((x) => x.code === 'document.missing' && x.params.kind === doc.kind));
  return out;
}

/**
 * The form control a finding belongs to (its id), so a finding is shown once that control was left:
 * `receivedAt` -> `receivedDate`, `patient.lastName` -> `lastName`, `diagnosis.text` ->
 * `diagnosisText`; every finding about a document belongs to the packet (`packet`).
 */
export function controlOf(field: string): string {
  if (field === 'receivedAt') return 'receivedDate';
  if (field === 'patient.sameIin') return 'iin';
  if (field.startsWith('patient.')) return field.slice('patient.'.length);
  if (field === 'diagnosis.icd10') return 'icd10';
  if (field === 'diagnosis.text') return 'diagnosisText';
  if (field === 'documents' || field.startsWith('documents[') || field.startsWith('documents.') || field.startsWith('files')) return 'packet';
  return field;
}

/** The control a blurred element counts as (document rows count as `packet`). */
export function touchedControl(elementId: string): string {
  return elementId.startsWith('doc-') ? 'packet' : elementId;
}

export function findingsFor(all: Finding[], ...fields: string[]): Finding[] {
  return all.filter((x) => fields.includes(x.field));
}
