import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CsvImportResult } from '../../../../shared/contract/scoring';
import { ZONES, type RegionId } from '../../../../shared/domain/regions';
import { evaluateTransfer, type TransferInput } from '../../../../shared/domain/transfer';
import type { AppError } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { FileInput } from '../../components/FileInput';
import { errorMessage } from '../../i18n';
import { href, navigate } from '../../router';
import { decimal, parseCount, parseTenge, tenge } from './format';

interface Fields {
  code: string;
  year: string;
  regions: Partial<Record<RegionId, { regional: string; republican: string }>>;
  tariff: string;
  listTariffs: string;
  casesPerYear: string;
  population: string;
  lethal: string;
}

const emptyFields = (code = '', year = String(new Date().getFullYear() - 1)): Fields => ({
  code,
  year,
  regions: {},
  tariff: '',
  listTariffs: '',
  casesPerYear: '',
  population: '',
  lethal: '',
});

function fieldsFrom(input: TransferInput): Fields {
  const amount = (tiyn: number) => tenge(tiyn).replace(/\u00a0/g, ' ');
  return {
    code: input.code,
    year: String(input.year),
    regions: Object.fromEntries(input.regions.map((r) => [r.region, { regional: String(r.regionalCases), republican: String(r.republicanCases) }])),
    tariff: amount(input.tariff),
    listTariffs: input.listTariffs.map(amount).join('; '),
    casesPerYear: String(input.casesPerYear),
    population: String(input.population),
    lethal: String(input.lethalOrComplicated),
  };
}

type Built = { input: TransferInput; problems: { field: string; kind: 'badMoney' | 'badCount' }[]; complete: boolean };

/** The typed fields as the rules' input (money in tiyn), with the fields that do not parse. */
function build(f: Fields, labels: (k: string) => string): Built {
  const problems: Built['problems'] = [];
  const count = (raw: string, label: string): number => {
    if (raw.trim() === '') return 0;
    const v = parseCount(raw);
    if (v === null) problems.push({ field: label, kind: 'badCount' });
    return v ?? 0;
  };
  const regions: TransferInput['regions'] = [];
  for (const [id, cells] of Object.entries(f.regions) as [RegionId, { regional: string; republican: string }][]) {
    if (cells.regional.trim() === '' && cells.republican.trim() === '') continue;
    regions.push({ region: id, regionalCases: count(cells.regional, labels('regional')), republicanCases: count(cells.republican, labels('republican')) });
  }
  const tariff = f.tariff.trim() === '' ? null : parseTenge(f.tariff);
  if (f.tariff.trim() !== '' && tariff === null) problems.push({ field: labels('tariff'), kind: 'badMoney' });
  const parts = f.listTariffs.split(/[;\n|]+|\s{2,}/).map((s) => s.trim()).filter(Boolean);
  const listTariffs: number[] = [];
  for (const p of parts) {
    const v = parseTenge(p);
    if (v === null) {
      problems.push({ field: labels('listTariffs'), kind: 'badMoney' });
      break;
    }
    listTariffs.push(v);
  }
  const complete = tariff !== null && listTariffs.length > 0 && f.casesPerYear.trim() !== '' && f.population.trim() !== '' && f.code.trim() !== '';
  return {
    input: {
      code: f.code.trim(),
      year: Number(f.year),
      regions,
      tariff: tariff ?? 0,
      listTariffs,
      casesPerYear: count(f.casesPerYear, labels('casesPerYear')),
      population: count(f.population, labels('population')),
      lethalOrComplicated: count(f.lethal, labels('lethal')),
    },
    problems,
    complete,
  };
}

/** Inputs per technology and year, the four criteria of leaving the list, CSV import. */
export function TransferScreen({ code, year }: { code: string | undefined; year: string | undefined }) {
  const { t, i18n } = useTranslation('scoring');
  const lang = i18n.language === 'ru' ? 'ru' : 'kk';
  const api = useApi();
  const config = useQuery('transfer.regions', {});
  const saved = useQuery('transfer.list', {});
  const [f, setF] = useState<Fields>(() => emptyFields(code, year));
  const [error, setError] = useState<AppError>();
  const [status, setStatus] = useState<string>();
  const [csv, setCsv] = useState<CsvImportResult>();

  const load = async (c: string, y: string) => {
    const r = await api.call('transfer.get', { code: c.trim(), year: Number(y) });
    if (!r.ok) return setError(r.error);
    setError(undefined);
    if (r.value) {
      setF(fieldsFrom(r.value.input));
      setStatus(t('ui.transfer.loaded'));
    } else setStatus(t('ui.transfer.notFound'));
  };
  useEffect(() => {
    if (code && year) void load(code, year);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const labels = (k: string) => t(`ui.transfer.${k}`);
  const built = useMemo(() => build(f, labels), [f, lang]); // eslint-disable-line react-hooks/exhaustive-deps
  const evaluation = useMemo(() => {
    if (!config.data || !built.complete || built.problems.length > 0) return null;
    return evaluateTransfer(built.input, config.data);
  }, [built, config.data]);
  const result = evaluation?.ok ? evaluation.value : null;
  const share = new Map(result?.criteria.transfer.perRegion.map((r) => [r.region, r]) ?? []);
  const zoneName = (zs: readonly string[]) => zs.map((z) => t(`zones.${z}`)).join(', ') || '—';
  const regionName = (id: string) => config.data?.regions.find((r) => r.id === id)?.name[lang] ?? id;

  const set = (patch: Partial<Fields>) => {
    setStatus(undefined);
    setF((x) => ({ ...x, ...patch }));
  };
  const setRegion = (id: RegionId, key: 'regional' | 'republican', value: string) =>
    set({ regions: { ...f.regions, [id]: { regional: '', republican: '', ...f.regions[id], [key]: value } } });

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const r = await api.call('transfer.saveInputs', built.input);
    setError(r.ok ? undefined : r.error);
    setStatus(r.ok ? t('ui.transfer.saved') : undefined);
    saved.reload();
  };

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    const text = await file.text();
    const r = await api.call('transfer.importCsv', { text });
    if (!r.ok) return setError(r.error);
    setCsv(r.value);
    saved.reload();
  };

  const criterion = (id: 'transfer' | 'cost' | 'rarity' | 'outcomes', met: boolean, numbers: React.ReactNode) => (
    <div className="result" data-testid={`result-${id}`} data-met={met}>
      <h3>
        {t(`transfer.criteria.${id}.name`)} <span className={`badge ${met ? 'ok' : 'err'}`}>{t(met ? 'transfer.met' : 'transfer.notMet')}</span>
      </h3>
      <div>{numbers}</div>
      <details>
        <summary>{t('ui.transfer.reading')}</summary>
        <p>
          <em>{t('ui.transfer.official')}:</em> {t(`transfer.criteria.${id}.official`)}
        </p>
        <p data-testid={`reading-${id}`}>{t(`transfer.criteria.${id}.reading`)}</p>
      </details>
    </div>
  );

  return (
    <div>
      <h2>{t('transfer.title')}</h2>
      <p className="muted">{t('transfer.rule')}</p>
      <form onSubmit={save} noValidate>
        <div className="toolbar">
          <label>
            {t('ui.transfer.code')}
            <input value={f.code} maxLength={40} onChange={(e) => set({ code: e.target.value })} data-testid="transfer-code" />
          </label>
          <label>
            {t('ui.transfer.year')}
            <input value={f.year} inputMode="numeric" style={{ width: 80 }} onChange={(e) => set({ year: e.target.value })} data-testid="transfer-year" />
          </label>
          <button type="button" onClick={() => void load(f.code, f.year)} disabled={!f.code.trim()}>
            {t('ui.transfer.load')}
          </button>
          <button type="submit" className="primary" data-testid="transfer-save">
            {t('ui.transfer.save')}
          </button>
          {status && <span role="status" data-testid="transfer-status">{status}</span>}
        </div>
        <ErrorText error={error} />
        {built.problems.map((p, i) => (
          <p className="error" role="alert" key={i}>
            {t(`ui.transfer.${p.kind}`, { field: p.field })}
          </p>
        ))}
        <div className="transfer-layout">
          <div>
            <h3>{t('ui.transfer.regionsTitle')}</h3>
            <div className="panel" data-testid="criterion1-reading" style={{ fontSize: 12 }}>
              <p style={{ marginTop: 0 }}>
                <em>{t('ui.transfer.official')}:</em> {t('transfer.criteria.transfer.official')}
              </p>
              <p style={{ marginBottom: 0 }}>{t('transfer.criteria.transfer.reading')}</p>
            </div>
            <p className="note">
              {t(config.data?.isDefault === false ? 'zoneConfig.editedNote' : 'zoneConfig.defaultNote')}{' '}
              <a href={href('scoring', 'zones')}>{t('ui.tabs.zones')}</a>
            </p>
            <p className="muted" style={{ fontSize: 12 }}>
              {t('ui.transfer.regionalShort')}: {t('ui.transfer.regional')}. {t('ui.transfer.republicanShort')}: {t('ui.transfer.republican')}.
            </p>
            <table className="grid regions" data-testid="regions-table">
              <thead>
                <tr>
                  <th>{t('ui.transfer.region')}</th>
                  <th>{t('ui.transfer.zone')}</th>
                  <th className="num" title={t('ui.transfer.regional')}>{t('ui.transfer.regionalShort')}</th>
                  <th className="num" title={t('ui.transfer.republican')}>{t('ui.transfer.republicanShort')}</th>
                  <th className="num" title={t('ui.transfer.share')}>{t('ui.transfer.shareShort')}</th>
                </tr>
              </thead>
              <tbody>
                {config.data?.regions
                  .slice()
                  .sort((a, b) => ZONES.indexOf(a.zone) - ZONES.indexOf(b.zone))
                  .map((r) => {
                    const s = share.get(r.id);
                    return (
                      <tr key={r.id} className={s?.transfers ? 'selected' : undefined}>
                        <td id={`region-${r.id}`}>{r.name[lang]}</td>
                        <td className="muted">{t(`zones.${r.zone}`)}</td>
                        <td className="num">
                          <input
                            className="num"
                            inputMode="numeric"
                            aria-label={`${r.name[lang]}: ${t('ui.transfer.regional')}`}
                            value={f.regions[r.id]?.regional ?? ''}
                            onChange={(e) => setRegion(r.id, 'regional', e.target.value)}
                            data-testid={`regional-${r.id}`}
                          />
                        </td>
                        <td className="num">
                          <input
                            className="num"
                            inputMode="numeric"
                            aria-label={`${r.name[lang]}: ${t('ui.transfer.republican')}`}
                            value={f.regions[r.id]?.republican ?? ''}
                            onChange={(e) => setRegion(r.id, 'republican', e.target.value)}
                            data-testid={`republican-${r.id}`}
                          />
                        </td>
                        <td className="num" data-testid={`share-${r.id}`}>
                          {s?.sharePercent != null ? `${decimal(s.sharePercent)} %` : t('ui.transfer.noData')}
                          {s?.transfers ? ' ✓' : ''}
                        </td>
                      </tr>
                    );
                  })}
              </tbody>
            </table>
          </div>
          <div>
            <div className="form panel">
              <label>
                {t('ui.transfer.tariff')}
                <input value={f.tariff} inputMode="decimal" onChange={(e) => set({ tariff: e.target.value })} data-testid="tariff" />
              </label>
              <label>
                {t('ui.transfer.listTariffs')}
                <textarea rows={3} value={f.listTariffs} onChange={(e) => set({ listTariffs: e.target.value })} data-testid="list-tariffs" />
              </label>
              <div className="row">
                <label>
                  {t('ui.transfer.casesPerYear')}
                  <input value={f.casesPerYear} inputMode="numeric" onChange={(e) => set({ casesPerYear: e.target.value })} data-testid="cases-per-year" />
                </label>
                <label>
                  {t('ui.transfer.population')}
                  <input value={f.population} inputMode="numeric" onChange={(e) => set({ population: e.target.value })} data-testid="population" />
                </label>
                <label>
                  {t('ui.transfer.lethal')}
                  <input value={f.lethal} inputMode="numeric" onChange={(e) => set({ lethal: e.target.value })} data-testid="lethal" />
                </label>
              </div>
            </div>
            <h3>{t('ui.transfer.resultsTitle')}</h3>
            {evaluation && !evaluation.ok && <ErrorText error={evaluation.error} />}
            {!result && !evaluation && <p className="muted">{t('ui.transfer.incomplete')}</p>}
            {result && (
              <div className="results" aria-live="polite">
                {criterion(
                  'transfer',
                  result.criteria.transfer.met,
                  <>
                    <div>{t('transfer.criteria.transfer.qualifying', { n: result.criteria.transfer.qualifyingCount, min: result.criteria.transfer.minRegions })}</div>
                    <div>{t('transfer.criteria.transfer.zonesCovered', { zones: zoneName(result.criteria.transfer.zonesCovered) })}</div>
                    {result.criteria.transfer.zonesMissing.length > 0 && (
                      <div>{t('transfer.criteria.transfer.zonesMissing', { zones: zoneName(result.criteria.transfer.zonesMissing) })}</div>
                    )}
                    <div className="muted" style={{ fontSize: 12 }}>
                      {result.criteria.transfer.qualifyingRegions.map(regionName).join(', ')}
                    </div>
                  </>,
                )}
                {criterion(
                  'cost',
                  result.criteria.cost.met,
                  t('transfer.criteria.cost.values', {
                    tariff: t('ui.transfer.tenge', { amount: tenge(result.criteria.cost.tariff) }),
                    mean: t('ui.transfer.tenge', { amount: tenge(result.criteria.cost.meanTariff) }),
                    n: result.criteria.cost.listCount,
                  }),
                )}
                {criterion('rarity', result.criteria.rarity.met, t('transfer.criteria.rarity.values', { rate: decimal(result.criteria.rarity.perHundredThousand) }))}
                {criterion(
                  'outcomes',
                  result.criteria.outcomes.met,
                  t('transfer.criteria.outcomes.values', { share: result.criteria.outcomes.sharePercent === null ? '—' : decimal(result.criteria.outcomes.sharePercent) }),
                )}
                <p className={result.leavesList ? 'verdict-in' : 'verdict-out'} data-testid="transfer-verdict" data-met={result.metCount}>
                  {result.leavesList ? t('transfer.verdict.leaves') : t('transfer.verdict.stays', { met: result.metCount })}
                </p>
              </div>
            )}
          </div>
        </div>
      </form>

      <section className="panel" style={{ marginTop: 14 }} aria-labelledby="csv-title">
        <h3 id="csv-title">{t('ui.csv.title')}</h3>
        <p className="muted" style={{ fontSize: 12 }}>
          {t('ui.csv.help')}
        </p>
        <details style={{ fontSize: 12 }}>
          <summary>{t('ui.csv.regionIds')}</summary>
          <p className="mono">{config.data?.regions.map((r) => `${r.id} — ${r.name[lang]}`).join('; ')}</p>
        </details>
        <div style={{ marginTop: 6 }}>
          <FileInput label={t('ui.csv.file')} accept=".csv,text/csv,text/plain" onChange={(f) => void importFile(f ?? undefined)} testId="csv-file" />
        </div>
        {csv && csv.errors.length === 0 && (
          <p role="status" className="ok" data-testid="csv-result">
            {t('ui.csv.done', { n: csv.imported })}
          </p>
        )}
        {csv && csv.errors.length > 0 && (
          <>
            <p role="alert" className="error" data-testid="csv-result">
              {t('ui.csv.failed', { n: csv.errors.length })}
            </p>
            <table className="grid" data-testid="csv-errors">
              <thead>
                <tr>
                  <th className="num">{t('ui.csv.row')}</th>
                  <th>{t('ui.csv.message')}</th>
                </tr>
              </thead>
              <tbody>
                {csv.errors.map((e, i) => (
                  <tr key={i}>
                    <td className="num">{e.row}</td>
                    <td>{errorMessage(e.error)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>

      {saved.data && saved.data.length > 0 && (
        <section style={{ marginTop: 14 }} aria-labelledby="saved-title">
          <h3 id="saved-title">{t('ui.transfer.savedList')}</h3>
          <table className="grid" data-testid="saved-inputs">
            <thead>
              <tr>
                <th>{t('ui.transfer.code')}</th>
                <th>{t('ui.transfer.year')}</th>
                <th className="num">{t('ui.report.metCount')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {saved.data.map((r) => (
                <tr key={r.id}>
                  <td>{r.input.code}</td>
                  <td>{r.input.year}</td>
                  <td className="num">{r.result ? `${r.result.metCount} / 4` : '—'}</td>
                  <td>
                    <button
                      type="button"
                      onClick={() => {
                        setF(fieldsFrom(r.input));
                        navigate('scoring', 'transfer', r.input.code, String(r.input.year));
                      }}
                    >
                      {t('ui.transfer.open')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
