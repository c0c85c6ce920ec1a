import type { ReactNode } from 'react';
import type { Finding } from '../../../shared/domain/packet';
import { FindingList } from './FindingList';

export interface FieldControlProps {
  id: string;
  'aria-invalid': boolean | undefined;
  'aria-describedby': string | undefined;
}

/**
 * A labelled form control with its findings right under it. The label is bound to the control
 * (htmlFor/id) and the findings and hint are announced with it (aria-describedby).
 */
export function Field({
  id,
  label,
  findings = [],
  hint,
  className,
  children,
}: {
  id: string;
  label: ReactNode;
  findings?: Finding[];
  hint?: ReactNode;
  className?: string;
  children: (p: FieldControlProps) => ReactNode;
}) {
  const hasError = findings.some((f) => f.severity === 'error');
  const described = [findings.length > 0 ? `${id}-findings` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${className ? ` ${className}` : ''}`} data-testid={`field-${id}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': hasError || undefined, 'aria-describedby': described })}
      {hint && (
        <div className="hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      <FindingList findings={findings} id={`${id}-findings`} testId={`findings-${id}`} />
    </div>
  );
}
