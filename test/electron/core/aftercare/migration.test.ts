import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../../electron/core/core';
import { migrate, openDatabase } from '../../../../electron/core/db';
import { migrations } from '../../../../electron/core/migrations';
import { m0007Aftercare } from '../../../../electron/core/migrations/0007-aftercare';
import { m0008Reports } from '../../../../electron/core/migrations/0008-reports';
import { tempDir } from '../../../support/temp';

describe('the aftercare and reports migrations', () => {
  it('keep the cases of an older database; its facts are built by the first reader', async () => {
    const dir = tempDir();
    const db = openDatabase(path.join(dir, 'htmp.sqlite'));
    // The schema just before the aftercare migration, whatever number it gets at merge.
    const before = migrations.filter((m) => m.version < m0007Aftercare.version);
    migrate(db, before);
    const now = new Date().toISOString();
    db.prepare("INSERT INTO patients (id, created_at, updated_at, iin, last_name, first_name) VALUES ('p1', ?, ?, '800512300010', 'Абаев', 'Ерлан')").run(now, now);
    const id = '11111111-2222-4333-8444-555555555555';
    db.prepare(
      `INSERT INTO cases (id, created_at, updated_at, patient_id, status, received_at, received_date, htmp_code, urgency, outcome, decided_on, portal_status, hospitalization_date, informed_channel, informed_date)
       VALUES (?, ?, ?, 'p1', 'approved', '2026-03-02T10:00', '2026-03-02', '54.970.059', 'planned', 'approved', '2026-03-03', 'uploaded', '2026-03-20', 'sms', '2026-03-12')`,
    ).run(id, now, now);
    db.prepare("INSERT INTO portal_events (id, created_at, updated_at, case_id, status, at) VALUES ('e1', ?, ?, ?, 'uploaded', '2026-03-05T10:00')").run(now, now, id);
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(m0008Reports.version);
    expect(db.prepare('SELECT hospitalization_set_on AS s, hospitalization_date AS d FROM cases').get()).toEqual({ s: null, d: '2026-03-20' });
    for (const t of ['discharge_summaries', 'aftercare_files', 'inpatient_refusal_entries', 'case_deadlines', 'report_facts', 'report_submissions']) {
      expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name = ?").get(t), t).toEqual({ n: 1 });
    }
    expect(db.prepare('SELECT count(*) AS n FROM report_facts').get()).toEqual({ n: 0 });
    db.close();

    const core = createCore({ dataDir: dir, host: 'cli' });
    try {
      const d = await core.call('reports.dashboard', { from: '2026-01-01', to: '2026-12-31', today: '2026-04-01' });
      expect(d.totals).toEqual({ received: 1, approved: 1, refused: 0, undecided: 0 });
      // A date recorded before the migration, without the day it was set: point 38 done (the day
      // unknown), point 39 cannot be timed but is done; nothing is overdue.
      const tl = await core.call('aftercare.timeline', { caseId: id, today: '2026-04-01' });
      expect(tl.steps.map((s) => [s.id, s.state, s.due])).toEqual([
        ['portal', 'done', null],
        ['hospitalization_date', 'done', '2026-03-10'],
        ['inform', 'done', null],
        ['discharge', 'open', null],
        ['follow_up', 'waiting', null],
      ]);
      expect(core.db.prepare('SELECT step, done FROM case_deadlines WHERE case_id = ?').all(id)).toEqual([{ step: 'hospitalization_date', done: 1 }]);
      expect((await core.call('aftercare.overdue', { today: '2026-04-01' })).total).toBe(0);
    } finally {
      core.close();
    }
  });
});
