import fs from 'node:fs/promises';
import path from 'node:path';
import { exchangeSchemas } from '../../shared/contract/exchange';
import type { Result } from '../../shared/result';

/** The method the main process answers itself: save an exported file with the native save dialog. */
export const SAVE_METHOD = 'shell.saveFile';

const CHUNK = 4 * 1024 * 1024;

type Dispatch = (method: string, args: unknown) => Promise<Result<unknown>>;

/**
 * Saves an exported file (a bundle or backup in the outgoing folder, named by the core) where
 * the user chooses in the native save dialog (issue 12.2: the page never names a path). The
 * content comes through the core's one door (`exchange.download`, as the window's session, so
 * access and the audit trail apply); it is written to `<chosen>.part` (0600) and renamed when
 * complete, removed on any failure.
 */
export async function saveExport(dispatch: Dispatch, ask: (defaultName: string) => Promise<string | null>, args: unknown): Promise<Result<{ saved: boolean }>> {
  const parsed = exchangeSchemas[SAVE_METHOD].safeParse(args ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: { code: 'api.invalid_argument', params: { field: issue?.path.join('.') || '(root)', issue: issue?.message ?? 'invalid' } } };
  }
  const name = parsed.data.name;
  if (name !== path.basename(name)) return { ok: false, error: { code: 'exchange.file_not_found', params: { file: name } } };
  // The file must exist (and the session may read it) before the dialog is shown.
  const first = await dispatch('exchange.download', { name, offset: 0, length: 1 });
  if (!first.ok) return first;
  const target = await ask(name);
  if (!target) return { ok: true, value: { saved: false } };
  const part = `${target}.part`;
  const fh = await fs.open(part, 'w', 0o600);
  try {
    for (let offset = 0; ; ) {
      const r = await dispatch('exchange.download', { name, offset, length: CHUNK });
      if (!r.ok) throw Object.assign(new Error('download'), { result: r });
      const v = r.value as { data: string; eof: boolean };
      const bytes = Buffer.from(v.data, 'base64');
      await fh.write(bytes);
      offset += bytes.length;
      if (v.eof || bytes.length === 0) break;
    }
    await fh.close();
    await fs.rename(part, target);
    return { ok: true, value: { saved: true } };
  } catch (err) {
    await fh.close().catch(() => undefined);
    await fs.rm(part, { force: true }).catch(() => undefined);
    const r = (err as { result?: Result<{ saved: boolean }> }).result;
    return r ?? { ok: false, error: { code: 'exchange.save_failed', params: { reason: err instanceof Error ? err.message : String(err) } } };
  }
}
