import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SectionNo } from '../../../../shared/contract/catalogue';
import { useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { href } from '../../router';
import { CodePage } from './CodePage';
import { DiffView } from './DiffView';
import { SearchView } from './SearchView';
import { showDate, today, useEditionLabel } from './util';
import './catalogue.css';
import { DateField } from '../../components/DateField';

/** What the catalogue screens share while the user moves between search, a code page and the diff. */
export interface CatalogueFilters {
  date: string;
  /** '' = the edition in force on the date. */
  editionId: string;
  section: SectionNo | 0;
  query: string;
}

/** The catalogue area: search (#/catalogue), a code page (#/catalogue/code/CODE), the diff (#/catalogue/diff). */
export function CatalogueScreen({ route }: { route: string[] }) {
  const { t } = useTranslation('catalogue');
  const editionLabel = useEditionLabel();
  const [filters, setFilters] = useState<CatalogueFilters>({ date: today(), editionId: '', section: 0, query: '' });
  const editions = useQuery('catalogue.editions', {});
  const view = route[1] === 'code' && route[2] ? 'code' : route[1] === 'diff' ? 'diff' : 'search';
  const chosen = editions.data?.editions.find((e) => e.id === filters.editionId);
  // A code page opened from an explicitly chosen edition shows that edition's first day.
  const pageDate = chosen ? chosen.inForceFrom : filters.date;

  return (
    <section className="screen catalogue" aria-labelledby="catalogue-title">
      <div className="catalogue-head">
        <h1 id="catalogue-title">{t('title')}</h1>
        <nav className="catalogue-tabs" aria-label={t('title')}>
          <a href={href('catalogue')} aria-current={view !== 'diff' ? 'page' : undefined} data-testid="catalogue-tab-search">
            {t('toolbar.list')}
          </a>
          <a href={href('catalogue', 'diff')} aria-current={view === 'diff' ? 'page' : undefined} data-testid="catalogue-tab-diff">
            {t('toolbar.diff')}
          </a>
        </nav>
      </div>
      <ErrorText error={editions.error} />
      {view !== 'diff' && (
        <div className="toolbar" role="group" aria-label={t('toolbar.edition')}>
          <label>
            {t('toolbar.date')}
            <DateField
              value={filters.date}
              disabled={filters.editionId !== ''}
              onChange={(e) => e.target.value && setFilters({ ...filters, date: e.target.value })}
              data-testid="catalogue-date"
            />
          </label>
          <label>
            {t('toolbar.edition')}
            <select value={filters.editionId} onChange={(e) => setFilters({ ...filters, editionId: e.target.value })} data-testid="catalogue-edition">
              <option value="">{t('toolbar.editionByDate')}</option>
              {editions.data?.editions.map((e) => (
                <option key={e.id} value={e.id}>
                  {editionLabel(e)} ({t('edition.inForce', { date: showDate(e.inForceFrom) })})
                </option>
              ))}
            </select>
          </label>
          {view === 'search' && (
            <label>
              {t('toolbar.section')}
              <select
                value={filters.section}
                onChange={(e) => setFilters({ ...filters, section: Number(e.target.value) as SectionNo | 0 })}
                data-testid="catalogue-section"
              >
                <option value={0}>{t('toolbar.sectionAll')}</option>
                {([1, 2, 3] as const).map((s) => (
                  <option key={s} value={s}>
                    {t('section.label', { n: s })}: {t(`section.${s}`)}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
      )}
      {view === 'search' && <SearchView filters={filters} setFilters={setFilters} editions={editions.data?.editions} />}
      {view === 'code' && <CodePage code={route[2]!} on={pageDate} editions={editions.data?.editions} />}
      {view === 'diff' && <DiffView editions={editions.data?.editions} reloadEditions={editions.reload} />}
    </section>
  );
}
