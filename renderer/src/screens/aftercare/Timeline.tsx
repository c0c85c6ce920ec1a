import { useTranslation } from 'react-i18next';
import type { RecordedBy, TimelineEvent } from '../../../../shared/contract/aftercare';
import { fmtDate, fmtInstant } from '../cases/format';

const lower = (s: string): string => (s === '' ? s : s[0]!.toLocaleLowerCase() + s.slice(1));

/** An event's own words: what happened, with its values in the interface language. */
function what(t: (k: string, o?: Record<string, unknown>) => string, e: TimelineEvent): string {
  const d = e.detail;
  const yesNo = (v: unknown) => t(v === true ? 'yes' : 'no');
  switch (e.kind) {
    case 'received':
      return d.channel ? t('event.receivedBy', { channel: lower(t(`ui.channel.${d.channel}`, { ns: 'cases' })) }) : t('event.received');
    case 'decision':
      return t(d.outcome === 'approved' ? 'event.approved' : 'event.refused', { protocol: d.protocol ?? '—', date: fmtDate(String(d.date)) }) + (d.superseded ? ` ${t('event.superseded')}` : '');
    case 'portal':
      return t('event.portal', { status: t(`ui.portal.${d.status}`, { ns: 'cases' }) }) + (d.note ? ` (${d.note})` : '');
    case 'hospitalization_set':
      return t('event.hospitalizationSet', { date: fmtDate(String(d.date)) });
    case 'informed':
      return t('event.informed', { channel: t(`inform.channel.${d.channel}`) });
    case 'discharge_summary':
      return t('event.dischargeSummary', { count: Number(d.files ?? 0) });
    case 'complications':
      return `${t('event.complications')}: ${yesNo(d.value)}${d.note ? ` (${d.note})` : ''}`;
    case 'disability':
      return `${t('event.disability')}: ${yesNo(d.value)}`;
    case 'survival':
      return `${t('event.survival')}: ${yesNo(d.value)}`;
    case 'journal_entry':
      return d.entryNumber ? t('event.journalNumbered', { number: d.entryNumber }) : t('event.journal');
    default:
      return t(`event.${e.kind}`);
  }
}

function recorded(t: (k: string, o?: Record<string, unknown>) => string, r: RecordedBy | null): string {
  if (!r) return '';
  const at = fmtInstant(r.at);
  if (r.user) return t('recorded.user', { at, user: r.user });
  if (r.thisInstallation) return t('recorded.here', { at });
  return r.peerName ? t('recorded.peer', { at, name: r.peerName }) : t('recorded.other', { at, id: r.installationId.slice(0, 8) });
}

/** Every recorded step of a case, oldest first: when, what, who did it (by law), who entered it and when. */
export function Timeline({ events }: { events: TimelineEvent[] }) {
  const { t } = useTranslation('aftercare');
  const tt = (k: string, o?: Record<string, unknown>) => t(k, o ?? {});
  return (
    <ol className="timeline" data-testid="timeline">
      {events.map((e, i) => (
        <li key={i} data-kind={e.kind} data-testid="timeline-event">
          <span className="tl-at nowrap">{/^\d{4}-\d{2}-\d{2}$/.test(e.at) ? fmtDate(e.at) : fmtInstant(e.at)}</span>
          <span className="tl-what">
            {what(tt, e)}
            <span className="tl-who small muted">
              {' — '}
              {t(`actor.${e.actor.role}`)}
              {e.actor.name ? `: ${e.actor.name}` : ''}
            </span>
            {e.recorded && <span className="tl-rec small muted">{recorded(tt, e.recorded)}</span>}
          </span>
        </li>
      ))}
    </ol>
  );
}
