import { describe, expect, it } from 'vitest';
import { aggregateAnnual, aggregateDashboard, annualDueBy, caseMeasures, compareCodes, monthsOf, providerKey, registryProviderId, sectionOfFunding, type CaseFact } from '../../../shared/domain/reports';
import { deriveFunding } from '../../../shared/domain/funding';

const base: CaseFact = {
  caseId: 'x',
  status: 'registered',
  receivedDate: '2026-02-02',
  htmpCode: '35.21',
  section: 2,
  funding: 'osms',
  provider: 'A',
  inpatient: false,
  outcome: null,
  reason: null,
  decidedOn: null,
  reviewDue: '2026-02-04',
  reviewWd: null,
  reviewOnTime: null,
  operationDate: null,
  complications: null,
  disability: null,
  death: null,
  deathDate: null,
  survivalOneYear: null,
  followUpDue: null,
};
const f = (id: string, x: Partial<CaseFact>): CaseFact => ({ ...base, caseId: id, ...x });
const approved = (id: string, x: Partial<CaseFact> = {}) => f(id, { status: 'approved', outcome: 'approved', decidedOn: '2026-02-03', reviewWd: 1, reviewOnTime: true, ...x });
const refused = (id: string, reason: CaseFact['reason'], x: Partial<CaseFact> = {}) => f(id, { status: 'refused', outcome: 'refused', reason, decidedOn: '2026-02-03', reviewWd: 1, reviewOnTime: true, ...x });

/**
 * A register counted by hand for 2026 (code / section / provider, what happened and when):
 *  1 35.21/2/A  received 2026, approved 2026, operated 2026 with complications
 *  2 35.21/2/A  received 2026, approved 2026, operated 2026, disability, died 2026
 *  3 35.21/2/B  received 2026, approved 2026 (no operation yet)
 *  4 35.21/2/B  received 2025, approved 2025, operated 2025-03-10 (one year falls 2026-03-10), alive
 *  5 35.21/2/B  received 2025, approved 2025, operated 2025-12-01 (one year in 2026), survival unknown
 *  6 00.50/1/A  received 2026, refused 2026, no indications
 *  7 00.50/1/A  received 2026, refused 2026, incomplete packet
 *  8 00.50/1/A  received 2025-12-30, refused 2026-01-05, not authentic  (a 2026 refusal, a 2025 referral)
 *  9 00.50/1/A  received 2026, still undecided
 * 10 00.50/1/A  a draft received 2026: not a referral
 * 11 99.99/-/'' received 2026, refused 2026, incomplete packet (code outside the list)
 * 12 35.21/2/A  received 2024, operated 2024: nothing in 2026
 * 13 35.21/2/A  received 2026, approved 2026, then the decision was corrected to a refusal 2026-03-01 (no indications)
 */
const FACTS: CaseFact[] = [
  approved('1', { operationDate: '2026-02-20', complications: true, disability: false, followUpDue: '2027-02-20' }),
  approved('2', { operationDate: '2026-03-01', complications: false, disability: true, death: true, deathDate: '2026-06-01', followUpDue: '2027-03-01' }),
  approved('3', { provider: 'B', receivedDate: '2026-03-10', decidedOn: '2026-03-12', reviewWd: 2 }),
  approved('4', { provider: 'B', receivedDate: '2025-03-01', decidedOn: '2025-03-03', operationDate: '2025-03-10', followUpDue: '2026-03-10', survivalOneYear: true }),
  approved('5', { provider: 'B', receivedDate: '2025-11-01', decidedOn: '2025-11-03', operationDate: '2025-12-01', followUpDue: '2026-12-01' }),
  refused('6', 'no_indications', { htmpCode: '00.50', section: 1, funding: 'gobmp' }),
  refused('7', 'incomplete_packet', { htmpCode: '00.50', section: 1, funding: 'gobmp', receivedDate: '2026-03-02', decidedOn: '2026-03-06', reviewWd: 4, reviewOnTime: false }),
  refused('8', 'not_authentic', { htmpCode: '00.50', section: 1, funding: 'gobmp', receivedDate: '2025-12-30', decidedOn: '2026-01-05', reviewWd: 2 }),
  f('9', { htmpCode: '00.50', section: 1, funding: 'gobmp', receivedDate: '2026-03-20' }),
  f('10', { status: 'draft', htmpCode: '00.50', section: 1, funding: 'gobmp' }),
  refused('11', 'incomplete_packet', { htmpCode: '99.99', section: null, funding: null, provider: '' }),
  approved('12', { receivedDate: '2024-05-01', decidedOn: '2024-05-02', operationDate: '2024-06-01', followUpDue: '2025-06-01' }),
  refused('13', 'no_indications', { decidedOn: '2026-03-01', reviewWd: 7, reviewOnTime: false }),
];

describe('the annual report, counted by hand (2026)', () => {
  const r = aggregateAnnual(FACTS, 2026);
  it('totals', () => {
    expect(r.totals).toEqual({
      referrals: 8, // 1 2 3 6 7 9 11 13 (8 came in 2025, 10 is a draft)
      approvals: 3,
      refusals: { no_indications: 2, incomplete_packet: 2, not_authentic: 1 },
      refusalsTotal: 5,
      operations: 2,
      complications: 1,
      disability: 1,
      followUpDue: 2,
      aliveOneYear: 1,
      deaths: 1,
    });
  });
  it('rows per code, section and provider, in list order', () => {
    expect(r.rows.map((x) => [x.htmpCode, x.section, x.provider, x.referrals, x.approvals, x.refusalsTotal, x.operations, x.followUpDue, x.aliveOneYear, x.deaths])).toEqual([
      ['00.50', 1, 'A', 3, 0, 3, 0, 0, 0, 0],
      ['35.21', 2, 'A', 3, 2, 1, 2, 0, 0, 1],
      ['35.21', 2, 'B', 1, 1, 0, 0, 2, 1, 0],
      ['99.99', null, '', 1, 0, 1, 0, 0, 0, 0],
    ]);
    expect(r.bySection.map((s) => [s.section, s.referrals, s.refusalsTotal])).toEqual([
      [1, 3, 3],
      [2, 4, 1],
      [null, 1, 1],
    ]);
  });
  it('one case adds nothing to a year where nothing of it happened; the due day is 31 March', () => {
    const m = caseMeasures(FACTS[11]!, 2026);
    expect(Object.values(m).every((v) => (typeof v === 'number' ? v === 0 : Object.values(v).every((x) => x === 0)))).toBe(true);
    expect(annualDueBy(2026)).toBe('2027-03-31');
  });
});

describe('the dashboard, counted by hand (received 2026-01-01 .. 2026-03-31)', () => {
  const d = aggregateDashboard(FACTS, '2026-01-01', '2026-03-31', '2026-12-05');
  it('per month by outcome now', () => {
    // Feb: 1 2 6 11 13; Mar: 3 7 9 (8 came in 2025, 10 is a draft).
    expect(d.totals).toEqual({ received: 8, approved: 3, refused: 4, undecided: 1 });
    expect(d.perMonth).toEqual([
      { month: '2026-01', approved: 0, refused: 0, undecided: 0 },
      { month: '2026-02', approved: 2, refused: 3, undecided: 0 },
      { month: '2026-03', approved: 1, refused: 1, undecided: 1 },
    ]);
  });
  it('time from receipt to decision against the 2 working days', () => {
    // wd: 1 1 2 1 4 1 7 -> buckets 1:4, 2:1, 4:1, 5+:1; late: 7 (4 wd) and 13 (7 wd).
    expect(d.reviewTime.buckets).toEqual([
      { days: 0, count: 0 },
      { days: 1, count: 4 },
      { days: 2, count: 1 },
      { days: 3, count: 0 },
      { days: 4, count: 1 },
      { days: 5, count: 1 },
    ]);
    expect([d.reviewTime.onTime, d.reviewTime.late, d.reviewTime.median, d.reviewTime.deadline]).toEqual([5, 2, 1, 2]);
  });
  it('section and funding, providers, refusals by ground, follow-up', () => {
    expect(d.bySectionFunding).toEqual([
      { section: 1, funding: 'gobmp', count: 3 },
      { section: 2, funding: 'osms', count: 4 },
      { section: null, funding: null, count: 1 },
    ]);
    expect(d.byProvider).toEqual([
      { provider: 'A', providerOrgId: null, approved: 2, operations: 2 },
      { provider: 'B', providerOrgId: null, approved: 1, operations: 0 },
    ]);
    expect(d.refusalsByGround).toEqual({ no_indications: 2, incomplete_packet: 2, not_authentic: 0 });
    expect(d.followUp).toEqual({ approved: 3, operated: 2, complications: 1, disability: 1, deaths: 1, aliveOneYear: 0, followUpDue: 0, pending: 0 });
  });
});

describe('helpers', () => {
  it('provider key: as stored, trimmed, spaces collapsed', () => {
    expect(providerKey('  «ҰҒКО»   АҚ ')).toBe('«ҰҒКО» АҚ');
    expect(providerKey(null)).toBe('');
  });
  it('provider key: the registry organization when the case has one (its text does not matter), else the text', () => {
    expect(providerKey('  «ҰҒКО»   АҚ ', 'f3c1')).toBe('org:f3c1');
    expect(providerKey(null, 'f3c1')).toBe('org:f3c1');
    expect(providerKey('«ҰҒКО» АҚ', null)).toBe('«ҰҒКО» АҚ');
    expect(registryProviderId('org:f3c1')).toBe('f3c1');
    expect(registryProviderId('«ҰҒКО» АҚ')).toBeNull();
    expect(registryProviderId('')).toBeNull();
  });
  it('section from the funding reason', () => {
    expect(sectionOfFunding(deriveFunding([1], 'emergency'))).toBe(1);
    expect(sectionOfFunding(deriveFunding([2, 3], 'planned', { insured: true }))).toBe(2);
    expect(sectionOfFunding(deriveFunding([3], 'planned'))).toBe(3);
    expect(sectionOfFunding(deriveFunding([2], 'emergency'))).toBeNull();
    expect(sectionOfFunding(null)).toBeNull();
  });
  it('codes in list order, months of a period', () => {
    expect(['35.9900', '35.21', '00.50', '35.210', '54.970.059', '35.2'].sort(compareCodes)).toEqual(['00.50', '35.2', '35.21', '35.210', '35.9900', '54.970.059']);
    expect(monthsOf('2025-11-15', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });
});
