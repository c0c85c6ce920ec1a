import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DiffEntry, EditionSummary, SectionNo } from '../../../../shared/contract/catalogue';
import { noteIn } from '../../../../shared/domain/note-text';
import type { AppError } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { href } from '../../router';
import { showDate, useEditionLabel } from './util';
import { DateField } from '../../components/DateField';

function EditionSelect(p: { label: string; value: string; onChange: (id: string) => void; editions: EditionSummary[] | undefined; testId: string }) {
  const label = useEditionLabel();
  return (
    <label>
      {p.label}
      <select value={p.value} onChange={(e) => p.onChange(e.target.value)} data-testid={p.testId}>
        {p.editions?.map((e) => (
          <option key={e.id} value={e.id}>
            {label(e)} · {e.id}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The diff of two editions per section, and the editions with their in-force dates. */
export function DiffView({ editions, reloadEditions }: { editions: EditionSummary[] | undefined; reloadEditions: () => void }) {
  const { t } = useTranslation('catalogue');
  const label = useEditionLabel();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  useEffect(() => {
    if (editions && editions.length > 0 && !from && !to) {
      setFrom(editions[Math.max(0, editions.length - 2)]!.id);
      setTo(editions[editions.length - 1]!.id);
    }
  }, [editions, from, to]);
  const diff = useQuery('catalogue.diff', from && to ? { from, to } : null);
  const d = diff.data;
  return (
    <div className="diff-view" data-testid="diff-view">
      <h2>{t('diff.title')}</h2>
      <div className="toolbar">
        <EditionSelect label={t('diff.from')} value={from} onChange={setFrom} editions={editions} testId="diff-from" />
        <EditionSelect label={t('diff.to')} value={to} onChange={setTo} editions={editions} testId="diff-to" />
      </div>
      <ErrorText error={diff.error} />
      {from && from === to && <p className="muted">{t('diff.same')}</p>}
      {d && (
        <>
          <p data-testid="diff-summary">{t('diff.summary', { added: d.added.length, removed: d.removed.length, renamed: d.renamed.length })}</p>
          {d.sharedLanguages.length === 0 && (
            <p className="warning" data-testid="diff-languages">
              {t('diff.languagesDiffer')}
            </p>
          )}
          {([1, 2, 3] as SectionNo[]).map((s) => {
            const added = d.added.filter((x) => x.section === s);
            const removed = d.removed.filter((x) => x.section === s);
            const renamed = d.renamed.filter((x) => x.section === s);
            return (
              <section key={s} className="panel" data-testid={`diff-section-${s}`} aria-labelledby={`diff-s${s}`}>
                <h3 id={`diff-s${s}`}>
                  {t('section.label', { n: s })}: <span className="muted">{t(`section.${s}`)}</span>
                </h3>
                {added.length + removed.length + renamed.length === 0 && <p className="muted">{t('diff.none')}</p>}
                <DiffList title={t('diff.removed')} sign="−" items={removed} cls="removed" />
                <DiffList title={t('diff.added')} sign="+" items={added} cls="added" />
                {renamed.length > 0 && (
                  <>
                    <h4>{t('diff.renamed')}</h4>
                    <ul className="diff-list renamed">
                      {renamed.map((x) => (
                        <li key={`${x.code}-${x.lang}`}>
                          <a className="mono" href={href('catalogue', 'code', x.code)}>
                            {x.code}
                          </a>{' '}
                          <span className="badge">{t(`lang.${x.lang}`)}</span> <del lang={x.lang}>{x.from}</del> → <ins lang={x.lang}>{x.to}</ins>
                        </li>
                      ))}
                    </ul>
                  </>
                )}
              </section>
            );
          })}
        </>
      )}
      <EditionsPanel editions={editions} onSaved={reloadEditions} />
    </div>
  );
}

function DiffList({ title, sign, items, cls }: { title: string; sign: string; items: DiffEntry[]; cls: string }) {
  if (items.length === 0) return null;
  return (
    <>
      <h4>
        {title} ({items.length})
      </h4>
      <ul className={`diff-list ${cls}`}>
        {items.map((x) => (
          <li key={x.code} data-code={x.code}>
            <span aria-hidden="true">{sign}</span>{' '}
            <a className="mono" href={href('catalogue', 'code', x.code)}>
              {x.code}
            </a>{' '}
            <span lang={x.lang}>{x.name}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

function EditionsPanel({ editions, onSaved }: { editions: EditionSummary[] | undefined; onSaved: () => void }) {
  const { t, i18n } = useTranslation('catalogue');
  const lang = i18n.language === 'ru' ? 'ru' : 'kk';
  const label = useEditionLabel();
  return (
    <section className="panel" aria-labelledby="editions-title" data-testid="editions-panel">
      <h2 id="editions-title">{t('edition.title')}</h2>
      {editions?.map((e) => (
        <div key={e.id} className="edition" data-edition={e.id}>
          <h3>
            {label(e)} <span className="muted small">{e.id}</span>
          </h3>
          <dl className="facts">
            {e.orderTitle.kk || e.orderTitle.ru ? (
              <div className="facts-row">
                <dt>{t('edition.order', { order: e.order, date: showDate(e.orderDate) })}</dt>
                <dd lang={e.orderTitle.kk ? 'kk' : 'ru'}>{e.orderTitle.kk ?? e.orderTitle.ru}</dd>
              </div>
            ) : null}
            <dt>{t('edition.languages')}</dt>
            <dd>{e.languages.map((l) => t(`langFull.${l}`)).join(', ')}</dd>
            <dt>{t('edition.entries')}</dt>
            <dd>{e.counts.map((c) => `${t('section.label', { n: c.section })}: ${c.entries}`).join(' · ')}</dd>
            <dt>{t('edition.newDate')}</dt>
            <dd data-testid={`edition-inforce-${e.id}`}>
              {showDate(e.inForceFrom)}
              {e.inForceChosen && <span className="mark">{t(e.inForceEdited ? 'edition.edited' : 'edition.chosen')}</span>}
              {e.inForceEdited && (
                <span className="muted small">
                  {' '}
                  ({t('edition.shipped')}: {showDate(e.inForceShipped)}; {e.inForceEdited.reason})
                </span>
              )}
            </dd>
            <dt>{t('edition.note')}</dt>
            <dd className="small">{noteIn(e.inForceNote, lang)}</dd>
          </dl>
          {e.inForceChosen && <InForceForm edition={e} onSaved={onSaved} />}
        </div>
      ))}
    </section>
  );
}

function InForceForm({ edition, onSaved }: { edition: EditionSummary; onSaved: () => void }) {
  const { t } = useTranslation('catalogue');
  const api = useApi();
  const [date, setDate] = useState(edition.inForceFrom);
  const [reason, setReason] = useState(edition.inForceEdited?.reason ?? '');
  const [error, setError] = useState<AppError>();
  useEffect(() => setDate(edition.inForceFrom), [edition.inForceFrom]);
  const save = async (value: string | null) => {
    const r = await api.call('catalogue.setInForce', { editionId: edition.id, inForceFrom: value, reason });
    setError(r.ok ? undefined : r.error);
    if (r.ok) onSaved();
  };
  return (
    <form
      className="form"
      aria-label={t('edition.editDate')}
      onSubmit={(e) => {
        e.preventDefault();
        void save(date);
      }}
    >
      <div className="row">
        <label>
          {t('edition.newDate')}
          <DateField value={date} onChange={(e) => setDate(e.target.value)} required data-testid={`edition-date-${edition.id}`} />
        </label>
        <label>
          {t('edition.reason')}
          <input value={reason} maxLength={1000} onChange={(e) => setReason(e.target.value)} />
        </label>
      </div>
      <div className="actions">
        <button type="submit" className="primary" data-testid={`edition-save-${edition.id}`}>
          {t('edition.save')}
        </button>
        {edition.inForceEdited && (
          <button type="button" onClick={() => void save(null)}>
            {t('edition.reset')}
          </button>
        )}
      </div>
      <ErrorText error={error} />
    </form>
  );
}
