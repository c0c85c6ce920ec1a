import type { AbroadSummary } from '../../../shared/contract/abroad';
import { formatRequestNumber, type DiseaseGroup } from '../../../shared/domain/abroad';
import type { AbroadSummaryDoc } from '../../../shared/domain/abroad-documents';
import { kzNow } from '../../../shared/domain/kz-time';
import { kzToday } from '../cases/calendar';
import type { CoreContext } from '../context';
import { both, namesOf } from './letters';
import { allLoaded, personName, scheduleOf } from './requests';

// Treatment abroad: the yearly summary (requests by group and category, each route step's
// completion and lateness) and its printable document.

export function summary(ctx: CoreContext, year: number, today: string = kzToday()): AbroadSummary {
  const loaded = allLoaded(ctx, 'WHERE year = ?', [year]);
  const byGroup = (['gamma_knife_brain', 'vascular_endovascular', 'skull_base', 'eye_malignant', 'keratoprosthesis', 'transplantation', 'larynx_stenosis', 'trachea_stenosis'] as DiseaseGroup[]).map((group) => {
    const child = loaded.filter((l) => l.r.disease_group === group && l.r.category === 'child').length;
    const service = loaded.filter((l) => l.r.disease_group === group && l.r.category === 'service_injury').length;
    return { group, child, service_injury: service, total: child + service };
  });
  const stepStats = new Map<string, AbroadSummary['steps'][number] & { used: number[] }>();
  const late: AbroadSummary['late'] = [];
  let withinNorm = 0;
  let overNorm = 0;
  const toContract: number[] = [];
  for (const l of loaded) {
    const s = scheduleOf(ctx, l, today);
    for (const st of s.steps) {
      const key = `${l.route.id}@${l.route.version}#${st.n}`;
      let e = stepStats.get(key);
      if (!e) {
        e = { routeId: l.route.id, routeVersion: l.route.version, n: st.n, actor: l.route.actors[st.actor]!, norm: st.workingDays, completed: 0, meanDays: null, maxDays: null, late: 0, used: [] };
        stepStats.set(key, e);
      }
      if (st.state === 'done') {
        e.completed++;
        e.used.push(st.usedDays ?? 0);
      }
      if (st.late) {
        e.late++;
        late.push({ requestId: l.r.id, number: formatRequestNumber(l.r.seq, l.r.year), patientName: personName(l.r), n: st.n, actor: l.route.actors[st.actor]!, due: st.due, completedOn: st.completedOn, lateDays: st.lateDays });
      }
    }
    if (s.done) {
      toContract.push(s.elapsedDays);
      if (s.elapsedDays <= l.route.totalWorkingDays) withinNorm++;
      else overNorm++;
    }
  }
  const steps = [...stepStats.values()]
    .sort((a, b) => a.routeId.localeCompare(b.routeId) || a.routeVersion - b.routeVersion || a.n - b.n)
    .map(({ used, ...e }) => ({ ...e, meanDays: used.length ? used.reduce((a, b) => a + b, 0) / used.length : null, maxDays: used.length ? Math.max(...used) : null }));
  return {
    year,
    today,
    total: loaded.length,
    contracted: loaded.filter((l) => l.r.contract_date !== null || l.completions.size === l.route.steps.length).length,
    byGroup,
    steps,
    late: late.sort((a, b) => a.due.localeCompare(b.due) || a.number.localeCompare(b.number)),
    route: { withinNorm, overNorm, meanDaysToContract: toContract.length ? toContract.reduce((a, b) => a + b, 0) / toContract.length : null },
  };
}

export function summaryDoc(ctx: CoreContext, s: AbroadSummary): AbroadSummaryDoc {
  const names = namesOf(ctx);
  const mean = (v: number | null) => (v === null ? '—' : v.toFixed(1).replace('.', ','));
  return {
    kind: 'abroad_summary',
    year: s.year,
    asOf: s.today,
    authority: names.authority,
    commission: names.commission,
    total: s.total,
    contracted: s.contracted,
    byGroup: s.byGroup.map((g) => ({ group: both(`groups.${g.group}.short`), child: g.child, service_injury: g.service_injury, total: g.total })),
    steps: s.steps.map((x) => ({ route: `${x.routeId} v${x.routeVersion}`, n: x.n, actor: x.actor, norm: x.norm, completed: x.completed, mean: mean(x.meanDays), max: x.maxDays === null ? '—' : String(x.maxDays), late: x.late })),
    late: s.late.map((x) => ({ number: x.number, patientName: x.patientName, n: x.n, actor: x.actor, due: x.due, completedOn: x.completedOn, lateDays: x.lateDays })),
    route: { withinNorm: s.route.withinNorm, overNorm: s.route.overNorm, meanDaysToContract: mean(s.route.meanDaysToContract) },
    generatedAt: kzNow(),
  };
}

