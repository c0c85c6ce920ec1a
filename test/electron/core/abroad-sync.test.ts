import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempCore, tempDir } from '../../support/temp';
import { makeIin } from './cases-fixtures';

describe('abroad requests travel in sync bundles', () => {
  it('a request with its steps, a step file and an issued letter arrives on the other laptop as it was', async () => {
    const a = tempCore();
    const b = tempCore();
    const ia = await a.call('exchange.identity', {});
    const ib = await b.call('exchange.identity', {});
    await a.call('exchange.trustPeer', { installationId: ib.installationId, publicKey: ib.publicKey, encryptionKey: ib.encryptionKey, name: 'B' });
    await b.call('exchange.trustPeer', { installationId: ia.installationId, publicKey: ia.publicKey, encryptionKey: ia.encryptionKey, name: 'A' });

    const d = await a.call('abroad.create', {
      patient: { iin: makeIin('2012-04-04', 'male'), lastName: 'Оспанов', firstName: 'Нұрсұлтан' },
      category: 'child',
      diseaseGroup: 'gamma_knife_brain',
      startedOn: '2026-03-02',
      confirmations: { indications: true },
    });
    const file = await a.call('abroad.attachFile', { requestId: d.id, step: 1, document: 'record_extract', name: 'extract.pdf', mime: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4 extract').toString('base64') });
    await a.call('abroad.advance', { id: d.id, step: 1, date: '2026-03-04' });
    const letter = await a.call('abroad.renderDocument', { id: d.id, doc: 'petition', lang: 'kk' });

    const out = path.join(tempDir(), 'a-to-b.htmp');
    await a.call('exchange.export', { kind: 'sync', peer: ib.installationId, out });
    await b.call('exchange.import', { file: out });

    const onA = await a.call('abroad.get', { id: d.id, today: '2026-03-10' });
    const onB = await b.call('abroad.get', { id: d.id, today: '2026-03-10' });
    const strip = (x: typeof onA) => ({ ...x, updatedAt: '' });
    expect(strip(onB)).toEqual(strip(onA));
    expect(onB.steps[0]!.files.map((f) => f.name)).toEqual(['extract.pdf']);
    const content = await b.call('abroad.fileContent', { fileId: file.file.id });
    expect(Buffer.from(content.contentBase64, 'base64').toString()).toBe('%PDF-1.4 extract');
    expect(await b.call('abroad.verifyDocument', { number: letter.number, sha256: letter.sha256 })).toEqual({ matches: true, known: true });
    // Numbering goes on after the synced request on the other laptop.
    const next = await b.call('abroad.create', { patient: { iin: makeIin('2013-01-01', 'female'), lastName: 'Ә', firstName: 'Б' }, category: 'child', diseaseGroup: 'keratoprosthesis', startedOn: '2026-03-05' });
    expect(next.number).toBe('2/2026');
  });
});
