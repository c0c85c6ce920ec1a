import type { AttachResult, CasesMethods, DecideResult, ValidateResult } from '../../../shared/contract/cases';
import { PORTAL_TRANSITIONS } from '../../../shared/contract/cases';
import { localDatePart } from '../../../shared/domain/deadline';
import { checkIin } from '../../../shared/domain/iin';
import { type CaseInput } from '../../../shared/domain/packet';
import { AppFailure } from '../../../shared/result';
import { assertAfterDates } from '../aftercare/dates';
import { deferFacts } from '../aftercare/facts';
import { withBulkCache } from '../db';
import { kzToday } from '../cases/calendar';
import { hasStoredFile, readStoredFile } from '../files';
import { currentActor } from '../auth/current';
import type { CoreContext, Handlers } from '../context';
import type { Row } from '../store';
import { nameBasedUuid } from '../store';
import { catalogueModel } from '../catalogue/model';
import { insertRow, bool } from '../cases/rows';
import type { LinkRow } from '../cases/rows';
import { deriveCase, loadCase, deriveStored, refresh } from '../cases/derive';
import { fileRef, caseDetail } from '../cases/detail';
import { removeDocument, writeDraft, saveCase, changed, assertCaseEditable, decodeBase64, attachContent } from '../cases/save';
import type { CaseDraft } from '../cases/save';
import { listCases } from '../cases/register';
import { decisionRow, decide, issueCheck, issueProtocol, requireApproved } from '../cases/decisions';
import { refusalJournalPage } from '../cases/journal';
import { importCase } from '../cases/import';
import { todayView } from '../cases/today';
import { decodeRow, encodeValue } from '../stored-form';
export { casesTables, foldSearch } from '../cases/rows';
export { deriveCase, refreshOpenCases, type Derived } from '../cases/derive';
export { caseDetail } from '../cases/detail';
export { assertCaseEditable, attachContent } from '../cases/save';
export { foldQuery, listCases, type ListArgs } from '../cases/register';
export { decide, issueCheck, issueProtocol, membersFor, onIssueCheck, onProtocolIssued, type ProposedDecision } from '../cases/decisions';
export { refusalJournal, refusalJournalPage } from '../cases/journal';
export { guessMime, importCase } from '../cases/import';
export { hasStoredFile } from '../files';

// ---------------------------------------------------------------------------------------------
// Handlers.

type H<M extends keyof CasesMethods> = (args: CasesMethods[M]['args'], ctx: CoreContext) => CasesMethods[M]['result'];

const validateHandler: H<'cases.validate'> = (a, ctx) => {
  const { id, ...draft } = a;
  // A dry run: write inside a transaction that is always rolled back.
  let result: ValidateResult | null = null;
  const rollback = new Error('rollback');
  try {
    ctx.db.transaction(() => {
      const w = writeDraftNoLog(ctx, id, draft);
      const l = loadCase(ctx, w);
      const d = deriveStored(ctx, l);
      result = { complete: d.check.complete, findings: d.check.findings, due: d.due, funding: d.funding };
      throw rollback;
    })();
  } catch (err) {
    if (err !== rollback) throw err;
  }
  return result as unknown as ValidateResult;
};

/**
 * For the dry run of `cases.validate`: the same writes on the raw database (rolled back by the
 * caller, so nothing reaches the change log).
 */
function writeDraftNoLog(ctx: CoreContext, id: string | undefined, a: CaseDraft): string {
  const scratch = {
    ...ctx,
    store: {
      insert: (table: string, values: Row) => {
        const row: Row = { id: `00000000-0000-4000-8000-${Math.random().toString(16).slice(2, 14).padEnd(12, '0')}`, created_at: '', updated_at: '', ...values };
        const cols = Object.keys(row);
        ctx.db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => encodeValue(table, c, row[c] ?? null)));
        return row;
      },
      update: (table: string, rid: string, patch: Row) => {
        const cols = Object.keys(patch);
        if (cols.length > 0) ctx.db.prepare(`UPDATE ${table} SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...cols.map((c) => encodeValue(table, c, patch[c] ?? null)), encodeValue(table, 'id', rid));
        return { row: patch, changed: cols };
      },
      remove: (table: string, rid: string) => ctx.db.prepare(`DELETE FROM ${table} WHERE id = ?`).run(encodeValue(table, 'id', rid)).changes > 0,
      transaction: <T>(fn: () => T) => fn(),
    },
  } as unknown as CoreContext;
  return writeDraft(scratch, id, a).id;
}

export const casesHandlers: { [M in keyof CasesMethods]: H<M> } & Pick<Handlers, keyof CasesMethods> = {
  'cases.list': (a, ctx) => listCases(ctx, a),
  'cases.get': (a, ctx) => caseDetail(ctx, a.id),
  'cases.save': (a, ctx) => {
    const { id, expectedUpdatedAt, ...draft } = a;
    const r = saveCase(ctx, id, draft, expectedUpdatedAt);
    changed(ctx, r.id);
    return { id: r.id, created: r.created, detail: caseDetail(ctx, r.id, { derived: r.derived }) };
  },
  'cases.validate': validateHandler,
  'cases.register': (a, ctx) => {
    const l = loadCase(ctx, a.id);
    if (l.c.status === 'draft') {
      const missing: string[] = [];
      const received = localDatePart(l.c.received_at);
      // A date not yet come (a slip of the year or month) is as wrong as none.
      if (received === null || received > kzToday()) missing.push('receivedAt');
      if (l.p.last_name.trim() === '') missing.push('patient.lastName');
      if (l.p.first_name.trim() === '') missing.push('patient.firstName');
      if (!checkIin(l.p.iin, kzToday()).valid) missing.push('patient.iin');
      if (missing.length > 0) throw new AppFailure('cases.register_incomplete', { fields: missing.join(', ') });
      ctx.store.update('cases', a.id, { status: 'registered', registered_at: new Date().toISOString() });
      changed(ctx, a.id);
    }
    return caseDetail(ctx, a.id);
  },
  'cases.delete': (a, ctx) => {
    const deleted = ctx.store.transaction(() => {
      const l = loadCase(ctx, a.id);
      const issued = ctx.db.prepare("SELECT count(*) AS n FROM decisions WHERE case_id = ? AND state <> 'draft'").get(a.id) as { n: number };
      if (issued.n > 0) throw new AppFailure('cases.has_issued_decision');
      for (const d of l.docs) removeDocument(ctx, d.id);
      for (const t of ['decisions', 'portal_events', 'follow_ups']) {
        for (const r of ctx.db.prepare(`SELECT id FROM ${t} WHERE case_id = ?`).all(a.id) as { id: string }[]) ctx.store.remove(t, r.id);
      }
      ctx.store.remove('cases', a.id);
      const others = ctx.db.prepare('SELECT count(*) AS n FROM cases WHERE patient_id = ?').get(l.p.id) as { n: number };
      if (others.n === 0) ctx.store.remove('patients', l.p.id);
      return true;
    });
    changed(ctx, a.id);
    return { deleted };
  },
  'cases.attachFile': (a, ctx) => {
    const content = decodeBase64(a.contentBase64);
    const r = attachContent(ctx, a, content);
    changed(ctx, a.caseId);
    const out: AttachResult = { ...r, detail: caseDetail(ctx, a.caseId) };
    return out;
  },
  'cases.removeFile': (a, ctx) => {
    ctx.store.transaction(() => {
      const link = ctx.db.prepare('SELECT case_id FROM document_files WHERE id = ?').get(a.fileId) as { case_id: string } | undefined;
      if (!link || link.case_id !== a.caseId) throw new AppFailure('cases.file_not_found', { id: a.fileId });
      assertCaseEditable(ctx, a.caseId);
      ctx.store.remove('document_files', a.fileId);
      refresh(ctx, a.caseId);
    });
    changed(ctx, a.caseId);
    return caseDetail(ctx, a.caseId);
  },
  'cases.fileContent': (a, ctx) => {
    const link = decodeRow('document_files', ctx.db.prepare('SELECT * FROM document_files WHERE id = ?').get(a.fileId) as LinkRow | undefined);
    if (!link) throw new AppFailure('cases.file_not_found', { id: a.fileId });
    const content = readStoredFile(ctx.dataDir, link.sha256);
    if (!content) throw new AppFailure('cases.file_not_found', { id: a.fileId, sha256: link.sha256 });
    return { file: fileRef(link), contentBase64: content.toString('base64') };
  },
  'cases.checkFile': (a, ctx) => {
    const present = new Set(a.presentFiles);
    const input = a.case as unknown as CaseInput;
    const d = deriveCase(ctx, input, (ref) => present.has(ref), typeof a.case.patient.insured === 'boolean' ? a.case.patient.insured : null);
    return { complete: d.check.complete, findings: d.check.findings, due: d.due, funding: d.funding };
  },
  'cases.import': (a, ctx) => {
    const contents = new Map(a.files.map((f) => [f.ref, decodeBase64(f.contentBase64)]));
    const { id, status } = importCase(ctx, a.case as unknown as CaseInput & Record<string, unknown>, (ref) => contents.get(ref) ?? null);
    changed(ctx, id);
    return { id, status };
  },
  'cases.importBatch': (a, ctx) => {
    try {
      catalogueModel(ctx); // built before the write lock is taken (see importCase)
    } catch {
      /* reported in words by the packet check inside */
    }
    // A bulk write: report facts once per case at the end of the batch, and a page cache that
    // holds the batch's working set (see deferFacts, withBulkCache).
    const out = withBulkCache(ctx.db, () => ctx.store.transaction(() => deferFacts(ctx, () =>
      a.cases.map((item, index) => {
        try {
          const contents = new Map(item.files.map((f) => [f.ref, decodeBase64(f.contentBase64)]));
          return importCase(ctx, item.case as unknown as CaseInput & Record<string, unknown>, (ref) => contents.get(ref) ?? null);
        } catch (err) {
          if (!(err instanceof AppFailure)) throw err;
          throw new AppFailure('cases.batch_case_failed', { ...err.params, index, position: index + 1, causeCode: err.code });
        }
      }),
    )));
    // One event for the batch: a screen reloads its list once, not a thousand times.
    ctx.emit({ type: 'data.changed', payload: { area: 'cases' } });
    return { cases: out };
  },
  'cases.decide': (a, ctx) => {
    const { issue, ...rest } = a;
    // The signed-in user is the commission's secretary when the members given name none (without
    // members, the standing members of the settings sit, their secretary included).
    const actor = currentActor();
    const args = actor && rest.members && !rest.members.some((m) => m.role === 'secretary') ? { ...rest, members: [...rest.members, { name: actor.displayName, role: 'secretary' as const }] } : rest;
    // Deciding and issuing in one call are one transaction: a refusal at issue (no commission
    // set, no name of the code) must not leave a draft decision behind.
    const decision = ctx.store.transaction(() => {
      const draft = decide(ctx, args);
      return issue === true ? issueProtocol(ctx, draft.id) : draft;
    });
    changed(ctx, a.caseId);
    const out: DecideResult = { decision, detail: caseDetail(ctx, a.caseId) };
    return out;
  },
  'cases.issueCheck': (a, ctx) => issueCheck(ctx, a),
  'cases.deleteDecision': (a, ctx) => {
    const r = decisionRow(ctx, a.decisionId);
    if (r.state !== 'draft') throw new AppFailure('cases.decision_locked', { protocol: `${r.protocol_number}/${r.protocol_year}` });
    ctx.store.remove('decisions', r.id);
    changed(ctx, r.case_id);
    return caseDetail(ctx, r.case_id);
  },
  'cases.issueProtocol': (a, ctx) => {
    const decision = issueProtocol(ctx, a.decisionId);
    changed(ctx, decision.caseId);
    return { decision, detail: caseDetail(ctx, decision.caseId) };
  },
  'cases.portalStatus': (a, ctx) => {
    ctx.store.transaction(() => {
      const c = requireApproved(ctx, a.caseId);
      const from = c.portal_status;
      const allowed = from === null ? ['to_export'] : PORTAL_TRANSITIONS[from];
      if (!allowed.includes(a.status)) throw new AppFailure('cases.portal_transition', { from: from ?? '', to: a.status });
      insertRow(ctx, 'portal_events', { case_id: a.caseId, status: a.status, at: a.at ?? new Date().toISOString(), note: a.note ?? null });
      ctx.store.update('cases', a.caseId, { portal_status: a.status });
    });
    changed(ctx, a.caseId);
    return caseDetail(ctx, a.caseId);
  },
  'cases.hospitalization': (a, ctx) => {
    ctx.store.transaction(() => {
      const c = requireApproved(ctx, a.caseId);
      // Point 38: the day it was set starts point 39's working day. Not given: as stored, else
      // unknown (never guessed: a date entered late would make a timely informing look early).
      const setOn = a.date === null ? null : a.setOn !== undefined ? a.setOn : c.hospitalization_set_on;
      assertAfterDates(ctx, a.caseId, { hospitalizationDate: a.date, hospitalizationSetOn: setOn });
      ctx.store.update('cases', a.caseId, { hospitalization_date: a.date, hospitalization_set_on: setOn });
    });
    changed(ctx, a.caseId);
    return caseDetail(ctx, a.caseId);
  },
  'cases.patientInformed': (a, ctx) => {
    ctx.store.transaction(() => {
      requireApproved(ctx, a.caseId);
      assertAfterDates(ctx, a.caseId, { informedOn: a.date });
      ctx.store.update('cases', a.caseId, { informed_channel: a.channel, informed_date: a.date });
    });
    changed(ctx, a.caseId);
    return caseDetail(ctx, a.caseId);
  },
  'cases.followUp': (a, ctx) => {
    ctx.store.transaction(() => {
      requireApproved(ctx, a.caseId);
      const patch: Row = {};
      if (a.operationDate !== undefined) patch.operation_date = a.operationDate;
      if (a.dischargeDate !== undefined) patch.discharge_date = a.dischargeDate;
      if (a.complications !== undefined) patch.complications = bool(a.complications);
      if (a.complicationsNote !== undefined) patch.complications_note = a.complicationsNote;
      if (a.disability !== undefined) patch.disability = bool(a.disability);
      if (a.death !== undefined) patch.death = bool(a.death);
      if (a.deathDate !== undefined) patch.death_date = a.deathDate;
      if (a.survivalOneYear !== undefined) patch.survival_one_year = bool(a.survivalOneYear);
      if (a.notes !== undefined) patch.notes = a.notes;
      const dates: Parameters<typeof assertAfterDates>[2] = {};
      if (a.operationDate !== undefined) dates.operationDate = a.operationDate;
      if (a.dischargeDate !== undefined) dates.dischargeDate = a.dischargeDate;
      if (a.deathDate !== undefined) dates.deathDate = a.deathDate;
      if (a.death === false) patch.death_date = dates.deathDate = null;
      assertAfterDates(ctx, a.caseId, dates);
      const existing = ctx.db.prepare('SELECT id FROM follow_ups WHERE case_id = ?').get(a.caseId) as { id: string } | undefined;
      if (existing) ctx.store.update('follow_ups', existing.id, patch);
      else insertRow(ctx, 'follow_ups', { id: nameBasedUuid(`follow_ups/${a.caseId}`), case_id: a.caseId, ...patch });
    });
    changed(ctx, a.caseId);
    return caseDetail(ctx, a.caseId);
  },
  'cases.refusalJournal': (a, ctx) => refusalJournalPage(ctx, a),
  'cases.today': (a, ctx) => todayView(ctx, a),
};
