import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_FILE_BYTES, SIGNATURE_ROLES, type CaseDetail, type FileRef } from '../../../../shared/contract/cases';
import { type DocumentKind, type Finding } from '../../../../shared/domain/packet';
import { packetVariant } from '../../../../shared/domain/packet-variants';
import type { AppError, Result } from '../../../../shared/result';
import { useApi } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { FilePreview, fileToBase64, formatBytes } from '../../components/FilePreview';
import { FindingList } from '../../components/FindingList';
import { emptyDoc, findingsForDoc, type DocState, type FormState } from './model';
import { DateField } from '../../components/DateField';

type Write = <T>(call: () => Promise<Result<T>>, pick: (v: T) => CaseDetail) => Promise<Result<T>>;


/**
 * The packet of point 34 as a checklist: each document received on paper or as files (copied into
 * the store, previewed inline), the extract's signatures, seal and diagnosis, the tests' names and
 * dates; what is still missing is shown on the row it concerns.
 */
export function PacketChecklist({ id, detail, form, findings, edit, write, readOnly = false }: { id: string; detail: CaseDetail; form: FormState; findings: Finding[]; edit(mut: (f: FormState) => FormState, o?: { now?: boolean }): void; write: Write; /** An issued protocol locks the packet: files can be opened, nothing changed. */ readOnly?: boolean }) {
  const { t } = useTranslation('cases');
  const api = useApi();
  const [preview, setPreview] = useState<FileRef>();
  const [error, setError] = useState<AppError>();
  const [busy, setBusy] = useState(false);

  const change = (key: string, patch: Partial<DocState>, now = false) =>
    edit((f) => ({ ...f, documents: f.documents.map((d) => (d.key === key ? { ...d, ...patch, virtual: false } : d)) }), { now });
  const addOther = () => edit((f) => ({ ...f, documents: [...f.documents, { ...emptyDoc('other'), paper: true }] }), { now: true });
  const removeDoc = (doc: DocState) => {
    if (doc.files.length > 0 && !window.confirm(t('ui.files.removeDocConfirm'))) return;
    edit(
      (f) => {
        const rest = f.documents.filter((d) => d.key !== doc.key);
        // A required kind keeps its (empty) row.
        return { ...f, documents: doc.kind !== 'other' && !rest.some((d) => d.kind === doc.kind) ? [...rest, emptyDoc(doc.kind, true)] : rest };
      },
      { now: true },
    );
  };

  const attach = async (doc: DocState, files: FileList | null) => {
    if (!files || files.length === 0) return;
    setBusy(true);
    setError(undefined);
    let documentId = doc.id;
    for (const file of Array.from(files)) {
      if (file.size > MAX_FILE_BYTES) {
        setError({ code: 'cases.file_too_large', params: { size: file.size, maxMb: Math.round(MAX_FILE_BYTES / 1024 / 1024) } });
        continue;
      }
      const contentBase64 = await fileToBase64(file);
      const mime = file.type || 'application/octet-stream';
      const r = await write(
        () => api.call('cases.attachFile', { caseId: id, ...(documentId ? { documentId } : { kind: doc.kind }), name: file.name, mime, contentBase64 }),
        (v) => v.detail,
      );
      if (!r.ok) {
        setError(r.error);
        break;
      }
      documentId = r.value.documentId;
    }
    setBusy(false);
  };

  const removeFile = async (file: FileRef) => {
    if (!window.confirm(t('ui.files.removeConfirm', { name: file.name }))) return;
    if (preview?.id === file.id) setPreview(undefined);
    const r = await write(() => api.call('cases.removeFile', { caseId: id, fileId: file.id }), (v) => v);
    setError(r.ok ? undefined : r.error);
  };

  const seenKind = new Set<string>();
  // The route decides the extract's signatures and channel (point 40 for a patient in hospital).
  const variant = packetVariant(form.inpatient);
  const point = (kind: DocumentKind) => variant.documents.find((d) => d.kind === kind)?.point ?? '';
  return (
    <fieldset className="panel packet" data-testid="packet">
      <legend>{t('ui.packet.title')}</legend>
      <p className="small muted">{t('ui.packet.lead')}</p>
      <p className={`variant variant-${variant.id}`} data-testid="packet-variant" data-variant={variant.id}>
        <strong>{t(`variant.${variant.id}.title`, { ns: 'aftercare' })}</strong> {t(`variant.${variant.id}.lead`, { ns: 'aftercare' })}
      </p>
      <ErrorText error={error} />
      {busy && <p role="status" className="small">{t('ui.files.uploading')}</p>}
      <ol className="doc-list">
        {form.documents.map((doc) => {
          const first = !seenKind.has(doc.kind);
          seenKind.add(doc.kind);
          const docFindings = findingsForDoc(findings, detail, doc, first);
          const received = doc.paper || doc.files.length > 0;
          const dom = `doc-${doc.key}`;
          return (
            <li key={doc.key} className={`doc ${received ? 'received' : 'absent'}`} data-testid={`doc-${doc.kind}`} data-received={received}>
              <div className="doc-head">
                <span className={`doc-mark ${received ? 'ok' : 'error'}`} aria-hidden="true">
                  {received ? '✓' : '✗'}
                </span>
                <strong id={`${dom}-title`}>{doc.kind === 'record_extract' && variant.id === 'inpatient' ? t('variant.inpatient.extract', { ns: 'aftercare' }) : t(`ui.docKind.${doc.kind}`)}</strong>
                {point(doc.kind) && <span className="muted small">{t('ui.packet.point', { point: point(doc.kind) })}</span>}
                <span className="spacer" />
                {!readOnly && (doc.kind === 'other' || (doc.id && form.documents.filter((d) => d.kind === doc.kind).length > 1)) && (
                  <button type="button" className="link" onClick={() => removeDoc(doc)}>
                    {t('ui.packet.removeDoc')}
                  </button>
                )}
              </div>
              {doc.kind === 'other' && (
                <div className="field inline">
                  <label htmlFor={`${dom}-title-in`}>{t('ui.packet.docTitle')}</label>
                  <input id={`${dom}-title-in`} value={doc.title} disabled={readOnly} onChange={(e) => change(doc.key, { title: e.target.value })} />
                </div>
              )}
              <div className="doc-body">
                <div className="check-row">
                  <input id={`${dom}-paper`} type="checkbox" checked={doc.paper} disabled={readOnly} onChange={(e) => change(doc.key, { paper: e.target.checked }, true)} data-testid={`paper-${doc.kind}`} />
                  <label htmlFor={`${dom}-paper`}>{t('ui.packet.onPaper')}</label>
                </div>
                <div className="files">
                  {!readOnly && <label className="file-button">
                    <span>{t('ui.files.attach')}</span>
                    <input
                      type="file"
                      multiple
                      accept="application/pdf,image/*,.doc,.docx,.odt,.xls,.xlsx,.txt"
                      onChange={(e) => {
                        const list = e.target.files;
                        void attach(doc, list).then(() => (e.target.value = ''));
                      }}
                      data-testid={`attach-${doc.kind}`}
                      aria-describedby={`${dom}-title`}
                      disabled={busy || readOnly}
                    />
                  </label>}
                  {doc.files.length > 0 && (
                    <ul className="file-list" data-testid={`files-${doc.kind}`}>
                      {doc.files.map((f) => (
                        <li key={f.id}>
                          <button type="button" className="link" onClick={() => setPreview(preview?.id === f.id ? undefined : f)} aria-expanded={preview?.id === f.id} data-testid="file-open">
                            {f.name}
                          </button>
                          <span className="muted small"> {formatBytes(f.size)}</span>
                          {!readOnly && (
                            <button type="button" className="link danger" onClick={() => void removeFile(f)} aria-label={t('ui.files.removeNamed', { name: f.name })}>
                              ✕
                            </button>
                          )}
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              </div>
              {doc.kind === 'record_extract' && (
                <div className="extract" data-testid="extract">
                  <div className="check-group" role="group" aria-label={t('ui.packet.signatures')}>
                    <span className="group-label">{t('ui.packet.signatures')}:</span>
                    {SIGNATURE_ROLES.map((role) => (
                      <span className="check-row" key={role}>
                        <input
                          id={`${dom}-sig-${role}`}
                          type="checkbox"
                          checked={doc.signatures.includes(role)}
                          disabled={readOnly} onChange={(e) => change(doc.key, { signatures: e.target.checked ? [...doc.signatures, role] : doc.signatures.filter((r) => r !== role) }, true)}
                          data-testid={`sig-${role}`}
                        />
                        <label htmlFor={`${dom}-sig-${role}`}>{t(`signatureRole.${role}`, { ns: 'rules' })}</label>
                      </span>
                    ))}
                  </div>
                  <p className="hint" data-testid="signature-rule">
                    {t(`variant.${variant.id}.signatures`, { ns: 'aftercare' })}
                  </p>
                  <div className="check-row">
                    <input id={`${dom}-seal`} type="checkbox" checked={doc.seal} disabled={readOnly} onChange={(e) => change(doc.key, { seal: e.target.checked }, true)} data-testid="seal" />
                    <label htmlFor={`${dom}-seal`}>{t('ui.packet.seal')}</label>
                  </div>
                  <div className="field">
                    <label htmlFor={`${dom}-diag`}>{t('ui.packet.clinicalDiagnosis')}</label>
                    <textarea id={`${dom}-diag`} rows={2} value={doc.clinicalDiagnosis} disabled={readOnly} onChange={(e) => change(doc.key, { clinicalDiagnosis: e.target.value })} data-testid="clinical-diagnosis" />
                  </div>
                </div>
              )}
              {doc.kind === 'test_results' && (
                <div className="tests" data-testid="tests">
                  {doc.items.length > 0 && (
                    <table className="grid compact">
                      <thead>
                        <tr>
                          <th scope="col">{t('ui.packet.testName')}</th>
                          <th scope="col">{t('ui.packet.testDate')}</th>
                          <th scope="col">
                            <span className="sr-only">{t('ui.packet.removeItem')}</span>
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {doc.items.map((item, i) => (
                          <tr key={i}>
                            <td>
                              <input
                                aria-label={t('ui.packet.testNameN', { n: i + 1 })}
                                value={item.name}
                                disabled={readOnly} onChange={(e) => change(doc.key, { items: doc.items.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)) })}
                                data-testid="test-name"
                              />
                            </td>
                            <td>
                              <DateField
                                aria-label={t('ui.packet.testDateN', { n: i + 1 })}
                                value={item.date}
                                disabled={readOnly} onChange={(e) => change(doc.key, { items: doc.items.map((x, j) => (j === i ? { ...x, date: e.target.value } : x)) })}
                                data-testid="test-date"
                              />
                            </td>
                            <td>
                              {!readOnly && (
                                <button type="button" className="link danger" onClick={() => change(doc.key, { items: doc.items.filter((_, j) => j !== i) }, true)} aria-label={t('ui.packet.removeItemN', { n: i + 1 })}>
                                  ✕
                                </button>
                              )}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                  {!readOnly && (
                    <button type="button" onClick={() => change(doc.key, { items: [...doc.items, { name: '', date: '' }] })} data-testid="add-test">
                      + {t('ui.packet.addTest')}
                    </button>
                  )}
                </div>
              )}
              <FindingList findings={docFindings} testId={`findings-doc-${doc.kind}`} />
              {preview && doc.files.some((f) => f.id === preview.id) && (
                <FilePreview
                  key={preview.id}
                  file={preview}
                  onClose={() => setPreview(undefined)}
                  load={async () => {
                    const r = await api.call('cases.fileContent', { fileId: preview.id });
                    return r.ok ? { ok: true, base64: r.value.contentBase64 } : { ok: false, error: r.error };
                  }}
                />
              )}
            </li>
          );
        })}
      </ol>
      {!readOnly && (
        <button type="button" onClick={addOther} data-testid="add-other">
          + {t('ui.packet.addOther')}
        </button>
      )}
    </fieldset>
  );
}
