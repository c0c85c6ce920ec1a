import { InpatientJournal } from '../aftercare/InpatientJournal';
import { CaseEditor } from './CaseEditor';
import { CaseList } from './CaseList';
import { RefusalJournal } from './RefusalJournal';

/** Routes of the cases area: `#/cases`, `#/cases/journal`, `#/cases/inpatient-journal`, `#/cases/<id>`. */
export function CasesScreen({ route }: { route: string[] }) {
  const sub = route[1];
  if (!sub) return <CaseList />;
  if (sub === 'journal') return <RefusalJournal />;
  if (sub === 'inpatient-journal') return <InpatientJournal />;
  return <CaseEditor key={sub} id={sub} />;
}
