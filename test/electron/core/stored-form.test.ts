/**
 * Shorter stored forms (stored-form.ts, 0023-size): document ids as 16 bytes, times as
 * milliseconds. Every reader, the change log and the sync wire see the same text as before.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bytesToUuid, decodeRows, decodeValue, encodeValue, STORED_FORMS } from '../../../electron/core/stored-form';
import { tempDir } from '../../support/temp';
import { completeDraft, makeIin } from './cases-fixtures';
import { closeAll, laptop, pair, sendBundle, type Laptop } from './exchange-helpers';

afterEach(closeAll);

describe('stored forms', () => {
  it('a UUID and an ISO time go to bytes and milliseconds and back unchanged; anything else is kept as it came', () => {
    const id = randomUUID();
    const b = encodeValue('case_documents', 'id', id) as Buffer;
    expect(Buffer.isBuffer(b) && b.length).toBe(16);
    expect(decodeValue('case_documents', 'id', b)).toBe(id);
    expect(bytesToUuid(b)).toBe(id);
    const at = new Date().toISOString();
    expect(typeof encodeValue('case_documents', 'created_at', at)).toBe('bigint');
    expect(decodeValue('case_documents', 'created_at', Number(encodeValue('case_documents', 'created_at', at)))).toBe(at);
    for (const odd of ['doc-1', id.toUpperCase(), `{${id}}`, '', '2026-03-02T10:00:00Z', '2026-03-02T10:00:00.000+05:00', '2026-02-30T10:00:00.000Z', '+012026-03-02T10:00:00.000Z']) {
      for (const c of ['id', 'created_at', 'updated_at']) {
        expect(encodeValue('case_documents', c, odd), `${c} ${odd}`).toBe(odd);
        expect(decodeValue('case_documents', c, odd)).toBe(odd);
      }
    }
    expect(encodeValue('case_documents', 'id', null)).toBe(null);
    // Other tables and columns are untouched.
    expect(encodeValue('cases', 'id', id)).toBe(id);
    expect(encodeValue('case_documents', 'case_id', id)).toBe(id);
    // The bytes sort as the text does (ORDER BY id, and the sync export's pages `id > ?`).
    const ids = Array.from({ length: 500 }, () => randomUUID());
    const byBytes = [...ids].sort((x, y) => Buffer.compare(encodeValue('case_documents', 'id', x) as Buffer, encodeValue('case_documents', 'id', y) as Buffer));
    expect(byBytes).toEqual([...ids].sort());
  });

  it('a time is read digit by digit exactly as Date parses and prints it: every day of four centuries\' edges, invalid days and hours refused', () => {
    const slow = (v: string): number | null => {
      if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(v)) return null;
      const ms = Date.parse(v);
      return Number.isFinite(ms) && new Date(ms).toISOString() === v ? ms : null;
    };
    const samples: string[] = [];
    for (const y of [1, 50, 99, 100, 1600, 1900, 1970, 1999, 2000, 2024, 2025, 2026, 2100, 2400, 9999]) {
      for (let m = 1; m <= 13; m++) for (const d of [0, 1, 28, 29, 30, 31, 32]) samples.push(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T12:34:56.789Z`);
    }
    for (const t of ['00:00:00.000', '23:59:59.999', '24:00:00.000', '23:60:00.000', '23:59:60.000', '99:99:99.999']) samples.push(`2026-03-02T${t}Z`);
    for (let i = 0; i < 2000; i++) samples.push(new Date(Math.floor(Math.random() * 8e12) - 1e12).toISOString());
    for (const v of samples) {
      const fast = encodeValue('case_documents', 'created_at', v);
      const want = slow(v);
      expect(fast, v).toEqual(want === null ? v : BigInt(want));
    }
  });

  const docs = (l: Laptop) => decodeRows('case_documents', l.core.db.prepare('SELECT * FROM case_documents').all() as Record<string, unknown>[]).sort((x, y) => String(x.id).localeCompare(String(y.id)));
  const files = (l: Laptop) => decodeRows('document_files', l.core.db.prepare('SELECT * FROM document_files ORDER BY id').all());
  const stored = (l: Laptop) => l.core.db.prepare("SELECT DISTINCT typeof(id) || ' ' || typeof(created_at) || ' ' || typeof(updated_at) FROM case_documents").pluck().all();

  it('documents travel as text: A to B, B acknowledges and A compacts, a new laptop C gets them as state rows; the same rows on every laptop', async () => {
    const [a, b, c] = [laptop(), laptop(), laptop()];
    await pair(a, b);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await a.core.call('cases.save', completeDraft({ iin: makeIin('1980-05-12', 'male', i + 1) }))).id);
    const att = await a.core.call('cases.attachFile', { caseId: ids[0]!, kind: 'record_extract', name: 'e.pdf', mime: 'application/pdf', contentBase64: Buffer.from('scan').toString('base64') });
    // An update and a delete of documents (the Store's update and remove paths).
    const d1 = await a.core.call('cases.get', { id: ids[1]! });
    await a.core.call('cases.save', { id: ids[1]!, documents: d1.documents.slice(1).map((d) => ({ id: d.id, kind: d.kind, paper: false })) });
    expect(docs(a)).toHaveLength(12); // 3 x 4, one more for the file, one removed
    expect(stored(a)).toEqual(['blob integer integer']);
    expect(a.core.db.prepare('SELECT typeof(document_id) FROM document_files').pluck().all()).toEqual(['blob']);
    // The change log keeps the text (it is what travels).
    const logged = a.core.db.prepare("SELECT record_id, fields FROM change_log WHERE table_name = 'case_documents' AND op = 'insert' LIMIT 1").get() as { record_id: string; fields: string };
    expect(logged.record_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(logged.fields).created_at[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const dir = tempDir();
    await sendBundle(a, b, path.join(dir, 'ab.htmp'));
    expect(docs(b)).toEqual(docs(a));
    expect(files(b)).toEqual(files(a));
    // B's bundle back acknowledges: A compacts; its documents now leave only as state rows.
    await sendBundle(b, a, path.join(dir, 'ba.htmp'));
    expect(a.core.db.prepare("SELECT count(*) FROM change_log WHERE table_name IN ('case_documents', 'document_files') AND op <> 'delete'").pluck().get()).toBe(0); // a delete keeps its row
    await pair(a, c);
    await sendBundle(a, c, path.join(dir, 'ac.htmp'));
    for (const l of [b, c]) {
      expect(docs(l)).toEqual(docs(a));
      expect(files(l)).toEqual(files(a));
      expect(stored(l)).toEqual(['blob integer integer']);
      for (const id of ids) expect((await l.core.call('cases.get', { id })).documents).toEqual((await a.core.call('cases.get', { id })).documents);
    }
    // The file still opens from C, through its document.
    const fromC = await c.core.call('cases.fileContent', { fileId: att.file.id });
    expect(Buffer.from(fromC.contentBase64, 'base64').toString()).toBe('scan');
    // A document with its file still cannot be deleted under it (the key holds across forms).
    expect(() => c.core.db.prepare('DELETE FROM case_documents WHERE id = ?').run(encodeValue('case_documents', 'id', att.documentId))).toThrow(/FOREIGN KEY/);
    // C edits a document; A takes the change back.
    const d0 = await c.core.call('cases.get', { id: ids[0]! });
    await c.core.call('cases.save', { id: ids[0]!, documents: d0.documents.map((d) => ({ id: d.id, kind: d.kind, paper: d.kind !== 'identity' })) });
    await pair(c, a);
    await sendBundle(c, a, path.join(dir, 'ca.htmp'));
    expect(docs(a)).toEqual(docs(c));
    expect(Object.keys(STORED_FORMS).sort()).toEqual(['case_documents', 'document_files']);
  }, 60_000);
});
