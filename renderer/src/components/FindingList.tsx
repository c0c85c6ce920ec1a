import { useTranslation } from 'react-i18next';
import type { Finding } from '../../../shared/domain/packet';
import { findingText } from '../screens/cases/format';

/**
 * Packet findings shown next to the field they concern, translated, errors before warnings.
 * `id` lets the field point at them with aria-describedby. `calm` shows errors as a neutral to-do
 * list (a new case: nothing was done wrong yet, the list says what is still to enter).
 */
export function FindingList({ findings, id, testId, calm = false }: { findings: Finding[]; id?: string; testId?: string; calm?: boolean }) {
  const { t } = useTranslation('cases');
  if (findings.length === 0) return null;
  const sorted = [...findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return (
    <ul className={calm ? 'findings calm' : 'findings'} id={id} data-testid={testId}>
      {sorted.map((f, i) => (
        <li key={`${f.code}-${f.field}-${i}`} className={f.severity === 'error' ? 'error' : 'warning'} data-code={f.code} data-field={f.field}>
          <span className="sr-only">{t(`severity.${f.severity}`, { ns: 'rules' })}: </span>
          {findingText(t, f)}
        </li>
      ))}
    </ul>
  );
}
