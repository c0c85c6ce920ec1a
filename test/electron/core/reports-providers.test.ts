import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import { tempCore, tempDir } from '../../support/temp';
import { completeDraft, makeIin, MEMBERS } from './cases-fixtures';
import { ORG_A, ORG_B } from './orgs.fixture';

/**
 * Issue 14: reports count a provider by the registry organization chosen on the case (its name
 * from the registry, in the report's language), older cases by their provider text; choosing an
 * organization writes the case's provider text, so everything that reads the text agrees.
 */
let serial = 300;
async function approvedCase(core: Core, o: { provider?: string | null; orgId?: string; date?: string } = {}): Promise<string> {
  const d = completeDraft({ receivedAt: '2026-02-02T10:00', iin: makeIin('1970-01-15', 'male', serial++) });
  const { id } = await core.call('cases.save', { ...d, providerOrg: o.provider ?? null });
  if (o.orgId) await core.call('orgs.setCaseProvider', { caseId: id, orgId: o.orgId });
  await core.call('cases.register', { id });
  await core.call('cases.decide', { caseId: id, outcome: 'approved', reason: null, members: MEMBERS, date: o.date ?? '2026-02-03', issue: true });
  return id;
}

const pdfText = (base64: string): string => {
  const file = path.join(tempDir('htmp-rp-'), 'r.pdf');
  fs.writeFileSync(file, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
};

describe('reports count providers by the registry organization', () => {
  it('one row per registry organization whatever its text; older cases by their text; named in the report\'s language', async () => {
    const core = tempCore();
    const a = await core.call('orgs.save', ORG_A);
    const b = await core.call('orgs.save', ORG_B);
    // Two cases of A chosen from the registry, one of them typed first in Russian; one of B; two
    // older cases with A's name typed by hand (one with stray spaces) and one without a provider.
    const a1 = await approvedCase(core, { orgId: a.id });
    await approvedCase(core, { provider: ORG_A.nameRu, orgId: a.id });
    await approvedCase(core, { orgId: b.id });
    await approvedCase(core, { provider: ORG_A.nameKk });
    await approvedCase(core, { provider: `  ${ORG_A.nameKk}  ` });
    await approvedCase(core, { provider: null });

    const kk = await core.call('reports.annual', { year: 2026, lang: 'kk' });
    const rows = (r: typeof kk) => r.rows.map((x) => [x.provider, x.providerOrgId, x.approvals]);
    expect(rows(kk)).toEqual(
      expect.arrayContaining([
        [ORG_A.nameKk, a.id, 2],
        [ORG_B.nameKk, b.id, 1],
        [ORG_A.nameKk, null, 2],
        ['', null, 1],
      ]),
    );
    expect(kk.rows).toHaveLength(4);
    const ru = await core.call('reports.annual', { year: 2026, lang: 'ru' });
    expect(rows(ru)).toEqual(expect.arrayContaining([[ORG_A.nameRu, a.id, 2], [ORG_B.nameRu, b.id, 1], [ORG_A.nameKk, null, 2]]));
    // Without a language: the settings' (kk here).
    expect((await core.call('reports.annual', { year: 2026 })).rows.find((r) => r.providerOrgId === b.id)!.provider).toBe(ORG_B.nameKk);

    // The dashboard counts the same way.
    const dash = await core.call('reports.dashboard', { from: '2026-01-01', to: '2026-12-31', lang: 'ru' });
    expect(dash.byProvider.map((p) => [p.provider, p.providerOrgId, p.approved])).toEqual(
      expect.arrayContaining([[ORG_A.nameRu, a.id, 2], [ORG_A.nameKk, null, 2], [ORG_B.nameRu, b.id, 1]]),
    );

    // A renamed organization stays one row, under its new name.
    await core.call('orgs.save', { id: a.id, ...ORG_A, nameRu: 'АО «ННКЦ»' });
    expect((await core.call('reports.annual', { year: 2026, lang: 'ru' })).rows.filter((r) => r.providerOrgId === a.id).map((r) => [r.provider, r.approvals])).toEqual([['АО «ННКЦ»', 2]]);

    // The Russian PDF names the registry organizations in Russian (no Kazakh name of a registry
    // organization in it); the Kazakh one in Kazakh; one statement for both.
    const pdfRu = await core.call('reports.annualPdf', { year: 2026, lang: 'ru' });
    const tRu = pdfText(pdfRu.base64);
    expect(tRu).toContain('АО «ННКЦ»');
    expect(tRu).toContain(ORG_B.nameRu);
    expect(tRu).not.toContain(ORG_B.nameKk);
    const pdfKk = await core.call('reports.annualPdf', { year: 2026, lang: 'kk' });
    const tKk = pdfText(pdfKk.base64);
    expect(tKk).toContain(ORG_B.nameKk);
    expect(tKk).not.toContain(ORG_B.nameRu);
    expect(pdfKk.sha256).toBe(pdfRu.sha256);

    // XLSX in Russian: the Russian names.
    const x = await core.call('reports.annualXlsx', { year: 2026, lang: 'ru' });
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(x.base64, 'base64') as unknown as ArrayBuffer);
    const cells = wb.worksheets.flatMap((w) => w.getSheetValues().flat().filter((v) => typeof v === 'string'));
    expect(cells).toContain(ORG_B.nameRu);
    expect(cells).not.toContain(ORG_B.nameKk);
    expect(a1).toBeTruthy();
  }, 60_000);
});

describe('orgs.setCaseProvider writes the case\'s provider text', () => {
  it('the registry name in the settings\' language; cleared with the choice; a typed text stays; an issued case is locked', async () => {
    const core = tempCore();
    const a = await core.call('orgs.save', ORG_A);
    const b = await core.call('orgs.save', ORG_B);
    const d = completeDraft({ iin: makeIin('1971-03-04', 'female', 5) });
    const { id } = await core.call('cases.save', { ...d, providerOrg: 'ҰҒКО' });
    const text = async () => (await core.call('cases.get', { id })).providerOrg;

    // The screen's language does not decide the text: the installation's language does (kk).
    await core.call('orgs.setCaseProvider', { caseId: id, orgId: a.id, lang: 'ru' });
    expect(await text()).toBe(ORG_A.nameKk);
    expect((await core.call('orgs.forCase', { caseId: id })).legacyText).toBeNull();
    await core.call('settings.update', { language: 'ru' });
    await core.call('orgs.setCaseProvider', { caseId: id, orgId: b.id });
    expect(await text()).toBe(ORG_B.nameRu);
    // Clearing the choice clears the text it wrote.
    await core.call('orgs.setCaseProvider', { caseId: id, orgId: null });
    expect(await text()).toBeNull();
    // A text typed by hand is not the registry's: clearing a choice keeps it.
    await core.call('cases.save', { id, ...d, providerOrg: 'Другая клиника' });
    await core.call('orgs.setCaseProvider', { caseId: id, orgId: null });
    expect(await text()).toBe('Другая клиника');
    await core.call('orgs.setCaseProvider', { caseId: id, orgId: a.id });
    expect(await text()).toBe(ORG_A.nameRu);

    // After the protocol is issued the provider is part of the locked case.
    await core.call('cases.register', { id });
    await core.call('cases.decide', { caseId: id, outcome: 'approved', reason: null, members: MEMBERS, date: '2026-03-21', issue: true });
    await expect(core.call('orgs.setCaseProvider', { caseId: id, orgId: b.id })).rejects.toMatchObject({ code: 'cases.locked' });
    expect(await text()).toBe(ORG_A.nameRu);
  }, 60_000);
});
