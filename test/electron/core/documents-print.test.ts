import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import { assetsDir } from '../../../electron/core/paths';
import { tempCore, tempDir } from '../../support/temp';
import { caseDraft, decidedCase, IIN } from './protocols.fixture';
import { SAMPLE_SHEET } from '../../support/scoring-sample';

/**
 * Documents print as documents (issue 11, points 6 and 7): the IIN is never split over two lines,
 * a scoring sheet is stamped in Kazakhstan time like a protocol, and no note shipped in the app's
 * data reaches a screen or a PDF in English.
 */
const save = (base64: string): string => {
  const file = path.join(tempDir('htmp-doc-'), 'doc.pdf');
  fs.writeFileSync(file, Buffer.from(base64, 'base64'));
  return file;
};
const pdftotext = (file: string, layout = false): string =>
  execFileSync('pdftotext', ['-enc', 'UTF-8', ...(layout ? ['-layout'] : []), file, '-'], { encoding: 'utf8' });

/** A long name, so the patient's column is as crowded as it gets. */
const LONG = { lastName: 'Жұмабекова-Сейітқалиева', firstName: 'Әйгерім-Гүлнұр', middleName: 'Нұрсұлтанқызы' };

async function refusedLongName(core: Core): Promise<string> {
  const id = await decidedCase(core, { outcome: 'refused', reason: 'no_indications', draft: { patient: { ...caseDraft().patient, ...LONG }, inpatient: true } });
  await core.call('protocols.issue', { caseId: id });
  return id;
}

describe('the IIN is printed whole, on one line', () => {
  // The documents that print the IIN (the register names the patient only).
  it.each(['protocol', 'journal'] as const)('%s, kk / ru / both, beside a long name', async (kind) => {
    const core = tempCore();
    const caseId = await refusedLongName(core);
    for (const lang of ['kk', 'ru', 'both'] as const) {
      const period = { from: '2026-01-01', to: '2026-12-31', lang };
      const r = kind === 'protocol' ? await core.call('protocols.render', { caseId, lang }) : await core.call('protocols.refusalJournalPdf', period);
      const file = save(r.pdfBase64);
      // The long name does wrap (so the column is narrow) ...
      const text = pdftotext(file);
      expect(text.replace(/\s+/g, ' '), `${kind} ${lang}`).toContain('Нұрсұлтанқызы');
      // ... but every line that holds a digit of the IIN holds all twelve.
      const lines = pdftotext(file, true).split('\n');
      const withIin = lines.filter((l) => l.includes(IIN));
      expect(withIin.length, `${kind} ${lang}: the IIN on a line of its own`).toBeGreaterThan(0);
      const broken = lines.filter((l) => !l.includes(IIN) && [IIN.slice(0, 6), IIN.slice(-6)].some((part) => l.includes(part)));
      expect(broken, `${kind} ${lang}: a part of the IIN on a line`).toEqual([]);
    }
  });
});

describe('a scoring sheet is stamped in Kazakhstan time', () => {
  it('its generation time is UTC+5 and prints without a zone mark, like a protocol', async () => {
    const core = tempCore();
    const sheet = await core.call('scoring.save', { ...SAMPLE_SHEET });
    const before = Date.now();
    const r = await core.call('protocols.scoringSheetPdf', { sheetId: sheet.id, lang: 'ru' });
    const text = pdftotext(save(r.pdfBase64)).replace(/\s+/g, ' ');
    // The time printed is the time in Kazakhstan (UTC+5) when the sheet was made, with no "UTC" label.
    const m = /Сформировано: (\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2})/.exec(text);
    expect(m, text).not.toBeNull();
    const [, dd, mm, yyyy, hh, mi] = m!;
    const printedUtc = Date.UTC(Number(yyyy), Number(mm) - 1, Number(dd), Number(hh) - 5, Number(mi));
    expect(Math.abs(printedUtc - before)).toBeLessThan(3 * 60_000);
    expect(text).not.toMatch(/UTC/);
  });
});

/** Strings of the shipped data a screen or a PDF shows as notes: each must be {kk, ru}. */
function notesOf(file: string, json: Record<string, unknown>): { where: string; value: unknown }[] {
  const out: { where: string; value: unknown }[] = [];
  const walk = (v: unknown, where: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${where}[${i}]`));
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (['note', 'notes', 'inForceNote', 'description', 'sources'].includes(k)) {
          if (Array.isArray(x)) x.forEach((y, i) => out.push({ where: `${where}.${k}[${i}]`, value: y }));
          else out.push({ where: `${where}.${k}`, value: x });
        } else walk(x, `${where}.${k}`);
      }
    }
  };
  walk(json, file);
  return out;
}

describe('notes shipped in assets are in Kazakh and Russian', () => {
  const files = [path.join('calendar', 'kz.json'), ...fs.readdirSync(path.join(assetsDir(), 'catalogue', 'editions')).map((f) => path.join('catalogue', 'editions', f))];
  it.each(files)('%s: every note has kk and ru, and no English sentence', (file) => {
    const json = JSON.parse(fs.readFileSync(path.join(assetsDir(), file), 'utf8')) as Record<string, unknown>;
    const notes = notesOf(file, json);
    expect(notes.length).toBeGreaterThan(0);
    for (const { where, value } of notes) {
      expect(value, where).toMatchObject({ kk: expect.any(String), ru: expect.any(String) });
      const { kk, ru } = value as { kk: string; ru: string };
      for (const [lang, text] of [['kk', kk], ['ru', ru]] as const) {
        expect(text.trim(), `${where}.${lang}`).not.toBe('');
        // Three Latin words in a row make an English sentence (a URL or "NYHA" alone do not).
        const plain = text.replace(/https?:\/\/\S+/g, '');
        expect(plain, `${where}.${lang}`).not.toMatch(/\b[A-Za-z]{2,}\s+[A-Za-z]{2,}\s+[A-Za-z]{2,}\b/);
      }
    }
  });
});
