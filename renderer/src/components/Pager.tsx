import { useTranslation } from 'react-i18next';

/** "21–40 of 10 000" with previous/next buttons. */
export function Pager({ offset, limit, total, onChange }: { offset: number; limit: number; total: number; onChange(offset: number): void }) {
  const { t, i18n } = useTranslation('cases');
  const nf = new Intl.NumberFormat(i18n.language === 'kk' ? 'kk-KZ' : 'ru-RU');
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label={t('ui.pager.label')}>
      <button type="button" onClick={() => onChange(Math.max(0, offset - limit))} disabled={offset === 0} data-testid="page-prev">
        {t('ui.pager.prev')}
      </button>
      <span data-testid="page-range">{t('ui.pager.range', { from: nf.format(from), to: nf.format(to), total: nf.format(total) })}</span>
      <button type="button" onClick={() => onChange(offset + limit)} disabled={to >= total} data-testid="page-next">
        {t('ui.pager.next')}
      </button>
    </nav>
  );
}
