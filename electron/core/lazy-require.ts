import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * `require` for packages loaded on first use (ECharts, exceljs, fontkit take a second or more to
 * load on a busy laptop, so they are not loaded at start). A CommonJS `require` rather than
 * `import()`: esbuild keeps a dynamic `import()` of an external package as is in the CommonJS
 * bundles, and Node then resolves it as ESM, which a packaged app (asar) must not depend on.
 * Relative to this module in the bundles, to the working folder (the repository) under vitest.
 */
export function lazyRequire<T>(id: string): T {
  const from = typeof __filename === 'string' && __filename !== '' ? __filename : path.join(process.cwd(), 'index.js');
  const mod = createRequire(from)(id) as T & { default?: T };
  return (mod.default ?? mod) as T;
}
