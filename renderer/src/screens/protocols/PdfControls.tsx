import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocLangArg, LayoutArg, PdfFile } from '../../../../shared/contract/protocols';
import type { AppError, Result } from '../../../../shared/result';
import { useApi } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { downloadPdf, pdfBlob, printPdf } from './pdf';

export interface PdfControlsProps {
  /** Test id prefix (`protocol`, `register`, `journal`). */
  id: string;
  /** Makes the PDF in a language and layout. */
  load(lang: DocLangArg, layout: LayoutArg): Promise<Result<PdfFile>>;
  /** Title for the print job. */
  title: string;
  disabled?: boolean;
  /** The language offered first (the UI language). */
  defaultLang?: DocLangArg;
}

/**
 * Language / layout choice, then Preview (an iframe on a blob: URL), Save as PDF (download) and
 * Print (Electron: the system dialog; web host: the PDF is downloaded, with a note saying so).
 */
export function PdfControls({ id, load, title, disabled, defaultLang }: PdfControlsProps) {
  const { t, i18n } = useTranslation('protocols');
  const api = useApi();
  const [lang, setLang] = useState<DocLangArg>(defaultLang ?? (i18n.language === 'ru' ? 'ru' : 'kk'));
  const [layout, setLayout] = useState<LayoutArg>('columns');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError>();
  const [note, setNote] = useState<string>();
  const [preview, setPreview] = useState<{ url: string; pdf: PdfFile }>();
  const cache = useRef<{ key: string; pdf: PdfFile } | undefined>(undefined);

  useEffect(() => () => { if (preview) URL.revokeObjectURL(preview.url); }, [preview]);
  // A new choice (or new data) makes a new document.
  useEffect(() => {
    cache.current = undefined;
  }, [lang, layout, load]);

  const get = async (): Promise<PdfFile | undefined> => {
    const key = `${lang}|${layout}`;
    if (cache.current?.key === key) return cache.current.pdf;
    setBusy(true);
    setError(undefined);
    setNote(undefined);
    try {
      const r = await load(lang, layout);
      if (!r.ok) {
        setError(r.error);
        return undefined;
      }
      cache.current = { key, pdf: r.value };
      return r.value;
    } finally {
      setBusy(false);
    }
  };

  const onPreview = async () => {
    const pdf = await get();
    if (pdf) setPreview({ url: URL.createObjectURL(pdfBlob(pdf)), pdf });
  };
  const onSave = async () => {
    const pdf = await get();
    if (pdf) {
      downloadPdf(pdf);
      setNote(t('common.saved', { file: pdf.fileName }));
    }
  };
  const onPrint = async () => {
    const pdf = await get();
    if (!pdf) return;
    const r = await printPdf(api, pdf, title);
    if (r.kind === 'error') setError(r.error);
    else setNote(r.kind === 'downloaded' ? t('common.printWeb', { file: r.fileName }) : t(r.kind === 'printed' ? 'common.printSent' : 'common.printCancelled'));
  };

  return (
    <div className="pdf-controls" data-testid={`${id}-pdf`}>
      <div className="toolbar">
        <label>
          {t('common.lang')}
          <select value={lang} onChange={(e) => setLang(e.target.value as DocLangArg)} data-testid={`${id}-lang`}>
            {(['kk', 'ru', 'both'] as const).map((l) => (
              <option key={l} value={l}>
                {t(`common.langs.${l}`)}
              </option>
            ))}
          </select>
        </label>
        {lang === 'both' && (
          <label>
            {t('common.layout')}
            <select value={layout} onChange={(e) => setLayout(e.target.value as LayoutArg)} data-testid={`${id}-layout`}>
              {(['columns', 'sequential'] as const).map((l) => (
                <option key={l} value={l}>
                  {t(`common.layouts.${l}`)}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="button" onClick={() => void onPreview()} disabled={disabled || busy} data-testid={`${id}-preview`}>
          {t('common.preview')}
        </button>
        <button type="button" onClick={() => void onSave()} disabled={disabled || busy} data-testid={`${id}-save`}>
          {t('common.save')}
        </button>
        <button type="button" onClick={() => void onPrint()} disabled={disabled || busy} data-testid={`${id}-print`}>
          {t('common.print')}
        </button>
        {busy && <span role="status">{t('common.working')}</span>}
      </div>
      <ErrorText error={error} />
      {note && (
        <p role="status" className="muted" data-testid={`${id}-note`}>
          {note}
        </p>
      )}
      {preview && (
        <figure className="pdf-preview">
          <figcaption className="small muted">
            {preview.pdf.fileName} · {t('common.pages', { count: preview.pdf.pages })} · {t('common.size', { kb: (preview.pdf.bytes / 1024).toFixed(1) })} ·{' '}
            {t('common.verification')}: <span className="mono">{preview.pdf.verification}</span>{' '}
            <button type="button" onClick={() => setPreview(undefined)}>
              {t('common.close')}
            </button>
          </figcaption>
          <iframe src={preview.url} title={preview.pdf.fileName} data-testid={`${id}-preview-frame`} style={{ width: '100%', height: '70vh', border: '1px solid #d5d9df' }} />
        </figure>
      )}
    </div>
  );
}
