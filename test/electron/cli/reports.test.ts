import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/run';
import { createCore } from '../../../electron/core/core';
import { tempDir, TEST_COMMISSION } from '../../support/temp';
import { completeDraft, makeIin, MEMBERS } from '../core/cases-fixtures';

async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, any> };
}

/** A data folder with a commission and three cases: approved (on the Portal since 20 March), refused, undecided. */
async function dataFolder(): Promise<{ dir: string; data: string; approved: string; undecided: string }> {
  const dir = tempDir();
  const data = path.join(dir, 'data');
  const core = createCore({ dataDir: data, host: 'cli' });
  try {
    await core.call('settings.update', TEST_COMMISSION);
    const save = async (n: number, receivedAt: string) => {
      const { id } = await core.call('cases.save', completeDraft({ receivedAt, iin: makeIin('1980-05-12', 'male', n) }));
      await core.call('cases.register', { id });
      return id;
    };
    const approved = await save(1, '2026-03-17T10:00');
    await core.call('cases.decide', { caseId: approved, outcome: 'approved', reason: null, members: MEMBERS, date: '2026-03-18', issue: true });
    await core.call('cases.portalStatus', { caseId: approved, status: 'exported' });
    await core.call('cases.portalStatus', { caseId: approved, status: 'uploaded', at: '2026-03-20T16:30' });
    const refused = await save(2, '2026-03-17T11:00');
    await core.call('cases.decide', { caseId: refused, outcome: 'refused', reason: 'no_indications', members: MEMBERS, date: '2026-03-19', issue: true });
    const undecided = await save(3, '2026-04-01T09:00');
    return { dir, data, approved, undecided };
  } finally {
    core.close();
  }
}

describe('htmp report annual', () => {
  it('writes the PDF (kk) and prints one JSON document', async () => {
    const { dir, data } = await dataFolder();
    const out = path.join(dir, 'annual.pdf');
    const r = await cli(['report', 'annual', '--year', '2026', '--lang', 'kk', '--out', out, '--json', '--data-dir', data]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const j = r.json();
    expect(j).toMatchObject({ file: out, format: 'pdf', year: 2026, lang: 'kk' });
    expect(j.verification).toBe(`HTMP-ANNUAL|2026|${j.sha256}`);
    expect(j.bytes).toBe(fs.statSync(out).size);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', out, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('2026 жылы ЖТМК көрсету');
  }, 120_000);

  it('writes the XLSX (ru): the numbers of the report', async () => {
    const { dir, data } = await dataFolder();
    const out = path.join(dir, 'annual.XLSX');
    const r = await cli(['report', 'annual', '--year', '2026', '--lang', 'ru', '--out', out, '--json', '--data-dir', data]);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ format: 'xlsx', lang: 'ru' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const rows = wb.getWorksheet('По кодам')!;
    const total = (rows.getRow(rows.rowCount).values as unknown[]).slice(1);
    // referrals 3, approvals 1, refusals 1 / 0 / 0, total refusals 1.
    expect(total.slice(0, 9)).toEqual(['Итого', '', '', 3, 1, 1, 0, 0, 1]);
  }, 120_000);

  it('bad input exits 2 with a translated error and writes nothing', async () => {
    const { dir, data } = await dataFolder();
    const cases: [string[], string][] = [
      [['--year', '26', '--out', path.join(dir, 'a.pdf')], 'reports.bad_year'],
      [['--year', '2026', '--out', path.join(dir, 'a.docx')], 'reports.bad_output'],
      [['--year', '2026'], 'cli.bad_option'],
      [['--year', '2026', '--out', path.join(dir, 'no-such-folder', 'a.pdf')], 'pdf.write_failed'],
      [['--year', '2026', '--lang', 'both', '--out', path.join(dir, 'a.pdf')], 'cli.bad_lang'],
    ];
    for (const [args, code] of cases) {
      const r = await cli(['report', 'annual', ...args, '--json', '--data-dir', data]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.json().error.code).toBe(code);
      expect(r.json().error.message).not.toContain('errors.');
    }
    expect(fs.readdirSync(dir).filter((f) => f !== 'data')).toEqual([]);
    const human = await cli(['report', 'annual', '--year', '1', '--out', 'x.pdf', '--data-dir', data, '--lang', 'ru']);
    expect(human.stderr).toContain('Неверный год');
  });
});

describe('htmp report dashboard', () => {
  it('prints the numbers behind each chart', async () => {
    const { data } = await dataFolder();
    const r = await cli(['report', 'dashboard', '--from', '2026-01-01', '--to', '2026-06-30', '--today', '2026-04-10', '--json', '--data-dir', data]);
    expect(r.code).toBe(0);
    const d = r.json();
    expect(Object.keys(d).sort()).toEqual(['byProvider', 'bySectionFunding', 'followUp', 'overdueNow', 'perMonth', 'period', 'refusalsByGround', 'reviewTime', 'today', 'totals']);
    expect(d.totals).toEqual({ received: 3, approved: 1, refused: 1, undecided: 1 });
    expect(d.perMonth).toHaveLength(6);
    // Point 38 (due 27 March) and the review of the April case (due 3 April) are overdue on 10 April.
    expect(d.overdueNow).toEqual({ review: 1, hospitalization_date: 1, inform: 0, follow_up: 0 });
    const human = await cli(['report', 'dashboard', '--from', '2026-01-01', '--to', '2026-06-30', '--data-dir', data, '--lang', 'ru']);
    expect(human.stdout).toContain('Поступило 3');
    const bad = await cli(['report', 'dashboard', '--from', '2026-07-01', '--to', '2026-01-01', '--json', '--data-dir', data]);
    expect([bad.code, bad.json().error.code]).toEqual([2, 'reports.bad_period']);
    const missing = await cli(['report', 'dashboard', '--from', '2026-07-01', '--json', '--data-dir', data]);
    expect([missing.code, missing.json().error.code]).toEqual([2, 'cli.bad_option']);
  });
});

describe('htmp case overdue', () => {
  it('prints every overdue step of every case', async () => {
    const { data, approved, undecided } = await dataFolder();
    const r = await cli(['case', 'overdue', '--today', '2026-04-10', '--json', '--data-dir', data]);
    expect(r.code).toBe(0);
    const j = r.json();
    expect(j.today).toBe('2026-04-10');
    expect(j.total).toBe(2);
    expect(j.items.map((x: any) => [x.caseId, x.step, x.point, x.due, x.daysOverdue])).toEqual([
      [approved, 'hospitalization_date', 38, '2026-03-27', 14],
      [undecided, 'review', 35, '2026-04-03', 7],
    ]);
    const one = await cli(['case', 'overdue', '--today', '2026-04-10', '--step', 'review', '--json', '--data-dir', data]);
    expect(one.json().items.map((x: any) => x.caseId)).toEqual([undecided]);
    const human = await cli(['case', 'overdue', '--today', '2026-04-10', '--data-dir', data, '--lang', 'ru']);
    expect(human.stdout).toContain('На 10.04.2026 просрочено 2 этапа');
    expect(human.stdout).toContain('Назначение даты госпитализации');
    const none = await cli(['case', 'overdue', '--today', '2026-03-01', '--data-dir', data, '--lang', 'kk']);
    expect(none.stdout).toContain('мерзімі өткен кезең жоқ');
    const bad = await cli(['case', 'overdue', '--step', 'portal', '--json', '--data-dir', data]);
    expect([bad.code, bad.json().error.code]).toEqual([2, 'aftercare.bad_step']);
  });
});
