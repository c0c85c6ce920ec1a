import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SETUP_STEPS, type SetupStatus, type SetupStep } from '../../../../shared/contract/setup';
import type { AppError } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { href } from '../../router';
import { useAuth } from '../auth/auth-context';
import { fmtDate, fmtInstant } from '../cases/format';
import { LetterheadForm, MembersForm } from '../SettingsScreen';

const isStep = (s: string | undefined): s is SetupStep => (SETUP_STEPS as readonly string[]).includes(s ?? '');

/** Where a step of the guide is: `#/setup/<step>` (every screen that needs one links here). */
export const setupHref = (step: SetupStep): string => href('setup', step);

/**
 * The first-start guide: what must be set before the first protocol (the names in both
 * languages, the standing members, the confirmation of this year's working-day calendar), with
 * each step's state computed by the core (`setup.status`). Shown after the first admin is set up;
 * can be left and taken up again (every step is saved as it is done). Its forms are the same
 * as the Settings screen's.
 */
export function SetupGuide({ route }: { route: string[] }) {
  const { t } = useTranslation('setup');
  const q = useQuery('setup.status', {});
  const s = q.data;
  const step: SetupStep = isStep(route[1]) ? route[1] : (s?.next ?? 'names');
  const headRef = useRef<HTMLHeadingElement>(null);
  // Focus the step's heading when the step changes (keyboard and screen-reader users land on it).
  const loaded = s !== undefined;
  useEffect(() => {
    if (route[1] && loaded) headRef.current?.focus();
  }, [route[1], loaded]);
  return (
    <section className="screen setup-guide" aria-labelledby="guide-title" data-testid="setup-guide">
      <h1 id="guide-title">{t('guide.title')}</h1>
      <p className="muted">{t('guide.lead')}</p>
      <ErrorText error={q.error} />
      {s && (
        <div className="guide-layout">
          <nav aria-label={t('guide.title')} className="guide-steps">
            <p role="status" data-testid="guide-progress" className={s.complete ? 'ok' : undefined}>
              {s.complete ? t('guide.complete') : t('guide.progress', { done: s.done, total: s.total })}
            </p>
            <ol>
              {SETUP_STEPS.map((k) => (
                <li key={k} className={k === step ? 'current' : undefined}>
                  <a href={setupHref(k)} aria-current={k === step ? 'step' : undefined} data-testid={`guide-step-${k}`} data-done={s[k].done ? 'yes' : 'no'}>
                    <span className={`badge ${s[k].done ? 'ok' : 'warn'}`}>{t(s[k].done ? 'guide.done' : 'guide.todo')}</span> {t(`guide.step.${k}`, { year: s.calendar.year })}
                  </a>
                </li>
              ))}
            </ol>
          </nav>
          <div className="guide-body">
            <h2 id="guide-step-title" ref={headRef} tabIndex={-1} data-testid="guide-step-title">
              {t(`guide.step.${step}`, { year: s.calendar.year })}
            </h2>
            {step === 'names' && <NamesStep s={s} reload={q.reload} />}
            {step === 'members' && <MembersStep s={s} reload={q.reload} />}
            {step === 'calendar' && <CalendarStep s={s} reload={q.reload} />}
            {s.next && s.next !== step && s[step].done && (
              <p>
                <a href={setupHref(s.next)} className="button-link" data-testid="guide-next">
                  {t('guide.nextStep')}: {t(`guide.step.${s.next}`, { year: s.calendar.year })}
                </a>
              </p>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

function AdminOnly() {
  const { t } = useTranslation('setup');
  const auth = useAuth();
  if (auth.status.user?.role === 'admin') return null;
  return <p className="warning" data-testid="guide-admin-only">{t('guide.adminOnly')}</p>;
}

function NamesStep({ s, reload }: { s: SetupStatus; reload: () => void }) {
  const { t } = useTranslation(['setup', 'common']);
  return (
    <>
      <p>{t('guide.names.lead')}</p>
      {s.names.missing.length > 0 && (
        <p className="warning" data-testid="guide-names-missing">
          {t('guide.names.missing', { list: s.names.missing.map((k) => t(`common:settings.${k}`)).join('; ') })}
        </p>
      )}
      <AdminOnly />
      <LetterheadForm onSaved={reload} />
    </>
  );
}

function MembersStep({ s, reload }: { s: SetupStatus; reload: () => void }) {
  const { t } = useTranslation('setup');
  return (
    <>
      <p>{t('guide.members.lead')}</p>
      <p data-testid="guide-members-state" className={s.members.done ? undefined : 'warning'}>
        {t('guide.members.count', { count: s.members.count })}
        {s.members.missing.length > 0 && ` ${s.members.missing.map((m) => t(`guide.members.missing.${m}`)).join(', ')}.`}
      </p>
      <AdminOnly />
      <MembersForm onSaved={reload} />
    </>
  );
}

function CalendarStep({ s, reload }: { s: SetupStatus; reload: () => void }) {
  const { t } = useTranslation(['setup', 'rules']);
  const api = useApi();
  const auth = useAuth();
  const cal = useQuery('calendar.get', {});
  const [error, setError] = useState<AppError>();
  const { year, check } = s.calendar;
  const y = cal.data?.years.find((x) => x.year === year);
  const confirm = async () => {
    const r = await api.call('setup.confirmCalendar', { year });
    setError(r.ok ? undefined : r.error);
    if (r.ok) reload();
  };
  return (
    <>
      <p>{t('guide.calendar.lead', { year })}</p>
      {!s.calendar.inData ? (
        <p className="warning" data-testid="guide-calendar-missing">{t('guide.calendar.notInData', { year })}</p>
      ) : (
        <>
          <p className="muted">{t(s.calendar.sourced ? 'guide.calendar.sourced' : 'guide.calendar.unsourced')}</p>
          {y && (
            <>
              <h3>{t('guide.calendar.daysOff', { year })}</h3>
              <ul className="days-off" data-testid="guide-days-off">
                {y.daysOff.map((d) => (
                  <li key={d.date}>
                    {fmtDate(d.date)} — {t(`rules:calendar.dayOff.${d.reason}`, { holiday: d.holiday ?? '' })}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      {check && !s.calendar.changedSince && (
        <p className="ok" role="status" data-testid="guide-calendar-confirmed">
          {t('guide.calendar.confirmedBy', { name: check.userName, date: fmtInstant(check.at) })}
        </p>
      )}
      {s.calendar.changedSince && <p className="warning" data-testid="guide-calendar-changed">{t('guide.calendar.changedSince')}</p>}
      <AdminOnly />
      <div className="actions">
        {s.calendar.inData && !s.calendar.done && auth.status.user?.role === 'admin' && (
          <button type="button" className="primary" onClick={() => void confirm()} data-testid="guide-calendar-confirm">
            {t('guide.calendar.confirm', { year })}
          </button>
        )}
        <a href={href('settings')} data-testid="guide-calendar-edit">
          {t('guide.calendar.edit')}
        </a>
      </div>
      <ErrorText error={error} />
    </>
  );
}

/**
 * A notice on screens that need the guide's steps: how far it is and a link to the first step
 * still to do (or to `step` when the screen needs that one). Nothing when all is done.
 */
export function SetupBanner({ need }: { need?: SetupStep[] }) {
  const { t } = useTranslation('setup');
  const q = useQuery('setup.status', {});
  const s = q.data;
  if (!s || s.complete) return null;
  const missing = (need ?? [...SETUP_STEPS]).filter((k) => !s[k].done);
  if (missing.length === 0) return null;
  return (
    <div className="setup-banner" role="note" data-testid="setup-banner">
      <span>{t('guide.banner', { done: s.done, total: s.total })}</span>{' '}
      {missing.map((k) => (
        <a key={k} href={setupHref(k)} data-testid={`setup-banner-${k}`}>
          {t(`guide.step.${k}`, { year: s.calendar.year })}
        </a>
      ))}
    </div>
  );
}
