import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import { openBundle } from '../../../electron/core/exchange/archive';
import { appRoot } from '../../../electron/core/paths';
import { tempCore, tempDir } from '../../support/temp';
import { FORBIDDEN_TERMS, forbiddenIn, OTHER_LANGUAGE_MARKERS } from '../../support/forbidden-terms';
import { makeIin } from './cases-fixtures';
import { ISSUER, ORG_A, receivedApplication } from './orgs.fixture';
import { caseDraft, COMMISSION, MEMBERS } from './protocols.fixture';
import { SAMPLE_SHEET } from '../../support/scoring-sample';

/**
 * Proofreading of every PDF the app makes (issue 11 point 6): each kind is rendered through the
 * core in Kazakh and in Russian, its text taken out with pdftotext, and checked against the
 * variants that terms.md retired (one concept, one term) and against the other language's
 * marker words (a Kazakh document says ЖТМК, never ВТМП, and the other way round).
 * docs/proofreading.md records what was read and changed. With HTMP_PDF_TEXT_DUMP=DIR the texts
 * are also written there, to be read by a person.
 */
const dump = process.env.HTMP_PDF_TEXT_DUMP;

function pdfText(name: string, pdf: Buffer | string): string {
  const dir = tempDir('htmp-terms-');
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, typeof pdf === 'string' ? Buffer.from(pdf, 'base64') : pdf);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', file, '-'], { encoding: 'utf8' });
  if (dump) {
    fs.mkdirSync(dump, { recursive: true });
    fs.writeFileSync(path.join(dump, `${name}.txt`), text);
  }
  // Words hyphenated or wrapped across lines are joined so that a phrase is found whole.
  return text.replace(/\s+/g, ' ');
}

type Lang = 'kk' | 'ru';
type Renderers = Record<string, (lang: Lang) => Promise<Buffer | string>>;

/** One installation holding something for every document kind; returns a renderer per kind. */
async function everyDocument(core: Core): Promise<Renderers> {
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
    bundle ??= (async () => {
      const out = path.join(tempDir(), 'referral.htmp');
      await core.call('exchange.export', { kind: 'referral', out });
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
  return {
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
}

describe('every PDF in Kazakh and Russian uses the official terms (terms.md), one term for one thing', () => {
  it('no retired variant, no marker of the other language, in any document kind', async () => {
    const core = tempCore();
    const docs = await everyDocument(core);
    const problems: string[] = [];
    for (const [kind, render] of Object.entries(docs)) {
      for (const lang of ['kk', 'ru'] as const) {
        const text = pdfText(`${kind.replace(/ \(both\)$/, '')}-${lang}`, await render(lang));
        expect(text.length, `${kind} ${lang} has text`).toBeGreaterThan(200);
        for (const hit of forbiddenIn(text, lang)) problems.push(`${kind} (${lang}): «${hit.found}» — ${hit.why}`);
        const bilingual = kind.endsWith('(both)');
        for (const marker of OTHER_LANGUAGE_MARKERS[lang]) if (!bilingual && text.includes(marker)) problems.push(`${kind} (${lang}): other language «${marker}»`);
      }
    }
    expect(problems).toEqual([]);
  }, 240_000);
});

describe('the locales keep the official terms', () => {
  const dir = path.join(appRoot(), 'locales');
  const strings = (node: unknown, at: string, out: [string, string][]): [string, string][] => {
    if (typeof node === 'string') out.push([at, node]);
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) strings(v, at ? `${at}.${k}` : k, out);
    return out;
  };
  it.each(['kk', 'ru'] as const)('%s: no retired variant in any namespace', (lang) => {
    const problems: string[] = [];
    for (const file of fs.readdirSync(path.join(dir, lang)).filter((f) => f.endsWith('.json'))) {
      for (const [key, text] of strings(JSON.parse(fs.readFileSync(path.join(dir, lang, file), 'utf8')), '', [])) {
        for (const hit of forbiddenIn(text, lang, 'locale')) problems.push(`${file} ${key}: «${hit.found}» — ${hit.why}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the check finds what it looks for (each retired variant is caught in a sentence)', () => {
    for (const f of FORBIDDEN_TERMS) {
      for (const sample of f.samples) expect(forbiddenIn(`Мәтін: ${sample}.`, f.lang).map((h) => h.why), `${f.lang}: ${sample}`).toContain(f.why);
    }
  });
});
