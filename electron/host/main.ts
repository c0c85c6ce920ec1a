import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppFailure } from '../../shared/result';
import { createCore } from '../core/core';
import { translateError } from '../core/i18n';
import { appRoot, defaultDataDir } from '../core/paths';
import { privateUmask } from '../core/private-files';
import { DEFAULT_PORT, defaultPorts, startHost } from './server';
import { newToken, readHostState, writeHostState } from './state';

// The web host entry: serves the same UI as the desktop app to a browser on this machine.
async function main(): Promise<void> {
  privateUmask();
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      reason: { type: 'string' },
      token: { type: 'string' },
      'new-token': { type: 'boolean' },
    },
    strict: true,
  });
  const dataDir = values['data-dir'] ?? defaultDataDir();
  const core = createCore({ dataDir, host: 'web' });
  // The address survives a restart: the same port (the one used last time, else the default,
  // --port or HTMP_PORT to choose another; the next free one when it is taken) and the same token.
  const kept = readHostState(dataDir);
  const asked = values.port ?? process.env.HTMP_PORT;
  const askedPort = asked !== undefined && /^\d{1,5}$/.test(asked) && Number(asked) < 65536 ? Number(asked) : null;
  if (asked !== undefined && askedPort === null) throw new Error(`--port: not a port number: ${asked}`);
  const ports = askedPort === null ? defaultPorts(kept?.port) : askedPort === 0 ? [0] : [askedPort, ...defaultPorts().filter((p) => p !== askedPort)];
  const token = values.token ?? (values['new-token'] ? null : kept?.token) ?? newToken();
  const host = await startHost({ core, rendererDir: path.join(appRoot(), 'dist', 'renderer'), ports, token });
  if (!values.token) {
    try {
      writeHostState(dataDir, { token, port: askedPort === 0 ? (kept?.port ?? null) : host.port });
    } catch {
      /* a read-only folder: the address is new next time */
    }
  }
  if (values.reason) console.log(`HTMP Commission Desk: ${values.reason}`);
  console.log(`HTMP Commission Desk web host (this machine only), data in ${dataDir}`);
  if (host.fellBack) console.log(`Port ${ports[0] ?? DEFAULT_PORT} is taken by another program: using ${host.port} instead.`);
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
