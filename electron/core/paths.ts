import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PACKAGE_NAME = 'htmp-commission-desk';
/** The folder name Electron derives from `productName`; the CLI uses the same so both share data. */
export const PRODUCT_NAME = 'HTMP Commission Desk';

let cachedRoot: string | undefined;

/**
 * The application root (the folder holding package.json, assets/ and locales/): found by
 * walking up from this module, so it works from sources (tests), from dist/ bundles and from
 * inside the packaged app.asar alike.
 */
export function appRoot(): string {
  if (cachedRoot) return cachedRoot;
  const fromEnv = process.env.HTMP_APP_ROOT;
  if (fromEnv) return (cachedRoot = path.resolve(fromEnv));
  const starts = [typeof __dirname === 'string' ? __dirname : '', process.cwd()].filter(Boolean);
  for (const start of starts) {
    let dir = path.resolve(start);
    for (;;) {
      const pkg = path.join(dir, 'package.json');
      if (fs.existsSync(pkg)) {
        try {
          if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === PACKAGE_NAME) {
            return (cachedRoot = dir);
          }
        } catch {
          /* not ours; keep walking */
        }
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(`Cannot find the ${PACKAGE_NAME} application root`);
}

export const assetsDir = (): string => path.join(appRoot(), 'assets');
export const localesDir = (): string => path.join(appRoot(), 'locales');

/** The platform's per-user application data folder, as Electron's `app.getPath('appData')`. */
export function platformAppData(): string {
  if (process.platform === 'win32') return process.env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support');
  return process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config');
}

/** The data folder shared by the desktop app, the web host and the CLI (HTMP_DATA_DIR overrides). */
export function defaultDataDir(): string {
  return process.env.HTMP_DATA_DIR ? path.resolve(process.env.HTMP_DATA_DIR) : path.join(platformAppData(), PRODUCT_NAME);
}

/** The application version from package.json. */
export function appVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(appRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
