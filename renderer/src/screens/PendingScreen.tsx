import { useTranslation } from 'react-i18next';

/** Shown for an area whose screens are not built yet: says so plainly. */
export function PendingScreen({ route }: { route: string[] }) {
  const { t } = useTranslation('common');
  const area = route[0] ?? 'today';
  return (
    <section className="screen" aria-labelledby="pending-title">
      <h1 id="pending-title">{t(`nav.${area}`)}</h1>
      <p className="muted">{t('pending.text')}</p>
    </section>
  );
}
