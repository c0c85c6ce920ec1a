import { useEffect, useId, useRef, useState, type InputHTMLAttributes, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateInput, maskDateTyping, parseDateInput, parseTimeInput } from '../../../shared/domain/date-input';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'value' | 'onChange' | 'min' | 'max' | 'defaultValue'>;

export interface DateFieldProps extends InputProps {
  /** The date as the code keeps it: 'YYYY-MM-DD', or '' for none. */
  value: string;
  /** Called with the ISO date ('' while the text is empty or not a whole date yet). */
  onChange: (e: { target: { value: string } }) => void;
  min?: string | undefined;
  max?: string | undefined;
  'data-testid'?: string;
}

const iso = (y: number, m: number, d: number): string => `${y}-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const addDays = (date: string, n: number): string => {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + n * 86_400_000;
  const d = new Date(t);
  return iso(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
};
const addMonths = (date: string, n: number): string => {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + n;
  const ny = y + Math.floor(m / 12);
  const nm = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return iso(ny, nm, Math.min(Number(date.slice(8, 10)), last));
};
const todayIso = (): string => new Date(Date.now() + 5 * 3_600_000).toISOString().slice(0, 10);

/**
 * The one date field of the app: shows and accepts DD.MM.YYYY whatever the browser's locale
 * (the native date input shows mm/dd/yyyy in an English Chromium), takes eight digits, other
 * separators and a pasted ISO date, and gives the code ISO. A whole wrong date is named once
 * the field is left; a small calendar (keyboard: arrows, Page Up/Down, Enter, Escape) picks a day.
 * Drop-in for the native date input: same value/onChange shape, every other attribute (id,
 * aria-*, data-testid) goes to the text input, so labels and tests keep working.
 */
export function DateField({ value, onChange, min, max, onBlur, className, disabled, readOnly, ...rest }: DateFieldProps) {
  const { t, i18n } = useTranslation('setup');
  const [text, setText] = useState(() => formatDateInput(value));
  const [bad, setBad] = useState(false);
  const [open, setOpen] = useState(false);
  const emitted = useRef(value);
  const errorId = useId();
  const popupId = useId();
  const toggleRef = useRef<HTMLButtonElement>(null);

  // A value set from outside (a reset, a date filled from the IIN) replaces the text.
  useEffect(() => {
    if (value !== emitted.current) {
      emitted.current = value;
      setText(formatDateInput(value));
      setBad(false);
    }
  }, [value]);

  const emit = (v: string) => {
    if (v === emitted.current) return;
    emitted.current = v;
    onChange({ target: { value: v } });
  };
  const type = (raw: string) => {
    const grew = raw.length > text.length;
    const shown = grew ? maskDateTyping(raw) : raw;
    setText(shown);
    const parsed = parseDateInput(shown);
    if (parsed !== null) setBad(false);
    emit(parsed ?? '');
  };
  const pick = (date: string) => {
    setText(formatDateInput(date));
    setBad(false);
    emit(date);
    setOpen(false);
    toggleRef.current?.focus();
  };
  const describedBy = [rest['aria-describedby'], bad ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <span className={`date-field${className ? ` ${className}` : ''}`}>
      <input
        {...rest}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        placeholder={t('dateField.placeholder')}
        value={text}
        disabled={disabled}
        readOnly={readOnly}
        maxLength={10}
        aria-invalid={bad || rest['aria-invalid'] === true || rest['aria-invalid'] === 'true' ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => type(e.target.value)}
        onBlur={(e) => {
          const parsed = parseDateInput(text);
          setBad(parsed === null);
          if (parsed) setText(formatDateInput(parsed));
          onBlur?.(e);
        }}
      />
      {!disabled && !readOnly && (
        <button
          ref={toggleRef}
          type="button"
          className="date-toggle"
          aria-label={t('dateField.calendar')}
          aria-expanded={open}
          aria-controls={open ? popupId : undefined}
          onClick={() => setOpen(!open)}
          data-testid={rest['data-testid'] ? `${rest['data-testid']}-calendar` : undefined}
        >
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
            <path fill="currentColor" d="M4 0h2v2h4V0h2v2h3v14H1V2h3zm-1 6v8h10V6z" />
          </svg>
        </button>
      )}
      {open && (
        <CalendarPopup
          id={popupId}
          lang={i18n.language === 'ru' ? 'ru' : 'kk'}
          selected={parseDateInput(text) || null}
          min={min}
          max={max}
          onPick={pick}
          onClose={() => {
            setOpen(false);
            toggleRef.current?.focus();
          }}
        />
      )}
      {bad && (
        <span id={errorId} className="field-error small" role="alert">
          {t('dateField.invalid')}
        </span>
      )}
    </span>
  );
}

function CalendarPopup({ id, lang, selected, min, max, onPick, onClose }: { id: string; lang: 'kk' | 'ru'; selected: string | null; min?: string | undefined; max?: string | undefined; onPick: (d: string) => void; onClose: () => void }) {
  const { t } = useTranslation('setup');
  const [focus, setFocus] = useState(selected ?? (max && max < todayIso() ? max : todayIso()));
  const grid = useRef<HTMLTableElement>(null);
  useEffect(() => {
    grid.current?.querySelector<HTMLButtonElement>(`button[data-date="${focus}"]`)?.focus();
  }, [focus]);
  const locale = lang === 'kk' ? 'kk-KZ' : 'ru-RU';
  const y = Number(focus.slice(0, 4));
  const m = Number(focus.slice(5, 7)) - 1;
  const title = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m, 1)));
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' });
  // Weeks start on Monday (2024-01-01 was a Monday).
  const heads = Array.from({ length: 7 }, (_, i) => weekday.format(new Date(Date.UTC(2024, 0, 1 + i))));
  const first = (new Date(Date.UTC(y, m, 1)).getUTCDay() + 6) % 7;
  const days = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const cells: (string | null)[] = [...Array.from({ length: first }, () => null), ...Array.from({ length: days }, (_, i) => iso(y, m, i + 1))];
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
  const allowed = (d: string) => (!min || d >= min) && (!max || d <= max);
  const onKey = (e: KeyboardEvent) => {
    const moves: Record<string, () => string> = {
      ArrowLeft: () => addDays(focus, -1),
      ArrowRight: () => addDays(focus, 1),
      ArrowUp: () => addDays(focus, -7),
      ArrowDown: () => addDays(focus, 7),
      PageUp: () => addMonths(focus, -1),
      PageDown: () => addMonths(focus, 1),
    };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      setFocus(move());
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
    }
  };
  return (
    <div id={id} className="date-popup" role="dialog" aria-label={t('dateField.calendar')} onKeyDown={onKey}>
      <div className="date-popup-head">
        <button type="button" aria-label={t('dateField.prevMonth')} onClick={() => setFocus(addMonths(focus, -1))}>
          ‹
        </button>
        <span aria-live="polite">{title}</span>
        <button type="button" aria-label={t('dateField.nextMonth')} onClick={() => setFocus(addMonths(focus, 1))}>
          ›
        </button>
      </div>
      <table ref={grid} role="grid">
        <thead>
          <tr>
            {heads.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((w, i) => (
            <tr key={i}>
              {w.map((d, j) =>
                d === null ? (
                  <td key={j} />
                ) : (
                  <td key={d} aria-selected={d === selected ? true : undefined}>
                    <button
                      type="button"
                      data-date={d}
                      tabIndex={d === focus ? 0 : -1}
                      disabled={!allowed(d)}
                      aria-label={formatDateInput(d)}
                      className={d === selected ? 'selected' : undefined}
                      onClick={() => onPick(d)}
                    >
                      {Number(d.slice(8, 10))}
                    </button>
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="link small" onClick={onClose}>
        {t('dateField.close')}
      </button>
    </div>
  );
}

/**
 * A time of day as HH:MM in 24 hours whatever the browser's locale (the native time input shows
 * "10:00 AM" in an English Chromium); '9:05', '0905' and '9.05' are taken. Gives 'HH:MM', or ''
 * while the text is not a whole time; a wrong time is named once the field is left.
 */
export function TimeField({ value, onChange, onBlur, ...rest }: Omit<DateFieldProps, 'min' | 'max'>) {
  const { t } = useTranslation('setup');
  const [text, setText] = useState(value);
  const [bad, setBad] = useState(false);
  const emitted = useRef(value);
  const errorId = useId();
  useEffect(() => {
    if (value !== emitted.current) {
      emitted.current = value;
      setText(value);
      setBad(false);
    }
  }, [value]);
  const describedBy = [rest['aria-describedby'], bad ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <span className="date-field time-field">
      <input
        {...rest}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        placeholder={t('dateField.timePlaceholder')}
        maxLength={5}
        value={text}
        aria-invalid={bad || rest['aria-invalid'] === true || rest['aria-invalid'] === 'true' ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => {
          setText(e.target.value);
          const parsed = parseTimeInput(e.target.value);
          if (parsed !== null) setBad(false);
          const v = parsed ?? '';
          if (v !== emitted.current) {
            emitted.current = v;
            onChange({ target: { value: v } });
          }
        }}
        onBlur={(e) => {
          const parsed = parseTimeInput(text);
          setBad(parsed === null);
          if (parsed) setText(parsed);
          onBlur?.(e);
        }}
      />
      {bad && (
        <span id={errorId} className="field-error small" role="alert">
          {t('dateField.invalidTime')}
        </span>
      )}
    </span>
  );
}
