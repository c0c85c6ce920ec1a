/**
 * The protocol input of the CLI's case file (`htmp protocol render --case FILE.json`): nothing
 * stored, every missing or mistyped value refused with the field's path in the file.
 */
import {
  PROTOCOL_NUMBER_RE,
  REFUSAL_REASONS,
  isIsoDate,
  type CommissionInfo,
  type CommissionMember,
  type LocalizedText,
  type RefusalReason,
} from '../../../shared/documents';
import { AppFailure } from '../../../shared/result';
import type { ProtocolInput } from './input';

// ---------------------------------------------------------------------------------------------
// The case file of the CLI (`htmp protocol render --case FILE.json`).

export type Rec = Record<string, unknown>;
export const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);
const strOr = (v: unknown, field: string, optional = false): string => {
  if (typeof v === 'string') return v;
  if (optional && (v === undefined || v === null)) return '';
  throw new AppFailure('protocols.invalid_case_file', { field });
};

/**
 * The protocol input of a case file: the cases issue's case shape plus `decision` and
 * `commission`. A missing or wrongly typed value refuses with `protocols.invalid_case_file`
 * {field} naming the path in the file.
 */
export function inputFromCaseFile(file: unknown): ProtocolInput {
  if (!isRec(file)) throw new AppFailure('protocols.invalid_case_file', { field: '(root)' });
  const patient = file['patient'];
  if (!isRec(patient)) throw new AppFailure('protocols.invalid_case_file', { field: 'patient' });
  const decision = file['decision'];
  if (!isRec(decision)) throw new AppFailure('protocols.invalid_case_file', { field: 'decision' });
  const commission = file['commission'];
  if (!isRec(commission)) throw new AppFailure('protocols.invalid_case_file', { field: 'commission' });
  const diagnosis = isRec(file['diagnosis']) ? file['diagnosis'] : {};

  const outcome = decision['outcome'];
  if (outcome !== 'approved' && outcome !== 'refused') throw new AppFailure('protocols.invalid_case_file', { field: 'decision.outcome' });
  const reason = decision['reason'] ?? null;
  if (outcome === 'refused' && !(REFUSAL_REASONS as readonly unknown[]).includes(reason)) throw new AppFailure('protocols.invalid_case_file', { field: 'decision.reason' });
  if (outcome === 'approved' && reason !== null) throw new AppFailure('protocols.invalid_case_file', { field: 'decision.reason' });
  const date = strOr(decision['date'], 'decision.date');
  if (!isIsoDate(date)) throw new AppFailure('protocols.invalid_case_file', { field: 'decision.date' });
  const rawNumber = decision['number'];
  let number: string;
  if (typeof rawNumber === 'number' && Number.isSafeInteger(rawNumber) && rawNumber > 0) number = `${rawNumber}/${date.slice(0, 4)}`;
  else if (typeof rawNumber === 'string' && PROTOCOL_NUMBER_RE.test(rawNumber.trim())) number = rawNumber.trim();
  else if (typeof rawNumber === 'string' && /^[1-9][0-9]{0,5}$/.test(rawNumber.trim())) number = `${rawNumber.trim()}/${date.slice(0, 4)}`;
  else throw new AppFailure('protocols.invalid_case_file', { field: 'decision.number' });

  const members = decision['members'];
  if (!Array.isArray(members) || members.length === 0) throw new AppFailure('protocols.invalid_case_file', { field: 'decision.members' });
  const kkRu = (v: unknown): v is { kk: string; ru: string } => isRec(v) && typeof v['kk'] === 'string' && typeof v['ru'] === 'string' && v['kk'].trim() !== '' && v['ru'].trim() !== '';
  const parsedMembers: CommissionMember[] = members.map((m: unknown, i) => {
    const name = isRec(m) ? m['name'] : undefined;
    const position = isRec(m) ? m['position'] : undefined;
    if (!isRec(m) || !((typeof name === 'string' && name.trim() !== '') || kkRu(name)) || !['chair', 'member', 'secretary'].includes(m['role'] as string)) {
      throw new AppFailure('protocols.invalid_case_file', { field: `decision.members[${i}]` });
    }
    if (position !== undefined && position !== null && !kkRu(position)) throw new AppFailure('protocols.invalid_case_file', { field: `decision.members[${i}].position` });
    return { name: name as CommissionMember['name'], role: m['role'] as CommissionMember['role'], ...(kkRu(position) ? { position } : {}) };
  });
  if (!parsedMembers.some((m) => m.role === 'chair')) throw new AppFailure('protocols.invalid_case_file', { field: 'decision.members' });

  const provider = decision['provider'];
  let providerName: LocalizedText | null = null;
  if (provider !== undefined && provider !== null) {
    if (!isRec(provider) || typeof provider['name'] !== 'string') throw new AppFailure('protocols.invalid_case_file', { field: 'decision.provider.name' });
    providerName = provider['name'];
  } else if (typeof file['providerOrg'] === 'string') {
    providerName = file['providerOrg'];
  }

  const cName = commission['name'];
  const cAuth = commission['authority'];
  const localized = (v: unknown): boolean => (typeof v === 'string' && v.trim() !== '') || (isRec(v) && typeof v['kk'] === 'string' && typeof v['ru'] === 'string' && v['kk'].trim() !== '' && v['ru'].trim() !== '');
  if (!localized(cName)) throw new AppFailure('protocols.invalid_case_file', { field: 'commission.name' });
  if (!localized(cAuth)) throw new AppFailure('protocols.invalid_case_file', { field: 'commission.authority' });

  const docs = file['documents'];
  if (docs !== undefined && !Array.isArray(docs)) throw new AppFailure('protocols.invalid_case_file', { field: 'documents' });
  const documents = (Array.isArray(docs) ? docs : []).map((d: unknown, i) => {
    if (!isRec(d) || typeof d['kind'] !== 'string') throw new AppFailure('protocols.invalid_case_file', { field: `documents[${i}].kind` });
    return { kind: d['kind'], paper: d['paper'] === true, fileCount: Array.isArray(d['files']) ? d['files'].length : 0 };
  });

  const receivedAt = typeof file['receivedAt'] === 'string' ? file['receivedAt'] : '';
  const inpatient = file['inpatient'];
  if (inpatient !== undefined && typeof inpatient !== 'boolean') throw new AppFailure('protocols.invalid_case_file', { field: 'inpatient' });
  return {
    number,
    date,
    commission: { name: cName as CommissionInfo['name'], authority: cAuth as CommissionInfo['authority'] },
    members: parsedMembers,
    patient: {
      lastName: strOr(patient['lastName'], 'patient.lastName'),
      firstName: strOr(patient['firstName'], 'patient.firstName'),
      middleName: strOr(patient['middleName'], 'patient.middleName', true) || null,
      iin: strOr(patient['iin'], 'patient.iin'),
      birthDate: strOr(patient['birthDate'], 'patient.birthDate', true) || null,
    },
    diagnosis: { icd10: strOr(diagnosis['icd10'], 'diagnosis.icd10'), text: strOr(diagnosis['text'], 'diagnosis.text') },
    htmpCode: strOr(file['htmpCode'], 'htmpCode'),
    // Told by the caller from the file's urgency and the catalogue (see renderCaseFile).
    section: null,
    caseDate: receivedAt.slice(0, 10),
    providerName,
    documents,
    outcome,
    reason: outcome === 'refused' ? (reason as RefusalReason) : null,
    inpatient: typeof inpatient === 'boolean' ? inpatient : null,
    correction: null,
  };
}

// The engine names fields of the document; for a case file name them as they are in the file.
const FILE_FIELD: Record<string, string> = {
  number: 'decision.number',
  date: 'decision.date',
  members: 'decision.members',
  provider: 'decision.provider',
  'htmp.code': 'htmpCode',
  commission: 'commission',
};
export function fileField(field: string): string {
  if (FILE_FIELD[field]) return FILE_FIELD[field];
  const m = /^members\[(\d+)\]/.exec(field);
  if (m) return `decision.members[${m[1]}]`;
  return field;
}
