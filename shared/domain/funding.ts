/**
 * Who pays for a referral, derived from the section(s) of the HTMP list (ДСМ-134 app. 2, in the
 * edition in force on the referral's date) where its code stands, and its urgency:
 *
 *   section 1  HTMP within GOBMP at emergency hospitalization            -> GOBMP
 *   section 2  HTMP within GOBMP and in the OSMS at planned hospitalization -> GOBMP or OSMS
 *   section 3  HTMP in the OSMS at planned hospitalization                -> OSMS
 *
 * Between GOBMP and OSMS in section 2 the patient's OSMS insurance status decides: an insured
 * patient is paid from the OSMS (decree 421 lists HTMP in the OSMS, "except cases treated within
 * GOBMP"), an uninsured one within GOBMP. In section 3 only the OSMS pays, so an uninsured patient
 * is not covered there. When the caller knows the status it passes `insured`; otherwise section 2
 * stays `gobmp_or_osms` and the reason tells the user what to check.
 *
 * Reason keys live in the `rules` i18n namespace (`funding.*`); params are plain strings.
 */

export type HtmpSection = 1 | 2 | 3;
export type Urgency = 'planned' | 'emergency';
export type FundingChannel = 'gobmp' | 'osms' | 'gobmp_or_osms';

export type FundingReasonKey =
  | 'funding.emergency_section1'
  | 'funding.planned_section2'
  | 'funding.planned_section2_insured'
  | 'funding.planned_section2_uninsured'
  | 'funding.planned_section3'
  | 'funding.planned_section3_insured'
  | 'funding.planned_section3_uninsured'
  | 'funding.emergency_not_in_section1'
  | 'funding.planned_not_in_sections23'
  | 'funding.not_in_list';

export interface FundingResult {
  channel: FundingChannel | null;
  /**
   * The section of the list that applies (the one the reason names), null when none does. A code
   * may carry a different name in each section of one edition: documents name the technology as
   * this section words it.
   */
  section: HtmpSection | null;
  reason: { key: FundingReasonKey; params: { sections: string } };
}

/**
 * The section of the list a referral falls under, from the code's sections and the urgency: the
 * same choice `deriveFunding` makes (emergency: 1; planned: 2 before 3), null when none fits.
 */
export function selectSection(sections: readonly HtmpSection[], urgency: Urgency): HtmpSection | null {
  if (urgency === 'emergency') return sections.includes(1) ? 1 : null;
  if (sections.includes(2)) return 2;
  if (sections.includes(3)) return 3;
  return null;
}

/** Derives the funding channel and its reason from the code's sections and the urgency. */
export function deriveFunding(
  sections: readonly HtmpSection[],
  urgency: Urgency,
  options: { insured?: boolean | null } = {},
): FundingResult {
  const sorted = [...new Set(sections)].sort((a, b) => a - b);
  const params = { sections: sorted.join(', ') };
  const section = selectSection(sorted, urgency);
  const result = (channel: FundingChannel | null, key: FundingReasonKey): FundingResult => ({ channel, section, reason: { key, params } });
  const insured = options.insured ?? null;

  if (sorted.length === 0) return result(null, 'funding.not_in_list');
  if (urgency === 'emergency') {
    return sorted.includes(1) ? result('gobmp', 'funding.emergency_section1') : result(null, 'funding.emergency_not_in_section1');
  }
  // Section 2 is checked first: when a code stands in both 2 and 3, section 2 also covers the
  // uninsured, which section 3 does not, so it is the one that applies to every patient.
  if (sorted.includes(2)) {
    if (insured === true) return result('osms', 'funding.planned_section2_insured');
    if (insured === false) return result('gobmp', 'funding.planned_section2_uninsured');
    return result('gobmp_or_osms', 'funding.planned_section2');
  }
  if (sorted.includes(3)) {
    if (insured === true) return result('osms', 'funding.planned_section3_insured');
    if (insured === false) return result('osms', 'funding.planned_section3_uninsured');
    return result('osms', 'funding.planned_section3');
  }
  return result(null, 'funding.planned_not_in_sections23');
}

/** Every reason key `deriveFunding` can return, for locale completeness checks. */
export const FUNDING_REASON_KEYS: readonly FundingReasonKey[] = [
  'funding.emergency_section1',
  'funding.planned_section2',
  'funding.planned_section2_insured',
  'funding.planned_section2_uninsured',
  'funding.planned_section3',
  'funding.planned_section3_insured',
  'funding.planned_section3_uninsured',
  'funding.emergency_not_in_section1',
  'funding.planned_not_in_sections23',
  'funding.not_in_list',
];
