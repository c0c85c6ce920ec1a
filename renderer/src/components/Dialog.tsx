import { useEffect, useRef, type ReactNode, type RefObject } from 'react';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog that keeps keyboard focus inside until it is closed: Tab and Shift+Tab cycle
 * through its controls, Escape cancels, and focus returns to where it was when it opened. The
 * element marked `data-autofocus` (else the first control) gets focus first. `returnTo` names where
 * focus goes back when the opener was disabled meanwhile (a button busy during the operation).
 */
export function Dialog({ labelledBy, onCancel, testId, returnTo, children }: { labelledBy: string; onCancel: () => void; testId?: string; returnTo?: RefObject<HTMLElement | null>; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const cancel = useRef(onCancel);
  cancel.current = onCancel;
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const el = box.current!;
    (el.querySelector<HTMLElement>('[data-autofocus]') ?? el.querySelector<HTMLElement>(FOCUSABLE) ?? el).focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        cancel.current();
        return;
      }
      if (e.key !== 'Tab') return;
      const items = [...el.querySelectorAll<HTMLElement>(FOCUSABLE)];
      if (items.length === 0) return e.preventDefault();
      const first = items[0]!;
      const last = items[items.length - 1]!;
      const inside = el.contains(document.activeElement);
      if (e.shiftKey && (document.activeElement === first || !inside)) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (document.activeElement === last || !inside)) {
        e.preventDefault();
        first.focus();
      }
    };
    // Focus that escapes (a click on the backdrop, a screen reader) is brought back.
    const onFocus = (e: FocusEvent) => {
      if (!el.contains(e.target as Node)) (el.querySelector<HTMLElement>(FOCUSABLE) ?? el).focus();
    };
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('focusin', onFocus);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('focusin', onFocus);
      const back = returnTo?.current ?? (before && before !== document.body ? before : null);
      // after the closing render, so a button re-enabled by it can take focus
      if (back) setTimeout(() => back.focus(), 0);
    };
  }, []);
  return (
    <div className="dialog-backdrop">
      <div ref={box} role="dialog" aria-modal="true" aria-labelledby={labelledBy} data-testid={testId} className="dialog" tabIndex={-1}>
        {children}
      </div>
    </div>
  );
}
