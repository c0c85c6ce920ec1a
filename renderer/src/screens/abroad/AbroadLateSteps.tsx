import { useTranslation } from 'react-i18next';
import { useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { href } from '../../router';
import { StepDue } from './RequestList';
import { fmtDate, pick } from './format';

/** The Today screen's section: treatment-abroad requests whose current step is past its due date. */
export function AbroadLateSteps() {
  const { t, i18n } = useTranslation('abroad');
  const q = useQuery('abroad.list', { late: true });
  const items = q.data?.items ?? [];
  return (
    <section className="today-block is-overdue abroad-today" aria-labelledby="today-abroad" data-testid="today-abroad">
      <h2 id="today-abroad">
        {t('ui.today.title')} <span className="count">{items.length}</span>
      </h2>
      <ErrorText error={q.error} />
      {q.data && items.length === 0 && <p className="muted">{t('ui.today.empty')}</p>}
      {items.length > 0 && (
        <ul>
          {items.map((i) => (
            <li key={i.id} data-testid="today-abroad-item">
              <a className="row-link" href={href('abroad', 'r', i.id)}>
                {t('ui.today.item', { number: i.number, patient: i.patientName, n: i.currentStep ?? 0, holder: pick(i.holder, i18n.language), due: fmtDate(i.due) })}
              </a>{' '}
              <StepDue item={i} showDate={false} />
            </li>
          ))}
        </ul>
      )}
      <a href={href('abroad')}>{t('ui.today.all')}</a>
    </section>
  );
}
