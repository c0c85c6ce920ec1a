import { privateUmask } from '../core/private-files';
import { runCli } from './run';

privateUmask();

// The CLI entry: `htmp <command> [options]`, bundled to dist/electron/cli.cjs.

// A reader that stops early (`htmp case list | head`) closes the pipe: stop quietly, as `ls` does.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
  flushed: () => (process.stdout.writableNeedDrain ? new Promise<void>((resolve) => process.stdout.once('drain', () => resolve())) : Promise.resolve()),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
