import { useTranslation } from 'react-i18next';
import { useQuery } from '../api/context';
import { ErrorText } from '../components/ErrorText';

/** How the runtime components are spelled (the keys come from process.versions). */
const COMPONENT_NAMES: Record<string, string> = { node: 'Node.js', sqlite: 'SQLite', electron: 'Electron', chrome: 'Chromium' };

/** Versions, the data folder and the schema: what support asks for first. */
export function AboutScreen() {
  const { t } = useTranslation('common');
  const info = useQuery('app.info', {});
  return (
    <section aria-labelledby="about-title" className="screen">
      <h1 id="about-title">{t('about.title')}</h1>
      <p>{t('about.lead')}</p>
      <ErrorText error={info.error} />
      {info.data && (
        <dl className="facts" data-testid="about-facts">
          <dt>{t('about.version')}</dt>
          <dd>{info.data.version}</dd>
          <dt>{t('about.host')}</dt>
          <dd>{t(`about.hosts.${info.data.host}`)}</dd>
          <dt>{t('about.dataDir')}</dt>
          <dd className="mono">{info.data.dataDir}</dd>
          <dt>{t('about.database')}</dt>
          <dd className="mono">{info.data.databaseFile}</dd>
          <dt>{t('about.schema')}</dt>
          <dd>{info.data.schemaVersion}</dd>
          <dt>{t('about.installation')}</dt>
          <dd className="mono">{info.data.installationId}</dd>
          {Object.entries(info.data.versions).map(([k, v]) => (
            <div key={k} className="facts-row">
              <dt>{t('about.componentVersion', { name: COMPONENT_NAMES[k] ?? k })}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      )}
      <p className="muted">{t('about.privacy')}</p>
    </section>
  );
}
