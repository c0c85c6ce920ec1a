/**
 * Applications (app. 1), assessment and conclusions (app. 3), updates of points 29-30: the
 * changes. What is read lives in conformity-queries.ts, the rows in conformity-rows.ts, the
 * assessment in conformity-assessment.ts, the requirements of a code in
 * conformity-requirements.ts and the documents in conformity-documents.ts; this module is the
 * one the service imports.
 * See shared/contract/orgs.ts for the status model and shared/domain/conformity.ts for the rules.
 */
import type { z } from 'zod';
import { canonicalJson } from '../../../shared/canonical-json';
import type { ApplicationDetail, AssessmentDecision, ConclusionView, UpdateKind, UpdateView, applicationDraftSchema } from '../../../shared/contract/orgs';
import { POINT29_KINDS } from '../../../shared/contract/orgs';
import { findInvalidField, statementData, type ConclusionDoc } from '../../../shared/documents';
import { assessmentDue, checkTiming, conclusionValidity, reissueDue, updateDue } from '../../../shared/domain/conformity';
import { kzNow, kzToday } from '../../../shared/domain/kz-time';
import { allRequirements } from '../../../shared/domain/requirements';
import { AppFailure } from '../../../shared/result';
import { workCalendar } from '../cases/calendar';
import type { CoreContext } from '../context';
import { nameBasedUuid, type Row } from '../store';
import { assessmentOf } from './conformity-assessment';
import { conclusionDoc, docHtmp, docOrganization } from './conformity-documents';
import { applicationDetail, firstTimeAllowed, getConclusion, updateView } from './conformity-queries';
import { requirementsFor, requirementText } from './conformity-requirements';
import { APPLICATION_COLUMNS, CONCLUSION_COLUMNS, UPDATE_COLUMNS, applicationRow, conclusionRowOf, full, issuedConclusionRow, json, sha256Hex, updateRow, type UpdateRow } from './conformity-rows';
import { orgRow, readOrgsSettings } from './registry';

export { applicationDoc, conclusionDoc } from './conformity-documents';
export { applicationDetail, getConclusion, listApplications, listConclusions, listUpdates, verifyConclusion } from './conformity-queries';
export { conformityCodes, requirementsCorrections, requirementsFor, requirementText } from './conformity-requirements';
export { applicationData, applicationRow, issuedConclusionRow, type ApplicationRow, type ConclusionRow } from './conformity-rows';

type Draft = z.infer<typeof applicationDraftSchema>;

function emitChanged(ctx: CoreContext, id: string): void {
  ctx.emit({ type: 'data.changed', payload: { area: 'conformity', id } });
}

/** Creates or updates an application (not once concluded). One application per organization, year and code. */
export function saveApplication(ctx: CoreContext, a: Draft): ApplicationDetail {
  const id = ctx.store.transaction(() => {
    orgRow(ctx, a.orgId);
    const same = ctx.db.prepare('SELECT id FROM org_applications WHERE org_id = ? AND year = ? AND code = ? AND id <> ?').get(a.orgId, a.year, a.code, a.id ?? '') as { id: string } | undefined;
    if (same) throw new AppFailure('conformity.duplicate_application', { id: same.id, code: a.code, year: a.year });
    if (a.firstTime && !firstTimeAllowed(ctx, a.orgId, a.code, a.id)) throw new AppFailure('conformity.not_first_time', { code: a.code });
    const values: Row = {
      org_id: a.orgId,
      year: a.year,
      code: a.code,
      first_time: a.firstTime ? 1 : 0,
      staff: JSON.stringify(a.staff),
      devices: JSON.stringify(a.devices),
      permits: JSON.stringify(a.permits),
      // A first-time applicant leaves the planned volume empty (app. 1, note 2).
      planned_volume: a.firstTime ? null : a.plannedVolume,
      note: a.note ?? null,
    };
    if (a.id === undefined) {
      return String(ctx.store.insert('org_applications', full(APPLICATION_COLUMNS, { ...values, status: 'draft' })).id);
    }
    const r = applicationRow(ctx, a.id);
    if (r.locked_at !== null || r.status === 'concluded') throw new AppFailure('conformity.locked', { id: a.id });
    // The filing date was checked for the year and first-time flag given at receipt.
    if (r.status === 'received' && r.received_on) {
      const p = checkTiming({ year: a.year, receivedOn: r.received_on, firstTime: a.firstTime });
      if (p) throw new AppFailure(p.code, p.params);
    }
    ctx.store.update('org_applications', a.id, values);
    return a.id;
  });
  emitChanged(ctx, id);
  return applicationDetail(ctx, id);
}

/** Registers receipt: the date must be in the filing window for the year (or a first-time current-year application). */
export function receiveApplication(ctx: CoreContext, id: string, receivedOn: string): ApplicationDetail {
  ctx.store.transaction(() => {
    const r = applicationRow(ctx, id);
    if (r.locked_at !== null || r.status === 'concluded') throw new AppFailure('conformity.locked', { id });
    const p = checkTiming({ year: r.year, receivedOn, firstTime: r.first_time === 1 });
    if (p) throw new AppFailure(p.code, p.params);
    ctx.store.update('org_applications', id, { status: 'received', received_on: receivedOn, assessment_due: assessmentDue(receivedOn) });
  });
  emitChanged(ctx, id);
  return applicationDetail(ctx, id);
}

export function deleteApplication(ctx: CoreContext, id: string): boolean {
  const ok = ctx.store.transaction(() => {
    const r = applicationRow(ctx, id);
    if (r.locked_at !== null || r.status === 'concluded') throw new AppFailure('conformity.locked', { id });
    for (const c of ctx.db.prepare('SELECT id, issued_at FROM org_conclusions WHERE application_id = ?').all(id) as { id: string; issued_at: string | null }[]) {
      if (c.issued_at !== null) throw new AppFailure('conformity.locked', { id });
      ctx.store.remove('org_conclusions', c.id);
    }
    return ctx.store.remove('org_applications', id);
  });
  emitChanged(ctx, id);
  return ok;
}

export function saveAssessment(
  ctx: CoreContext,
  a: { applicationId: string; decisions: AssessmentDecision[]; staffJustification: string; devicesJustification: string; note: string },
): ApplicationDetail {
  ctx.store.transaction(() => {
    const r = applicationRow(ctx, a.applicationId);
    if (r.locked_at !== null || r.status === 'concluded') throw new AppFailure('conformity.locked', { id: r.id });
    if (r.status !== 'received') throw new AppFailure('conformity.not_received', { id: r.id });
    const reqs = requirementsFor(ctx, r.code);
    const known = new Set(reqs.requirements ? allRequirements(reqs.requirements).map((x) => x.id) : ['none']);
    const decisions = a.decisions.filter((d) => known.has(d.requirementId)).map((d) => ({ requirementId: d.requirementId, decision: d.decision, justification: d.justification.trim() }));
    const values: Row = {
      decisions: JSON.stringify(decisions),
      staff_justification: a.staffJustification.trim(),
      devices_justification: a.devicesJustification.trim(),
      note: a.note.trim(),
    };
    const existing = conclusionRowOf(ctx, r.id);
    if (existing) {
      if (existing.issued_at !== null) throw new AppFailure('conformity.locked', { id: existing.id });
      ctx.store.update('org_conclusions', existing.id, values);
    } else {
      ctx.store.insert(
        'org_conclusions',
        full(CONCLUSION_COLUMNS, { id: nameBasedUuid(`org_conclusions/${r.id}`), application_id: r.id, org_id: r.org_id, year: r.year, code: r.code, state: 'draft', ...values }),
      );
    }
  });
  emitChanged(ctx, a.applicationId);
  return applicationDetail(ctx, a.applicationId);
}

// ---------------------------------------------------------------------------------------------

function nextNumber(ctx: CoreContext, year: number): number {
  const counter = ctx.db.prepare('SELECT id, last_number FROM conformity_counters WHERE year = ?').get(year) as { id: string; last_number: number } | undefined;
  const taken = (ctx.db.prepare('SELECT coalesce(max(number_seq), 0) AS n FROM org_conclusions WHERE number_year = ?').get(year) as { n: number }).n;
  const n = Math.max(counter?.last_number ?? 0, taken) + 1;
  if (counter) ctx.store.update('conformity_counters', counter.id, { last_number: n });
  else ctx.store.insert('conformity_counters', { id: nameBasedUuid(`conformity_counters/${year}`), year, last_number: n });
  return n;
}

function issuerOf(ctx: CoreContext): ConclusionDoc['issuer'] {
  const s = readOrgsSettings(ctx);
  if (s.issuer.kk === '' || s.issuer.ru === '') throw new AppFailure('conformity.issuer_missing');
  return { name: s.issuer.kk === s.issuer.ru ? s.issuer.kk : { kk: s.issuer.kk, ru: s.issuer.ru } };
}

function checkSigner(signer: { name: string; position: string }): { name: string; position: string } {
  const s = { name: signer.name.trim(), position: signer.position.trim() };
  if (s.name === '') throw new AppFailure('conformity.signer_missing');
  return s;
}

/**
 * Issues the conclusion of a received application: every requirement decided (none left to check
 * by hand), every override justified, a non-conformity justified; the next number of the year of
 * issue; the statement stored with its SHA-256; the conclusion and the application locked.
 */
export function issueConclusion(ctx: CoreContext, a: { applicationId: string; date: string; signer: { name: string; position: string } }): ApplicationDetail {
  ctx.store.transaction(() => {
    const r = applicationRow(ctx, a.applicationId);
    if (r.locked_at !== null || r.status === 'concluded') throw new AppFailure('conformity.locked', { id: r.id });
    if (r.status !== 'received' || r.received_on === null) throw new AppFailure('conformity.not_received', { id: r.id });
    if (a.date < r.received_on) throw new AppFailure('conformity.issue_before_receipt', { date: a.date, receivedOn: r.received_on });
    const issuer = issuerOf(ctx);
    const signer = checkSigner(a.signer);
    const c = conclusionRowOf(ctx, r.id);
    const reqs = requirementsFor(ctx, r.code);
    const decisions = c ? json<AssessmentDecision[]>(c.decisions, []) : [];
    const view = assessmentOf(ctx, r, reqs, decisions, r.received_on);
    if (view.open.undecided.length > 0) throw new AppFailure('conformity.undecided', { count: view.open.undecided.length, ids: view.open.undecided.join(', ') });
    if (view.open.unjustified.length > 0) throw new AppFailure('conformity.unjustified', { count: view.open.unjustified.length, ids: view.open.unjustified.join(', ') });
    const staffConform = view.staff === 'met';
    const devicesConform = view.devices === 'met';
    const staffJustification = c?.staff_justification ?? '';
    const devicesJustification = c?.devices_justification ?? '';
    if (!staffConform && staffJustification === '') throw new AppFailure('conformity.justification_missing', { part: 'staff' });
    if (!devicesConform && devicesJustification === '') throw new AppFailure('conformity.justification_missing', { part: 'devices' });
    const year = Number(a.date.slice(0, 4));
    const seq = nextNumber(ctx, year);
    const number = `${seq}/${year}`;
    const validity = conclusionValidity({ year: r.year, receivedOn: r.received_on, firstTime: r.first_time === 1 });
    const o = orgRow(ctx, r.org_id);
    const doc: ConclusionDoc = {
      kind: 'conformity_conclusion',
      number,
      date: a.date,
      issuer,
      organization: docOrganization(o),
      htmp: docHtmp(ctx, r.code, validity.from),
      year: r.year,
      validFrom: validity.from,
      validTo: validity.to,
      application: { receivedOn: r.received_on, firstTime: r.first_time === 1 },
      staff: { conform: staffConform, justification: staffJustification },
      devices: { conform: devicesConform, justification: devicesJustification },
      overall: { conform: staffConform && devicesConform, note: c?.note ?? '' },
      requirements: view.items.map((i) => ({
        part: i.part,
        text: i.requirement ? requirementText(i.requirement) : '—',
        auto: i.status,
        status: i.final === 'met' ? 'met' : 'not_met',
        justification: i.decision?.justification ?? '',
      })),
      signer,
      generatedAt: kzNow(),
    };
    const bad = findInvalidField(doc);
    if (bad !== null) throw new AppFailure('pdf.invalid_document', { field: bad });
    const statement = canonicalJson(statementData(doc));
    const issuedAt = new Date().toISOString();
    const values: Row = {
      state: 'issued',
      staff_conform: staffConform ? 1 : 0,
      devices_conform: devicesConform ? 1 : 0,
      overall_conform: staffConform && devicesConform ? 1 : 0,
      number,
      number_year: year,
      number_seq: seq,
      issued_on: a.date,
      valid_from: validity.from,
      valid_to: validity.to,
      signer_name: signer.name,
      signer_position: signer.position,
      statement,
      sha256: sha256Hex(statement),
      issued_at: issuedAt,
    };
    if (c) ctx.store.update('org_conclusions', c.id, values);
    else ctx.store.insert('org_conclusions', full(CONCLUSION_COLUMNS, { id: nameBasedUuid(`org_conclusions/${r.id}`), application_id: r.id, org_id: r.org_id, year: r.year, code: r.code, decisions: '[]', staff_justification: '', devices_justification: '', note: '', ...values }));
    ctx.store.update('org_applications', r.id, { status: 'concluded', locked_at: issuedAt });
  });
  emitChanged(ctx, a.applicationId);
  return applicationDetail(ctx, a.applicationId);
}

export function addUpdate(ctx: CoreContext, a: { conclusionId: string; kind: UpdateKind; eventOn: string; subject: string; newCode?: string | null | undefined; note?: string | null | undefined }): UpdateView {
  const row = ctx.store.transaction(() => {
    const c = issuedConclusionRow(ctx, a.conclusionId);
    const superseded = ctx.db.prepare("SELECT 1 FROM org_conclusions WHERE supersedes_id = ? AND state = 'issued'").get(c.id);
    if (superseded) throw new AppFailure('conformity.superseded', { number: c.number ?? '' });
    if (a.kind === 'code_changed' && !a.newCode) throw new AppFailure('conformity.reissue_needs_code');
    const due = POINT29_KINDS.includes(a.kind) ? updateDue(a.eventOn, workCalendar(ctx.db)).due : reissueDue(a.eventOn);
    return ctx.store.insert(
      'org_updates',
      full(UPDATE_COLUMNS, {
        conclusion_id: c.id,
        org_id: c.org_id,
        kind: a.kind,
        event_on: a.eventOn,
        due_on: due,
        subject: a.subject.trim(),
        new_code: a.kind === 'code_changed' ? (a.newCode ?? null) : null,
        note: a.note?.trim() || null,
      }),
    ) as unknown as UpdateRow;
  });
  emitChanged(ctx, row.id);
  return updateView(ctx, row, kzToday());
}

export function completeUpdate(ctx: CoreContext, id: string, doneOn: string): UpdateView {
  const row = ctx.store.transaction(() => {
    const u = updateRow(ctx, id);
    if (u.done_on !== null) throw new AppFailure('conformity.already_done', { id });
    if (!POINT29_KINDS.includes(u.kind)) throw new AppFailure('conformity.wrong_update_kind', { kind: u.kind });
    return ctx.store.update('org_updates', id, { done_on: doneOn }).row as unknown as UpdateRow;
  });
  emitChanged(ctx, id);
  return updateView(ctx, row, kzToday());
}

/**
 * Point 30: a new conclusion for the new code (or the new name of the same code), with the old
 * one's assessment, validity and organization; it supersedes the old one (which stays issued and
 * unchanged) and closes the update.
 */
export function reissue(ctx: CoreContext, a: { updateId: string; date: string; signer: { name: string; position: string } }): { update: UpdateView; conclusion: ConclusionView } {
  const newId = nameBasedUuid(`org_conclusions/reissue/${a.updateId}`);
  ctx.store.transaction(() => {
    const u = updateRow(ctx, a.updateId);
    if (u.kind !== 'code_changed' && u.kind !== 'name_changed') throw new AppFailure('conformity.wrong_update_kind', { kind: u.kind });
    if (u.done_on !== null) throw new AppFailure('conformity.already_done', { id: u.id });
    const old = issuedConclusionRow(ctx, u.conclusion_id);
    if (ctx.db.prepare("SELECT 1 FROM org_conclusions WHERE supersedes_id = ? AND state = 'issued'").get(old.id)) throw new AppFailure('conformity.superseded', { number: old.number ?? '' });
    const prev = conclusionDoc(old);
    const code = u.kind === 'code_changed' ? (u.new_code ?? old.code) : old.code;
    const issuer = issuerOf(ctx);
    const signer = checkSigner(a.signer);
    const year = Number(a.date.slice(0, 4));
    const seq = nextNumber(ctx, year);
    const number = `${seq}/${year}`;
    const doc: ConclusionDoc = {
      ...prev,
      number,
      date: a.date,
      issuer,
      htmp: docHtmp(ctx, code, a.date),
      signer,
      reissueOf: { number: prev.number, date: prev.date, code: prev.htmp.code },
      generatedAt: kzNow(),
    };
    const bad = findInvalidField(doc);
    if (bad !== null) throw new AppFailure('pdf.invalid_document', { field: bad });
    const statement = canonicalJson(statementData(doc));
    ctx.store.insert(
      'org_conclusions',
      full(CONCLUSION_COLUMNS, {
        id: newId,
        application_id: old.application_id,
        org_id: old.org_id,
        year: old.year,
        code,
        state: 'issued',
        decisions: old.decisions,
        staff_justification: old.staff_justification,
        devices_justification: old.devices_justification,
        note: old.note,
        staff_conform: old.staff_conform,
        devices_conform: old.devices_conform,
        overall_conform: old.overall_conform,
        number,
        number_year: year,
        number_seq: seq,
        issued_on: a.date,
        valid_from: old.valid_from,
        valid_to: old.valid_to,
        signer_name: signer.name,
        signer_position: signer.position,
        supersedes_id: old.id,
        statement,
        sha256: sha256Hex(statement),
        issued_at: new Date().toISOString(),
      }),
    );
    ctx.store.update('org_updates', u.id, { done_on: a.date, new_conclusion_id: newId });
  });
  emitChanged(ctx, a.updateId);
  return { update: updateView(ctx, updateRow(ctx, a.updateId), kzToday()), conclusion: getConclusion(ctx, newId) };
}
