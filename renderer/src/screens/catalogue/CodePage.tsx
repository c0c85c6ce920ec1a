import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Lang } from '../../../../shared/contract';
import type { Characteristics, CodeShow, EditionSummary, StaffRequirement } from '../../../../shared/contract/catalogue';
import type { AppError } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { href } from '../../router';
import { Name, SourceText, showDate, useEditionLabel } from './util';

const LANGS: Lang[] = ['kk', 'ru'];

/** One code: names with their sources, local translations, sections in every edition, characteristics, notes. */
export function CodePage({ code, on, editions }: { code: string; on: string; editions: EditionSummary[] | undefined }) {
  const editionLabel = useEditionLabel();
  const { t } = useTranslation('catalogue');
  const show = useQuery('catalogue.show', { code, on });
  const headRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headRef.current?.focus(), [code]);
  const d = show.data;
  return (
    <article className="code-page" aria-labelledby="code-title" data-testid="code-page">
      <p>
        <a href={href('catalogue')} data-testid="code-back">
          {t('code.back')}
        </a>
      </p>
      <h2 id="code-title" ref={headRef} tabIndex={-1} className="code-title">
        <span className="mono code">{code}</span> {d && <Name name={d.names} sources={d.nameSource} testId="code-name" />}
      </h2>
      <ErrorText error={show.error} />
      {d && (
        <>
          <p data-testid="code-status" className={d.inForce ? 'ok' : 'warning'}>
            {d.inForce && d.edition
              ? t('code.inForceIn', { date: showDate(d.on), edition: editionLabel(d.edition) })
              : t('code.notInForce', { date: showDate(d.on) })}
          </p>
          <NamesPanel data={d} editions={editions} onSaved={show.reload} />
          <HistoryPanel data={d} editions={editions} />
          <CharacteristicsPanel ch={d.characteristics} />
          <NotesPanel data={d} onSaved={show.reload} />
        </>
      )}
    </article>
  );
}

function NamesPanel({ data, editions, onSaved }: { data: CodeShow; editions: EditionSummary[] | undefined; onSaved: () => void }) {
  const { t } = useTranslation('catalogue');
  return (
    <section className="panel" aria-labelledby="names-title">
      <h3 id="names-title">{t('code.names')}</h3>
      <table className="grid names" data-testid="code-names">
        <tbody>
          {LANGS.map((lang) => {
            const text = data.names[lang];
            const source = data.nameSource[lang];
            const official = source !== null && source.kind !== 'local';
            const local = data.translations.find((x) => x.lang === lang);
            return (
              <tr key={lang} data-lang={lang} data-testid={`code-name-${lang}`}>
                <th scope="row">{t(`langFull.${lang}`)}</th>
                <td>
                  {text ? (
                    <span lang={lang}>
                      {text}
                      {!official && <span className="mark local-mark">{t('translation.mark')}</span>}
                    </span>
                  ) : (
                    <span className="mark missing-mark">{t(`missing.${lang}`)}</span>
                  )}
                  {sectionNames(data, lang)}
                  {!official && <TranslationForm code={data.code} lang={lang} current={local?.text ?? ''} id={local?.id} onSaved={onSaved} />}
                </td>
                <td className="source">
                  <SourceText source={source} editions={editions} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** Where the text of one section differs from the main name (the 2025 text names 55.62 two ways). */
function sectionNames(data: CodeShow, lang: Lang) {
  const other = data.sections.filter((s) => s.name[lang] && s.name[lang] !== data.names[lang]);
  if (other.length === 0) return null;
  return (
    <ul className="section-names">
      {other.map((s) => (
        <SectionName key={s.section} n={s.section} text={s.name[lang]!} />
      ))}
    </ul>
  );
}

function SectionName({ n, text }: { n: number; text: string }) {
  const { t } = useTranslation('catalogue');
  return (
    <li>
      <span className="badge">{t('section.label', { n })}</span> {text}
    </li>
  );
}

function TranslationForm({ code, lang, current, id, onSaved }: { code: string; lang: Lang; current: string; id?: string; onSaved: () => void }) {
  const { t } = useTranslation('catalogue');
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState(current);
  const [error, setError] = useState<AppError>();
  useEffect(() => setText(current), [current]);
  if (!open) {
    return (
      <div className="actions">
        <button type="button" onClick={() => setOpen(true)} data-testid={`translation-open-${lang}`}>
          {t(current ? 'translation.edit' : 'translation.add')}
        </button>
        {id && (
          <button
            type="button"
            onClick={async () => {
              const r = await api.call('catalogue.removeTranslation', { id });
              if (r.ok) onSaved();
              else setError(r.error);
            }}
          >
            {t('translation.remove')}
          </button>
        )}
        <ErrorText error={error} />
      </div>
    );
  }
  return (
    <form
      className="form translation-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await api.call('catalogue.saveTranslation', { code, lang, text });
        if (r.ok) {
          setOpen(false);
          setError(undefined);
          onSaved();
        } else setError(r.error);
      }}
    >
      <label>
        {t('translation.label', { lang: t(`lang.${lang}`) })}
        <textarea lang={lang} rows={2} value={text} maxLength={2000} onChange={(e) => setText(e.target.value)} data-testid={`translation-text-${lang}`} autoFocus />
      </label>
      <div className="actions">
        <button type="submit" className="primary" disabled={!text.trim()} data-testid={`translation-save-${lang}`}>
          {t('translation.save')}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t('common:actions.cancel')}
        </button>
      </div>
      <ErrorText error={error} />
    </form>
  );
}

function HistoryPanel({ data, editions }: { data: CodeShow; editions: EditionSummary[] | undefined }) {
  const { t } = useTranslation('catalogue');
  const label = useEditionLabel();
  return (
    <section className="panel" aria-labelledby="history-title">
      <h3 id="history-title">{t('code.history')}</h3>
      <table className="grid" data-testid="code-history">
        <thead>
          <tr>
            <th scope="col">{t('code.editionCol')}</th>
            {[1, 2, 3].map((s) => (
              <th scope="col" key={s} title={t(`section.${s}`)}>
                {t('section.label', { n: s })}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.history.map((h) => {
            const e = editions?.find((x) => x.id === h.edition);
            return (
              <tr key={h.edition} className={data.edition?.id === h.edition ? 'selected' : undefined} data-edition={h.edition}>
                <th scope="row">
                  {e ? label(e) : t('source.editionShort')}
                  <div className="muted small">{t('edition.inForce', { date: showDate(h.inForceFrom) })}
                  </div>
                </th>
                {[1, 2, 3].map((s) => {
                  const x = h.sections.find((y) => y.section === s);
                  return <td key={s}>{x ? t('code.position', { n: x.position }) : <span className="muted">{t('code.notListed')}</span>}</td>;
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function requirementLine(t: (k: string, p?: Record<string, unknown>) => string, r: StaffRequirement): string[] {
  const parts: string[] = [];
  if (r.minYears !== null) parts.push(t('ch.minYears', { n: r.minYears, count: r.minYears }));
  if (r.upgradeHours !== null) {
    parts.push(r.upgradeWithinYears !== null ? t('ch.upgrade', { hours: r.upgradeHours, years: r.upgradeWithinYears, count: r.upgradeWithinYears }) : t('ch.upgradeHours', { hours: r.upgradeHours }));
  }
  return parts;
}

function CharacteristicsPanel({ ch }: { ch: Characteristics | null }) {
  const { t } = useTranslation('catalogue');
  if (!ch) {
    return (
      <section className="panel">
        <h3>{t('ch.title')}</h3>
        <p className="muted">{t('ch.none')}</p>
      </section>
    );
  }
  const marks = ch.notes.map((n) => n.mark).join(' ');
  return (
    <section className="panel" aria-labelledby="ch-title" data-testid="code-characteristics">
      <h3 id="ch-title">
        {t('ch.title')} {marks && <sup>{marks}</sup>} <span className="badge">{t(`ch.kind.${ch.kind}`)}</span>
      </h3>
      <p className="muted small">{t('ch.sourceNote')}</p>
      <div className="two-col">
        <div>
          <h4>{t('ch.staff')}</h4>
          <ul className="checklist" data-testid="ch-staff">
            {ch.staff.requirements.map((r, i) => (
              <li key={i}>
                <label>
                  <input type="checkbox" />
                  <span lang="kk">
                    {r.specialty && <strong>{r.specialty}</strong>}
                    {requirementLine(t, r).map((p) => (
                      <span key={p} className="req">
                        {p}
                      </span>
                    ))}
                    {r.permits.length > 0 && (
                      <span className="req">
                        {t('ch.permits')}: {r.permits.join('; ')}
                      </span>
                    )}
                  </span>
                </label>
                <details>
                  <summary>{t('ch.fullText')}</summary>
                  <p lang="kk">{r.text}</p>
                </details>
              </li>
            ))}
            {ch.staff.requirements.length === 0 && <li lang="kk">{ch.staff.text}</li>}
          </ul>
        </div>
        <div>
          <h4>{t('ch.devices')}</h4>
          <ul className="checklist" data-testid="ch-devices">
            {ch.devices.items.map((d, i) => (
              <li key={i}>
                <label>
                  <input type="checkbox" />
                  <span lang="kk">
                    {d.name}
                    {d.count !== null && <span className="badge">{t('ch.count', { count: d.count })}</span>}
                  </span>
                </label>
              </li>
            ))}
          </ul>
          {ch.devices.items.length === 0 && <p lang="kk">{ch.devices.text}</p>}
        </div>
      </div>
      {ch.notes.length > 0 && (
        <div className="footnotes" data-testid="ch-footnotes">
          <h4>{t('ch.footnotes')}</h4>
          {ch.notes.map((n) => (
            <p key={n.mark} lang="kk" className="footnote">
              <sup>{n.mark}</sup> {n.text.kk ?? n.text.ru}
            </p>
          ))}
        </div>
      )}
    </section>
  );
}

function NotesPanel({ data, onSaved }: { data: CodeShow; onSaved: () => void }) {
  const { t } = useTranslation('catalogue');
  const api = useApi();
  const [text, setText] = useState('');
  const [error, setError] = useState<AppError>();
  return (
    <section className="panel" aria-labelledby="notes-title">
      <h3 id="notes-title">{t('notes.title')}</h3>
      {data.localNotes.length === 0 && <p className="muted">{t('notes.empty')}</p>}
      <ul className="notes">
        {data.localNotes.map((n) => (
          <li key={n.id}>
            <span>{n.text}</span> <span className="muted small">{n.updatedAt.slice(0, 10)}</span>{' '}
            <button
              type="button"
              onClick={async () => {
                const r = await api.call('catalogue.removeNote', { id: n.id });
                if (r.ok) onSaved();
                else setError(r.error);
              }}
            >
              {t('notes.remove')}
            </button>
          </li>
        ))}
      </ul>
      <form
        className="form narrow"
        onSubmit={async (e) => {
          e.preventDefault();
          const r = await api.call('catalogue.saveNote', { code: data.code, text });
          if (r.ok) {
            setText('');
            setError(undefined);
            onSaved();
          } else setError(r.error);
        }}
      >
        <label>
          {t('notes.label')}
          <textarea rows={2} value={text} maxLength={5000} onChange={(e) => setText(e.target.value)} />
        </label>
        <div className="actions">
          <button type="submit" disabled={!text.trim()}>
            {t('notes.add')}
          </button>
        </div>
        <ErrorText error={error} />
      </form>
    </section>
  );
}
