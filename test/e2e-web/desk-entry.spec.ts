import { expect, test, type WebApp } from './fixtures';
import { newCase, shot } from './support';

// Data entry that catches mistakes without nagging (issue 13), in Kazakh and in Russian.

/** A registered case of this IIN, made through the API (the earlier referral). */
async function earlierCase(app: WebApp, iin: string, receivedAt: string) {
  const r = await app.api<{ id: string }>('cases.save', { patient: { iin, lastName: 'Абаев', firstName: 'Ерлан' }, receivedAt, htmpCode: '54.970.059' });
  await app.api('cases.register', { id: r.id });
  return r.id;
}

test.describe.configure({ timeout: 150_000 });

for (const lang of ['kk', 'ru'] as const) {
  const T = {
    kk: { deleteDraft: 'Жобаны жою', future: 'әлі келмеген', sameIin: 'тағы 1 ашық ісі бар', register: 'тіркеуге болады' },
    ru: { deleteDraft: 'Удалить черновик', future: 'ещё не наступила', sameIin: 'есть ещё 1 открытое дело', register: 'Зарегистрировать это дело можно' },
  }[lang];

  test(`${lang}: a new case opens calm, errors follow the fields left; future dates are errors; the same IIN twice is a warning with links`, async ({ app }) => {
    const earlier = await earlierCase(app, '900315300010', '2026-03-10T10:00');
    const page = await app.open();
    await page.getByTestId(`lang-${lang}`).click();
    await newCase(page);

    // Calm: the cursor is in the IIN field, no field shows an error, the to-do list is not red.
    await expect(page.getByTestId('patient-iin')).toBeFocused();
    await expect(page.locator('.case-form .field ul.findings li.error')).toHaveCount(0);
    await expect(page.locator('[aria-invalid=true]')).toHaveCount(0);
    await expect(page.getByTestId('all-findings')).toHaveClass(/calm/);
    await expect(page.getByTestId('delete-case')).toHaveText(T.deleteDraft);
    await shot(page, `${lang}-entry-01-new-case`);

    // Leaving the last name empty: its error appears, and only its.
    await page.getByTestId('patient-lastName').focus();
    await page.getByTestId('patient-firstName').focus();
    await expect(page.getByTestId('findings-lastName')).toHaveCount(1);
    await expect(page.getByTestId('findings-firstName')).toHaveCount(0);
    await expect(page.getByTestId('findings-receivedDate')).toHaveCount(0);

    // A receipt date not yet come is an error once the field is left.
    await page.getByTestId('case-receivedDate').fill('2099-03-20');
    await page.getByTestId('case-receivedTime').focus();
    await expect(page.getByTestId('findings-receivedDate')).toContainText(T.future);
    await page.getByTestId('case-receivedDate').fill('2026-03-20');
    await page.getByTestId('case-receivedTime').focus();
    await expect(page.getByTestId('findings-receivedDate')).toHaveCount(0);

    // An IIN whose birth date lies in the future (born 2098-01-01, check digit valid).
    await page.getByTestId('patient-iin').fill('980101500004');
    await page.getByTestId('patient-lastName').focus();
    await expect(page.getByTestId('findings-iin')).toContainText(T.future);
    await expect(page.getByTestId('patient-birthDate')).toHaveValue(''); // a birth date not yet come is not copied from it

    // The same IIN as an earlier open case: a warning linking to it, registration stays possible.
    await page.getByTestId('patient-iin').fill('900315300010');
    await page.getByTestId('patient-lastName').fill('Абаев');
    await page.getByTestId('patient-firstName').fill('Ерлан');
    await page.getByTestId('case-channel').focus();
    await expect(page.getByTestId('findings-sameIin')).toContainText(T.sameIin);
    await expect(page.getByTestId('findings-sameIin')).toContainText(T.register);
    await expect(page.getByTestId('same-iin-case')).toHaveCount(1);
    await expect(page.getByTestId('same-iin-case').getByRole('link')).toHaveAttribute('href', `#/cases/${earlier}`);
    await expect(page.getByTestId('same-iin-case')).toContainText('10.03.2026');
    await shot(page, `${lang}-entry-02-same-iin`);
    await page.getByTestId('register').click();
    await expect(page.getByTestId('case-status')).toHaveAttribute('data-status', 'registered');
    // A registered case offers to delete the case, not a draft.
    await expect(page.getByTestId('delete-case')).not.toHaveText(T.deleteDraft);
    await shot(page, `${lang}-entry-03-registered`);
  });
}
