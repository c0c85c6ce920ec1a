import { describe, expect, it } from 'vitest';
import { checkDecision, type DecisionInput } from '../../../shared/domain/decision';

const members: DecisionInput['members'] = [
  { name: 'Әлиев А.', role: 'chair' },
  { name: 'Серикова Б.', role: 'secretary' },
  { name: 'Иванов В.', role: 'member' },
];

describe('checkDecision', () => {
  it('approves a complete packet', () => {
    expect(checkDecision({ outcome: 'approved', complete: true, members })).toEqual({ ok: true });
  });

  it('does not approve an incomplete packet', () => {
    expect(checkDecision({ outcome: 'approved', complete: false, members })).toEqual({ ok: false, code: 'decision.approval_needs_complete_packet' });
  });

  it('does not put a refusal ground on an approval', () => {
    expect(checkDecision({ outcome: 'approved', reason: 'no_indications', complete: true, members })).toEqual({ ok: false, code: 'decision.reason_not_allowed' });
  });

  it('needs a legal ground for a refusal', () => {
    expect(checkDecision({ outcome: 'refused', complete: true, members })).toEqual({ ok: false, code: 'decision.reason_required' });
    expect(checkDecision({ outcome: 'refused', reason: null, complete: false, members })).toEqual({ ok: false, code: 'decision.reason_required' });
    expect(checkDecision({ outcome: 'refused', reason: 'too_expensive' as never, complete: true, members })).toEqual({ ok: false, code: 'decision.reason_invalid' });
  });

  it('allows "incomplete packet" only for an incomplete packet', () => {
    expect(checkDecision({ outcome: 'refused', reason: 'incomplete_packet', complete: true, members })).toEqual({ ok: false, code: 'decision.incomplete_not_allowed' });
    expect(checkDecision({ outcome: 'refused', reason: 'incomplete_packet', complete: false, members })).toEqual({ ok: true });
  });

  it('"incomplete packet" needs a defect of a point-34 document, not just any error (a wrong IIN is to correct)', () => {
    // Errors in the case data only: the packet's documents are all there.
    expect(checkDecision({ outcome: 'refused', reason: 'incomplete_packet', complete: false, packetDefective: false, members })).toEqual({ ok: false, code: 'decision.incomplete_not_allowed' });
    expect(checkDecision({ outcome: 'refused', reason: 'incomplete_packet', complete: false, packetDefective: true, members })).toEqual({ ok: true });
  });

  it('takes member names in one text or per language', () => {
    const both = [{ name: { kk: 'Сейітқали Ә.', ru: 'Сейткали А.' }, role: 'chair' }, { name: 'Омарова Д.', role: 'secretary' }];
    expect(checkDecision({ outcome: 'approved', complete: true, members: both })).toEqual({ ok: true });
    expect(checkDecision({ outcome: 'approved', complete: true, members: [{ ...both[0]!, name: { kk: 'Сейітқали Ә.', ru: ' ' } }, both[1]!] })).toEqual({ ok: false, code: 'decision.member_name_missing' });
  });

  it.each([true, false])('allows the other grounds whatever the packet (complete: %s)', (complete) => {
    expect(checkDecision({ outcome: 'refused', reason: 'no_indications', complete, members })).toEqual({ ok: true });
    expect(checkDecision({ outcome: 'refused', reason: 'not_authentic', complete, members })).toEqual({ ok: true });
  });

  it('needs a chair and a secretary with names', () => {
    const without = (role: string): DecisionInput['members'] => members.filter((m) => m.role !== role);
    expect(checkDecision({ outcome: 'approved', complete: true, members: without('chair') })).toEqual({ ok: false, code: 'decision.chair_required' });
    expect(checkDecision({ outcome: 'approved', complete: true, members: without('secretary') })).toEqual({ ok: false, code: 'decision.secretary_required' });
    expect(checkDecision({ outcome: 'approved', complete: true, members: [] })).toEqual({ ok: false, code: 'decision.chair_required' });
    expect(checkDecision({ outcome: 'approved', complete: true, members: [...members, { name: ' ', role: 'member' }] })).toEqual({ ok: false, code: 'decision.member_name_missing' });
  });

  it('rejects an unknown outcome', () => {
    expect(checkDecision({ outcome: 'postponed' as never, complete: true, members })).toEqual({ ok: false, code: 'decision.outcome_invalid' });
  });
});
