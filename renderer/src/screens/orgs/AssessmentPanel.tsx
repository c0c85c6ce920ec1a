import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApplicationDetail, AssessmentDecision } from '../../../../shared/contract/orgs';
import type { DocLangArg, LayoutArg } from '../../../../shared/contract/protocols';
import type { AppError } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { PdfControls } from '../protocols/PdfControls';
import { reasonText, RequirementSummary } from './describe';
import { fmtDate, todayKz, useLang } from './util';
import { DateField } from '../../components/DateField';

type Decision = AssessmentDecision['decision'];

/**
 * The assessment (app. 3): every requirement with the characteristic's words, the machine's
 * pre-assessment and why, the assessor's decision and justification; the parts' justifications;
 * then the numbered conclusion and its PDF.
 */
export function AssessmentPanel({ detail, onChanged }: { detail: ApplicationDetail; chosenOrgName: string; onChanged: () => void }) {
  const { t } = useTranslation('orgs');
  const lang = useLang();
  const api = useApi();
  const settings = useQuery('orgs.settings', {});
  const c = detail.conclusion;
  const issued = c?.state === 'issued';
  const [decisions, setDecisions] = useState<Record<string, AssessmentDecision>>({});
  const [staffJ, setStaffJ] = useState('');
  const [devicesJ, setDevicesJ] = useState('');
  const [note, setNote] = useState('');
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<AppError>();
  const [saved, setSaved] = useState(false);
  const [date, setDate] = useState(todayKz());
  const [signer, setSigner] = useState({ name: '', position: '' });

  const key = `${detail.id}:${detail.updatedAt}:${c?.updatedAt ?? ''}`;
  useEffect(() => {
    const m: Record<string, AssessmentDecision> = {};
    for (const d of detail.assessment.items) if (d.decision) m[d.requirementId] = d.decision;
    setDecisions(m);
    setStaffJ(c?.staffJustification ?? '');
    setDevicesJ(c?.devicesJustification ?? '');
    setNote(c?.note ?? '');
    setDirty(false);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  useEffect(() => {
    if (settings.data && signer.name === '' && signer.position === '') setSigner({ ...settings.data.signer });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settings.data]);

  const decide = (id: string, patch: Partial<AssessmentDecision>) => {
    setDecisions((m) => ({ ...m, [id]: { requirementId: id, decision: m[id]?.decision ?? null, justification: m[id]?.justification ?? '', ...patch } }));
    setDirty(true);
    setSaved(false);
  };
  const items = detail.assessment.items.map((i) => {
    const d = decisions[i.requirementId];
    const final = d?.decision ?? i.status;
    const override = !!d?.decision && i.status !== 'manual' && d.decision !== i.status;
    return { ...i, d, final, override, unjustified: override && (d?.justification ?? '').trim() === '' };
  });
  const part = (p: 'staff' | 'devices') => {
    const f = items.filter((i) => i.part === p).map((i) => i.final);
    return f.includes('not_met') ? 'not_met' : f.includes('manual') ? 'manual' : 'met';
  };
  const overall = [part('staff'), part('devices')].includes('not_met') ? 'not_met' : [part('staff'), part('devices')].includes('manual') ? 'manual' : 'met';
  const undecided = items.filter((i) => i.final === 'manual').length;
  const unjustified = items.filter((i) => i.unjustified).length;

  /** A first wording of a part's justification: the requirements not met, with the assessor's or the machine's reasons. */
  const suggest = (p: 'staff' | 'devices') =>
    items
      .filter((i) => i.part === p && i.final === 'not_met')
      .map((i) => `${i.requirementId}: ${i.d?.justification || i.reasons.map((r) => reasonText(t, r)).join(' ')}`)
      .join('\n');

  const save = async (): Promise<boolean> => {
    const r = await api.call('conformity.saveAssessment', {
      applicationId: detail.id,
      decisions: Object.values(decisions),
      staffJustification: staffJ,
      devicesJustification: devicesJ,
      note,
    });
    if (!r.ok) {
      setError(r.error);
      return false;
    }
    setError(undefined);
    setSaved(true);
    setDirty(false);
    onChanged();
    return true;
  };
  const issue = async () => {
    if (!window.confirm(t('assess.issueConfirm'))) return;
    if (dirty && !(await save())) return;
    const r = await api.call('conformity.issue', { applicationId: detail.id, date, signer });
    if (!r.ok) return setError(r.error);
    setError(undefined);
    onChanged();
  };
  const loadConclusion = useCallback((l: DocLangArg, layout: LayoutArg) => api.call('conformity.renderConclusion', { id: c!.id, lang: l, layout }), [api, c?.id]);

  const statusBadge = (s: string, testId?: string) => (
    <span className={`st ${s}`} data-testid={testId}>
      {t(`assess.${s}`)}
    </span>
  );

  return (
    <section className="panel" aria-labelledby="assess-title" data-testid="assessment">
      <h2 id="assess-title">{t('assess.title')}</h2>
      <p className="hint">{t('assess.onDate', { date: fmtDate(detail.assessment.onDate) })}</p>
      <div className="part-summary">
        <div>{t('assess.partStaff')}: {statusBadge(part('staff'), 'assess-staff')}</div>
        <div>{t('assess.partDevices')}: {statusBadge(part('devices'), 'assess-devices')}</div>
        <div>{t('assess.overall')}: {statusBadge(overall, 'assess-overall')}</div>
      </div>
      <ul className="req-list" data-testid="assess-items">
        {items.map((i) => (
          <li key={i.requirementId} className={`req ${i.final}`} data-testid={`assess-${i.requirementId}`}>
            <div className="req-head">
              <span className="req-id">{i.requirementId}</span>
              {t('assess.auto')}: {statusBadge(i.status, `auto-${i.requirementId}`)}
              {i.d?.decision && <>→ {statusBadge(i.d.decision)}</>}
            </div>
            {i.requirement?.kind === 'staff' && <div className="req-text" lang="kk">{i.requirement.text}</div>}
            {i.requirement && <RequirementSummary t={t} r={i.requirement} />}
            <ul className="req-reasons">
              {i.reasons.map((r, k) => <li key={k}>{reasonText(t, r)}</li>)}
            </ul>
            {!issued && (
              <div className="req-decide">
                <label className="field">
                  <span>{t('assess.decision')}</span>
                  <select value={i.d?.decision ?? ''} onChange={(e) => decide(i.requirementId, { decision: (e.target.value || null) as Decision })} data-testid={`decide-${i.requirementId}`}>
                    <option value="">{t('assess.confirm')}</option>
                    <option value="met">{t('assess.met')}</option>
                    <option value="not_met">{t('assess.not_met')}</option>
                  </select>
                </label>
                <label className="field">
                  <span>{t('assess.justification')}</span>
                  <textarea
                    rows={1}
                    value={i.d?.justification ?? ''}
                    aria-invalid={i.unjustified || undefined}
                    onChange={(e) => decide(i.requirementId, { justification: e.target.value })}
                    data-testid={`justify-${i.requirementId}`}
                  />
                  {i.unjustified && <span className="error small">{t('assess.justificationHint')}</span>}
                </label>
              </div>
            )}
            {issued && i.d?.justification && <p className="small">{t('assess.justification')}: {i.d.justification}</p>}
          </li>
        ))}
      </ul>
      {!issued && (
        <>
          <div className="two-col" style={{ marginTop: 10 }}>
            <label className="field">
              <span>{t('assess.staffJustification')}</span>
              <textarea rows={3} value={staffJ} onChange={(e) => { setStaffJ(e.target.value); setDirty(true); }} data-testid="assess-staff-justification" />
              {part('staff') === 'not_met' && <button type="button" className="link" onClick={() => { setStaffJ(suggest('staff')); setDirty(true); }}>{t('assess.suggest')}</button>}
            </label>
            <label className="field">
              <span>{t('assess.devicesJustification')}</span>
              <textarea rows={3} value={devicesJ} onChange={(e) => { setDevicesJ(e.target.value); setDirty(true); }} data-testid="assess-devices-justification" />
              {part('devices') === 'not_met' && <button type="button" className="link" onClick={() => { setDevicesJ(suggest('devices')); setDirty(true); }}>{t('assess.suggest')}</button>}
            </label>
          </div>
          <label className="field">
            <span>{t('assess.note')}</span>
            <textarea rows={2} value={note} onChange={(e) => { setNote(e.target.value); setDirty(true); }} />
          </label>
          <div className="actions" style={{ marginTop: 8 }}>
            <button type="button" onClick={() => void save()} data-testid="assess-save">{t('assess.save')}</button>
            {saved && !dirty && <span className="ok small" role="status">{t('assess.saved')}</span>}
            {undecided > 0 && <span className="warning small" data-testid="assess-undecided">{t('assess.undecided', { count: undecided })}</span>}
            {unjustified > 0 && <span className="error small">{t('assess.unjustified', { count: unjustified })}</span>}
          </div>
          <h3>{t('assess.issueTitle')}</h3>
          <div className="toolbar">
            <label>
              {t('assess.issueDate')}
              <DateField value={date} onChange={(e) => setDate(e.target.value)} data-testid="issue-date" />
            </label>
            <label>
              {t('assess.signerName')}
              <input value={signer.name} onChange={(e) => setSigner({ ...signer, name: e.target.value })} data-testid="issue-signer" />
            </label>
            <label>
              {t('assess.signerPosition')}
              <input value={signer.position} onChange={(e) => setSigner({ ...signer, position: e.target.value })} data-testid="issue-position" size={30} />
            </label>
            <button type="button" className="primary" onClick={() => void issue()} disabled={undecided > 0 || unjustified > 0} data-testid="issue-button">
              {t('assess.issue')}
            </button>
          </div>
        </>
      )}
      <ErrorText error={error} />
      {issued && c && (
        <>
          <p className="ok" role="status" data-testid="conclusion-issued">
            {t('assess.issued', { number: c.number, date: fmtDate(c.issuedOn), from: fmtDate(c.validFrom), to: fmtDate(c.validTo) })}
          </p>
          <h3>{t('assess.pdf')}</h3>
          <PdfControls id="conclusion" load={loadConclusion} title={`№ ${c.number}`} defaultLang={lang} />
        </>
      )}
    </section>
  );
}
