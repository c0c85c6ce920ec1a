import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/run';
import { ADMIN_ENV } from '../../support/cli';
import { adminCore, tempDir } from '../../support/temp';
import { devicesFor, ISSUER, makeBin, ORG_A, receivedApplication, SURGEON, xlsxBase64 } from '../core/orgs.fixture';

async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: { ...ADMIN_ENV, ...env } });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, any> };
}

const CSV = [
  'bin,name_kk,name_ru,region,level,address,phone',
  `${makeBin(1)},«Ұлттық ғылыми кардиохирургия орталығы» АҚ,АО «Национальный научный кардиохирургический центр»,astana,republican,"Астана қ., Тұран д-лы, 38",+7 7172 70 30 30`,
  `${makeBin(2)},Қарағанды облыстық ауруханасы,Карагандинская областная больница,karaganda,regional,,`,
].join('\n');

describe('htmp org import / list / export', () => {
  it('imports a CSV (one JSON document), lists the registry, refuses a file with wrong rows naming every one (exit 2, nothing imported)', async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    const file = path.join(dir, 'orgs.csv');
    fs.writeFileSync(file, CSV);
    // A folder set up already (the first command on a new one also prints its recovery key).
    (await adminCore(data)).close();
    const r = await cli(['org', 'import', file, '--json', '--data-dir', data]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.json()).toEqual({ file, dryRun: false, rows: 2, created: 2, updated: 0, unchanged: 0 });

    const list = await cli(['org', 'list', '--json', '--data-dir', data]);
    expect(list.json().total).toBe(2);
    expect(Object.keys(list.json().items[0]).sort()).toEqual(['address', 'bin', 'id', 'level', 'nameKk', 'nameRu', 'phone', 'region']);

    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, `${CSV}\n123,X,Y,astana,city,,\n${makeBin(3)},X,Y,mars,city,,`);
    const refused = await cli(['org', 'import', bad, '--json', '--lang', 'ru', '--data-dir', data]);
    expect(refused.code).toBe(2);
    const e = refused.json().error;
    expect(e.code).toBe('orgs.import_invalid');
    expect(e.params.count).toBe(2);
    expect(e.message).toContain('строка 4, bin: БИН состоит из 12 цифр.');
    expect(e.message).toContain('строка 5, region: Такого региона нет.');
    expect(JSON.parse(e.params.errors)).toEqual([
      { row: 4, column: 'bin', code: 'bin_format', value: '123' },
      { row: 5, column: 'region', code: 'unknown_region', value: 'mars' },
    ]);
    expect((await cli(['org', 'list', '--json', '--data-dir', data])).json().total).toBe(2);
    // Human output in Kazakh goes to stderr, without a stack trace.
    const human = await cli(['org', 'import', bad, '--data-dir', data]);
    expect(human.code).toBe(2);
    expect(human.stderr).toContain('4-жол, bin: БСН 12 цифрдан тұрады.');
    expect(human.stderr).not.toMatch(/at .*\.ts/);

    const missing = await cli(['org', 'import', path.join(dir, 'nope.csv'), '--json', '--data-dir', data]);
    expect(missing.code).toBe(2);
    expect(missing.json().error.code).toBe('cli.file_unreadable');
  });

  it('imports an XLSX; exports CSV and XLSX', async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    const file = path.join(dir, 'orgs.xlsx');
    fs.writeFileSync(file, Buffer.from(await xlsxBase64([['bin', 'name_kk', 'name_ru', 'region', 'level'], [makeBin(4), 'А', 'Б', 'shymkent', 'city']]), 'base64'));
    expect((await cli(['org', 'import', file, '--json', '--data-dir', data])).json()).toMatchObject({ created: 1 });
    for (const format of ['csv', 'xlsx']) {
      const out = path.join(dir, `export.${format}`);
      const r = await cli(['org', 'export', '--format', format, '--out', out, '--json', '--data-dir', data]);
      expect(r.json()).toEqual({ file: out, format, count: 1 });
      expect(fs.statSync(out).size).toBeGreaterThan(50);
    }
    expect((await cli(['org', 'export', '--format', 'pdf', '--out', path.join(dir, 'x'), '--json', '--data-dir', data])).code).toBe(2);
  });

  it('org list --code C --on DATE lists the eligible organizations; one without the other is refused', async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    const core = await adminCore(data);
    try {
      await core.call('orgs.updateSettings', ISSUER);
      const { applicationId } = await receivedApplication(core, ORG_A, '35.11');
      await core.call('conformity.issue', { applicationId, date: '2026-10-05', signer: { name: 'Омаров Д.', position: 'Басшы' } });
    } finally {
      core.close();
    }
    const r = await cli(['org', 'list', '--code', '35.11', '--on', '2027-03-01', '--json', '--data-dir', data]);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ code: '35.11', on: '2027-03-01', items: [{ bin: ORG_A.bin, conclusion: { number: '1/2026', validFrom: '2027-01-01', validTo: '2027-12-31' }, openUpdates: 0 }] });
    expect((await cli(['org', 'list', '--code', '35.11', '--on', '2026-03-01', '--json', '--data-dir', data])).json().items).toEqual([]);
    const half = await cli(['org', 'list', '--code', '35.11', '--json', '--data-dir', data]);
    expect(half.code).toBe(2);
    expect(half.json().error.code).toBe('orgs.code_and_date');
    const badDate = await cli(['org', 'list', '--code', '35.11', '--on', '01.03.2027', '--json', '--data-dir', data]);
    expect(badDate.code).toBe(2);
    expect(badDate.json().error.code).toBe('api.invalid_argument');

    // conformity list --year and render ID
    const list = await cli(['conformity', 'list', '--year', '2027', '--json', '--data-dir', data]);
    expect(list.json()).toMatchObject({ year: 2027, items: [{ number: '1/2026', code: '35.11', overallConform: true, superseded: false }] });
    const id = list.json().items[0].id as string;
    const out = path.join(dir, 'conclusion.pdf');
    const rendered = await cli(['conformity', 'render', id, '--lang', 'ru', '--out', out, '--json', '--data-dir', data]);
    expect(rendered.code).toBe(0);
    expect(Object.keys(rendered.json()).sort()).toEqual(['file', 'number', 'pages', 'sha256']);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', out, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Заключение о соответствии/несоответствии');
    expect(text).toContain(`HTMP-CONCLUSION|1/2026|${rendered.json().sha256}`);
    // Bad options leave no file.
    const none = path.join(dir, 'none.pdf');
    expect((await cli(['conformity', 'render', id, '--lang', 'en', '--out', none, '--json', '--data-dir', data])).code).toBe(2);
    expect((await cli(['conformity', 'render', '00000000-0000-4000-8000-000000000000', '--lang', 'kk', '--out', none, '--json', '--data-dir', data])).json().error.code).toBe('conformity.conclusion_not_found');
    expect(fs.existsSync(none)).toBe(false);
    expect((await cli(['conformity', 'list', '--year', 'next', '--json', '--data-dir', data])).code).toBe(2);
  });
});

describe('htmp conformity assess FILE.json', () => {
  it('lists each requirement with status met|not_met|manual and why, stores nothing', async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    const core = await adminCore(data);
    let devices;
    try {
      devices = await devicesFor(core, '35.11');
    } finally {
      core.close();
    }
    const file = path.join(dir, 'app.json');
    fs.writeFileSync(file, JSON.stringify({ bin: ORG_A.bin, year: 2027, code: '35.11', staff: [{ ...SURGEON, operationsPerYear: 30 }], devices: devices.map(({ name, model, serial, inService }) => ({ name, model, serial, inService })) }));
    const r = await cli(['conformity', 'assess', file, '--on', '2026-10-01', '--json', '--lang', 'ru', '--data-dir', data]);
    expect(r.code).toBe(0);
    const j = r.json();
    expect(j).toMatchObject({ bin: ORG_A.bin, binValid: true, year: 2027, code: '35.11', on: '2026-10-01', characteristics: true, staff: 'not_met', devices: 'met', overall: 'not_met' });
    expect(j.requirements[0]).toMatchObject({ id: 's1', part: 'staff', kind: 'staff', status: 'not_met', why: 'Сейітов Әлібек: 30 операций в год, нужно не менее 50.' });
    expect(new Set(j.requirements.map((q: { status: string }) => q.status))).toEqual(new Set(['not_met', 'met']));
    for (const q of j.requirements) expect(['met', 'not_met', 'manual']).toContain(q.status);

    fs.writeFileSync(file, JSON.stringify({ bin: ORG_A.bin, year: 2027, code: '35.11', staff: [{ name: 'x' }], devices: [] }));
    const bad = await cli(['conformity', 'assess', file, '--json', '--data-dir', data]);
    expect(bad.code).toBe(2);
    expect(bad.json().error).toMatchObject({ code: 'api.invalid_argument', params: { field: 'file.staff.0.specialty' } });
    fs.writeFileSync(file, '{ not json');
    expect((await cli(['conformity', 'assess', file, '--json', '--data-dir', data])).json().error.code).toBe('cli.file_not_json');
  });
});
