import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EditionSummary } from '../../../../shared/contract/catalogue';
import { useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { navigate } from '../../router';
import type { CatalogueFilters } from './CatalogueScreen';
import { Name, otherLang, showDate, useEditionLabel, useUiLang } from './util';

/** Answers as you type (lightly debounced); arrows move through the results, Enter opens one. */
export function SearchView({
  filters,
  setFilters,
  editions,
}: {
  filters: CatalogueFilters;
  setFilters: (f: CatalogueFilters) => void;
  editions: EditionSummary[] | undefined;
}) {
  const { t } = useTranslation('catalogue');
  const lang = useUiLang();
  const editionLabel = useEditionLabel();
  const [debounced, setDebounced] = useState(filters.query);
  const [active, setActive] = useState(0);
  const listId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    const h = setTimeout(() => setDebounced(filters.query), 80);
    return () => clearTimeout(h);
  }, [filters.query]);
  useEffect(() => inputRef.current?.focus(), []);

  const args = {
    query: debounced,
    ...(filters.editionId ? { editionId: filters.editionId } : { on: filters.date }),
    ...(filters.section ? { section: filters.section } : {}),
    limit: debounced.trim() ? 50 : 1000,
  };
  const search = useQuery('catalogue.search', args);
  const results = search.data?.results ?? [];
  useEffect(() => setActive(0), [search.data]);
  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const open = (code: string) => navigate('catalogue', 'code', code);
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(results.length - 1, a + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'Enter') {
      const r = results[active];
      if (r) {
        e.preventDefault();
        open(r.code);
      }
    } else if (e.key === 'Escape') setFilters({ ...filters, query: '' });
  };
  const edition = search.data?.edition;
  const summary = editions?.find((x) => x.id === edition?.id);

  return (
    <div className="catalogue-search">
      <label className="search-label">
        {t('toolbar.search')}
        <input
          ref={inputRef}
          type="search"
          role="combobox"
          aria-expanded={results.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={results[active] ? `${listId}-${active}` : undefined}
          placeholder={t('toolbar.searchPlaceholder')}
          value={filters.query}
          onChange={(e) => setFilters({ ...filters, query: e.target.value })}
          onKeyDown={onKey}
          data-testid="catalogue-search"
          autoComplete="off"
          spellCheck={false}
        />
      </label>
      <p className="muted catalogue-status" aria-live="polite" data-testid="catalogue-status">
        {edition && (
          <>
            {t('edition.onDate', { date: showDate(search.data!.on), edition: editionLabel(edition) })}
            {' · '}
            {t('edition.inForce', { date: showDate(edition.inForceFrom) })}
            {summary?.inForceChosen && <span className="mark">{t(summary.inForceEdited ? 'edition.edited' : 'edition.chosen')}</span>}
            {' · '}
            {t('results.count', { count: results.length })}
          </>
        )}
      </p>
      <ErrorText error={search.error} />
      {search.data && results.length === 0 && <p data-testid="catalogue-none">{t('results.none')}</p>}
      {results.length > 0 && <p className="muted hint">{t('results.hint')}</p>}
      <ul id={listId} ref={listRef} role="listbox" aria-label={t('results.label')} className="catalogue-results" data-testid="catalogue-results">
        {results.map((r, i) => (
          <li
            key={r.code}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            data-index={i}
            data-code={r.code}
            data-testid="catalogue-result"
            className={i === active ? 'active' : undefined}
            onMouseMove={() => setActive(i)}
            onClick={() => open(r.code)}
          >
            <span className="code mono">{r.code}</span>
            <span className="names">
              <Name name={r.name} sources={r.nameSource} />
              {r.name[lang] && r.name[otherLang(lang)] && (
                <span className="muted other" lang={otherLang(lang)}>
                  {r.name[otherLang(lang)]}
                </span>
              )}
            </span>
            <span className="meta">
              {r.sections.map((s) => (
                <span key={s.section} className="badge" title={t(`section.${s.section}`)}>
                  {t('section.short', { n: s.section })}
                </span>
              ))}
              {r.match !== 'list' && <span className={`badge match-${r.match}`}>{t(`match.${r.match}`)}</span>}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
