import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CRITERION_IDS,
  LEVELS,
  VALUE_HUNDREDTHS,
  WEIGHT_HUNDREDTHS,
  innovationLevelFromYears,
  scoreSheet,
  sensitivity,
  type CriterionId,
  type Level,
} from '../../../../shared/domain/scoring';
import type { AppError } from '../../../../shared/result';
import { useApi } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { navigate } from '../../router';
import { points, parseYears, today } from './format';
import { DateField } from '../../components/DateField';

interface FormState {
  techMode: 'code' | 'name';
  code: string;
  name: string;
  innovMode: 'years' | 'level';
  years: string;
  levels: Record<CriterionId, Level | null>;
  rationale: Record<CriterionId, string>;
  evaluator: string;
  date: string;
}

const emptyForm = (): FormState => ({
  techMode: 'code',
  code: '',
  name: '',
  innovMode: 'years',
  years: '',
  levels: { innovation: null, resource: null, uniqueness: null, complexity: null },
  rationale: { innovation: '', resource: '', uniqueness: '', complexity: '' },
  evaluator: '',
  date: today(),
});

/** The scoring sheet: the four official criteria as choices, the live total, verdict and sensitivity. */
export function ScoringForm({ sheetId }: { sheetId: string | undefined }) {
  const { t, i18n } = useTranslation('scoring');
  const api = useApi();
  const [form, setForm] = useState<FormState>(emptyForm);
  const [error, setError] = useState<AppError>();
  const [saved, setSaved] = useState(false);
  // A new sheet becomes an existing one on its first save; later saves update it.
  const [currentId, setCurrentId] = useState<string | undefined>(sheetId);

  useEffect(() => {
    if (!sheetId) return;
    void api.call('scoring.get', { id: sheetId }).then((r) => {
      if (!r.ok) return setError(r.error);
      const s = r.value;
      const byYears = 'years' in s.scores.innovation;
      setForm({
        techMode: s.technology.code ? 'code' : 'name',
        code: s.technology.code ?? '',
        name: s.technology.name,
        innovMode: byYears ? 'years' : 'level',
        years: 'years' in s.scores.innovation ? String(s.scores.innovation.years).replace('.', ',') : '',
        levels: {
          innovation: 'level' in s.scores.innovation ? s.scores.innovation.level : null,
          resource: s.scores.resource,
          uniqueness: s.scores.uniqueness,
          complexity: s.scores.complexity,
        },
        rationale: s.rationale,
        evaluator: s.evaluator,
        date: s.date,
      });
    });
  }, [api, sheetId]);

  const years = form.innovMode === 'years' ? parseYears(form.years) : null;
  const derived = years !== null ? innovationLevelFromYears(years) : null;
  const innovationLevel: Level | null = form.innovMode === 'years' ? (derived?.ok ? derived.value.level : null) : form.levels.innovation;

  // Live score with the same pure rules the core uses.
  const live = useMemo(() => {
    const { resource, uniqueness, complexity } = form.levels;
    if (innovationLevel === null || resource === null || uniqueness === null || complexity === null) return null;
    const r = scoreSheet({
      innovation: form.innovMode === 'years' && years !== null ? { years } : { level: innovationLevel },
      resource: { level: resource },
      uniqueness: { level: uniqueness },
      complexity: { level: complexity },
    });
    return r.ok ? { sheet: r.value, sens: sensitivity(r.value) } : null;
  }, [form.levels, form.innovMode, innovationLevel, years]);

  const set = (patch: Partial<FormState>) => {
    setSaved(false);
    setForm((f) => ({ ...f, ...patch }));
  };
  const setLevel = (id: CriterionId, level: Level) => set({ levels: { ...form.levels, [id]: level } });

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const { resource, uniqueness, complexity } = form.levels;
    if (innovationLevel === null || resource === null || uniqueness === null || complexity === null) {
      const missing = CRITERION_IDS.find((id) => (id === 'innovation' ? innovationLevel : form.levels[id]) === null) ?? 'innovation';
      setError(
        missing === 'innovation' && form.innovMode === 'years'
          ? { code: 'scoring.invalid_years', params: { field: 'innovation.years' } }
          : { code: 'scoring.invalid_level', params: { field: t(`criteria.${missing}.name`) } },
      );
      return;
    }
    const r = await api.call('scoring.save', {
      ...(currentId ? { id: currentId } : {}),
      technology: form.techMode === 'code' ? { code: form.code } : { name: form.name },
      scores: {
        innovation: form.innovMode === 'years' && years !== null ? { years } : { level: innovationLevel },
        resource,
        uniqueness,
        complexity,
      },
      rationale: form.rationale,
      evaluator: form.evaluator,
      date: form.date,
    });
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setError(undefined);
    setSaved(true);
    setCurrentId(r.value.id);
  };

  const band = form.innovMode === 'years' && derived?.ok ? derived.value.band : innovationLevel ? (['under_5', 'from_5_to_10', 'over_10_to_15', 'over_15'] as const)[innovationLevel - 1] : null;

  return (
    <form onSubmit={save} className="scoring-layout" noValidate aria-label={t(currentId ? 'ui.form.titleEdit' : 'ui.form.titleNew')}>
      <div>
        <h2>{t(currentId ? 'ui.form.titleEdit' : 'ui.form.titleNew')}</h2>
        <p className="muted">{t('ui.form.officialNote')}</p>
        {i18n.language === 'kk' && (
          <p className="note" data-testid="kk-note">
            {t('meta.kkWordingNote')}
          </p>
        )}

        <fieldset className="criterion">
          <legend>{t('ui.form.technology')}</legend>
          <div className="inline" role="radiogroup" aria-label={t('ui.form.technology')}>
            <label>
              <input type="radio" name="techMode" checked={form.techMode === 'code'} onChange={() => set({ techMode: 'code' })} />
              {t('ui.form.byCode')}
            </label>
            <label>
              <input type="radio" name="techMode" checked={form.techMode === 'name'} onChange={() => set({ techMode: 'name' })} />
              {t('ui.form.byName')}
            </label>
          </div>
          <div className="form" style={{ marginTop: 8 }}>
            {form.techMode === 'code' ? (
              <label>
                {t('ui.form.code')}
                <input value={form.code} maxLength={40} onChange={(e) => set({ code: e.target.value })} data-testid="tech-code" />
              </label>
            ) : (
              <label>
                {t('ui.form.name')}
                <input value={form.name} maxLength={1000} onChange={(e) => set({ name: e.target.value })} data-testid="tech-name" />
              </label>
            )}
          </div>
        </fieldset>

        {CRITERION_IDS.map((id) => (
          <fieldset className="criterion" key={id} data-testid={`criterion-${id}`}>
            <legend>
              {t(`criteria.${id}.name`)}
              <span className="weight">{t('ui.form.weightValue', { weight: points(WEIGHT_HUNDREDTHS[id]) })}</span>
            </legend>
            {id === 'innovation' && (
              <>
                <div className="inline" role="radiogroup" aria-label={t('ui.form.innovationMode')}>
                  <span className="muted">{t('ui.form.innovationMode')}:</span>
                  <label>
                    <input type="radio" name="innovMode" checked={form.innovMode === 'years'} onChange={() => set({ innovMode: 'years' })} data-testid="innov-mode-years" />
                    {t('ui.form.byYears')}
                  </label>
                  <label>
                    <input type="radio" name="innovMode" checked={form.innovMode === 'level'} onChange={() => set({ innovMode: 'level' })} data-testid="innov-mode-level" />
                    {t('ui.form.byLevel')}
                  </label>
                </div>
                {form.innovMode === 'years' && (
                  <div className="inline" style={{ margin: '6px 0' }}>
                    <label>
                      {t('ui.form.years')}
                      <input
                        inputMode="decimal"
                        value={form.years}
                        onChange={(e) => set({ years: e.target.value })}
                        aria-invalid={form.years !== '' && years === null}
                        aria-describedby="band-reading"
                        style={{ width: 90 }}
                        data-testid="years-input"
                      />
                    </label>
                    {derived?.ok && (
                      <strong data-testid="derived-band">{t('ui.form.derived', { level: derived.value.level, band: t(`innovation.bands.${derived.value.band}`) })}</strong>
                    )}
                  </div>
                )}
                <p className="note" id="band-reading">
                  {t('innovation.bandReading')}
                </p>
              </>
            )}
            <div role="radiogroup" aria-label={t(`criteria.${id}.name`)}>
              {LEVELS.map((level) => {
                const fromYears = id === 'innovation' && form.innovMode === 'years';
                const checked = (id === 'innovation' ? innovationLevel : form.levels[id]) === level;
                return (
                  <label className="level-choice" key={level}>
                    <input
                      type="radio"
                      name={`level-${id}`}
                      value={level}
                      checked={checked}
                      disabled={fromYears}
                      onChange={() => setLevel(id, level)}
                      data-testid={`level-${id}-${level}`}
                    />
                    <span className="value">{points(VALUE_HUNDREDTHS[level])}</span>
                    <span className="level-text">{t(`criteria.${id}.levels.${level}`)}</span>
                  </label>
                );
              })}
            </div>
            <label className="muted" style={{ display: 'block', marginTop: 6 }}>
              {t('ui.form.rationale')}
              <textarea
                value={form.rationale[id]}
                maxLength={4000}
                onChange={(e) => set({ rationale: { ...form.rationale, [id]: e.target.value } })}
                data-testid={`rationale-${id}`}
              />
            </label>
          </fieldset>
        ))}
      </div>

      <aside className="summary panel" aria-live="polite" data-testid="score-summary">
        <div className="muted">{t('sheet.total')}</div>
        <div className="total-big" data-testid="total">
          {live ? points(live.sheet.totalHundredths) : '—'}
        </div>
        {band && (
          <p data-testid="band">{t('sheet.band', { band: t(`innovation.bands.${band}`) })}</p>
        )}
        {live ? (
          <>
            <p className={live.sheet.included ? 'verdict-in' : 'verdict-out'} data-testid="verdict" data-included={live.sheet.included}>
              {t(live.sheet.included ? 'verdict.included' : 'verdict.excluded', { total: points(live.sheet.totalHundredths) })}
            </p>
            <p className="muted" data-testid="sensitivity">
              {live.sens
                ? t('sensitivity.flip', {
                    criterion: t(`criteria.${live.sens.criterion}.name`),
                    from: live.sens.fromLevel,
                    to: live.sens.toLevel,
                    total: points(live.sens.newTotalHundredths),
                  })
                : t('sensitivity.none')}
            </p>
          </>
        ) : (
          <p className="muted">{t('verdict.threshold')}</p>
        )}
        <table className="grid" style={{ fontSize: 12 }}>
          <thead>
            <tr>
              <th>{t('sheet.criterion')}</th>
              <th className="num">{t('sheet.points')}</th>
            </tr>
          </thead>
          <tbody>
            {CRITERION_IDS.map((id, i) => {
              const c = live?.sheet.criteria[i];
              return (
                <tr key={id}>
                  <td>{t(`criteria.${id}.name`)}</td>
                  <td className="num">{c ? points(c.pointsHundredths) : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <div className="form" style={{ marginTop: 10 }}>
          <label>
            {t('ui.form.evaluator')}
            <input value={form.evaluator} maxLength={300} onChange={(e) => set({ evaluator: e.target.value })} data-testid="evaluator" />
          </label>
          <label>
            {t('ui.form.date')}
            <DateField value={form.date} onChange={(e) => set({ date: e.target.value })} data-testid="date" />
          </label>
          <div className="actions">
            <button type="submit" className="primary" data-testid="save-sheet">
              {t('ui.form.save')}
            </button>
            {currentId && (
              <button type="button" onClick={() => (sheetId ? navigate('scoring', 'form') : (setCurrentId(undefined), setForm(emptyForm()), setSaved(false)))} data-testid="new-sheet">
                {t('ui.form.newSheet')}
              </button>
            )}
          </div>
          {saved && (
            <p role="status" className="ok" data-testid="saved">
              {t('ui.form.saved')}
            </p>
          )}
          <ErrorText error={error} />
        </div>
      </aside>
    </form>
  );
}
