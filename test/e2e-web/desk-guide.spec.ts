import { expect, test, TEST_COMMISSION, type WebApp } from './fixtures';
import { completeCase, iin, shot } from './support';

// Issue 13: the first-start guide, the paper-copy check and the one date field, in kk and ru.

const T = {
  kk: { progress0: '3 қадамның 0 орындалды', progress2: '3 қадамның 2 орындалды', done: 'Бәрі дайын', confirmedBy: 'Растаған: Әсел Серікқызы Нұрланова', incomplete: 'толық емес', matches: 'Сәйкес', approved: 'оң', dateError: 'кк.аа.жжжж' },
  ru: { progress0: 'Сделано 0 из 3', progress2: 'Сделано 2 из 3', done: 'Все готово', confirmedBy: 'Подтвердил(а) Әсел Серікқызы Нұрланова', incomplete: 'неполный', matches: 'Совпадает', approved: 'положительное', dateError: 'дд.мм.гггг' },
} as const;

const STANDING = [
  { role: 'chair', kk: 'Сейітқали Әлия Нұрланқызы', ru: 'Сейткали Алия Нурлановна' },
  { role: 'member', kk: 'Шаһмарданов Ғ. Ө.', ru: 'Шахмарданов Г. О.' },
  { role: 'secretary', kk: 'Үмбетова І. Һ.', ru: 'Умбетова И. Х.' },
] as const;

const thisYear = (): number => Number(new Date(Date.now() + 5 * 3_600_000).toISOString().slice(0, 4));

for (const lang of ['kk', 'ru'] as const) {
  test(`${lang}: the first-start guide leads through names, members and the calendar; it can be left and taken up again`, async ({ app }) => {
    test.setTimeout(180_000);
    const page = await app.open();
    await page.getByTestId(`lang-${lang}`).click();
    // Today says what is missing and links to each step.
    const banner = page.getByTestId('setup-banner');
    await expect(banner).toBeVisible();
    await expect(page.getByTestId('setup-banner-names')).toBeVisible();
    await page.getByTestId('setup-banner-names').click();
    await expect(page).toHaveURL(/#\/setup\/names$/);
    await expect(page.getByTestId('guide-progress')).toHaveText(T[lang].progress0);
    await expect(page.getByTestId('guide-step-names')).toHaveAttribute('data-done', 'no');
    await expect(page.getByTestId('guide-step-title')).toBeFocused();
    await shot(page, `guide-names-${lang}`);

    // Step 1: the names in both languages.
    for (const k of ['commissionNameKk', 'commissionNameRu', 'authorityNameKk', 'authorityNameRu'] as const) await page.getByTestId(`settings-${k}`).fill(TEST_COMMISSION[k]);
    await page.getByTestId('settings-save').click();
    await expect(page.getByTestId('guide-step-names')).toHaveAttribute('data-done', 'yes');
    await page.getByTestId('guide-next').click();
    await expect(page).toHaveURL(/#\/setup\/members$/);

    // Step 2: the standing members (the same form as Settings).
    for (const [i, m] of STANDING.entries()) {
      await page.getByTestId('standing-add').click();
      const row = page.getByTestId('standing-row').nth(i);
      await row.getByTestId('member-role').selectOption(m.role);
      await row.getByTestId('member-nameKk').fill(m.kk);
      await row.getByTestId('member-nameRu').fill(m.ru);
    }
    await page.getByTestId('standing-save').click();
    await expect(page.getByTestId('guide-step-members')).toHaveAttribute('data-done', 'yes');
    await expect(page.getByTestId('guide-progress')).toHaveText(T[lang].progress2);

    // Leave for another screen; the banner brings the secretary back to the step still to do.
    await page.getByTestId('nav-protocols').click();
    await expect(page.getByTestId('setup-banner')).toHaveCount(0); // the protocols need names and members only: done
    await page.getByTestId('nav-today').click();
    await expect(page.getByTestId('setup-banner-names')).toHaveCount(0);
    await page.getByTestId('setup-banner-calendar').click();
    await expect(page).toHaveURL(/#\/setup\/calendar$/);
    await expect(page.getByTestId('guide-days-off')).toBeVisible();
    // Dates on the screen in the interface's format, never ISO.
    await expect(page.getByTestId('guide-days-off')).not.toContainText(`${thisYear()}-`);
    await expect(page.getByTestId('guide-days-off')).toContainText(`.${thisYear()}`);
    await shot(page, `guide-calendar-${lang}`);

    // Step 3: the calendar year confirmed by this user, who and when are shown.
    await page.getByTestId('guide-calendar-confirm').click();
    await expect(page.getByTestId('guide-calendar-confirmed')).toContainText(T[lang].confirmedBy);
    await expect(page.getByTestId('guide-calendar-confirmed')).toContainText(new RegExp(`\\d{2}\\.\\d{2}\\.${thisYear()} \\d{2}:\\d{2}`));
    await expect(page.getByTestId('guide-progress')).toContainText(T[lang].done);
    await page.getByTestId('nav-today').click();
    await expect(page.getByTestId('today-overdue')).toBeVisible();
    await expect(page.getByTestId('setup-banner')).toHaveCount(0);
    // The state is the core's: an API call sees the same.
    expect(await app.api('setup.status', {})).toMatchObject({ complete: true, done: 3 });
  });

  test(`${lang}: a decision's missing names link to the guide's step`, async ({ app }) => {
    test.setTimeout(120_000);
    const { id } = await app.api<{ id: string }>('cases.save', { patient: { iin: '900315300010', lastName: 'Абаев', firstName: 'Ерлан' }, receivedAt: '2026-03-20T10:00', htmpCode: '54.970.059' });
    const page = await app.open();
    await page.getByTestId(`lang-${lang}`).click();
    await page.goto(`${app.url.split('#')[0]}#/cases/${id}`);
    await page.getByTestId('outcome-approved').check();
    const link = page.getByTestId('gap-setup-names').first();
    await expect(link).toHaveAttribute('href', '#/setup/names');
    await expect(page.getByTestId('no-standing-setup')).toHaveAttribute('href', '#/setup/members');
    await link.click();
    await expect(page.getByTestId('guide-step-title')).toBeFocused();
  });

  test(`${lang}: the paper-copy check says a cut-short code is incomplete, and a match shows what to compare`, async ({ app }) => {
    test.setTimeout(150_000);
    await seedIssued(app);
    const [p] = (await app.api<{ items: { number: string; sha256: string; date: string }[] }>('protocols.list', {})).items;
    const page = await app.open();
    await page.getByTestId(`lang-${lang}`).click();
    await page.getByTestId('nav-protocols').click();
    await page.getByTestId('verify-number').fill(p!.number);
    await page.getByTestId('verify-sha').fill(p!.sha256.slice(0, 40));
    await page.getByTestId('verify-check').click();
    const err = page.getByRole('alert').filter({ hasText: T[lang].incomplete });
    await expect(err).toContainText('40');
    await expect(page.getByTestId('verify-result')).toHaveCount(0);
    // A QR code pasted whole, cut short: incomplete too (never "the copies differ").
    await page.getByTestId('verify-sha').fill(`HTMP-PROTOCOL|${p!.number}|${p!.sha256.slice(0, 12)}`);
    await page.getByTestId('verify-check').click();
    await expect(page.getByRole('alert').filter({ hasText: T[lang].incomplete })).toContainText('12');
    // The whole code: a match, with number, date, patient and outcome to compare with the paper.
    await page.getByTestId('verify-sha').fill(p!.sha256);
    await page.getByTestId('verify-check').click();
    await expect(page.getByTestId('verify-result')).toContainText(T[lang].matches);
    await expect(page.getByTestId('verify-match-number')).toHaveText(p!.number);
    await expect(page.getByTestId('verify-match-date')).toHaveText(p!.date.split('-').reverse().join('.'));
    await expect(page.getByTestId('verify-match-patient')).toContainText('Жұмабекова Әйгерім');
    await expect(page.getByTestId('verify-match-outcome')).toHaveText(T[lang].approved);
    await page.getByTestId('verify-result').scrollIntoViewIfNeeded();
    await shot(page, `paper-check-${lang}`);
  });

  test(`${lang}: the date field shows and takes dd.mm.yyyy (typed, ISO pasted or picked) and gives ISO to the code`, async ({ app }) => {
    test.setTimeout(120_000);
    const page = await app.open();
    await page.getByTestId(`lang-${lang}`).click();
    await page.getByTestId('nav-protocols').click();
    const from = page.getByTestId('protocols-from');
    // The period opens on the first of January, shown as dd.mm.yyyy whatever the browser's locale.
    await expect(from).toHaveValue(`01.01.${thisYear()}`);
    // Digits only: the dots are put in.
    await from.fill('');
    await from.pressSequentially('02032026');
    await expect(from).toHaveValue('02.03.2026');
    // ISO pasted: taken, and shown as dd.mm.yyyy once the field is left.
    await from.fill('2026-01-15');
    await from.press('Tab');
    await expect(from).toHaveValue('15.01.2026');
    // Not a real day: said once the field is left, in words.
    await from.fill('31.04.2026');
    await from.press('Tab');
    await expect(from).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByRole('alert').filter({ hasText: T[lang].dateError })).toBeVisible();
    await shot(page, `datefield-${lang}`);
    // The calendar: keyboard only.
    await page.getByTestId('protocols-from-calendar').click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(from).toHaveValue(/^\d{2}\.\d{2}\.\d{4}$/);
    await expect(from).not.toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('protocols-from-calendar')).toBeFocused();
    // No native date input is left anywhere on the screen.
    expect(await page.locator('input[type=date]').count()).toBe(0);
  });
}

/** One issued protocol (approved), as the screens would make it. */
async function seedIssued(app: WebApp): Promise<void> {
  await app.api('settings.update', TEST_COMMISSION);
  await app.api('settings.setMembers', { members: STANDING.map((m) => ({ role: m.role, name: { kk: m.kk, ru: m.ru } })) });
  const saved = await app.api<{ id: string }>('cases.save', completeCase({ iin: iin('85061545001'), lastName: 'Жұмабекова' }));
  await app.api('cases.register', { id: saved.id });
  await app.api('cases.decide', { caseId: saved.id, outcome: 'approved', reason: null, date: '2026-11-21', issue: true });
}
