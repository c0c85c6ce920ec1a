/**
 * The audit trail: an append-only table where each row is chained to the previous one by an
 * HMAC under a random key kept in the encrypted database (`meta.audit_key`: it survives a
 * re-key and travels with backups), and the head (last seq and hash) is kept in `meta` so removing the newest rows is
 * found too. Triggers refuse UPDATE and DELETE from inside the app.
 */
import { createHmac } from 'node:crypto';
import type { AuditRow, AuditVerify } from '../../../shared/contract/auth';
import { canonicalJson } from '../../../shared/canonical-json';
import type { Db } from '../db';

export interface AuditEntry {
  at?: string;
  userId: string | null;
  userName: string | null;
  action: string;
  method: string | null;
  outcome: string;
  caseId?: string | null;
  patientIin?: string | null;
  host: string;
  detail?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);

/**
 * A stored hash as the hex the chain is computed over. The table keeps the 32 bytes (migration
 * 0021-size); a value of another type (written around the app) reads as text, so it never matches.
 */
const hex = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString('hex') : `not bytes: ${String(v)}`);
const HEAD_KEY = 'audit_head';

function rowHash(key: Buffer, prev: string, r: { seq: number; at: string; user_id: string | null; user_name: string | null; action: string; method: string | null; outcome: string; case_id: string | null; patient_iin: string | null; host: string; detail: string }): string {
  const payload = canonicalJson([r.seq, r.at, r.user_id, r.user_name, r.action, r.method, r.outcome, r.case_id, r.patient_iin, r.host, r.detail]);
  return createHmac('sha256', key).update(`${prev}\n${payload}`).digest('hex');
}

/** Appends a row (in the caller's transaction if there is one). */
export function appendAudit(db: Db, key: Buffer, e: AuditEntry): number {
  return db.transaction(() => {
    const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: Buffer } | undefined;
    const row = {
      seq: (last?.seq ?? 0) + 1,
      at: e.at ?? new Date().toISOString(),
      user_id: e.userId,
      user_name: e.userName,
      action: e.action,
      method: e.method,
      outcome: e.outcome,
      case_id: e.caseId ?? null,
      patient_iin: e.patientIin ?? null,
      host: e.host,
      detail: JSON.stringify(e.detail ?? {}),
    };
    const prev = last ? hex(last.hash) : GENESIS;
    const hash = rowHash(key, prev, row);
    db.prepare(
      'INSERT INTO audit_log (seq, at, user_id, user_name, action, method, outcome, case_id, patient_iin, host, detail, prev_hash, hash) VALUES (@seq, @at, @user_id, @user_name, @action, @method, @outcome, @case_id, @patient_iin, @host, @detail, @prev, @hash)',
    ).run({ ...row, prev: Buffer.from(prev, 'hex'), hash: Buffer.from(hash, 'hex') });
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(HEAD_KEY, `${row.seq}:${hash}`);
    return row.seq;
  })();
}

/** Walks the chain: every row's hash, every link, no gap in seq, and the head in meta. */
export function verifyAudit(db: Db, key: Buffer): AuditVerify {
  let prev = GENESIS;
  let expected = 1;
  let rows = 0;
  const it = db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<{
    seq: number;
    at: string;
    user_id: string | null;
    user_name: string | null;
    action: string;
    method: string | null;
    outcome: string;
    case_id: string | null;
    patient_iin: string | null;
    host: string;
    detail: string;
    prev_hash: Buffer;
    hash: Buffer;
  }>;
  for (const r of it) {
    rows++;
    if (r.seq !== expected) return { ok: false, rows, brokenAt: expected, reason: 'removed' };
    if (hex(r.prev_hash) !== prev) return { ok: false, rows, brokenAt: r.seq, reason: 'removed' };
    const hash = hex(r.hash);
    if (rowHash(key, prev, r) !== hash) return { ok: false, rows, brokenAt: r.seq, reason: 'altered' };
    prev = hash;
    expected++;
  }
  const head = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(HEAD_KEY) as string | undefined;
  const want = rows === 0 ? undefined : `${expected - 1}:${prev}`;
  if (head !== want) return { ok: false, rows, brokenAt: rows === 0 ? 1 : expected - 1, reason: 'head' };
  return { ok: true, rows, brokenAt: null, reason: null };
}

export interface AuditFilter {
  userId?: string | undefined;
  iin?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  action?: string | undefined;
}

/** Rows newest first, filtered; `before` pages by seq (keyset, never OFFSET). */
export function listAudit(db: Db, f: AuditFilter & { limit?: number | undefined; before?: number | undefined }): { rows: AuditRow[]; next: number | null } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.userId) (where.push('user_id = ?'), params.push(f.userId));
  // The IIN (1-12 digits, the contract checks) as a prefix range, which the index
  // audit_log_iin (patient_iin, seq) seeks; LIKE on this BINARY column scanned the whole log.
  // Every IIN starting with the digits lies in [digits, digits + ':') (':' follows '9').
  if (f.iin) (where.push('patient_iin >= ? AND patient_iin < ?'), params.push(f.iin, `${f.iin}:`));
  // Dates are Kazakhstan days; `at` is UTC: UTC+5 all year.
  if (f.from) (where.push('at >= ?'), params.push(new Date(`${f.from}T00:00:00+05:00`).toISOString()));
  if (f.to) (where.push('at < ?'), params.push(new Date(new Date(`${f.to}T00:00:00+05:00`).getTime() + 86_400_000).toISOString()));
  if (f.action) (where.push('action = ?'), params.push(f.action));
  if (f.before) (where.push('seq < ?'), params.push(f.before));
  const limit = f.limit ?? 200;
  const rows = db
    .prepare(`SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`)
    .all(...params, limit + 1) as Record<string, string | number | null>[];
  const more = rows.length > limit;
  const page = rows.slice(0, limit).map(
    (r): AuditRow => ({
      seq: r.seq as number,
      at: r.at as string,
      userId: r.user_id as string | null,
      userName: r.user_name as string | null,
      action: r.action as string,
      method: r.method as string | null,
      outcome: r.outcome as string,
      caseId: r.case_id as string | null,
      patientIin: r.patient_iin as string | null,
      host: r.host as string,
      detail: JSON.parse(r.detail as string) as Record<string, unknown>,
    }),
  );
  return { rows: page, next: more ? page[page.length - 1]!.seq : null };
}

/** The case and patient a call concerns, from its argument or result (null when none). */
export function subjectOf(db: Db, method: string, args: unknown, result: unknown): { caseId: string | null; patientIin: string | null } {
  const a = (args ?? {}) as Record<string, unknown>;
  const r = (result ?? {}) as Record<string, unknown>;
  const str = (v: unknown): string | null => (typeof v === 'string' && v.length <= 100 ? v : null);
  let caseId = str(a['caseId']) ?? (method.startsWith('cases.') ? str(a['id']) : null) ?? str(r['caseId']);
  if (!caseId && method.startsWith('cases.') && r['case'] && typeof r['case'] === 'object') caseId = str((r['case'] as Record<string, unknown>)['id']);
  if (!caseId && (method === 'cases.save' || method === 'cases.import')) caseId = str(r['id']);
  try {
    if (method.startsWith('abroad.')) {
      // A request for treatment abroad: its patient (the audit's case column is for cases only).
      let requestId = str(a['requestId']) ?? str(a['id']) ?? str(r['id']);
      if (!requestId && str(a['fileId'])) requestId = (db.prepare('SELECT request_id FROM abroad_files WHERE id = ?').pluck().get(a['fileId']) as string | undefined) ?? null;
      const iin = requestId ? ((db.prepare('SELECT iin FROM abroad_requests WHERE id = ?').pluck().get(requestId) as string | undefined) ?? null) : null;
      return { caseId: null, patientIin: iin };
    }
    if (!caseId && str(a['decisionId'])) caseId = (db.prepare('SELECT case_id FROM decisions WHERE id = ?').pluck().get(a['decisionId']) as string | undefined) ?? null;
    if (!caseId && str(a['fileId'])) caseId = (db.prepare('SELECT case_id FROM document_files WHERE id = ?').pluck().get(a['fileId']) as string | undefined) ?? null;
    const iin = caseId ? ((db.prepare('SELECT p.iin FROM cases c JOIN patients p ON p.id = c.patient_id WHERE c.id = ?').pluck().get(caseId) as string | undefined) ?? null) : null;
    return { caseId, patientIin: iin };
  } catch {
    return { caseId, patientIin: null };
  }
}
