import { describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../shared/contract/cases';
import { checkIin } from '../../shared/domain/iin';
import type { Finding } from '../../shared/domain/packet';
import { fmtDate, fmtDateTime, fmtInstant } from '../../renderer/src/screens/cases/format';
import { fromDetail, localFindings, mergedFindings, mergeServerIds, toPayload } from '../../renderer/src/screens/cases/model';

function detail(over: Partial<CaseDetail> = {}): CaseDetail {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    status: 'draft',
    createdAt: '2026-03-20T10:00:00.000Z',
    updatedAt: '2026-03-20T10:00:00.000Z',
    registeredAt: null,
    patient: {
      id: 'p1', iin: '900315300010', lastName: 'Ким', firstName: 'Виктория', middleName: null, birthDate: '1990-03-15', sex: 'male',
      phone: null, primaryCareOrg: null, insured: null, iinCheck: checkIin('900315300010'),
    },
    receivedAt: '2026-03-20T16:30',
    channel: 'paper',
    htmpCode: '00.50',
    urgency: 'planned',
    inpatient: false,
    diagnosis: { icd10: 'I50.0', text: 'ХСН' },
    specialistConclusion: null,
    providerOrg: null,
    notes: null,
    documents: [],
    complete: false,
    findings: [],
    due: null,
    overdue: false,
    code: null,
    funding: null,
    technology: null,
    locked: false,
    decisions: [],
    currentDecision: null,
    draftDecision: null,
    portal: null,
    hospitalizationDate: null,
    hospitalizationSetOn: null,
    patientInformed: null,
    followUp: null,
    sameIin: [],
    ...over,
  };
}

const doc = (id: string, kind: CaseDetail['documents'][number]['kind']) => ({ id, kind, title: null, paper: true, signatures: [], seal: false, clinicalDiagnosis: null, items: [], files: [] });

describe('case form model', () => {
  it('splits the received time, adds a placeholder row per missing document of point 34, and sends none of them', () => {
    const f = fromDetail(detail({ documents: [doc('d1', 'referral')] }));
    expect(f.receivedDate).toBe('2026-03-20');
    expect(f.receivedTime).toBe('16:30');
    expect(f.documents.map((d) => `${d.kind}:${d.virtual}`)).toEqual(['identity:true', 'referral:false', 'record_extract:true', 'test_results:true']);
    const p = toPayload(f, 'x', 'u1');
    expect(p.receivedAt).toBe('2026-03-20T16:30');
    expect(p.expectedUpdatedAt).toBe('u1');
    expect(p.documents).toEqual([{ id: 'd1', kind: 'referral', title: null, paper: true, signatures: [], seal: false, clinicalDiagnosis: null, items: [] }]);
  });

  it('gives documents created by a save their ids, keeping what was typed meanwhile', () => {
    const f = fromDetail(detail());
    const typed = { ...f, notes: 'typed later', documents: f.documents.map((d) => (d.kind === 'identity' ? { ...d, virtual: false, paper: true } : d)) };
    const merged = mergeServerIds(typed, detail({ documents: [doc('new-id', 'identity')] }));
    expect(merged.notes).toBe('typed later');
    expect(merged.documents.find((d) => d.kind === 'identity')?.id).toBe('new-id');
    expect(merged.documents.find((d) => d.kind === 'referral')?.id).toBeUndefined();
  });

  it('checks the IIN, its agreement with birth date and sex, names and ICD-10 as typed', () => {
    const f = fromDetail(detail());
    const all = () => true;
    expect(localFindings(f, all)).toEqual([]);
    const bad = { ...f, patient: { ...f.patient, iin: '900315300011' } };
    expect(localFindings(bad, all).map((x) => `${x.code}:${x.params.reason}`)).toEqual(['patient.iin_invalid:checksum']);
    const mismatch = { ...f, patient: { ...f.patient, sex: 'female' as const } };
    expect(localFindings(mismatch, all)[0]).toMatchObject({ code: 'patient.iin_mismatch', field: 'patient.sex', params: { fromIin: 'male', entered: 'female' } });
    const cyr = { ...f, icd10: 'С50' };
    expect(localFindings(cyr, all)[0]).toMatchObject({ code: 'diagnosis.icd10_invalid', params: { reason: 'cyrillic', suggestion: 'C50' } });
    // Half-typed IIN and untouched empty fields stay quiet until visited.
    const fresh = { ...f, patient: { ...f.patient, iin: '9003', lastName: '' }, icd10: '' };
    expect(localFindings(fresh, () => false)).toEqual([]);
    expect(localFindings(fresh, all).map((x) => x.code).sort()).toEqual(['diagnosis.icd10_invalid', 'patient.iin_invalid', 'patient.name_missing']);
  });

  it('replaces the core findings of locally checked fields by the live check', () => {
    const server: Finding[] = [
      { code: 'patient.iin_invalid', severity: 'error', field: 'patient.iin', params: { reason: 'format' } },
      { code: 'document.missing', severity: 'error', field: 'documents', params: { kind: 'identity' } },
    ];
    expect(mergedFindings(server, []).map((x) => x.code)).toEqual(['document.missing']);
  });

  it('writes dates the Kazakh way and instants in Kazakhstan time', () => {
    expect(fmtDate('2026-03-20')).toBe('20.03.2026');
    expect(fmtDateTime('2026-03-20T16:30')).toBe('20.03.2026 16:30');
    expect(fmtInstant('2026-03-20T22:10:00.000Z')).toBe('21.03.2026 03:10');
    expect(fmtInstant('2026-03-20T16:30')).toBe('20.03.2026 16:30');
  });
});
