/**
 * A protocol's document from a stored case: the commission from the settings, the case's
 * patient, documents and decision, the technology's name from the catalogue (issue check,
 * issue, rendering). Part of the protocols area (electron/core/services/protocols.ts).
 */
import { kzNow } from '../../../shared/domain/kz-time';
import type { CaseDetail, DecisionView, Member } from '../../../shared/contract/cases';
import {
  CHECKLIST_KINDS,
  findInvalidField,
  isIsoDate,
  type ChecklistKind,
  type CommissionInfo,
  type CommissionMember,
  type LocalizedText,
  type ProtocolDoc,
  type RefusalReason,
} from '../../../shared/documents';
import { checkIin } from '../../../shared/domain/iin';
import { AppFailure } from '../../../shared/result';
import type { CoreContext } from '../context';
import { PdfInvalidDocumentError } from '../pdf';
import { readSettings } from '../services/app';
import { caseProviderOrg } from '../orgs/registry';
import { htmpNames } from '../services/catalogue-lookup';

/**
 * The commission and authority as printed, from the local settings, in Kazakh and Russian (a
 * Kazakh document prints the Kazakh names only, a Russian one the Russian ones); refused when a
 * name is missing in either language.
 */
export function commissionFromSettings(ctx: CoreContext): CommissionInfo {
  const s = readSettings(ctx);
  const names = [s.commissionNameKk, s.commissionNameRu, s.authorityNameKk, s.authorityNameRu].map((x) => x.trim());
  if (names.some((x) => x === '')) throw new AppFailure('protocols.commission_missing');
  const [ck, cr, ak, ar] = names as [string, string, string, string];
  return { name: { kk: ck, ru: cr }, authority: { kk: ak, ru: ar } };
}

// ---------------------------------------------------------------------------------------------
// Building a protocol's document.

/** What a protocol is built from: a stored case (CaseDetail) or a case file (CLI). */
export interface ProtocolInput {
  number: string;
  date: string;
  commission: CommissionInfo;
  members: { name: CommissionMember['name']; role: CommissionMember['role']; position?: CommissionMember['position'] | null }[];
  patient: { lastName: string; firstName: string; middleName: string | null; iin: string; birthDate: string | null };
  diagnosis: { icd10: string; text: string };
  htmpCode: string;
  /** The section of the list the case's urgency and funding select (its wording of the name), when known. */
  section: 1 | 2 | 3 | null;
  /** The date the HTMP name is looked up on (the case's received date). */
  caseDate: string;
  /** The organization the patient is sent to: from the registry (both languages) or as typed. */
  providerName: LocalizedText | null;
  documents: { kind: string; paper: boolean; fileCount: number }[];
  outcome: 'approved' | 'refused';
  reason: RefusalReason | null;
  /** The patient is in hospital (point 40); null when the source does not say (a case file without it). */
  inpatient: boolean | null;
  /** A correction: the protocol it replaces and why. */
  correction: { replaces: string; reason: string } | null;
}

const CASE_KIND_TO_CHECKLIST: Record<string, ChecklistKind> = {
  identity: 'identity_document',
  referral: 'hospitalization_referral',
  record_extract: 'record_extract',
  test_results: 'tests_and_consultations',
};

/** The provider as printed: trimmed, null when empty. */
function providerOf(name: LocalizedText | null): ProtocolDoc['provider'] {
  if (name === null) return null;
  if (typeof name === 'string') return name.trim() === '' ? null : { name: name.trim() };
  return name.kk.trim() === '' || name.ru.trim() === '' ? null : { name: { kk: name.kk.trim(), ru: name.ru.trim() } };
}

/** The registry organization chosen on a case (orgs area), in both languages. */
function registryProviderName(ctx: CoreContext, caseId: string): LocalizedText | null {
  const o = caseProviderOrg(ctx, caseId);
  return o ? { kk: o.name_kk, ru: o.name_ru } : null;
}

/** The ProtocolDoc of an input; throws `pdf.invalid_document` {field} when it is not printable. */
export function buildProtocolDoc(ctx: CoreContext, input: ProtocolInput, generatedAt: string = kzNow()): ProtocolDoc {
  const birthDate = input.patient.birthDate && isIsoDate(input.patient.birthDate) ? input.patient.birthDate : checkIin(input.patient.iin).birthDate;
  const received = new Set<ChecklistKind>();
  for (const d of input.documents) {
    const kind = CASE_KIND_TO_CHECKLIST[d.kind];
    if (kind && (d.paper || d.fileCount > 0)) received.add(kind);
  }
  // Validate the plain fields before the catalogue is asked, so the first error names the real field.
  const lookupDate = isIsoDate(input.caseDate) ? input.caseDate : input.date;
  const draft: ProtocolDoc = {
    kind: 'protocol',
    number: input.number,
    date: input.date,
    commission: input.commission,
    members: input.members.map((m) => ({
      name: typeof m.name === 'string' ? m.name.trim() : { kk: m.name.kk.trim(), ru: m.name.ru.trim() },
      role: m.role,
      ...(m.position ? { position: typeof m.position === 'string' ? m.position.trim() : { kk: m.position.kk.trim(), ru: m.position.ru.trim() } } : {}),
    })),
    patient: {
      lastName: input.patient.lastName.trim(),
      firstName: input.patient.firstName.trim(),
      ...(input.patient.middleName && input.patient.middleName.trim() !== '' ? { middleName: input.patient.middleName.trim() } : {}),
      iin: input.patient.iin.trim(),
      birthDate: birthDate ?? '',
    },
    diagnosis: { icd10: input.diagnosis.icd10.trim(), text: input.diagnosis.text.trim() },
    htmp: { code: input.htmpCode.trim(), name: { kk: { text: '-', source: '-' }, ru: null } },
    provider: input.outcome === 'approved' ? providerOf(input.providerName) : null,
    checklist: CHECKLIST_KINDS.map((kind) => ({ kind, received: received.has(kind) })),
    decision: input.outcome === 'approved' ? { outcome: 'approved', reason: null } : { outcome: 'refused', reason: input.reason as RefusalReason },
    ...(input.inpatient !== null ? { inpatient: input.inpatient } : {}),
    ...(input.correction ? { correction: { replaces: input.correction.replaces, reason: input.correction.reason.trim() } } : {}),
    generatedAt,
  };
  const bad = findInvalidField(draft);
  if (bad !== null) throw new PdfInvalidDocumentError(bad);
  if (!isIsoDate(lookupDate)) throw new PdfInvalidDocumentError('date');
  const names = htmpNames(ctx, draft.htmp.code, lookupDate, input.section);
  // An approval sends the patient for an HTMP type of the list, so it needs its official name; a
  // refusal may concern a code the list does not carry (the protocol then says so).
  if (!names.kk && !names.ru && draft.decision.outcome === 'approved') throw new AppFailure('protocols.htmp_name_missing', { code: draft.htmp.code });
  const doc: ProtocolDoc = { ...draft, htmp: { code: draft.htmp.code, ...(input.section !== null ? { section: input.section } : {}), name: names } };
  const bad2 = findInvalidField(doc);
  if (bad2 !== null) throw new PdfInvalidDocumentError(bad2);
  return doc;
}

/** A decision as a protocol states it: issued (with its number) or proposed (the issue check). */
export interface DecisionForProtocol {
  number: string;
  date: string;
  members: Member[];
  outcome: 'approved' | 'refused';
  reason: RefusalReason | null;
  note: string | null;
  /** The protocol number a correction replaces. */
  replaces: string | null;
}

/** The protocol input of a stored case and a decision (issued, or as proposed). */
export function inputFor(ctx: CoreContext, detail: CaseDetail, decision: DecisionForProtocol): ProtocolInput {
  const receivedDate = detail.receivedAt.slice(0, 10);
  return {
    number: decision.number,
    date: decision.date,
    commission: commissionFromSettings(ctx),
    members: decision.members,
    patient: {
      lastName: detail.patient.lastName,
      firstName: detail.patient.firstName,
      middleName: detail.patient.middleName,
      iin: detail.patient.iin,
      birthDate: detail.patient.birthDate ?? detail.patient.iinCheck.birthDate ?? null,
    },
    diagnosis: detail.diagnosis,
    htmpCode: detail.htmpCode,
    section: detail.technology?.section ?? null,
    caseDate: isIsoDate(receivedDate) ? receivedDate : decision.date,
    // The organization chosen from the registry (names in both languages), else the text typed before it.
    providerName: registryProviderName(ctx, detail.id) ?? detail.providerOrg,
    documents: detail.documents.map((d) => ({ kind: d.kind, paper: d.paper, fileCount: d.files.length })),
    outcome: decision.outcome,
    reason: decision.reason,
    inpatient: detail.inpatient,
    correction: decision.replaces !== null ? { replaces: decision.replaces, reason: decision.note ?? '' } : null,
  };
}

/** The protocol input of a stored case and one of its issued decisions. */
export function inputFromCase(ctx: CoreContext, detail: CaseDetail, decision: DecisionView): ProtocolInput {
  if (!decision.protocol) throw new AppFailure('protocols.not_issued');
  const replaced = decision.supersedesId ? detail.decisions.find((d) => d.id === decision.supersedesId) : undefined;
  return inputFor(ctx, detail, {
    number: decision.protocol.label,
    date: decision.date,
    members: decision.members,
    outcome: decision.outcome,
    reason: decision.reason,
    note: decision.note,
    replaces: replaced?.protocol?.label ?? null,
  });
}
