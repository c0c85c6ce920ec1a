/** Helpers the e2e specs share: screenshots on demand, the axe scan, the new-case form, a complete case made through the API. */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { iinCheckDigit } from '../../shared/domain/iin';
import { expect } from './fixtures';

const shots = process.env.HTMP_SHOTS;

/** A screenshot into $HTMP_SHOTS (nothing when it is not set). */
export async function shot(page: Page, name: string): Promise<void> {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: false });
}

const BLOCKING = new Set(['moderate', 'serious', 'critical']);

/** axe-core over the page: each violation of impact moderate or higher, named with its rule, impact and elements. */
export async function axeScan(page: Page, where: string): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return r.violations
    .filter((v) => BLOCKING.has(v.impact ?? ''))
    .map((v) => `${where}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/** Starts a new case from the register. */
export async function newCase(page: Page): Promise<void> {
  await page.getByTestId('nav-cases').click();
  await page.getByTestId('new-case').click();
  await expect(page.getByTestId('patient-iin')).toBeVisible();
}

/** An IIN: the first 11 digits and their check digit. */
export function iin(first11: string): string {
  const c = iinCheckDigit(first11);
  if (c === null) throw new Error(`no valid IIN starts with ${first11}`);
  return `${first11}${c}`;
}

/** Surnames for generated registers (Kazakh and Russian spellings). */
export const LAST_NAMES = ['Абаев', 'Ержанова', 'Сапаров', 'Омарова', 'Ким', 'Тоқтарова'];

/** The n-th of many distinct valid IINs (men born in the 1980s), for generated registers. */
export function numberedIin(n: number): string {
  const first11 = `80${String(1 + (n % 12)).padStart(2, '0')}${String(1 + (n % 28)).padStart(2, '0')}3${String(1000 + n).padStart(4, '0')}`;
  return iinCheckDigit(first11) === null ? numberedIin(n + 5000) : iin(first11);
}

/** A complete paper case (00.50, born 1985-06-15, received 2026-11-20) for `cases.save`, ready to register. */
export function completeCase(patient: { iin: string; lastName: string }): Record<string, unknown> {
  return {
    patient: { iin: patient.iin, lastName: patient.lastName, firstName: 'Әйгерім', birthDate: '1985-06-15', sex: 'female', insured: true },
    receivedAt: '2026-11-20T10:00',
    channel: 'paper',
    htmpCode: '00.50',
    urgency: 'planned',
    inpatient: false,
    diagnosis: { icd10: 'I50.0', text: 'Созылмалы жүрек жеткіліксіздігі' },
    documents: [
      { kind: 'identity', paper: true },
      { kind: 'referral', paper: true },
      { kind: 'record_extract', paper: true, signatures: ['attending', 'head_of_department', 'deputy_chief'], seal: true, clinicalDiagnosis: 'Созылмалы жүрек жеткіліксіздігі' },
      { kind: 'test_results', paper: true, items: [{ name: 'ЭхоКГ', date: '2026-11-10' }] },
    ],
  };
}
