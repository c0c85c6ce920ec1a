import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { INFORM_CHANNELS, PORTAL_TRANSITIONS, type CaseDetail, type FollowUpView, type InformChannel } from '../../../../shared/contract/cases';
import type { ArgsOf } from '../../../../shared/contract';
import type { AppError, Result } from '../../../../shared/result';
import { useApi } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { fmtDate, fmtInstant, todayKz } from './format';

type Write = <T>(call: () => Promise<Result<T>>, pick: (v: T) => CaseDetail) => Promise<Result<T>>;
type Tri = '' | 'yes' | 'no';
const tri = (b: boolean | null | undefined): Tri => (b === true ? 'yes' : b === false ? 'no' : '');
const untri = (v: Tri): boolean | null => (v === 'yes' ? true : v === 'no' ? false : null);

/** After an approval: the Portal registration, the hospitalization date, informing the patient, and the follow-up. */
export function AfterApproval({ detail, write }: { detail: CaseDetail; write: Write }) {
  const { t } = useTranslation('cases');
  const api = useApi();
  const [error, setError] = useState<AppError>();
  const [portalNote, setPortalNote] = useState('');
  const [hosp, setHosp] = useState(detail.hospitalizationDate ?? '');
  const [informChannel, setInformChannel] = useState<InformChannel | ''>(detail.patientInformed?.channel ?? '');
  const [informDate, setInformDate] = useState(detail.patientInformed?.date ?? todayKz());
  const [saved, setSaved] = useState<string>();

  useEffect(() => setHosp(detail.hospitalizationDate ?? ''), [detail.hospitalizationDate]);
  useEffect(() => {
    setInformChannel(detail.patientInformed?.channel ?? '');
    if (detail.patientInformed) setInformDate(detail.patientInformed.date);
  }, [detail.patientInformed]);

  const done = (r: Result<unknown>, what: string) => {
    setError(r.ok ? undefined : r.error);
    setSaved(r.ok ? what : undefined);
  };
  const portal = detail.portal;
  const next = portal ? PORTAL_TRANSITIONS[portal.status] : [];

  return (
    <section className="panel after" aria-labelledby="after-title" data-testid="after-approval">
      <h2 id="after-title">{t('ui.after.title')}</h2>
      <ErrorText error={error} />
      {saved && (
        <p role="status" className="ok small">
          {t('ui.after.saved')}
        </p>
      )}
      <div className="two-col">
        <div>
          <h3>{t('ui.after.portal')}</h3>
          {portal && (
            <>
              <p>
                {t('ui.after.portalStatus')}: <strong data-testid="portal-status">{t(`ui.portal.${portal.status}`)}</strong>{' '}
                <span className="muted small">{fmtInstant(portal.updatedAt)}</span>
              </p>
              {next.length > 0 && (
                <div className="actions">
                  <label className="sr-only" htmlFor="portal-note">
                    {t('ui.after.portalNote')}
                  </label>
                  <input id="portal-note" placeholder={t('ui.after.portalNote')} value={portalNote} onChange={(e) => setPortalNote(e.target.value)} />
                  {next.map((s) => (
                    <button
                      key={s}
                      type="button"
                      onClick={() =>
                        void write(() => api.call('cases.portalStatus', { caseId: detail.id, status: s, note: portalNote.trim() || null }), (v) => v).then((r) => {
                          if (r.ok) setPortalNote('');
                          done(r, 'portal');
                        })
                      }
                      data-testid={`portal-${s}`}
                    >
                      {t(`ui.portalAction.${s}`)}
                    </button>
                  ))}
                </div>
              )}
              {portal.events.length > 0 && (
                <ol className="events small">
                  {portal.events.map((e) => (
                    <li key={e.id}>
                      {fmtInstant(e.at)} — {t(`ui.portal.${e.status}`)}
                      {e.note && <span className="muted"> ({e.note})</span>}
                    </li>
                  ))}
                </ol>
              )}
            </>
          )}
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void write(() => api.call('cases.hospitalization', { caseId: detail.id, date: hosp || null }), (v) => v).then((r) => done(r, 'hosp'));
            }}
          >
            <label htmlFor="hosp-date">{t('ui.after.hospitalization')}</label>
            <input id="hosp-date" type="date" value={hosp} onChange={(e) => setHosp(e.target.value)} data-testid="hosp-date" />
            <button type="submit" data-testid="hosp-save">
              {t('actions.save', { ns: 'common' })}
            </button>
          </form>
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (!informChannel) return;
              void write(() => api.call('cases.patientInformed', { caseId: detail.id, channel: informChannel, date: informDate }), (v) => v).then((r) => done(r, 'inform'));
            }}
          >
            <span className="group-label">{t('ui.after.informed')}</span>
            <label className="sr-only" htmlFor="inform-channel">
              {t('ui.after.informChannel')}
            </label>
            <select id="inform-channel" value={informChannel} onChange={(e) => setInformChannel(e.target.value as InformChannel)} data-testid="inform-channel">
              <option value="">{t('ui.after.informChannel')}…</option>
              {INFORM_CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t(`ui.informChannel.${c}`)}
                </option>
              ))}
            </select>
            <label className="sr-only" htmlFor="inform-date">
              {t('ui.after.informDate')}
            </label>
            <input id="inform-date" type="date" value={informDate} onChange={(e) => setInformDate(e.target.value)} data-testid="inform-date" />
            <button type="submit" disabled={!informChannel} data-testid="inform-save">
              {t('actions.save', { ns: 'common' })}
            </button>
          </form>
          {detail.patientInformed && (
            <p className="small ok" data-testid="informed-state">
              {t('ui.after.informedOn', { date: fmtDate(detail.patientInformed.date), channel: t(`ui.informChannel.${detail.patientInformed.channel}`) })}
            </p>
          )}
        </div>
        <FollowUp detail={detail} write={write} onDone={done} />
      </div>
    </section>
  );
}

function FollowUp({ detail, write, onDone }: { detail: CaseDetail; write: Write; onDone(r: Result<unknown>, what: string): void }) {
  const { t } = useTranslation('cases');
  const api = useApi();
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

  const save = (e: React.FormEvent) => {
    e.preventDefault();
    const args: ArgsOf<'cases.followUp'> = {
      caseId: detail.id,
      operationDate: f.operationDate || null,
      dischargeDate: f.dischargeDate || null,
      complications: untri(f.complications),
      complicationsNote: f.complicationsNote.trim() || null,
      disability: untri(f.disability),
      death: untri(f.death),
      deathDate: f.deathDate || null,
      survivalOneYear: untri(f.survivalOneYear),
      notes: f.notes.trim() || null,
    };
    void write(() => api.call('cases.followUp', args), (v) => v).then((r) => onDone(r, 'followup'));
  };
  const triSelect = (key: 'complications' | 'disability' | 'death' | 'survivalOneYear') => (
    <div className="field">
      <label htmlFor={`fu-${key}`}>{t(`ui.followUp.${key}`)}</label>
      <select id={`fu-${key}`} value={f[key]} onChange={(e) => setF({ ...f, [key]: e.target.value as Tri })}>
        <option value="">{t('ui.followUp.unknown')}</option>
        <option value="yes">{t('ui.followUp.yes')}</option>
        <option value="no">{t('ui.followUp.no')}</option>
      </select>
    </div>
  );
  return (
    <form onSubmit={save} data-testid="follow-up">
      <h3>{t('ui.followUp.title')}</h3>
      <p className="small muted">{t('ui.followUp.lead')}</p>
      <div className="row">
        <div className="field">
          <label htmlFor="fu-op">{t('ui.followUp.operationDate')}</label>
          <input id="fu-op" type="date" value={f.operationDate} onChange={(e) => setF({ ...f, operationDate: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="fu-dis">{t('ui.followUp.dischargeDate')}</label>
          <input id="fu-dis" type="date" value={f.dischargeDate} onChange={(e) => setF({ ...f, dischargeDate: e.target.value })} />
        </div>
      </div>
      <div className="row">
        {triSelect('complications')}
        {triSelect('disability')}
      </div>
      {f.complications === 'yes' && (
        <div className="field">
          <label htmlFor="fu-cn">{t('ui.followUp.complicationsNote')}</label>
          <input id="fu-cn" value={f.complicationsNote} onChange={(e) => setF({ ...f, complicationsNote: e.target.value })} />
        </div>
      )}
      <div className="row">
        {triSelect('death')}
        {f.death === 'yes' && (
          <div className="field">
            <label htmlFor="fu-dd">{t('ui.followUp.deathDate')}</label>
            <input id="fu-dd" type="date" value={f.deathDate} onChange={(e) => setF({ ...f, deathDate: e.target.value })} />
          </div>
        )}
        {triSelect('survivalOneYear')}
      </div>
      <div className="field">
        <label htmlFor="fu-notes">{t('ui.followUp.notes')}</label>
        <textarea id="fu-notes" rows={2} value={f.notes} onChange={(e) => setF({ ...f, notes: e.target.value })} />
      </div>
      <button type="submit" data-testid="followup-save">
        {t('actions.save', { ns: 'common' })}
      </button>
    </form>
  );
}
