import { useTranslation } from 'react-i18next';
import { href } from '../../router';
import { ReportScreen } from './ReportScreen';
import { ScoringForm } from './ScoringForm';
import { SheetsList } from './SheetsList';
import { TransferScreen } from './TransferScreen';
import { ZonesScreen } from './ZonesScreen';
import './scoring.css';

const TABS = ['form', 'sheets', 'transfer', 'zones', 'report'] as const;
type Tab = (typeof TABS)[number];

/**
 * The scoring area: `#/scoring` (a new sheet), `#/scoring/form/<id>` (edit), `#/scoring/sheets`,
 * `#/scoring/transfer[/<code>/<year>]`, `#/scoring/zones`, `#/scoring/report`.
 */
export function ScoringArea({ route }: { route: string[] }) {
  const { t } = useTranslation('scoring');
  const tab: Tab = (TABS as readonly string[]).includes(route[1] ?? '') ? (route[1] as Tab) : 'form';
  return (
    <section className="screen" aria-labelledby="scoring-title">
      <h1 id="scoring-title" className="sr-title">
        {t(`ui.tabs.${tab}`)}
      </h1>
      <nav aria-label={t('ui.tabs.label')}>
        <ul className="scoring-tabs">
          {TABS.map((x) => (
            <li key={x}>
              <a href={href('scoring', x)} aria-current={x === tab ? 'page' : undefined} data-testid={`scoring-tab-${x}`}>
                {t(`ui.tabs.${x}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {tab === 'form' && <ScoringForm key={route[2] ?? 'new'} sheetId={route[2]} />}
      {tab === 'sheets' && <SheetsList />}
      {tab === 'transfer' && <TransferScreen key={`${route[2] ?? ''}/${route[3] ?? ''}`} code={route[2]} year={route[3]} />}
      {tab === 'zones' && <ZonesScreen />}
      {tab === 'report' && <ReportScreen />}
    </section>
  );
}
