import fs from 'node:fs';
import path from 'node:path';

const PACKAGE_NAME = 'htmp-commission-desk';

/**
 * The application root (holding package.json, assets/ and locales/) for development and tests:
 * HTMP_APP_ROOT, else walking up from this module and from the working directory. The packaged
 * app should not rely on this: it passes its own `assetsDir` / `localesDir` to the functions here.
 */
export function findAppRoot(): string {
  const fromEnv = process.env['HTMP_APP_ROOT'];
  if (fromEnv) return path.resolve(fromEnv);
  const starts = [typeof __dirname === 'string' ? __dirname : '', process.cwd()].filter((s) => s !== '');
  for (const start of starts) {
    let dir = path.resolve(start);
    for (;;) {
      const pkg = path.join(dir, 'package.json');
      if (fs.existsSync(pkg)) {
        try {
          if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) return dir;
        } catch {
          // not ours; keep walking
        }
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(`pdf: cannot find the ${PACKAGE_NAME} application root; pass assetsDir/localesDir explicitly`);
}

/** `<app root>/assets` (fonts live in `fonts/` below it). */
export const defaultAssetsDir = (): string => path.join(findAppRoot(), 'assets');
/** `<app root>/locales` (`kk/pdf.json`, `ru/pdf.json`). */
export const defaultLocalesDir = (): string => path.join(findAppRoot(), 'locales');
