import { useTranslation } from 'react-i18next';
import { useQuery } from '../../api/context';
import { href } from '../../router';
import { fmtInstant } from './format';

/**
 * Cases with unsaved edits of the signed-in user (Today): a closed tab or a restarted host left
 * them; each is offered back when its case is opened.
 */
export function UnsavedDrafts() {
  const { t } = useTranslation('setup');
  const q = useQuery('prefs.get', {});
  const drafts = q.data?.drafts ?? [];
  if (drafts.length === 0) return null;
  return (
    <section className="panel unsaved-drafts" aria-labelledby="unsaved-title" data-testid="unsaved-drafts">
      <h2 id="unsaved-title">{t('draft.todayTitle')}</h2>
      <p>{t('draft.todayLead', { count: drafts.length })}</p>
      <ul>
        {drafts.map((d) => (
          <li key={d.caseId}>
            <a href={href('cases', d.caseId)} data-testid="unsaved-draft">
              {d.patient || t('draft.untitled')}
            </a>{' '}
            <span className="muted">{fmtInstant(d.savedAt)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
