/**
 * Columns stored in a compact form travel plain (electron/core/exchange/wire.ts): a protocol
 * statement is stored packed (issue 17) but a sync bundle carries its JSON text, so a laptop on a
 * build that stores statements plain reads it, and what such a laptop sends is stored packed here.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportSync } from '../../../electron/core/exchange/sync';
import { changeLine, type LogRow } from '../../../electron/core/exchange/sync-records';
import { changeFieldsToWire, fieldsFromWire, valuesFromWire, valuesToWire } from '../../../electron/core/exchange/wire';
import { isPackedStatement, packStatement, unpackStatement } from '../../../electron/core/statement-codec';
import { tempDir } from '../../support/temp';
import { call, closeAll, job, laptop, pair, sha256 } from './exchange-helpers';

afterEach(closeAll);

/** A statement of the size and shape the app issues (packing pays from a few hundred bytes on). */
const statementOf = (marker: string): string =>
  JSON.stringify({
    checklist: ['identity_document', 'hospitalization_referral', 'record_extract', 'tests_and_consultations'].map((kind) => ({ kind, received: true })),
    commission: { authority: { kk: 'Абай облысының денсаулық сақтау басқармасы', ru: 'Управление здравоохранения области Абай' }, name: { kk: 'Абай облысының ЖТМК жөніндегі комиссиясы', ru: 'Комиссия по ВТМП области Абай' } },
    date: '2026-03-02', decision: { outcome: 'approved', reason: null },
    diagnosis: { icd10: 'I25.1', text: 'Атеросклеротическая болезнь сердца, стенокардия напряжения ФК III' },
    kind: 'protocol', number: '7/2026',
    members: [{ name: 'Сапаров А.', role: 'chair' }, { name: 'Ким Л.', role: 'member' }, { name: 'Омарова Д.', role: 'secretary' }],
    patient: { birthDate: '1946-08-13', firstName: 'Әйгерім', iin: '460813300024', lastName: marker },
  });

function statementRow(statement: string, i: number): Record<string, string | number> {
  return {
    case_id: `case-${i}`, decision_id: `decision-${i}`, decision_version: 1, number: `${i}/2026`, protocol_date: '2026-03-02',
    outcome: 'approved', lang: 'both', layout: 'columns', statement, sha256: '', issued_at: '2026-03-02T10:00:00Z',
  };
}

describe('sync wire form of stored columns', () => {
  it('converts only the statement column, both ways, and leaves other tables as they are', () => {
    const text = statementOf('Сейтқали');
    const packed = packStatement(text);
    expect(isPackedStatement(packed)).toBe(true);
    expect(JSON.parse(changeFieldsToWire('protocol_statements', JSON.stringify({ statement: [null, packed], number: [null, '1/2026'] })))).toEqual({ statement: [null, text], number: [null, '1/2026'] });
    expect(fieldsFromWire('protocol_statements', { statement: [null, text] })).toEqual({ statement: [null, packed] });
    // Already packed (a peer on this build that sent it so) stays as it is.
    expect(fieldsFromWire('protocol_statements', { statement: [null, packed] })).toEqual({ statement: [null, packed] });
    expect(valuesToWire('protocol_statements', { statement: packed, number: '1' })).toEqual({ statement: text, number: '1' });
    expect(valuesFromWire('protocol_statements', { statement: text })).toEqual({ statement: packed });
    const other = JSON.stringify({ statement: [null, packed] });
    expect(changeFieldsToWire('abroad_letters', other)).toBe(other);
  });

  it('a bundle carries the statement as text; the receiver stores it packed, same text and hash', async () => {
    const a = laptop();
    const b = laptop();
    await pair(a, b);
    const text = statementOf('Маркерова');
    const fromOldBuild = statementOf('Старосборкина');
    const ids = a.ctx.store.transaction(() => [
      String(a.ctx.store.insert('protocol_statements', { ...statementRow(packStatement(text), 1), sha256: sha256(text) }).id),
      // A statement stored plain, as a laptop on an older build stores it.
      String(a.ctx.store.insert('protocol_statements', { ...statementRow(fromOldBuild, 2), sha256: sha256(fromOldBuild) }).id),
    ]);

    const plain = path.join(tempDir(), 'plain.htmp');
    await job(a, (j) => exportSync(a.ctx, { file: plain, plain: true, job: j }));
    const records = execFileSync('unzip', ['-p', plain, 'records/*'], { encoding: 'utf8' });
    expect(records).toContain('Маркерова');
    expect(records).toContain('Старосборкина');
    expect(records).not.toContain('z1:');

    const file = path.join(tempDir(), 'ab.htmp');
    await job(a, (j) => exportSync(a.ctx, { file, peer: b.core.installationId, job: j }));
    expect((await call(b, 'exchange.import', { file })).imported).toBeGreaterThanOrEqual(2);
    for (const [id, want] of [[ids[0]!, text], [ids[1]!, fromOldBuild]] as const) {
      const row = b.ctx.store.get('protocol_statements', id) as { statement: string; sha256: string };
      expect(isPackedStatement(row.statement)).toBe(true);
      expect(unpackStatement(row.statement)).toBe(want);
      expect(row.sha256).toBe(sha256(want));
    }
  }, 60_000);

  it('each change line the export has SQLite build is the JSON changeLine() builds: odd ids, resolutions, statements, attachments', async () => {
    const a = laptop();
    const text = statementOf('Жолбарысова');
    a.ctx.store.transaction(() => a.ctx.store.insert('protocol_statements', { ...statementRow(packStatement(text), 1), sha256: sha256(text) }));
    const odd = 'id "quoted" \\ back\u0001slash\ttab Қазақ 😀 \u2028';
    const ins = a.ctx.db.prepare('INSERT INTO change_log (change_id, table_name, record_id, op, fields, installation_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    ins.run('c-odd-1', 'cases', odd, 'update', JSON.stringify({ outcome: ['approved', 'refused "x"'] }), a.core.installationId, '2026-03-02T10:00:00Z');
    ins.run('c-odd-2', 'case_documents', 'r2', 'delete', JSON.stringify({ sha256: ['a'.repeat(64), null] }), 'other "laptop"', '2026-03-02T10:00:01Z');
    a.ctx.db.prepare('INSERT INTO exchange_resolutions (change_id, resolves) VALUES (?, ?)').run('c-odd-1', JSON.stringify(['x-1', 'x "2"']));
    const plain = path.join(tempDir(), 'lines.htmp');
    await job(a, (j) => exportSync(a.ctx, { file: plain, plain: true, job: j }));
    const lines = execFileSync('unzip', ['-p', plain, 'records/changes-*'], { encoding: 'utf8' }).split('\n').filter((l) => l !== '');
    const rows = a.ctx.db
      .prepare('SELECT c.seq, c.change_id, c.table_name, c.record_id, c.op, c.fields, c.installation_id, c.at, r.resolves FROM change_log c LEFT JOIN exchange_resolutions r ON r.change_id = c.change_id ORDER BY c.seq')
      .all() as LogRow[];
    const tables = new Set(a.ctx.store.tables().map((t) => t.name));
    const travel = rows.filter((r) => tables.has(r.table_name));
    expect(lines.length).toBe(travel.length);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(travel.map((r) => JSON.parse(changeLine(r)) as unknown));
    const oddLine = JSON.parse(lines.find((l) => l.includes('c-odd-1'))!) as { recordId: string; resolves: string[] };
    expect(oddLine.recordId).toBe(odd);
    expect(oddLine.resolves).toEqual(['x-1', 'x "2"']);
    expect(lines.join('\n')).toContain('Жолбарысова'); // the statement travels as text
  }, 60_000);
});
