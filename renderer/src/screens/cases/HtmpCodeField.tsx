import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CodeShow, SearchResultItem } from '../../../../shared/contract/catalogue';
import type { Finding } from '../../../../shared/domain/packet';
import { useApi } from '../../api/context';
import { Field } from '../../components/Field';

const looksLikeCode = (s: string) => /^\d{2}\.\d{1,3}$/.test(s.trim());

/**
 * The HTMP code with the catalogue behind it: the name of the code in the edition in force on the
 * received date, and a keyboard-driven lookup by words or code prefix (↓/↑, Enter, Esc).
 */
export function HtmpCodeField({
  value,
  onDate,
  findings,
  onChange,
  section = null,
}: {
  value: string;
  onDate: string;
  findings: Finding[];
  onChange(code: string, now?: boolean): void;
  /** The section the case's urgency selects: its wording of the name is shown (a code may be worded differently per section). */
  section?: 1 | 2 | 3 | null;
}) {
  const { t, i18n } = useTranslation('cases');
  const api = useApi();
  const lang = i18n.language === 'ru' ? 'ru' : 'kk';
  const other = lang === 'ru' ? 'kk' : 'ru';
  const [shown, setShown] = useState<CodeShow | null>(null);
  const [hits, setHits] = useState<SearchResultItem[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const typed = useRef(false);
  const on = /^\d{4}-\d{2}-\d{2}$/.test(onDate) ? onDate : undefined;

  // The name of the code as entered.
  useEffect(() => {
    const code = value.trim();
    if (!looksLikeCode(code)) return setShown(null);
    let live = true;
    const h = setTimeout(() => {
      void api.call('catalogue.show', { code, ...(on ? { on } : {}) }).then((r) => live && setShown(r.ok ? r.value : null));
    }, 250);
    return () => {
      live = false;
      clearTimeout(h);
    };
  }, [api, value, on]);

  // Suggestions while typing words or the start of a code.
  useEffect(() => {
    const q = value.trim();
    if (!typed.current || q.length < 2 || looksLikeCode(q)) {
      setHits([]);
      return;
    }
    let live = true;
    const h = setTimeout(() => {
      void api.call('catalogue.search', { query: q, ...(on ? { on } : {}), limit: 8 }).then((r) => {
        if (!live) return;
        setHits(r.ok ? r.value.results : []);
        setActive(0);
        setOpen(true);
      });
    }, 250);
    return () => {
      live = false;
      clearTimeout(h);
    };
  }, [api, value, on]);

  const pick = (h: SearchResultItem) => {
    typed.current = false;
    setOpen(false);
    setHits([]);
    onChange(h.code, true);
  };
  const nameOf = (n: { kk: string | null; ru: string | null }) => n[lang] ?? n[other] ?? '';
  const listOpen = open && hits.length > 0;
  const inSection = shown && section !== null ? shown.sections.find((s) => s.section === section) : undefined;
  const names = inSection ? inSection.name : shown?.names;
  const name = names ? nameOf(names) : '';

  return (
    <Field
      id="htmpCode"
      label={t('ui.case.htmpCode')}
      findings={findings}
      className="code-field"
      hint={
        shown && name ? (
          <span data-testid="code-name">
            <strong>{name}</strong>
            {names?.[lang] === null && <span className="mark">{t('ui.case.nameOtherLang')}</span>}
            {shown.sections.length > 0 && <> — {t('ui.case.codeSections', { sections: shown.sections.map((s) => s.section).join(', ') })}</>}
          </span>
        ) : undefined
      }
    >
      {(p) => (
        <div className="combo">
          <input
            {...p}
            value={value}
            role="combobox"
            aria-expanded={listOpen}
            aria-controls="htmpCode-list"
            aria-autocomplete="list"
            aria-activedescendant={listOpen ? `htmpCode-opt-${active}` : undefined}
            autoComplete="off"
            placeholder={t('ui.case.codePlaceholder')}
            onChange={(e) => {
              typed.current = true;
              onChange(e.target.value);
            }}
            onKeyDown={(e) => {
              if (!listOpen) return;
              if (e.key === 'ArrowDown') {
                e.preventDefault();
                setActive((a) => Math.min(hits.length - 1, a + 1));
              } else if (e.key === 'ArrowUp') {
                e.preventDefault();
                setActive((a) => Math.max(0, a - 1));
              } else if (e.key === 'Enter') {
                e.preventDefault();
                const h = hits[active];
                if (h) pick(h);
              } else if (e.key === 'Escape') {
                setOpen(false);
              }
            }}
            onBlur={() => setTimeout(() => setOpen(false), 150)}
            className="mono-input"
            data-testid="case-htmpCode"
          />
          {listOpen && (
            <ul className="combo-list" id="htmpCode-list" role="listbox" aria-label={t('ui.case.codeSuggestions')} data-testid="code-suggestions">
              {hits.map((h, i) => (
                <li
                  key={h.code}
                  id={`htmpCode-opt-${i}`}
                  role="option"
                  aria-selected={i === active}
                  className={i === active ? 'active' : undefined}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    pick(h);
                  }}
                >
                  <span className="mono">{h.code}</span> {nameOf(h.name)}
                  <span className="muted small"> ({t('ui.case.sectionsShort', { sections: h.sections.map((s) => s.section).join(', ') })})</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Field>
  );
}
