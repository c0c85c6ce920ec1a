import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  allRequirements,
  deriveCatalogueRequirements,
  deriveRequirements,
  parseSpecialties,
  type CharacteristicsFile,
  type EntryRequirements,
  type RequirementsCorrection,
  type StaffRequirement,
} from '../../../shared/domain/requirements';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const characteristics = JSON.parse(fs.readFileSync(path.join(root, 'assets/catalogue/characteristics.json'), 'utf8')) as CharacteristicsFile;
const corrections = (JSON.parse(fs.readFileSync(path.join(root, 'assets/catalogue/requirements-corrections.json'), 'utf8')) as { corrections: RequirementsCorrection[] }).corrections;
const derived = deriveCatalogueRequirements(characteristics, corrections);
const byCode = new Map(derived.entries.map((e) => [e.code, e]));
const entry = (code: string): EntryRequirements => byCode.get(code)!;
const staffOf = (code: string): StaffRequirement[] => entry(code).staff.filter((r): r is StaffRequirement => r.kind === 'staff');
const textOf = (code: string) => characteristics.entries.find((e) => e.code === code)!;

describe('requirements derived from the verbatim characteristics (all 78 entries)', () => {
  it('covers every entry, in order, and is what assets/catalogue/requirements.json holds (regenerate with scripts/catalogue/derive-requirements.mjs)', () => {
    expect(derived.entries).toHaveLength(78);
    expect(derived.entries.map((e) => e.code)).toEqual(characteristics.entries.map((e) => e.code));
    const committed = JSON.parse(fs.readFileSync(path.join(root, 'assets/catalogue/requirements.json'), 'utf8')) as unknown;
    expect(JSON.parse(JSON.stringify(derived))).toEqual(committed);
  });

  it('the script writes exactly the committed file (same bytes)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-req-test-'));
    try {
      const a = path.join(dir, 'a.json');
      const script = path.join(root, 'scripts/catalogue/derive-requirements.mjs');
      execFileSync(process.execPath, [script, path.join(root, 'assets/catalogue/characteristics.json'), a]);
      expect(fs.readFileSync(a, 'utf8')).toBe(fs.readFileSync(path.join(root, 'assets/catalogue/requirements.json'), 'utf8'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('every entry has at least one specialist and at least one device requirement; ids are unique per entry', () => {
    for (const e of derived.entries) {
      expect(e.staff.some((r) => r.kind === 'staff'), e.code).toBe(true);
      expect(e.devices.length, e.code).toBeGreaterThan(0);
      const ids = allRequirements(e).map((r) => r.id);
      expect(new Set(ids).size, e.code).toBe(ids.length);
      expect(e.staleCorrections, e.code).toEqual([]);
    }
  });

  it('never loses an «or»: every quoted specialty of the text is an alternative, and «немесе» between quotes gives two or more', () => {
    for (const e of characteristics.entries) {
      const reqs = staffOf(e.code);
      const names = new Set(reqs.flatMap((r) => r.alternatives.flatMap((a) => a.specialties)).map((s) => s.toLowerCase()));
      // Each phrase opened by a quote (the quotes of the source are not balanced) begins some alternative.
      for (const m of e.staff.text.matchAll(/"([^"()\s,][^"(]*)/g)) {
        const q = m[1]!.trim().toLowerCase();
        if (q === 'жүрек-өкпе') continue; // a subject of training, not a specialty
        expect([...names].some((n) => n.startsWith(q)), `${e.code}: «${q}»`).toBe(true);
      }
      const ors = (e.staff.text.match(/"\s*,?\s+немесе\s+"/g) ?? []).length;
      const alternatives = reqs.reduce((n, r) => n + r.alternatives.reduce((k, a) => k + a.specialties.length, 0), 0);
      expect(alternatives, e.code).toBeGreaterThanOrEqual(ors + 1);
    }
  });

  it('keeps every number of the staff text: in a structured field or in a piece checked by hand', () => {
    for (const e of characteristics.entries) {
      const r = entry(e.code);
      const structured = new Set<number>();
      const pieces: string[] = [];
      for (const s of r.staff) {
        if (s.kind === 'staff') {
          structured.add(s.count);
          for (const a of s.alternatives) for (const v of [a.minYears, a.trainingHours, a.trainingWithinYears, a.operationsPerYear]) if (v !== null) structured.add(v);
          for (const a of s.alternatives) pieces.push(a.yearsScope ?? '', a.trainingTopic ?? '', a.operationsScope ?? '', a.education ?? '');
          pieces.push(...s.manual, s.otherwise ?? '');
        } else pieces.push(s.text);
      }
      for (const m of e.staff.text.matchAll(/\d+/g)) {
        const n = Number(m[0]);
        expect(structured.has(n) || pieces.some((p) => p.includes(m[0])), `${e.code}: ${n}`).toBe(true);
      }
    }
  });

  it('turns every device item into a requirement with its count, and requirement-style cells into pieces checked by hand', () => {
    for (const e of characteristics.entries) {
      const devices = entry(e.code).devices;
      if (e.devices.items.length > 0) {
        expect(devices.map((d) => (d.kind === 'device' ? [d.name, d.count] : null)), e.code).toEqual(e.devices.items.map((i) => [i.name, i.count ?? 1]));
      } else {
        expect(devices.every((d) => d.kind === 'manual'), e.code).toBe(true);
        expect(devices.map((d) => d.text).join(' ').replace(/[\s.;]/g, ''), e.code).toBe(e.devices.text.replace(/[\s.;]/g, ''));
      }
    }
  });
});

describe('requirements of particular entries', () => {
  it('38.34 names two specialties with their own conditions (reviewed correction: the shared conditions are uncertain for the first)', () => {
    const [s] = staffOf('38.34');
    expect(s!.alternatives.map((a) => a.specialties)).toEqual([['Кардиохирургия (ересектер, балалар)'], ['Ангиохирургия (рентгенохирургия, интервенциялық хирургия) (ересектер, балалар)']]);
    expect(s!.alternatives[0]).toMatchObject({ operationsPerYear: 100, minYears: 5, trainingHours: 108, trainingWithinYears: 5, uncertain: ['minYears', 'training'] });
    expect(s!.alternatives[1]).toMatchObject({ operationsPerYear: null, minYears: 5, trainingHours: 108, trainingWithinYears: 5, uncertain: [] });
    expect(entry('38.34').corrected.staff).toBe(true);
  });

  it('00.93: two transplant surgeons, 3 years in a transplant department, 108 hours in the last 3 years', () => {
    const [s] = staffOf('00.93');
    expect(s).toMatchObject({ count: 2, manual: [] });
    expect(s!.alternatives).toEqual([
      expect.objectContaining({ specialties: ['Жалпы хирургия (трансплантология)'], minYears: 3, yearsScope: 'транспланттау бөлімшесінде', trainingHours: 108, trainingWithinYears: 3 }),
    ]);
  });

  it('00.50: five alternatives (one written without «немесе»), arrhythmology training and a permit', () => {
    const [s] = staffOf('00.50');
    expect(s!.alternatives[0]!.specialties).toHaveLength(5);
    expect(s!.alternatives[0]!.specialties.at(-1)).toBe('Кардиохирургия (ересектер, балалар)');
    expect(s!.alternatives[0]).toMatchObject({ minYears: 3, trainingHours: 108, trainingWithinYears: 5, trainingTopic: 'аритмология мәселелері бойынша' });
    expect(entry('00.50').staff.filter((r) => r.kind === 'permit')).toHaveLength(1);
  });

  it('35.11: 50 open-heart operations a year; 81.53 and 81.55: 60 and 30 primary arthroplasties a year', () => {
    expect(staffOf('35.11')[0]!.alternatives[0]).toMatchObject({ operationsPerYear: 50, operationsScope: 'ашық жүрекке өз бетінше', minYears: 5 });
    expect(staffOf('81.53')[0]!.alternatives[0]).toMatchObject({ operationsPerYear: 60, trainingHours: 216 });
    expect(staffOf('81.55')[0]!.alternatives[0]!.operationsPerYear).toBe(30);
  });

  it('IVF (69.921): three specialists (one by education), the sentence on training joins its specialist, four indicators of footnote * checked by hand', () => {
    const s = staffOf('69.921');
    expect(s.map((r) => r.alternatives[0]!.specialties[0] ?? r.alternatives[0]!.education)).toEqual(['Акушерлік және гинекология', 'Урология және андрология', 'Жоғары медициналық немесе биологиялық білімі бар']);
    expect(s[0]!.alternatives[0]).toMatchObject({ minYears: 5, trainingHours: 108, trainingWithinYears: 5, trainingTopic: 'Репродуктология мәселелері бойынша' });
    const notes = entry('69.921').staff.filter((r) => r.kind === 'manual');
    expect(notes).toHaveLength(4);
    expect(notes.every((n) => n.kind === 'manual' && n.footnote === '*')).toBe(true);
    expect(notes.map((n) => n.text).join(' ')).toContain('300 цикл');
  });

  it('92.201: «Онкология» және «Урология және андрология» is joint; the physicist is described by education; a permit', () => {
    const s = staffOf('92.201');
    expect(s).toHaveLength(4);
    expect(s[3]!.alternatives[0]).toMatchObject({ joint: true, specialties: ['Онкология', 'Урология және андрология (ересектер)'] });
    expect(s[1]!.alternatives[0]!.education).toContain('медициналық физик');
    expect(entry('92.201').staff.some((r) => r.kind === 'permit')).toBe(true);
  });

  it('55.5016: the angiosurgeon may be replaced by a contract (checked by hand); the second 108 hours are a piece checked by hand', () => {
    const s = staffOf('55.5016');
    expect(s[1]!.otherwise).toBe('ангиохирургия бойынша емдеу қызметтерін көрсету үшін шарттың болуы');
    expect(s[0]!.manual.join(' ')).toContain('онкоурология');
    expect(s[0]!.alternatives[0]).toMatchObject({ trainingHours: 108, trainingWithinYears: 5 });
  });

  it('81.9610: the oncologist consultant is a requirement of its own checked by hand (reviewed correction)', () => {
    const e = entry('81.9610');
    expect(e.staff.map((r) => r.kind)).toEqual(['staff', 'manual']);
    expect((e.staff[0] as StaffRequirement).manual).toEqual([]);
    expect(e.staff[1]!.text).toContain('онколог консультант');
  });

  it('20.95: two ENT specialists, trainings without hours checked by hand, and footnote **', () => {
    const s = staffOf('20.95');
    expect(s).toHaveLength(2);
    expect(s[0]!.alternatives[0]!.minYears).toBe(10);
    expect(s[0]!.manual).toHaveLength(2);
    expect(entry('20.95').staff.filter((r) => r.kind === 'manual').map((r) => (r.kind === 'manual' ? r.footnote : ''))).toEqual(['**']);
  });

  it('52.53: training without a window; the sentence on adults (a second experience) is checked by hand', () => {
    const [s] = staffOf('52.53');
    expect(s!.alternatives[0]).toMatchObject({ minYears: 10, trainingHours: 108, trainingWithinYears: null });
    expect(s!.manual[0]).toContain('18 жастан');
  });
});

describe('corrections', () => {
  const e = characteristics.entries.find((x) => x.code === '02.93')!;
  const input = { code: e.code, staff: e.staff, devices: e.devices, notes: [] };
  const replacement: RequirementsCorrection = {
    code: '02.93',
    part: 'staff',
    text: e.staff.text,
    reason: 'test',
    requirements: [{ id: 'x', kind: 'manual', part: 'staff', footnote: null, text: 'by hand' }],
  };
  it('apply to exactly the text they were reviewed against', () => {
    const r = deriveRequirements(input, [replacement]);
    expect(r.corrected.staff).toBe(true);
    expect(r.staff).toEqual([{ id: 'm1', kind: 'manual', part: 'staff', footnote: null, text: 'by hand' }]);
  });
  it('do not apply to a changed text, which is derived again and reported', () => {
    const r = deriveRequirements({ ...input, staff: { text: e.staff.text.replace('5 жыл', '7 жыл') } }, [replacement]);
    expect(r.corrected.staff).toBe(false);
    expect(r.staleCorrections).toEqual(['staff']);
    expect((r.staff[0] as StaffRequirement).alternatives[0]!.minYears).toBe(7);
  });
});

describe('parseSpecialties', () => {
  it('splits alternatives at «немесе» and at quotes side by side, repairs the unbalanced quotes, keeps «және» as joint', () => {
    expect(parseSpecialties('"Жалпы хирургия" (трансплантология)" немесе "Кардиохирургия (ересектер, балалар)"')).toEqual({
      specialties: ['Жалпы хирургия (трансплантология)', 'Кардиохирургия (ересектер, балалар)'],
      joint: false,
    });
    expect(parseSpecialties('"A (балалар)" "B"').specialties).toEqual(['A (балалар)', 'B']);
    expect(parseSpecialties('"Онкология" және "Урология және андрология" (ересектер)')).toEqual({ specialties: ['Онкология', 'Урология және андрология (ересектер)'], joint: true });
  });
});
