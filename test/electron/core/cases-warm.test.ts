import { describe, expect, it } from 'vitest';
import { HOST_CACHE_KIB, warmAtSignIn, warmInBackground } from '../../../electron/core/cases/warm';
import { signedInCore, tempCore } from '../../support/temp';
import { makeIin } from './cases-fixtures';
import type { CaseFile } from '../../../shared/contract/cases';

/** The register warms itself after sign-in (issue 17: fast from the first query after start). */

function caseFile(i: number): CaseFile {
  return {
    receivedAt: `2026-03-${String(10 + (i % 15)).padStart(2, '0')}T09:${String(i % 60).padStart(2, '0')}`,
    patient: { iin: makeIin('1970-01-01', i % 2 ? 'male' : 'female', 1 + i), lastName: i % 3 ? 'Ержанова' : 'Ким', firstName: 'Дина' },
    htmpCode: i % 2 ? '00.50' : '92.321',
    urgency: 'planned',
    inpatient: false,
    diagnosis: { icd10: 'I25.1', text: 'ИБС' },
    documents: [{ kind: 'identity', paper: true, files: [], signatures: [], seal: false, items: [] }],
  };
}

describe('cases register: warming after sign-in', () => {
  it('reads every source of the background warm-up to its end, one slice per turn, and stops when asked or when the database closes', async () => {
    const core = tempCore();
    try {
      // More than one slice of 500 in each source.
      for (const from of [0, 550]) await core.call('cases.importBatch', { cases: Array.from({ length: 550 }, (_, k) => ({ case: caseFile(from + k), files: [] })) });
      const queue: (() => void)[] = [];
      let outcome: { slices: number; error: unknown } | null = null;
      warmInBackground(core.db, (fn) => queue.push(fn), (o) => (outcome = o));
      let turns = 0;
      while (queue.length > 0) {
        // One slice per turn: never more than one step waiting.
        expect(queue.length).toBe(1);
        queue.shift()!();
        turns++;
      }
      expect(outcome).toEqual({ slices: turns, error: null });
      // Five sources over 1,000 entries (three slices each at least), and the trigram index.
      expect(turns).toBeGreaterThanOrEqual(16);
      // A long-lived host's page cache holds what was read.
      expect(core.db.pragma('cache_size', { simple: true })).toBe(-HOST_CACHE_KIB);

      // Stopped: no further slice runs.
      const stop = warmInBackground(core.db, (fn) => queue.push(fn), (o) => (outcome = o));
      queue.shift()!();
      stop();
      queue.shift()!();
      expect(queue).toEqual([]);
      expect(outcome).toMatchObject({ slices: 1, error: null });
    } finally {
      core.close();
    }
  });

  it('ends quietly on a closed database, and the sign-in warm-up never fails a sign-in', async () => {
    const core = tempCore();
    await core.call('cases.importBatch', { cases: [{ case: caseFile(1), files: [] }] });
    const dir = core.dataDir;
    const db = core.db;
    const queue: (() => void)[] = [];
    let outcome: { slices: number; error: unknown } | null = null;
    warmInBackground(db, (fn) => queue.push(fn), (o) => (outcome = o));
    core.close();
    queue.shift()!();
    expect(queue).toEqual([]);
    expect((outcome as { error: unknown } | null)?.error).toBeInstanceOf(Error);
    // A context whose database is gone: nothing thrown.
    expect(() => warmAtSignIn({ get db(): never { throw new Error('closed'); } } as never)).not.toThrow();
    // Signing in again (the warm-up runs inside it) opens the register as before.
    const again = await signedInCore(dir);
    try {
      expect((await again.call('cases.list', { limit: 5 })).total).toBe(1);
    } finally {
      again.close();
    }
  });

  it('walks the undecided cases, the register by code and the refusal journal by their indexes, each slice a seek (no scan from the start)', () => {
    const core = tempCore();
    try {
      const plan = (sql: string, n: number): string =>
        (core.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array.from({ length: n }, () => 'x'), 500) as { detail: string }[]).map((r) => r.detail).join(' | ');
      const code = plan("SELECT coalesce(due_date, '~') AS d FROM cases INDEXED BY cases_code_key WHERE htmp_code = ? AND coalesce(due_date, '~') > ? ORDER BY htmp_code, coalesce(due_date, '~'), received_at, id LIMIT ?", 2);
      expect(code).toMatch(/SEARCH cases USING (COVERING )?INDEX cases_code_key \(htmp_code=\? AND <expr>>\?\)/);
      expect(code).not.toMatch(/TEMP B-TREE/);
      // The undecided cases' indexes: a seek from the last key read, never an offset (0024-register
      // made them covering).
      const open = plan("SELECT coalesce(due_date, '~') AS k FROM cases INDEXED BY cases_open_key WHERE status IN ('draft', 'registered') AND coalesce(due_date, '~') > ? ORDER BY 1 LIMIT ?", 1);
      expect(open).toMatch(/SEARCH cases USING COVERING INDEX cases_open_key \(<expr>>\?\)/);
      const openCode = plan("SELECT coalesce(due_date, '~') AS d FROM cases INDEXED BY cases_open_code_key WHERE status IN ('draft', 'registered') AND htmp_code = ? AND coalesce(due_date, '~') > ? ORDER BY htmp_code, coalesce(due_date, '~'), received_at, id LIMIT ?", 2);
      expect(openCode).toMatch(/SEARCH cases USING COVERING INDEX cases_open_code_key \(htmp_code=\? AND <expr>>\?\)/);
      const openNew = plan("SELECT received_at AS k FROM cases INDEXED BY cases_open_received WHERE status IN ('draft', 'registered') AND received_at > ? ORDER BY 1 LIMIT ?", 1);
      expect(openNew).toMatch(/SEARCH cases USING COVERING INDEX cases_open_received \(received_at>\?\)/);
      for (const p of [open, openCode, openNew]) expect(p).not.toMatch(/TEMP B-TREE/);
      const journal = plan("SELECT decided_on AS c0, protocol_year AS c1, protocol_number AS c2, id AS c3 FROM decisions INDEXED BY decisions_refusal_pages WHERE outcome = 'refused' AND state = 'issued' AND (decided_on, protocol_year, protocol_number, id) > (?, ?, ?, ?) ORDER BY 1, 2, 3, 4 LIMIT ?", 4);
      expect(journal).toMatch(/SEARCH decisions USING (COVERING )?INDEX decisions_refusal_pages \(\(decided_on,protocol_year,protocol_number,id\)>\(\?,\?,\?,\?\)\)/);
      expect(journal).not.toMatch(/TEMP B-TREE/);
    } finally {
      core.close();
    }
  });
});
