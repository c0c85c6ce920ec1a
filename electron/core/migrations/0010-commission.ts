import type { Migration } from './types';

/**
 * The commission's names in both languages and its standing members.
 *
 * - Settings (local, per installation): the single `commissionName` / `authorityName` become
 *   `commissionNameKk|Ru` / `authorityNameKk|Ru`. A name entered before could be in either
 *   language; it was typed in the interface language of the time, so it is kept as the name in
 *   the stored `language` (Kazakh when none). The other language starts empty: protocols cannot
 *   be issued until it is filled in, and the issue check says so.
 * - `commission_members`: the standing members (name and position in kk and ru, role, order),
 *   offered at every decision. User data written through the Store (change_log: the audit of who
 *   changed the commission's composition; it travels in sync and backups).
 */
export const m0010Commission: Migration = {
  version: 10,
  name: 'commission',
  up(db) {
    db.exec(`
      CREATE TABLE commission_members (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        seq INTEGER NOT NULL DEFAULT 0,
        role TEXT NOT NULL CHECK (role IN ('chair', 'member', 'secretary')),
        name_kk TEXT NOT NULL,
        name_ru TEXT NOT NULL,
        position_kk TEXT,
        position_ru TEXT
      ) STRICT;
      CREATE INDEX commission_members_seq ON commission_members (seq, id);
    `);
    const get = db.prepare('SELECT value, updated_at FROM settings WHERE key = ?');
    const language = get.get('language') as { value: string } | undefined;
    let lang = 'kk';
    try {
      if (language && JSON.parse(language.value) === 'ru') lang = 'ru';
    } catch {
      /* a damaged value: Kazakh, the default */
    }
    const suffix = lang === 'ru' ? 'Ru' : 'Kk';
    const put = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO NOTHING');
    for (const key of ['commissionName', 'authorityName']) {
      const row = get.get(key) as { value: string; updated_at: string } | undefined;
      if (!row) continue;
      put.run(`${key}${suffix}`, row.value, row.updated_at);
      db.prepare('DELETE FROM settings WHERE key = ?').run(key);
    }
  },
};
