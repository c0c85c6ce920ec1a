import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TimelineView } from '../../../../shared/contract/aftercare';
import type { ArgsOf } from '../../../../shared/contract';
import { INFORM_CHANNELS, PORTAL_TRANSITIONS, type CaseDetail, type FollowUpView, type InformChannel } from '../../../../shared/contract/cases';
import { followUpDue } from '../../../../shared/domain/aftercare';
import type { AppError, Result } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { DischargeSummary } from '../aftercare/DischargeSummary';
import { StepsTable } from '../aftercare/StepsTable';
import { Timeline } from '../aftercare/Timeline';
import { fmtDate, fmtInstant, todayKz } from './format';
import { DateField } from '../../components/DateField';

type Write = <T>(call: () => Promise<Result<T>>, pick: (v: T) => CaseDetail) => Promise<Result<T>>;
type Tri = '' | 'yes' | 'no';
const tri = (b: boolean | null | undefined): Tri => (b === true ? 'yes' : b === false ? 'no' : '');
const untri = (v: Tri): boolean | null => (v === 'yes' ? true : v === 'no' ? false : null);

/** A form's outcome shown where it was submitted: the error, or a calm "saved". */
function useOutcome() {
  const [state, setState] = useState<{ error?: AppError; saved?: boolean }>({});
  return {
    ...state,
    done: (r: Result<unknown>) => setState(r.ok ? { saved: true } : { error: r.error }),
    clear: () => setState({}),
  };
}

function Outcome({ o, testId }: { o: ReturnType<typeof useOutcome>; testId: string }) {
  const { t } = useTranslation('aftercare');
  return (
    <>
      <ErrorText error={o.error} />
      {o.saved && (
        <p role="status" className="ok small" data-testid={`${testId}-saved`}>
          {t('saved')}
        </p>
      )}
    </>
  );
}

/**
 * After an approval (ДСМ-238 points 36-42): the steps with their due dates on the working-day
 * calendar, the Portal registration, the hospitalization date the providing organization set and the
 * day it set it, informing the patient, the discharge summary with its follow-up plan, the follow-up,
 * and the timeline of everything recorded with who and when.
 */
export function AfterApproval({ detail, write }: { detail: CaseDetail; write: Write }) {
  const { t } = useTranslation('aftercare');
  const today = todayKz();
  const timeline = useQuery('aftercare.timeline', { caseId: detail.id }, [detail.updatedAt]);
  const tl = timeline.data;
  return (
    <section className="panel after" aria-labelledby="after-title" data-testid="after-approval">
      <h2 id="after-title">{t('after.title')}</h2>
      <ErrorText error={timeline.error} />
      {tl && (
        <>
          <h3>{t('steps.title')}</h3>
          <StepsTable steps={tl.steps} today={tl.today} names={{ provider: detail.providerOrg, primaryCare: detail.patient.primaryCareOrg }} />
        </>
      )}
      <div className="two-col after-forms">
        <div>
          <PortalBlock detail={detail} write={write} />
          <Hospitalization detail={detail} write={write} today={today} />
          <Inform detail={detail} write={write} today={today} />
        </div>
        <div>
          {tl && <DischargeSummary caseId={detail.id} view={tl.discharge} onChanged={timeline.reload} />}
          <FollowUp detail={detail} write={write} />
        </div>
      </div>
      {tl && <History tl={tl} />}
    </section>
  );
}

function History({ tl }: { tl: TimelineView }) {
  const { t } = useTranslation('aftercare');
  return (
    <div className="history-block">
      <h3>{t('timeline.title')}</h3>
      <Timeline events={tl.events} />
    </div>
  );
}

function PortalBlock({ detail, write }: { detail: CaseDetail; write: Write }) {
  const { t } = useTranslation('cases');
  const { t: ta } = useTranslation('aftercare');
  const api = useApi();
  const o = useOutcome();
  const [note, setNote] = useState('');
  const portal = detail.portal;
  const next = portal ? PORTAL_TRANSITIONS[portal.status] : [];
  if (!portal) return null;
  return (
    <div className="after-block" data-testid="after-portal">
      <h3>{ta('block.portal')}</h3>
      <p>
        {ta('portal.status')}: <strong data-testid="portal-status">{t(`ui.portal.${portal.status}`)}</strong>{' '}
        <span className="muted small">{fmtInstant(portal.updatedAt)}</span>
      </p>
      {next.length > 0 && (
        <div className="actions">
          <label className="sr-only" htmlFor="portal-note">
            {ta('portal.note')}
          </label>
          <input id="portal-note" placeholder={ta('portal.note')} value={note} onChange={(e) => setNote(e.target.value)} />
          {next.map((s) => (
            <button
              key={s}
              type="button"
              onClick={() =>
                void write(() => api.call('cases.portalStatus', { caseId: detail.id, status: s, note: note.trim() || null }), (v) => v).then((r) => {
                  if (r.ok) setNote('');
                  o.done(r);
                })
              }
              data-testid={`portal-${s}`}
            >
              {t(`ui.portalAction.${s}`)}
            </button>
          ))}
        </div>
      )}
      <p className="small muted">{ta('block.portalHint')}</p>
      <Outcome o={o} testId="portal" />
    </div>
  );
}

function Hospitalization({ detail, write, today }: { detail: CaseDetail; write: Write; today: string }) {
  const { t } = useTranslation('aftercare');
  const api = useApi();
  const o = useOutcome();
  const [date, setDate] = useState(detail.hospitalizationDate ?? '');
  const [setOn, setSetOn] = useState(detail.hospitalizationSetOn ?? today);
  useEffect(() => {
    setDate(detail.hospitalizationDate ?? '');
    setSetOn(detail.hospitalizationSetOn ?? today);
  }, [detail.hospitalizationDate, detail.hospitalizationSetOn, today]);
  return (
    <form
      className="after-block"
      onSubmit={(e) => {
        e.preventDefault();
        void write(() => api.call('cases.hospitalization', { caseId: detail.id, date: date || null, ...(date ? { setOn: setOn || today } : {}) }), (v) => v).then(o.done);
      }}
      data-testid="after-hospitalization"
    >
      <h3>{t('block.hospitalization')}</h3>
      <div className="row">
        <div className="field">
          <label htmlFor="hosp-date">{t('hospitalization.date')}</label>
          <DateField id="hosp-date" value={date} onChange={(e) => { setDate(e.target.value); o.clear(); }} data-testid="hosp-date" />
        </div>
        <div className="field">
          <label htmlFor="hosp-set-on">{t('hospitalization.setOn')}</label>
          <DateField id="hosp-set-on" value={setOn} max={today} onChange={(e) => { setSetOn(e.target.value); o.clear(); }} data-testid="hosp-set-on" aria-describedby="hosp-set-on-hint" />
        </div>
      </div>
      <p className="hint" id="hosp-set-on-hint">
        {t('hospitalization.setOnHint')}
      </p>
      <button type="submit" data-testid="hosp-save">
        {t('save')}
      </button>
      <Outcome o={o} testId="hosp" />
    </form>
  );
}

function Inform({ detail, write, today }: { detail: CaseDetail; write: Write; today: string }) {
  const { t } = useTranslation('aftercare');
  const api = useApi();
  const o = useOutcome();
  const [channel, setChannel] = useState<InformChannel | ''>(detail.patientInformed?.channel ?? '');
  const [date, setDate] = useState(detail.patientInformed?.date ?? today);
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    setChannel(detail.patientInformed?.channel ?? '');
    if (detail.patientInformed) setDate(detail.patientInformed.date);
  }, [detail.patientInformed]);
  const missing = touched && channel === '';
  return (
    <form
      className="after-block"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!channel) return;
        void write(() => api.call('cases.patientInformed', { caseId: detail.id, channel, date }), (v) => v).then(o.done);
      }}
      data-testid="after-inform"
    >
      <h3>{t('block.inform')}</h3>
      <fieldset className="channels">
        <legend>{t('inform.channelLegend')}</legend>
        {INFORM_CHANNELS.map((c) => (
          <label key={c} className="check-row top">
            <input type="radio" name="inform-channel" value={c} checked={channel === c} onChange={() => { setChannel(c); o.clear(); }} data-testid={`inform-channel-${c}`} aria-invalid={missing || undefined} />
            <span>{t(`inform.channel.${c}`)}</span>
          </label>
        ))}
      </fieldset>
      {missing && (
        <p className="error small" role="alert">
          {t('inform.channelMissing')}
        </p>
      )}
      <div className="field narrow-field">
        <label htmlFor="inform-date">{t('inform.date')}</label>
        <DateField id="inform-date" value={date} max={today} onChange={(e) => { setDate(e.target.value); o.clear(); }} data-testid="inform-date" />
      </div>
      <button type="submit" data-testid="inform-save">
        {t('save')}
      </button>
      {detail.patientInformed && (
        <p className="small ok" data-testid="informed-state">
          {t('inform.done', { date: fmtDate(detail.patientInformed.date), channel: t(`inform.channel.${detail.patientInformed.channel}`) })}
        </p>
      )}
      <Outcome o={o} testId="inform" />
    </form>
  );
}

function FollowUp({ detail, write }: { detail: CaseDetail; write: Write }) {
  const { t } = useTranslation('aftercare');
  const api = useApi();
  const o = useOutcome();
  const from = (f: FollowUpView | null) => ({
    operationDate: f?.operationDate ?? '',
    dischargeDate: f?.dischargeDate ?? '',
    complications: tri(f?.complications),
    complicationsNote: f?.complicationsNote ?? '',
    disability: tri(f?.disability),
    death: tri(f?.death),
    deathDate: f?.deathDate ?? '',
    survivalOneYear: tri(f?.survivalOneYear),
    notes: f?.notes ?? '',
  });
  const [f, setF] = useState(() => from(detail.followUp));
  useEffect(() => setF(from(detail.followUp)), [detail.followUp?.updatedAt]); // eslint-disable-line react-hooks/exhaustive-deps
  const set = (patch: Partial<typeof f>) => {
    setF({ ...f, ...patch });
    o.clear();
  };
  const due = followUpDue(/^\d{4}-\d{2}-\d{2}$/.test(f.operationDate) ? f.operationDate : null);

  const save = (e: React.FormEvent) => {
    e.preventDefault();
    const args: ArgsOf<'cases.followUp'> = {
      caseId: detail.id,
      operationDate: f.operationDate || null,
      dischargeDate: f.dischargeDate || null,
      complications: untri(f.complications),
      complicationsNote: f.complications === 'yes' ? f.complicationsNote.trim() || null : null,
      disability: untri(f.disability),
      death: untri(f.death),
      deathDate: f.death === 'yes' ? f.deathDate || null : null,
      survivalOneYear: untri(f.survivalOneYear),
      notes: f.notes.trim() || null,
    };
    void write(() => api.call('cases.followUp', args), (v) => v).then(o.done);
  };
  const triSelect = (key: 'complications' | 'disability' | 'death' | 'survivalOneYear', hint?: string) => (
    <div className="field">
      <label htmlFor={`fu-${key}`}>{t(`followUp.${key}`)}</label>
      <select id={`fu-${key}`} value={f[key]} onChange={(e) => set({ [key]: e.target.value as Tri })} data-testid={`fu-${key}`} aria-describedby={hint ? `fu-${key}-hint` : undefined}>
        <option value="">{t('unknown')}</option>
        <option value="yes">{t('yes')}</option>
        <option value="no">{t('no')}</option>
      </select>
      {hint && (
        <div className="hint" id={`fu-${key}-hint`}>
          {hint}
        </div>
      )}
    </div>
  );
  return (
    <form onSubmit={save} className="after-block" data-testid="follow-up">
      <h3>{t('block.followUp')}</h3>
      <p className="small muted">{t('followUp.lead')}</p>
      <div className="row">
        <div className="field">
          <label htmlFor="fu-op">{t('followUp.operationDate')}</label>
          <DateField id="fu-op" value={f.operationDate} onChange={(e) => set({ operationDate: e.target.value })} data-testid="fu-operationDate" />
        </div>
        <div className="field">
          <label htmlFor="fu-dis">{t('followUp.dischargeDate')}</label>
          <DateField id="fu-dis" value={f.dischargeDate} onChange={(e) => set({ dischargeDate: e.target.value })} data-testid="fu-dischargeDate" />
        </div>
      </div>
      <div className="row">
        {triSelect('complications')}
        {triSelect('disability')}
      </div>
      {f.complications === 'yes' && (
        <div className="field">
          <label htmlFor="fu-cn">{t('followUp.complicationsNote')}</label>
          <input id="fu-cn" value={f.complicationsNote} onChange={(e) => set({ complicationsNote: e.target.value })} data-testid="fu-complicationsNote" />
        </div>
      )}
      <div className="row">
        {triSelect('survivalOneYear', due ? t('followUp.dueOn', { date: fmtDate(due) }) : t('followUp.dueAfterOperation'))}
        {triSelect('death')}
        {f.death === 'yes' && (
          <div className="field">
            <label htmlFor="fu-dd">{t('followUp.deathDate')}</label>
            <DateField id="fu-dd" value={f.deathDate} onChange={(e) => set({ deathDate: e.target.value })} data-testid="fu-deathDate" />
          </div>
        )}
      </div>
      <div className="field">
        <label htmlFor="fu-notes">{t('followUp.notes')}</label>
        <textarea id="fu-notes" rows={2} value={f.notes} onChange={(e) => set({ notes: e.target.value })} />
      </div>
      <button type="submit" data-testid="followup-save">
        {t('save')}
      </button>
      <Outcome o={o} testId="followup" />
    </form>
  );
}
