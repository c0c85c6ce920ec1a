import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MEMBER_ROLES, REFUSAL_REASONS, type CaseDetail, type DecisionView, type Member } from '../../../../shared/contract/cases';
import { checkDecision } from '../../../../shared/domain/decision';
import type { AppError, Result } from '../../../../shared/result';
import { useApi } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { errorMessage } from '../../i18n';
import { fmtDate, fmtInstant, localizeError, todayKz } from './format';
import { ProtocolActions } from './ProtocolActions';

type Write = <T>(call: () => Promise<Result<T>>, pick: (v: T) => CaseDetail) => Promise<Result<T>>;
type Outcome = '' | 'approved' | 'refused';
type Reason = (typeof REFUSAL_REASONS)[number];

const MEMBERS_KEY = 'htmp.decision.members';

/** The commission usually sits in the same composition: start from the last one used here. */
function lastMembers(): Member[] {
  try {
    const m = JSON.parse(localStorage.getItem(MEMBERS_KEY) ?? 'null') as Member[] | null;
    if (Array.isArray(m) && m.length > 0) return m;
  } catch {
    /* ignore */
  }
  return [
    { name: '', role: 'chair' },
    { name: '', role: 'member' },
    { name: '', role: 'secretary' },
  ];
}

/**
 * The commission's decision: approve, or refuse on exactly one ground of point 40, with the members
 * present and the date. Forbidden decisions are explained before they are tried. Once the protocol
 * is issued the decision is locked and shows its number; a correction is a new version.
 */
export function DecisionPanel({ detail, complete, write }: { detail: CaseDetail; complete: boolean; write: Write }) {
  const { t } = useTranslation('cases');
  const api = useApi();
  const issued = detail.decisions.find((d) => d.state === 'issued') ?? null;
  const draft = detail.draftDecision;
  const [correcting, setCorrecting] = useState(false);
  const editing = draft !== null || issued === null || correcting;
  const base = draft ?? (correcting ? issued : null);

  const [outcome, setOutcome] = useState<Outcome>('');
  const [reason, setReason] = useState<Reason | null>(null);
  const [members, setMembers] = useState<Member[]>(lastMembers);
  const [date, setDate] = useState(todayKz());
  const [note, setNote] = useState('');
  const [error, setError] = useState<AppError>();
  const [busy, setBusy] = useState(false);

  // Follow the stored draft (or the decision being corrected) when it changes.
  const baseKey = base ? `${base.id}:${base.updatedAt}` : 'none';
  useEffect(() => {
    if (!base) return;
    setOutcome(base.outcome);
    setReason(base.reason);
    setMembers(base.members.length > 0 ? base.members.map((m) => ({ ...m })) : lastMembers());
    setDate(base.state === 'draft' ? base.date : todayKz());
    setNote(base.note ?? '');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [baseKey]);

  const check = outcome === '' ? ({ ok: false, code: 'decision.outcome_invalid' } as const) : checkDecision({ outcome, reason: outcome === 'refused' ? reason : null, complete, members });

  const decide = async (): Promise<DecisionView | null> => {
    if (outcome === '') return null;
    if (detail.status === 'draft') {
      const reg = await write(() => api.call('cases.register', { id: detail.id }), (v) => v);
      if (!reg.ok) {
        setError(localizeError(t, reg.error));
        return null;
      }
    }
    const r = await write(
      () =>
        api.call('cases.decide', {
          caseId: detail.id,
          outcome,
          reason: outcome === 'refused' ? reason : null,
          members: members.map((m) => ({ name: m.name.trim(), role: m.role })),
          date,
          note: note.trim() === '' ? null : note,
          ...(issued && draft === null ? { correction: true } : {}),
        }),
      (v) => v.detail,
    );
    if (!r.ok) {
      setError(r.error);
      return null;
    }
    localStorage.setItem(MEMBERS_KEY, JSON.stringify(members.map((m) => ({ name: m.name.trim(), role: m.role }))));
    setError(undefined);
    return r.value.decision;
  };

  const saveDraft = async () => {
    setBusy(true);
    await decide();
    setBusy(false);
  };
  const issue = async () => {
    setBusy(true);
    const d = await decide();
    if (d) {
      const r = await write(() => api.call('cases.issueProtocol', { decisionId: d.id }), (v) => v.detail);
      if (r.ok) {
        setCorrecting(false);
        setError(undefined);
      } else setError(r.error);
    }
    setBusy(false);
  };
  const deleteDraft = async () => {
    if (!draft) return;
    const r = await write(() => api.call('cases.deleteDecision', { decisionId: draft.id }), (v) => v);
    if (r.ok) {
      setCorrecting(false);
      setOutcome('');
      setReason(null);
    }
    setError(r.ok ? undefined : r.error);
  };

  return (
    <section className="panel decision" aria-labelledby="decision-title" data-testid="decision">
      <h2 id="decision-title">{t('ui.decision.title')}</h2>
      {issued && <IssuedDecision detail={detail} decision={issued} />}
      {issued && !editing && (
        <button type="button" onClick={() => setCorrecting(true)} data-testid="start-correction">
          {t('ui.decision.correct')}
        </button>
      )}
      {editing && (
        <form
          className="decision-form"
          onSubmit={(e) => {
            e.preventDefault();
            void saveDraft();
          }}
          aria-label={issued ? t('ui.decision.correctionTitle') : t('ui.decision.title')}
        >
          {issued && <p className="warning">{t('ui.decision.correctionLead', { number: issued.protocol?.label ?? '' })}</p>}
          {draft && <p className="muted small">{t('ui.decision.draftSaved', { version: draft.version })}</p>}
          <fieldset className="choices">
            <legend>{t('ui.decision.outcome')}</legend>
            {(['approved', 'refused'] as const).map((o) => (
              <div className="check-row" key={o}>
                <input type="radio" id={`outcome-${o}`} name="outcome" checked={outcome === o} onChange={() => setOutcome(o)} data-testid={`outcome-${o}`} />
                <label htmlFor={`outcome-${o}`}>{t(`ui.decision.${o}`)}</label>
              </div>
            ))}
          </fieldset>
          {outcome === 'refused' && (
            <fieldset className="choices" data-testid="reasons">
              <legend>{t('ui.decision.reason')}</legend>
              {REFUSAL_REASONS.map((r) => (
                <div className="check-row top" key={r}>
                  <input type="radio" id={`reason-${r}`} name="reason" checked={reason === r} onChange={() => setReason(r)} data-testid={`reason-${r}`} />
                  <label htmlFor={`reason-${r}`}>{t(`refusalReason.${r}`, { ns: 'rules' })}</label>
                </div>
              ))}
            </fieldset>
          )}
          <fieldset className="members">
            <legend>{t('ui.decision.members')}</legend>
            <table className="grid compact">
              <thead>
                <tr>
                  <th scope="col">{t('ui.decision.memberName')}</th>
                  <th scope="col">{t('ui.decision.memberRole')}</th>
                  <th scope="col">
                    <span className="sr-only">{t('ui.decision.removeMember')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {members.map((m, i) => (
                  <tr key={i} data-testid="member-row">
                    <td>
                      <input
                        aria-label={t('ui.decision.memberNameN', { n: i + 1 })}
                        value={m.name}
                        onChange={(e) => setMembers(members.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))}
                        data-testid="member-name"
                        size={34}
                      />
                    </td>
                    <td>
                      <select
                        aria-label={t('ui.decision.memberRoleN', { n: i + 1 })}
                        value={m.role}
                        onChange={(e) => setMembers(members.map((x, j) => (j === i ? { ...x, role: e.target.value as Member['role'] } : x)))}
                        data-testid="member-role"
                      >
                        {MEMBER_ROLES.map((r) => (
                          <option key={r} value={r}>
                            {t(`memberRole.${r}`, { ns: 'rules' })}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <button type="button" className="link danger" onClick={() => setMembers(members.filter((_, j) => j !== i))} aria-label={t('ui.decision.removeMemberN', { n: i + 1 })}>
                        ✕
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <button type="button" onClick={() => setMembers([...members, { name: '', role: 'member' }])} data-testid="add-member">
              + {t('ui.decision.addMember')}
            </button>
          </fieldset>
          <div className="row">
            <div className="field">
              <label htmlFor="decision-date">{t('ui.decision.date')}</label>
              <input id="decision-date" type="date" value={date} onChange={(e) => setDate(e.target.value)} data-testid="decision-date" />
            </div>
            <div className="field">
              <label htmlFor="decision-note">{t('ui.decision.note')}</label>
              <input id="decision-note" value={note} onChange={(e) => setNote(e.target.value)} data-testid="decision-note" />
            </div>
          </div>
          {!check.ok && outcome !== '' && (
            <p className="error" id="decision-why" data-testid="decision-forbidden" data-code={check.code}>
              {errorMessage({ code: check.code })}
            </p>
          )}
          <ErrorText error={error} />
          <div className="actions">
            <button type="submit" disabled={busy || !check.ok} aria-describedby={check.ok ? undefined : 'decision-why'} data-testid="decision-save">
              {t('ui.decision.saveDraft')}
            </button>
            <button type="button" className="primary" onClick={() => void issue()} disabled={busy || !check.ok} aria-describedby={check.ok ? undefined : 'decision-why'} data-testid="decision-issue">
              {t('ui.decision.issue')}
            </button>
            {draft && (
              <button type="button" className="danger" onClick={() => void deleteDraft()} data-testid="decision-delete">
                {t('ui.decision.deleteDraft')}
              </button>
            )}
            {correcting && !draft && (
              <button type="button" onClick={() => setCorrecting(false)}>
                {t('actions.cancel', { ns: 'common' })}
              </button>
            )}
          </div>
          <p className="small muted">{t('ui.decision.issueHint')}</p>
        </form>
      )}
      {detail.decisions.length > 1 && <DecisionHistory decisions={detail.decisions} />}
    </section>
  );
}

function IssuedDecision({ detail, decision }: { detail: CaseDetail; decision: DecisionView }) {
  const { t } = useTranslation('cases');
  return (
    <div className={`issued ${decision.outcome}`} data-testid="issued-decision" data-outcome={decision.outcome}>
      <p className="issued-head">
        <strong data-testid="protocol-number">{t('ui.decision.protocolNo', { number: decision.protocol?.label ?? '—' })}</strong>{' '}
        {t('ui.decision.ofDate', { date: fmtDate(decision.date) })} —{' '}
        <strong className={decision.outcome === 'approved' ? 'ok' : 'error'}>{t(`ui.status.${decision.outcome}`)}</strong>{' '}
        <span className="badge">{t('ui.decision.locked')}</span>
      </p>
      {decision.reason && <p>{t(`refusalReason.${decision.reason}`, { ns: 'rules' })}</p>}
      <ul className="member-list">
        {decision.members.map((m, i) => (
          <li key={i}>
            {m.name} — <span className="muted">{t(`memberRole.${m.role}`, { ns: 'rules' })}</span>
          </li>
        ))}
      </ul>
      {decision.note && <p className="muted">{decision.note}</p>}
      <p className="small muted">{t('ui.decision.lockedNote', { at: fmtInstant(decision.issuedAt) })}</p>
      <ProtocolActions detail={detail} decision={decision} />
    </div>
  );
}

function DecisionHistory({ decisions }: { decisions: DecisionView[] }) {
  const { t } = useTranslation('cases');
  return (
    <details className="history" data-testid="decision-history">
      <summary>{t('ui.decision.history', { count: decisions.length })}</summary>
      <table className="grid compact">
        <thead>
          <tr>
            <th scope="col">{t('ui.decision.version')}</th>
            <th scope="col">{t('ui.decision.protocol')}</th>
            <th scope="col">{t('ui.decision.date')}</th>
            <th scope="col">{t('ui.decision.outcome')}</th>
            <th scope="col">{t('ui.decision.state')}</th>
          </tr>
        </thead>
        <tbody>
          {decisions.map((d) => (
            <tr key={d.id}>
              <td>{d.version}</td>
              <td>{d.protocol?.label ?? '—'}</td>
              <td>{fmtDate(d.date)}</td>
              <td>
                {t(`ui.status.${d.outcome}`)}
                {d.reason && <span className="muted"> ({t(`ui.reasonShort.${d.reason}`)})</span>}
              </td>
              <td>{t(`ui.decisionState.${d.state}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
