import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseVerificationString, verificationString } from '../../../../shared/documents';
import { createPdfTranslator, interpolate, loadPdfMessages, writePdfAtomic } from '../../../../electron/core/pdf/index';
import { localesDir } from '../../../../electron/core/paths';

function keys(node: unknown, prefix = ''): string[] {
  if (node === null || typeof node !== 'object') return [prefix];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}
function placeholders(s: string): string[] {
  return [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? '').sort();
}

describe('pdf locales', () => {
  const messages = loadPdfMessages(localesDir());

  it('kk and ru have the same keys and the same placeholders per key', () => {
    const kk = keys(messages.kk).sort();
    const ru = keys(messages.ru).sort();
    expect(kk).toEqual(ru);
    for (const key of kk) {
      const get = (lang: 'kk' | 'ru') => key.split('.').reduce<unknown>((n, p) => (n as Record<string, unknown>)[p], messages[lang]);
      const a = get('kk');
      const b = get('ru');
      expect(typeof a, key).toBe('string');
      expect(placeholders(a as string), key).toEqual(placeholders(b as string));
      expect((a as string).trim(), key).not.toBe('');
    }
  });

  it('cites point 40 of ДСМ-238 for every refusal reason, and has an error message for every pdf error code', () => {
    for (const lang of ['kk', 'ru'] as const) {
      const t = createPdfTranslator(messages);
      for (const r of ['no_indications', 'incomplete_packet', 'not_authentic']) {
        expect(t(lang, `reasonsLegal.${r}`)).toMatch(/40/);
        expect(t(lang, `reasonsLegal.${r}`)).toContain('ҚР ДСМ-238/2020');
      }
      expect(t(lang, 'errors.pdf.invalid_document', { field: 'members' })).toContain('members');
      expect(t(lang, 'errors.pdf.write_failed', { reason: 'EACCES' })).toContain('EACCES');
    }
  });

  it('uses the Kazakh wording of point 34 of ДСМ-238 for the packet checklist', () => {
    const t = createPdfTranslator(messages);
    expect(t('kk', 'checklist.identity_document')).toBe('пациенттің жеке басын куәландыратын құжаттың көшірмесі');
    expect(t('kk', 'checklist.hospitalization_referral')).toBe('медициналық ұйымға стационарға және (немесе) күндізгі стационарға емдеуге жатқызуға жіберу');
  });

  it('throws on an unknown key rather than printing it', () => {
    const t = createPdfTranslator(messages);
    expect(() => t('kk', 'protocol.nope')).toThrow(/protocol\.nope/);
  });
});

describe('interpolate', () => {
  it('replaces {{param}} (spaces allowed) and refuses a missing parameter', () => {
    expect(interpolate('{{pages}} беттің {{ page }}-беті', { page: 1, pages: 3 })).toBe('3 беттің 1-беті');
    expect(() => interpolate('Стр. {{page}}', {})).toThrow(/page/);
  });
});

describe('verification string', () => {
  const sha = 'a'.repeat(64);
  it('round-trips', () => {
    expect(verificationString('12/2026', sha)).toBe(`HTMP-PROTOCOL|12/2026|${sha}`);
    expect(parseVerificationString(verificationString('2026-01-01/2026-03-31', sha, 'refusal_journal'))).toEqual({
      kind: 'refusal_journal',
      number: '2026-01-01/2026-03-31',
      sha256: sha,
    });
  });
  it('rejects what is not one', () => {
    expect(parseVerificationString('HTMP-PROTOCOL|12/2026')).toBeNull();
    expect(parseVerificationString(`HTMP-LETTER|1|${sha}`)).toBeNull();
    expect(parseVerificationString(`HTMP-PROTOCOL|12/2026|${sha.slice(1)}`)).toBeNull();
    expect(() => verificationString('1|2', sha)).toThrow(TypeError);
    expect(() => verificationString('12/2026', 'xyz')).toThrow(TypeError);
  });
});

describe('writePdfAtomic', () => {
  it('replaces the file whole and leaves no temporary file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-atomic-'));
    const file = path.join(dir, 'doc.pdf');
    fs.writeFileSync(file, 'old');
    await writePdfAtomic(file, Buffer.from('%PDF-new'));
    expect(fs.readFileSync(file, 'utf8')).toBe('%PDF-new');
    expect(fs.readdirSync(dir)).toEqual(['doc.pdf']);
    fs.rmSync(dir, { recursive: true });
  });

  it('fails with pdf.write_failed and cleans up when the folder does not exist or the buffer is empty', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-atomic-'));
    await expect(writePdfAtomic(path.join(dir, 'missing', 'doc.pdf'), Buffer.from('x'))).rejects.toMatchObject({ code: 'pdf.write_failed' });
    await expect(writePdfAtomic(path.join(dir, 'doc.pdf'), Buffer.alloc(0))).rejects.toMatchObject({ code: 'pdf.write_failed' });
    expect(fs.readdirSync(dir)).toEqual([]);
    fs.rmSync(dir, { recursive: true });
  });
});
