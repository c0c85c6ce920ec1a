import { createInstance, type i18n } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import kzJson from '../../../assets/calendar/kz.json';
import kk from '../../../locales/kk/rules.json';
import ru from '../../../locales/ru/rules.json';
import { KURBAN_AIT_ID } from '../../../shared/domain/calendar';
import { DECISION_ERROR_CODES, REFUSAL_REASONS } from '../../../shared/domain/decision';
import { FUNDING_REASON_KEYS } from '../../../shared/domain/funding';
import { FINDING_SEVERITY, REQUIRED_DOCUMENT_KINDS, type FindingCode } from '../../../shared/domain/packet';

type Tree = { [k: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : leaves(v, `${prefix}${k}.`)));
}

// Sample params for every finding, covering each value a param can take.
const SAMPLES: Record<FindingCode, Record<string, string>[]> = {
  'case.received_at_invalid': [{}],
  'case.received_in_future': [{ date: '2027-03-20' }],
  'case.urgency_missing': [{}],
  'document.missing': REQUIRED_DOCUMENT_KINDS.map((kind) => ({ kind })),
  'document.empty': [...REQUIRED_DOCUMENT_KINDS, 'other'].map((kind) => ({ kind })),
  'extract.signature_missing': ['attending', 'head_of_department', 'deputy_chief'].map((role) => ({ role })),
  'extract.cosignature_missing': [{}],
  'extract.seal_missing': [{}],
  'extract.diagnosis_missing': [{}],
  'extract.not_scanned': [{}],
  'tests.date_missing': [{ name: 'ЭхоКГ' }],
  'tests.after_receipt': [{ name: 'ЭхоКГ', date: '2026-03-21' }],
  'file.missing': [{ path: 'scan/x.pdf', kind: 'identity' }],
  'patient.name_missing': [{ field: 'lastName' }, { field: 'firstName' }],
  'patient.iin_invalid': ['format', 'date', 'checksum', 'future'].map((reason) => ({ reason })),
  'patient.open_case_exists': ['1', '3', '5', '21'].map((count) => ({ count })),
  'patient.iin_mismatch': [
    { field: 'birthDate', fromIin: '1990-03-15', entered: '1990-05-13' },
    { field: 'sex', fromIin: 'male', entered: 'female' },
  ],
  'code.missing': [{}],
  'code.unknown': [{ code: '99.99' }],
  'code.not_in_force': [{ code: '35.21', date: '2026-03-20' }],
  'code.urgency_mismatch': [{ code: '92.291', urgency: 'emergency', sections: '2' }, { code: '00.50', urgency: 'planned', sections: '1' }],
  'diagnosis.icd10_invalid': ['empty', 'format', 'cyrillic'].map((reason) => ({ reason, value: 'С50', suggestion: 'C50' })),
  'diagnosis.text_missing': [{}],
  'channel.inpatient_not_email': ['paper', 'electronic'].map((channel) => ({ channel })),
};

const LANGS = { kk: kk as Tree, ru: ru as Tree };

describe('locales/*/rules.json', () => {
  it('have the same keys in Kazakh and Russian (plural forms aside)', () => {
    const bases = (t: Tree) => [...new Set(leaves(t).map((k) => k.replace(/_(zero|one|two|few|many|other)$/, '')))].sort();
    expect(bases(LANGS.kk)).toEqual(bases(LANGS.ru));
  });

  describe.each(Object.keys(LANGS) as (keyof typeof LANGS)[])('%s', (lng) => {
    let i: i18n;
    beforeAll(async () => {
      i = createInstance();
      await i.init({ resources: { [lng]: { rules: LANGS[lng] } }, lng, ns: ['rules'], defaultNS: 'rules', interpolation: { escapeValue: false }, showSupportNotice: false });
    });

    const render = (key: string, params: Record<string, string> = {}): string => {
      // a count is a number to i18next's plural rules
      const opts: Record<string, string | number> = params.count !== undefined ? { ...params, count: Number(params.count) } : params;
      expect(i.exists(key, opts), key).toBe(true);
      const text = i.t(key, opts);
      // no unresolved interpolation, nesting or raw key may reach the user
      expect(text, key).not.toMatch(/\{\{|\$t\(|undefined|documentKind\.|signatureRole\.|iinReason\.|icd10Reason\.|sex\.|urgency\.|channel\.|patientField\.|calendar\./);
      expect(text.length, key).toBeGreaterThan(3);
      return text;
    };

    it('explain every finding with every parameter value', () => {
      for (const code of Object.keys(FINDING_SEVERITY) as FindingCode[]) {
        for (const params of SAMPLES[code]) {
          const text = render(`findings.${code}`, params);
          for (const v of Object.values(params)) {
            // raw codes are translated, free values are shown as they are
            if (/^[a-z_]+$/.test(v)) expect(text, `${code} ${v}`).not.toContain(v);
          }
          if (params.name) expect(text).toContain(params.name);
          if (params.path) expect(text).toContain(params.path);
          if (params.code) expect(text).toContain(params.code);
        }
      }
    });

    it('show both IIN values of a mismatch', () => {
      const text = render('findings.patient.iin_mismatch', { field: 'birthDate', fromIin: '1990-03-15', entered: '1990-05-13' });
      expect(text).toContain('1990-03-15');
      expect(text).toContain('1990-05-13');
      expect(render('findings.patient.iin_mismatch', { field: 'sex', fromIin: 'male', entered: 'female' })).toMatch(lng === 'kk' ? /ер.*әйел/ : /мужской.*женский/);
    });

    it('explain every funding reason, channel, decision error and refusal ground', () => {
      for (const key of FUNDING_REASON_KEYS) render(key, { sections: '1, 3' });
      for (const channel of ['gobmp', 'osms', 'gobmp_or_osms', 'none']) render(`funding.channel.${channel}`);
      for (const code of DECISION_ERROR_CODES) render(`errors.${code}`);
      for (const reason of REFUSAL_REASONS) expect(render(`refusalReason.${reason}`)).toMatch(/40/);
      for (const outcome of ['approved', 'refused']) render(`decisionOutcome.${outcome}`);
      for (const role of ['chair', 'secretary', 'member']) render(`memberRole.${role}`);
    });

    it('name every holiday of the calendar and every kind of day off', () => {
      for (const h of [...kzJson.holidays.map((x) => x.id), KURBAN_AIT_ID]) {
        render(`calendar.holiday.${h}`);
        render('calendar.dayOff.transfer', { holiday: h });
      }
      render('calendar.dayOff.weekend');
      render('calendar.dayOff.decree');
      expect(render('calendar.unconfirmed', { years: '2027' })).toContain('2027');
      expect(render('deadline.review_due', { due: '2026-03-27' })).toContain('2026-03-27');
      expect(render('icd10Suggestion', { suggestion: 'C50' })).toContain('C50');
    });
  });
});
