// Builds the renderer (Vite) and the Node bundles (esbuild) into dist/.
// --if-missing: only what is missing or older than its sources (used by `prepare` and `npm start`).
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const lib = require('./build-lib.cjs');

/** Builds what is needed; returns the parts built. */
export async function build({ ifMissing = false } = {}) {
  const built = [];
  if (!ifMissing || lib.electronStale()) {
    lib.buildElectron();
    built.push('electron');
  }
  if (!ifMissing || lib.rendererStale()) {
    const { build: viteBuild } = await import('vite');
    await viteBuild({ configFile: path.join(lib.root, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
    built.push('renderer');
  }
  return built;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const ifMissing = process.argv.includes('--if-missing');
  build({ ifMissing }).then(
    (parts) => console.log(parts.length ? `built: ${parts.join(', ')}` : 'build: up to date'),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
