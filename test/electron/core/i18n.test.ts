import { describe, expect, it } from 'vitest';
import { t, translateError } from '../../../electron/core/i18n';
import { validatePacket } from '../../../shared/domain/packet';

describe('Node-side translations', () => {
  it('interpolates, picks plural forms and i18next contexts', () => {
    expect(t('ru', 'errors:errors.cli.bad_lang', { lang: 'en', allowed: 'kk, ru' })).toContain('en');
    const empty = validatePacket(
      { receivedAt: '2026-03-10T10:00', patient: { iin: '', lastName: '', firstName: '' }, htmpCode: '', urgency: 'planned', inpatient: false, diagnosis: { icd10: '', text: '' }, documents: [] },
      { catalogue: { lookup: () => ({ known: false, inForce: false, sections: [] }) }, fileExists: () => true },
    ).findings.find((f) => f.code === 'diagnosis.icd10_invalid')!;
    expect(empty.params).toMatchObject({ reason: 'empty', context: 'empty' });
    expect(t('ru', 'rules:findings.diagnosis.icd10_invalid', empty.params)).toBe('Не указан код диагноза по МКБ-10.');
    expect(t('kk', 'rules:findings.diagnosis.icd10_invalid', empty.params)).toBe('АХЖ-10 бойынша диагноз коды көрсетілмеген.');
  });

  it('finds keys that hold dots, as i18next does (the audit trail\'s action names)', () => {
    expect(t('kk', 'auth:audit.action.auth.setup')).toBe('Орнату: бірінші әкімші құрылды');
    expect(t('ru', 'auth:audit.action.protocol.issue')).toBe('Оформлен протокол');
    expect(t('ru', 'auth:audit.action.export')).toBe('Экспорт');
    expect(t('ru', 'auth:audit.action.no.such')).toBe('auth:audit.action.no.such');
  });

  it('translates error codes and says so for an unknown one', () => {
    expect(translateError('ru', { code: 'db.newer_version', params: { found: 9, supported: 7 } })).toContain('9');
    expect(translateError('kk', { code: 'no.such_code' })).toContain('no.such_code');
  });
});
