import { AppFailure } from '../../shared/result';

/**
 * What went wrong with the data folder or its database, as a translated refusal instead of a
 * stack trace (issue 12, point 7). Each cause has its own code, so the user (and a script) can
 * tell a full disk from a folder another program holds locked:
 *
 * - `db.not_a_folder`: the data folder path names a file (or a path through a file);
 * - `db.read_only`: the folder or the database file cannot be written (permissions, a
 *   read-only medium such as a write-protected USB stick);
 * - `db.disk_full`: no space left for the database or its journal;
 * - `db.not_sqlite`: `htmp.sqlite` is not a database this app can read (another file under that
 *   name, or damage to its header);
 * - `db.corrupt`: the database is damaged inside;
 * - `db.locked`: another program holds the database locked longer than the busy timeout.
 *
 * Returns null for anything else (a real bug stays `api.internal`, logged locally).
 */
export function dbFailure(err: unknown, dataDir?: string): AppFailure | null {
  if (err instanceof AppFailure) return err;
  if (!err || typeof err !== 'object') return null;
  const code = String((err as { code?: unknown }).code ?? '');
  const params = dataDir ? { dataDir } : undefined;
  switch (true) {
    case code === 'ENOTDIR' || code === 'EEXIST_FILE':
      return new AppFailure('db.not_a_folder', params);
    case code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN':
      return new AppFailure('db.read_only', params);
    case code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL':
      return new AppFailure('db.disk_full', params);
    case code === 'SQLITE_NOTADB':
      return new AppFailure('db.not_sqlite', params);
    case code.startsWith('SQLITE_CORRUPT'):
      return new AppFailure('db.corrupt', params);
    case code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'):
      return new AppFailure('db.locked', params);
    default:
      return null;
  }
}

/** The database failure codes (each has `errors.<code>` in kk and ru). */
export const DB_FAILURE_CODES = ['db.not_a_folder', 'db.read_only', 'db.disk_full', 'db.not_sqlite', 'db.corrupt', 'db.locked'] as const;
