import { describe, expect, it } from 'vitest';
import kzJson from '../../../assets/calendar/kz.json';
import routesJson from '../../../assets/abroad/routes.json';
import { parseCalendar, type WorkCalendar } from '../../../shared/domain/calendar';
import {
  ABROAD_CATEGORIES,
  ageOn,
  CATEGORY_CONFIRMATIONS,
  checkEligibility,
  computeSchedule,
  DISEASE_GROUPS,
  parseRoutes,
  routeInForce,
  snapshotRoute,
  workingDaysBetween,
  type RoutesDocument,
} from '../../../shared/domain/abroad';

const cal = parseCalendar(kzJson);
if (!cal.ok) throw new Error(cal.error);
const kz: WorkCalendar = cal.value;
const parsed = parseRoutes(routesJson);
if (!parsed.ok) throw new Error(parsed.error);
const routes: RoutesDocument = parsed.value;
const current = routes.routes.find((r) => r.id === 'current')!;
const proposed = routes.routes.find((r) => r.id === 'proposed')!;

const allConfirmed = (category: 'child' | 'service_injury') => Object.fromEntries(CATEGORY_CONFIRMATIONS[category].map((c) => [c, true]));

describe('eligibility: every disease group with every category', () => {
  for (const group of DISEASE_GROUPS) {
    for (const category of ABROAD_CATEGORIES) {
      it(`${group} / ${category} qualifies when confirmed`, () => {
        const r = checkEligibility({
          category,
          diseaseGroup: group,
          birthDate: category === 'child' ? '2015-06-01' : '1985-02-10',
          startedOn: '2026-03-02',
          transplantKind: group === 'transplantation' ? 'organ' : null,
          confirmations: allConfirmed(category),
        });
        expect(r.refusals).toEqual([]);
        expect(r.qualifies).toBe(true);
        expect(r.complete).toBe(true);
        expect(r.required).toEqual([...CATEGORY_CONFIRMATIONS[category]]);
      });
    }
  }

  it('confirmations not given yet are pending, not refusals', () => {
    const r = checkEligibility({ category: 'service_injury', diseaseGroup: 'skull_base', birthDate: '1980-01-01', startedOn: '2026-03-02', confirmations: { service_staff: true } });
    expect(r.qualifies).toBe(true);
    expect(r.complete).toBe(false);
    expect(r.pending).toEqual(['severe_injury_on_duty', 'instruction', 'methods_exhausted']);
  });

  it('the child category needs indications; service injuries need the four conditions of the text', () => {
    expect(CATEGORY_CONFIRMATIONS.child).toEqual(['indications']);
    expect(CATEGORY_CONFIRMATIONS.service_injury).toEqual(['service_staff', 'severe_injury_on_duty', 'instruction', 'methods_exhausted']);
  });
});

describe('eligibility refusals, each with its reason', () => {
  const base = { category: 'child', diseaseGroup: 'keratoprosthesis', birthDate: '2012-05-05', startedOn: '2026-03-02', confirmations: { indications: true } };

  it('a disease outside the eight groups', () => {
    const r = checkEligibility({ ...base, diseaseGroup: 'cardiac_surgery' });
    expect(r.qualifies).toBe(false);
    expect(r.refusals).toEqual([{ reason: 'group', params: { group: 'cardiac_surgery' } }]);
  });

  it('a category outside the two (an adult civilian)', () => {
    const r = checkEligibility({ ...base, category: 'adult', birthDate: '1970-01-01' });
    expect(r.refusals.map((x) => x.reason)).toEqual(['category']);
  });

  it('a child who turned 18 before the request started; the day before the 18th birthday still qualifies', () => {
    expect(checkEligibility({ ...base, birthDate: '2008-03-02' }).refusals).toEqual([{ reason: 'age', params: { age: 18, limit: 18 } }]);
    expect(checkEligibility({ ...base, birthDate: '2008-03-03' }).qualifies).toBe(true);
    expect(ageOn('2008-03-03', '2026-03-02')).toBe(17);
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
  });

  it('a child without a birth date, or born after the start', () => {
    expect(checkEligibility({ ...base, birthDate: null }).refusals.map((x) => x.reason)).toEqual(['birth_date']);
    expect(checkEligibility({ ...base, birthDate: '2026-04-01' }).refusals.map((x) => x.reason)).toEqual(['birth_date']);
  });

  it('autologous and related bone-marrow transplants are excluded; unrelated, organ and tissue are not', () => {
    const t = (kind: string | null) => checkEligibility({ ...base, diseaseGroup: 'transplantation', transplantKind: kind });
    expect(t('bone_marrow_autologous').refusals).toEqual([{ reason: 'transplant', params: { kind: 'bone_marrow_autologous' } }]);
    expect(t('bone_marrow_related').refusals).toEqual([{ reason: 'transplant', params: { kind: 'bone_marrow_related' } }]);
    for (const k of ['bone_marrow_unrelated', 'organ', 'tissue']) expect(t(k).complete).toBe(true);
    expect(t(null).pending).toEqual(['transplant_kind']);
  });

  it('a condition stated as not met refuses (methods in Kazakhstan not exhausted)', () => {
    const r = checkEligibility({ category: 'service_injury', diseaseGroup: 'trachea_stenosis', birthDate: '1990-01-01', startedOn: '2026-03-02', confirmations: { ...allConfirmed('service_injury'), methods_exhausted: false } });
    expect(r.refusals).toEqual([{ reason: 'confirmation', params: { confirmation: 'methods_exhausted' } }]);
  });

  it('an adult of the service category has no age limit', () => {
    const r = checkEligibility({ category: 'service_injury', diseaseGroup: 'larynx_stenosis', birthDate: '1960-01-01', startedOn: '2026-03-02', confirmations: allConfirmed('service_injury') });
    expect(r.complete).toBe(true);
    expect(r.ageYears).toBe(66);
  });
});

describe('the shipped routes', () => {
  it('the current route: nine steps, 1+3+4+3+1+15+2+5+10 = 44 working days', () => {
    expect(current.steps.map((s) => s.workingDays)).toEqual([1, 3, 4, 3, 1, 15, 2, 5, 10]);
    expect(current.steps.map((s) => s.actor)).toEqual(['medical_org', 'health_authority', 'working_body', 'chief_specialist', 'working_body', 'foreign_clinics', 'working_body', 'ministry_commission', 'working_body']);
    expect(current.totalWorkingDays).toBe(44);
    expect(current.steps[1]!.letter).toBe('petition');
    expect(current.steps.filter((s) => s.letter === 'cover_letter').map((s) => s.n)).toEqual([3, 5, 7, 9]);
  });

  it('the proposed route: seven steps, up to 37 working days, not in force', () => {
    expect(proposed.steps.map((s) => s.workingDays)).toEqual([1, 3, 2, 15, 1, 5, 10]);
    expect(proposed.totalWorkingDays).toBe(37);
    expect(proposed.inForce).toBeNull();
    expect(routeInForce(routes, '2026-03-02')?.id).toBe('current');
  });

  it('refuses a broken document with the path of the fault', () => {
    const bad = JSON.parse(JSON.stringify(routesJson)) as { routes: { totalWorkingDays: number; steps: { actor: string }[] }[] };
    bad.routes[0]!.totalWorkingDays = 45;
    expect(parseRoutes(bad)).toEqual({ ok: false, error: 'routes[0].totalWorkingDays: the steps add up to 44' });
    const bad2 = JSON.parse(JSON.stringify(routesJson)) as typeof bad;
    bad2.routes[0]!.steps[3]!.actor = 'nobody';
    expect(parseRoutes(bad2)).toMatchObject({ ok: false, error: 'routes[0].steps[3].actor: unknown actor' });
  });
});

describe('each step due date on the 2026 calendar', () => {
  const none = new Map<number, string>();

  it('current route started Mon 2 March 2026, each step completed on its due date', () => {
    // 9 March is off (8 March was a Sunday), 21-25 March Nauryz, 1, 7 and 11 May.
    const expected = ['2026-03-03', '2026-03-06', '2026-03-13', '2026-03-18', '2026-03-19', '2026-04-14', '2026-04-16', '2026-04-23', '2026-05-12'];
    const done = new Map(expected.map((d, i) => [i + 1, d]));
    const s = computeSchedule(current, '2026-03-02', done, '2026-06-01', kz);
    expect(s.steps.map((x) => x.due)).toEqual(expected);
    expect(s.steps.every((x) => x.state === 'done' && !x.late)).toBe(true);
    expect(s.routeDue).toBe('2026-05-12');
    expect(s.elapsedDays).toBe(44);
    expect(s.done).toBe(true);
    expect(s.calendarConfirmed).toBe(true);
    // Planned from the start, the same dates come out.
    expect(computeSchedule(current, '2026-03-02', none, '2026-03-02', kz).steps.map((x) => x.due)).toEqual(expected);
  });

  it('proposed route from the same day: up to 37 working days, due 28 April', () => {
    const s = computeSchedule(proposed, '2026-03-02', none, '2026-03-02', kz);
    expect(s.steps.map((x) => x.due)).toEqual(['2026-03-03', '2026-03-06', '2026-03-11', '2026-04-06', '2026-04-07', '2026-04-14', '2026-04-28']);
    expect(s.routeDue).toBe('2026-04-28');
  });

  it('a late step shifts the rest and is counted in working days', () => {
    const s = computeSchedule(current, '2026-03-02', new Map([[1, '2026-03-05']]), '2026-03-20', kz);
    expect(s.steps[0]).toMatchObject({ state: 'done', due: '2026-03-03', late: true, lateDays: 2, usedDays: 3 });
    expect(s.steps[1]).toMatchObject({ state: 'current', start: '2026-03-05', due: '2026-03-11', late: true, lateDays: 7 });
    expect(s.currentStep).toBe(2);
    expect(s.lateSteps).toBe(2);
    // The next step is planned from today, not from the passed due date.
    expect(s.steps[2]).toMatchObject({ state: 'planned', start: '2026-03-20', due: '2026-03-31' });
  });

  it('Kurban Ait (27 May), Capital Day (6 July), 31 August, 26 October and 16 December are not working days', () => {
    const step = (start: string, n: number) => computeSchedule({ steps: [{ ...current.steps[0]!, workingDays: n }], totalWorkingDays: n }, start, none, start, kz).steps[0]!.due;
    expect(step('2026-05-26', 1)).toBe('2026-05-28');
    expect(step('2026-07-03', 1)).toBe('2026-07-07');
    expect(step('2026-08-28', 1)).toBe('2026-09-01');
    expect(step('2026-10-23', 1)).toBe('2026-10-27');
    expect(step('2026-12-15', 1)).toBe('2026-12-17');
    expect(workingDaysBetween('2026-03-20', '2026-03-27', kz)).toBe(2);
  });

  it('a route running into an unconfirmed year says so', () => {
    const s = computeSchedule(current, '2026-12-01', none, '2026-12-01', kz);
    expect(s.routeDue > '2027-01-01').toBe(true);
    expect(s.calendarConfirmed).toBe(false);
    expect(s.unconfirmedYears).toContain(2027);
    // Each step says whether its own due date was counted on a confirmed year.
    expect(s.steps[0]).toMatchObject({ due: '2026-12-02', calendarConfirmed: true });
    expect(s.steps[8]!.calendarConfirmed).toBe(false);
  });
});

describe('a request keeps the route version in force when it started', () => {
  // A later version of the route (e.g. the proposal adopted from 1 July 2026).
  const next = JSON.parse(JSON.stringify(routesJson)) as { routes: Record<string, unknown>[] };
  next.routes[0]!.inForce = { from: null, to: '2026-06-30' };
  next.routes.push({ ...next.routes[1]!, id: 'current', version: 2, status: 'current', inForce: { from: '2026-07-01', to: null } });
  const v2 = parseRoutes(next);
  if (!v2.ok) throw new Error(v2.error);

  it('the route in force depends on the start date', () => {
    expect(routeInForce(v2.value, '2026-06-30')).toMatchObject({ id: 'current', version: 1, totalWorkingDays: 44 });
    expect(routeInForce(v2.value, '2026-07-01')).toMatchObject({ id: 'current', version: 2, totalWorkingDays: 37 });
  });

  it('the snapshot a request keeps is unaffected by later changes to the document', () => {
    const snap = snapshotRoute(v2.value, routeInForce(v2.value, '2026-05-04')!);
    v2.value.routes[0]!.steps[0]!.workingDays = 99;
    v2.value.actors.medical_org!.ru = 'changed';
    expect(snap.steps[0]!.workingDays).toBe(1);
    expect(snap.actors.medical_org!.ru).toBe('Медицинская организация (МО)');
    expect(snap.version).toBe(1);
  });

  it('overlapping routes in force are refused', () => {
    const clash = JSON.parse(JSON.stringify(next)) as typeof next;
    (clash.routes[2] as { inForce: unknown }).inForce = { from: '2026-06-01', to: null };
    expect(parseRoutes(clash)).toMatchObject({ ok: false });
  });
});
