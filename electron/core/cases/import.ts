/** Importing a case file (CLI `case import`). */
import type { CaseStatus } from '../../../shared/contract/cases';
import { MAX_FILE_BYTES } from '../../../shared/contract/cases';
import { localDatePart } from '../../../shared/domain/deadline';
import { checkIin } from '../../../shared/domain/iin';
import { type CaseInput } from '../../../shared/domain/packet';
import { AppFailure } from '../../../shared/result';
import { kzToday } from './calendar';
import type { CoreContext } from '../context';
import { catalogueModel } from '../catalogue/model';
import { catalogue, prepared } from './rows';
import { loadCase, deriveStored, derivedColumns } from './derive';
import { writeDraft, tooLarge, attachContent } from './save';
import type { CaseDraft } from './save';
import { decodeRows } from '../stored-form';

/** Imports a case (CLI `case import`): the data as a draft, files copied into the store, then registered when possible. */
export function importCase(ctx: CoreContext, input: CaseInput & Record<string, unknown>, readFile: (ref: string) => Buffer | null): { id: string; status: CaseStatus } {
  const docs = Array.isArray(input.documents) ? input.documents : [];
  const contents = docs.map((d) =>
    (Array.isArray(d.files) ? d.files : []).map((ref) => {
      const content = readFile(ref);
      if (content === null) throw new AppFailure('cases.file_not_found', { path: ref });
      if (content.length > MAX_FILE_BYTES) throw tooLarge(content.length);
      return { ref, content };
    }),
  );
  const p = input.patient ?? { iin: '', lastName: '', firstName: '' };
  const draft: CaseDraft = {
    patient: {
      iin: String(p.iin ?? ''),
      lastName: String(p.lastName ?? ''),
      firstName: String(p.firstName ?? ''),
      middleName: p.middleName ?? null,
      birthDate: p.birthDate ?? null,
      sex: p.sex ?? null,
      ...(typeof (p as Record<string, unknown>).phone === 'string' ? { phone: (p as Record<string, unknown>).phone as string } : {}),
      ...(typeof (p as Record<string, unknown>).primaryCareOrg === 'string' ? { primaryCareOrg: (p as Record<string, unknown>).primaryCareOrg as string } : {}),
      ...(typeof (p as Record<string, unknown>).insured === 'boolean' ? { insured: (p as Record<string, unknown>).insured as boolean } : {}),
    },
    receivedAt: String(input.receivedAt ?? ''),
    channel: input.channel ?? null,
    htmpCode: String(input.htmpCode ?? ''),
    urgency: input.urgency === 'planned' || input.urgency === 'emergency' ? input.urgency : null,
    inpatient: input.inpatient === true,
    diagnosis: { icd10: String(input.diagnosis?.icd10 ?? ''), text: String(input.diagnosis?.text ?? '') },
    ...(typeof input.specialistConclusion === 'string' ? { specialistConclusion: input.specialistConclusion } : {}),
    ...(typeof input.providerOrg === 'string' ? { providerOrg: input.providerOrg } : {}),
    ...(typeof input.notes === 'string' ? { notes: input.notes } : {}),
    documents: docs.map((d) => ({
      kind: d.kind,
      paper: d.paper === true,
      signatures: Array.isArray(d.signatures) ? d.signatures : [],
      seal: d.seal === true,
      clinicalDiagnosis: d.clinicalDiagnosis ?? null,
      items: Array.isArray(d.items) ? d.items : [],
    })),
  };
  // The catalogue is read (built on a cold start) before the write lock is taken, so parallel
  // writers (the app, the web host, CLI imports) hold the lock only for the writes.
  try {
    catalogueModel(ctx);
  } catch {
    /* reported in words by the packet check inside */
  }
  return ctx.store.transaction(() => {
    const { id } = writeDraft(ctx, undefined, draft);
    const docIds = decodeRows('case_documents', prepared(ctx, 'SELECT id FROM case_documents WHERE case_id = ? ORDER BY position').all(id) as { id: string }[]).map((r) => r.id);
    contents.forEach((files, i) => {
      for (const f of files) {
        const name = f.ref.split(/[\\/]/).pop() ?? f.ref;
        attachContent(ctx, { caseId: id, documentId: docIds[i], name, mime: guessMime(name) }, f.content);
      }
    });
    // The derived columns and the registration in one update (one change-log row, not two).
    const l = loadCase(ctx, id);
    const patch = derivedColumns(l, deriveStored(ctx, l));
    const received = localDatePart(l.c.received_at);
    const today = kzToday();
    const status: CaseStatus = received !== null && received <= today && l.p.last_name.trim() !== '' && l.p.first_name.trim() !== '' && checkIin(l.p.iin, today).valid ? 'registered' : 'draft';
    if (status === 'registered') Object.assign(patch, { status, registered_at: new Date().toISOString() });
    ctx.store.update('cases', id, patch);
    return { id, status };
  });
}

const MIME: Record<string, string> = { pdf: 'application/pdf', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', tif: 'image/tiff', tiff: 'image/tiff', txt: 'text/plain', doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' };

export function guessMime(name: string): string {
  const ext = name.split('.').pop()?.toLowerCase() ?? '';
  return MIME[ext] ?? 'application/octet-stream';
}
