import fs from 'node:fs';
import path from 'node:path';
import { expect, test, TEST_COMMISSION, type WebApp } from './fixtures';
import { shot } from './support';

// Issue 14 and issue 11 point 6 on the screens, in Kazakh and Russian: the dashboard names a
// provider chosen from the registry in the interface language (counted by the organization, not
// by the text typed on the case); the transfer criteria and refusal grounds use the official terms.
const root = path.resolve(import.meta.dirname, '..', '..');
type Tree = { [k: string]: string | Tree };
const L = (lang: 'kk' | 'ru', ns: string) => JSON.parse(fs.readFileSync(path.join(root, 'locales', lang, `${ns}.json`), 'utf8')) as Tree;
const get = (tree: Tree, key: string): string => key.split('.').reduce<string | Tree>((n, k) => (n as Tree)[k]!, tree) as string;
const ORG = { bin: '040540000103', nameKk: '«Ұлттық ғылыми кардиохирургия орталығы» АҚ', nameRu: 'АО «Национальный научный кардиохирургический центр»', region: 'astana', level: 'republican' };
const IINS = ['900215400013', '850720400017'];
const MEMBERS = [
  { name: 'Сейітқали Әлия Нұрланқызы', role: 'chair' },
  { name: 'Үмбетова Іңкәр Һадиқызы', role: 'secretary' },
];

async function seed(app: WebApp): Promise<void> {
  await app.api('settings.update', TEST_COMMISSION);
  const org = await app.api<{ id: string }>('orgs.save', ORG);
  for (const [i, iin] of IINS.entries()) {
    const saved = await app.api<{ id: string }>('cases.save', {
      patient: { iin, lastName: `Жұмабекова${i}`, firstName: 'Әйгерім', sex: 'female', insured: true },
      receivedAt: '2026-02-02T10:00',
      channel: 'paper',
      htmpCode: '54.970.059',
      urgency: 'planned',
      inpatient: false,
      diagnosis: { icd10: 'I25.1', text: 'ИБС' },
      // The first case's text was typed in Russian before the registry: the registry decides.
      providerOrg: i === 0 ? ORG.nameRu : null,
      documents: [
        { kind: 'identity', paper: true },
        { kind: 'referral', paper: true },
        { kind: 'record_extract', paper: true, signatures: ['attending', 'head_of_department', 'deputy_chief'], seal: true, clinicalDiagnosis: 'ИБС' },
        { kind: 'test_results', paper: true, items: [{ name: 'ЭКГ', date: '2026-01-20' }] },
      ],
    });
    await app.api('orgs.setCaseProvider', { caseId: saved.id, orgId: org.id });
    await app.api('cases.register', { id: saved.id });
    await app.api('cases.decide', { caseId: saved.id, outcome: 'approved', reason: null, members: MEMBERS, date: '2026-02-03', issue: true });
  }
}

test.describe.configure({ timeout: 180_000 });

test('the dashboard counts a registry organization once and names it in the interface language; official terms on the screens', async ({ app }) => {
  await seed(app);
  const page = await app.open();
  for (const lang of ['kk', 'ru'] as const) {
    const r = L(lang, 'reports');
    await page.getByTestId(`lang-${lang}`).click();
    await page.getByTestId('nav-reports').click();
    await page.getByTestId('dash-from').fill('2026-01-01');
    await page.getByTestId('dash-to').fill('2026-06-30');
    await expect(page.getByTestId('chart-providers-canvas').locator('svg')).toHaveCount(1);
    await page.getByTestId('chart-providers').locator('summary').click();
    const rows = page.getByTestId('chart-providers-table').locator('tbody tr');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(lang === 'kk' ? ORG.nameKk : ORG.nameRu);
    await expect(rows.first()).toContainText('2');
    await page.getByTestId('chart-refusals').locator('summary').click();
    await expect(page.getByTestId('chart-refusals-table')).toContainText(get(r, 'charts.ground.not_authentic'));
    await page.getByTestId('chart-providers').scrollIntoViewIfNeeded();
    await shot(page, `${lang}-texts-dashboard-providers`);

    const s = L(lang, 'scoring');
    await page.getByTestId('nav-scoring').click();
    await page.getByTestId('scoring-tab-transfer').click();
    await expect(page.getByTestId('scoring-tab-transfer')).toHaveText(get(s, 'ui.tabs.transfer'));
    await expect(page.getByRole('heading', { name: get(s, 'transfer.title') })).toBeVisible();
    await shot(page, `${lang}-texts-transfer`);
  }
});
