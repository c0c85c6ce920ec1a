import { describe, expect, it } from 'vitest';
import { deriveFunding, selectSection, type HtmpSection, type Urgency } from '../../../shared/domain/funding';

describe('deriveFunding', () => {
  it.each<[HtmpSection[], Urgency, string | null, string, string]>([
    [[1], 'emergency', 'gobmp', 'funding.emergency_section1', '1'],
    [[1, 3], 'emergency', 'gobmp', 'funding.emergency_section1', '1, 3'],
    [[2], 'emergency', null, 'funding.emergency_not_in_section1', '2'],
    [[2, 3], 'emergency', null, 'funding.emergency_not_in_section1', '2, 3'],
    [[2], 'planned', 'gobmp_or_osms', 'funding.planned_section2', '2'],
    [[3, 2], 'planned', 'gobmp_or_osms', 'funding.planned_section2', '2, 3'],
    [[3], 'planned', 'osms', 'funding.planned_section3', '3'],
    [[1, 3], 'planned', 'osms', 'funding.planned_section3', '1, 3'],
    [[1], 'planned', null, 'funding.planned_not_in_sections23', '1'],
    [[], 'planned', null, 'funding.not_in_list', ''],
    [[], 'emergency', null, 'funding.not_in_list', ''],
  ])('%j %s -> %s', (sections, urgency, channel, key, shown) => {
    // The section the reason names is the one whose wording of the technology's name applies.
    const section = urgency === 'emergency' ? (sections.includes(1) ? 1 : null) : sections.includes(2) ? 2 : sections.includes(3) ? 3 : null;
    expect(deriveFunding(sections, urgency)).toEqual({ channel, section, reason: { key, params: { sections: shown } } });
    expect(selectSection(sections, urgency)).toBe(section);
  });

  it('lets the insurance status decide within section 2', () => {
    expect(deriveFunding([2], 'planned', { insured: true })).toMatchObject({ channel: 'osms', reason: { key: 'funding.planned_section2_insured' } });
    expect(deriveFunding([2], 'planned', { insured: false })).toMatchObject({ channel: 'gobmp', reason: { key: 'funding.planned_section2_uninsured' } });
    expect(deriveFunding([2], 'planned', { insured: null })).toMatchObject({ channel: 'gobmp_or_osms' });
  });

  it('keeps section 3 in the OSMS and warns about an uninsured patient', () => {
    expect(deriveFunding([3], 'planned', { insured: true })).toMatchObject({ channel: 'osms', reason: { key: 'funding.planned_section3_insured' } });
    expect(deriveFunding([3], 'planned', { insured: false })).toMatchObject({ channel: 'osms', reason: { key: 'funding.planned_section3_uninsured' } });
  });

  it('ignores the insurance status for emergency care in section 1', () => {
    expect(deriveFunding([1], 'emergency', { insured: true })).toMatchObject({ channel: 'gobmp' });
  });
});
