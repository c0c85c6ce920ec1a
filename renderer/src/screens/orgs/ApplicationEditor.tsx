import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApplicationDetail } from '../../../../shared/contract/orgs';
import type { DocLangArg, LayoutArg } from '../../../../shared/contract/protocols';
import { longRepairFrom, type DeviceEntry, type PermitEntry, type StaffEntry } from '../../../../shared/domain/conformity';
import type { Requirement, StaffRequirement } from '../../../../shared/domain/requirements';
import type { AppError } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { href, navigate } from '../../router';
import { PdfControls } from '../protocols/PdfControls';
import { DueCell } from './ApplicationsView';
import { AssessmentPanel } from './AssessmentPanel';
import { requirementLabel, RequirementSummary } from './describe';
import { fmtDate, orgName, todayKz, useLang } from './util';
import { DateField } from '../../components/DateField';

interface Form {
  orgId: string;
  year: string;
  code: string;
  firstTime: boolean;
  plannedVolume: string;
  note: string;
  staff: StaffEntry[];
  devices: DeviceEntry[];
  permits: PermitEntry[];
}

const num = (s: string): number | null => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : null);
const str = (n: number | null | undefined): string => (n === null || n === undefined ? '' : String(n));

function fromDetail(d: ApplicationDetail): Form {
  return {
    orgId: d.org.id,
    year: String(d.year),
    code: d.code,
    firstTime: d.firstTime,
    plannedVolume: str(d.plannedVolume),
    note: d.note ?? '',
    staff: d.data.staff.map((s) => ({ ...s, requirement: s.requirement ?? null })),
    devices: d.data.devices.map((x) => ({ ...x, requirement: x.requirement ?? null, outOfOrderSince: x.outOfOrderSince ?? null })),
    permits: d.data.permits,
  };
}

const nextYear = (): string => String(Number(todayKz().slice(0, 4)) + 1);

/** An application (app. 1): the organization, year and HTMP type, the staff and devices it declares, then its assessment. */
export function ApplicationEditor({ id, orgId }: { id: string | null; orgId: string | null }) {
  const { t } = useTranslation('orgs');
  const lang = useLang();
  const api = useApi();
  const detail = useQuery('conformity.getApplication', id ? { id } : null);
  const orgs = useQuery('orgs.list', { limit: 1000, lang });
  const codes = useQuery('conformity.codes', {});
  const [form, setForm] = useState<Form>({ orgId: orgId ?? '', year: nextYear(), code: '', firstTime: false, plannedVolume: '', note: '', staff: [], devices: [], permits: [] });
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<AppError>();
  const [saved, setSaved] = useState(false);
  const [receivedOn, setReceivedOn] = useState(todayKz());
  const loadedAt = useRef('');
  const d = detail.data;
  useEffect(() => {
    if (d && d.updatedAt !== loadedAt.current && !dirty) {
      loadedAt.current = d.updatedAt;
      setForm(fromDetail(d));
    }
  }, [d, dirty]);
  const reqs = useQuery('conformity.requirements', form.code ? { code: form.code } : null);
  const requirements = reqs.data?.requirements ?? null;
  const staffReqs = useMemo(() => (requirements?.staff ?? []).filter((r): r is StaffRequirement => r.kind === 'staff'), [requirements]);
  const deviceReqs = useMemo(() => (requirements?.devices ?? []).filter((r) => r.kind === 'device'), [requirements]);
  const locked = d?.locked ?? false;

  const edit = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }));
    setDirty(true);
    setSaved(false);
  };
  const setStaff = (i: number, patch: Partial<StaffEntry>) => edit({ staff: form.staff.map((s, k) => (k === i ? { ...s, ...patch } : s)) });
  const setDevice = (i: number, patch: Partial<DeviceEntry>) => edit({ devices: form.devices.map((s, k) => (k === i ? { ...s, ...patch } : s)) });
  const setPermit = (i: number, patch: Partial<PermitEntry>) => edit({ permits: form.permits.map((s, k) => (k === i ? { ...s, ...patch } : s)) });

  const save = async (): Promise<string | null> => {
    const year = num(form.year);
    if (!form.orgId || !form.code || year === null) {
      setError({ code: 'api.invalid_argument', params: { field: !form.orgId ? t('application.org') : !form.code ? t('application.code') : t('application.year'), issue: '' } });
      return null;
    }
    const r = await api.call('conformity.saveApplication', {
      ...(id ? { id } : {}),
      orgId: form.orgId,
      year,
      code: form.code,
      firstTime: form.firstTime,
      staff: form.staff.map((s) => ({ ...s, requirement: s.requirement || null })),
      devices: form.devices.map((x) => ({ ...x, requirement: x.requirement || null, outOfOrderSince: x.outOfOrderSince || null })),
      permits: form.permits,
      plannedVolume: form.firstTime ? null : num(form.plannedVolume),
      note: form.note.trim() === '' ? null : form.note,
    });
    if (!r.ok) {
      setError(r.error);
      return null;
    }
    setError(undefined);
    setDirty(false);
    setSaved(true);
    loadedAt.current = '';
    if (!id) navigate('orgs', 'application', r.value.id);
    else detail.reload();
    return r.value.id;
  };
  const receive = async () => {
    if (!id) return;
    if (dirty && (await save()) === null) return;
    const r = await api.call('conformity.receiveApplication', { id, receivedOn });
    setError(r.ok ? undefined : r.error);
    if (r.ok) detail.reload();
  };
  const remove = async () => {
    if (!id || !window.confirm(t('application.deleteConfirm'))) return;
    const r = await api.call('conformity.deleteApplication', { id });
    if (r.ok) navigate('orgs', 'applications');
    else setError(r.error);
  };
  const loadApplicationPdf = useCallback((l: DocLangArg, layout: LayoutArg) => api.call('conformity.renderApplication', { id: id!, lang: l, layout }), [api, id, d?.updatedAt]);

  const chosenOrg = orgs.data?.items.find((o) => o.id === form.orgId);
  const codeName = (c: { name: { kk: string | null; ru: string | null } }) => c.name[lang] ?? c.name.kk ?? c.name.ru ?? '';

  return (
    <>
      <p>
        <a href={href('orgs', 'applications')}>← {t('application.back')}</a>
      </p>
      <h2>{id ? t('application.title') : t('application.newTitle')}</h2>
      <ErrorText error={detail.error} />
      {locked && <p className="ok" data-testid="application-locked">{t('application.locked')}</p>}
      <form
        className="panel"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
        aria-label={t('application.title')}
      >
        <fieldset disabled={locked} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
          <div className="org-form">
            <div className="field wide">
              <label htmlFor="app-org">{t('application.org')}</label>
              <select id="app-org" value={form.orgId} onChange={(e) => edit({ orgId: e.target.value })} data-testid="app-org">
                <option value="">{t('application.chooseOrg')}</option>
                {(orgs.data?.items ?? []).map((o) => (
                  <option key={o.id} value={o.id}>{`${orgName(o, lang)} — ${o.bin}`}</option>
                ))}
              </select>
            </div>
            <div className="field wide">
              <label htmlFor="app-code">{t('application.code')}</label>
              <select id="app-code" value={form.code} onChange={(e) => edit({ code: e.target.value })} data-testid="app-code">
                <option value="">{t('application.chooseCode')}</option>
                {(codes.data?.items ?? []).map((c) => (
                  <option key={c.code} value={c.code}>{`${c.code} — ${codeName(c).slice(0, 110)}${c.characteristics ? '' : ` ${t('application.noCharacteristics')}`}`}</option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="app-year">{t('application.year')}</label>
              <input id="app-year" type="number" min={2000} max={2100} value={form.year} onChange={(e) => edit({ year: e.target.value })} aria-describedby="app-window" data-testid="app-year" />
              {num(form.year) !== null && (
                <div className="hint" id="app-window">{t('application.window', { from: fmtDate(`${num(form.year)! - 1}-09-15`), to: fmtDate(`${num(form.year)! - 1}-10-15`) })}</div>
              )}
            </div>
            <div className="field">
              <label htmlFor="app-volume">{t('application.plannedVolume')}</label>
              <input id="app-volume" type="number" min={0} value={form.firstTime ? '' : form.plannedVolume} disabled={form.firstTime} onChange={(e) => edit({ plannedVolume: e.target.value })} data-testid="app-volume" />
            </div>
            <div className="wide">
              <div className="check-row top">
                <input id="app-first" type="checkbox" checked={form.firstTime} onChange={(e) => edit({ firstTime: e.target.checked })} aria-describedby="app-first-hint" data-testid="app-first" />
                <label htmlFor="app-first">{t('application.firstTime')}</label>
              </div>
              <div className="hint" id="app-first-hint">{t('application.firstTimeHint')}</div>
              {d && !d.firstTimeAllowed && form.firstTime && <p className="warning small">{t('application.notFirstTime')}</p>}
            </div>
          </div>

          <h3>{t('application.staff')}</h3>
          <datalist id="app-specialties">
            {[...new Set(staffReqs.flatMap((r) => r.alternatives.flatMap((a) => a.specialties)))].map((s) => <option key={s} value={s} />)}
          </datalist>
          <table className="grid entries" data-testid="app-staff">
            <thead>
              <tr>
                <th scope="col">{t('application.staffColumns.requirement')}</th>
                <th scope="col">{t('application.staffColumns.name')}</th>
                <th scope="col">{t('application.staffColumns.specialty')}</th>
                <th scope="col">{t('application.staffColumns.years')}</th>
                <th scope="col">{t('application.staffColumns.hours')}</th>
                <th scope="col">{t('application.staffColumns.date')}</th>
                <th scope="col">{t('application.staffColumns.operations')}</th>
                <th scope="col"><span className="sr-only">{t('application.remove')}</span></th>
              </tr>
            </thead>
            <tbody>
              {form.staff.map((s, i) => (
                <tr key={i} data-testid={`app-staff-${i}`}>
                  <td>
                    <select aria-label={t('application.staffColumns.requirement')} value={s.requirement ?? ''} onChange={(e) => setStaff(i, { requirement: e.target.value || null })} data-testid={`staff-req-${i}`}>
                      <option value="">{t('application.anyRequirement')}</option>
                      {staffReqs.map((r) => <option key={r.id} value={r.id}>{requirementLabel(r)}</option>)}
                    </select>
                  </td>
                  <td className="wide-cell"><input aria-label={t('application.staffColumns.name')} value={s.name} onChange={(e) => setStaff(i, { name: e.target.value })} data-testid={`staff-name-${i}`} /></td>
                  <td className="wide-cell"><input aria-label={t('application.staffColumns.specialty')} list="app-specialties" value={s.specialty} onChange={(e) => setStaff(i, { specialty: e.target.value })} data-testid={`staff-specialty-${i}`} /></td>
                  <td><input aria-label={t('application.staffColumns.years')} className="num" type="number" min={0} value={str(s.years)} onChange={(e) => setStaff(i, { years: num(e.target.value) })} data-testid={`staff-years-${i}`} /></td>
                  <td><input aria-label={t('application.staffColumns.hours')} className="num" type="number" min={0} value={str(s.trainingHours)} onChange={(e) => setStaff(i, { trainingHours: num(e.target.value) })} data-testid={`staff-hours-${i}`} /></td>
                  <td><DateField aria-label={t('application.staffColumns.date')} value={s.trainingDate ?? ''} onChange={(e) => setStaff(i, { trainingDate: e.target.value || null })} data-testid={`staff-date-${i}`} /></td>
                  <td><input aria-label={t('application.staffColumns.operations')} className="num" type="number" min={0} value={str(s.operationsPerYear)} onChange={(e) => setStaff(i, { operationsPerYear: num(e.target.value) })} data-testid={`staff-ops-${i}`} /></td>
                  <td><button type="button" className="link danger" onClick={() => edit({ staff: form.staff.filter((_x, k) => k !== i) })}>{t('application.remove')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" onClick={() => edit({ staff: [...form.staff, { name: '', specialty: '', years: null, trainingHours: null, trainingDate: null, operationsPerYear: null, requirement: staffReqs.length === 1 ? staffReqs[0]!.id : null }] })} data-testid="app-add-staff">
            {t('application.addStaff')}
          </button>

          <h3>{t('application.devices')}</h3>
          <table className="grid entries" data-testid="app-devices">
            <thead>
              <tr>
                <th scope="col">{t('application.deviceColumns.requirement')}</th>
                <th scope="col">{t('application.deviceColumns.name')}</th>
                <th scope="col">{t('application.deviceColumns.model')}</th>
                <th scope="col">{t('application.deviceColumns.serial')}</th>
                <th scope="col">{t('application.deviceColumns.inService')}</th>
                <th scope="col">{t('application.deviceColumns.outSince')}</th>
                <th scope="col"><span className="sr-only">{t('application.remove')}</span></th>
              </tr>
            </thead>
            <tbody>
              {form.devices.map((x, i) => (
                <tr key={i} data-testid={`app-device-${i}`}>
                  <td>
                    <select
                      aria-label={t('application.deviceColumns.requirement')}
                      value={x.requirement ?? ''}
                      onChange={(e) => {
                        const r = deviceReqs.find((q) => q.id === e.target.value);
                        setDevice(i, { requirement: e.target.value || null, ...(r && r.kind === 'device' && x.name.trim() === '' ? { name: r.name } : {}) });
                      }}
                      data-testid={`device-req-${i}`}
                    >
                      <option value="">{t('application.anyRequirement')}</option>
                      {deviceReqs.map((r: Requirement) => <option key={r.id} value={r.id}>{requirementLabel(r)}</option>)}
                    </select>
                  </td>
                  <td className="wide-cell"><input aria-label={t('application.deviceColumns.name')} value={x.name} onChange={(e) => setDevice(i, { name: e.target.value })} data-testid={`device-name-${i}`} /></td>
                  <td><input aria-label={t('application.deviceColumns.model')} value={x.model} onChange={(e) => setDevice(i, { model: e.target.value })} data-testid={`device-model-${i}`} /></td>
                  <td><input aria-label={t('application.deviceColumns.serial')} value={x.serial} onChange={(e) => setDevice(i, { serial: e.target.value })} data-testid={`device-serial-${i}`} /></td>
                  <td><input aria-label={t('application.deviceColumns.inService')} type="checkbox" checked={x.inService} onChange={(e) => setDevice(i, { inService: e.target.checked })} data-testid={`device-service-${i}`} /></td>
                  <td><DateField aria-label={t('application.deviceColumns.outSince')} value={x.outOfOrderSince ?? ''} onChange={(e) => setDevice(i, { outOfOrderSince: e.target.value || null })} data-testid={`device-out-${i}`} /></td>
                  <td><button type="button" className="link danger" onClick={() => edit({ devices: form.devices.filter((_x, k) => k !== i) })}>{t('application.remove')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
          {form.devices.some((x) => x.outOfOrderSince && longRepairFrom(x.outOfOrderSince) <= todayKz()) && (
            <p className="warning small" data-testid="app-long-repair">{t('updates.longRepair')}</p>
          )}
          <div className="actions">
            <button type="button" onClick={() => edit({ devices: [...form.devices, { name: '', model: '', serial: '', inService: true, outOfOrderSince: null, requirement: null }] })} data-testid="app-add-device">
              {t('application.addDevice')}
            </button>
          </div>

          <h3>{t('application.permits')}</h3>
          <table className="grid entries" data-testid="app-permits">
            <thead>
              <tr>
                <th scope="col">{t('application.permitColumns.number')}</th>
                <th scope="col">{t('application.permitColumns.validUntil')}</th>
                <th scope="col"><span className="sr-only">{t('application.remove')}</span></th>
              </tr>
            </thead>
            <tbody>
              {form.permits.map((p, i) => (
                <tr key={i}>
                  <td><input aria-label={t('application.permitColumns.number')} value={p.number} onChange={(e) => setPermit(i, { number: e.target.value })} data-testid={`permit-number-${i}`} /></td>
                  <td><DateField aria-label={t('application.permitColumns.validUntil')} value={p.validUntil ?? ''} onChange={(e) => setPermit(i, { validUntil: e.target.value || null })} data-testid={`permit-until-${i}`} /></td>
                  <td><button type="button" className="link danger" onClick={() => edit({ permits: form.permits.filter((_x, k) => k !== i) })}>{t('application.remove')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" onClick={() => edit({ permits: [...form.permits, { kind: 'ionizing_radiation', number: '', validUntil: null }] })} data-testid="app-add-permit">
            {t('application.addPermit')}
          </button>

          <div className="field" style={{ marginTop: 10 }}>
            <label htmlFor="app-note">{t('application.note')}</label>
            <textarea id="app-note" rows={2} value={form.note} onChange={(e) => edit({ note: e.target.value })} />
          </div>
          <div className="actions" style={{ marginTop: 8 }}>
            <button type="submit" className="primary" data-testid="app-save">{t('application.save')}</button>
            {dirty && <span className="warning small" role="status">{t('application.unsaved')}</span>}
            {saved && !dirty && <span className="ok small" role="status">{t('application.saved')}</span>}
            {id && d?.status !== 'concluded' && <button type="button" className="danger" onClick={() => void remove()}>{t('application.delete')}</button>}
          </div>
        </fieldset>
        <ErrorText error={error} />
      </form>

      {d && d.status === 'draft' && (
        <div className="panel toolbar" data-testid="app-receive">
          <label>
            {t('application.receivedOn')}
            <DateField value={receivedOn} onChange={(e) => setReceivedOn(e.target.value)} data-testid="app-received-on" />
          </label>
          <button type="button" className="primary" onClick={() => void receive()} data-testid="app-receive-button">{t('application.receive')}</button>
        </div>
      )}
      {d && d.receivedOn && (
        <p className="panel" data-testid="app-received-info">
          {t('application.receivedInfo', { date: fmtDate(d.receivedOn), due: fmtDate(d.assessmentDue) })} <DueCell a={d} badgeOnly />
        </p>
      )}

      {form.code && (
        <details className="panel" open={!d || d.status === 'draft'} data-testid="app-requirements">
          <summary><strong>{t('requirements.title')}</strong> — {form.code}</summary>
          <ErrorText error={reqs.error} />
          {reqs.data && (
            <>
              {reqs.data.requirements === null ? (
                <p className="warning">{t('requirements.none')}</p>
              ) : (
                <>
                  <p className="hint">{t('requirements.kkOnly')}</p>
                  <div className="two-col">
                    <div>
                      <h4>{t('requirements.staffText')}</h4>
                      <div className="verbatim" lang="kk">{reqs.data.staffText}</div>
                    </div>
                    <div>
                      <h4>{t('requirements.devicesText')}</h4>
                      <div className="verbatim" lang="kk">{reqs.data.devicesText}</div>
                    </div>
                  </div>
                  <h4>{t('requirements.structured')}{reqs.data.requirements.corrected.staff ? ` (${t('requirements.corrected')})` : ''}</h4>
                  <ul className="req-list">
                    {[...reqs.data.requirements.staff, ...reqs.data.requirements.devices].map((r) => (
                      <li key={r.id} className="req">
                        <span className="req-id">{r.id}</span> <RequirementSummary t={t} r={r} />
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </>
          )}
        </details>
      )}

      {id && d && (
        <section className="panel">
          <h3>{t('application.pdf')}</h3>
          <PdfControls id="application" load={loadApplicationPdf} title={`${t('application.title')} ${d.code}`} defaultLang={lang} />
        </section>
      )}
      {d && d.status !== 'draft' && <AssessmentPanel detail={d} chosenOrgName={chosenOrg ? orgName(chosenOrg, lang) : orgName(d.org, lang)} onChanged={detail.reload} />}
    </>
  );
}
