/**
 * A database just before the size-layout migration (0021-size), whatever number it gets at merge,
 * with cases, their documents (one with an attached file) and report facts in the old layout:
 * for size.test.ts and its kill child.
 */
import type Database from 'better-sqlite3';
import { createHmac } from 'node:crypto';
import { canonicalJson } from '../../../shared/canonical-json';
import { migrate } from '../../../electron/core/db';
import { migrations } from '../../../electron/core/migrations';
import { m0021Size } from '../../../electron/core/migrations/0021-size';

export const LAYOUT_CASES = 300;
const KINDS = ['identity', 'referral', 'record_extract', 'test_results'] as const;

const uuid = (kind: number, i: number): string => `${String(kind).padStart(8, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** The audit key of the fixture's three audit rows, chained as the app chained them (hex hashes). */
export const AUDIT_KEY = Buffer.alloc(32, 7);

function oldAudit(db: Database.Database): void {
  let prev = '0'.repeat(64);
  for (let seq = 1; seq <= 3; seq++) {
    const r = [seq, `2026-03-0${seq}T10:00:00.000Z`, 'u1', 'Админ', 'case.open', 'cases.get', 'ok', null, '800512300001', 'cli', '{}'];
    const hash = createHmac('sha256', AUDIT_KEY).update(`${prev}\n${canonicalJson(r)}`).digest('hex');
    db.prepare('INSERT INTO audit_log (seq, at, user_id, user_name, action, method, outcome, case_id, patient_iin, host, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(...r, prev, hash);
    db.prepare("INSERT INTO meta (key, value) VALUES ('audit_head', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(`${seq}:${hash}`);
    prev = hash;
  }
}

export function oldLayoutDatabase(db: Database.Database): void {
  migrate(db, migrations.filter((m) => m.version < m0021Size.version));
  const at = '2026-03-02T10:00:00.000Z';
  const patient = db.prepare("INSERT INTO patients (id, created_at, updated_at, iin, last_name, first_name) VALUES (?, ?, ?, ?, 'Абаев', 'Ерлан')");
  const kase = db.prepare(
    `INSERT INTO cases (id, created_at, updated_at, patient_id, status, received_at, received_date, htmp_code, urgency)
     VALUES (?, ?, ?, ?, 'registered', '2026-03-02T10:00', '2026-03-02', '54.970.059', 'planned')`,
  );
  const doc = db.prepare(
    `INSERT INTO case_documents (id, created_at, updated_at, case_id, position, kind, paper, signatures, seal, clinical_diagnosis, items)
     VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
  );
  const fact = db.prepare(
    `INSERT INTO report_facts (case_id, status, received_date, htmp_code, section, funding, provider, inpatient, outcome, decided_on, review_wd, operation_date, death_date, follow_up_due)
     VALUES (?, ?, ?, '54.970.059', 2, 'osms', ?, 0, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < LAYOUT_CASES; i++) {
      patient.run(uuid(1, i), at, at, String(800512300000 + i));
      kase.run(uuid(2, i), at, at, uuid(1, i));
      KINDS.forEach((k, p) => doc.run(uuid(3, i * 4 + p), at, at, uuid(2, i), p, k, k === 'record_extract' ? '["attending"]' : '[]', k === 'record_extract' ? 1 : 0, k === 'record_extract' ? 'ИБС' : null, k === 'test_results' ? '[{"name":"ЭКГ","date":"2026-03-01"}]' : '[]'));
      const decided = i % 3 === 0;
      // One case without a received date (a draft): the new key stores it as ''.
      fact.run(uuid(2, i), decided ? 'approved' : i === 7 ? 'draft' : 'registered', i === 7 ? null : `2026-03-${String(1 + (i % 28)).padStart(2, '0')}`, `Провайдер ${i % 5}`, decided ? 'approved' : null, decided ? '2026-03-30' : null, decided ? 2 : null, i % 9 === 0 ? '2026-04-10' : null, i === 9 ? '2026-05-01' : null, i % 9 === 0 ? '2027-04-10' : null);
    }
    db.prepare("INSERT INTO stored_files (id, created_at, updated_at, sha256, size) VALUES ('f1', ?, ?, ?, 3)").run(at, at, 'a'.repeat(64));
    db.prepare("INSERT INTO document_files (id, created_at, updated_at, document_id, case_id, sha256, name, mime, size) VALUES ('df1', ?, ?, ?, ?, ?, 'scan.pdf', 'application/pdf', 3)").run(at, at, uuid(3, 5), uuid(2, 1), 'a'.repeat(64));
    db.prepare("INSERT INTO meta (key, value) VALUES ('report_facts_key', 'kept')").run();
    oldAudit(db);
  })();
}
