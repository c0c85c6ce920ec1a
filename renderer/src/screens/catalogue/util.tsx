import { useTranslation } from 'react-i18next';
import type { Lang } from '../../../../shared/contract';
import type { EditionRef, EditionSummary, NamePair, NameSource, NameSources, SearchElsewhereItem, SearchWordInfo } from '../../../../shared/contract/catalogue';

/** ISO date -> dd.mm.yyyy, as dates are written in both languages. */
export const showDate = (iso: string): string => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
};

/** Today on this machine, YYYY-MM-DD. */
export function today(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export const otherLang = (l: Lang): Lang => (l === 'kk' ? 'ru' : 'kk');

export function useUiLang(): Lang {
  const { i18n } = useTranslation();
  return i18n.language === 'ru' ? 'ru' : 'kk';
}

/** "Order No. 90 of 01.11.2024" in the UI language. */
export function useEditionLabel() {
  const { t } = useTranslation('catalogue');
  return (e: EditionRef | EditionSummary) => t('edition.order', { order: e.order, date: showDate(e.orderDate) });
}

/**
 * A name in the UI language; when that language has no text, the other language's text with a
 * visible mark (never a made-up translation). A local translation is marked as such.
 */
export function Name({ name, sources, testId }: { name: NamePair; sources?: NameSources; testId?: string }) {
  const { t } = useTranslation('catalogue');
  const lang = useUiLang();
  const other = otherLang(lang);
  const mine = name[lang];
  const localMark = (l: Lang) =>
    sources?.[l]?.kind === 'local' ? (
      <span className="mark local-mark" data-testid="local-mark">
        {t('translation.mark')}
      </span>
    ) : null;
  if (mine) {
    return (
      <span lang={lang} data-testid={testId}>
        {mine}
        {localMark(lang)}
      </span>
    );
  }
  const theirs = name[other];
  if (!theirs) {
    return (
      <span className="muted" data-testid={testId}>
        {t('missing.both')}
      </span>
    );
  }
  return (
    <span data-testid={testId}>
      <span className="mark missing-mark" data-testid="missing-mark" title={t('code.missingNote')}>
        {t(`missing.${lang}`)} · {t(`lang.${other}`)}
      </span>{' '}
      <span lang={other}>{theirs}</span>
      {localMark(other)}
    </span>
  );
}

/** Where a name came from, in words. */
export function SourceText({ source, editions }: { source: NameSource | null; editions: EditionSummary[] | undefined }) {
  const { t } = useTranslation('catalogue');
  const editionLabel = useEditionLabel();
  if (!source) return <span className="muted">—</span>;
  if (source.kind === 'edition') {
    // The edition by its order and date, as the secretary knows it; its id stays internal.
    const e = editions?.find((x) => x.id === source.id);
    return <span data-edition={source.id}>{e ? t('source.edition', { label: editionLabel(e) }) : t('source.editionShort')}</span>;
  }
  if (source.kind === 'characteristics') return <span>{t('source.characteristics')}</span>;
  return <span className="mark local-mark">{t('source.local')}</span>;
}

/** «a», «b» — query words quoted as typed. */
export const quoteWords = (words: readonly string[]): string => words.map((w) => `«${w}»`).join(', ');

/**
 * What became of the query's words: those found in no name at all, those found only in codes
 * outside the edition searched, and abbreviations with what they stand for.
 */
export function SearchWordsNote({ words, testId }: { words: SearchWordInfo[]; testId?: string }) {
  const { t } = useTranslation('catalogue');
  const lang = useUiLang();
  const lost = words.filter((w) => !w.optional && !w.found && !w.foundElsewhere).map((w) => w.word);
  const away = words.filter((w) => !w.optional && !w.found && w.foundElsewhere).map((w) => w.word);
  const abbr = words.filter((w) => w.abbreviation);
  if (lost.length === 0 && away.length === 0 && abbr.length === 0) return null;
  return (
    <div className="search-words" data-testid={testId}>
      {lost.length > 0 && (
        <p className="words-lost" data-testid="words-not-found">
          {t('words.notFound', { words: quoteWords(lost), count: lost.length })}
        </p>
      )}
      {away.length > 0 && (
        <p className="words-away" data-testid="words-elsewhere">
          {t('words.onlyElsewhere', { words: quoteWords(away), count: away.length })}
        </p>
      )}
      {abbr.map((w) => (
        <p key={w.word} className="muted words-abbr" data-testid="words-abbreviation">
          {t('words.abbreviation', { word: w.word, text: w.abbreviation![lang] })}
        </p>
      ))}
    </div>
  );
}

/** Where a code that is not in the edition searched stands: no longer on the list since …, on it
 *  from …, in another section; and every edition that listed it with its days in force. */
export function ElsewhereNote({ item }: { item: SearchElsewhereItem }) {
  const { t } = useTranslation('catalogue');
  const status =
    item.status === 'removed'
      ? item.since
        ? t('elsewhere.removed', { date: showDate(item.since) })
        : t('elsewhere.removedNoDate')
      : item.status === 'later'
        ? t('elsewhere.later', { date: showDate(item.since ?? '') })
        : item.status === 'otherSection'
          ? t('elsewhere.otherSection', { sections: item.sections.join(', '), count: item.sections.length })
          : t('elsewhere.never');
  return (
    <span className="elsewhere-note" data-testid="elsewhere-note">
      <strong className="elsewhere-status">{status}</strong>
      {item.listed.map((p) => (
        <span key={p.edition.id} className="elsewhere-period">
          {' · '}
          {t(p.to ? 'elsewhere.period' : 'elsewhere.periodOpen', {
            order: p.edition.order,
            orderDate: showDate(p.edition.orderDate),
            from: showDate(p.from),
            to: p.to ? showDate(p.to) : '',
          })}
        </span>
      ))}
    </span>
  );
}
