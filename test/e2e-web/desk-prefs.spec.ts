import fs from 'node:fs';
import net from 'node:net';
import { E2E_ADMIN, expect, rawApi, setUpAdmin, startWebHost, test, TEST_COMMISSION } from './fixtures';
import { completeCase, iin, shot } from './support';

// Issue 13: the interface language, the last members and the unsaved edits of a case form are
// kept per user by the app (in its encrypted database), not in the browser: a host restart, a
// fresh browser context and another language on the sign-in screen keep all three.

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

const STANDING = [
  { role: 'chair', name: { kk: 'Сейітқали Әлия Нұрланқызы', ru: 'Сейткали Алия Нурлановна' } },
  { role: 'member', name: { kk: 'Шаһмарданов Ғ. Ө.', ru: 'Шахмарданов Г. О.' } },
  { role: 'secretary', name: { kk: 'Үмбетова І. Һ.', ru: 'Умбетова И. Х.' } },
];

const T = {
  kk: { cases: 'Істер', other: 'ru', restored: 'қалпына келтірілді' },
  ru: { cases: 'Дела', other: 'kk', restored: 'восстановлены' },
} as const;

for (const lang of ['kk', 'ru'] as const) {
  test(`${lang}: a host restart keeps the language and the last members, and offers the unsaved edits back`, async ({ browserInstance }) => {
    test.setTimeout(300_000);
    const port = await freePort();
    let started = await startWebHost(undefined, { port });
    const dataDir = started.dataDir;
    try {
      const { session } = await setUpAdmin(started);
      const api = async <V = any>(method: string, args: unknown): Promise<V> => {
        const r = await rawApi(started, method, args, session);
        if (!r.body.ok) throw new Error(`${method}: ${JSON.stringify(r.body.error)}`);
        return r.body.value as V;
      };
      await api('settings.update', TEST_COMMISSION);
      await api('settings.setMembers', { members: STANDING });
      const ids: string[] = [];
      for (const [i, last] of ['Жұмабекова', 'Серікова', 'Оспанова'].entries()) {
        const { id } = await api<{ id: string }>('cases.save', completeCase({ iin: iin(`8506154500${i}`), lastName: last }));
        await api('cases.register', { id });
        ids.push(id);
      }
      const [a, b, c] = ids as [string, string, string];

      // Before the restart: in a browser context of its own, signed in.
      const before = await browserInstance.newContext({ viewport: { width: 1366, height: 768 } });
      await before.addCookies([{ name: 'htmp_session', value: session, domain: '127.0.0.1', path: '/api', httpOnly: true, sameSite: 'Strict' }]);
      const page = await before.newPage();
      await page.goto(started.url);
      await page.getByTestId('nav-today').waitFor();
      await page.getByTestId(`lang-${T[lang].other}`).click();
      await page.getByTestId(`lang-${lang}`).click();
      await expect.poll(async () => (await api('prefs.get', {})).language).toBe(lang);

      // A decision with one standing member absent: its members become this user's last ones.
      await page.goto(`${started.url.split('#')[0]}#/cases/${a}`);
      await page.getByTestId('outcome-approved').check();
      await expect(page.getByTestId('member-present')).toHaveCount(3);
      await page.getByTestId('member-present').nth(1).uncheck();
      await page.getByTestId('decision-save').click();
      await expect.poll(async () => (await api('prefs.get', {})).lastMembers?.length ?? 0).toBe(2);

      // Edits of another case that never reach the case (its saves are cut off, as with a hung
      // host) are kept as this user's draft; then the tab closes.
      await page.goto(`${started.url.split('#')[0]}#/cases/${b}`);
      await expect(page.getByTestId('patient-firstName')).toHaveValue('Әйгерім');
      await page.route('**/api/cases.save', (route) => route.abort());
      await page.getByTestId('patient-firstName').fill('Әйгерім-Айым');
      await page.getByTestId('case-notes').fill('Науқасқа қоңырау шалу');
      await expect.poll(async () => (await api('prefs.get', {})).drafts.map((d: { caseId: string }) => d.caseId)).toEqual([b]);
      await expect.poll(async () => JSON.stringify((await api('prefs.getDraft', { caseId: b })).draft?.form ?? null)).toContain('Науқасқа қоңырау шалу');

      // The host stops while the tab is still open (as when the laptop restarts); then the tab goes.
      started.host.kill('SIGTERM');
      await new Promise((r) => started.host.once('exit', r));
      await before.close();

      // The host starts again on the same port; a fresh browser context (no storage, no cookie).
      started = await startWebHost(dataDir, { port: 'kept' });
      expect(new URL(started.url).port).toBe(String(port));
      const after = await browserInstance.newContext({ viewport: { width: 1366, height: 768 } });
      const p2 = await after.newPage();
      await p2.goto(started.url);
      // The sign-in screen in the other language (this page's choice); signing in brings the user's.
      await p2.getByTestId(`lang-${T[lang].other}`).click();
      await p2.getByTestId('login').fill(E2E_ADMIN.login);
      await p2.getByTestId('passphrase').fill(E2E_ADMIN.passphrase);
      await p2.getByTestId('signin-submit').click();
      await expect(p2.getByTestId('nav-cases')).toHaveText(T[lang].cases);
      expect(await p2.evaluate(() => Object.keys(localStorage).length)).toBe(0);

      const sessionAfter = (await after.cookies()).find((k) => k.name === 'htmp_session')!.value;
      // The case itself never got the edits ...
      expect(((await rawApi(started, 'cases.get', { id: b }, sessionAfter)).body.value as { patient: { firstName: string } }).patient.firstName).toBe('Әйгерім');
      // ... Today lists it with unsaved edits, and the case offers them back.
      await expect(p2.getByTestId('unsaved-draft')).toHaveText(/Серікова Әйгерім/);
      await p2.getByTestId('unsaved-draft').click();
      await expect(p2.getByTestId('draft-offer')).toBeVisible();
      await expect(p2.getByTestId('patient-firstName')).toHaveValue('Әйгерім');
      await shot(p2, `draft-offer-${lang}`);
      await p2.getByTestId('draft-restore').click();
      await expect(p2.getByTestId('patient-firstName')).toHaveValue('Әйгерім-Айым');
      await expect(p2.getByTestId('case-notes')).toHaveValue('Науқасқа қоңырау шалу');
      await expect(p2.getByTestId('save-state')).toHaveAttribute('data-status', 'saved');
      const stored = (await rawApi(started, 'cases.get', { id: b }, sessionAfter)).body.value as { patient: { firstName: string }; notes: string };
      expect([stored.patient.firstName, stored.notes]).toEqual(['Әйгерім-Айым', 'Науқасқа қоңырау шалу']);
      await expect.poll(async () => ((await rawApi(started, 'prefs.get', {}, sessionAfter)).body.value as { drafts: unknown[] }).drafts).toEqual([]);

      // A new decision starts from the members of the last one: the absent member is unticked.
      await p2.goto(`${started.url.split('#')[0]}#/cases/${c}`);
      await p2.getByTestId('outcome-approved').check();
      const present = p2.getByTestId('member-present');
      await expect(present).toHaveCount(3);
      await expect(present.nth(0)).toBeChecked();
      await expect(present.nth(1)).toBeChecked();
      await expect(present.nth(2)).not.toBeChecked();
      await expect(p2.getByTestId('member-standing-name').nth(2)).toHaveText(STANDING[1]!.name[lang]);

      // Discarding: the offer goes, the case stays as saved.
      await p2.route('**/api/cases.save', (route) => route.abort());
      await p2.getByTestId('patient-firstName').fill('Уақытша');
      await expect.poll(async () => ((await rawApi(started, 'prefs.get', {}, sessionAfter)).body.value as { drafts: unknown[] }).drafts.length).toBe(1);
      await p2.reload();
      await p2.unroute('**/api/cases.save');
      await expect(p2.getByTestId('draft-offer')).toBeVisible();
      await p2.getByTestId('draft-discard').click();
      await expect(p2.getByTestId('draft-offer')).toHaveCount(0);
      await expect(p2.getByTestId('patient-firstName')).toHaveValue('Әйгерім');
      await expect.poll(async () => ((await rawApi(started, 'prefs.get', {}, sessionAfter)).body.value as { drafts: unknown[] }).drafts).toEqual([]);
      await after.close();
    } finally {
      started.host.kill('SIGTERM');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
