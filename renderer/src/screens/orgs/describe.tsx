import type { TFunction } from 'i18next';
import type { Reason } from '../../../../shared/domain/conformity';
import type { Requirement, StaffAlternative } from '../../../../shared/domain/requirements';
import { fmtDate } from './util';

/** A reason of the pre-assessment in the UI language (dates as DD.MM.YYYY). */
export function reasonText(t: TFunction, r: Reason): string {
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(r.params)) params[k] = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? fmtDate(v) : v;
  return t(`assess.reasons.${r.code}`, { ns: 'orgs', ...params });
}

function alternative(t: TFunction, a: StaffAlternative): string {
  const who = a.education ? t('requirements.education', { ns: 'orgs', education: a.education }) : a.specialties.join(a.joint ? ` + ` : ` / `);
  const parts: string[] = [who];
  if (a.minYears !== null) parts.push(t('requirements.minYears', { ns: 'orgs', count: a.minYears }) + (a.yearsScope ? ` ${t('requirements.yearsScope', { ns: 'orgs', scope: a.yearsScope })}` : ''));
  if (a.trainingHours !== null) {
    let s = t('requirements.training', { ns: 'orgs', hours: a.trainingHours });
    if (a.trainingWithinYears !== null) s += ` ${t('requirements.trainingWithin', { ns: 'orgs', count: a.trainingWithinYears })}`;
    if (a.trainingTopic) s += ` (${t('requirements.trainingTopic', { ns: 'orgs', topic: a.trainingTopic })})`;
    parts.push(s);
  }
  if (a.operationsPerYear !== null) parts.push(t('requirements.operations', { ns: 'orgs', count: a.operationsPerYear }) + (a.operationsScope ? ` ${t('requirements.operationsScope', { ns: 'orgs', scope: a.operationsScope })}` : ''));
  if (a.uncertain.length > 0) parts.push(`⚠ ${t('requirements.uncertain', { ns: 'orgs' })}`);
  return parts.join('; ');
}

/** What the app checks for a requirement, as a short list. */
export function RequirementSummary({ t, r }: { t: TFunction; r: Requirement }) {
  if (r.kind === 'staff') {
    return (
      <div className="req-structured">
        <strong>{t('requirements.count', { ns: 'orgs', count: r.count })}:</strong>
        <ul className="req-reasons">
          {r.alternatives.map((a, i) => (
            <li key={i}>
              {i > 0 && <em>{t('requirements.or', { ns: 'orgs' })} </em>}
              {alternative(t, a)}
            </li>
          ))}
          {r.otherwise && <li><em>{t('requirements.otherwise', { ns: 'orgs', text: r.otherwise })}</em></li>}
          {r.manual.map((m, i) => <li key={`m${i}`} className="warning">{t('requirements.manual', { ns: 'orgs', text: m })}</li>)}
        </ul>
      </div>
    );
  }
  if (r.kind === 'device') return <div className="req-structured">{t('requirements.deviceCount', { ns: 'orgs', name: r.name, count: r.count })}</div>;
  if (r.kind === 'permit') return <div className="req-structured">{t('requirements.permit', { ns: 'orgs', text: r.text })}</div>;
  return <div className="req-structured warning">{r.footnote ? t('requirements.footnote', { ns: 'orgs', mark: r.footnote, text: r.text }) : t('requirements.manual', { ns: 'orgs', text: r.text })}</div>;
}

/** A short label of a requirement for selects ("s1 · Кардиохирургия…", "d3 · Ангиограф"). */
export function requirementLabel(r: Requirement): string {
  const text = r.kind === 'staff' ? r.alternatives.map((a) => a.specialties[0] ?? a.education ?? '').join(' / ') : r.kind === 'device' ? r.name : r.text;
  return `${r.id} · ${text.length > 70 ? `${text.slice(0, 70)}…` : text}`;
}
