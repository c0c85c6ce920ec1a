import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/result';
import { ErrorText } from './ErrorText';

export interface PreviewFile {
  name: string;
  mime: string;
  size: number;
}

/** Decodes base64 into a Blob without going through a data: URL (files may be megabytes). */
export function base64ToBlob(b64: string, mime: string): Blob {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type: mime });
}

/** Reads a File as base64 (without the data: prefix). */
export function fileToBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => {
      const s = String(r.result);
      resolve(s.slice(s.indexOf(',') + 1));
    };
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsDataURL(file);
  });
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Shows a stored file: images and PDFs inline from a blob URL, anything else as a download link.
 * `load` fetches the content (base64) when the preview opens.
 */
export function FilePreview({ file, load, onClose }: { file: PreviewFile; load(): Promise<{ ok: true; base64: string } | { ok: false; error: AppError }>; onClose(): void }) {
  const { t } = useTranslation('cases');
  const [url, setUrl] = useState<string>();
  const [error, setError] = useState<AppError>();
  useEffect(() => {
    let live = true;
    let made: string | undefined;
    void load().then((r) => {
      if (!live) return;
      if (!r.ok) return setError(r.error);
      made = URL.createObjectURL(base64ToBlob(r.base64, file.mime));
      setUrl(made);
    });
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [file.name, file.mime]);
  const isImage = file.mime.startsWith('image/');
  const isPdf = file.mime === 'application/pdf';
  return (
    <div className="preview" role="region" aria-label={t('ui.files.previewOf', { name: file.name })} data-testid="file-preview">
      <div className="preview-bar">
        <strong className="preview-name">{file.name}</strong>
        <span className="muted">{formatBytes(file.size)}</span>
        {url && (
          <a href={url} download={file.name} data-testid="file-download">
            {t('ui.files.download')}
          </a>
        )}
        <button type="button" onClick={onClose} data-testid="preview-close">
          {t('actions.close', { ns: 'common' })}
        </button>
      </div>
      <ErrorText error={error} />
      {!url && !error && <p className="muted">{t('ui.loading')}</p>}
      {url && isImage && <img src={url} alt={file.name} className="preview-img" data-testid="preview-img" />}
      {url && isPdf && <iframe src={url} title={file.name} className="preview-pdf" data-testid="preview-pdf" />}
      {url && !isImage && !isPdf && <p className="muted">{t('ui.files.noPreview')}</p>}
    </div>
  );
}
