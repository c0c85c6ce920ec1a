import path from 'node:path';
import type { Core } from '../../../electron/core/core';
import { openBundle } from '../../../electron/core/exchange/archive';
import { tempDir } from '../../support/temp';
import { SAMPLE_SHEET } from '../../support/scoring-sample';
import { makeIin } from './cases-fixtures';
import { ISSUER, ORG_A, receivedApplication } from './orgs.fixture';
import { caseDraft, COMMISSION, MEMBERS } from './protocols.fixture';

export type Lang = 'kk' | 'ru';
export type Renderers = Record<string, (lang: Lang) => Promise<Buffer | string>>;

/**
 * One installation holding something for every document kind; returns a renderer per kind
 * (pdf-terms.test.ts, pdf/patches.test.ts). The referral bundle is exported once and its PDFs kept,
 * unless `freshBundle` (each referral PDF then comes from an export of its own).
 */
export async function everyDocument(core: Core, opts: { freshBundle?: boolean } = {}): Promise<Renderers> {
  return (await everyDocumentWithIds(core, opts)).renderers;
}

/** everyDocument, with the ids of what it made. */
export async function everyDocumentWithIds(core: Core, opts: { freshBundle?: boolean } = {}): Promise<{ renderers: Renderers; approved: string; refused: string }> {
  await core.call('settings.update', COMMISSION);
  await core.call('orgs.updateSettings', ISSUER);

  // A conformity conclusion for 00.50 (with its application), so the approved case's provider is eligible.
  const { applicationId, orgId } = await receivedApplication(core, ORG_A, '00.50');
  const assessment = (await core.call('conformity.getApplication', { id: applicationId })).assessment;
  await core.call('conformity.saveAssessment', {
    applicationId,
    decisions: assessment.items.filter((i) => i.status !== 'met').map((i) => ({ requirementId: i.requirementId, decision: 'met' as const, justification: 'Рұқсат № KZ-123 / Разрешение № KZ-123' })),
    staffJustification: '',
    devicesJustification: '',
    note: '',
  });
  const conclusion = (await core.call('conformity.issue', { applicationId, date: '2026-10-10', signer: { name: 'Омаров Д.', position: 'Департамент басшысы' } })).conclusion!.id;

  // An approved case whose provider is the registry's organization, and a refused inpatient one.
  const approved = (await core.call('cases.save', caseDraft())).id;
  await core.call('orgs.setCaseProvider', { caseId: approved, orgId });
  await core.call('cases.register', { id: approved });
  await core.call('cases.decide', { caseId: approved, outcome: 'approved', reason: null, members: MEMBERS, date: '2026-03-12', issue: true });
  const refusedDraft = caseDraft({
    patient: { iin: makeIin('1985-07-03', 'male', 7), lastName: 'Әбілов', firstName: 'Нұрлан', birthDate: '1985-07-03', sex: 'male' },
    inpatient: true,
    providerOrg: null,
  });
  const refused = (await core.call('cases.save', refusedDraft)).id;
  await core.call('cases.register', { id: refused });
  await core.call('cases.decide', { caseId: refused, outcome: 'refused', reason: 'no_indications', members: MEMBERS, date: '2026-03-12', issue: true });

  const sheet = await core.call('scoring.save', { ...SAMPLE_SHEET });

  // Treatment abroad: a petition (step 1 done) and a cover letter (step 3 done).
  const abroad = (
    await core.call('abroad.create', {
      patient: { iin: makeIin('2015-06-01', 'female'), lastName: 'Сейтқали', firstName: 'Әйгерім' },
      category: 'child',
      diseaseGroup: 'eye_malignant',
      startedOn: '2026-03-02',
      confirmations: { indications: true },
      diagnosis: { icd10: 'C69.2', text: 'Ретинобластома' },
    })
  ).id;
  for (const [step, date] of [[1, '2026-03-03'], [2, '2026-03-06'], [3, '2026-03-13']] as const) await core.call('abroad.advance', { id: abroad, step, date });

  const period = { from: '2026-01-01', to: '2026-12-31' };
  // The referral bundle carries the issued protocol in both languages and a bilingual index (one export).
  let bundle: Promise<Map<string, Buffer>> | undefined;
  const fromBundle = (suffix: string) => async (): Promise<Buffer> => {
    if (opts.freshBundle) bundle = undefined;
    bundle ??= (async () => {
      const out = path.join(tempDir(), 'referral.htmp');
      // A second export names its case: the first one marked it exported.
      await core.call('exchange.export', { kind: 'referral', out, ...(opts.freshBundle ? { caseIds: [approved] } : {}) });
      const reader = await openBundle(out, { isTrusted: () => true });
      try {
        const files = new Map<string, Buffer>();
        for (const e of reader.entries) if (e.path.endsWith('.pdf')) files.set(e.path, await reader.readEntry(e.path));
        return files;
      } finally {
        await reader.close();
      }
    })();
    const files = await bundle;
    return [...files.entries()].find(([p]) => p.endsWith(suffix))![1];
  };
  const renderers: Renderers = {
    'protocol-approved': async (lang) => (await core.call('protocols.render', { caseId: approved, lang })).pdfBase64,
    'protocol-refused': async (lang) => (await core.call('protocols.render', { caseId: refused, lang })).pdfBase64,
    'refusal-journal': async (lang) => (await core.call('protocols.refusalJournalPdf', { ...period, lang })).pdfBase64,
    'protocol-register': async (lang) => (await core.call('protocols.registerPdf', { ...period, lang })).pdfBase64,
    'scoring-sheet': async (lang) => (await core.call('protocols.scoringSheetPdf', { sheetId: sheet.id, lang })).pdfBase64,
    'conformity-application': async (lang) => (await core.call('conformity.renderApplication', { id: applicationId, lang })).pdfBase64,
    'conformity-conclusion': async (lang) => (await core.call('conformity.renderConclusion', { id: conclusion, lang })).pdfBase64,
    'annual-report': async (lang) => (await core.call('reports.annualPdf', { year: 2026, lang })).base64,
    'abroad-petition': async (lang) => (await core.call('abroad.renderDocument', { id: abroad, doc: 'petition', lang })).pdfBase64,
    'abroad-cover-letter': async (lang) => (await core.call('abroad.renderDocument', { id: abroad, doc: 'cover_letter', step: 3, lang })).pdfBase64,
    'abroad-summary': async (lang) => (await core.call('abroad.summaryPdf', { year: 2026, lang, today: '2026-03-20' })).pdfBase64,
    'recovery-sheet': async (lang) => (await core.call('auth.recoverySheet', { recoveryKey: 'ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789', lang })).base64,
    'audit-export': async (lang) => (await core.call('audit.exportPdf', { lang })).base64,
    'referral-protocol': (lang) => fromBundle(`protocol_${lang}.pdf`)(),
    'referral-index (both)': () => fromBundle('index.pdf')(),
  };
  return { renderers, approved, refused };
}

