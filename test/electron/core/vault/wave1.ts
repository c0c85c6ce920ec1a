/**
 * A wave-1 data folder (before issue 10: plain database at schema 6, plain `files/<sha256>`,
 * no users, no keyring) with cases, attachments and issued protocols, made by the app's own
 * code and then brought back to the wave-1 schema.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createCore, type Core } from '../../../../electron/core/core';
import { openDatabase } from '../../../../electron/core/db';
import { migrations } from '../../../../electron/core/migrations';
import { completeDraft, makeIin } from '../cases-fixtures';
import { TEST_COMMISSION } from '../../../support/temp';

export const MARKERS = { name: 'Зиябекқызы', diagnosis: 'MARKDIAG-7731-ЖҮРЕК', file: 'MARKFILE-5520-скан' };

export interface Wave1 {
  cases: string[];
  files: string[];
  /** statementHash of each issued protocol (what the QR code and the footer print). */
  protocols: Record<string, string>;
  counts: Record<string, number>;
}

const IINS = [makeIin('1980-05-12', 'male'), makeIin('1985-07-20', 'female'), makeIin('1990-01-01', 'male'), makeIin('1976-03-05', 'female')];

/** Fills a folder with `n` cases (markers in the first), files and issued protocols, then makes it wave-1. */
export async function makeWave1(dir: string, n = 4): Promise<Wave1> {
  const raw = createCore({ dataDir: dir, insecurePlaintext: true });
  const s = raw.security.setupSync({ login: 'maker', displayName: 'Хатшы', passphrase: 'maker passphrase 1' }, { channel: 'local' });
  const core: Core = raw.as({ channel: 'local', sessionId: s.sessionId! });
  const out: Wave1 = { cases: [], files: [], protocols: {}, counts: {} };
  try {
    await core.call('settings.update', TEST_COMMISSION);
    for (let i = 0; i < n; i++) {
      const draft = completeDraft({ iin: IINS[i % IINS.length]!, lastName: i === 0 ? MARKERS.name : `Пациент${i}` });
      const { id } = await core.call('cases.save', i === 0 ? { ...draft, diagnosis: { ...draft.diagnosis, text: MARKERS.diagnosis } } : draft);
      const content = Buffer.from(i === 0 ? `%PDF-1.4 ${MARKERS.file}` : `%PDF-1.4 scan ${i} ${'x'.repeat(70_000 * i)}`);
      const a = await core.call('cases.attachFile', { caseId: id, kind: 'other', name: `scan${i}.pdf`, mime: 'application/pdf', contentBase64: content.toString('base64') });
      out.files.push(a.file.sha256);
      await core.call('cases.register', { id });
      await core.call('cases.decide', { caseId: id, outcome: 'refused', reason: 'no_indications', date: '2026-03-23', members: [{ name: 'Төраға', role: 'chair' }, { name: 'Хатшы', role: 'secretary' }], issue: true });
      out.protocols[id] = (await core.call('protocols.render', { caseId: id, lang: 'both' })).sha256;
      out.cases.push(id);
    }
  } finally {
    raw.close();
  }
  // Back to wave 1: no keyring, no users, schema 6.
  for (const f of ['htmp.keyring.json', 'htmp.signin.json', 'reference.sqlite']) fs.rmSync(path.join(dir, f), { force: true });
  const db = openDatabase(path.join(dir, 'htmp.sqlite'));
  db.exec(`
    DROP TABLE users; DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DROP TABLE audit_log;
    ALTER TABLE change_log DROP COLUMN user_id; ALTER TABLE decisions DROP COLUMN issued_by; ALTER TABLE decisions DROP COLUMN issued_by_name;
    DELETE FROM meta WHERE key = 'audit_head';
  `);
  db.pragma(`user_version = ${migrations.findIndex((m) => m.name === 'auth')}`);
  for (const t of db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[]) {
    out.counts[t] = db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number;
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return out;
}

/** Every file under a folder (recursively), as [relative path, bytes]. */
export function filesUnder(dir: string): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push([path.relative(dir, p), fs.readFileSync(p)]);
    }
  };
  walk(dir);
  return out;
}

/** The encodings a marker is looked for in: UTF-8, UTF-16 LE/BE, hex, and base64 at the three alignments. */
export function encodings(marker: string): Buffer[] {
  const utf8 = Buffer.from(marker, 'utf8');
  const le = Buffer.from(marker, 'utf16le');
  const be = Buffer.from(le);
  be.swap16();
  const out = [utf8, le, be, Buffer.from(utf8.toString('hex')), Buffer.from(utf8.toString('hex').toUpperCase())];
  for (let pad = 0; pad < 3; pad++) {
    const b64 = Buffer.concat([Buffer.alloc(pad), utf8]).toString('base64');
    // Skip the characters that depend on the bytes before the marker.
    out.push(Buffer.from(b64.slice(Math.ceil((pad * 4) / 3) + 1, -2)));
  }
  return out;
}

/** Where any marker appears in any encoding (relative path and marker). */
export function findMarkers(files: [string, Buffer][], markers: string[]): string[] {
  const hits: string[] = [];
  for (const [rel, bytes] of files) {
    for (const m of markers) if (encodings(m).some((e) => e.length >= 6 && bytes.includes(e))) hits.push(`${rel}: ${m}`);
  }
  return hits;
}
