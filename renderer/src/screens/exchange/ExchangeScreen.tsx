import { useTranslation } from 'react-i18next';
import { useQuery } from '../../api/context';
import { BackupPanel } from './BackupPanel';
import { CataloguePanel } from './CataloguePanel';
import { ConflictsPanel } from './ConflictsPanel';
import { ExportPanel } from './ExportPanel';
import { ImportPanel } from './ImportPanel';
import { ProgressBar, useJob } from './job';
import { PeersPanel } from './PeersPanel';
import { PortalAnswerPanel } from './PortalAnswerPanel';

type Tab = 'transfer' | 'conflicts' | 'backup' | 'catalogue' | 'peers';
const TABS: Tab[] = ['transfer', 'conflicts', 'backup', 'catalogue', 'peers'];

/**
 * Bundles out and in, and the portal's answer: one job and one progress bar for the tab (an
 * import cannot start while an export runs), and one list of laptops (a sender trusted by an
 * import becomes a recipient at once).
 */
function TransferTab() {
  const peers = useQuery('exchange.peers', {});
  const job = useJob();
  return (
    <>
      <ExportPanel job={job} peers={peers.data ?? []} />
      <ImportPanel job={job} onImported={peers.reload} />
      <PortalAnswerPanel />
      <ProgressBar progress={job.progress} onCancel={job.cancel} />
    </>
  );
}

/** The exchange area: bundles in and out, conflicts, backups, catalogue updates and trust. */
export function ExchangeScreen({ route }: { route: string[] }) {
  const { t } = useTranslation('exchange');
  const tab: Tab = (TABS as string[]).includes(route[1] ?? '') ? (route[1] as Tab) : 'transfer';
  const open = useQuery('exchange.conflicts', { status: 'open' });
  return (
    <section className="screen" aria-labelledby="exchange-title">
      <h1 id="exchange-title">{t('screen.title')}</h1>
      <nav className="tabs" aria-label={t('screen.title')}>
        {TABS.map((x) => (
          <a key={x} href={`#/exchange/${x}`} aria-current={x === tab ? 'page' : undefined} data-testid={`exchange-tab-${x}`}>
            {t(`screen.tabs.${x}`)}
            {x === 'conflicts' && open.data && open.data.length > 0 ? ` (${open.data.length})` : ''}
          </a>
        ))}
      </nav>
      {tab === 'transfer' && <TransferTab />}
      {tab === 'conflicts' && <ConflictsPanel />}
      {tab === 'backup' && <BackupPanel />}
      {tab === 'catalogue' && <CataloguePanel />}
      {tab === 'peers' && <PeersPanel />}
    </section>
  );
}
