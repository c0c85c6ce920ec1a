import { describe, expect, it } from 'vitest';
import type { Core } from '../../../../electron/core/core';
import { rebuildFacts } from '../../../../electron/core/aftercare/facts';
import { tempCore } from '../../../support/temp';
import { completeDraft, makeIin, MEMBERS } from '../cases-fixtures';
import { failure } from '../../../support/failures';

let serial = 1;
/** A registered case, decided and issued when asked. */
async function makeCase(
  core: Core,
  o: { receivedAt: string; outcome?: 'approved' | 'refused'; reason?: 'no_indications' | 'incomplete_packet' | 'not_authentic'; date?: string; inpatient?: boolean; provider?: string; primaryCare?: string },
): Promise<string> {
  const draft = completeDraft({ receivedAt: o.receivedAt, iin: makeIin('1975-04-03', 'female', serial++) });
  const { id } = await core.call('cases.save', {
    ...draft,
    patient: { ...draft.patient, sex: 'female', birthDate: '1975-04-03', primaryCareOrg: o.primaryCare ?? '№5 емхана' },
    inpatient: o.inpatient ?? false,
    channel: o.inpatient ? 'email' : 'paper',
    providerOrg: o.provider ?? 'ҰҒКО',
  });
  await core.call('cases.register', { id });
  if (o.outcome) await core.call('cases.decide', { caseId: id, outcome: o.outcome, reason: o.reason ?? null, members: MEMBERS, date: o.date ?? o.receivedAt.slice(0, 10), issue: true });
  return id;
}

async function onPortal(core: Core, id: string, at: string) {
  await core.call('cases.portalStatus', { caseId: id, status: 'exported' });
  await core.call('cases.portalStatus', { caseId: id, status: 'uploaded', at });
}

const count = (core: Core, sql: string) => (core.db.prepare(sql).get() as { n: number }).n;

describe('the steps after approval', () => {
  it('the Portal receipt starts point 38, the day the date was set starts point 39; the timeline says who and when', async () => {
    const core = tempCore();
    const id = await makeCase(core, { receivedAt: '2026-03-17T10:00', outcome: 'approved', date: '2026-03-18' });
    let tl = await core.call('aftercare.timeline', { caseId: id, today: '2026-03-19' });
    expect(tl.steps.map((s) => [s.id, s.state])).toEqual([
      ['portal', 'open'],
      ['hospitalization_date', 'waiting'],
      ['inform', 'waiting'],
      ['discharge', 'waiting'],
      ['follow_up', 'waiting'],
    ]);
    // Uploaded on Friday 20 March, 16:30 Kazakhstan time (stored in UTC): due after Nauryz.
    await onPortal(core, id, '2026-03-20T11:30:00.000Z');
    tl = await core.call('aftercare.timeline', { caseId: id, today: '2026-03-28' });
    expect(tl.steps[1]).toMatchObject({ id: 'hospitalization_date', start: '2026-03-20T16:30:00', due: '2026-03-27', state: 'overdue' });

    await core.call('cases.hospitalization', { caseId: id, date: '2026-04-06', setOn: '2026-03-27' });
    await core.call('cases.patientInformed', { caseId: id, channel: 'sms', date: '2026-03-30' });
    tl = await core.call('aftercare.timeline', { caseId: id, today: '2026-04-01' });
    expect(tl.steps[1]).toMatchObject({ state: 'done', doneOn: '2026-03-27' });
    expect(tl.steps[2]).toMatchObject({ id: 'inform', start: '2026-03-27', due: '2026-03-30', state: 'done', doneOn: '2026-03-30' });

    await core.call('cases.followUp', { caseId: id, operationDate: '2026-04-07', dischargeDate: '2026-04-15', complications: false });
    await core.call('aftercare.dischargeSummary', { caseId: id, receivedOn: '2026-04-16', followUpPlan: 'ЭхоКГ 1, 3, 12 ай', recommendations: 'Аспирин' });
    tl = await core.call('aftercare.timeline', { caseId: id, today: '2026-04-20' });
    expect(tl.steps[3]).toMatchObject({ id: 'discharge', state: 'done', doneOn: '2026-04-16' });
    expect(tl.steps[4]).toMatchObject({ id: 'follow_up', start: '2026-04-07', due: '2027-04-07', state: 'open' });
    expect(tl.discharge).toMatchObject({ receivedOn: '2026-04-16', followUpPlan: 'ЭхоКГ 1, 3, 12 ай', recommendations: 'Аспирин', files: [] });

    // Every step, oldest first (this fixture registers and issues today, so those come last).
    expect(tl.events.map((e) => e.kind).sort()).toEqual(
      ['received', 'registered', 'decision', 'portal', 'portal', 'portal', 'hospitalization_set', 'informed', 'operation', 'discharge', 'discharge_summary', 'complications'].sort(),
    );
    const days = tl.events.map((e) => (e.at.length === 10 ? e.at : e.at.slice(0, 10)));
    expect(days).toEqual([...days].sort());
    expect(tl.events.slice(0, 3).map((e) => e.kind)).toEqual(['received', 'decision', 'portal']);
    const hosp = tl.events.find((e) => e.kind === 'hospitalization_set')!;
    expect(hosp).toMatchObject({ at: '2026-03-27', actor: { role: 'provider', name: 'ҰҒКО' }, detail: { date: '2026-04-06', setOn: '2026-03-27' } });
    expect(hosp.recorded).toMatchObject({ installationId: core.installationId, thisInstallation: true, peerName: null, user: null });
    expect(tl.events.find((e) => e.kind === 'informed')).toMatchObject({ actor: { role: 'primary_care', name: '№5 емхана' }, detail: { channel: 'sms' } });
    // The decision stands on its own date, with the protocol number.
    expect(tl.events.find((e) => e.kind === 'decision')).toMatchObject({ at: '2026-03-18', detail: { outcome: 'approved', protocol: '1/2026' } });
  });

  it('refuses dates that cannot be true, and then nothing is written', async () => {
    const core = tempCore();
    const id = await makeCase(core, { receivedAt: '2026-03-02T10:00', outcome: 'approved', date: '2026-03-03' });
    await core.call('cases.hospitalization', { caseId: id, date: '2026-03-20', setOn: '2026-03-10' });
    const before = count(core, 'SELECT count(*) AS n FROM change_log');
    const row = () => core.db.prepare('SELECT hospitalization_date, hospitalization_set_on, informed_date FROM cases WHERE id = ?').get(id);
    const stored = row();

    expect(await failure(core.call('cases.hospitalization', { caseId: id, date: '2026-03-20', setOn: '2026-03-01' }))).toMatchObject({ code: 'aftercare.date_before_decision', params: { field: 'hospitalizationSetOn', date: '01.03.2026', decision: '03.03.2026' } });
    expect(await failure(core.call('cases.hospitalization', { caseId: id, date: '2026-03-20', setOn: '2099-01-01' }))).toMatchObject({ code: 'aftercare.date_in_future' });
    expect(await failure(core.call('cases.patientInformed', { caseId: id, channel: 'voice', date: '2026-03-09' }))).toMatchObject({
      code: 'aftercare.date_order',
      params: { field: 'informedOn', context: 'informedOn', date: '09.03.2026', before: '10.03.2026' },
    });
    expect(await failure(core.call('cases.followUp', { caseId: id, operationDate: '2026-03-25', dischargeDate: '2026-03-24' }))).toMatchObject({ code: 'aftercare.date_order', params: { field: 'dischargeDate' } });
    expect(await failure(core.call('aftercare.dischargeSummary', { caseId: id, receivedOn: '2099-05-01' }))).toMatchObject({ code: 'aftercare.date_in_future' });
    expect(count(core, 'SELECT count(*) AS n FROM change_log')).toBe(before);
    expect(row()).toEqual(stored);
    expect(count(core, 'SELECT count(*) AS n FROM follow_ups')).toBe(0);
    expect(count(core, 'SELECT count(*) AS n FROM discharge_summaries')).toBe(0);
    // Only for approved cases.
    const refused = await makeCase(core, { receivedAt: '2026-03-02T10:00', outcome: 'refused', reason: 'no_indications', date: '2026-03-03' });
    expect((await failure(core.call('aftercare.dischargeSummary', { caseId: refused, receivedOn: '2026-04-01' }))).code).toBe('cases.not_approved');
    // Clearing the date clears the day it was set.
    await core.call('cases.hospitalization', { caseId: id, date: null });
    expect(core.db.prepare('SELECT hospitalization_set_on AS s FROM cases WHERE id = ?').get(id)).toEqual({ s: null });
  });

  it('the discharge summary keeps its scans in the file store (and they travel with sync: a sha256 column)', async () => {
    const core = tempCore();
    const id = await makeCase(core, { receivedAt: '2026-03-02T10:00', outcome: 'approved', date: '2026-03-03' });
    const content = Buffer.from('%PDF-1.4 epicrisis').toString('base64');
    const r = await core.call('aftercare.attachFile', { caseId: id, name: 'epikriz.pdf', mime: 'application/pdf', contentBase64: content });
    expect(r.timeline.discharge?.files.map((f) => f.name)).toEqual(['epikriz.pdf']);
    // The same content again is the same file.
    const again = await core.call('aftercare.attachFile', { caseId: id, name: 'copy.pdf', mime: 'application/pdf', contentBase64: content });
    expect(again.file.id).toBe(r.file.id);
    expect((await core.call('aftercare.fileContent', { fileId: r.file.id })).contentBase64).toBe(content);
    expect((await failure(core.call('aftercare.attachFile', { caseId: id, name: 'x', mime: 'x/y', contentBase64: '###' }))).code).toBe('aftercare.file_content_invalid');
    const removed = await core.call('aftercare.removeFile', { caseId: id, fileId: r.file.id });
    expect(removed.discharge?.files).toEqual([]);
    expect((await failure(core.call('aftercare.removeFile', { caseId: id, fileId: r.file.id }))).code).toBe('aftercare.file_not_found');
  });
});

describe('inpatients (point 40)', () => {
  it('a refusal of an inpatient is marked for the journal until its entry is recorded; other cases cannot be', async () => {
    const core = tempCore();
    const inpatient = await makeCase(core, { receivedAt: '2026-03-02T10:00', outcome: 'refused', reason: 'no_indications', date: '2026-03-03', inpatient: true });
    const outpatient = await makeCase(core, { receivedAt: '2026-03-02T10:00', outcome: 'refused', reason: 'no_indications', date: '2026-03-03' });
    const approvedInpatient = await makeCase(core, { receivedAt: '2026-03-02T10:00', outcome: 'approved', date: '2026-03-03', inpatient: true });
    expect((await core.call('aftercare.timeline', { caseId: inpatient })).journalRequired).toBe(true);
    expect((await core.call('aftercare.timeline', { caseId: outpatient })).journalRequired).toBe(false);
    expect((await core.call('aftercare.today', { today: '2026-03-04' })).journalPending.map((x) => x.caseId)).toEqual([inpatient]);
    expect((await failure(core.call('aftercare.journalEntry', { caseId: outpatient, enteredOn: '2026-03-04' }))).code).toBe('aftercare.not_inpatient_refusal');
    expect((await failure(core.call('aftercare.journalEntry', { caseId: approvedInpatient, enteredOn: '2026-03-04' }))).code).toBe('aftercare.not_inpatient_refusal');
    expect((await failure(core.call('aftercare.journalEntry', { caseId: inpatient, enteredOn: '2026-03-02' }))).code).toBe('aftercare.date_before_decision');

    const tl = await core.call('aftercare.journalEntry', { caseId: inpatient, enteredOn: '2026-03-04', entryNumber: ' 117 ' });
    expect(tl.journal).toMatchObject({ enteredOn: '2026-03-04', entryNumber: '117' });
    expect(tl.events.find((e) => e.kind === 'journal_entry')).toMatchObject({ at: '2026-03-04', actor: { role: 'commission' }, detail: { entryNumber: '117' } });
    expect((await core.call('aftercare.today', { today: '2026-03-05' })).journalPending).toEqual([]);
    const list = await core.call('aftercare.inpatientRefusals', { from: '2026-01-01', to: '2026-12-31' });
    expect(list.items.map((x) => [x.caseId, x.protocol, x.entry?.entryNumber])).toEqual([[inpatient, '1/2026', '117']]);
    expect((await core.call('aftercare.inpatientRefusals', { pending: true })).items).toEqual([]);
    expect((await failure(core.call('aftercare.inpatientRefusals', { from: '2026-05-01', to: '2026-01-01' }))).code).toBe('aftercare.bad_period');
  });
});

describe('overdue steps: every step of every case past its due date', () => {
  it('from two indexed queries, oldest due first, by step, paged', async () => {
    const core = tempCore();
    const p = await makeCase(core, { receivedAt: '2026-03-05T10:00', outcome: 'approved', date: '2026-03-06' });
    await onPortal(core, p, '2026-03-20T16:30'); // point 38 due 27 March
    const q = await makeCase(core, { receivedAt: '2026-03-02T10:00', outcome: 'approved', date: '2026-03-03' });
    await onPortal(core, q, '2026-03-06T10:00');
    await core.call('cases.hospitalization', { caseId: q, date: '2026-04-20', setOn: '2026-03-10' }); // point 39 due 11 March
    const r = await makeCase(core, { receivedAt: '2026-04-01T10:00' }); // point 35 due 3 April
    const s = await makeCase(core, { receivedAt: '2025-03-03T10:00', outcome: 'approved', date: '2025-03-04' });
    await core.call('cases.followUp', { caseId: s, operationDate: '2025-03-10' }); // point 42 due 10 March 2026
    const t = await makeCase(core, { receivedAt: '2026-04-10T10:00', outcome: 'approved', date: '2026-04-13' });
    await onPortal(core, t, '2026-04-14T10:00'); // due 16 April: not yet

    const all = await core.call('aftercare.overdue', { today: '2026-04-15' });
    expect(all.items.map((x) => [x.caseId, x.step, x.due, x.daysOverdue])).toEqual([
      [s, 'follow_up', '2026-03-10', 36],
      [q, 'inform', '2026-03-11', 35],
      [p, 'hospitalization_date', '2026-03-27', 19],
      [r, 'review', '2026-04-03', 12],
    ]);
    expect(all.byStep).toEqual({ review: 1, hospitalization_date: 1, inform: 1, follow_up: 1 });
    expect(all.total).toBe(4);
    const page2 = await core.call('aftercare.overdue', { today: '2026-04-15', offset: 1, limit: 2 });
    expect(page2.items.map((x) => x.caseId)).toEqual([q, p]);
    const informOnly = await core.call('aftercare.overdue', { today: '2026-04-15', step: 'inform' });
    expect([informOnly.total, informOnly.items.map((x) => x.caseId)]).toEqual([1, [q]]);
    expect((await core.call('aftercare.overdue', { today: '2026-03-01' })).total).toBe(0);

    // Today: points 38 and 39; the follow-up as a reminder (due within 30 days or past).
    const today = await core.call('aftercare.today', { today: '2026-04-15' });
    expect(today.overdue.map((x) => x.step)).toEqual(['inform', 'hospitalization_date']);
    expect(today.followUpsDue.map((x) => [x.caseId, x.due, x.daysLeft])).toEqual([[s, '2026-03-10', -36]]);
    expect((await core.call('aftercare.today', { today: '2026-02-10' })).followUpsDue.map((x) => x.daysLeft)).toEqual([28]);
    expect((await core.call('aftercare.today', { today: '2026-02-05' })).followUpsDue).toEqual([]);

    // The after-approval query walks the partial index of open steps.
    const plan = (core.db.prepare("EXPLAIN QUERY PLAN SELECT case_id FROM case_deadlines WHERE done = 0 AND due_date < '2026-04-15'").all() as { detail: string }[]).map((x) => x.detail).join(' | ');
    expect(plan).toContain('case_deadlines_open');
  });
});

describe('overdue steps page by key (issue 17)', () => {
  const TODAY = '2026-04-15';
  const days = ['02', '03', '04', '05', '06', '09', '10', '11', '12', '13', '16', '17', '18', '19', '20', '23', '24', '25', '26', '27'];
  const receivedOn = (i: number) => `2026-03-${days[i % days.length]}T${String(9 + (i % 8)).padStart(2, '0')}:00`;

  it('loses and repeats no row across pages while overdue cases are added before, after and tied with the page read', async () => {
    const core = tempCore();
    // Undecided cases past their review deadline (point 35), some approved ones past point 38.
    for (let i = 0; i < 14; i++) await makeCase(core, { receivedAt: receivedOn(i) });
    for (let i = 0; i < 4; i++) await makeCase(core, { receivedAt: receivedOn(i * 3), outcome: 'approved', date: `2026-03-${days[i * 3 + 1]}` });
    const before = await core.call('aftercare.overdue', { today: TODAY, limit: 200 });
    expect(before.total).toBeGreaterThan(10);
    expect(before.next).toBeNull();
    const key = (x: { caseId: string; step: string }) => `${x.caseId}/${x.step}`;

    const seen: { due: string; step: string; caseId: string }[] = [];
    let page = await core.call('aftercare.overdue', { today: TODAY, limit: 3 });
    let added = 100;
    for (let turns = 0; ; turns++) {
      seen.push(...page.items);
      if (page.next === null) break;
      expect(turns).toBeLessThan(40);
      // New overdue rows: one due before the page just read, one tied with its last row's day, one later.
      const last = page.items.at(-1)!;
      for (const at of [receivedOn(0), `${last.due.slice(0, 8)}${String(Math.max(2, Number(last.due.slice(8)) - 2)).padStart(2, '0')}T10:00`, receivedOn(added)]) {
        await makeCase(core, { receivedAt: at });
        added++;
      }
      page = await core.call('aftercare.overdue', { today: TODAY, limit: 3, after: page.next });
    }
    const keys = seen.map(key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const x of before.items) expect(keys).toContain(key(x));
    // Each page continued after the previous one: the rows came in the list's order.
    const order = (a: { due: string; step: string; caseId: string }, b: typeof a) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.step < b.step ? -1 : a.step > b.step ? 1 : a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0);
    expect(seen).toEqual([...seen].sort(order));
    // Without changes, paging by key gives exactly the one long page.
    const again: string[] = [];
    let p = await core.call('aftercare.overdue', { today: TODAY, step: 'review', limit: 4 });
    again.push(...p.items.map(key));
    while (p.next !== null) {
      p = await core.call('aftercare.overdue', { today: TODAY, step: 'review', limit: 4, after: p.next });
      again.push(...p.items.map(key));
    }
    expect(again).toEqual((await core.call('aftercare.overdue', { today: TODAY, step: 'review', limit: 200 })).items.map(key));
  });

  it('refuses a cursor that is not one', async () => {
    const core = tempCore();
    for (const after of ['nonsense', Buffer.from(JSON.stringify([1, 'overdue', '2026-13-45', 'review', 'x'])).toString('base64url'), Buffer.from(JSON.stringify([1, 'overdue', '2026-03-01', 'lunch', 'x'])).toString('base64url')]) {
      expect((await failure(core.call('aftercare.overdue', { today: TODAY, after }))).code).toBe('api.invalid_argument');
    }
  });
});

describe('the derived facts follow the data', () => {
  const snapshot = (core: Core) => ({
    facts: core.db.prepare('SELECT * FROM report_facts ORDER BY case_id').all(),
    deadlines: core.db.prepare('SELECT * FROM case_deadlines ORDER BY case_id, step').all(),
  });

  it('local writes, a change applied by sync and a calendar change: the same rows as a rebuild from scratch', async () => {
    const core = tempCore();
    const a = await makeCase(core, { receivedAt: '2026-03-17T10:00', outcome: 'approved', date: '2026-03-18' });
    await onPortal(core, a, '2026-03-20T16:30');
    const b = await makeCase(core, { receivedAt: '2026-03-17T10:00', outcome: 'refused', reason: 'not_authentic', date: '2026-03-19' });
    await makeCase(core, { receivedAt: '2026-03-18T10:00' });
    await core.call('cases.followUp', { caseId: a, operationDate: '2026-04-01', complications: true });
    // The insurance status moves the case between GOBMP and OSMS (an issued case changes through a correction).
    const patient = (core.db.prepare('SELECT patient_id AS p FROM cases WHERE id = ?').get(b) as { p: string }).p;
    await core.call('cases.decide', { caseId: b, outcome: 'refused', reason: 'not_authentic', members: MEMBERS, date: '2026-03-19', correction: true, note: 'Сақтандыру мәртебесі нақтыланды' });
    await core.call('cases.save', { id: b, patient: { insured: false } });
    expect(core.db.prepare('SELECT funding, section FROM report_facts WHERE case_id = ?').get(b)).toEqual({ funding: 'gobmp', section: 2 });
    expect(patient).toBeTruthy();

    // A follow-up arriving from another laptop.
    const fu = (core.db.prepare('SELECT id FROM follow_ups WHERE case_id = ?').get(a) as { id: string }).id;
    core.store.applyRemote({ changeId: 'c1', table: 'follow_ups', recordId: fu, op: 'update', fields: { death: [null, 1], death_date: [null, '2026-05-01'] }, installationId: 'other', at: '2026-05-02T00:00:00Z', origin: 'bundle-1' });
    expect(core.db.prepare('SELECT death, death_date FROM report_facts WHERE case_id = ?').get(a)).toEqual({ death: 1, death_date: '2026-05-01' });

    const incremental = snapshot(core);
    rebuildFacts(core.context);
    expect(snapshot(core)).toEqual(incremental);

    // A day off added to the calendar moves point 38's due date (the facts rebuild on next read).
    expect(core.db.prepare("SELECT due_date FROM case_deadlines WHERE case_id = ? AND step = 'hospitalization_date'").get(a)).toEqual({ due_date: '2026-03-27' });
    const cal = await core.call('calendar.get', {});
    const y = cal.years.find((x) => x.year === 2026)!;
    await core.call('calendar.setYear', { year: 2026, confirmed: true, kurbanAit: y.kurbanAit, extraDaysOff: [...y.extraDaysOff, '2026-03-26'], workingWeekendDays: y.workingWeekendDays, sources: ['test'] });
    await core.call('aftercare.overdue', { today: '2026-04-01' });
    expect(core.db.prepare("SELECT due_date FROM case_deadlines WHERE case_id = ? AND step = 'hospitalization_date'").get(a)).toEqual({ due_date: '2026-03-30' });

    // A database migrated with cases already in it: the first reader builds the facts.
    core.db.exec("DELETE FROM report_facts; DELETE FROM case_deadlines; DELETE FROM meta WHERE key = 'report_facts_key';");
    const d = await core.call('reports.dashboard', { from: '2026-01-01', to: '2026-12-31', today: '2026-04-01' });
    expect(d.totals.received).toBe(3);
    expect(count(core, 'SELECT count(*) AS n FROM case_deadlines')).toBe(2);
  });

  it('a batch import (facts recomputed once per case, at the end of the batch) gives the rows of a rebuild; a refused batch leaves none', async () => {
    const core = tempCore();
    const caseFile = (i: number, files: string[] = []) => ({
      receivedAt: `2026-03-${String(16 + (i % 5)).padStart(2, '0')}T10:00`,
      patient: { iin: makeIin('1970-02-03', i % 2 ? 'male' : 'female', 300 + i), lastName: 'Омарова', firstName: 'Дина' },
      htmpCode: '54.970.059',
      urgency: 'planned' as const,
      inpatient: false,
      diagnosis: { icd10: 'I25.1', text: 'ИБС' },
      documents: [
        { kind: 'identity' as const, paper: true, files: [], signatures: [], seal: false, items: [] },
        { kind: 'referral' as const, paper: true, files, signatures: [], seal: false, items: [] },
      ],
    });
    await core.call('cases.importBatch', { cases: Array.from({ length: 6 }, (_, i) => ({ case: caseFile(i), files: [] })) });
    expect(count(core, 'SELECT count(*) AS n FROM report_facts')).toBe(6);
    const after = snapshot(core);
    rebuildFacts(core.context);
    expect(snapshot(core)).toEqual(after);
    // The third case names a file the batch does not carry: nothing of the batch is stored, facts included.
    await expect(core.call('cases.importBatch', { cases: [0, 1, 2].map((i) => ({ case: caseFile(10 + i, i === 2 ? ['missing.pdf'] : []), files: [] })) })).rejects.toMatchObject({ code: 'cases.batch_case_failed' });
    expect(count(core, 'SELECT count(*) AS n FROM report_facts')).toBe(6);
    expect(count(core, 'SELECT count(*) AS n FROM cases')).toBe(6);
  });

  it('a deleted draft leaves no facts; the facts never travel: they are not user tables', async () => {
    const core = tempCore();
    const { id } = await core.call('cases.save', completeDraft());
    expect(count(core, 'SELECT count(*) AS n FROM report_facts')).toBe(1);
    await core.call('cases.delete', { id });
    expect(count(core, 'SELECT count(*) AS n FROM report_facts')).toBe(0);
    const names = core.store.tables().map((t) => t.name);
    expect(names).not.toContain('report_facts');
    expect(names).not.toContain('case_deadlines');
    expect(names).toEqual(expect.arrayContaining(['discharge_summaries', 'aftercare_files', 'inpatient_refusal_entries', 'report_submissions']));
  });
});

describe('the annual report reminder (point 42: first quarter of the next year)', () => {
  it('from 1 January until submitted; after 31 March only for a year with data', async () => {
    const core = tempCore();
    expect(await core.call('reports.status', { today: '2027-01-10' })).toMatchObject({ year: 2026, dueBy: '2027-03-31', remind: true, overdue: false, submittedOn: null });
    expect(await core.call('reports.status', { today: '2027-04-02' })).toMatchObject({ remind: false, overdue: true });
    await makeCase(core, { receivedAt: '2026-03-02T10:00' });
    expect(await core.call('reports.status', { today: '2027-04-02' })).toMatchObject({ remind: true, overdue: true });
    expect((await failure(core.call('reports.markSubmitted', { year: 2026, submittedOn: '2026-11-01' }))).code).toBe('reports.submitted_too_early');
    expect((await failure(core.call('reports.markSubmitted', { year: 2025, submittedOn: '2099-01-01' }))).code).toBe('reports.date_in_future');
    const s = await core.call('reports.markSubmitted', { year: 2025, submittedOn: '2026-02-20', note: 'хат № 12' });
    expect(s).toMatchObject({ year: 2025, submittedOn: '2026-02-20', note: 'хат № 12', remind: false });
    expect(await core.call('reports.status', { year: 2025, today: '2026-03-01' })).toMatchObject({ remind: false, submittedOn: '2026-02-20' });
    await core.call('reports.markSubmitted', { year: 2025, submittedOn: null });
    expect(await core.call('reports.status', { year: 2025, today: '2026-03-01' })).toMatchObject({ remind: true, submittedOn: null });
  });
});
