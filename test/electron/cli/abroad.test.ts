import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/run';
import { ADMIN_ENV } from '../../support/cli';
import { tempDir, TEST_COMMISSION } from '../../support/temp';
import { makeIin } from '../core/cases-fixtures';

async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: { ...ADMIN_ENV, ...env } });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, any> };
}

const pdfText = (file: string): string => execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');

/** The FILE.json shape. */
const request = (over: Record<string, unknown> = {}) => ({
  patient: { iin: makeIin('2016-09-14', 'male'), lastName: 'Омаров', firstName: 'Данияр', birthDate: '2016-09-14', sex: 'male' },
  category: 'child',
  diseaseGroup: 'larynx_stenosis',
  startedOn: '2026-03-02',
  confirmations: { indications: true },
  ...over,
});

function file(dir: string, name: string, value: unknown): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, JSON.stringify(value));
  return f;
}

describe('htmp abroad', () => {
  it('routes --json: each route with its steps and their workingDays', async () => {
    const dir = tempDir();
    const r = await cli(['abroad', 'routes', '--json', '--data-dir', dir]);
    expect(r.code).toBe(0);
    const j = r.json();
    expect(j.inForce).toEqual({ id: 'current', version: 1, totalWorkingDays: 44 });
    const byId = Object.fromEntries((j.routes as { id: string; steps: { workingDays: number }[]; totalWorkingDays: number }[]).map((x) => [x.id, x]));
    expect(byId.current!.steps.map((s) => s.workingDays)).toEqual([1, 3, 4, 3, 1, 15, 2, 5, 10]);
    expect(byId.proposed!.steps.map((s) => s.workingDays)).toEqual([1, 3, 2, 15, 1, 5, 10]);
    expect(byId.proposed!.totalWorkingDays).toBe(37);
    const human = await cli(['abroad', 'routes', '--data-dir', dir, '--lang', 'ru']);
    expect(human.stdout).toContain('current v1 (current): 9 шагов, до 44 рабочих дней');
  });

  it('request import: creates a request that qualifies; a request that does not exits 2 with the reason and stores nothing', async () => {
    const dir = tempDir();
    const ok = await cli(['abroad', 'request', 'import', file(dir, 'ok.json', request()), '--json', '--data-dir', dir]);
    expect(ok.code).toBe(0);
    expect(ok.json()).toMatchObject({ number: '1/2026', currentStep: 1, due: '2026-03-03', routeDue: '2026-05-12', route: { id: 'current', version: 1, totalWorkingDays: 44 } });

    const adult = await cli(['abroad', 'request', 'import', file(dir, 'adult.json', request({ patient: { iin: makeIin('1990-01-01', 'male'), lastName: 'А', firstName: 'Б' } })), '--json', '--lang', 'ru', '--data-dir', dir]);
    expect(adult.code).toBe(2);
    expect(adult.json().error.code).toBe('abroad.ineligible_age');
    expect(adult.json().error.message).toMatch(/возраст пациента на дату начала \(полных лет\) — 36/);

    const marrow = await cli(['abroad', 'request', 'import', file(dir, 'bm.json', request({ diseaseGroup: 'transplantation', transplantKind: 'bone_marrow_autologous' })), '--json', '--data-dir', dir]);
    expect(marrow.code).toBe(2);
    expect(marrow.json().error).toMatchObject({ code: 'abroad.ineligible_transplant', message: expect.stringMatching(/аутологиялық/) });

    const group = await cli(['abroad', 'request', 'import', file(dir, 'g.json', request({ diseaseGroup: 'hip_replacement' })), '--lang', 'ru', '--data-dir', dir]);
    expect(group.code).toBe(2);
    expect(group.stderr).toMatch(/hip_replacement.*не входит в перечень/);

    const broken = await cli(['abroad', 'request', 'import', file(dir, 'b.json', { patient: 'x' }), '--json', '--data-dir', dir]);
    expect(broken.code).toBe(2);
    expect(broken.json().error.code).toBe('api.invalid_argument');

    const list = await cli(['abroad', 'list', '--json', '--data-dir', dir]);
    expect(list.json().items).toHaveLength(1);
  });

  it('advance, list --late and render --doc petition in kk and ru', async () => {
    const dir = tempDir();
    const id = (await cli(['abroad', 'request', 'import', file(dir, 'r.json', request()), '--json', '--data-dir', dir])).json().id as string;
    const late = await cli(['abroad', 'list', '--late', '--json', '--data-dir', dir]);
    expect(late.json().items.map((i: { id: string }) => i.id)).toEqual([id]);

    const adv = await cli(['abroad', 'advance', id, '--step', '1', '--date', '2026-03-04', '--json', '--data-dir', dir]);
    expect(adv.code).toBe(0);
    expect(adv.json()).toMatchObject({ currentStep: 2, due: '2026-03-10' });
    expect(adv.json().steps[0]).toMatchObject({ state: 'done', late: true, lateDays: 1 });
    const wrong = await cli(['abroad', 'advance', '1/2026', '--step', '5', '--date', '2026-03-05', '--json', '--data-dir', dir]);
    expect(wrong.code).toBe(2);
    expect(wrong.json().error.code).toBe('abroad.step_not_current');
    const badStep = await cli(['abroad', 'advance', id, '--step', 'two', '--date', '2026-03-05', '--json', '--data-dir', dir]);
    expect(badStep.code).toBe(2);

    // The petition is printed on the health authority's letterhead: set it first.
    const noAuthority = await cli(['abroad', 'render', id, '--doc', 'petition', '--lang', 'ru', '--out', path.join(dir, 'x.pdf'), '--json', '--data-dir', dir]);
    expect(noAuthority.code).toBe(2);
    expect(noAuthority.json().error.code).toBe('abroad.authority_missing');
    expect(fs.existsSync(path.join(dir, 'x.pdf'))).toBe(false);
    // The letterhead needs both languages: a Russian name alone is not enough.
    expect((await cli(['settings', 'set', '--authority-name-ru', TEST_COMMISSION.authorityNameRu, '--commission-name-ru', TEST_COMMISSION.commissionNameRu, '--data-dir', dir])).code).toBe(0);
    expect((await cli(['abroad', 'render', id, '--doc', 'petition', '--lang', 'ru', '--out', path.join(dir, 'x.pdf'), '--json', '--data-dir', dir])).json().error.code).toBe('abroad.authority_missing');
    expect((await cli(['settings', 'set', '--authority-name-kk', TEST_COMMISSION.authorityNameKk, '--commission-name-kk', TEST_COMMISSION.commissionNameKk, '--data-dir', dir])).code).toBe(0);

    for (const lang of ['kk', 'ru']) {
      const out = path.join(dir, `petition-${lang}.pdf`);
      const r = await cli(['abroad', 'render', '1/2026', '--doc', 'petition', '--lang', lang, '--out', out, '--json', '--data-dir', dir]);
      expect(r.code).toBe(0);
      expect(r.json()).toMatchObject({ file: out, number: '1/2026-2', pages: 1 });
      const text = pdfText(out);
      expect(text).toContain(lang === 'kk' ? 'ӨТІНІШХАТ' : 'ХОДАТАЙСТВО');
      // The letterhead in the letter's language only.
      const own = lang === 'kk' ? [TEST_COMMISSION.authorityNameKk.toLocaleUpperCase('kk'), TEST_COMMISSION.commissionNameKk] : [TEST_COMMISSION.authorityNameRu.toLocaleUpperCase('ru'), TEST_COMMISSION.commissionNameRu];
      const other = lang === 'kk' ? [TEST_COMMISSION.authorityNameRu.toLocaleUpperCase('ru'), TEST_COMMISSION.commissionNameRu] : [TEST_COMMISSION.authorityNameKk.toLocaleUpperCase('kk'), TEST_COMMISSION.commissionNameKk];
      for (const s of own) expect(text).toContain(s);
      for (const s of other) expect(text).not.toContain(s);
      expect(text).toContain(r.json().verification.slice(0, 30));
      const verify = await cli(['abroad', 'verify', '--number', '1/2026-2', '--sha256', r.json().sha256, '--json', '--data-dir', dir]);
      expect(verify.json()).toEqual({ matches: true, known: true });
    }
    const badLang = await cli(['abroad', 'render', id, '--doc', 'petition', '--lang', 'en', '--out', path.join(dir, 'y.pdf'), '--json', '--data-dir', dir]);
    expect(badLang.code).toBe(2);
    const noStep = await cli(['abroad', 'render', id, '--doc', 'cover-letter', '--lang', 'ru', '--out', path.join(dir, 'y.pdf'), '--json', '--data-dir', dir]);
    expect(noStep.json().error.code).toBe('abroad.missing_option');
  });

  it('summary --year as PDF and XLSX', async () => {
    const dir = tempDir();
    await cli(['abroad', 'request', 'import', file(dir, 'r.json', request()), '--data-dir', dir]);
    const pdf = await cli(['abroad', 'summary', '--year', '2026', '--out', path.join(dir, 's.pdf'), '--json', '--lang', 'ru', '--data-dir', dir]);
    expect(pdf.code).toBe(0);
    expect(pdfText(path.join(dir, 's.pdf'))).toContain('сводка за 2026 год');
    const xlsx = await cli(['abroad', 'summary', '--year', '2026', '--out', path.join(dir, 's.xlsx'), '--json', '--data-dir', dir]);
    expect(xlsx.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 's.xlsx')).subarray(0, 2).toString()).toBe('PK');
    const bad = await cli(['abroad', 'summary', '--year', '2026', '--out', path.join(dir, 's.doc'), '--json', '--data-dir', dir]);
    expect(bad.json().error.code).toBe('abroad.bad_format');
  });
});
