import type { ApiClient } from '../../api/client';
import type { AppError } from '../../../../shared/result';

/** Bytes per upload/download call: base64 grows it by 4/3, well under the host's 64 MB body limit. */
export const CHUNK = 4 * 1024 * 1024;

export class TransferError extends Error {
  constructor(readonly error: AppError) {
    super(error.code);
  }
}

function toBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error ?? new Error('read'));
    r.readAsDataURL(blob);
  });
}

/**
 * Sends a chosen file to the core in base64 chunks (`exchange.upload`); the core keeps it in the
 * data folder's incoming area and returns its id. Works the same in Electron and the web host.
 */
export async function uploadFile(api: ApiClient, file: File, onProgress: (done: number, total: number) => void, signal?: AbortSignal): Promise<string> {
  let uploadId: string | undefined;
  let offset = 0;
  onProgress(0, file.size);
  do {
    if (signal?.aborted) throw new TransferError({ code: 'bundle.cancelled' });
    const data = await toBase64(file.slice(offset, offset + CHUNK));
    const r = await api.call('exchange.upload', { ...(uploadId ? { uploadId } : {}), offset, data });
    if (!r.ok) throw new TransferError(r.error);
    uploadId = r.value.uploadId;
    offset = r.value.size;
    onProgress(offset, file.size);
  } while (offset < file.size);
  return uploadId!;
}

/**
 * Fetches an exported file from the outgoing folder and offers it as a download (web host); in
 * Electron the main process shows the native save dialog and writes it where the user chose
 * (`shell.saveFile`). The page never names a path either way.
 */
export async function downloadFile(api: ApiClient, name: string, onProgress: (done: number, total: number) => void): Promise<void> {
  if (api.kind === 'electron') {
    const r = await api.call('shell.saveFile', { name });
    if (!r.ok) throw new TransferError(r.error);
    return;
  }
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (;;) {
    const r = await api.call('exchange.download', { name, offset, length: CHUNK });
    if (!r.ok) throw new TransferError(r.error);
    const bin = atob(r.value.data);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    parts.push(bytes);
    offset += bytes.length;
    onProgress(offset, r.value.size);
    if (r.value.eof || bytes.length === 0) break;
  }
  const url = URL.createObjectURL(new Blob(parts as BlobPart[], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** What a failed upload or download shows: the core's error, or an internal one for anything else. */
export const transferErrorOf = (e: unknown): AppError => (e instanceof TransferError ? e.error : { code: 'api.internal' });
