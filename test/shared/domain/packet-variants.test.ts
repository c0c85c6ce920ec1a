import { describe, expect, it } from 'vitest';
import { packetVariant, PACKET_VARIANTS } from '../../../shared/domain/packet-variants';
import { REQUIRED_DOCUMENT_KINDS, validatePacket, type CaseInput, type SignatureRole } from '../../../shared/domain/packet';

const ROLES: SignatureRole[] = ['attending', 'head_of_department', 'deputy_chief'];
const ctx = { catalogue: { lookup: () => ({ known: true, inForce: true, sections: [2 as const] }) }, fileExists: () => true };

function input(inpatient: boolean, signatures: SignatureRole[], o: { files?: string[]; channel?: CaseInput['channel'] } = {}): CaseInput {
  return {
    receivedAt: '2026-03-20T10:00',
    patient: { iin: '800512300010', lastName: 'Абаев', firstName: 'Ерлан' },
    htmpCode: '54.970.059',
    urgency: 'planned',
    inpatient,
    ...(o.channel ? { channel: o.channel } : {}),
    diagnosis: { icd10: 'I25.1', text: 'ИБС' },
    documents: [
      { kind: 'identity', paper: true, files: [], signatures: [], seal: false },
      { kind: 'referral', paper: true, files: [], signatures: [], seal: false },
      { kind: 'record_extract', paper: true, files: o.files ?? [], signatures, seal: true, clinicalDiagnosis: 'ИБС' },
      { kind: 'test_results', paper: true, files: [], signatures: [], seal: false, items: [{ name: 'ЭКГ', date: '2026-03-01' }] },
    ],
  };
}

const subsets = (xs: SignatureRole[]): SignatureRole[][] => xs.reduce<SignatureRole[][]>((acc, x) => [...acc, ...acc.map((s) => [...s, x])], [[]]);

describe('the packet routes as data agree with the packet check', () => {
  for (const inpatient of [false, true]) {
    const v = packetVariant(inpatient);
    it(`${v.id}: the extract's signatures pass exactly when the route says they do`, () => {
      for (const sigs of subsets(ROLES)) {
        const findings = validatePacket(input(inpatient, sigs, { files: ['scan'] }), ctx).findings.filter((f) => f.code.startsWith('extract.') && f.code.includes('signature'));
        const ok = v.extract.all.every((r) => sigs.includes(r)) && v.extract.oneOf.every((g) => g.some((r) => sigs.includes(r)));
        expect(findings.length === 0, `${v.id} ${sigs.join('+') || '(none)'}`).toBe(ok);
      }
    });
  }

  it('both routes keep the four documents of point 34', () => {
    for (const v of Object.values(PACKET_VARIANTS)) expect(v.documents.map((d) => d.kind)).toEqual([...REQUIRED_DOCUMENT_KINDS]);
  });

  it('the inpatient route: a scan by e-mail, and a refusal goes to the journal of point 40', () => {
    const v = PACKET_VARIANTS.inpatient;
    expect([v.channel, v.extract.scanned, v.refusalJournal, v.points]).toEqual(['email', true, true, [34, 40]]);
    const codes = validatePacket(input(true, ['attending', 'head_of_department'], { channel: 'paper' }), ctx).findings.map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['extract.not_scanned', 'channel.inpatient_not_email']));
    expect(validatePacket(input(true, ['attending', 'head_of_department'], { channel: 'email', files: ['scan'] }), ctx).findings).toEqual([]);
    expect(PACKET_VARIANTS.standard).toMatchObject({ channel: null, refusalJournal: false, extract: { scanned: false } });
  });
});
