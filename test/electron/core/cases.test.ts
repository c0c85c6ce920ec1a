import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { MAX_FILE_BYTES } from '../../../shared/contract/cases';
import type { Core } from '../../../electron/core/core';
import { migrate } from '../../../electron/core/db';
import { migrations } from '../../../electron/core/migrations';
import { casesTables, caseDetail } from '../../../electron/core/services/cases';
import { fileStore } from '../../../electron/core/files';
import { TEST_ADMIN, tempCore, tempDir } from '../../support/temp';
import { completeDraft, makeIin, MEMBERS } from './cases-fixtures';
import { failure } from '../../support/failures';
import { decodeRows, STORED_FORMS } from '../../../electron/core/stored-form';

async function registered(core: Core, over: Parameters<typeof completeDraft>[0] = {}) {
  const { id } = await core.call('cases.save', completeDraft(over));
  await core.call('cases.register', { id });
  return id;
}

async function issue(core: Core, caseId: string, outcome: 'approved' | 'refused', date: string, reason: 'no_indications' | 'incomplete_packet' | 'not_authentic' | null = null) {
  const d = await core.call('cases.decide', { caseId, outcome, reason, members: MEMBERS, date });
  return core.call('cases.issueProtocol', { decisionId: d.decision.id });
}

const changeCount = (core: Core) => (core.db.prepare('SELECT count(*) AS n FROM change_log').get() as { n: number }).n;

describe('cases: saving drafts', () => {
  it('keeps an incomplete draft and returns its findings; a later patch changes only what it names', async () => {
    const core = tempCore();
    const r = await core.call('cases.save', { patient: { lastName: 'Абаев', iin: '12345' } });
    expect(r.created).toBe(true);
    expect(r.detail.status).toBe('draft');
    expect(r.detail.complete).toBe(false);
    const codes = r.detail.findings.map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['case.received_at_invalid', 'patient.iin_invalid', 'patient.name_missing', 'code.missing', 'document.missing']));
    expect(r.detail.due).toBeNull();

    const r2 = await core.call('cases.save', { id: r.id, receivedAt: '2026-03-20T16:30', htmpCode: '54.970.059' });
    expect(r2.created).toBe(false);
    expect(r2.detail.patient.lastName).toBe('Абаев');
    expect(r2.detail.patient.iin).toBe('12345');
    expect(r2.detail.due).toMatchObject({ due: '2026-03-27', workingDays: ['2026-03-26', '2026-03-27'], calendarConfirmed: true });
    // The draft survives a new core on the same folder (closing the window loses nothing).
    const again = caseDetail(core.context, r.id);
    expect(again.receivedAt).toBe('2026-03-20T16:30');
  });

  it('a complete packet: no errors, due across Nauryz, funding with its reason, code in force', async () => {
    const core = tempCore();
    const r = await core.call('cases.save', completeDraft());
    expect(r.detail.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(r.detail.complete).toBe(true);
    expect(r.detail.due?.due).toBe('2026-03-27');
    expect(r.detail.code).toMatchObject({ known: true, inForce: true, sections: [2] });
    expect(r.detail.funding).toEqual({ channel: 'osms', section: 2, reason: { key: 'funding.planned_section2_insured', params: { sections: '2' } } });
    expect(r.detail.patient.iinCheck).toMatchObject({ valid: true, birthDate: '1980-05-12', sex: 'male' });
  });

  it('code checks against the edition in force on the received date', async () => {
    const core = tempCore();
    const old = await core.call('cases.save', completeDraft({ htmpCode: '39.65' }));
    expect(old.detail.findings.map((f) => f.code)).toContain('code.not_in_force');
    const unknown = await core.call('cases.save', completeDraft({ htmpCode: '99.999' }));
    expect(unknown.detail.findings.map((f) => f.code)).toContain('code.unknown');
    const emergency = await core.call('cases.save', { ...completeDraft(), urgency: 'emergency' });
    expect(emergency.detail.findings.map((f) => f.code)).toContain('code.urgency_mismatch');
  });

  it('documents: the list replaces the stored one; ids keep documents, absent ones are removed', async () => {
    const core = tempCore();
    const r = await core.call('cases.save', completeDraft());
    const docs = r.detail.documents;
    expect(docs.map((d) => d.kind)).toEqual(['identity', 'referral', 'record_extract', 'test_results']);
    const extract = docs[2]!;
    const r2 = await core.call('cases.save', {
      id: r.id,
      documents: [
        { id: docs[0]!.id, kind: 'identity', paper: true },
        { id: extract.id, kind: 'record_extract', paper: true, signatures: ['attending'], seal: false },
      ],
    });
    expect(r2.detail.documents.map((d) => d.id)).toEqual([docs[0]!.id, extract.id]);
    expect(r2.detail.documents[1]!.clinicalDiagnosis).toBe('ИБС');
    const codes = r2.detail.findings.map((f) => `${f.code}:${String(f.params.kind ?? f.params.role ?? '')}`);
    expect(codes).toEqual(expect.arrayContaining(['document.missing:referral', 'document.missing:test_results', 'extract.seal_missing:', 'extract.signature_missing:head_of_department']));
    const unknownId = await failure(core.call('cases.save', { id: r.id, documents: [{ id: '11111111-1111-4111-8111-111111111111', kind: 'other' }] }));
    expect(unknownId.code).toBe('cases.document_not_found');
  });

  it('validate checks a patch without saving or logging anything', async () => {
    const core = tempCore();
    const r = await core.call('cases.save', completeDraft());
    const before = changeCount(core);
    const v = await core.call('cases.validate', { id: r.id, patient: { iin: '000000000000' }, documents: [] });
    expect(v.complete).toBe(false);
    expect(v.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['patient.iin_invalid', 'document.missing']));
    expect(changeCount(core)).toBe(before);
    const d = await core.call('cases.get', { id: r.id });
    expect(d.patient.iin).toBe(completeDraft().patient.iin);
    expect(d.documents).toHaveLength(4);
    const fresh = await core.call('cases.validate', completeDraft());
    expect(fresh.complete).toBe(true);
    expect(fresh.due?.due).toBe('2026-03-27');
    expect((core.db.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n).toBe(1);
  });

  it('refuses a stale save (expectedUpdatedAt) so two windows do not overwrite each other', async () => {
    const core = tempCore();
    const r = await core.call('cases.save', completeDraft());
    await core.call('cases.save', { id: r.id, notes: 'first', expectedUpdatedAt: r.detail.updatedAt });
    const stale = await failure(core.call('cases.save', { id: r.id, notes: 'second', expectedUpdatedAt: r.detail.updatedAt }));
    expect(stale.code).toBe('cases.conflict');
  });

  it('refuses a stale save even when both saves fall in the same millisecond', async () => {
    const core = tempCore();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2026-03-20T10:00:00.000Z'));
      const r = await core.call('cases.save', completeDraft());
      await core.call('cases.save', { id: r.id, notes: 'first', expectedUpdatedAt: r.detail.updatedAt });
      const stale = await failure(core.call('cases.save', { id: r.id, notes: 'second', expectedUpdatedAt: r.detail.updatedAt }));
      expect(stale.code).toBe('cases.conflict');
    } finally {
      vi.useRealTimers();
    }
  });

  it('registration needs a received date-time, names and a valid IIN', async () => {
    const core = tempCore();
    const r = await core.call('cases.save', { patient: { lastName: 'Абаев' } });
    const f = await failure(core.call('cases.register', { id: r.id }));
    expect(f).toEqual({ code: 'cases.register_incomplete', params: { fields: 'receivedAt, patient.firstName, patient.iin' } });
    await core.call('cases.save', { id: r.id, ...completeDraft() });
    const d = await core.call('cases.register', { id: r.id });
    expect(d.status).toBe('registered');
    expect(d.registeredAt).not.toBeNull();
  });
});

describe('cases: the same patient twice', () => {
  it('a second open case of one IIN is a warning that names the earlier cases and their protocols; registering stays possible', async () => {
    const core = tempCore();
    const first = await registered(core, { receivedAt: '2026-03-18T09:00' });
    await issue(core, first, 'approved', '2026-03-23');
    const second = await registered(core, { receivedAt: '2026-03-24T10:00' });
    const { id: third } = await core.call('cases.save', completeDraft({ receivedAt: '2026-03-26T11:00' }));

    const d = await core.call('cases.get', { id: third });
    expect(d.sameIin.map((x) => x.id)).toEqual([second, first]);
    expect(d.sameIin[1]!.protocols).toEqual([expect.objectContaining({ number: '1/2026', date: '2026-03-23', outcome: 'approved', state: 'issued' })]);
    expect(d.findings).toContainEqual({ code: 'patient.open_case_exists', severity: 'warning', field: 'patient.sameIin', params: { count: 1 } });
    expect(d.complete).toBe(true);
    expect((await core.call('cases.register', { id: third })).status).toBe('registered');

    // a decided case no longer warns, nor does another patient
    const decided = await core.call('cases.get', { id: first });
    expect(decided.findings.some((f) => f.code === 'patient.open_case_exists')).toBe(false);
    const other = await core.call('cases.save', completeDraft({ iin: makeIin('1975-02-03', 'female') }));
    const od = await core.call('cases.get', { id: other.id });
    expect(od.sameIin).toEqual([]);
    expect(od.findings.some((f) => f.code === 'patient.open_case_exists')).toBe(false);
  });

  it('registration refuses a receipt date or a birth date not yet come', async () => {
    const core = tempCore();
    const { id } = await core.call('cases.save', completeDraft({ receivedAt: '2099-03-20T10:00' }));
    expect(await failure(core.call('cases.register', { id }))).toEqual({ code: 'cases.register_incomplete', params: { fields: 'receivedAt' } });
    const d = await core.call('cases.get', { id });
    expect(d.findings).toContainEqual(expect.objectContaining({ code: 'case.received_in_future', severity: 'error', field: 'receivedAt' }));
    await core.call('cases.save', { id, receivedAt: '2026-03-20T10:00', patient: { iin: makeIin('2098-01-01', 'male'), birthDate: null, sex: null } });
    expect(await failure(core.call('cases.register', { id }))).toEqual({ code: 'cases.register_incomplete', params: { fields: 'patient.iin' } });
  });
});

describe('cases: files', () => {
  it('stores content encrypted under files/<aa>/<keyed name>, dedupes by hash, previews and unlinks', async () => {
    const core = tempCore();
    const { id } = await core.call('cases.save', completeDraft());
    const content = Buffer.from('%PDF-1.4 scan of the extract');
    const a1 = await core.call('cases.attachFile', { caseId: id, kind: 'record_extract', name: 'extract.pdf', mime: 'application/pdf', contentBase64: content.toString('base64') });
    expect(a1.deduplicated).toBe(false);
    expect(a1.file.sha256).toMatch(/^[0-9a-f]{64}$/);
    const name = fileStore(core.dataDir).nameOf(a1.file.sha256);
    const stored = path.join(core.dataDir, 'files', name.slice(0, 2), name);
    // Named by a keyed hash, not the SHA-256; the bytes on disk are not the content.
    expect(name).not.toBe(a1.file.sha256);
    expect(fs.readFileSync(stored).includes(content)).toBe(false);
    expect(fileStore(core.dataDir).read(a1.file.sha256)).toEqual(content);
    expect(a1.detail.documents.find((d) => d.id === a1.documentId)?.files.map((f) => f.name)).toEqual(['extract.pdf']);

    // The same bytes under another name, on another document: stored once.
    const a2 = await core.call('cases.attachFile', { caseId: id, documentId: a1.detail.documents[0]!.id, name: 'copy.pdf', mime: 'application/pdf', contentBase64: content.toString('base64') });
    expect(a2.deduplicated).toBe(true);
    expect(a2.file.sha256).toBe(a1.file.sha256);
    expect((core.db.prepare('SELECT count(*) AS n FROM stored_files').get() as { n: number }).n).toBe(1);
    expect(fs.readdirSync(path.dirname(stored))).toEqual([name]);

    const preview = await core.call('cases.fileContent', { fileId: a2.file.id });
    expect(Buffer.from(preview.contentBase64, 'base64')).toEqual(content);
    expect(preview.file).toMatchObject({ name: 'copy.pdf', mime: 'application/pdf', size: content.length });

    const after = await core.call('cases.removeFile', { caseId: id, fileId: a2.file.id });
    expect(after.documents[0]!.files).toEqual([]);
    expect(fs.existsSync(stored)).toBe(true);
    expect((await failure(core.call('cases.fileContent', { fileId: a2.file.id }))).code).toBe('cases.file_not_found');
  });

  it('a file removed from the store behind our back is a file.missing finding', async () => {
    const core = tempCore();
    const { id } = await core.call('cases.save', completeDraft());
    const a = await core.call('cases.attachFile', { caseId: id, kind: 'other', name: 'x.png', mime: 'image/png', contentBase64: Buffer.from('png').toString('base64') });
    const name = fileStore(core.dataDir).nameOf(a.file.sha256);
    fs.rmSync(path.join(core.dataDir, 'files', name.slice(0, 2), name));
    const d = await core.call('cases.get', { id });
    expect(d.findings.find((f) => f.code === 'file.missing')?.params).toMatchObject({ path: a.file.sha256, kind: 'other' });
    expect(d.complete).toBe(false);
  });

  it('refuses files over the size limit and content that is not base64', async () => {
    const core = tempCore();
    const { id } = await core.call('cases.save', completeDraft());
    const big = Buffer.alloc(MAX_FILE_BYTES + 1).toString('base64');
    const f = await failure(core.call('cases.attachFile', { caseId: id, name: 'big.bin', mime: 'application/octet-stream', contentBase64: big }));
    expect(f.code).toBe('cases.file_too_large');
    expect(f.params).toMatchObject({ maxBytes: MAX_FILE_BYTES, size: MAX_FILE_BYTES + 1 });
    const bad = await failure(core.call('cases.attachFile', { caseId: id, name: 'a', mime: 'text/plain', contentBase64: '%%%' }));
    expect(bad.code).toBe('cases.file_content_invalid');
    expect(fs.existsSync(path.join(core.dataDir, 'files'))).toBe(false);
  });
});

describe('cases: decisions and protocols', () => {
  it('approval only on a complete packet; "incomplete packet" only on an incomplete one', async () => {
    const core = tempCore();
    const complete = await registered(core);
    expect((await failure(core.call('cases.decide', { caseId: complete, outcome: 'refused', reason: 'incomplete_packet', members: MEMBERS, date: '2026-03-23' }))).code).toBe(
      'decision.incomplete_not_allowed',
    );
    const ok = await core.call('cases.decide', { caseId: complete, outcome: 'approved', members: MEMBERS, date: '2026-03-23' });
    expect(ok.decision).toMatchObject({ state: 'draft', locked: false, protocol: null, version: 1 });
    expect(ok.detail.status).toBe('registered');

    const { id: incomplete } = await core.call('cases.save', { ...completeDraft(), documents: [] });
    await core.call('cases.register', { id: incomplete });
    expect((await failure(core.call('cases.decide', { caseId: incomplete, outcome: 'approved', members: MEMBERS, date: '2026-03-23' }))).code).toBe(
      'decision.approval_needs_complete_packet',
    );
    const refusal = await core.call('cases.decide', { caseId: incomplete, outcome: 'refused', reason: 'incomplete_packet', members: MEMBERS, date: '2026-03-23' });
    expect(refusal.decision).toMatchObject({ outcome: 'refused', reason: 'incomplete_packet', legalSubpoint: 2 });
  });

  it('other rules: reason required, chair and secretary required, drafts cannot be decided', async () => {
    const core = tempCore();
    const id = await registered(core);
    expect((await failure(core.call('cases.decide', { caseId: id, outcome: 'refused', members: MEMBERS, date: '2026-03-23' }))).code).toBe('decision.reason_required');
    expect((await failure(core.call('cases.decide', { caseId: id, outcome: 'approved', reason: 'not_authentic', members: MEMBERS, date: '2026-03-23' }))).code).toBe(
      'decision.reason_not_allowed',
    );
    expect((await failure(core.call('cases.decide', { caseId: id, outcome: 'approved', members: MEMBERS.slice(1), date: '2026-03-23' }))).code).toBe('decision.chair_required');
    // No secretary named: the signed-in user is the secretary (issue 10); the rule itself stays
    // for a list with none (shared/domain/decision.ts, its own test).
    const noSecretary = await core.call('cases.decide', { caseId: id, outcome: 'approved', members: MEMBERS.slice(0, 2), date: '2026-03-23' });
    expect(noSecretary.decision.members.filter((m) => m.role === 'secretary').map((m) => m.name)).toEqual([TEST_ADMIN.displayName]);
    const { id: draft } = await core.call('cases.save', completeDraft());
    expect((await failure(core.call('cases.decide', { caseId: draft, outcome: 'approved', members: MEMBERS, date: '2026-03-23' }))).code).toBe('cases.not_registered');
    // A reason outside the three legal grounds is refused at the API boundary.
    const r = await core.dispatch('cases.decide', { caseId: id, outcome: 'refused', reason: 'too_expensive', members: MEMBERS, date: '2026-03-23' });
    expect(r).toMatchObject({ ok: false, error: { code: 'api.invalid_argument' } });
  });

  it('numbers protocols in sequence per year and never reuses one, even after deleting a draft', async () => {
    const core = tempCore();
    const a = await registered(core);
    const b = await registered(core);
    // Received in 2025: a decision is never dated before the packet arrived.
    const c = await registered(core, { receivedAt: '2025-12-29T09:00' });
    const d = await registered(core);
    expect((await issue(core, a, 'approved', '2026-03-23')).decision.protocol).toEqual({ year: 2026, number: 1, label: '1/2026' });
    expect((await issue(core, b, 'refused', '2026-03-23', 'no_indications')).decision.protocol?.number).toBe(2);
    // A decision dated in 2025 takes that year's sequence.
    expect((await issue(core, c, 'approved', '2025-12-30')).decision.protocol).toEqual({ year: 2025, number: 1, label: '1/2025' });

    // A correction draft on `a` is deleted; the next issued protocol still gets a fresh number.
    const corr = await core.call('cases.decide', { caseId: a, outcome: 'refused', reason: 'not_authentic', members: MEMBERS, date: '2026-03-24', correction: true });
    await core.call('cases.deleteDecision', { decisionId: corr.decision.id });
    const dd = await issue(core, d, 'approved', '2026-03-24');
    expect(dd.decision.protocol?.number).toBe(3);
    // Even if the highest-numbered decision's row vanished (e.g. a sync undo), the counter moves on.
    const corr2 = await core.call('cases.decide', { caseId: a, outcome: 'refused', reason: 'not_authentic', members: MEMBERS, date: '2026-03-25', correction: true, note: 'Подложная выписка' });
    expect((await core.call('cases.issueProtocol', { decisionId: corr2.decision.id })).decision.protocol?.number).toBe(4);
    const counters = core.db.prepare('SELECT year, last_number FROM protocol_counters ORDER BY year').all();
    expect(counters).toEqual([
      { year: 2025, last_number: 1 },
      { year: 2026, last_number: 4 },
    ]);
  });

  it('an issued decision is locked; a correction is a new version that keeps the old one', async () => {
    const core = tempCore();
    const id = await registered(core);
    const first = await issue(core, id, 'approved', '2026-03-23');
    expect(first.decision).toMatchObject({ state: 'issued', locked: true, version: 1 });
    expect(first.decision.packetAtIssue?.complete).toBe(true);
    expect(first.detail).toMatchObject({ status: 'approved', portal: { status: 'to_export' } });

    expect((await failure(core.call('cases.decide', { caseId: id, outcome: 'approved', members: MEMBERS, date: '2026-03-24' }))).code).toBe('cases.decision_locked');
    expect((await failure(core.call('cases.deleteDecision', { decisionId: first.decision.id }))).code).toBe('cases.decision_locked');
    expect((await failure(core.call('cases.issueProtocol', { decisionId: first.decision.id }))).code).toBe('cases.decision_locked');

    const corr = await core.call('cases.decide', { caseId: id, outcome: 'refused', reason: 'not_authentic', members: MEMBERS, date: '2026-03-24', correction: true, note: 'forged extract' });
    expect(corr.decision).toMatchObject({ version: 2, state: 'draft', supersedesId: first.decision.id });
    // While the correction is a draft, the issued decision stays in force.
    expect(corr.detail.currentDecision?.id).toBe(first.decision.id);
    expect(corr.detail.draftDecision?.id).toBe(corr.decision.id);
    expect(corr.detail.status).toBe('approved');

    const issued = await core.call('cases.issueProtocol', { decisionId: corr.decision.id });
    expect(issued.detail.status).toBe('refused');
    expect(issued.detail.decisions.map((x) => [x.version, x.state, x.protocol?.label])).toEqual([
      [2, 'issued', '2/2026'],
      [1, 'superseded', '1/2026'],
    ]);
    expect(issued.detail.decisions[1]!.supersededById).toBe(corr.decision.id);
    expect(issued.detail.decisions[1]!.outcome).toBe('approved');
    expect((await failure(core.call('cases.delete', { id }))).code).toBe('cases.has_issued_decision');
  });

  it('issuing re-checks the rules on the packet as it is then', async () => {
    const core = tempCore();
    const id = await registered(core);
    const d = await core.call('cases.decide', { caseId: id, outcome: 'approved', members: MEMBERS, date: '2026-03-23' });
    await core.call('cases.save', { id, documents: [] });
    expect((await failure(core.call('cases.issueProtocol', { decisionId: d.decision.id }))).code).toBe('decision.approval_needs_complete_packet');
    expect(core.db.prepare('SELECT count(*) AS n FROM protocol_counters').get()).toEqual({ n: 0 });
  });
});

describe('cases: after approval', () => {
  it('portal status follows its transitions; hospitalization, informing and follow-up are recorded', async () => {
    const core = tempCore();
    const id = await registered(core);
    expect((await failure(core.call('cases.hospitalization', { caseId: id, date: '2026-04-01' }))).code).toBe('cases.not_approved');
    await issue(core, id, 'approved', '2026-03-23');
    expect((await failure(core.call('cases.portalStatus', { caseId: id, status: 'accepted' }))).code).toBe('cases.portal_transition');
    await core.call('cases.portalStatus', { caseId: id, status: 'exported' });
    await core.call('cases.portalStatus', { caseId: id, status: 'uploaded' });
    await core.call('cases.portalStatus', { caseId: id, status: 'rejected', note: 'no scan' });
    await core.call('cases.portalStatus', { caseId: id, status: 'to_export' });
    let d = await core.call('cases.hospitalization', { caseId: id, date: '2026-04-01' });
    d = await core.call('cases.patientInformed', { caseId: id, channel: 'sms', date: '2026-03-25' });
    d = await core.call('cases.followUp', { caseId: id, operationDate: '2026-04-02', complications: false });
    d = await core.call('cases.followUp', { caseId: id, survivalOneYear: true });
    expect(d.portal?.events.map((e) => e.status)).toEqual(['to_export', 'exported', 'uploaded', 'rejected', 'to_export']);
    expect(d.portal?.status).toBe('to_export');
    expect(d.hospitalizationDate).toBe('2026-04-01');
    expect(d.patientInformed).toEqual({ channel: 'sms', date: '2026-03-25' });
    expect(d.followUp).toMatchObject({ operationDate: '2026-04-02', complications: false, survivalOneYear: true, death: null });
  });
});

describe('cases: the register, journal and today', () => {
  async function seed(core: Core) {
    // 2026: 21-25 March are days off (Nauryz). Received Wed 18 -> due Fri 20; Thu 19 -> Fri 20 and
    // Thu 26 -> due 26; Fri 20 -> 26, 27 -> due 27; Thu 26 -> 27, Mon 30 -> due 30.
    const ids = {
      early: await registered(core, { receivedAt: '2026-03-18T09:00', lastName: 'Ержанова', iin: makeIin('1990-01-02', 'female') }),
      nauryz: await registered(core, { receivedAt: '2026-03-20T16:30', lastName: 'Ёлкин', iin: makeIin('1985-07-07', 'male') }),
      later: await registered(core, { receivedAt: '2026-03-26T10:00', lastName: 'Абаев', htmpCode: '00.50' }),
      draft: (await core.call('cases.save', { patient: { lastName: 'Черновик' }, receivedAt: '2026-03-19T08:00' })).id,
    };
    return ids;
  }

  it('filters by status, due today, overdue, code, received dates and text; sorts by due; pages', async () => {
    const core = tempCore();
    const ids = await seed(core);
    const all = await core.call('cases.list', { today: '2026-03-27' });
    expect(all.total).toBe(4);
    expect(all.items.map((x) => [x.patient.lastName, x.due])).toEqual([
      ['Ержанова', '2026-03-20'],
      ['Черновик', '2026-03-26'],
      ['Ёлкин', '2026-03-27'],
      ['Абаев', '2026-03-30'],
    ]);
    expect((await core.call('cases.list', { status: 'draft' })).items.map((x) => x.id)).toEqual([ids.draft]);
    expect((await core.call('cases.list', { status: ['registered'], today: '2026-03-27' })).total).toBe(3);
    expect((await core.call('cases.list', { dueToday: true, today: '2026-03-27' })).items.map((x) => x.id)).toEqual([ids.nauryz]);
    const overdue = await core.call('cases.list', { overdue: true, today: '2026-03-27' });
    expect(overdue.items.map((x) => x.id)).toEqual([ids.early, ids.draft]);
    expect(overdue.items.every((x) => x.overdue)).toBe(true);
    expect((await core.call('cases.list', { dueToday: true, overdue: true, today: '2026-03-27' })).total).toBe(3);
    expect((await core.call('cases.list', { code: '00.50' })).items.map((x) => x.id)).toEqual([ids.later]);
    expect((await core.call('cases.list', { code: '54.*' })).total).toBe(2);
    expect((await core.call('cases.list', { receivedFrom: '2026-03-19', receivedTo: '2026-03-20' })).items.map((x) => x.id)).toEqual([ids.draft, ids.nauryz]);
    // Cyrillic case-insensitive, ё = е; IIN prefix.
    expect((await core.call('cases.list', { query: 'ЕЛКИН' })).items.map((x) => x.id)).toEqual([ids.nauryz]);
    expect((await core.call('cases.list', { query: 'ержан' })).items.map((x) => x.id)).toEqual([ids.early]);
    expect((await core.call('cases.list', { query: makeIin('1985-07-07', 'male').slice(0, 8) })).items.map((x) => x.id)).toEqual([ids.nauryz]);
    expect((await core.call('cases.list', { query: '100%_' })).total).toBe(0);
    const page1 = await core.call('cases.list', { limit: 2 });
    expect(page1).toMatchObject({ total: 4, limit: 2 });
    expect(page1.items.map((x) => x.patient.lastName)).toEqual(['Ержанова', 'Черновик']);
    const page2 = await core.call('cases.list', { limit: 2, after: page1.next! });
    expect(page2.items.map((x) => x.patient.lastName)).toEqual(['Ёлкин', 'Абаев']);
    expect(page2.next).toBeNull();
    // A decided case is never overdue.
    await issue(core, ids.early, 'approved', '2026-03-19');
    expect((await core.call('cases.list', { overdue: true, today: '2026-03-27' })).items.map((x) => x.id)).toEqual([ids.draft]);
    expect((await core.call('cases.list', { status: 'approved' })).items[0]).toMatchObject({ outcome: 'approved', protocol: { label: '1/2026' }, portalStatus: 'to_export' });
  });

  it('journal of refusals: issued refusals in the period, corrections replace the old version', async () => {
    const core = tempCore();
    const ids = await seed(core);
    await issue(core, ids.early, 'refused', '2026-03-19', 'no_indications');
    await issue(core, ids.nauryz, 'refused', '2026-03-26', 'not_authentic');
    await issue(core, ids.later, 'approved', '2026-03-27');
    const all = await core.call('cases.refusalJournal', {});
    expect(all.items.map((x) => [x.patient.lastName, x.reason, x.legalSubpoint, x.protocol.label])).toEqual([
      ['Ержанова', 'no_indications', 1, '1/2026'],
      ['Ёлкин', 'not_authentic', 3, '2/2026'],
    ]);
    expect((await core.call('cases.refusalJournal', { from: '2026-03-20', to: '2026-03-31' })).items.map((x) => x.caseId)).toEqual([ids.nauryz]);
    const corr = await core.call('cases.decide', { caseId: ids.nauryz, outcome: 'approved', members: MEMBERS, date: '2026-03-27', correction: true, note: 'Подлинность документов подтверждена' });
    await core.call('cases.issueProtocol', { decisionId: corr.decision.id });
    expect((await core.call('cases.refusalJournal', {})).items.map((x) => x.caseId)).toEqual([ids.early]);
  });

  it('today: due today, overdue and decided today', async () => {
    const core = tempCore();
    const ids = await seed(core);
    await issue(core, ids.later, 'approved', '2026-03-27');
    const t = await core.call('cases.today', { today: '2026-03-27' });
    expect(t.dueToday.map((x) => x.id)).toEqual([ids.nauryz]);
    expect(t.overdue.map((x) => x.id)).toEqual([ids.early, ids.draft]);
    // Issued "now": decidedToday is judged on the local date of issue.
    const now = await core.call('cases.today', {});
    expect(now.decidedToday.map((x) => x.id)).toEqual([ids.later]);
  });

  it('a draft entered by mistake can be deleted with its documents and files links', async () => {
    const core = tempCore();
    const { id } = await core.call('cases.save', completeDraft());
    await core.call('cases.attachFile', { caseId: id, kind: 'other', name: 'a.txt', mime: 'text/plain', contentBase64: Buffer.from('a').toString('base64') });
    await core.call('cases.decide', { caseId: await registered(core), outcome: 'approved', members: MEMBERS, date: '2026-03-23' });
    expect(await core.call('cases.delete', { id })).toEqual({ deleted: true });
    expect((await failure(core.call('cases.get', { id }))).code).toBe('cases.not_found');
    expect(core.db.prepare('SELECT count(*) AS n FROM document_files').get()).toEqual({ n: 0 });
  });
});

describe('cases: storage', () => {
  it('every write goes through the Store: replaying change_log rebuilds every row of every cases table', async () => {
    const core = tempCore();
    const id = await registered(core);
    const a = await core.call('cases.attachFile', { caseId: id, kind: 'record_extract', name: 'e.pdf', mime: 'application/pdf', contentBase64: Buffer.from('e').toString('base64') });
    await core.call('cases.removeFile', { caseId: id, fileId: a.file.id });
    await core.call('cases.save', { id, notes: 'n', documents: (await core.call('cases.get', { id })).documents.slice(1).map((d) => ({ id: d.id, kind: d.kind })) });
    await core.call('cases.save', { id, ...completeDraft() });
    const dft = await core.call('cases.decide', { caseId: id, outcome: 'approved', members: MEMBERS, date: '2026-03-23' });
    await core.call('cases.deleteDecision', { decisionId: dft.decision.id });
    await issue(core, id, 'approved', '2026-03-23');
    await core.call('cases.portalStatus', { caseId: id, status: 'exported' });
    await core.call('cases.followUp', { caseId: id, death: false });
    await core.call('cases.patientInformed', { caseId: id, channel: 'voice', date: '2026-03-25' });
    const other = (await core.call('cases.save', { patient: { lastName: 'x' } })).id;
    await core.call('cases.delete', { id: other });

    const log = core.db.prepare('SELECT table_name, record_id, op, fields FROM change_log ORDER BY seq').all() as { table_name: string; record_id: string; op: string; fields: string }[];
    for (const t of casesTables) {
      const replay = new Map<string, Record<string, unknown>>();
      for (const e of log.filter((x) => x.table_name === t.name)) {
        if (e.op === 'delete') {
          replay.delete(e.record_id);
          continue;
        }
        const row = replay.get(e.record_id) ?? { id: e.record_id };
        for (const [k, v] of Object.entries(JSON.parse(e.fields) as Record<string, [unknown, unknown]>)) row[k] = v[1];
        replay.set(e.record_id, row);
      }
      // As the readers see them (stored-form.ts: a few columns are kept shorter, read back as the text).
      const rows = decodeRows(t.name, core.db.prepare(`SELECT * FROM ${t.name}`).all() as Record<string, unknown>[]);
      expect(rows.length, t.name).toBe(replay.size);
      for (const r of rows) {
        const rebuilt = replay.get(String(r.id));
        // updated_at is not a logged field (the Store logs the values that changed, with `at`).
        for (const [k, v] of Object.entries(r)) if (k !== 'updated_at') expect(rebuilt?.[k] ?? null, `${t.name}.${k}`).toEqual(v);
      }
      // The declared columns are exactly the table's columns.
      const cols = (core.db.prepare(`PRAGMA table_info(${t.name})`).all() as { name: string }[]).map((c) => c.name);
      expect(cols.filter((c) => !['id', 'created_at', 'updated_at'].includes(c)).sort(), t.name).toEqual([...t.columns].sort());
    }
    expect(log.some((e) => e.table_name === 'protocol_counters')).toBe(true);
  });

  it('tables are STRICT with a UUID text id, created_at and updated_at (ANY where stored shorter)', () => {
    const core = tempCore();
    for (const t of casesTables) {
      const sql = (core.db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").get(t.name) as { sql: string }).sql;
      // STRICT; WITHOUT ROWID where the table is its id's index (case_documents: 0021-size).
      expect(sql, t.name).toMatch(/\)\s*STRICT(, WITHOUT ROWID)?$/);
      // stored-form.ts (0023-size): these columns hold 16 bytes / milliseconds, declared ANY.
      const type = (c: string): string => (STORED_FORMS[t.name]?.[c] ? 'ANY' : 'TEXT');
      expect(sql, t.name).toMatch(new RegExp(`\\bid ${type('id')} PRIMARY KEY`));
      expect(sql, t.name).toMatch(new RegExp(`created_at ${type('created_at')} NOT NULL`));
      expect(sql, t.name).toMatch(new RegExp(`updated_at ${type('updated_at')} NOT NULL`));
    }
  });

  it('migrates a version-2 database to the latest, keeping its data', () => {
    const file = path.join(tempDir(), 'old.sqlite');
    const db = new Database(file);
    migrate(db, migrations.slice(0, 2));
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.prepare("INSERT INTO meta (key, value) VALUES ('installation_id', 'x')").run();
    const r = migrate(db);
    expect(r).toEqual({ from: 2, to: migrations.length });
    const names = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((x) => x.name);
    for (const t of casesTables) expect(names).toContain(t.name);
    const idx = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'cases'").all() as { name: string }[]).map((x) => x.name);
    expect(idx).toEqual(expect.arrayContaining(['cases_key', 'cases_status_key', 'cases_open_key', 'cases_code_key', 'cases_received_key']));
    expect(db.prepare("SELECT value FROM meta WHERE key = 'installation_id'").get()).toEqual({ value: 'x' });
    db.close();
  });
});
