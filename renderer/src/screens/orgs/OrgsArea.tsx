import { useTranslation } from 'react-i18next';
import { href } from '../../router';
import { ApplicationEditor } from './ApplicationEditor';
import { ApplicationsView } from './ApplicationsView';
import { ConclusionsView } from './ConclusionsView';
import { IssuerSettings } from './IssuerSettings';
import { OrgEditor } from './OrgEditor';
import { RegistryView } from './RegistryView';
import { UpdatesView } from './UpdatesView';
import './orgs.css';

const TABS = ['registry', 'applications', 'conclusions', 'updates', 'settings'] as const;

/**
 * The organizations area: `#/orgs` (registry), `#/orgs/org/<id|new>`, `#/orgs/applications`,
 * `#/orgs/application/<id>` or `#/orgs/application/new[/<orgId>]`, `#/orgs/conclusions`,
 * `#/orgs/updates`, `#/orgs/settings`.
 */
export function OrgsArea({ route }: { route: string[] }) {
  const { t } = useTranslation('orgs');
  const sub = route[1] ?? 'registry';
  const tab = sub === 'org' ? 'registry' : sub === 'application' ? 'applications' : (TABS as readonly string[]).includes(sub) ? sub : 'registry';
  let body;
  if (sub === 'org' && route[2]) body = <OrgEditor key={route[2]} id={route[2] === 'new' ? null : route[2]} />;
  else if (sub === 'application' && route[2]) body = <ApplicationEditor key={route.slice(2).join('/')} id={route[2] === 'new' ? null : route[2]} orgId={route[2] === 'new' ? route[3] ?? null : null} />;
  else if (tab === 'applications') body = <ApplicationsView />;
  else if (tab === 'conclusions') body = <ConclusionsView />;
  else if (tab === 'updates') body = <UpdatesView />;
  else if (tab === 'settings') body = <IssuerSettings />;
  else body = <RegistryView />;
  return (
    <section className="screen orgs" aria-labelledby="orgs-title">
      <div className="orgs-head">
        <h1 id="orgs-title">{t('nav')}</h1>
      </div>
      <nav className="tabs" aria-label={t('nav')}>
        {TABS.map((x) => (
          <a key={x} href={x === 'registry' ? href('orgs') : href('orgs', x)} aria-current={tab === x ? 'page' : undefined} data-testid={`orgs-tab-${x}`}>
            {t(`tabs.${x}`)}
          </a>
        ))}
      </nav>
      {body}
    </section>
  );
}
