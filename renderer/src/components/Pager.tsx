import { useTranslation } from 'react-i18next';

/**
 * "51–100 of 10 000" with previous/next buttons. Pages are read by key (a cursor per page), so the
 * pager moves one page at a time; `from` is the position of the first row shown. `atLeast`: the
 * total is a lower bound ("51–100 of more than 10 000", a search by one or two letters).
 */
export function Pager({ from, count, total, atLeast = false, hasPrev, hasNext, onPrev, onNext }: { from: number; count: number; total: number; atLeast?: boolean; hasPrev: boolean; hasNext: boolean; onPrev(): void; onNext(): void }) {
  const { t, i18n } = useTranslation('cases');
  const nf = new Intl.NumberFormat(i18n.language === 'kk' ? 'kk-KZ' : 'ru-RU');
  const first = count === 0 ? 0 : from;
  const last = count === 0 ? 0 : from + count - 1;
  return (
    <nav className="pager" aria-label={t('ui.pager.label')}>
      <button type="button" onClick={onPrev} disabled={!hasPrev} data-testid="page-prev">
        {t('ui.pager.prev')}
      </button>
      <span data-testid="page-range">{t(atLeast ? 'ui.pager.rangeAtLeast' : 'ui.pager.range', { from: nf.format(first), to: nf.format(last), total: nf.format(Math.max(total, last)) })}</span>
      <button type="button" onClick={onNext} disabled={!hasNext} data-testid="page-next">
        {t('ui.pager.next')}
      </button>
    </nav>
  );
}
