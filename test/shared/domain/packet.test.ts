import { describe, expect, it } from 'vitest';
import {
  FINDING_SEVERITY,
  validatePacket,
  type CaseDocument,
  type CaseInput,
  type CatalogueLookup,
  type Finding,
  type PacketContext,
} from '../../../shared/domain/packet';
import { iinCheckDigit } from '../../../shared/domain/iin';

/** A valid IIN from its first 10 digits (the first serial digit that gives a check digit). */
function withCheck(first10: string): string {
  for (let s = 0; s < 10; s++) {
    const d = iinCheckDigit(`${first10}${s}`);
    if (d !== null) return `${first10}${s}${d}`;
  }
  throw new Error('no IIN');
}

const files = new Set(['scan/id.pdf', 'scan/referral.pdf', 'scan/extract.pdf', 'scan/echo.pdf', 'scan/ecg.pdf']);

/** A catalogue with a few codes: 00.50 in sections 1 and 3, 92.291 in 2, 35.21 out of force. */
const catalogue: PacketContext['catalogue'] = {
  lookup(code: string, onDate: string): CatalogueLookup {
    if (code === '00.50') return { known: true, inForce: true, sections: [1, 3] };
    if (code === '92.291') return { known: true, inForce: true, sections: [2] };
    if (code === '35.21') return onDate < '2025-10-01' ? { known: true, inForce: true, sections: [2] } : { known: true, inForce: false, sections: [] };
    return { known: false, inForce: false, sections: [] };
  },
};
const ctx: PacketContext = { catalogue, fileExists: (p) => files.has(p) };

function doc(kind: CaseDocument['kind'], extra: Partial<CaseDocument> = {}): CaseDocument {
  return { kind, paper: false, files: [], signatures: [], seal: false, ...extra };
}

function goodCase(): CaseInput {
  return {
    receivedAt: '2026-03-20T16:30',
    patient: { iin: '900315300000', lastName: 'Абенов', firstName: 'Ерлан', birthDate: '1990-03-15', sex: 'male' },
    htmpCode: '00.50',
    urgency: 'planned',
    inpatient: false,
    channel: 'paper',
    diagnosis: { icd10: 'I25.1', text: 'Атеросклеротическая болезнь сердца' },
    documents: [
      doc('identity', { files: ['scan/id.pdf'] }),
      doc('referral', { paper: true }),
      doc('record_extract', {
        files: ['scan/extract.pdf'],
        signatures: ['attending', 'head_of_department', 'deputy_chief'],
        seal: true,
        clinicalDiagnosis: 'ИБС',
      }),
      doc('test_results', { files: ['scan/echo.pdf', 'scan/ecg.pdf'], items: [{ name: 'ЭхоКГ', date: '2026-03-10' }, { name: 'ЭКГ', date: '2026-03-20' }] }),
    ],
  };
}

function codes(findings: Finding[]): string[] {
  return findings.map((f) => f.code);
}

function check(change: (c: CaseInput) => void): ReturnType<typeof validatePacket> {
  const c = goodCase();
  change(c);
  return validatePacket(c, ctx);
}

function extract(c: CaseInput): CaseDocument {
  const d = c.documents[2];
  if (!d) throw new Error('fixture');
  return d;
}

describe('validatePacket', () => {
  it('finds nothing in a complete packet', () => {
    expect(validatePacket(goodCase(), ctx)).toEqual({ complete: true, findings: [] });
  });

  it.each(['identity', 'referral', 'record_extract', 'test_results'] as const)('reports a missing %s', (kind) => {
    const r = check((c) => { c.documents = c.documents.filter((d) => d.kind !== kind); });
    expect(r.complete).toBe(false);
    expect(r.findings).toContainEqual({ code: 'document.missing', severity: 'error', field: 'documents', params: { kind } });
  });

  it('treats a document neither on paper nor with files as missing, with a warning', () => {
    const r = check((c) => { c.documents[0] = doc('identity'); });
    expect(r.findings).toEqual([
      { code: 'document.empty', severity: 'warning', field: 'documents[0]', params: { kind: 'identity' } },
      { code: 'document.missing', severity: 'error', field: 'documents', params: { kind: 'identity' } },
    ]);
    // an extra empty 'other' document only warns
    const extra = check((c) => { c.documents.push(doc('other')); });
    expect(extra).toEqual({ complete: true, findings: [{ code: 'document.empty', severity: 'warning', field: 'documents[4]', params: { kind: 'other' } }] });
  });

  it.each(['attending', 'head_of_department', 'deputy_chief'] as const)('reports the extract without the %s signature', (role) => {
    const r = check((c) => { extract(c).signatures = extract(c).signatures.filter((s) => s !== role); });
    expect(r).toEqual({ complete: false, findings: [{ code: 'extract.signature_missing', severity: 'error', field: 'documents[2].signatures', params: { role } }] });
  });

  it('reports the extract without seal or clinical diagnosis', () => {
    expect(codes(check((c) => { extract(c).seal = false; }).findings)).toEqual(['extract.seal_missing']);
    expect(codes(check((c) => { extract(c).clinicalDiagnosis = ' '; }).findings)).toEqual(['extract.diagnosis_missing']);
    expect(codes(check((c) => { delete extract(c).clinicalDiagnosis; }).findings)).toEqual(['extract.diagnosis_missing']);
  });

  it('judges the best of several extracts', () => {
    const r = check((c) => { c.documents.push(doc('record_extract', { paper: true, signatures: ['attending'] })); });
    expect(r).toEqual({ complete: true, findings: [] });
  });

  describe('inpatient (point 40)', () => {
    const inpatient = (c: CaseInput): void => { c.inpatient = true; c.channel = 'email'; };

    it('needs the attending physician with the head of department OR the deputy chief', () => {
      expect(check((c) => { inpatient(c); extract(c).signatures = ['attending', 'head_of_department']; })).toEqual({ complete: true, findings: [] });
      expect(check((c) => { inpatient(c); extract(c).signatures = ['attending', 'deputy_chief']; })).toEqual({ complete: true, findings: [] });
      expect(check((c) => { inpatient(c); extract(c).signatures = ['attending']; }).findings).toEqual([
        { code: 'extract.cosignature_missing', severity: 'error', field: 'documents[2].signatures', params: {} },
      ]);
      expect(codes(check((c) => { inpatient(c); extract(c).signatures = ['head_of_department', 'deputy_chief']; }).findings)).toEqual(['extract.signature_missing']);
    });

    it('still needs the other three documents and the seal', () => {
      const r = check((c) => {
        inpatient(c);
        extract(c).seal = false;
        c.documents = c.documents.filter((d) => d.kind === 'record_extract');
      });
      expect(codes(r.findings).sort()).toEqual(['document.missing', 'document.missing', 'document.missing', 'extract.seal_missing']);
    });

    it('warns when the extract is not scanned or the packet did not come by e-mail', () => {
      const paperOnly = check((c) => { inpatient(c); extract(c).files = []; extract(c).paper = true; });
      expect(paperOnly).toEqual({ complete: true, findings: [{ code: 'extract.not_scanned', severity: 'warning', field: 'documents[2].files', params: {} }] });
      const byPaper = check((c) => { inpatient(c); c.channel = 'paper'; });
      expect(byPaper).toEqual({ complete: true, findings: [{ code: 'channel.inpatient_not_email', severity: 'warning', field: 'channel', params: { channel: 'paper' } }] });
      expect(check((c) => { c.channel = 'paper'; }).findings).toEqual([]);
    });
  });

  it('warns about test results without a date or dated after receipt', () => {
    const r = check((c) => {
      const tests = c.documents[3];
      if (tests) tests.items = [{ name: 'ЭхоКГ', date: '' }, { name: 'ЭКГ', date: '2026-03-21' }, { name: 'ОАК', date: '10.03.2026' }];
    });
    expect(r).toEqual({
      complete: true,
      findings: [
        { code: 'tests.date_missing', severity: 'warning', field: 'documents[3].items[0].date', params: { name: 'ЭхоКГ' } },
        { code: 'tests.after_receipt', severity: 'warning', field: 'documents[3].items[1].date', params: { name: 'ЭКГ', date: '2026-03-21' } },
        { code: 'tests.date_missing', severity: 'warning', field: 'documents[3].items[2].date', params: { name: 'ОАК' } },
      ],
    });
  });

  it('reports listed files that do not exist, once per path', () => {
    const r = check((c) => { c.documents[0] = doc('identity', { files: ['scan/id.pdf', 'scan/gone.pdf', 'scan/gone.pdf'] }); });
    expect(r).toEqual({ complete: false, findings: [{ code: 'file.missing', severity: 'error', field: 'documents[0].files[1]', params: { path: 'scan/gone.pdf', kind: 'identity' } }] });
  });

  it.each([
    ['90031530000', 'format'],
    ['901315300000', 'date'],
    ['900315300001', 'checksum'],
  ])('reports the invalid IIN %s (%s)', (iin, reason) => {
    const r = check((c) => { c.patient.iin = iin; });
    expect(r).toEqual({ complete: false, findings: [{ code: 'patient.iin_invalid', severity: 'error', field: 'patient.iin', params: { reason } }] });
  });

  it('reports an IIN that contradicts the entered birth date or sex', () => {
    expect(check((c) => { c.patient.birthDate = '1990-05-13'; }).findings).toEqual([
      { code: 'patient.iin_mismatch', severity: 'error', field: 'patient.birthDate', params: { field: 'birthDate', fromIin: '1990-03-15', entered: '1990-05-13' } },
    ]);
    expect(check((c) => { c.patient.sex = 'female'; }).findings).toEqual([
      { code: 'patient.iin_mismatch', severity: 'error', field: 'patient.sex', params: { field: 'sex', fromIin: 'male', entered: 'female' } },
    ]);
    expect(check((c) => { delete c.patient.sex; delete c.patient.birthDate; }).findings).toEqual([]);
  });

  it('reports missing names', () => {
    expect(check((c) => { c.patient.lastName = ''; c.patient.firstName = ' '; }).findings).toEqual([
      { code: 'patient.name_missing', severity: 'error', field: 'patient.lastName', params: { field: 'lastName' } },
      { code: 'patient.name_missing', severity: 'error', field: 'patient.firstName', params: { field: 'firstName' } },
    ]);
  });

  it('reports an unknown, missing or no longer valid HTMP code', () => {
    expect(check((c) => { c.htmpCode = '99.99'; }).findings).toEqual([{ code: 'code.unknown', severity: 'error', field: 'htmpCode', params: { code: '99.99' } }]);
    expect(check((c) => { c.htmpCode = ' '; }).findings).toEqual([{ code: 'code.missing', severity: 'error', field: 'htmpCode', params: {} }]);
    expect(check((c) => { c.htmpCode = '35.21'; }).findings).toEqual([{ code: 'code.not_in_force', severity: 'error', field: 'htmpCode', params: { code: '35.21', date: '2026-03-20' } }]);
    // the edition is the one in force on the date of receipt
    expect(check((c) => { c.htmpCode = '35.21'; c.receivedAt = '2025-09-30T10:00'; c.documents.forEach((d) => { d.items = []; }); }).findings).toEqual([]);
  });

  it('reports an urgency no section of the code serves', () => {
    expect(check((c) => { c.htmpCode = '92.291'; c.urgency = 'emergency'; }).findings).toEqual([
      { code: 'code.urgency_mismatch', severity: 'error', field: 'urgency', params: { code: '92.291', urgency: 'emergency', sections: '2' } },
    ]);
    expect(check((c) => { c.htmpCode = '92.291'; }).findings).toEqual([]);
    // 00.50 stands in sections 1 and 3: both urgencies fit
    expect(check((c) => { c.urgency = 'emergency'; }).findings).toEqual([]);
  });

  it('reports an ill-formed ICD-10 code and a missing diagnosis text', () => {
    expect(check((c) => { c.diagnosis.icd10 = 'I251'; }).findings).toEqual([
      { code: 'diagnosis.icd10_invalid', severity: 'error', field: 'diagnosis.icd10', params: { reason: 'format', value: 'I251', suggestion: 'I25.1' } },
    ]);
    expect(check((c) => { c.diagnosis.icd10 = 'С50'; }).findings[0]?.params).toEqual({ reason: 'cyrillic', value: 'С50', suggestion: 'C50' });
    expect(check((c) => { c.diagnosis.text = ''; }).findings).toEqual([{ code: 'diagnosis.text_missing', severity: 'warning', field: 'diagnosis.text', params: {} }]);
  });

  it('reports a malformed date of receipt and skips the catalogue then', () => {
    const looked: string[] = [];
    const spy: PacketContext = { ...ctx, catalogue: { lookup: (code, on) => { looked.push(on); return catalogue.lookup(code, on); } } };
    const c = goodCase();
    c.receivedAt = '20.03.2026';
    expect(validatePacket(c, spy).findings).toEqual([{ code: 'case.received_at_invalid', severity: 'error', field: 'receivedAt', params: {} }]);
    expect(looked).toEqual([]);
  });

  it('with today, a receipt date or a birth date not yet come is an error', () => {
    const today: PacketContext = { ...ctx, today: '2026-03-19' };
    const c = goodCase();
    expect(codes(validatePacket(c, today).findings)).toContain('case.received_in_future');
    expect(validatePacket(c, today).findings.find((f) => f.code === 'case.received_in_future')).toEqual({
      code: 'case.received_in_future', severity: 'error', field: 'receivedAt', params: { date: '2026-03-20' },
    });
    expect(validatePacket(c, { ...ctx, today: '2026-03-20' }).findings).toEqual([]);
    const baby = goodCase();
    baby.patient = { ...baby.patient, iin: withCheck('2604015000'), birthDate: undefined, sex: undefined };
    expect(validatePacket(baby, { ...ctx, today: '2026-03-20' }).findings).toContainEqual({ code: 'patient.iin_invalid', severity: 'error', field: 'patient.iin', params: { reason: 'future' } });
  });

  it('gives every finding the severity of its code, and only warnings keep a packet complete', () => {
    const r = check((c) => {
      c.patient.iin = 'x';
      c.diagnosis = { icd10: '', text: '' };
      c.documents = [doc('other')];
    });
    expect(r.complete).toBe(false);
    for (const f of r.findings) expect(f.severity).toBe(FINDING_SEVERITY[f.code]);
  });
});
