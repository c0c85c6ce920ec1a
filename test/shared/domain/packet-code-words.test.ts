import i18next from 'i18next';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validatePacket, type CaseInput, type PacketContext } from '../../../shared/domain/packet';

// Issue 13: words typed in the case's code field are a search, never "not a code on the list".
const ctx: PacketContext = { catalogue: { lookup: () => ({ known: false, inForce: false, sections: [] }) }, fileExists: () => true };
const input = (htmpCode: string): CaseInput => ({
  receivedAt: '2026-03-20T16:30',
  patient: { iin: '900315300000', lastName: 'Абенов', firstName: 'Ерлан' },
  htmpCode,
  urgency: 'planned',
  inpatient: false,
  diagnosis: { icd10: 'I25.1', text: 'ИБС' },
  documents: [],
});
const codeFinding = (code: string) => validatePacket(input(code), ctx).findings.find((f) => f.field === 'htmpCode');

describe('the code field with words in it', () => {
  it('words are "no code chosen" (code.unknown with context words); a code-looking value stays unknown', () => {
    expect(codeFinding('сердце')).toMatchObject({ code: 'code.unknown', severity: 'error', params: { code: 'сердце', context: 'words' } });
    expect(codeFinding('жүрек ауыстыру')?.params.context).toBe('words');
    expect(codeFinding('99.99')).toMatchObject({ code: 'code.unknown', params: { code: '99.99' } });
    expect(codeFinding('99.99')!.params).not.toHaveProperty('context');
    expect(codeFinding('3751')!.params).not.toHaveProperty('context');
  });

  it('reads, in both languages, as a code not chosen, never as a code missing from the list', async () => {
    for (const [lang, chosen, notOnList] of [
      ['ru', 'Код ВТМП не выбран', 'нет в перечне'],
      ['kk', 'ЖТМК коды таңдалмаған', 'тізбесінде жоқ'],
    ] as const) {
      const rules = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../../locales', lang, 'rules.json'), 'utf8'));
      const i18n = i18next.createInstance();
      await i18n.init({ lng: lang, resources: { [lang]: { rules } }, ns: ['rules'], defaultNS: 'rules' });
      const f = codeFinding('сердце')!;
      const text = i18n.t(`findings.${f.code}`, { ...f.params });
      expect(text).toContain(chosen);
      expect(text).toContain('«сердце»');
      expect(text).not.toContain(notOnList);
      const unknown = codeFinding('99.99')!;
      expect(i18n.t(`findings.${unknown.code}`, { ...unknown.params })).toContain(notOnList);
    }
  });
});
