import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assetsDir } from '../../../electron/core/paths';
import { catalogueLookup } from '../../../electron/core/services/catalogue-lookup';
import { tempCore } from '../../support/temp';
import { completeDraft, makeIin, MEMBERS } from './cases-fixtures';

/**
 * A code can carry a different name in each section of one edition (e.g. 55.62, a kidney
 * transplant, in sections 1 and 3). The documents and the case screen name the technology as the
 * section that the case's urgency (and funding) selects words it, on the received date, in each
 * language: never simply the first section the code stands in. These tests run over every such
 * code of both editions, in both languages.
 */
type Lang = 'kk' | 'ru';
interface Edition {
  id: string;
  languages: Lang[];
  sections: { section: 1 | 2 | 3; entries: { code: string; name: string }[] }[];
}
const editions: Edition[] = ['2024-090-kk', '2025-103-ru'].map((id) => JSON.parse(fs.readFileSync(path.join(assetsDir(), 'catalogue', 'editions', `${id}.json`), 'utf8')) as Edition);
/** A received date on which each edition is in force. */
const ON: Record<string, string> = { '2024-090-kk': '2025-03-03', '2025-103-ru': '2026-03-02' };

const sectionsOf = (e: Edition, code: string) => e.sections.filter((s) => s.entries.some((x) => x.code === code)).map((s) => s.section);
const nameIn = (e: Edition, code: string, section: number): string | undefined => e.sections.find((s) => s.section === section)?.entries.find((x) => x.code === code)?.name;

/** Every code whose names differ between the sections of its edition. */
const differing = editions.flatMap((e) =>
  [...new Set(e.sections.flatMap((s) => s.entries.map((x) => x.code)))]
    .filter((code) => new Set(sectionsOf(e, code).map((s) => nameIn(e, code, s))).size > 1)
    .map((code) => ({ edition: e, code })),
);

/** The urgency (and insurance) that selects a section: 1 emergency, 2 planned, 3 planned outside section 2. */
function caseFor(e: Edition, code: string, section: 1 | 2 | 3) {
  if (section === 3 && sectionsOf(e, code).includes(2)) return null; // section 2 would apply to a planned case
  return { urgency: section === 1 ? ('emergency' as const) : ('planned' as const), insured: true };
}

/** The name the other language takes: the other edition's wording of the same section, else of its first section. */
function expectedOther(code: string, section: number, lang: Lang): string | null {
  const other = editions.find((x) => x.languages[0] === lang)!;
  const secs = sectionsOf(other, code);
  if (secs.length === 0) return null;
  return nameIn(other, code, secs.includes(section as 1 | 2 | 3) ? section : secs[0]!) ?? null;
}

describe('the technology is named as the selected section words it', () => {
  it('finds the thirteen codes of the sources: twelve in the Kazakh 2024 edition, one (55.62) in the Russian 2025 one', () => {
    expect(differing.map((d) => `${d.edition.id}:${d.code}`).sort()).toEqual(
      [
        ...['00.50', '00.65', '35.21', '35.23', '35.84', '37.66', '37.94', '50.52', '55.62', '81.042', '81.062', '86.66'].map((c) => `2024-090-kk:${c}`),
        '2025-103-ru:55.62',
      ].sort(),
    );
  });

  it('catalogue lookup and the case screen: every differing code, every section it stands in, both languages', async () => {
    const core = tempCore();
    const lookup = catalogueLookup(core.context);
    let checked = 0;
    let n = 1;
    for (const { edition, code } of differing) {
      const lang = edition.languages[0]!;
      const other: Lang = lang === 'kk' ? 'ru' : 'kk';
      for (const section of sectionsOf(edition, code)) {
        const how = caseFor(edition, code, section);
        if (!how) continue;
        const own = nameIn(edition, code, section)!;
        // The catalogue, asked for the section.
        const names = lookup.names(code, ON[edition.id]!, section);
        expect(names[lang]?.text, `${edition.id} ${code} §${section} ${lang}`).toBe(own);
        expect(names[other]?.text ?? null, `${edition.id} ${code} §${section} ${other}`).toBe(expectedOther(code, section, other));

        // A case: its urgency selects the section, the screen shows that section's name.
        const draft = completeDraft({ htmpCode: code, receivedAt: `${ON[edition.id]}T10:00`, iin: makeIin('1980-05-12', 'male', n++) });
        const saved = await core.call('cases.save', { ...draft, urgency: how.urgency, patient: { ...draft.patient, insured: how.insured } });
        const tech = saved.detail.technology!;
        expect(tech).toMatchObject({ code, section, editionId: edition.id });
        expect(saved.detail.funding?.section).toBe(section);
        expect(tech.name[lang], `case ${edition.id} ${code} §${section} ${lang}`).toBe(own);
        expect(tech.name[other], `case ${edition.id} ${code} §${section} ${other}`).toBe(expectedOther(code, section, other));
        checked++;
      }
    }
    // Every differing code stands in sections 1 and 3 (not 2): both wordings are reached.
    expect(checked).toBe(differing.length * 2);
  });

  it('the issued protocol, the register and the journal carry the wording of the selected section (55.62 in both editions)', async () => {
    const core = tempCore();
    const byEdition = Object.fromEntries(editions.map((e) => [e.id, e]));
    const expected: { number: string; kk: string; ru: string }[] = [];
    let n = 50;
    for (const [editionId, date] of Object.entries(ON)) {
      for (const [section, urgency] of [[1, 'emergency'], [3, 'planned']] as const) {
        const draft = completeDraft({ htmpCode: '55.62', receivedAt: `${date}T10:00`, iin: makeIin('1975-01-20', 'female', n++) });
        const { id } = await core.call('cases.save', { ...draft, urgency });
        await core.call('cases.register', { id });
        const outcome = section === 1 ? 'approved' : 'refused';
        const r = await core.call('cases.decide', { caseId: id, outcome, reason: outcome === 'refused' ? 'no_indications' : null, members: MEMBERS, date, issue: true });
        const e = byEdition[editionId]!;
        const lang = e.languages[0]!;
        const own = nameIn(e, '55.62', section)!;
        const other = expectedOther('55.62', section, lang === 'kk' ? 'ru' : 'kk')!;
        expected.push({ number: r.decision.protocol!.label, kk: lang === 'kk' ? own : other, ru: lang === 'ru' ? own : other });
        const state = await core.call('protocols.forCase', { caseId: id });
        expect(state.statement?.htmp).toMatchObject({ code: '55.62', section, name: { kk: { text: expected.at(-1)!.kk }, ru: { text: expected.at(-1)!.ru } } });
      }
    }
    // The two sections of the Russian edition are worded differently, and the protocols say so.
    expect(new Set(expected.map((x) => x.ru)).size).toBeGreaterThan(1);
    expect(new Set(expected.map((x) => x.kk)).size).toBeGreaterThan(1);
    const { items } = await core.call('protocols.list', {});
    for (const x of expected) expect(items.find((i) => i.number === x.number)?.name).toEqual({ kk: x.kk, ru: x.ru });
    const journal = await core.call('cases.refusalJournal', {});
    for (const j of journal.items) expect(j.htmpName).toEqual({ kk: expected.find((x) => x.number === j.protocol.label)!.kk, ru: expected.find((x) => x.number === j.protocol.label)!.ru });
    expect(journal.items).toHaveLength(2);
  });
});
