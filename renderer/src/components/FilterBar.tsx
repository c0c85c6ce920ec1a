import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField } from './DateField';

/**
 * The one filter bar of the lists (audit trail, requests abroad, protocols register,
 * applications): a labelled search form of filter fields, an optional "Show" button when the
 * filters apply on demand, a "Reset" button, and extra actions (exports) at its end.
 * Keyboard: Enter in a field applies (when `onApply`), Escape anywhere in the bar resets (when
 * something is set); after a reset the focus goes to the bar's first field, not to a button that
 * has just become disabled.
 */
export function FilterBar({
  label,
  onApply,
  applyLabel,
  onReset,
  dirty,
  actions,
  testId,
  children,
}: {
  /** What the bar filters, for screen readers (the form's accessible name). */
  label: string;
  /** Filters applied on demand: a submit button and Enter call this. Without it, fields apply as they change. */
  onApply?: () => void;
  applyLabel?: string;
  /** Back to no filter; the button is shown when given. */
  onReset?: () => void;
  /** Whether any filter is set (the reset button is disabled otherwise). */
  dirty?: boolean;
  /** Buttons after the filter's own (exports, checks). */
  actions?: ReactNode;
  /** The form's test id; its buttons get `<testId>-apply` and `<testId>-reset`. */
  testId?: string;
  children: ReactNode;
}) {
  const { t } = useTranslation('common');
  const form = useRef<HTMLFormElement>(null);
  const canReset = onReset !== undefined && dirty !== false;
  const reset = () => {
    if (!onReset) return;
    onReset();
    form.current?.querySelector<HTMLElement>('input, select')?.focus();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    // A date field's open calendar takes its own Escape first (it stops the event).
    if (e.key === 'Escape' && canReset && !e.defaultPrevented) {
      e.preventDefault();
      reset();
    }
  };
  return (
    <form
      ref={form}
      className="toolbar filters filter-bar"
      role="search"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        onApply?.();
      }}
      onKeyDown={onKeyDown}
      data-testid={testId}
    >
      {children}
      {(onApply || onReset || actions) && (
        <div className="filter-actions">
          {onApply && (
            <button type="submit" className="primary" data-testid={testId && `${testId}-apply`}>
              {applyLabel ?? t('filter.apply')}
            </button>
          )}
          {onReset && (
            <button type="button" onClick={reset} disabled={!canReset} title={t('filter.resetHint')} data-testid={testId && `${testId}-reset`}>
              {t('filter.reset')}
            </button>
          )}
          {actions}
        </div>
      )}
    </form>
  );
}

/** One labelled filter of a FilterBar. */
export function FilterField({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label>
      {label}
      {children}
    </label>
  );
}

/**
 * A period filter: "from" and "to" date fields (DD.MM.YYYY, with the calendar). Empty means open
 * on that side. `bounded`: each field's calendar offers only days on its side of the other.
 */
export function PeriodFilter({
  from,
  to,
  onChange,
  fromLabel,
  toLabel,
  testIds = ['f-from', 'f-to'],
  bounded = false,
}: {
  from: string;
  to: string;
  onChange: (period: { from: string; to: string }) => void;
  fromLabel?: string;
  toLabel?: string;
  testIds?: [string, string];
  bounded?: boolean;
}) {
  const { t } = useTranslation('common');
  return (
    <>
      <FilterField label={fromLabel ?? t('filter.from')}>
        <DateField value={from} max={(bounded && to) || undefined} onChange={(e) => onChange({ from: e.target.value, to })} data-testid={testIds[0]} />
      </FilterField>
      <FilterField label={toLabel ?? t('filter.to')}>
        <DateField value={to} min={(bounded && from) || undefined} onChange={(e) => onChange({ from, to: e.target.value })} data-testid={testIds[1]} />
      </FilterField>
    </>
  );
}
