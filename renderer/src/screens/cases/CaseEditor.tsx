import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CASE_CHANNELS, URGENCIES, type CaseDetail } from '../../../../shared/contract/cases';
import { localDatePart } from '../../../../shared/domain/deadline';
import type { Finding } from '../../../../shared/domain/packet';
import { checkIin } from '../../../../shared/domain/iin';
import type { AppError } from '../../../../shared/result';
import { useApi } from '../../api/context';
import { DueBadge } from '../../components/DueBadge';
import { ErrorText } from '../../components/ErrorText';
import { Field } from '../../components/Field';
import { FindingList } from '../../components/FindingList';
import { SaveState } from '../../components/SaveState';
import { href, navigate } from '../../router';
import { InpatientRefusalPanel } from '../aftercare/InpatientRefusalPanel';
import { AfterApproval } from './AfterApproval';
import { DecisionPanel } from './DecisionPanel';
import { fmtDate, fmtInstant, localizeError, personName, todayKz } from './format';
import { setupHref } from '../setup/SetupGuide';
import { controlOf, findingsFor, localFindings, mergedFindings, touchedControl, type FormState } from './model';
import { HtmpCodeField } from './HtmpCodeField';
import { PacketChecklist } from './PacketChecklist';
import { useCaseDraft } from './useCaseDraft';
import { ProviderPicker } from '../orgs/ProviderPicker';
import { DateField, TimeField } from '../../components/DateField';

/** One case: patient, packet, deadline and funding, decision, and what follows an approval. */
export function CaseEditor({ id }: { id: string }) {
  const { t, i18n } = useTranslation('cases');
  const api = useApi();
  const draft = useCaseDraft(id);
  const { detail, form, edit, flush } = draft;
  const [touched, setTouched] = useState<Set<string>>(new Set());
  // A case entered earlier shows every problem at once; a new one (a draft with no patient yet)
  // as its fields are left.
  const [showAll, setShowAll] = useState<boolean | null>(null);
  if (showAll === null && detail) {
    const p = detail.patient;
    setShowAll(!(detail.status === 'draft' && !p.iin && !p.lastName && !p.firstName));
  }
  const [actionError, setActionError] = useState<AppError>();
  const touch = (name: string) => setTouched((s) => (s.has(name) ? s : new Set(s).add(name)));

  const today = todayKz();
  const visited = (control: string) => showAll === true || touched.has(control);
  const local = useMemo(() => (form ? localFindings(form, (f) => showAll === true || touched.has(f), today) : []), [form, touched, showAll, today]);
  // Next to a field, a finding appears once the field was left (or registration was tried):
  // a new case opens calm, not with every rule it does not meet yet.
  const shown = useMemo(
    () =>
      detail
        ? mergedFindings(detail.findings, local).filter(
            (f) => visited(controlOf(f.field)) || f.code === 'patient.open_case_exists' || (f.code === 'patient.iin_mismatch' && visited('iin')),
          )
        : [],
    [detail, local, touched, showAll],
  );
  // The summary always counts a missing IIN, even before the field was visited.
  const summary = useMemo(() => (detail && form ? mergedFindings(detail.findings, localFindings(form, () => true, today)) : []), [detail, form, today]);
  // A new case opens with the cursor in the IIN field (the first thing read off the referral).
  const fresh = showAll === false;
  useEffect(() => {
    if (fresh) document.getElementById('iin')?.focus();
  }, [fresh]);

  if (draft.loadError) {
    return (
      <section className="screen">
        <p>
          <a href={href('cases')}>← {t('ui.list.title')}</a>
        </p>
        <ErrorText error={draft.loadError} />
      </section>
    );
  }
  if (!detail || !form) return <p className="muted">{t('ui.loading')}</p>;

  const set = <K extends keyof FormState>(key: K, value: FormState[K], now = false) => edit((f) => ({ ...f, [key]: value }), { now });
  const setP = <K extends keyof FormState['patient']>(key: K, value: FormState['patient'][K], now = false) =>
    edit((f) => ({ ...f, patient: { ...f.patient, [key]: value } }), { now });

  const iin = checkIin(form.patient.iin.replace(/\s+/g, ''), today);
  const onIin = (raw: string) => {
    const v = raw.replace(/[^0-9\s]/g, (c) => c).slice(0, 16);
    const c = checkIin(v.replace(/\s+/g, ''), today);
    // A valid IIN fills birth date and sex when they are empty or were filled from the IIN before
    // (a corrected IIN corrects them; what was typed by hand stays).
    edit((f) => {
      const before = checkIin(f.patient.iin.replace(/\s+/g, ''));
      const fromIin = <T,>(entered: T | '', prev: T | null, next: T | null): T | '' =>
        c.valid && next !== null && (entered === '' || (before.valid && entered === prev)) ? next : entered;
      return {
        ...f,
        patient: { ...f.patient, iin: v, birthDate: fromIin(f.patient.birthDate, before.birthDate, c.birthDate), sex: fromIin(f.patient.sex, before.sex, c.sex) },
      };
    });
  };

  const errors = summary.filter((f) => f.severity === 'error');
  const warnings = summary.filter((f) => f.severity === 'warning');
  const decided = detail.status === 'approved' || detail.status === 'refused';
  // An issued protocol: the case cannot be deleted, and its data is read-only until a correction starts.
  const issuedOnce = detail.decisions.some((d) => d.locked);
  const locked = detail.locked;
  const issuedNumber = detail.decisions.find((d) => d.state === 'issued')?.protocol?.label ?? '';
  const lang = i18n.language === 'ru' ? 'ru' : 'kk';
  const tech = detail.technology;
  const techName = tech ? (tech.name[lang] ?? tech.name[lang === 'kk' ? 'ru' : 'kk']) : null;

  const register = async () => {
    const r = await draft.write(() => api.call('cases.register', { id }), (v) => v);
    setActionError(r.ok ? undefined : localizeError(t, r.error));
    if (!r.ok) setShowAll(true);
  };
  const remove = async () => {
    if (!window.confirm(t(detail.status === 'draft' ? 'ui.case.deleteConfirm' : 'ui.case.deleteCaseConfirm'))) return;
    await flush();
    const r = await api.call('cases.delete', { id });
    if (r.ok) {
      draft.dropDraft();
      navigate('cases');
    } else setActionError(r.error);
  };

  return (
    <section className="screen case-screen" aria-labelledby="case-title">
      <div className="case-head">
        <a href={href('cases')} className="back" data-testid="back-to-list">
          ← {t('ui.list.title')}
        </a>
        <h1 id="case-title" data-testid="case-title">
          {personName(form.patient) || t('ui.case.untitled')}
          {form.patient.iin && <span className="mono head-iin">{form.patient.iin}</span>}
        </h1>
        <span className={`status status-${detail.status}`} data-testid="case-status" data-status={detail.status}>
          {t(`ui.status.${detail.status}`)}
        </span>
        <SaveState status={draft.status} at={draft.savedAt} error={draft.saveError} />
        <div className="actions head-actions">
          {draft.saveError?.code === 'cases.conflict' && (
            <button type="button" onClick={() => void draft.reload()}>
              {t('ui.case.reloadFromStore')}
            </button>
          )}
          {(detail.status === 'approved' || detail.status === 'refused') && (
            <button type="button" className="link" onClick={() => document.getElementById('decision-title')?.scrollIntoView({ block: 'start' })}>
              {t('ui.case.toDecision')}
            </button>
          )}
          {detail.status === 'draft' && (
            <button type="button" className="primary" onClick={() => void register()} data-testid="register">
              {t('ui.case.register')}
            </button>
          )}
          {!issuedOnce && (
            <button type="button" className="danger" onClick={() => void remove()} data-testid="delete-case">
              {t(detail.status === 'draft' ? 'ui.case.delete' : 'ui.case.deleteCase')}
            </button>
          )}
        </div>
      </div>
      <ErrorText error={actionError} />
      {draft.offer && <DraftOfferNote at={draft.offer.savedAt} onRestore={draft.restoreDraft} onDiscard={draft.discardDraft} />}
      {locked && (
        <p className="locked-note" role="note" data-testid="case-locked">
          {t('ui.case.lockedNote', { number: issuedNumber })}{' '}
          <button type="button" className="link" onClick={() => document.getElementById('decision-title')?.scrollIntoView({ block: 'start' })}>
            {t('ui.case.toCorrection')}
          </button>
        </p>
      )}

      <div className="case-summary panel" data-testid="case-summary">
        <div>
          <div className="label">{t('ui.case.due')}</div>
          {detail.due ? (
            <>
              <DueBadge due={detail.due.due} today={todayKz()} confirmed={detail.due.calendarConfirmed} decided={decided} />
              <div className="small">{t('deadline.review_due', { ns: 'rules', due: fmtDate(detail.due.due) })}</div>
              {!detail.due.calendarConfirmed && (
                <div className="small warning">
                  {t('calendar.unconfirmed', { ns: 'rules', years: detail.due.unconfirmedYears.join(', ') })}{' '}
                  <a href={setupHref('calendar')} data-testid="due-calendar-setup">
                    {t('guide.calendar.check', { ns: 'setup' })}
                  </a>
                </div>
              )}
            </>
          ) : (
            <span className="muted">{t('ui.due.none')}</span>
          )}
        </div>
        <div data-testid="funding">
          <div className="label">{t('ui.case.funding')}</div>
          {detail.funding ? (
            <>
              <strong>{t(`funding.channel.${detail.funding.channel ?? 'none'}`, { ns: 'rules' })}</strong>
              <div className="small">{t(detail.funding.reason.key, { ns: 'rules', ...detail.funding.reason.params })}</div>
            </>
          ) : (
            <span className="muted">{t('ui.case.fundingUnknown')}</span>
          )}
        </div>
        <div data-testid="technology" className="summary-wide">
          <div className="label">{t('ui.case.technology')}</div>
          {tech ? (
            <>
              <span className="mono">{tech.code}</span> <strong data-testid="technology-name">{techName ?? t('ui.case.noOfficialName')}</strong>
              {techName && tech.name[lang] === null && <span className="mark">{t('ui.case.nameOtherLang')}</span>}
              <div className="small muted" data-testid="technology-section">
                {tech.section ? t('ui.case.sectionOf', { heading: t(`listSections.${tech.section}`, { ns: 'pdf' }) }) : t('ui.case.sectionUnknown')}
              </div>
            </>
          ) : (
            <span className="muted">{t('ui.case.technologyUnknown')}</span>
          )}
        </div>
        <div data-testid="packet-state" data-complete={errors.length === 0}>
          <div className="label">{t('ui.packet.title')}</div>
          {errors.length === 0 ? (
            <strong className="ok">✓ {t('ui.packet.complete')}</strong>
          ) : (
            <>
              {showAll ? <strong className="error">{t('ui.packet.incomplete', { count: errors.length })}</strong> : <strong>{t('ui.packet.toFill', { count: errors.length })}</strong>}{' '}
              <a href="#" className="small" onClick={(e) => { e.preventDefault(); document.getElementById('packet-missing')?.scrollIntoView(); }}>
                {t('ui.packet.showWhat')}
              </a>
            </>
          )}
          {warnings.length > 0 && <div className="small warning">{t('ui.packet.warnings', { count: warnings.length })}</div>}
        </div>
      </div>

      <form
        className="case-form"
        onSubmit={(e) => {
          e.preventDefault();
          void flush();
        }}
        onBlur={(e) => {
          if (e.target.id) touch(touchedControl(e.target.id));
          void flush();
        }}
        aria-label={t('ui.case.formLabel')}
      >
        <div className="two-col">
          <fieldset className="panel" disabled={locked}>
            <legend>{t('ui.patient.title')}</legend>
            <div className="row">
              <Field
                id="iin"
                label={t('ui.patient.iin')}
                findings={findingsFor(shown, 'patient.iin')}
                hint={iin.birthDate ? t('ui.patient.fromIin', { date: fmtDate(iin.birthDate), sex: iin.sex ? t(`sex.${iin.sex}`, { ns: 'rules' }) : '—' }) : undefined}
              >
                {(p) => (
                  <input {...p} value={form.patient.iin} inputMode="numeric" autoComplete="off" maxLength={16} onChange={(e) => onIin(e.target.value)} onBlur={() => touch('iin')} data-testid="patient-iin" className="mono-input" />
                )}
              </Field>
              <Field id="phone" label={t('ui.patient.phone')}>
                {(p) => <input {...p} type="tel" value={form.patient.phone} onChange={(e) => setP('phone', e.target.value)} data-testid="patient-phone" />}
              </Field>
            </div>
            <SameIinCases detail={detail} findings={findingsFor(shown, 'patient.sameIin')} />
            <div className="row">
              <Field id="lastName" label={t('ui.patient.lastName')} findings={findingsFor(shown, 'patient.lastName')}>
                {(p) => <input {...p} value={form.patient.lastName} onChange={(e) => setP('lastName', e.target.value)} onBlur={() => touch('lastName')} data-testid="patient-lastName" />}
              </Field>
              <Field id="firstName" label={t('ui.patient.firstName')} findings={findingsFor(shown, 'patient.firstName')}>
                {(p) => <input {...p} value={form.patient.firstName} onChange={(e) => setP('firstName', e.target.value)} onBlur={() => touch('firstName')} data-testid="patient-firstName" />}
              </Field>
              <Field id="middleName" label={t('ui.patient.middleName')}>
                {(p) => <input {...p} value={form.patient.middleName} onChange={(e) => setP('middleName', e.target.value)} data-testid="patient-middleName" />}
              </Field>
            </div>
            <div className="row">
              <Field id="birthDate" label={t('ui.patient.birthDate')} findings={findingsFor(shown, 'patient.birthDate')}>
                {(p) => <DateField {...p} value={form.patient.birthDate} onChange={(e) => setP('birthDate', e.target.value)} data-testid="patient-birthDate" />}
              </Field>
              <Field id="sex" label={t('ui.patient.sex')} findings={findingsFor(shown, 'patient.sex')}>
                {(p) => (
                  <select {...p} value={form.patient.sex} onChange={(e) => setP('sex', e.target.value as FormState['patient']['sex'])} data-testid="patient-sex">
                    <option value="">—</option>
                    <option value="male">{t('sex.male', { ns: 'rules' })}</option>
                    <option value="female">{t('sex.female', { ns: 'rules' })}</option>
                  </select>
                )}
              </Field>
              <Field id="insured" label={t('ui.patient.insured')}>
                {(p) => (
                  <select {...p} value={form.patient.insured} onChange={(e) => setP('insured', e.target.value as FormState['patient']['insured'])} data-testid="patient-insured">
                    <option value="">{t('ui.patient.insuredUnknown')}</option>
                    <option value="yes">{t('ui.patient.insuredYes')}</option>
                    <option value="no">{t('ui.patient.insuredNo')}</option>
                  </select>
                )}
              </Field>
            </div>
            <Field id="primaryCareOrg" label={t('ui.patient.primaryCareOrg')}>
              {(p) => <input {...p} value={form.patient.primaryCareOrg} onChange={(e) => setP('primaryCareOrg', e.target.value)} data-testid="patient-primaryCareOrg" />}
            </Field>
          </fieldset>

          <fieldset className="panel" disabled={locked}>
            <legend>{t('ui.case.title')}</legend>
            <div className="row">
              <Field id="receivedDate" label={t('ui.case.receivedDate')} findings={findingsFor(shown, 'receivedAt')}>
                {(p) => <DateField {...p} value={form.receivedDate} onChange={(e) => set('receivedDate', e.target.value)} data-testid="case-receivedDate" />}
              </Field>
              <Field id="receivedTime" label={t('ui.case.receivedTime')}>
                {(p) => <TimeField {...p} value={form.receivedTime} onChange={(e) => set('receivedTime', e.target.value)} data-testid="case-receivedTime" />}
              </Field>
              <Field id="channel" label={t('ui.case.channel')} findings={findingsFor(shown, 'channel')}>
                {(p) => (
                  <select {...p} value={form.channel} onChange={(e) => set('channel', e.target.value as FormState['channel'])} data-testid="case-channel">
                    <option value="">—</option>
                    {CASE_CHANNELS.map((c) => (
                      <option key={c} value={c}>
                        {t(`ui.channel.${c}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
            <div className="check-row">
              <input id="inpatient" type="checkbox" checked={form.inpatient} onChange={(e) => set('inpatient', e.target.checked, true)} data-testid="case-inpatient" />
              <label htmlFor="inpatient">{t('ui.case.inpatient')}</label>
            </div>
            <div className="row code-row">
              <HtmpCodeField value={form.htmpCode} onDate={form.receivedDate} findings={findingsFor(shown, 'htmpCode')} onChange={(v, now) => set('htmpCode', v, now)} section={tech?.code === form.htmpCode.trim() ? tech.section : null} />
              <Field id="urgency" label={t('ui.case.urgency')} findings={findingsFor(shown, 'urgency')}>
                {(p) => (
                  <select {...p} value={form.urgency} onChange={(e) => set('urgency', e.target.value as FormState['urgency'])} data-testid="case-urgency">
                    <option value="">—</option>
                    {URGENCIES.map((u) => (
                      <option key={u} value={u}>
                        {t(`urgency.${u}`, { ns: 'rules' })}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
            <div className="row diag-row">
              <Field id="icd10" label={t('ui.case.icd10')} findings={findingsFor(shown, 'diagnosis.icd10')} className="narrow-field">
                {(p) => <input {...p} value={form.icd10} onChange={(e) => set('icd10', e.target.value)} onBlur={() => touch('icd10')} placeholder="I25.1" className="mono-input" data-testid="case-icd10" />}
              </Field>
              <Field id="diagnosisText" label={t('ui.case.diagnosisText')} findings={findingsFor(shown, 'diagnosis.text')}>
                {(p) => <input {...p} value={form.diagnosisText} onChange={(e) => set('diagnosisText', e.target.value)} data-testid="case-diagnosisText" />}
              </Field>
            </div>
            {(() => {
              const s = local.find((f) => f.field === 'diagnosis.icd10')?.params.suggestion;
              return typeof s === 'string' ? (
                <button type="button" className="link" onClick={() => set('icd10', s, true)} data-testid="icd10-suggestion">
                  {t('ui.case.useCode', { code: s })}
                </button>
              ) : null;
            })()}
            <Field id="specialistConclusion" label={t('ui.case.specialistConclusion')}>
              {(p) => <textarea {...p} rows={2} value={form.specialistConclusion} onChange={(e) => set('specialistConclusion', e.target.value)} data-testid="case-specialistConclusion" />}
            </Field>
            {/* The provider is chosen from the registry (orgs area); its name is kept in the case as text too. */}
            <ProviderPicker
              caseId={id}
              code={form.htmpCode}
              choose={(orgId) =>
                draft.write(
                  async () => {
                    const r = await api.call('orgs.setCaseProvider', { caseId: id, orgId, lang: i18n.language === 'ru' ? 'ru' : 'kk' });
                    return r.ok ? api.call('cases.get', { id }) : { ok: false as const, error: r.error };
                  },
                  (d) => d,
                )
              }
            />
            <Field id="notes" label={t('ui.case.notes')}>
              {(p) => <textarea {...p} rows={2} value={form.notes} onChange={(e) => set('notes', e.target.value)} data-testid="case-notes" />}
            </Field>
          </fieldset>
        </div>

        <PacketChecklist id={id} detail={detail} form={form} findings={shown} edit={edit} write={draft.write} readOnly={locked} />
        <div id="packet-missing" className="panel" data-testid="packet-findings">
          <h2>{errors.length === 0 ? t('ui.packet.complete') : t('ui.packet.whatIsMissing')}</h2>
          {summary.length === 0 ? <p className="ok">{t('ui.packet.noFindings')}</p> : <FindingList findings={summary} testId="all-findings" calm={!showAll} />}
        </div>
      </form>

      <DecisionPanel detail={detail} write={draft.write} />
      {detail.status === 'approved' && <AfterApproval detail={detail} write={draft.write} />}
      {detail.status === 'refused' && detail.inpatient && <InpatientRefusalPanel caseId={detail.id} />}
    </section>
  );
}

/** The other cases of a patient with this IIN, with their protocols: a second open case may be the same referral entered twice. */
function SameIinCases({ detail, findings }: { detail: CaseDetail; findings: Finding[] }) {
  const { t } = useTranslation('cases');
  if (detail.sameIin.length === 0) return null;
  return (
    <div className="same-iin" data-testid="same-iin" role="group" aria-labelledby="same-iin-title">
      <FindingList findings={findings} testId="findings-sameIin" />
      <div id="same-iin-title" className="label">
        {t('ui.patient.sameIinTitle')}
      </div>
      <ul>
        {detail.sameIin.map((c) => (
          <li key={c.id} data-testid="same-iin-case">
            <a href={href('cases', c.id)}>{t('ui.patient.sameIinCase', { date: fmtDate(localDatePart(c.receivedAt)), code: c.htmpCode || '—' })}</a>{' '}
            <span className={`status status-${c.status}`}>{t(`ui.status.${c.status}`)}</span>
            {c.protocols.length === 0 ? (
              <span className="muted small"> · {t('ui.patient.sameIinNoProtocol')}</span>
            ) : (
              c.protocols.map((p) => (
                <span key={p.decisionId} className="small">
                  {' · '}
                  {t('ui.patient.sameIinProtocol', { number: p.number, date: fmtDate(p.date), outcome: t(`ui.status.${p.outcome}`) })}
                  {p.state === 'superseded' && <span className="muted"> ({t('ui.decisionState.superseded')})</span>}
                </span>
              ))
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Unsaved edits of this user found for the case (a closed tab, a restarted host): restore or discard. */
function DraftOfferNote({ at, onRestore, onDiscard }: { at: string; onRestore: () => void; onDiscard: () => void }) {
  const { t } = useTranslation('setup');
  return (
    <div className="draft-offer" role="alert" data-testid="draft-offer">
      <p>
        <strong>{t('draft.found', { at: fmtInstant(at) })}</strong> {t('draft.foundHint')}
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={onRestore} data-testid="draft-restore">
          {t('draft.restore')}
        </button>
        <button type="button" onClick={onDiscard} data-testid="draft-discard">
          {t('draft.discard')}
        </button>
      </div>
    </div>
  );
}
