import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCalendar, type WorkCalendar } from '../../../shared/domain/calendar';
import {
  applicationWindow,
  assessmentDue,
  checkTiming,
  conclusionValidity,
  daysLeft,
  longRepairFrom,
  matchDeviceName,
  matchSpecialty,
  preAssess,
  reissueDue,
  summarize,
  updateDue,
  type ApplicationData,
  type DeviceEntry,
  type StaffEntry,
} from '../../../shared/domain/conformity';
import { deriveCatalogueRequirements, type CharacteristicsFile, type DeviceRequirement, type EntryRequirements, type RequirementsCorrection } from '../../../shared/domain/requirements';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const file = JSON.parse(fs.readFileSync(path.join(root, 'assets/catalogue/characteristics.json'), 'utf8')) as CharacteristicsFile;
const corrections = (JSON.parse(fs.readFileSync(path.join(root, 'assets/catalogue/requirements-corrections.json'), 'utf8')) as { corrections: RequirementsCorrection[] }).corrections;
const all = deriveCatalogueRequirements(file, corrections).entries;
const req = (code: string): EntryRequirements => all.find((e) => e.code === code)!;
const calendar = (() => {
  const r = parseCalendar(JSON.parse(fs.readFileSync(path.join(root, 'assets/calendar/kz.json'), 'utf8')) as unknown);
  if (!r.ok) throw new Error(r.error);
  return r.value as WorkCalendar;
})();

const ON = '2026-10-01';
const surgeon = (over: Partial<StaffEntry> = {}): StaffEntry => ({
  name: 'Сейітов Ә.',
  specialty: 'Кардиохирургия (ересектер, балалар)',
  years: 8,
  trainingHours: 120,
  trainingDate: '2024-03-01',
  operationsPerYear: 70,
  ...over,
});
/** Every device of an entry, one (or as many as required) of each, in service. */
const devicesOf = (code: string): DeviceEntry[] =>
  req(code).devices.filter((d): d is DeviceRequirement => d.kind === 'device').flatMap((d, i) => Array.from({ length: d.count }, (_x, k) => ({ name: d.name, model: 'M', serial: `S-${i}-${k}`, inService: true })));
const status = (code: string, data: ApplicationData, id: string, on = ON) => preAssess(req(code), data, on).find((i) => i.requirementId === id)!;

describe('pre-assessment: each kind of requirement met and not met', () => {
  const full = (staff: StaffEntry[] = [surgeon()], devices = devicesOf('35.11')): ApplicationData => ({ staff, devices, permits: [] });

  it('35.11 fully staffed and equipped: every requirement met, with who counted', () => {
    const items = preAssess(req('35.11'), full(), ON);
    expect(items.map((i) => i.status)).toEqual(items.map(() => 'met'));
    expect(items[0]!.matched).toEqual(['Сейітов Ә.']);
    expect(summarize(items.map((i) => i.status))).toBe('met');
  });

  it('specialty: absent -> not met naming the specialties; only the base name -> by hand', () => {
    expect(status('35.11', full([]), 's1')).toMatchObject({ status: 'not_met', reasons: [{ code: 'no_specialist' }] });
    expect(status('35.11', full([surgeon({ specialty: 'Педиатрия' })]), 's1').status).toBe('not_met');
    expect(status('35.11', full([surgeon({ specialty: 'кардиохирургия' })]), 's1').status).toBe('manual');
    // Folded like the catalogue: Latin look-alike letters and case do not matter.
    expect(status('35.11', full([surgeon({ specialty: '"KАРДИОХИРУРГИЯ (ересектер, балалар)"' })]), 's1').status).toBe('met');
  });

  it('years of experience', () => {
    expect(status('35.11', full([surgeon({ years: 5 })]), 's1').status).toBe('met');
    expect(status('35.11', full([surgeon({ years: 4 })]), 's1')).toMatchObject({ status: 'not_met', reasons: [{ code: 'years_short', params: { years: 4, min: 5 } }] });
    expect(status('35.11', full([surgeon({ years: null })]), 's1').reasons[0]!.code).toBe('years_missing');
  });

  it('hours of training within the last N years', () => {
    expect(status('35.11', full([surgeon({ trainingHours: 107 })]), 's1').reasons[0]).toMatchObject({ code: 'training_short', params: { hours: 107, min: 108 } });
    // 5 years back from 2026-10-01: 2021-10-01 is in, 2021-09-30 is out.
    expect(status('35.11', full([surgeon({ trainingDate: '2021-10-01' })]), 's1').status).toBe('met');
    expect(status('35.11', full([surgeon({ trainingDate: '2021-09-30' })]), 's1').reasons[0]!.code).toBe('training_too_old');
    expect(status('35.11', full([surgeon({ trainingDate: '2026-10-02' })]), 's1').reasons[0]!.code).toBe('training_date_future');
    expect(status('35.11', full([surgeon({ trainingDate: null })]), 's1').reasons[0]!.code).toBe('training_date_missing');
  });

  it('operations per year', () => {
    expect(status('35.11', full([surgeon({ operationsPerYear: 50 })]), 's1').status).toBe('met');
    expect(status('35.11', full([surgeon({ operationsPerYear: 49 })]), 's1').reasons[0]).toMatchObject({ code: 'operations_short', params: { operations: 49, min: 50 } });
  });

  it('the number of specialists (00.93 needs two transplant surgeons)', () => {
    const t = (name: string): StaffEntry => ({ name, specialty: 'Жалпы хирургия (трансплантология)', years: 4, trainingHours: 108, trainingDate: '2025-01-10', operationsPerYear: null });
    const devices = devicesOf('00.93');
    expect(status('00.93', { staff: [t('А')], devices }, 's1')).toMatchObject({ status: 'not_met', reasons: expect.arrayContaining([{ code: 'staff_count', params: { found: 1, count: 2 } }]) });
    expect(status('00.93', { staff: [t('А'), t('Б')], devices }, 's1').status).toBe('met');
  });

  it('alternatives: 38.34 is met by an angiosurgeon, or by a cardiac surgeon with 100 operations (the uncertain conditions go to a person)', () => {
    const devices = devicesOf('38.34');
    const angio: StaffEntry = { name: 'А', specialty: 'Ангиохирургия (рентгенохирургия, интервенциялық хирургия) (ересектер, балалар)', years: 6, trainingHours: 108, trainingDate: '2025-02-01', operationsPerYear: null };
    expect(status('38.34', { staff: [angio], devices }, 's1').status).toBe('met');
    expect(status('38.34', { staff: [surgeon({ operationsPerYear: 120 })], devices }, 's1').status).toBe('met');
    expect(status('38.34', { staff: [surgeon({ operationsPerYear: 90 })], devices }, 's1').status).toBe('not_met');
    // Only the years, which may or may not apply to the cardiac surgeon, fail: checked by hand.
    expect(status('38.34', { staff: [surgeon({ operationsPerYear: 120, years: 3 })], devices }, 's1').status).toBe('manual');
  });

  it('devices: a count, out of order, missing; unplaced devices make a missing one a check by hand', () => {
    const devices = devicesOf('00.93');
    const staff: StaffEntry[] = [];
    expect(status('00.93', { staff, devices }, 'd1').status).toBe('met');
    const one = devices.filter((d) => d.name !== 'Гемодиализ және гемодиасүзгілеу үшін аппарат').concat([{ ...devices[0]!, serial: 'x' }]);
    expect(status('00.93', { staff, devices: one }, 'd1')).toMatchObject({ status: 'not_met', reasons: [{ code: 'device_count', params: { found: 1, count: 2 } }] });
    const broken = devices.map((d, i) => (i === 0 ? { ...d, inService: false } : d));
    expect(status('00.93', { staff, devices: broken }, 'd1')).toMatchObject({ status: 'not_met', reasons: [{ code: 'device_out_of_order' }, { code: 'device_count' }] });
    const later = devices.map((d, i) => (i === 0 ? { ...d, outOfOrderSince: '2026-12-01' } : d));
    expect(status('00.93', { staff, devices: later }, 'd1').status).toBe('met');
    const without = devices.filter((d) => d.name !== 'ангиограф');
    expect(status('00.93', { staff, devices: without }, 'd4')).toMatchObject({ status: 'not_met', reasons: [{ code: 'device_missing' }] });
    const renamed = [...without, { name: 'Ангиографиялық жүйе Artis', model: 'Artis', serial: '1', inService: true }];
    expect(status('00.93', { staff, devices: renamed }, 'd4')).toMatchObject({ status: 'manual', reasons: [{ code: 'device_missing' }, { code: 'device_unplaced' }] });
    // A surplus device of a met requirement is not "unplaced": the missing one stays not met.
    const surplus = [...without, { ...devices[0]!, serial: 'extra' }];
    expect(status('00.93', { staff, devices: surplus }, 'd4').status).toBe('not_met');
    // Linked by the form to the requirement, the renamed device counts.
    const linked = [...without, { name: 'Ангиографиялық жүйе Artis', model: 'Artis', serial: '1', inService: true, requirement: 'd4' }];
    expect(status('00.93', { staff, devices: linked }, 'd4').status).toBe('met');
  });

  it('permits: valid, expired, absent, not declared (a file without permits)', () => {
    const staff: StaffEntry[] = [{ name: 'К', specialty: 'Кардиология (интервенциялық аритмология) (ересектер)', years: 4, trainingHours: 108, trainingDate: '2024-01-01', operationsPerYear: null }];
    const devices = devicesOf('00.50');
    expect(status('00.50', { staff, devices, permits: [{ kind: 'ionizing_radiation', number: 'R-1', validUntil: '2027-01-01' }] }, 'p1').status).toBe('met');
    expect(status('00.50', { staff, devices, permits: [{ kind: 'ionizing_radiation', number: 'R-1', validUntil: '2026-09-30' }] }, 'p1').reasons[0]!.code).toBe('permit_expired');
    expect(status('00.50', { staff, devices, permits: [] }, 'p1').reasons[0]!.code).toBe('permit_missing');
    expect(status('00.50', { staff, devices }, 'p1').status).toBe('manual');
  });

  it('what the text leaves to people: education, joint specialties, contracts, footnotes, unstructured pieces', () => {
    const devices = devicesOf('69.921');
    const embryologist: StaffEntry = { name: 'Э', specialty: 'Биология', years: 2, trainingHours: 108, trainingDate: '2025-01-01', operationsPerYear: null };
    // Education is matched only for a person declared for the requirement.
    expect(status('69.921', { staff: [embryologist], devices }, 's3').status).toBe('manual');
    expect(status('69.921', { staff: [embryologist], devices }, 's3').reasons[0]!.code).toBe('education_no_link');
    expect(status('69.921', { staff: [{ ...embryologist, requirement: 's3' }], devices }, 's3').reasons[0]!.code).toBe('education_by_hand');
    expect(status('69.921', { staff: [{ ...embryologist, requirement: 's3', trainingHours: 50 }], devices }, 's3').status).toBe('not_met');
    expect(status('69.921', { staff: [], devices }, 'm1').status).toBe('manual');
    const onc: StaffEntry = { name: 'О', specialty: 'Онкология', years: 6, trainingHours: 108, trainingDate: '2025-01-01', operationsPerYear: null };
    expect(status('92.201', { staff: [onc], devices: [] }, 's4').reasons[0]!.code).toBe('joint_by_hand');
    expect(status('55.5016', { staff: [], devices: [] }, 's2').reasons.at(-1)!.code).toBe('otherwise_by_hand');
    const uro: StaffEntry = { name: 'У', specialty: 'Урология және андрология (ересектер, балалар)', years: 12, trainingHours: 108, trainingDate: '2025-01-01', operationsPerYear: null };
    expect(status('55.5016', { staff: [uro], devices: [] }, 's1')).toMatchObject({ status: 'manual', reasons: [{ code: 'staff_ok' }, { code: 'manual_part' }] });
  });

  it('a person counts once: 20.95 needs two ENT specialists', () => {
    const ent = (name: string): StaffEntry => ({ name, specialty: 'Оториноларингология (сурдология) (ересектер, балалар)', years: 11, trainingHours: null, trainingDate: null, operationsPerYear: null });
    expect(status('20.95', { staff: [ent('А')], devices: [] }, 's2').status).toBe('not_met');
    expect(status('20.95', { staff: [ent('А'), ent('Б')], devices: [] }, 's2').status).toBe('met');
  });

  it('a code without characteristics is assessed by hand', () => {
    expect(preAssess(null, { staff: [], devices: [] }, ON)).toEqual([expect.objectContaining({ status: 'manual', reasons: [{ code: 'no_characteristics', params: {} }] })]);
  });

  it('matching helpers', () => {
    const alt = req('00.50').staff[0]!;
    if (alt.kind !== 'staff') throw new Error();
    expect(matchSpecialty('Кардиология (интервенциялық аритмология) (балалар)', alt.alternatives[0]!)).toBe('exact');
    expect(matchSpecialty('Кардиология', alt.alternatives[0]!)).toBe('base');
    expect(matchDeviceName('ЦЕРЕБРАЛДЫҚ оксиметр', 'Церебралдық оксиметр немесе транскраниалдық допплер')).toBe(true);
    expect(matchDeviceName('оксиметр', 'Церебралдық оксиметр немесе транскраниалдық допплер')).toBe(false);
  });
});

describe('dates of points 23, 24, 26, 29, 30', () => {
  it('the filing window for next year is 15 September - 15 October, both days included', () => {
    expect(applicationWindow(2027)).toEqual({ from: '2026-09-15', to: '2026-10-15' });
    expect(checkTiming({ year: 2027, receivedOn: '2026-09-15', firstTime: false })).toBeNull();
    expect(checkTiming({ year: 2027, receivedOn: '2026-10-15', firstTime: false })).toBeNull();
    expect(checkTiming({ year: 2027, receivedOn: '2026-10-16', firstTime: false })).toMatchObject({ code: 'conformity.outside_window', params: { from: '2026-09-15', to: '2026-10-15', year: 2027 } });
    expect(checkTiming({ year: 2027, receivedOn: '2026-09-14', firstTime: true })?.code).toBe('conformity.outside_window');
  });
  it('a first-time applicant applies for the current year on any day; others may not', () => {
    expect(checkTiming({ year: 2026, receivedOn: '2026-03-03', firstTime: true })).toBeNull();
    expect(checkTiming({ year: 2026, receivedOn: '2026-03-03', firstTime: false })?.code).toBe('conformity.outside_window');
    expect(checkTiming({ year: 2028, receivedOn: '2026-10-01', firstTime: false })?.code).toBe('conformity.year_not_open');
    expect(checkTiming({ year: 2025, receivedOn: '2026-10-01', firstTime: true })?.code).toBe('conformity.year_not_open');
  });
  it('assessment within 30 calendar days; validity of the year (a first-time current-year one from registration)', () => {
    expect(assessmentDue('2026-09-20')).toBe('2026-10-20');
    expect(assessmentDue('2026-10-15')).toBe('2026-11-14');
    expect(daysLeft('2026-10-18', '2026-10-20')).toBe(2);
    expect(daysLeft('2026-10-22', '2026-10-20')).toBe(-2);
    expect(conclusionValidity({ year: 2027, receivedOn: '2026-09-20', firstTime: false })).toEqual({ from: '2027-01-01', to: '2027-12-31' });
    expect(conclusionValidity({ year: 2026, receivedOn: '2026-03-03', firstTime: true })).toEqual({ from: '2026-03-03', to: '2026-12-31' });
  });
  it('point 29: ten working days after the event (holidays skipped); point 30: thirty calendar days', () => {
    // Fri 20 Mar 2026: Sat 21 to Wed 25 are off (Nauryz); 26, 27, 30, 31 Mar, 1-3, 6-8 Apr.
    expect(updateDue('2026-03-20', calendar).due).toBe('2026-04-08');
    expect(updateDue('2026-06-01', calendar).due).toBe('2026-06-15');
    expect(reissueDue('2026-01-20')).toBe('2026-02-19');
    expect(longRepairFrom('2026-11-30')).toBe('2027-02-28');
  });
});
