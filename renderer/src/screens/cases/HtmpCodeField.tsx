import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CodeShow, SearchResult, SearchResultItem } from '../../../../shared/contract/catalogue';
import type { Finding } from '../../../../shared/domain/packet';
import { useApi } from '../../api/context';
import { Field } from '../../components/Field';
import { ElsewhereNote, quoteWords, SearchWordsNote, showDate } from '../catalogue/util';

/** A code as the list prints it: `35.21`, `03.7992`, `54.970.059`. */
const looksLikeCode = (s: string) => /^\d{2}\.\d{1,4}(\.\d{3})?$/.test(s.trim());
/** A code typed without dots or with a comma or spaces (`3751`, `37,51`, `81 53`): the search reads it. */
const looksLikeLooseCode = (s: string) => /^[\d\s.,-]+$/.test(s.trim()) && /\d/.test(s) && !looksLikeCode(s);

/**
 * The HTMP code with the catalogue behind it: the name of the code in the edition in force on the
 * received date, and the catalogue's own search (words in either language, word forms, typos,
 * codes typed without dots) as a combobox: ↓/↑ move, Enter or a click takes a code, Esc closes.
 * Words are a search, never judged as a code: the suggestions say which codes have all the words,
 * which only some, which word matched nothing, and which codes are no longer (or not yet) on the
 * list on that date. A code typed without dots becomes the code when the field is left.
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
  const { t: tc } = useTranslation('catalogue');
  const api = useApi();
  const lang = i18n.language === 'ru' ? 'ru' : 'kk';
  const other = lang === 'ru' ? 'kk' : 'ru';
  const [shown, setShown] = useState<CodeShow | null>(null);
  const [answer, setAnswer] = useState<SearchResult | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const typed = useRef(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const latest = useRef(value);
  latest.current = value;
  const on = /^\d{4}-\d{2}-\d{2}$/.test(onDate) ? onDate : undefined;
  const hits = answer?.results ?? [];

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

  // Suggestions while typing words, a code prefix or a code without dots.
  useEffect(() => {
    const q = value.trim();
    if (!typed.current || (q.length < 2 && !/^\d$/.test(q)) || looksLikeCode(q)) {
      setAnswer(null);
      return;
    }
    let live = true;
    const h = setTimeout(() => {
      void api.call('catalogue.search', { query: q, ...(on ? { on } : {}), limit: 8 }).then((r) => {
        if (!live) return;
        setAnswer(r.ok ? r.value : null);
        setActive(0);
        // An answer that arrives after the field was left waits for the next focus.
        setOpen(inputRef.current !== null && inputRef.current === document.activeElement);
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
    setAnswer(null);
    onChange(h.code, true);
  };

  // Leaving the field with a code typed without dots (`3751`): take the code it stands for.
  const settleLooseCode = () => {
    const q = value.trim();
    if (!looksLikeLooseCode(q)) return;
    void api.call('catalogue.search', { query: q, ...(on ? { on } : {}), limit: 1 }).then((r) => {
      const top = r.ok ? r.value.results[0] : undefined;
      if (top && top.match === 'code' && latest.current.trim() === q) {
        typed.current = false;
        setAnswer(null);
        onChange(top.code, true);
      }
    });
  };

  const nameOf = (n: { kk: string | null; ru: string | null }) => n[lang] ?? n[other] ?? '';
  const listOpen = open && hits.length > 0;
  const popupOpen = open && answer !== null && (hits.length > 0 || answer.elsewhere.length > 0 || answer.words.length > 0);
  const inSection = shown && section !== null ? shown.sections.find((s) => s.section === section) : undefined;
  const names = inSection ? inSection.name : shown?.names;
  const name = names ? nameOf(names) : '';
  const firstPartial = hits.findIndex((h) => h.partial);

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
            ref={inputRef}
            value={value}
            role="combobox"
            aria-expanded={popupOpen}
            aria-controls="htmpCode-list"
            aria-autocomplete="list"
            aria-activedescendant={listOpen ? `htmpCode-opt-${active}` : undefined}
            autoComplete="off"
            spellCheck={false}
            placeholder={t('ui.case.codePlaceholder')}
            onChange={(e) => {
              typed.current = true;
              onChange(e.target.value);
            }}
            onFocus={() => {
              if (answer) setOpen(true);
            }}
            onKeyDown={(e) => {
              if (!listOpen) {
                if (e.key === 'ArrowDown' && answer && hits.length > 0) {
                  e.preventDefault();
                  setOpen(true);
                }
                if (e.key === 'Escape' && popupOpen) setOpen(false);
                return;
              }
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
            onBlur={() => {
              setTimeout(() => setOpen(false), 150);
              settleLooseCode();
            }}
            className="mono-input"
            data-testid="case-htmpCode"
          />
          <span className="sr-only" aria-live="polite" data-testid="code-search-status">
            {popupOpen && answer ? tc('results.count', { count: answer.counts.full + answer.counts.partial }) : ''}
          </span>
          {/* The listbox stays in the page (empty when closed) so that aria-controls always points at
              it. Codes not on the list on the date are in it as options that cannot be chosen. */}
          <div className="combo-popup" data-testid="code-popup" hidden={!popupOpen}>
            {answer && <SearchWordsNote words={answer.words} testId="code-words" />}
            <div className="combo-list" id="htmpCode-list" role="listbox" aria-label={t('ui.case.codeSuggestions')} data-testid="code-suggestions">
              {popupOpen && hits.length > 0 && (
                <ul role="group" aria-label={t('ui.case.codeSuggestions')}>
                  {hits.map((h, i) => (
                    <li
                      key={h.code}
                      id={`htmpCode-opt-${i}`}
                      role="option"
                      aria-selected={i === active}
                      className={[i === active ? 'active' : '', h.partial ? 'partial' : '', i === firstPartial && i > 0 ? 'first-partial' : ''].filter(Boolean).join(' ') || undefined}
                      data-code={h.code}
                      data-partial={String(h.partial)}
                      onMouseDown={(e) => {
                        e.preventDefault();
                        pick(h);
                      }}
                    >
                      <span className="mono">{h.code}</span> {nameOf(h.name)}
                      <span className="muted small"> ({t('ui.case.sectionsShort', { sections: h.sections.map((s) => s.section).join(', ') })})</span>
                      {h.partial && (
                        <span className="combo-mark partial-mark" data-testid="suggestion-partial">
                          {' '}
                          {tc('results.partialBadge')}: {tc('results.missing', { words: quoteWords(h.missing), count: h.missing.length })}
                        </span>
                      )}
                      {h.typos.map((y) => (
                        <span key={y.word} className="combo-mark typo-mark" data-testid="suggestion-typo">
                          {' '}
                          {tc('match.typoAs', { word: y.word, as: y.as })}
                        </span>
                      ))}
                    </li>
                  ))}
                </ul>
              )}
              {popupOpen && answer && answer.elsewhere.length > 0 && (
                <ul role="group" aria-labelledby="htmpCode-elsewhere-head" className="combo-elsewhere" data-testid="code-elsewhere">
                  <li role="presentation" id="htmpCode-elsewhere-head" className="combo-elsewhere-title">
                    {tc('elsewhere.titleOnDate', { date: showDate(answer.on) })}
                  </li>
                  {answer.elsewhere.map((x) => (
                    <li key={x.code} role="option" aria-disabled="true" aria-selected={false} data-code={x.code}>
                      <span className="mono">{x.code}</span> {nameOf(x.name)} — <ElsewhereNote item={x} />
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        </div>
      )}
    </Field>
  );
}
