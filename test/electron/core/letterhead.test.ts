import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import { TEST_COMMISSION, tempCore, tempDir } from '../../support/temp';
import { decidedCase } from './protocols.fixture';
import { SAMPLE_SHEET } from '../../support/scoring-sample';

/**
 * The letterhead is in the document's language: a Kazakh document prints the Kazakh names of the
 * commission and of the health authority only, a Russian one the Russian names only, a bilingual
 * one both. Checked on the text of the PDF (pdftotext), per document kind, through the services
 * the screens use (names from the settings).
 */
const pdfText = (base64: string): string => {
  const file = path.join(tempDir('htmp-lh-'), 'doc.pdf');
  fs.writeFileSync(file, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
};

const KK = [TEST_COMMISSION.commissionNameKk, TEST_COMMISSION.authorityNameKk.toLocaleUpperCase('kk')];
const RU = [TEST_COMMISSION.commissionNameRu, TEST_COMMISSION.authorityNameRu.toLocaleUpperCase('ru')];
// Any trace of the other language's letterhead (its words, in any case).
const KK_TRACES = ['жөніндегі комиссиясы', 'ЖӨНІНДЕГІ', 'басқармасы', 'БАСҚАРМАСЫ'];
const RU_TRACES = ['Комиссия по ВТМП', 'КОМИССИЯ ПО', 'Управление здравоохранения', 'УПРАВЛЕНИЕ ЗДРАВООХРАНЕНИЯ', 'Карагандинской', 'КАРАГАНДИНСКОЙ'];

type Kind = 'protocol' | 'register' | 'journal' | 'scoring sheet';
async function render(core: Core, kind: Kind, ids: { caseId: string; sheetId: string }, lang: 'kk' | 'ru' | 'both'): Promise<string> {
  const period = { from: '2026-01-01', to: '2026-12-31' };
  switch (kind) {
    case 'protocol':
      return (await core.call('protocols.render', { caseId: ids.caseId, lang })).pdfBase64;
    case 'register':
      return (await core.call('protocols.registerPdf', { ...period, lang })).pdfBase64;
    case 'journal':
      return (await core.call('protocols.refusalJournalPdf', { ...period, lang })).pdfBase64;
    case 'scoring sheet':
      return (await core.call('protocols.scoringSheetPdf', { sheetId: ids.sheetId, lang })).pdfBase64;
  }
}

describe('letterhead in the language of the document', () => {
  it.each<Kind>(['protocol', 'register', 'journal', 'scoring sheet'])('%s: kk has no Russian letterhead, ru no Kazakh one, both has both', async (kind) => {
    const core = tempCore();
    const caseId = await decidedCase(core, { outcome: 'refused', reason: 'no_indications' });
    await core.call('protocols.issue', { caseId });
    const sheet = await core.call('scoring.save', { ...SAMPLE_SHEET });
    const ids = { caseId, sheetId: sheet.id };

    const kk = pdfText(await render(core, kind, ids, 'kk'));
    for (const s of KK) expect(kk, `kk ${kind}: ${s}`).toContain(s);
    for (const s of RU_TRACES) expect(kk, `kk ${kind} has ${s}`).not.toContain(s);

    const ru = pdfText(await render(core, kind, ids, 'ru'));
    for (const s of RU) expect(ru, `ru ${kind}: ${s}`).toContain(s);
    for (const s of KK_TRACES) expect(ru, `ru ${kind} has ${s}`).not.toContain(s);

    const both = pdfText(await render(core, kind, ids, 'both'));
    for (const s of [...KK, ...RU]) expect(both, `both ${kind}: ${s}`).toContain(s);
  });
});
