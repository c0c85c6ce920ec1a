import { useTranslation } from 'react-i18next';
import { useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { pick } from './format';

/** The routes as shipped data: each step with who acts, what documents and how many working days. */
export function RoutesView() {
  const { t, i18n } = useTranslation('abroad');
  const q = useQuery('abroad.reference', {});
  const lang = i18n.language;
  const ref = q.data;
  if (!ref) return <ErrorText error={q.error} />;
  const inForce = ref.inForce ? ref.routes.routes.find((r) => r.id === ref.inForce!.id && r.version === ref.inForce!.version) : null;
  return (
    <div data-testid="abroad-routes">
      {inForce && <p><strong>{t('ui.routes.inForce', { title: pick(inForce.title, lang), version: inForce.version })}</strong></p>}
      {ref.source === 'local' && <p className="warning">{t('ui.routes.local')}</p>}
      {ref.routes.routes.map((r) => (
        <section key={`${r.id}@${r.version}`} className="panel" aria-labelledby={`route-${r.id}-${r.version}`} data-testid={`abroad-route-${r.id}`}>
          <h3 id={`route-${r.id}-${r.version}`} style={{ marginTop: 0 }}>
            {pick(r.title, lang)} <span className="badge small">{t(r.status === 'proposed' ? 'ui.routes.proposed' : 'ui.routes.current')}</span>
          </h3>
          <table className="grid compact abroad-steps">
            <thead>
              <tr>
                {(['n', 'holder', 'action', 'documents', 'term'] as const).map((c) => (
                  <th key={c} scope="col">
                    {t(`ui.detail.columns.${c}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {r.steps.map((s) => (
                <tr key={s.n}>
                  <th scope="row">{s.n}</th>
                  <td>{pick(ref.routes.actors[s.actor], lang)}</td>
                  <td>
                    {pick(s.action, lang)}
                    {s.note && <div className="muted small">{pick(s.note, lang)}</div>}
                  </td>
                  <td>{s.documents.map((d) => pick(ref.routes.documents[d], lang)).join('; ')}</td>
                  <td className="nowrap">{t('ui.detail.days', { count: s.workingDays })}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p style={{ marginBottom: 0 }}>
            <strong>{t('ui.routes.total', { count: r.totalWorkingDays })}</strong>
          </p>
        </section>
      ))}
      <p className="muted small">{t('ui.routes.source', { source: pick(ref.routes.source, lang) })}</p>
    </div>
  );
}
