import { privateUmask } from '../core/private-files';
import { runCli } from './run';

privateUmask();

// The CLI entry: `htmp <command> [options]`, bundled to dist/electron/cli.cjs.
runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
