import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';

const made: string[] = [];
const cores: Core[] = [];

/** A fresh temporary folder, removed after the test. */
export function tempDir(prefix = 'htmp-test-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

/** The commission a test installation is set up for (printed on protocols). */
export const TEST_COMMISSION = {
  commissionNameKk: 'Қарағанды облысының ЖТМК жөніндегі комиссиясы',
  commissionNameRu: 'Комиссия по ВТМП Карагандинской области',
  authorityNameKk: 'Қарағанды облысының денсаулық сақтау басқармасы',
  authorityNameRu: 'Управление здравоохранения Карагандинской области',
};

/**
 * A core on a fresh temporary data folder, closed after the test. Like a set-up installation it
 * knows its commission (protocols cannot be issued without it); `{ commission: false }` for a
 * brand-new one.
 */
export function tempCore(options: { commission?: boolean } = {}): Core {
  const core = createCore({ dataDir: tempDir(), host: 'cli' });
  if (options.commission !== false) {
    const put = core.db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)');
    for (const [k, v] of Object.entries(TEST_COMMISSION)) put.run(k, JSON.stringify(v), new Date().toISOString());
  }
  cores.push(core);
  return core;
}

afterEach(() => {
  for (const c of cores.splice(0)) c.close();
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
