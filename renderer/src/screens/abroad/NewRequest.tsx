import { useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ABROAD_CATEGORIES,
  CATEGORY_CONFIRMATIONS,
  checkEligibility,
  DISEASE_GROUPS,
  TRANSPLANT_KINDS,
  type ConfirmationId,
  type TransplantKind,
} from '../../../../shared/domain/abroad';
import { checkIin } from '../../../../shared/domain/iin';
import { kzToday } from '../../../../shared/domain/kz-time';
import type { AppError } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { errorMessage } from '../../i18n';
import { navigate } from '../../router';
import { fmtDate, pendingLabel, pick, refusalError } from './format';
import { DateField } from '../../components/DateField';

type Tri = '' | 'yes' | 'no';
const toValue = (v: Tri): boolean | null => (v === 'yes' ? true : v === 'no' ? false : null);

/**
 * A new request: the patient, the category and the disease group (each with the text it is
 * quoted from), the category's conditions; the check against the lists updates as they are
 * chosen, and a request that does not qualify cannot be created (the reason is shown).
 */
export function NewRequest() {
  const { t, i18n } = useTranslation('abroad');
  const api = useApi();
  const [iin, setIin] = useState('');
  const [lastName, setLastName] = useState('');
  const [firstName, setFirstName] = useState('');
  const [middleName, setMiddleName] = useState('');
  const [startedOn, setStartedOn] = useState(kzToday());
  const [category, setCategory] = useState<string>('child');
  const [group, setGroup] = useState<string>('');
  const [transplantKind, setTransplantKind] = useState<TransplantKind | ''>('');
  const [conf, setConf] = useState<Partial<Record<ConfirmationId, Tri>>>({});
  const [instructionRef, setInstructionRef] = useState('');
  const [icd, setIcd] = useState('');
  const [diagnosis, setDiagnosis] = useState('');
  const [notes, setNotes] = useState('');
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<AppError>();
  const [busy, setBusy] = useState(false);
  const errorRef = useRef<HTMLDivElement>(null);

  const iinCheck = checkIin(iin.trim());
  const validDate = /^\d{4}-\d{2}-\d{2}$/.test(startedOn);
  const ref = useQuery('abroad.reference', validDate ? { today: startedOn } : null);
  const required = (CATEGORY_CONFIRMATIONS as Record<string, readonly ConfirmationId[]>)[category] ?? [];
  const confirmations = Object.fromEntries(required.map((c) => [c, toValue(conf[c] ?? '')])) as Partial<Record<ConfirmationId, boolean | null>>;
  const check = useMemo(
    () =>
      group === ''
        ? null
        : checkEligibility({ category, diseaseGroup: group, birthDate: iinCheck.valid ? iinCheck.birthDate : null, startedOn, transplantKind: transplantKind || null, confirmations }),
    [category, group, iinCheck.valid, iinCheck.birthDate, startedOn, transplantKind, JSON.stringify(confirmations)],
  );

  const fieldError = (name: string): string | undefined => {
    if (!touched[name]) return undefined;
    if (name === 'iin') return iinCheck.valid ? undefined : t('ui.form.iinInvalid');
    if (name === 'lastName' && !lastName.trim()) return t('ui.form.required');
    if (name === 'firstName' && !firstName.trim()) return t('ui.form.required');
    if (name === 'group' && !group) return t('ui.form.required');
    if (name === 'startedOn' && !validDate) return t('ui.form.required');
    return undefined;
  };
  const blur = (name: string) => () => setTouched((x) => ({ ...x, [name]: true }));
  const invalid = (name: string) => (fieldError(name) ? true : undefined);
  const describedBy = (name: string) => (fieldError(name) ? `abroad-${name}-error` : undefined);
  const errorLine = (name: string) =>
    fieldError(name) ? (
      <span className="error small" id={`abroad-${name}-error`}>
        {fieldError(name)}
      </span>
    ) : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched({ iin: true, lastName: true, firstName: true, group: true, startedOn: true });
    const firstBad = ['iin', 'lastName', 'firstName', 'startedOn', 'group'].find((n) =>
      n === 'iin' ? !iinCheck.valid : n === 'lastName' ? !lastName.trim() : n === 'firstName' ? !firstName.trim() : n === 'group' ? !group : !validDate,
    );
    if (firstBad) {
      document.getElementById(`abroad-${firstBad}`)?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    const r = await api.call('abroad.create', {
      patient: { iin: iin.trim(), lastName: lastName.trim(), firstName: firstName.trim(), middleName: middleName.trim() || null },
      category,
      diseaseGroup: group,
      startedOn,
      ...(group === 'transplantation' && transplantKind ? { transplantKind } : {}),
      confirmations,
      instructionRef: category === 'service_injury' ? instructionRef.trim() || null : null,
      diagnosis: { icd10: icd.trim(), text: diagnosis.trim() },
      notes: notes.trim() || null,
    });
    setBusy(false);
    if (r.ok) navigate('abroad', 'r', r.value.id);
    else {
      setError(r.error);
      setTimeout(() => errorRef.current?.querySelector<HTMLElement>('[role=alert]')?.focus(), 0);
    }
  };

  const inForce = ref.data?.inForce ? ref.data.routes.routes.find((x) => x.id === ref.data!.inForce!.id && x.version === ref.data!.inForce!.version) : null;
  const lang = i18n.language;

  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate data-testid="abroad-form" aria-labelledby="abroad-form-title">
      <h2 id="abroad-form-title">{t('ui.form.title')}</h2>
      <div className="two-col">
        <div className="form">
          <fieldset className="abroad-set">
            <legend>{t('ui.form.patient')}</legend>
            <div className="form">
              <label>
                {t('ui.form.iin')}
                <input id="abroad-iin" className="mono-input" inputMode="numeric" maxLength={12} value={iin} onChange={(e) => setIin(e.target.value.replace(/\D/g, ''))} onBlur={blur('iin')} aria-invalid={invalid('iin')} aria-describedby={describedBy('iin') ?? 'abroad-iin-hint'} data-testid="abroad-iin" />
                {errorLine('iin') ?? (
                  <span className="hint small muted" id="abroad-iin-hint">
                    {iinCheck.valid && iinCheck.birthDate ? `${t('ui.form.birthDate')}: ${fmtDate(iinCheck.birthDate)}` : t('ui.form.iinHint')}
                  </span>
                )}
              </label>
              <div className="row">
                <label>
                  {t('ui.form.lastName')}
                  <input id="abroad-lastName" value={lastName} onChange={(e) => setLastName(e.target.value)} onBlur={blur('lastName')} aria-invalid={invalid('lastName')} aria-describedby={describedBy('lastName')} data-testid="abroad-lastName" />
                  {errorLine('lastName')}
                </label>
                <label>
                  {t('ui.form.firstName')}
                  <input id="abroad-firstName" value={firstName} onChange={(e) => setFirstName(e.target.value)} onBlur={blur('firstName')} aria-invalid={invalid('firstName')} aria-describedby={describedBy('firstName')} data-testid="abroad-firstName" />
                  {errorLine('firstName')}
                </label>
                <label>
                  {t('ui.form.middleName')}
                  <input value={middleName} onChange={(e) => setMiddleName(e.target.value)} data-testid="abroad-middleName" />
                </label>
              </div>
              <label>
                {t('ui.form.startedOn')}
                <DateField id="abroad-startedOn" value={startedOn} max={kzToday()} onChange={(e) => setStartedOn(e.target.value)} onBlur={blur('startedOn')} aria-invalid={invalid('startedOn')} aria-describedby="abroad-started-hint" data-testid="abroad-startedOn" />
                <span className="hint small muted" id="abroad-started-hint">
                  {inForce ? t('ui.form.routeInForce', { title: pick(inForce.title, lang), version: inForce.version, count: inForce.totalWorkingDays }) : ref.data ? t('ui.form.noRoute') : t('ui.form.startedHint')}
                </span>
              </label>
              <div className="row">
                <label>
                  {t('ui.form.diagnosisIcd')}
                  <input value={icd} onChange={(e) => setIcd(e.target.value)} maxLength={20} data-testid="abroad-icd" />
                </label>
                <label>
                  {t('ui.form.diagnosisText')}
                  <input value={diagnosis} onChange={(e) => setDiagnosis(e.target.value)} data-testid="abroad-diagnosis" />
                </label>
              </div>
            </div>
          </fieldset>
          <fieldset className="abroad-set">
            <legend>{t('ui.form.category')}</legend>
            <div className="abroad-choice">
              {ABROAD_CATEGORIES.map((c) => (
                <div key={c}>
                  <label>
                    <input type="radio" name="abroad-category" value={c} checked={category === c} onChange={() => setCategory(c)} data-testid={`abroad-category-${c}`} />
                    {t(`categories.${c}.short`)}
                  </label>
                  <p className="abroad-quote">«{t(`categories.${c}.quote`)}»</p>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <div className="form">
          <label>
            {t('ui.form.group')}
            <select id="abroad-group" value={group} onChange={(e) => setGroup(e.target.value)} onBlur={blur('group')} aria-invalid={invalid('group')} aria-describedby={group ? 'abroad-group-quote' : describedBy('group')} data-testid="abroad-group">
              <option value="">{t('ui.form.groupPlaceholder')}</option>
              {DISEASE_GROUPS.map((g, i) => (
                <option key={g} value={g}>
                  {i + 1}. {t(`groups.${g}.short`)}
                </option>
              ))}
            </select>
            {errorLine('group')}
            {group && (
              <span className="abroad-quote" id="abroad-group-quote" style={{ marginLeft: 0 }}>
                «{t(`groups.${group}.quote`)}»
              </span>
            )}
          </label>
          {group === 'transplantation' && (
            <label>
              {t('ui.form.transplantKind')}
              <select value={transplantKind} onChange={(e) => setTransplantKind(e.target.value as TransplantKind)} data-testid="abroad-transplant">
                <option value="">{t('ui.form.transplantPlaceholder')}</option>
                {TRANSPLANT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`transplantKinds.${k}`)}
                  </option>
                ))}
              </select>
            </label>
          )}
          <fieldset className="abroad-set">
            <legend>{t('ui.form.confirmations')}</legend>
            <p className="small muted" style={{ margin: '0 0 6px' }}>
              {t('ui.form.confirmationsHint')}
            </p>
            <div className="form">
              {required.map((c) => (
                <label key={c}>
                  {t(`confirmations.${c}.label`)}
                  <ConfirmSelect value={conf[c] ?? ''} onChange={(v) => setConf((x) => ({ ...x, [c]: v }))} testId={`abroad-confirm-${c}`} />
                </label>
              ))}
              {category === 'service_injury' && (
                <label>
                  {t('ui.form.instructionRef')}
                  <input value={instructionRef} onChange={(e) => setInstructionRef(e.target.value)} data-testid="abroad-instruction" />
                </label>
              )}
            </div>
          </fieldset>
          <label>
            {t('ui.form.notes')}
            <textarea rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} />
          </label>
          {check && <EligibilityPanel check={check} />}
        </div>
      </div>
      <div ref={errorRef}>
        <ErrorText error={error} />
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || (check !== null && !check.qualifies)} data-testid="abroad-submit">
          {t('ui.form.submit')}
        </button>
        <a href="#/abroad">{t('ui.form.cancel')}</a>
      </div>
    </form>
  );
}

/** Not yet / confirmed / not met. */
export function ConfirmSelect({ value, onChange, testId }: { value: Tri; onChange(v: Tri): void; testId?: string }) {
  const { t } = useTranslation('abroad');
  return (
    <select value={value} onChange={(e) => onChange(e.target.value as Tri)} data-testid={testId}>
      <option value="">{t('ui.confirm.pending')}</option>
      <option value="yes">{t('ui.confirm.yes')}</option>
      <option value="no">{t('ui.confirm.no')}</option>
    </select>
  );
}

/** The check against the lists: qualifies, what is still to confirm, or why not. */
export function EligibilityPanel({ check }: { check: ReturnType<typeof checkEligibility> }) {
  const { t } = useTranslation('abroad');
  const cls = !check.qualifies ? 'is-refused' : check.complete ? 'is-ok' : 'is-pending';
  return (
    <section className={`panel abroad-check ${cls}`} aria-live="polite" data-testid="abroad-eligibility" aria-label={t('ui.form.check')}>
      <strong>{t('ui.form.check')}</strong>
      {!check.qualifies ? (
        <>
          <p className="error" style={{ margin: '4px 0 0' }}>
            {t('ui.form.refusedTitle')}
          </p>
          <ul data-testid="abroad-refusals">
            {check.refusals.map((r, i) => (
              <li key={i}>{errorMessage(refusalError(r))}</li>
            ))}
          </ul>
        </>
      ) : (
        <>
          <p className="ok" style={{ margin: '4px 0 0' }}>
            {t('ui.form.qualifies')} {check.complete && t('ui.form.complete')}
          </p>
          {check.pending.length > 0 && (
            <>
              <p className="warning" style={{ margin: '4px 0 0' }}>
                {t('ui.form.pendingTitle')}
              </p>
              <ul data-testid="abroad-pending">
                {check.pending.map((p) => (
                  <li key={p}>{pendingLabel(t, p)}</li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}
