import { useEffect, useId, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { addDays } from '../../../../shared/domain/calendar';
import type { EditionSummary, SearchElsewhereItem, SearchResult, SearchResultItem } from '../../../../shared/contract/catalogue';
import { useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { navigate } from '../../router';
import type { CatalogueFilters } from './CatalogueScreen';
import { ElsewhereNote, Name, otherLang, quoteWords, SearchWordsNote, showDate, useEditionLabel, useUiLang } from './util';

type Row = { kind: 'result'; item: SearchResultItem } | { kind: 'elsewhere'; item: SearchElsewhereItem };

/**
 * Answers as you type (lightly debounced); arrows move through the results, Enter opens one.
 * Results with every word come first, then those with only some (marked, with the words they
 * lack), then codes that are not in the edition searched (with where they stand instead).
 */
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
  const [debounced, setDebounced] = useState(filters.query);
  const [active, setActive] = useState(0);
  const listId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const h = setTimeout(() => setDebounced(filters.query), 80);
    return () => clearTimeout(h);
  }, [filters.query]);
  useEffect(() => inputRef.current?.focus(), []);

  const args = {
    query: debounced,
    // The date shown stays the reference even while another edition is browsed (status line).
    on: filters.date,
    ...(filters.editionId ? { editionId: filters.editionId } : {}),
    ...(filters.section ? { section: filters.section } : {}),
    limit: debounced.trim() ? 50 : 1000,
  };
  const search = useQuery('catalogue.search', args);
  const data = search.data;
  const results = data?.results ?? [];
  const full = results.filter((r) => !r.partial);
  const partial = results.filter((r) => r.partial);
  const elsewhere = data?.elsewhere ?? [];
  const rows: Row[] = [...full, ...partial].map((item) => ({ kind: 'result', item }) as Row).concat(elsewhere.map((item) => ({ kind: 'elsewhere', item })));
  useEffect(() => setActive(0), [data]);
  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const open = (code: string) => navigate('catalogue', 'code', code);
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(rows.length - 1, a + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'Enter') {
      const r = rows[active];
      if (r) {
        e.preventDefault();
        open(r.item.code);
      }
    } else if (e.key === 'Escape') setFilters({ ...filters, query: '' });
  };
  const searching = debounced.trim() !== '' && data !== undefined && data.words.length > 0;

  const option = (row: Row, i: number) => {
    const r = row.item;
    const isResult = row.kind === 'result';
    return (
      <li
        key={`${row.kind}-${r.code}`}
        id={`${listId}-${i}`}
        role="option"
        aria-selected={i === active}
        data-index={i}
        data-code={r.code}
        data-partial={isResult ? String(row.item.partial) : undefined}
        data-testid={isResult ? 'catalogue-result' : 'catalogue-elsewhere-item'}
        className={[i === active ? 'active' : '', isResult && row.item.partial ? 'partial' : '', isResult ? '' : 'elsewhere'].filter(Boolean).join(' ') || undefined}
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
          {isResult && row.item.partial && (
            <span className="missing-words" data-testid="result-missing">
              {t('results.missing', { words: quoteWords(row.item.missing), count: row.item.missing.length })}
            </span>
          )}
          {r.typos.map((y) => (
            <span key={y.word} className="typo-note" data-testid="result-typo">
              {t('match.typoAs', { word: y.word, as: y.as })}
            </span>
          ))}
          {!isResult && <ElsewhereNote item={row.item} />}
        </span>
        <span className="meta">
          {isResult &&
            row.item.sections.map((s) => (
              <span key={s.section} className="badge" title={t(`section.${s.section}`)}>
                {t('section.short', { n: s.section })}
              </span>
            ))}
          {isResult && row.item.partial && <span className="badge match-partial">{t('results.partialBadge')}</span>}
          {r.match !== 'list' && <span className={`badge match-${r.match}`}>{t(`match.${r.match}`)}</span>}
        </span>
      </li>
    );
  };

  // Groups of the listbox: a heading only when there is more than one kind of row.
  const groups: { key: string; heading: string | null; rows: Row[]; start: number }[] = [];
  let start = 0;
  const addGroup = (key: string, heading: string | null, list: Row[]) => {
    if (list.length) groups.push({ key, heading, rows: list, start });
    start += list.length;
  };
  const several = [full.length > 0, partial.length > 0, elsewhere.length > 0].filter(Boolean).length > 1;
  addGroup('full', several && data ? t('results.full', { count: data.counts.full }) : null, rows.slice(0, full.length));
  addGroup('partial', data ? partialText(t, data.counts) : null, rows.slice(full.length, full.length + partial.length));
  addGroup(
    'elsewhere',
    filters.editionId ? t('elsewhere.titleEdition') : t('elsewhere.titleOnDate', { date: showDate(filters.date) }),
    rows.slice(full.length + partial.length),
  );

  return (
    <div className="catalogue-search">
      <label className="search-label">
        {t('toolbar.search')}
        <input
          ref={inputRef}
          type="search"
          role="combobox"
          aria-expanded={rows.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={rows[active] ? `${listId}-${active}` : undefined}
          placeholder={t('toolbar.searchPlaceholder')}
          value={filters.query}
          onChange={(e) => setFilters({ ...filters, query: e.target.value })}
          onKeyDown={onKey}
          data-testid="catalogue-search"
          autoComplete="off"
          spellCheck={false}
        />
      </label>
      <StatusLine data={data} editions={editions} browsing={filters.editionId !== ''} date={filters.date} searching={searching} shown={results.length} />
      <ErrorText error={search.error} />
      {searching && <SearchWordsNote words={data!.words} testId="catalogue-words" />}
      {data && rows.length === 0 && <p data-testid="catalogue-none">{t('results.none')}</p>}
      {data && results.length === 0 && elsewhere.length > 0 && <p data-testid="catalogue-none-in-edition">{t('results.noneInEdition')}</p>}
      {rows.length > 0 && <p className="muted hint">{t('results.hint')}</p>}
      {rows.length > 0 && (
        <div id={listId} ref={listRef} role="listbox" aria-label={t('results.label')} className="catalogue-results" data-testid="catalogue-results">
          {groups.map((g) =>
            g.heading ? (
              <ul key={g.key} role="group" aria-labelledby={`${listId}-${g.key}`} className={`result-group group-${g.key}`} data-testid={`catalogue-group-${g.key}`}>
                <li role="presentation" id={`${listId}-${g.key}`} className="group-head">
                  {g.heading}
                </li>
                {g.rows.map((row, k) => option(row, g.start + k))}
              </ul>
            ) : (
              <ul key={g.key} role="group" aria-label={t('results.label')} className={`result-group group-${g.key}`} data-testid={`catalogue-group-${g.key}`}>
                {g.rows.map((row, k) => option(row, g.start + k))}
              </ul>
            ),
          )}
        </div>
      )}
    </div>
  );
}

/** "N more codes with only some of the words" (or just "N codes …" when none has them all). */
function partialText(t: TFunction, counts: { full: number; partial: number }): string {
  return counts.full > 0 ? t('results.partialHeading', { count: counts.partial }) : t('results.partialOnly', { count: counts.partial });
}

/**
 * Which edition is in force on the date shown — always, also while another edition is browsed —
 * then what is found.
 */
function StatusLine({
  data,
  editions,
  browsing,
  date,
  searching,
  shown,
}: {
  data: SearchResult | undefined;
  editions: EditionSummary[] | undefined;
  browsing: boolean;
  date: string;
  searching: boolean;
  shown: number;
}) {
  const { t } = useTranslation('catalogue');
  const editionLabel = useEditionLabel();
  if (!data) return <p className="muted catalogue-status" aria-live="polite" data-testid="catalogue-status" />;
  const inForce = data.inForce;
  const summary = editions?.find((x) => x.id === inForce?.id);
  const browsed = browsing && data.edition.id !== inForce?.id ? data.edition : null;
  const total = data.counts.full + data.counts.partial;
  const severalWords = data.words.filter((w) => !w.optional).length > 1;
  const count = [
    searching && severalWords ? (data.counts.full > 0 ? t('results.full', { count: data.counts.full }) : t('results.fullNone')) : t('results.count', { count: total }),
    searching && severalWords && data.counts.partial > 0 ? partialText(t, data.counts) : '',
    total > shown ? t('results.shownOf', { shown }) : '',
  ]
    .filter(Boolean)
    .join(' · ');
  // The browsed edition with the days it was (or is) in force.
  const sorted = [...(editions ?? [])].sort((a, b) => (a.inForceFrom < b.inForceFrom ? -1 : a.inForceFrom > b.inForceFrom ? 1 : 0));
  const next = browsed ? sorted[sorted.findIndex((e) => e.id === browsed.id) + 1] : undefined;
  const browsedPeriod = browsed
    ? next && next.inForceFrom > browsed.inForceFrom
      ? t('edition.period', { from: showDate(browsed.inForceFrom), to: showDate(addDays(next.inForceFrom, -1)) })
      : t('edition.inForce', { date: showDate(browsed.inForceFrom) })
    : '';
  return (
    <p className="muted catalogue-status" aria-live="polite" data-testid="catalogue-status">
      {browsed && (
        <span className="browsing" data-testid="catalogue-browsing">
          {t('edition.browsing', { edition: editionLabel(browsed) })} ({browsedPeriod})
        </span>
      )}
      <span data-testid="catalogue-in-force">
        {inForce ? (
          <>
            {t('edition.onDate', { date: showDate(data.on), edition: editionLabel(inForce) })}
            {' · '}
            {t('edition.inForce', { date: showDate(inForce.inForceFrom) })}
            {summary?.inForceChosen && <span className="mark">{t(summary.inForceEdited ? 'edition.edited' : 'edition.chosen')}</span>}
          </>
        ) : (
          t('edition.noneOnDate', { date: showDate(date) })
        )}
      </span>
      {' · '}
      <span data-testid="catalogue-count">{count}</span>
    </p>
  );
}
