import { useTranslation } from 'react-i18next';
import { href } from '../../router';
import { NewRequest } from './NewRequest';
import { RequestDetail } from './RequestDetail';
import { RequestList } from './RequestList';
import { RoutesView } from './RoutesView';
import { SummaryView } from './SummaryView';
import './abroad.css';

const TABS = ['list', 'new', 'routes', 'summary'] as const;
type Tab = (typeof TABS)[number];

/**
 * Treatment abroad: `#/abroad` (requests), `#/abroad/new`, `#/abroad/routes`, `#/abroad/summary`,
 * `#/abroad/r/<id>` (one request).
 */
export function AbroadScreen({ route }: { route: string[] }) {
  const { t, i18n } = useTranslation('abroad');
  const detailId = route[1] === 'r' ? route[2] : undefined;
  const tab: Tab = detailId ? 'list' : (TABS as readonly string[]).includes(route[1] ?? '') ? (route[1] as Tab) : 'list';
  return (
    <section className="screen" aria-labelledby="abroad-title">
      <div className="screen-head">
        <h1 id="abroad-title">{t('ui.title')}</h1>
        <span className="muted small">{t('ui.subtitle')}</span>
      </div>
      {i18n.language === 'kk' && (
        <p className="abroad-kk-note" data-testid="abroad-kk-note">
          {t('kkNote')}
        </p>
      )}
      <nav aria-label={t('ui.title')}>
        <ul className="abroad-tabs">
          {TABS.map((x) => (
            <li key={x}>
              <a href={href('abroad', ...(x === 'list' ? [] : [x]))} aria-current={x === tab && !detailId ? 'page' : undefined} data-testid={`abroad-tab-${x}`}>
                {t(`ui.tabs.${x}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {detailId ? (
        <RequestDetail key={detailId} id={detailId} />
      ) : tab === 'new' ? (
        <NewRequest />
      ) : tab === 'routes' ? (
        <RoutesView />
      ) : tab === 'summary' ? (
        <SummaryView />
      ) : (
        <RequestList />
      )}
    </section>
  );
}
