import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { POINT29_KINDS, UPDATE_KINDS, type UpdateKind, type UpdateView } from '../../../../shared/contract/orgs';
import type { AppError } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { fmtDate, orgName, todayKz, useLang } from './util';
import { DateField } from '../../components/DateField';

/**
 * Point 29 (staff left or replaced, a device out of order for over 3 months: the organization
 * updates its data within 10 working days) and point 30 (a changed HTMP code or name: the
 * conclusion is reissued within 30 calendar days), with their deadlines.
 */
export function UpdatesView() {
  const { t } = useTranslation('orgs');
  const lang = useLang();
  const api = useApi();
  const [openOnly, setOpenOnly] = useState(true);
  const list = useQuery('conformity.listUpdates', openOnly ? { open: true } : {});
  const conclusions = useQuery('conformity.listConclusions', {});
  const settings = useQuery('orgs.settings', {});
  const [form, setForm] = useState<{ conclusionId: string; kind: UpdateKind; eventOn: string; subject: string; newCode: string; note: string }>({
    conclusionId: '',
    kind: 'staff_left',
    eventOn: todayKz(),
    subject: '',
    newCode: '',
    note: '',
  });
  const [error, setError] = useState<AppError>();
  const [doneOn, setDoneOn] = useState(todayKz());

  const add = async (e: React.FormEvent) => {
    e.preventDefault();
    const r = await api.call('conformity.addUpdate', {
      conclusionId: form.conclusionId,
      kind: form.kind,
      eventOn: form.eventOn,
      subject: form.subject,
      ...(form.kind === 'code_changed' ? { newCode: form.newCode.trim() } : {}),
      note: form.note.trim() || null,
    });
    setError(r.ok ? undefined : r.error);
    if (r.ok) {
      setForm({ ...form, subject: '', newCode: '', note: '' });
      list.reload();
    }
  };
  const complete = async (u: UpdateView) => {
    const r = await api.call('conformity.completeUpdate', { id: u.id, doneOn });
    setError(r.ok ? undefined : r.error);
    list.reload();
  };
  const reissue = async (u: UpdateView) => {
    const r = await api.call('conformity.reissue', { updateId: u.id, date: doneOn, signer: settings.data?.signer ?? { name: '', position: '' } });
    setError(r.ok ? undefined : r.error);
    list.reload();
    conclusions.reload();
  };
  const live = (conclusions.data?.items ?? []).filter((c) => !c.superseded);
  const items = list.data?.items ?? [];

  return (
    <>
      <h2>{t('updates.title')}</h2>
      <p className="hint">{t('updates.point29')} · {t('updates.point30')}</p>
      <form className="panel toolbar" onSubmit={(e) => void add(e)} aria-label={t('updates.add')}>
        <label>
          {t('updates.conclusion')}
          <select value={form.conclusionId} onChange={(e) => setForm({ ...form, conclusionId: e.target.value })} data-testid="update-conclusion">
            <option value="">{t('updates.chooseConclusion')}</option>
            {live.map((c) => <option key={c.id} value={c.id}>{`№ ${c.number} · ${c.code} · ${orgName(c.org, lang)}`}</option>)}
          </select>
        </label>
        <label>
          {t('updates.kind')}
          <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as UpdateKind })} data-testid="update-kind">
            {UPDATE_KINDS.map((k) => <option key={k} value={k}>{t(`updates.kinds.${k}`)}</option>)}
          </select>
        </label>
        <label>
          {t('updates.eventOn')}
          <DateField value={form.eventOn} onChange={(e) => setForm({ ...form, eventOn: e.target.value })} data-testid="update-event" />
        </label>
        {POINT29_KINDS.includes(form.kind) && (
          <label>
            {t('updates.subject')}
            <input value={form.subject} onChange={(e) => setForm({ ...form, subject: e.target.value })} data-testid="update-subject" />
          </label>
        )}
        {form.kind === 'code_changed' && (
          <label>
            {t('updates.newCode')}
            <input value={form.newCode} onChange={(e) => setForm({ ...form, newCode: e.target.value })} size={10} data-testid="update-new-code" />
          </label>
        )}
        <label>
          {t('updates.note')}
          <input value={form.note} onChange={(e) => setForm({ ...form, note: e.target.value })} />
        </label>
        <button type="submit" className="primary" disabled={form.conclusionId === ''} data-testid="update-add">{t('updates.add')}</button>
      </form>
      <ErrorText error={error} />
      <div className="toolbar">
        <label>
          <select value={openOnly ? 'open' : 'all'} onChange={(e) => setOpenOnly(e.target.value === 'open')} data-testid="updates-filter">
            <option value="open">{t('updates.open')}</option>
            <option value="all">{t('updates.all')}</option>
          </select>
        </label>
        <label>
          {t('updates.doneOn')}
          <DateField value={doneOn} onChange={(e) => setDoneOn(e.target.value)} data-testid="update-done-on" />
        </label>
      </div>
      {items.length === 0 ? (
        <p className="muted">{t('updates.empty')}</p>
      ) : (
        <table className="grid" data-testid="updates-table">
          <thead>
            <tr>
              <th scope="col">{t('updates.columns.org')}</th>
              <th scope="col">{t('updates.columns.conclusion')}</th>
              <th scope="col">{t('updates.columns.kind')}</th>
              <th scope="col">{t('updates.columns.event')}</th>
              <th scope="col">{t('updates.columns.due')}</th>
              <th scope="col">{t('updates.columns.state')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((u) => {
              const lost = (u.impact ?? []).filter((i) => i.status === 'not_met').map((i) => i.requirementId);
              return (
                <tr key={u.id}>
                  <td>{orgName(u.org, lang)}</td>
                  <td className="nowrap">№ {u.conclusionNumber} · {u.code}</td>
                  <td>
                    {t(`updates.kinds.${u.kind}`)}
                    {u.subject && <div className="small">{u.subject}</div>}
                    {u.newCode && <div className="small">→ {u.newCode}</div>}
                    {u.impact && <div className={`small ${lost.length ? 'warning' : 'ok'}`}>{lost.length ? t('updates.impact', { list: lost.join(', ') }) : t('updates.impactOk')}</div>}
                  </td>
                  <td>{fmtDate(u.eventOn)}</td>
                  <td className="nowrap">
                    {fmtDate(u.dueOn)}{' '}
                    {u.daysLeft !== null && (
                      <span className={u.overdue ? 'badge err strong' : u.daysLeft <= 3 ? 'badge warn' : 'badge'} data-testid="update-due">
                        {u.overdue ? t('applications.overdue', { count: -u.daysLeft }) : u.daysLeft === 0 ? t('applications.dueToday') : t('applications.daysLeft', { count: u.daysLeft })}
                      </span>
                    )}
                  </td>
                  <td>
                    {u.doneOn ? (
                      <span className="ok">{t('updates.done', { date: fmtDate(u.doneOn) })}</span>
                    ) : u.point === 29 ? (
                      <button type="button" onClick={() => void complete(u)} data-testid="update-complete">{t('updates.complete')}</button>
                    ) : (
                      <button type="button" onClick={() => void reissue(u)} data-testid="update-reissue">{t('updates.reissue')}</button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
