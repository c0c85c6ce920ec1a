import { useTranslation } from 'react-i18next';
import { daysBetween, fmtDate } from '../screens/cases/format';

/**
 * The review deadline of a case: days left, "today", or overdue in red; a dashed mark when the
 * deadline was computed on a year whose holiday calendar is not confirmed. Decided cases show
 * the date only.
 */
export function DueBadge({ due, today, confirmed, decided }: { due: string | null; today: string; confirmed: boolean; decided?: boolean }) {
  const { t } = useTranslation('cases');
  if (!due) return <span className="muted">{t('ui.due.none')}</span>;
  const left = daysBetween(today, due);
  let cls = 'badge';
  let label: string;
  if (decided) label = fmtDate(due);
  else if (left < 0) {
    cls += ' err strong';
    label = t('ui.due.overdue', { count: -left });
  } else if (left === 0) {
    cls += ' warn strong';
    label = t('ui.due.today');
  } else {
    cls += left === 1 ? ' warn' : '';
    label = t('ui.due.left', { count: left });
  }
  return (
    <span className="due" data-testid="due-badge">
      <span className={cls} title={t('ui.due.title', { date: fmtDate(due) })} data-left={decided ? undefined : left}>
        {label}
      </span>
      {!decided && <span className="muted due-date">{fmtDate(due)}</span>}
      {!confirmed && (
        <span className="mark" title={t('ui.due.unconfirmedTitle')}>
          {t('ui.due.unconfirmed')}
        </span>
      )}
    </span>
  );
}
