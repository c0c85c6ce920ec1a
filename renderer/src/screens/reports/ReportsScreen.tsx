import { useTranslation } from 'react-i18next';
import { href } from '../../router';
import { AnnualReportView } from './AnnualReportView';
import { Dashboard } from './Dashboard';

/** The reports area: `#/reports` (the dashboard) and `#/reports/annual` (the annual report of point 42). */
export function ReportsScreen({ route }: { route: string[] }) {
  const { t } = useTranslation('reports');
  const tab = route[1] === 'annual' ? 'annual' : 'dashboard';
  return (
    <section className="screen reports" aria-labelledby="reports-title">
      <h1 id="reports-title">{t('ui.title')}</h1>
      <nav className="tabs" aria-label={t('ui.title')}>
        <a href={href('reports')} aria-current={tab === 'dashboard' ? 'page' : undefined} data-testid="tab-dashboard">
          {t('ui.tabs.dashboard')}
        </a>
        <a href={href('reports', 'annual')} aria-current={tab === 'annual' ? 'page' : undefined} data-testid="tab-annual">
          {t('ui.tabs.annual')}
        </a>
      </nav>
      {tab === 'dashboard' ? <Dashboard /> : <AnnualReportView />}
    </section>
  );
}
