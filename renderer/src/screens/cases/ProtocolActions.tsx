import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseDetail, DecisionView } from '../../../../shared/contract/cases';
import type { DocLangArg, LayoutArg, ProtocolCaseState } from '../../../../shared/contract/protocols';
import type { AppError } from '../../../../shared/result';
import { useApi, type Query } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { PdfControls } from '../protocols/PdfControls';
import { fmtDate, fmtMoment } from '../protocols/pdf';

/**
 * The protocol of an issued decision on the case screen: language / layout, Preview, Save as PDF,
 * Print. The protocol is printed from its statement stored at issue, so every later print says
 * exactly what was issued. When the decision was issued elsewhere (sync) and its statement is
 * not stored yet, it is stored right away (`protocols.issue` on an issued decision stores only).
 */
export function ProtocolActions({ detail, decision, state }: { detail: CaseDetail; decision: DecisionView; state: Query<ProtocolCaseState> }) {
  const { t } = useTranslation('protocols');
  const api = useApi();
  const [error, setError] = useState<AppError>();
  const captured = useRef<string | null>(null);

  // Freeze the statement of a decision issued elsewhere as soon as it is seen.
  useEffect(() => {
    const s = state.data;
    if (!s || !s.renderable || s.issued || captured.current === decision.id) return;
    captured.current = decision.id;
    void api.call('protocols.issue', { caseId: detail.id }).then((r) => {
      if (!r.ok) setError(r.error);
      state.reload();
    });
  }, [state.data, api, detail.id, decision.id, state]);

  const load = useCallback((lang: DocLangArg, layout: LayoutArg) => api.call('protocols.render', { caseId: detail.id, lang, layout }), [api, detail.id]);

  const s = state.data;
  const number = s?.issued?.number ?? decision.protocol?.label ?? '';
  return (
    <section className="panel protocol-actions" aria-labelledby="protocol-actions-title" data-testid="protocol-actions">
      <h3 id="protocol-actions-title">{t('actions.title')}</h3>
      <ErrorText error={error ?? state.error} />
      {s?.renderable && (
        <>
          <p className="small muted" data-testid="protocol-issued">
            {s.issued
              ? t('actions.issued', { number: s.issued.number, date: fmtDate(s.issued.date), at: fmtMoment(s.issued.issuedAt) })
              : t('actions.issuedNotStored', { number })}
          </p>
          <PdfControls id="protocol" load={load} title={`${t('actions.title')} № ${number}`} />
        </>
      )}
    </section>
  );
}
