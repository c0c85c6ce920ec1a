import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppFailure } from '../../shared/result';
import { createCore } from '../core/core';
import { translateError } from '../core/i18n';
import { appRoot, defaultDataDir } from '../core/paths';
import { privateUmask } from '../core/private-files';
import { startHost } from './server';

// The web host entry: serves the same UI as the desktop app to a browser on this machine.
async function main(): Promise<void> {
  privateUmask();
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      reason: { type: 'string' },
      token: { type: 'string' },
    },
    strict: true,
  });
  const dataDir = values['data-dir'] ?? defaultDataDir();
  const core = createCore({ dataDir, host: 'web' });
  const host = await startHost({
    core,
    rendererDir: path.join(appRoot(), 'dist', 'renderer'),
    port: values.port ? Number(values.port) : 0,
    ...(values.token ? { token: values.token } : {}),
  });
  if (values.reason) console.log(`HTMP Commission Desk: ${values.reason}`);
  console.log(`HTMP Commission Desk web host (this machine only), data in ${dataDir}`);
  console.log(`Open: ${host.openUrl}`);
  const stop = () => {
    void host.close().then(() => {
      core.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  // A refusal (the data folder cannot be opened, ...) in the user's words, in both languages;
  // anything else is a failure of the app (exit 1), with its message only.
  if (err instanceof AppFailure) {
    for (const lang of ['kk', 'ru'] as const) console.error(`htmp: ${translateError(lang, err.toError())}`);
    process.exit(2);
  }
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
