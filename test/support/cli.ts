import { runCli } from '../../electron/cli/run';
import { TEST_ADMIN } from './temp';

/** The sign-in of CLI tests: the first command on a new folder sets it up with this admin. */
export const ADMIN_ENV = { HTMP_USER: TEST_ADMIN.login, HTMP_PASSPHRASE: TEST_ADMIN.passphrase, HTMP_USER_NAME: TEST_ADMIN.displayName };

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json(): Record<string, unknown>;
}

/** Runs the CLI in-process as the test admin (HTMP_USER / HTMP_PASSPHRASE) and captures what it prints. */
export async function cliAs(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  return cliRaw(args, { ...ADMIN_ENV, ...env });
}

/** Runs the CLI in-process with exactly this environment (no user unless given). */
export async function cliRaw(args: string[], env: Record<string, string | undefined> = {}, promptSecret?: (q: string) => Promise<string>): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env, ...(promptSecret ? { promptSecret } : {}) });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, unknown> };
}
