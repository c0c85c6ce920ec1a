/** Saving a case's draft (patient, case, documents) and attaching files. */
import type { z } from 'zod';
import type { CaseDocumentView, FileRef, caseDraftSchema } from '../../../shared/contract/cases';
import { MAX_FILE_BYTES } from '../../../shared/contract/cases';
import { AppFailure } from '../../../shared/result';
import { putStoredFile } from '../files';
import type { CoreContext } from '../context';
import type { Row } from '../store';
import { nameBasedUuid } from '../store';
import { insertRow, bool, catalogue } from './rows';
import type { LinkRow } from './rows';
import { loadCase, searchText, refresh } from './derive';
import type { Derived } from './derive';
import { fileRef, latestUpdate } from './detail';
import { decodeRow, decodeRows, encodeValue } from '../stored-form';

export type CaseDraft = z.infer<typeof caseDraftSchema>;

function patientPatch(p: NonNullable<CaseDraft['patient']>): Row {
  const out: Row = {};
  if (p.iin !== undefined) out.iin = p.iin.trim();
  if (p.lastName !== undefined) out.last_name = p.lastName;
  if (p.firstName !== undefined) out.first_name = p.firstName;
  if (p.middleName !== undefined) out.middle_name = p.middleName;
  if (p.birthDate !== undefined) out.birth_date = p.birthDate === '' ? null : p.birthDate;
  if (p.sex !== undefined) out.sex = p.sex;
  if (p.phone !== undefined) out.phone = p.phone;
  if (p.primaryCareOrg !== undefined) out.primary_care_org = p.primaryCareOrg;
  if (p.insured !== undefined) out.insured = bool(p.insured);
  return out;
}

export function casePatch(a: CaseDraft): Row {
  const out: Row = {};
  if (a.receivedAt !== undefined) out.received_at = a.receivedAt.trim();
  if (a.channel !== undefined) out.channel = a.channel;
  if (a.htmpCode !== undefined) out.htmp_code = a.htmpCode.trim();
  if (a.urgency !== undefined) out.urgency = a.urgency;
  if (a.inpatient !== undefined) out.inpatient = a.inpatient ? 1 : 0;
  if (a.diagnosis?.icd10 !== undefined) out.diagnosis_icd10 = a.diagnosis.icd10.trim();
  if (a.diagnosis?.text !== undefined) out.diagnosis_text = a.diagnosis.text;
  if (a.specialistConclusion !== undefined) out.specialist_conclusion = a.specialistConclusion;
  if (a.providerOrg !== undefined) out.provider_org = a.providerOrg;
  if (a.notes !== undefined) out.notes = a.notes;
  return out;
}

function documentPatch(d: NonNullable<CaseDraft['documents']>[number], position: number): Row {
  const out: Row = { kind: d.kind, position };
  if (d.title !== undefined) out.title = d.title;
  if (d.paper !== undefined) out.paper = d.paper ? 1 : 0;
  if (d.signatures !== undefined) out.signatures = JSON.stringify([...new Set(d.signatures)]);
  if (d.seal !== undefined) out.seal = d.seal ? 1 : 0;
  if (d.clinicalDiagnosis !== undefined) out.clinical_diagnosis = d.clinicalDiagnosis;
  if (d.items !== undefined) out.items = JSON.stringify(d.items);
  return out;
}

export function removeDocument(ctx: CoreContext, documentId: string): void {
  for (const f of ctx.db.prepare('SELECT id FROM document_files WHERE document_id = ?').all(encodeValue('document_files', 'document_id', documentId)) as { id: string }[]) {
    ctx.store.remove('document_files', f.id);
  }
  ctx.store.remove('case_documents', documentId);
}


/** Writes a draft (create when `id` is absent). Never refuses content; returns the case id. */

export function writeDraft(ctx: CoreContext, id: string | undefined, a: CaseDraft): { id: string; created: boolean } {
  let caseId = id;
  let created = false;
  if (caseId === undefined) {
    const p = insertRow(ctx, 'patients', patientPatch(a.patient ?? {}));
    // search_text now (not only when derived): the name index is written once, not twice.
    const search_text = searchText({ iin: String(p.iin ?? ''), last_name: String(p.last_name ?? ''), first_name: String(p.first_name ?? ''), middle_name: (p.middle_name ?? null) as string | null });
    caseId = String(insertRow(ctx, 'cases', { patient_id: String(p.id), status: 'draft', search_text, ...casePatch(a) }).id);
    created = true;
  } else {
    const l = loadCase(ctx, caseId);
    if (a.patient) {
      const patch = patientPatch(a.patient);
      if (Object.keys(patch).length > 0) ctx.store.update('patients', l.p.id, patch);
    }
    const patch = casePatch(a);
    if (Object.keys(patch).length > 0) ctx.store.update('cases', caseId, patch);
  }
  if (a.documents !== undefined) {
    const existing = decodeRows('case_documents', ctx.db.prepare('SELECT id FROM case_documents WHERE case_id = ?').all(caseId) as { id: string }[]);
    const keep = new Set(a.documents.map((d) => d.id).filter((x): x is string => x !== undefined));
    for (const d of existing) if (!keep.has(d.id)) removeDocument(ctx, d.id);
    const known = new Set(existing.map((d) => d.id));
    a.documents.forEach((d, i) => {
      const patch = documentPatch(d, i);
      if (d.id !== undefined) {
        if (!known.has(d.id)) throw new AppFailure('cases.document_not_found', { id: d.id });
        ctx.store.update('case_documents', d.id, patch);
      } else {
        insertRow(ctx, 'case_documents', { case_id: caseId, ...patch });
      }
    });
  }
  return { id: caseId, created };
}

/**
 * Saves data first and derives second, in one transaction, except that a failure to derive (no
 * catalogue, a broken calendar) never undoes the save: the data is committed and the error thrown.
 */
export function saveCase(ctx: CoreContext, id: string | undefined, a: CaseDraft, expectedUpdatedAt?: string): { id: string; created: boolean; derived: Derived } {
  let deriveError: unknown = null;
  const out = ctx.store.transaction(() => {
    if (id !== undefined) assertCaseEditable(ctx, id);
    if (id !== undefined && expectedUpdatedAt !== undefined) {
      const current = latestUpdate(loadCase(ctx, id));
      if (current !== expectedUpdatedAt) throw new AppFailure('cases.conflict', { id, expected: expectedUpdatedAt, current });
    }
    const w = writeDraft(ctx, id, a);
    let derived: Derived | null = null;
    try {
      derived = refresh(ctx, w.id);
    } catch (err) {
      deriveError = err;
    }
    return { ...w, derived };
  });
  if (deriveError !== null || out.derived === null) throw deriveError;
  return { id: out.id, created: out.created, derived: out.derived };
}

export function changed(ctx: CoreContext, caseId: string): void {
  ctx.emit({ type: 'data.changed', payload: { area: 'cases', id: caseId } });
}

/**
 * An issued protocol locks the case's data: what the protocol printed must stay what the case
 * says. A change goes through "Correct the decision" (a correction's draft unlocks the case until
 * it is issued, with a new number, or deleted).
 */
export function assertCaseEditable(ctx: CoreContext, caseId: string): void {
  const rows = ctx.db.prepare("SELECT state, protocol_year, protocol_number FROM decisions WHERE case_id = ? AND state IN ('issued', 'draft')").all(caseId) as {
    state: string;
    protocol_year: number | null;
    protocol_number: number | null;
  }[];
  const issued = rows.find((r) => r.state === 'issued');
  if (issued && !rows.some((r) => r.state === 'draft')) throw new AppFailure('cases.locked', { protocol: `${issued.protocol_number}/${issued.protocol_year}` });
}

// ---------------------------------------------------------------------------------------------
// Files.

export function decodeBase64(s: string): Buffer {
  const clean = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) throw new AppFailure('cases.file_content_invalid');
  return Buffer.from(clean, 'base64');
}

export function tooLarge(size: number): AppFailure {
  return new AppFailure('cases.file_too_large', { size, maxBytes: MAX_FILE_BYTES, maxMb: Math.round(MAX_FILE_BYTES / 1024 / 1024) });
}

/** Stores content and links it to a document of the case (created with `kind` when not given). */
export function attachContent(
  ctx: CoreContext,
  a: { caseId: string; documentId?: string | undefined; kind?: CaseDocumentView['kind'] | undefined; name: string; mime: string },
  content: Buffer,
): { documentId: string; file: FileRef; deduplicated: boolean } {
  if (content.length > MAX_FILE_BYTES) throw tooLarge(content.length);
  loadCase(ctx, a.caseId);
  assertCaseEditable(ctx, a.caseId);
  const put = putStoredFile(ctx.dataDir, content);
  return ctx.store.transaction(() => {
    let documentId = a.documentId;
    if (documentId !== undefined) {
      const doc = ctx.db.prepare('SELECT case_id FROM case_documents WHERE id = ?').get(encodeValue('case_documents', 'id', documentId)) as { case_id: string } | undefined;
      if (!doc || doc.case_id !== a.caseId) throw new AppFailure('cases.document_not_found', { id: documentId });
    } else {
      const pos = (ctx.db.prepare('SELECT coalesce(max(position) + 1, 0) AS n FROM case_documents WHERE case_id = ?').get(a.caseId) as { n: number }).n;
      documentId = String(insertRow(ctx, 'case_documents', { case_id: a.caseId, kind: a.kind ?? 'other', position: pos }).id);
    }
    const known = ctx.db.prepare('SELECT id FROM stored_files WHERE sha256 = ?').get(put.sha256) as { id: string } | undefined;
    if (!known) insertRow(ctx, 'stored_files', { id: nameBasedUuid(`stored_files/${put.sha256}`), sha256: put.sha256, size: put.size });
    const same = decodeRow('document_files', ctx.db.prepare('SELECT * FROM document_files WHERE document_id = ? AND sha256 = ?').get(encodeValue('document_files', 'document_id', documentId), put.sha256) as LinkRow | undefined);
    const link = same ?? (insertRow(ctx, 'document_files', { document_id: documentId, case_id: a.caseId, sha256: put.sha256, name: a.name, mime: a.mime, size: put.size }) as unknown as LinkRow);
    try {
      refresh(ctx, a.caseId);
    } catch {
      /* derived columns are recomputed on the next save; the file is attached */
    }
    return { documentId, file: fileRef(link), deduplicated: put.existed || known !== undefined };
  });
}
