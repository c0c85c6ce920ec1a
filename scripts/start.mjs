// `npm start`: builds what is missing, then launches Electron when its binary is present and a
// display is available; otherwise (or with `npm start -- --web`) serves the same UI from the
// local web host and says why.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { build } from './build.mjs';

const require = createRequire(import.meta.url);
const lib = require('./build-lib.cjs');
const args = process.argv.slice(2);
const forceWeb = args.includes('--web');
const passThrough = args.filter((a) => a !== '--web');

await build({ ifMissing: true });

let reason = forceWeb ? 'web host requested with --web' : '';
let electron;
if (!forceWeb) {
  electron = lib.electronBinary();
  if (!electron.path) reason = `Electron is not available: ${electron.reason}`;
  else if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) reason = 'Electron is installed but there is no display (DISPLAY is not set)';
}

const child = reason
  ? spawn(process.execPath, [lib.bundleFile('host'), '--reason', `${reason}; serving the same UI from the local web host.`, ...passThrough], { stdio: 'inherit' })
  : spawn(electron.path, [lib.root, ...passThrough], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
