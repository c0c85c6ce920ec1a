import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/run';
import { ADMIN_ENV } from '../../support/cli';
import { adminCore, tempDir } from '../../support/temp';
import { caseDraft, CODE, decidedCase, IIN, MEMBERS } from '../core/protocols.fixture';

async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: { ...ADMIN_ENV, ...env } });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, any> };
}

const pdfText = (file: string): string => execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');

/** The cases issue's case shape plus decision and commission (the FILE.json). */
function caseFile(overrides: Record<string, unknown> = {}, decision: Record<string, unknown> = {}) {
  const { providerOrg: _p, channel: _c, ...c } = caseDraft();
  return {
    ...c,
    documents: c.documents.map((d) => ({ ...d, files: [] })),
    decision: {
      outcome: 'approved',
      reason: null,
      date: '2026-03-12',
      number: '12/2026',
      members: MEMBERS,
      provider: { name: '«Ұлттық ғылыми кардиохирургия орталығы» АҚ' },
      ...decision,
    },
    commission: {
      name: { kk: 'Қарағанды облысының ЖТМК жөніндегі комиссиясы', ru: 'Комиссия по ВТМП Карагандинской области' },
      authority: { kk: 'Қарағанды облысының денсаулық сақтау басқармасы', ru: 'Управление здравоохранения Карагандинской области' },
    },
    ...overrides,
  };
}

function writeJson(dir: string, value: unknown): string {
  const f = path.join(dir, 'case.json');
  fs.writeFileSync(f, JSON.stringify(value));
  return f;
}

describe('htmp protocol render --case FILE.json', () => {
  it('writes the PDF and prints exactly {"file","pages","sha256"}', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'protocol.pdf');
    const r = await cli(['protocol', 'render', '--case', writeJson(dir, caseFile()), '--lang', 'both', '--out', out, '--json', '--data-dir', path.join(dir, 'data')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const j = r.json();
    expect(Object.keys(j).sort()).toEqual(['file', 'pages', 'sha256']);
    expect(j.file).toBe(out);
    expect(j.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(j.pages).toBeGreaterThanOrEqual(1);
    expect(fs.readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(out);
    for (const s of ['ХАТТАМА', 'ПРОТОКОЛ', '№ 12/2026', 'Жұмабекова', IIN, CODE, 'Имплантация бивентрикулярного', 'Бивентрикулярлық', `HTMP-PROTOCOL|12/2026|${j.sha256}`]) expect(text).toContain(s);
  });

  it.each(['kk', 'ru'])('renders --lang %s; a numeric decision number takes the year of the decision date', async (lang) => {
    const dir = tempDir();
    const out = path.join(dir, 'p.pdf');
    const r = await cli(['protocol', 'render', '--case', writeJson(dir, caseFile({}, { number: 7 })), '--lang', lang, '--out', out, '--json', '--data-dir', path.join(dir, 'data')]);
    expect(r.code).toBe(0);
    expect(pdfText(out)).toContain('№ 7/2026');
  });

  const broken: [string, () => unknown, string][] = [
    ['no decision', () => ({ ...caseFile(), decision: undefined }), 'decision'],
    ['bad outcome', () => caseFile({}, { outcome: 'maybe' }), 'decision.outcome'],
    ['refusal without reason', () => caseFile({}, { outcome: 'refused', reason: null }), 'decision.reason'],
    ['no members', () => caseFile({}, { members: [] }), 'decision.members'],
    ['no chair', () => caseFile({}, { members: [{ name: 'Иванов И. И.', role: 'member' }] }), 'decision.members'],
    ['bad number', () => caseFile({}, { number: '012/2026' }), 'decision.number'],
    ['bad date', () => caseFile({}, { date: '2026-02-30' }), 'decision.date'],
    ['no commission', () => ({ ...caseFile(), commission: undefined }), 'commission'],
    ['no patient name', () => caseFile({ patient: { iin: IIN, firstName: 'Әйгерім', birthDate: '1990-02-15' } }), 'patient.lastName'],
  ];
  it.each(broken)('%s -> exit 2, translated invalid_case_file error naming the field, no file', async (_n, make, field) => {
    const dir = tempDir();
    const out = path.join(dir, 'out.pdf');
    const r = await cli(['protocol', 'render', '--case', writeJson(dir, make()), '--lang', 'kk', '--out', out, '--json', '--data-dir', path.join(dir, 'data')]);
    expect(r.code).toBe(2);
    const e = r.json().error;
    expect(e.code).toBe('protocols.invalid_case_file');
    expect(e.params.field).toBe(field);
    expect(e.message).toContain(field);
    expect(e.message).toContain('PDF');
    expect(fs.readdirSync(dir).filter((f) => f !== 'case.json' && f !== 'data')).toEqual([]);
  });

  it('a value the engine refuses (bad IIN) exits 2 with pdf.invalid_document and writes nothing', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out.pdf');
    const r = await cli(['protocol', 'render', '--case', writeJson(dir, caseFile({ patient: { iin: '123', lastName: 'А', firstName: 'Б', birthDate: '1990-01-01' } })), '--lang', 'ru', '--out', out, '--json', '--data-dir', path.join(dir, 'data')]);
    expect(r.code).toBe(2);
    expect(r.json().error).toMatchObject({ code: 'pdf.invalid_document', params: { field: 'patient.iin' } });
    expect(r.json().error.message).toContain('patient.iin');
    expect(fs.existsSync(out)).toBe(false);
  });

  it('an unknown HTMP code (no official name) exits 2 and writes nothing', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out.pdf');
    const r = await cli(['protocol', 'render', '--case', writeJson(dir, caseFile({ htmpCode: '99.99' })), '--lang', 'ru', '--out', out, '--json', '--data-dir', path.join(dir, 'data')]);
    expect(r.code).toBe(2);
    expect(r.json().error).toMatchObject({ code: 'protocols.htmp_name_missing', params: { code: '99.99' } });
    expect(fs.existsSync(out)).toBe(false);
  });

  it('missing or broken options and files exit 2 without a file (messages in the chosen language)', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out.pdf');
    const file = writeJson(dir, caseFile());
    const data = ['--data-dir', path.join(dir, 'data')];
    const cases: [string[], string][] = [
      [['--case', file, '--lang', 'kk', '--json'], 'protocols.missing_option'],
      [['--case', file, '--out', out, '--json'], 'protocols.missing_option'],
      [['--lang', 'kk', '--out', out, '--json'], 'protocols.missing_option'],
      [['--case', file, '--case-id', '00000000-0000-4000-8000-000000000000', '--lang', 'kk', '--out', out, '--json'], 'protocols.missing_option'],
      [['--case', file, '--lang', 'en', '--out', out, '--json'], 'cli.bad_lang'],
      [['--case', file, '--lang', 'both', '--layout', 'diagonal', '--out', out, '--json'], 'cli.bad_option'],
      [['--case', path.join(dir, 'nope.json'), '--lang', 'kk', '--out', out, '--json'], 'cli.file_unreadable'],
      [['--case', file, '--lang', 'kk', '--out', path.join(dir, 'no-such-dir', 'x.pdf'), '--json'], 'pdf.write_failed'],
      [['--case-id', '00000000-0000-4000-8000-000000000000', '--lang', 'kk', '--out', out, '--json'], 'cases.not_found'],
    ];
    for (const [args, code] of cases) {
      const r = await cli(['protocol', 'render', ...args, ...data]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.json().error.code, args.join(' ')).toBe(code);
    }
    fs.writeFileSync(path.join(dir, 'bad.json'), '{not json');
    const r = await cli(['protocol', 'render', '--case', path.join(dir, 'bad.json'), '--lang', 'kk', '--out', out, '--json', ...data]);
    expect(r.json().error.code).toBe('cli.file_not_json');
    expect(fs.existsSync(out)).toBe(false);

    // Human output: the message in Russian on stderr.
    const h = await cli(['protocol', 'render', '--case', writeJson(dir, caseFile({}, { members: [] })), '--lang', 'ru', '--out', out, ...data]);
    expect(h.code).toBe(2);
    expect(h.stderr).toContain('Файл дела неверен');
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('htmp protocol render --case-id and verify', () => {
  it('renders a stored case, and verify answers {"matches":bool}', async () => {
    const dir = tempDir();
    const dataDir = path.join(dir, 'data');
    const core = await adminCore(dataDir);
    let caseId: string;
    try {
      caseId = await decidedCase(core);
      await core.call('protocols.issue', { caseId });
    } finally {
      core.close();
    }
    const out = path.join(dir, 'p.pdf');
    const r = await cli(['protocol', 'render', '--case-id', caseId, '--lang', 'kk', '--out', out, '--json', '--data-dir', dataDir]);
    expect(r.code).toBe(0);
    const j = r.json();
    expect(pdfText(out)).toContain('Жұмабекова Әйгерім');

    const ok = await cli(['protocol', 'verify', '--number', '1/2026', '--sha256', j.sha256, '--json', '--data-dir', dataDir]);
    expect(ok.code).toBe(0);
    expect(ok.json()).toEqual({ matches: true });
    const bad = await cli(['protocol', 'verify', '--number', '1/2026', '--sha256', '0'.repeat(64), '--json', '--data-dir', dataDir]);
    expect(bad.json()).toEqual({ matches: false });
    const unknown = await cli(['protocol', 'verify', '--number', '5/2030', '--sha256', j.sha256, '--json', '--data-dir', dataDir]);
    expect(unknown.json()).toEqual({ matches: false });
    const missing = await cli(['protocol', 'verify', '--number', '1/2026', '--json', '--data-dir', dataDir]);
    expect(missing.code).toBe(2);
    expect(missing.json().error.code).toBe('protocols.missing_option');
    // A malformed hash is a bad argument (exit 2), not a "does not match" (issue 12, point 7).
    for (const hash of ['xyz', j.sha256.slice(0, 63), `${j.sha256}0`]) {
      const malformed = await cli(['protocol', 'verify', '--number', '1/2026', '--sha256', hash, '--json', '--data-dir', dataDir]);
      expect(malformed.code, hash).toBe(2);
      expect(malformed.json().error.code).toBe('protocols.bad_sha256');
      if (hash.length === 63) expect(malformed.json().error.message).toContain('63');
    }
    const human = await cli(['protocol', 'verify', '--number', '1/2026', '--sha256', j.sha256, '--lang', 'ru', '--data-dir', dataDir]);
    expect(human.stdout).toContain('Совпадает');
  });

  it('a case without an issued protocol exits 2 and writes nothing', async () => {
    const dir = tempDir();
    const dataDir = path.join(dir, 'data');
    const core = await adminCore(dataDir);
    let caseId: string;
    try {
      caseId = await decidedCase(core);
    } finally {
      core.close();
    }
    const out = path.join(dir, 'p.pdf');
    const r = await cli(['protocol', 'render', '--case-id', caseId, '--lang', 'ru', '--out', out, '--json', '--data-dir', dataDir]);
    expect(r.code).toBe(2);
    expect(r.json().error.code).toBe('protocols.not_issued');
    expect(fs.existsSync(out)).toBe(false);
  });
});
