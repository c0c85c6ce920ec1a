import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StandingMember } from '../../../../shared/contract';
import { MEMBER_ROLES, REFUSAL_REASONS, type CaseDetail, type DecisionView, type IssueCheckResult, type IssueGap, type Member } from '../../../../shared/contract/cases';
import { packetDefects } from '../../../../shared/domain/packet';
import type { AppError, Result } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { fmtDate, fmtInstant, localizeError, todayKz } from './format';
import { IssuedStatement } from './IssuedStatement';
import { ProtocolActions } from './ProtocolActions';
import type { SetupStep } from '../../../../shared/contract/setup';
import { setupHref } from '../setup/SetupGuide';
import { DateField } from '../../components/DateField';

type Write = <T>(call: () => Promise<Result<T>>, pick: (v: T) => CaseDetail) => Promise<Result<T>>;
type Outcome = '' | 'approved' | 'refused';
type Reason = (typeof REFUSAL_REASONS)[number];
type Lang = 'kk' | 'ru';

/** A row of the members table: a standing member (present or not) or someone added for this sitting. */
interface MemberRow {
  key: string;
  present: boolean;
  /** From the standing members of the Settings (name, position, role fixed here). */
  standing: boolean;
  name: Member['name'];
  role: Member['role'];
  position: { kk: string; ru: string } | null;
}

let rowSeq = 0;
const newKey = () => `m${++rowSeq}`;
const sameName = (a: Member['name'], b: Member['name']): boolean =>
  typeof a === 'string' || typeof b === 'string'
    ? (typeof a === 'string' ? a : a.kk) === (typeof b === 'string' ? b : b.kk) || (typeof a === 'string' ? a : a.ru) === (typeof b === 'string' ? b : b.ru)
    : a.kk === b.kk && a.ru === b.ru;

export const nameIn = (name: Member['name'], lang: Lang): string => (typeof name === 'string' ? name : name[lang] || name[lang === 'kk' ? 'ru' : 'kk']);

function fromStanding(m: StandingMember, present: boolean): MemberRow {
  return { key: newKey(), present, standing: true, name: m.name.kk === m.name.ru ? m.name.kk : { ...m.name }, role: m.role, position: m.position };
}

/**
 * The rows of a decision: the members of the decision being edited (for a new one: the members of
 * this user's last decision, else the standing members), then the standing members not in it, unticked. With no standing members the table
 * starts with an empty chair and secretary to fill in.
 */
function initialRows(base: DecisionView | null, standing: StandingMember[], last: Member[] | null = null): MemberRow[] {
  if (!base) {
    // A new decision starts from the members of this user's last one when there was one.
    if (last && last.length > 0) return membersRows(last, standing);
    if (standing.length > 0) return standing.map((m) => fromStanding(m, true));
    return (['chair', 'member', 'secretary'] as const).map((role) => ({ key: newKey(), present: true, standing: false, name: '', role, position: null }));
  }
  return membersRows(base.members, standing);
}

/** Rows for the given members (present), then the standing members not among them (unticked). */
function membersRows(members: Member[], standing: StandingMember[]): MemberRow[] {
  const rows: MemberRow[] = members.map((m) => {
    const s = standing.find((x) => x.role === m.role && sameName(m.name, x.name.kk === x.name.ru ? x.name.kk : x.name));
    return { key: newKey(), present: true, standing: s !== undefined, name: m.name, role: m.role, position: m.position ?? null };
  });
  for (const s of standing) {
    if (!rows.some((r) => r.standing && sameName(r.name, s.name.kk === s.name.ru ? s.name.kk : s.name))) rows.push(fromStanding(s, false));
  }
  return rows;
}

const toMember = (r: MemberRow): Member => ({
  name: typeof r.name === 'string' ? r.name.trim() : { kk: r.name.kk.trim(), ru: r.name.ru.trim() },
  role: r.role,
  ...(r.position ? { position: r.position } : {}),
});

/**
 * The commission's decision: approve, or refuse on exactly one ground of point 40, with the members
 * present (the standing members of the Settings, ticked) and the date. Everything the protocol
 * needs is checked as it is entered (`cases.issueCheck`) and named in words; "Issue protocol" is
 * offered only when nothing is missing, asks for confirmation (number, outcome, patient, members)
 * and decides and issues in one call, so a failure leaves nothing behind. Once issued, the case
 * shows the protocol as issued; a change is a correction: a new version with a new number and a
 * note saying why.
 */
export function DecisionPanel({ detail, write }: { detail: CaseDetail; write: Write }) {
  const { t, i18n } = useTranslation('cases');
  const lang: Lang = i18n.language === 'ru' ? 'ru' : 'kk';
  const api = useApi();
  const standingQuery = useQuery('settings.members', {});
  const prefsQuery = useQuery('prefs.get', {});
  // This user's members of the last decision (null: none yet, or not readable).
  const lastMembers = prefsQuery.data ? prefsQuery.data.lastMembers : prefsQuery.error ? null : undefined;
  // Without the standing members (not set up, or not readable) the members are typed in.
  const standing = standingQuery.data?.members ?? (standingQuery.error ? [] : undefined);
  const issued = detail.decisions.find((d) => d.state === 'issued') ?? null;
  const draft = detail.draftDecision;
  const correcting = issued !== null && draft !== null;
  const editing = draft !== null || issued === null;
  const base = draft;

  const [outcome, setOutcome] = useState<Outcome>('');
  const [reason, setReason] = useState<Reason | null>(null);
  const [rows, setRows] = useState<MemberRow[] | null>(null);
  const [date, setDate] = useState(todayKz());
  const [note, setNote] = useState('');
  const [error, setError] = useState<AppError>();
  const [busy, setBusy] = useState(false);
  const [check, setCheck] = useState<IssueCheckResult | null>(null);
  const [confirming, setConfirming] = useState(false);

  // Follow the stored draft (or start from the standing members) when it changes.
  const baseKey = `${base ? `${base.id}:${base.updatedAt}` : 'none'}|${standing && lastMembers !== undefined ? 'loaded' : 'loading'}`;
  useEffect(() => {
    if (!standing || lastMembers === undefined) return;
    setRows(initialRows(base, standing, lastMembers));
    if (base) {
      setOutcome(base.outcome);
      setReason(base.reason);
      setDate(base.date);
      setNote(base.note ?? '');
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [baseKey]);

  const members = useMemo(() => (rows ?? []).filter((r) => r.present).map(toMember), [rows]);
  const defects = packetDefects(detail.findings);
  const args = outcome === '' ? null : {
    caseId: detail.id,
    outcome,
    reason: outcome === 'refused' ? reason : null,
    members,
    date,
    note: note.trim() === '' ? null : note,
    ...(correcting ? { correction: true } : {}),
  };
  const argsKey = JSON.stringify(args) + detail.updatedAt;

  // The issue check, as the form changes (a short pause between keystrokes).
  useEffect(() => {
    if (!editing || !args) {
      setCheck(null);
      return;
    }
    let live = true;
    const h = setTimeout(() => {
      void api.call('cases.issueCheck', args).then((r) => {
        if (live) setCheck(r.ok ? r.value : null);
      });
    }, 250);
    return () => {
      live = false;
      clearTimeout(h);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [argsKey, editing, api]);

  const gaps: IssueGap[] = outcome === '' ? [{ code: 'outcome' }] : (check?.gaps ?? []);
  const ready = outcome !== '' && check !== null && check.ready && check.date === date;

  // The members of this user's last decision start the next one (kept per user in the core).
  const rememberMembers = (m: Member[]) => void api.call('prefs.set', { lastMembers: m });

  const register = async (): Promise<boolean> => {
    if (detail.status !== 'draft') return true;
    const reg = await write(() => api.call('cases.register', { id: detail.id }), (v) => v);
    if (!reg.ok) setError(localizeError(t, reg.error));
    return reg.ok;
  };

  const saveDraft = async () => {
    if (!args) return;
    setBusy(true);
    if (await register()) {
      const r = await write(() => api.call('cases.decide', args), (v) => v.detail);
      setError(r.ok ? undefined : r.error);
      if (r.ok) rememberMembers(args.members);
    }
    setBusy(false);
  };

  // Decide and issue in one call: when anything fails, no draft is left behind.
  const issue = async () => {
    if (!args) return;
    setBusy(true);
    setConfirming(false);
    if (await register()) {
      const r = await write(() => api.call('cases.decide', { ...args, issue: true }), (v) => v.detail);
      setError(r.ok ? undefined : r.error);
      if (r.ok) rememberMembers(args.members);
    }
    setBusy(false);
  };

  const startCorrection = async () => {
    if (!issued) return;
    setBusy(true);
    const r = await write(
      () =>
        api.call('cases.decide', {
          caseId: detail.id,
          outcome: issued.outcome,
          reason: issued.reason,
          members: issued.members,
          date: todayKz(),
          note: null,
          correction: true,
        }),
      (v) => v.detail,
    );
    setError(r.ok ? undefined : r.error);
    setBusy(false);
  };

  const deleteDraft = async () => {
    if (!draft) return;
    const r = await write(() => api.call('cases.deleteDecision', { decisionId: draft.id }), (v) => v);
    if (r.ok && !correcting) {
      setOutcome('');
      setReason(null);
      setNote('');
    }
    setError(r.ok ? undefined : r.error);
  };

  const setRow = (key: string, patch: Partial<MemberRow>) => setRows((rs) => (rs ?? []).map((r) => (r.key === key ? { ...r, ...patch } : r)));
  // The three grounds of point 40; "incomplete packet" only when a document of point 34 is missing or defective.
  const reasons = REFUSAL_REASONS.filter((r) => r !== 'incomplete_packet' || defects.length > 0 || reason === 'incomplete_packet');

  return (
    <section className="panel decision" aria-labelledby="decision-title" data-testid="decision">
      <h2 id="decision-title">{t('ui.decision.title')}</h2>
      {issued && <IssuedDecision detail={detail} decision={issued} />}
      {issued && !editing && (
        <button type="button" onClick={() => void startCorrection()} disabled={busy} data-testid="start-correction">
          {t('ui.decision.correct')}
        </button>
      )}
      {editing && rows && (
        <form
          className="decision-form"
          onSubmit={(e) => {
            e.preventDefault();
            void saveDraft();
          }}
          aria-label={correcting ? t('ui.decision.correctionTitle') : t('ui.decision.title')}
        >
          {correcting && issued && <p className="warning" data-testid="correction-lead">{t('ui.decision.correctionLead', { number: issued.protocol?.label ?? '' })}</p>}
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
              {reasons.map((r) => (
                <div className="check-row top" key={r}>
                  <input type="radio" id={`reason-${r}`} name="reason" checked={reason === r} onChange={() => setReason(r)} data-testid={`reason-${r}`} />
                  <label htmlFor={`reason-${r}`}>{t(`refusalReason.${r}`, { ns: 'rules' })}</label>
                </div>
              ))}
              {!reasons.includes('incomplete_packet') && <p className="hint" data-testid="incomplete-hidden">{t('ui.decision.incompleteHidden')}</p>}
            </fieldset>
          )}
          <fieldset className="members">
            <legend>{t('ui.decision.members')}</legend>
            {standing && standing.length === 0 && (
              <p className="hint" data-testid="no-standing-members">
                {t('ui.decision.noStanding')} <a href={setupHref('members')} data-testid="no-standing-setup">{t('ui.decision.toSettings')}</a>
              </p>
            )}
            <table className="grid compact">
              <thead>
                <tr>
                  <th scope="col">{t('ui.decision.present')}</th>
                  <th scope="col">{t('ui.decision.memberName')}</th>
                  <th scope="col">{t('ui.decision.memberPosition')}</th>
                  <th scope="col">{t('ui.decision.memberRole')}</th>
                  <th scope="col">
                    <span className="sr-only">{t('ui.decision.removeMember')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((m, i) => (
                  <tr key={m.key} data-testid="member-row" data-present={m.present}>
                    <td>
                      {m.standing && (
                        <input
                          type="checkbox"
                          checked={m.present}
                          onChange={(e) => setRow(m.key, { present: e.target.checked })}
                          aria-label={t('ui.decision.presentN', { name: nameIn(m.name, lang) })}
                          data-testid="member-present"
                        />
                      )}
                    </td>
                    <td>
                      {m.standing ? (
                        <span data-testid="member-standing-name">{nameIn(m.name, lang)}</span>
                      ) : (
                        <input
                          aria-label={t('ui.decision.memberNameN', { n: i + 1 })}
                          value={typeof m.name === 'string' ? m.name : m.name[lang]}
                          onChange={(e) => setRow(m.key, { name: e.target.value })}
                          data-testid="member-name"
                          size={30}
                        />
                      )}
                    </td>
                    <td className="small">{m.position ? m.position[lang] : ''}</td>
                    <td>
                      {m.standing ? (
                        t(`memberRole.${m.role}`, { ns: 'rules' })
                      ) : (
                        <select
                          aria-label={t('ui.decision.memberRoleN', { n: i + 1 })}
                          value={m.role}
                          onChange={(e) => setRow(m.key, { role: e.target.value as Member['role'] })}
                          data-testid="member-role"
                        >
                          {MEMBER_ROLES.map((r) => (
                            <option key={r} value={r}>
                              {t(`memberRole.${r}`, { ns: 'rules' })}
                            </option>
                          ))}
                        </select>
                      )}
                    </td>
                    <td>
                      {!m.standing && (
                        <button type="button" className="link danger" onClick={() => setRows(rows.filter((x) => x.key !== m.key))} aria-label={t('ui.decision.removeMemberN', { n: i + 1 })}>
                          ✕
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <button type="button" onClick={() => setRows([...rows, { key: newKey(), present: true, standing: false, name: '', role: 'member', position: null }])} data-testid="add-member">
              + {t('ui.decision.addMember')}
            </button>
          </fieldset>
          <div className="row">
            <div className="field">
              <label htmlFor="decision-date">{t('ui.decision.date')}</label>
              <DateField id="decision-date" value={date} max={todayKz()} onChange={(e) => setDate(e.target.value)} data-testid="decision-date" />
            </div>
            <div className="field">
              <label htmlFor="decision-note">{correcting ? t('ui.decision.correctionNote') : t('ui.decision.note')}</label>
              <input id="decision-note" value={note} onChange={(e) => setNote(e.target.value)} aria-required={correcting} data-testid="decision-note" />
            </div>
          </div>
          {gaps.length > 0 && <GapList gaps={gaps} />}
          <ErrorText error={error} />
          <div className="actions">
            <button type="submit" disabled={busy || outcome === ''} data-testid="decision-save">
              {t('ui.decision.saveDraft')}
            </button>
            <button
              type="button"
              className="primary"
              onClick={() => setConfirming(true)}
              disabled={busy || !ready}
              aria-describedby={ready ? undefined : 'decision-gaps'}
              data-testid="decision-issue"
            >
              {t('ui.decision.issue')}
            </button>
            {draft && !correcting && (
              <button type="button" className="danger" onClick={() => void deleteDraft()} data-testid="decision-delete">
                {t('ui.decision.deleteDraft')}
              </button>
            )}
            {correcting && (
              <button type="button" onClick={() => void deleteDraft()} data-testid="cancel-correction">
                {t('ui.decision.cancelCorrection')}
              </button>
            )}
          </div>
          <p className="small muted">{t('ui.decision.issueHint')}</p>
        </form>
      )}
      {confirming && check && <ConfirmIssue check={check} onConfirm={() => void issue()} onCancel={() => setConfirming(false)} />}
      {detail.decisions.length > 1 && <DecisionHistory decisions={detail.decisions} />}
    </section>
  );
}

/** Where each gap is fixed: a field of the case screen (focused on click), or the Settings. */
const GAP_FIELD: Partial<Record<IssueGap['code'], string>> = {
  received_at: 'receivedDate',
  last_name: 'lastName',
  first_name: 'firstName',
  iin: 'iin',
  iin_mismatch: 'iin',
  icd10: 'icd10',
  diagnosis_text: 'diagnosisText',
  htmp_code: 'htmpCode',
  htmp_code_unknown: 'htmpCode',
  htmp_code_not_in_force: 'htmpCode',
  urgency: 'urgency',
  urgency_mismatch: 'urgency',
  date: 'decision-date',
  date_future: 'decision-date',
  date_before_receipt: 'decision-date',
  correction_note: 'decision-note',
};
/** Gaps set once for the installation: each links to its step of the first-start guide. */
const IN_SETUP: Partial<Record<IssueGap['code'], SetupStep>> = {
  commission_name_kk: 'names',
  commission_name_ru: 'names',
  authority_name_kk: 'names',
  authority_name_ru: 'names',
  members_none: 'members',
};

/** What keeps the protocol from being issued, each item in words (a packet finding's own message when there is one). */
function GapList({ gaps }: { gaps: IssueGap[] }) {
  const { t } = useTranslation('cases');
  return (
    <div className="gaps" id="decision-gaps" role="status" data-testid="decision-gaps">
      <p className="gaps-title">{t('ui.decision.gapsTitle', { count: gaps.length })}</p>
      <ul>
        {gaps.map((g, i) => {
          const text = g.finding ? t(`findings.${g.finding.code}`, { ns: 'rules', ...g.finding.params }) : t(`issueGap.${g.code}`, { ...(g.params ?? {}) });
          const field = GAP_FIELD[g.code];
          return (
            <li key={`${g.code}-${i}`} data-gap={g.code}>
              {field ? (
                <button type="button" className="link" onClick={() => document.getElementById(field)?.focus()}>
                  {text}
                </button>
              ) : IN_SETUP[g.code] ? (
                <a href={setupHref(IN_SETUP[g.code]!)} data-testid={`gap-setup-${IN_SETUP[g.code]}`}>
                  {text}
                </a>
              ) : (
                text
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** The last look before a protocol is issued: its number, the outcome, the patient, the members. */
function ConfirmIssue({ check, onConfirm, onCancel }: { check: IssueCheckResult; onConfirm(): void; onCancel(): void }) {
  const { t, i18n } = useTranslation('cases');
  const lang: Lang = i18n.language === 'ru' ? 'ru' : 'kk';
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const tech = check.technology;
  const techName = tech ? (tech.name[lang] ?? tech.name[lang === 'kk' ? 'ru' : 'kk'] ?? '') : '';
  return (
    <dialog ref={ref} className="confirm-issue" aria-labelledby="confirm-issue-title" onCancel={onCancel} data-testid="confirm-issue">
      <h2 id="confirm-issue-title">{t('ui.decision.confirmTitle', { number: check.nextNumber ?? '' })}</h2>
      <dl className="facts">
        {check.replaces && (
          <div className="facts-row">
            <dt>{t('ui.decision.confirmReplaces')}</dt>
            <dd>{check.replaces}</dd>
          </div>
        )}
        <div className="facts-row">
          <dt>{t('ui.decision.outcome')}</dt>
          <dd data-testid="confirm-outcome">
            <strong className={check.outcome === 'approved' ? 'ok' : 'error'}>{t(`decisionOutcome.${check.outcome}`, { ns: 'rules' })}</strong>
            {check.reason && <div className="small">{t(`refusalReason.${check.reason}`, { ns: 'rules' })}</div>}
          </dd>
        </div>
        <div className="facts-row">
          <dt>{t('ui.decision.confirmPatient')}</dt>
          <dd data-testid="confirm-patient">
            {check.patient.name} <span className="mono">{check.patient.iin}</span>
          </dd>
        </div>
        {tech && (
          <div className="facts-row">
            <dt>{t('ui.case.technology')}</dt>
            <dd>
              <span className="mono">{tech.code}</span> {techName}
            </dd>
          </div>
        )}
        <div className="facts-row">
          <dt>{t('ui.decision.date')}</dt>
          <dd>{fmtDate(check.date)}</dd>
        </div>
        <div className="facts-row">
          <dt>{t('ui.decision.members')}</dt>
          <dd>
            <ul className="member-list" data-testid="confirm-members">
              {check.members.map((m, i) => (
                <li key={i}>
                  {nameIn(m.name, lang)} — <span className="muted">{t(`memberRole.${m.role}`, { ns: 'rules' })}</span>
                </li>
              ))}
            </ul>
          </dd>
        </div>
      </dl>
      <p className="small muted">{t('ui.decision.confirmLead')}</p>
      <div className="actions">
        <button type="button" className="primary" onClick={onConfirm} data-testid="confirm-issue-yes" autoFocus>
          {t('ui.decision.confirmYes', { number: check.nextNumber ?? '' })}
        </button>
        <button type="button" onClick={onCancel} data-testid="confirm-issue-no">
          {t('actions.cancel', { ns: 'common' })}
        </button>
      </div>
    </dialog>
  );
}

function IssuedDecision({ detail, decision }: { detail: CaseDetail; decision: DecisionView }) {
  const { t } = useTranslation('cases');
  const state = useQuery('protocols.forCase', { caseId: detail.id }, [decision.id, decision.state]);
  return (
    <div className={`issued ${decision.outcome}`} data-testid="issued-decision" data-outcome={decision.outcome}>
      <p className="issued-head">
        <strong data-testid="protocol-number">{t('ui.decision.protocolNo', { number: decision.protocol?.label ?? '—' })}</strong>{' '}
        {t('ui.decision.ofDate', { date: fmtDate(decision.date) })} —{' '}
        <strong className={decision.outcome === 'approved' ? 'ok' : 'error'}>{t(`ui.status.${decision.outcome}`)}</strong>{' '}
        <span className="badge">{t('ui.decision.locked')}</span>
      </p>
      {state.data?.statement ? (
        <IssuedStatement statement={state.data.statement} />
      ) : (
        decision.reason && <p>{t(`refusalReason.${decision.reason}`, { ns: 'rules' })}</p>
      )}
      {decision.note && (
        <p className="muted" data-testid="decision-note-shown">
          {t('ui.decision.noteShown', { note: decision.note })}
        </p>
      )}
      <p className="small muted">{t('ui.decision.lockedNote', { at: fmtInstant(decision.issuedAt) })}</p>
      <ProtocolActions detail={detail} decision={decision} state={state} />
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
            <th scope="col">{t('ui.decision.note')}</th>
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
              <td>{d.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
