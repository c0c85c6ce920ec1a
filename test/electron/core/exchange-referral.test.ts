import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBundle } from '../../../electron/core/exchange/archive';
import { tempCore, tempDir } from '../../support/temp';
import { decidedCase } from './protocols.fixture';

describe('referral bundles and the portal answer (real cases and protocols)', () => {
  it('exports approved, issued cases with protocol PDFs, records and an index; the answer marks them', async () => {
    const core = tempCore();
    const id1 = await decidedCase(core);
    await core.call('protocols.issue', { caseId: id1 });
    const id2 = await decidedCase(core, { draft: { patient: { iin: '900215450120', lastName: 'Ким', firstName: 'Анна', birthDate: '1990-02-15', sex: 'female' } } }).catch(() => null);
    if (id2) await core.call('protocols.issue', { caseId: id2 }).catch(() => null);

    const out = path.join(tempDir(), 'referral.htmp');
    const r = await core.call('exchange.export', { kind: 'referral', out });
    expect(r.records).toBeGreaterThanOrEqual(1);
    expect(r.index).toBe('pdf');
    const reader = await openBundle(out, { isTrusted: () => true });
    try {
      const paths = reader.entries.map((e) => e.path);
      expect(paths).toEqual(expect.arrayContaining(['index.csv', 'index.html', 'index.pdf', 'records/cases.jsonl']));
      const index = await reader.readEntry('index.pdf');
      expect(index.subarray(0, 4).toString()).toBe('%PDF');
      const indexFile = path.join(tempDir(), 'index.pdf');
      fs.writeFileSync(indexFile, index);
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', indexFile, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      const first = core.db.prepare("SELECT protocol_number || '/' || protocol_year FROM cases WHERE id = ?").pluck().get(id1) as string;
      expect(text).toContain(first);
      // The index names the technology as its section (1, emergency) words it, not section 3's wording.
      expect(text).toContain('Бивентрикулярлық');
      expect(text).not.toContain('ескертусіз');
      const record = JSON.parse((await reader.readEntry(paths.find((p) => p.endsWith('case.json'))!)).toString('utf8')) as { htmpSection: number; htmpName: { kk: string; ru: string } };
      expect(record.htmpSection).toBe(1);
      expect(record.htmpName.kk).toMatch(/^Бивентрикулярлық электрокардиостимуляторды жалпы/);
      expect(record.htmpName.ru).toMatch(/бивентрикулярного/);
      const html = (await reader.readEntry('index.html')).toString('utf8');
      expect(html).not.toMatch(/Referrals/);
      expect(html).toContain(record.htmpName.kk);
      expect(paths.some((p) => /^cases\/[^/]+\/protocol_kk\.pdf$/.test(p))).toBe(true);
      expect(paths.some((p) => /^cases\/[^/]+\/protocol_ru\.pdf$/.test(p))).toBe(true);
      expect(paths.some((p) => /^cases\/[^/]+\/case\.json$/.test(p))).toBe(true);
      const csv = (await reader.readEntry('index.csv')).toString('utf8');
      expect(csv.startsWith('\ufeffprotocol;date;')).toBe(true);
      expect(csv.split('\r\n')[0]).toMatch(/;htmp_name_kk;htmp_name_ru$/);
      expect((await reader.readEntry(paths.find((p) => p.endsWith('protocol_ru.pdf'))!)).subarray(0, 4).toString()).toBe('%PDF');
    } finally {
      await reader.close();
    }
    expect((await core.call('cases.get', { id: id1 })).portal?.status ?? (core.db.prepare('SELECT portal_status FROM cases WHERE id = ?').pluck().get(id1) as string)).toBe('exported');

    // Nothing left to export now.
    await expect(core.call('exchange.export', { kind: 'referral', out: path.join(tempDir(), 'again.htmp') })).rejects.toMatchObject({ code: 'exchange.referral_none' });

    const number = core.db.prepare("SELECT protocol_number || '/' || protocol_year FROM cases WHERE id = ?").pluck().get(id1) as string;
    const answer = await core.call('exchange.referralAnswer', { text: `case;status;date\n${number};accepted;2026-03-20\nnobody;uploaded;2026-03-20\n` });
    expect(answer).toMatchObject({ updated: 1, unknown: ['nobody'] });
    expect(core.db.prepare('SELECT portal_status FROM cases WHERE id = ?').pluck().get(id1)).toBe('accepted');
    const json = await core.call('exchange.referralAnswer', { text: JSON.stringify([{ case: id1, status: 'accepted', date: '2026-03-20' }]) });
    expect(json).toMatchObject({ updated: 0, unchanged: 1 });
  });

  it('sync carries real cases and decisions to another laptop; issued protocols stay locked there', async () => {
    const a = tempCore();
    const b = tempCore();
    const ia = await a.call('exchange.identity', {});
    const id = await decidedCase(a);
    await a.call('protocols.issue', { caseId: id });
    const out = path.join(tempDir(), 'sync.htmp');
    const e = await a.call('exchange.export', { kind: 'sync', out });
    expect(e.records).toBeGreaterThan(3);
    const r = await b.call('exchange.import', { file: out, trustNewPeer: true });
    expect(r).toMatchObject({ conflicts: 0, refused: 0 });
    expect(r.imported).toBe(e.records);
    const tables = ['cases', 'patients', 'decisions'];
    for (const t of tables) {
      expect(b.db.prepare(`SELECT * FROM ${t} ORDER BY id`).all(), t).toEqual(a.db.prepare(`SELECT * FROM ${t} ORDER BY id`).all());
    }
    expect(ia.installationId).toBe(a.installationId);
  });

  it('two laptops that issued protocols in the same year and stored the same file still sync', async () => {
    const a = tempCore();
    const b = tempCore();
    const scan = Buffer.from('the same scanned extract, received by both laptops').toString('base64');
    for (const core of [a, b]) {
      const id = await decidedCase(core, { date: '2026-03-12' });
      // The scan is attached while the decision is a draft: an issued protocol locks the case.
      const doc = (await core.call('cases.get', { id })).documents[0]!;
      await core.call('cases.attachFile', { caseId: id, documentId: doc.id, name: 'scan.pdf', mime: 'application/pdf', contentBase64: scan });
      await core.call('protocols.issue', { caseId: id });
    }
    const out = path.join(tempDir(), 'a-to-b.htmp');
    await a.call('exchange.export', { kind: 'sync', out });
    // One counter per year and one stored-file record per hash on every laptop: no UNIQUE clash.
    const r = await b.call('exchange.import', { file: out, trustNewPeer: true });
    expect(r.imported).toBeGreaterThan(0);
    expect(b.db.prepare('SELECT count(*) AS n FROM protocol_counters').get()).toEqual({ n: 1 });
    expect(b.db.prepare('SELECT count(*) AS n FROM stored_files').get()).toEqual({ n: 1 });
    expect(b.db.prepare('SELECT count(*) AS n FROM cases').get()).toEqual({ n: 2 });
    // Both protocols are No. 1/2026: the register says so.
    const { items } = await b.call('protocols.list', { from: '2026-01-01', to: '2026-12-31' });
    expect(items.map((i) => [i.number, i.duplicateNumber])).toEqual([['1/2026', true], ['1/2026', true]]);
  });
});
