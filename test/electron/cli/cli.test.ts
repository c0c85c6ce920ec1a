import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/run';
import { tempDir } from '../../support/temp';
import { ADMIN_ENV } from '../../support/cli';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

/** Runs the CLI in-process and captures what it prints. */
export async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  // Signed in as the test admin (the first command on a new folder sets it up).
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: { ...ADMIN_ENV, ...env } });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, unknown> };
}

describe('htmp command line', () => {
  it('db info --json creates and describes a database in --data-dir', async () => {
    const dir = path.join(tempDir(), 'new');
    const r = await cli(['db', 'info', '--json', '--data-dir', dir]);
    expect(r.code).toBe(0);
    const info = r.json();
    expect(info.path).toBe(path.join(dir, 'htmp.sqlite'));
    expect(info.schemaVersion).toBe(info.latestSchemaVersion);
    expect(fs.existsSync(path.join(dir, 'htmp.sqlite'))).toBe(true);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('db check --json reports integrity', async () => {
    const r = await cli(['db', 'check', '--json', '--data-dir', tempDir()]);
    expect(r.json()).toMatchObject({ ok: true, integrity: ['ok'], foreignKeyViolations: 0, files: { checked: 0, problems: [] }, searchIndex: 'ok' });
  });

  it('a bad flag exits 2 with a JSON error', async () => {
    const r = await cli(['db', 'info', '--bogus', '--json', '--data-dir', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.json()).toMatchObject({ error: { code: 'cli.bad_option', params: { option: '--bogus' } } });
    expect(typeof (r.json().error as { message: string }).message).toBe('string');
  });

  it('unknown commands, bad languages and extra arguments exit 2; messages follow --lang', async () => {
    expect((await cli(['nope', '--json'])).code).toBe(2);
    const lang = await cli(['db', 'info', '--lang', 'en']);
    expect(lang.code).toBe(2);
    const ru = await cli(['db', 'info', 'extra', '--lang', 'ru', '--data-dir', tempDir()]);
    expect(ru.code).toBe(2);
    expect(ru.stderr).toMatch(/Неверное число аргументов/);
    const kk = await cli(['db', 'info', 'extra', '--lang', 'kk', '--data-dir', tempDir()]);
    expect(kk.stderr).toMatch(/Аргументтер саны/);
  });

  it('a failure inside the app exits 1, not 2, even when it comes back through core.call as api.internal', async () => {
    const broken = {
      name: 'broken',
      usage: 'htmp broken',
      summary: 'cli:usage',
      // The database goes away under the command: the handler throws, dispatch answers api.internal.
      run: async (ctx: { core(): { db: { close(): void }; call(m: 'db.info', a: object): Promise<unknown> } }) => {
        const core = ctx.core();
        await core.call('db.info', {}); // signs in (sets the folder up)
        core.db.close();
        return { json: await core.call('db.info', {}) };
      },
    };
    let stdout = '';
    const code = await runCli(['broken', '--json', '--data-dir', tempDir()], { stdout: (s) => (stdout += s), stderr: () => {}, env: { ...ADMIN_ENV } }, [broken as never]);
    expect(JSON.parse(stdout)).toMatchObject({ error: { code: 'api.internal' } });
    expect(code).toBe(1);
  });

  it('--help lists commands; <command> --help shows its usage', async () => {
    const all = await cli(['--help', '--lang', 'ru']);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('htmp db info');
    const one = await cli(['db', 'check', '--help', '--lang', 'ru']);
    expect(one.stdout).toContain('htmp db check');
    expect(one.stdout).toContain('integrity_check');
  });

  it('the real binary runs through npm run -s htmp', () => {
    const dir = tempDir();
    const r = spawnSync('npm', ['run', '-s', 'htmp', '--', 'db', 'info', '--json', '--data-dir', dir], { cwd: root, encoding: 'utf8', env: { ...process.env, ...ADMIN_ENV } });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ path: path.join(dir, 'htmp.sqlite') });
    const bad = spawnSync(process.execPath, [path.join(root, 'bin', 'htmp.cjs'), 'db', 'info', '--nope', '--json', '--data-dir', dir], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { code: 'cli.bad_option' } });
  });
});

describe('htmp calendar', () => {
  it('imports a calendar file, refuses a broken one with exit 2, and resets', async () => {
    const dir = tempDir();
    const shown = await cli(['calendar', 'show', '--json', '--data-dir', dir]);
    expect(shown.code).toBe(0);
    const cal = shown.json().calendar as { years: Record<string, { confirmed: boolean; extraDaysOff: string[] }> };
    cal.years['2027'] = { ...cal.years['2027']!, extraDaysOff: ['2027-06-08'] };
    const file = path.join(dir, 'cal.json');
    fs.writeFileSync(file, JSON.stringify(cal));
    const imported = await cli(['calendar', 'import', file, '--json', '--data-dir', dir]);
    expect(imported.code).toBe(0);
    expect(imported.json().source).toBe('local');
    const due = await cli(['deadline', '--from', '2027-06-07T09:00', '--working-days', '2', '--json', '--data-dir', dir]);
    expect(due.json()).toMatchObject({ due: '2027-06-10' });
    fs.writeFileSync(file, '{"schema":"x"}');
    const bad = await cli(['calendar', 'import', file, '--json', '--data-dir', dir]);
    expect(bad.code).toBe(2);
    expect(bad.json()).toMatchObject({ error: { code: 'calendar.invalid' } });
    expect((await cli(['calendar', 'reset', '--json', '--data-dir', dir])).json().source).toBe('shipped');
  });
});

describe('bad input is a clear exit 2 (issue 12, point 7)', () => {
  const run = async (args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: {} });
    return { code, stdout, stderr };
  };

  it('an endless input (/dev/zero) or a huge file is capped with input.too_large, nothing stored', async () => {
    const dataDir = path.join(tempDir(), 'data');
    for (const args of [
      ['case', 'import', '/dev/zero'],
      ['packet', 'validate', '/dev/zero'],
      ['calendar', 'import', '/dev/zero'],
    ]) {
      const r = await run([...args, '--json', '--data-dir', dataDir]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(JSON.parse(r.stdout).error.code).toBe('input.too_large');
    }
  });

  it('`--` ends the options: what follows is a value even when it starts with a dash', async () => {
    const asValue = await run(['iin', 'check', '--json', '--', '-123']);
    expect(asValue.code).toBe(0);
    expect(JSON.parse(asValue.stdout)).toMatchObject({ valid: false, reason: 'format' });
    // Without `--`, the same word is read as an option this command does not have.
    const asOption = await run(['iin', 'check', '--json', '-123']);
    expect(asOption.code).toBe(2);
    expect(JSON.parse(asOption.stdout).error.code).toBe('cli.bad_option');
  });
});
