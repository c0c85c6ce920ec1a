import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../electron/cli/run';
import { tempCore, tempDir } from '../../../support/temp';
import { completeDraft } from '../cases-fixtures';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: {} });
  return { code, stdout, stderr };
}

/** Issue 12, point 10: checked at the one door, for every method and every host. */
describe('text entering the core', () => {
  it('a name or a setting with a bidi override or NUL is refused with input.control_chars, nothing stored', async () => {
    const core = tempCore();
    await expect(core.call('cases.save', { patient: { lastName: 'Иванов\u202Efdp.exe', firstName: 'Иван' } })).rejects.toMatchObject({
      code: 'input.control_chars',
      params: { field: 'patient.lastName', char: 'U+202E' },
    });
    await expect(core.call('settings.update', { commissionName: 'Комиссия\u0000' })).rejects.toMatchObject({ code: 'input.control_chars', params: { field: 'commissionName' } });
    expect((core.db.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n).toBe(0);
    expect((core.db.prepare('SELECT count(*) AS n FROM change_log').get() as { n: number }).n).toBe(0);
  });

  it('the CLI refuses the same (exit 2) and a case file carrying them stores nothing', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const set = await cli(['settings', 'set', '--commission-name', 'A\u202EB', '--json', '--data-dir', dataDir]);
    expect(set.code).toBe(2);
    expect(JSON.parse(set.stdout).error.code).toBe('input.control_chars');
    const d = completeDraft();
    const dir = tempDir();
    const file = path.join(dir, 'case.json');
    fs.writeFileSync(file, JSON.stringify({ receivedAt: d.receivedAt, patient: { iin: d.patient.iin, lastName: '\u001b[2JИванов', firstName: 'Иван' }, htmpCode: d.htmpCode, urgency: 'planned', diagnosis: d.diagnosis, documents: [] }));
    const imp = await cli(['case', 'import', file, '--json', '--data-dir', dataDir]);
    expect(imp.code).toBe(2);
    expect(JSON.parse(imp.stdout).error).toMatchObject({ code: 'input.control_chars', params: { field: 'case.patient.lastName', char: 'U+001B' } });
    expect(JSON.parse((await cli(['case', 'list', '--json', '--data-dir', dataDir])).stdout).cases).toEqual([]);
  });

  it('text typed with combining marks is stored in NFC and found by the composed query', async () => {
    const core = tempCore();
    const saved = await core.call('cases.save', { patient: { lastName: 'Сейи\u0306тов', firstName: 'Ерла\u0306н' } });
    expect(saved.detail.patient.lastName).toBe('Сеййтов');
    for (const query of ['Сеййтов', 'Сейи\u0306тов']) {
      const list = await core.call('cases.list', { query });
      expect(list.items.map((i) => i.id), query).toEqual([saved.id]);
    }
  });
});

describe('text leaving through the CLI', () => {
  it('whatever a command prints (a sender name from a bundle, a patient name) cannot drive the terminal', async () => {
    const evil = 'Ноутбук\u001b]0;pwned\u0007 \u202Efdp.exe';
    const commands = [{ name: 'show name', usage: 'htmp show name', summary: 'cli:usage', run: () => ({ json: { name: evil }, human: `peer: ${evil}` }) }];
    let out = '';
    const io = { stdout: (s: string) => (out += s), stderr: () => undefined, env: {} };
    expect(await runCli(['show', 'name'], io, commands)).toBe(0);
    expect(out).toBe('peer: Ноутбук\\u{1B}]0;pwned\\u{7} \\u{202E}fdp.exe\n');
    out = '';
    expect(await runCli(['show', 'name', '--json'], io, commands)).toBe(0);
    expect(out).not.toMatch(/[\u001b\u0007\u202e]/);
    expect(JSON.parse(out)).toEqual({ name: evil });
  });
});
