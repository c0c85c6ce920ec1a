import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../../shared/canonical-json';
import { parseVerificationString, type DocLang, type HtmpDocument, type BilingualLayout } from '../../../../shared/documents';
import {
  buildDocDefinition,
  PdfInvalidDocumentError,
  renderDocument,
  renderDocumentToFile,
  statementHash,
} from '../../../../electron/core/pdf/index';
import { appRoot } from '../../../../electron/core/paths';
import { QR_SIZE } from '../../../../electron/core/pdf/common';
import { qrCanvas } from '../../../../electron/core/pdf/qr';
import * as fx from './fixtures';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-pdf-'));
// First pages are kept as PNG artifacts for a person to look at.
const artifacts = path.join(appRoot(), 'test-results', 'pdf');

beforeAll(() => fs.mkdirSync(artifacts, { recursive: true }));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
/** pdftotext with line breaks folded, so phrases wrapped over lines still match. */
const text = (file: string, first?: number, last?: number): string =>
  run('pdftotext', [...(first ? ['-f', String(first)] : []), ...(last ? ['-l', String(last)] : []), '-enc', 'UTF-8', file, '-'])
    .replace(/\s+/g, ' ');

const KAZAKH_LETTERS = [...'ӘҒҚҢӨҰҮҺІәғқңөұүһі'];

type Variant = { lang: DocLang; layout?: BilingualLayout; tag: string };
const VARIANTS: Variant[] = [
  { lang: 'kk', tag: 'kk' },
  { lang: 'ru', tag: 'ru' },
  { lang: 'both', layout: 'columns', tag: 'both-columns' },
  { lang: 'both', layout: 'sequential', tag: 'both-sequential' },
];

// Texts each document must show, per language (short phrases: long ones wrap differently per layout).
const EXPECTED: Record<string, { doc: () => HtmpDocument; kk: string[]; ru: string[] }> = {
  protocol: {
    doc: () => fx.protocol(),
    kk: ['ХАТТАМА', '№ 12/2026', 'Комиссия құрамы', 'Комиссия төрағасы', 'ЖСН', '900215450123', '36.10', '(қолы)', '(Т.А.Ә.)', 'Шешім оң', 'беттің 1-беті', 'ЖТМК түрлерінің тізбесінде', 'Жоспарлы емдеуге жатқызу кезіндегі міндетті', 'басшысының орынбасары'],
    ru: ['ПРОТОКОЛ', '№ 12/2026', 'Состав комиссии', 'Председатель комиссии', 'ИИН', 'Аортокоронарное шунтирование', '(подпись)', '(Ф.И.О.)', 'Решение положительное', 'Стр. 1 из', 'В перечне видов ВТМП', 'в системе обязательного социального', 'Заместитель руководителя'],
  },
  refusedProtocol: {
    doc: () => fx.refusedProtocol(),
    kk: ['Шешім теріс', '33-тармағына сәйкес', 'ҚР ДСМ-238/2020', 'Атауы қазақ тілінде ресми дереккөзде жоқ', 'Трансплантация почки', 'анықталмаған', 'бас тартуды есепке алу журналында'],
    ru: ['Решение отрицательное', 'подпункт 2) пункта 40', 'согласно пункту 33', 'ҚР ДСМ-238/2020', 'журнале учета приема больных и отказов в госпитализации', 'не определена'],
  },
  refusalJournal: {
    doc: () => fx.refusalJournal(),
    kk: ['БАС ТАРТУЛАР ЖУРНАЛЫ', 'Кезең: 01.01.2026 – 31.03.2026', 'құжаттардың толық емес пакеті', 'Жазбалардың барлығы: 6', 'стационарлық емделуде', 'айналма шунттау'],
    ru: ['ЖУРНАЛ ОТКАЗОВ', 'Период: с 01.01.2026 по 31.03.2026', 'неполный пакет документов', 'Всего записей: 6', 'на стационарном лечении', 'Аортокоронарное шунтирование'],
  },
  protocolRegister: {
    doc: () => fx.protocolRegister(),
    kk: ['ХАТТАМАЛАР ТІЗІЛІМІ', 'Хаттамалардың барлығы: 8', '54.970.059', 'Өмірзақова Гүлнұр Қайратқызы'],
    ru: ['РЕЕСТР', 'Всего протоколов: 8', 'положительных: 6, отрицательных: 2'],
  },
  protocolRegisterWithNames: {
    doc: () => fx.protocolRegisterWithNames(),
    kk: ['№ 2/2026 хаттаманың орнына', 'айналма шунттау', 'Трансплантация почки', 'Показания подтверждены консилиумом'],
    ru: ['взамен протокола № 2/2026', 'Аортокоронарное шунтирование', 'Показания подтверждены консилиумом'],
  },
  scoringSheet: {
    doc: () => fx.scoringSheet(),
    kk: ['БАҒАЛАУ ПАРАҒЫ', 'Инновациялылық (жаңалығы)', 'Жиынтық балл: 8', 'ЖТМК түрлерінің тізбесіне енгізіледі', '10 жылдан астам, 15 жылды қоса алғанда', 'Бейресми аударма'],
    ru: ['ОЦЕНОЧНЫЙ ЛИСТ', 'Инновационность', 'Ресурсоемкость', 'коэффициент', 'Шкала критерия', 'Итого баллов: 8', '3,75', '0,75', 'включается в перечень видов ВТМП'],
  },
};

describe.each(Object.entries(EXPECTED))('%s', (name, spec) => {
  it.each(VARIANTS)('renders $tag with the expected texts, embedded fonts and metadata', async ({ lang, layout, tag }) => {
    const doc = spec.doc();
    const file = path.join(tmp, `${name}-${tag}.pdf`);
    const result = await renderDocumentToFile(doc, file, { lang, ...(layout ? { layout } : {}) });

    expect(result.buffer.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(result.sha256).toBe(statementHash(doc));
    expect(result.buffer.length).toBeLessThan(120_000);

    const info = run('pdfinfo', [file]);
    expect(info).toMatch(new RegExp(`^Pages:\\s+${result.pages}$`, 'm'));
    expect(info).toMatch(/^Title:\s+\S/m);
    expect(info).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)/m);
    expect(info).toContain(result.verification); // in Keywords

    const fonts = run('pdffonts', [file]).split('\n').slice(2).filter((l) => l.trim() !== '');
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) {
      expect(line).toContain('DejaVuSans');
      expect(line).toMatch(/\byes\s+yes\s+yes\b/); // emb sub uni
    }

    const all = text(file);
    const langs = lang === 'both' ? (['kk', 'ru'] as const) : ([lang] as const);
    for (const l of langs) for (const phrase of spec[l]) expect(all, `${l}: ${phrase}`).toContain(phrase);
    // The verification string is printed on every page.
    expect(all.split(result.verification).length - 1).toBe(result.pages);

    // Rendered in this run's own folder, then kept as an artifact (parallel runs never share a file).
    run('pdftoppm', ['-r', '60', '-png', '-f', '1', '-l', '1', '-singlefile', file, path.join(tmp, `${name}-${tag}`)]);
    expect(fs.statSync(path.join(tmp, `${name}-${tag}.png`)).size).toBeGreaterThan(5_000);
    fs.copyFileSync(path.join(tmp, `${name}-${tag}.png`), path.join(artifacts, `${name}-${tag}.png`));
  });
});

describe('Kazakh letters', () => {
  it('shows every Kazakh-specific letter, upper and lower case, in a Kazakh protocol', async () => {
    const file = path.join(tmp, 'letters.pdf');
    await renderDocumentToFile(fx.protocol(), file, { lang: 'kk' });
    const all = text(file);
    for (const letter of KAZAKH_LETTERS) expect(all, letter).toContain(letter);
  });

  it('shows the Kazakh labels themselves with their letters (not only the data)', async () => {
    const file = path.join(tmp, 'labels.pdf');
    await renderDocumentToFile(fx.refusalJournal(), file, { lang: 'kk' });
    const all = text(file);
    for (const phrase of ['БАС ТАРТУЛАР ЖУРНАЛЫ', 'Күні', 'ЖСН', 'Пациенттің Т.А.Ә.', 'Құрастырылған уақыты', 'Тексеру коды', 'ЖТМК көрсетілімдері жоқ', 'түпнұсқалық еместігі', 'ЖАТҚЫЗУДАН'.toLowerCase()]) {
      expect(all).toContain(phrase);
    }
  });
});

describe('page numbers', () => {
  it('numbers pages "N беттің K-беті" / "Стр. K из N" on every page', async () => {
    const file = path.join(tmp, 'pages.pdf');
    const r = await renderDocumentToFile(fx.protocol(), file, { lang: 'both', layout: 'sequential' });
    expect(r.pages).toBeGreaterThanOrEqual(2);
    for (let p = 1; p <= r.pages; p++) {
      const page = text(file, p, p);
      expect(page).toContain(`${r.pages} беттің ${p}-беті`);
      expect(page).toContain(`Стр. ${p} из ${r.pages}`);
    }
  });

  it('lays out a register of 1,000 protocols on the right number of pages, every row once, header repeated', async () => {
    const doc = fx.protocolRegister(1000);
    const file = path.join(tmp, 'register-1000.pdf');
    const r = await renderDocumentToFile(doc, file, { lang: 'ru' });
    const info = run('pdfinfo', [file]);
    expect(info).toMatch(new RegExp(`^Pages:\\s+${r.pages}$`, 'm'));
    // Rows of one or two lines (long names wrap beside the technology's column): about 20-60 a page.
    expect(r.pages).toBeGreaterThanOrEqual(Math.ceil(1000 / 60));
    expect(r.pages).toBeLessThanOrEqual(Math.ceil(1000 / 20));

    const seen: number[] = [];
    for (let p = 1; p <= r.pages; p++) {
      const page = text(file, p, p);
      expect(page, `page ${p}`).toContain('№ протокола'); // repeated header row
      expect(page, `page ${p}`).toContain(`Стр. ${p} из ${r.pages}`);
      // Protocol numbers "<n>/2026"; the footer's period "2026-01-01/2026-12-31" is excluded by the look-arounds.
      for (const m of page.matchAll(/(?<![\d-])(\d{1,4})\/2026(?![-\d])/g)) seen.push(Number(m[1]));
    }
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(text(file, r.pages, r.pages)).toContain('Всего протоколов: 1000');
  });
});

describe('verification', () => {
  it('puts "HTMP-PROTOCOL|<number>|<sha256 of the statement>" into the QR code', () => {
    const doc = fx.protocol();
    const built = buildDocDefinition(doc, { lang: 'kk' });
    const qrs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        const rec = node as Record<string, unknown>;
        if (typeof rec['qrText'] === 'string') {
          qrs.push(rec['qrText']);
          // What is drawn is the code of that text (qr.ts: pdfmake's encoder, merged rectangles).
          expect(rec['canvas']).toEqual(qrCanvas(rec['qrText'], QR_SIZE, 'M'));
        }
        Object.values(rec).forEach(walk);
      }
    };
    walk(built.definition['content']);
    expect(qrs).toHaveLength(1);
    // Recompute independently of the engine: the doc without generatedAt, canonical JSON, SHA-256.
    const { generatedAt: _g, ...statement } = doc;
    const expected = createHash('sha256').update(canonicalJson(statement)).digest('hex');
    expect(statementHash(doc)).toBe(expected);
    expect(qrs[0]).toBe(`HTMP-PROTOCOL|12/2026|${expected}`);
    expect(parseVerificationString(qrs[0] ?? '')).toEqual({ kind: 'protocol', number: '12/2026', sha256: expected });
  });

  it('hashes the statement only: the generation time does not change it, any field does', () => {
    const doc = fx.protocol();
    expect(statementHash({ ...doc, generatedAt: '2030-01-01T00:00:00Z' })).toBe(statementHash(doc));
    expect(statementHash({ ...doc, patient: { ...doc.patient, iin: '900215450124' } })).not.toBe(statementHash(doc));
    // An optional field left out and one set to undefined are the same statement.
    const { middleName: _m, ...noMiddle } = doc.patient;
    expect(statementHash({ ...doc, patient: { ...noMiddle, middleName: undefined } })).toBe(statementHash({ ...doc, patient: noMiddle }));
  });

  it('prints the same hash in kk, ru and both', async () => {
    const doc = fx.protocol();
    const hashes = await Promise.all((['kk', 'ru', 'both'] as const).map(async (lang) => (await renderDocument(doc, { lang })).verification));
    expect(new Set(hashes).size).toBe(1);
  });
});

describe('invalid input', () => {
  const cases: [string, () => unknown, string][] = [
    ['missing number', () => ({ ...fx.protocol(), number: undefined }), 'number'],
    ['bad number', () => ({ ...fx.protocol(), number: '012/2026' }), 'number'],
    ['bad date', () => ({ ...fx.protocol(), date: '2026-02-30' }), 'date'],
    ['empty members', () => ({ ...fx.protocol(), members: [] }), 'members'],
    ['no chair', () => ({ ...fx.protocol(), members: [{ name: 'Иванов И. И.', role: 'member' }] }), 'members'],
    ['unknown reason', () => ({ ...fx.protocol(), decision: { outcome: 'refused', reason: 'no_money' } }), 'decision.reason'],
    ['reason on approval', () => ({ ...fx.protocol(), decision: { outcome: 'approved', reason: 'not_authentic' } }), 'decision.reason'],
    ['bad IIN', () => ({ ...fx.protocol(), patient: { ...fx.protocol().patient, iin: '12345' } }), 'patient.iin'],
    ['no name in any language', () => ({ ...fx.protocol(), htmp: { code: '36.10', name: { kk: null, ru: null } } }), 'htmp.name'],
    ['bad generatedAt', () => ({ ...fx.protocol(), generatedAt: 'yesterday' }), 'generatedAt'],
    ['bad journal row', () => ({ ...fx.refusalJournal(), rows: [{ ...fx.refusalJournal().rows[0], reason: 'x' }] }), 'rows[0].reason'],
    ['reversed period', () => ({ ...fx.protocolRegister(), period: { from: '2026-12-31', to: '2026-01-01' } }), 'period.to'],
    ['fractional points', () => ({ ...fx.scoringSheet(), total: 8.0001 }), 'total'],
    ['wrong sum', () => ({ ...fx.scoringSheet(), total: 900 }), 'total'],
    ['unknown kind', () => ({ kind: 'letter' }), 'kind'],
  ];

  it.each(cases)('%s -> pdf.invalid_document, no file written', async (_name, make, field) => {
    const dir = fs.mkdtempSync(path.join(tmp, 'invalid-'));
    const file = path.join(dir, 'out.pdf');
    const error = await renderDocumentToFile(make() as HtmpDocument, file, { lang: 'kk' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PdfInvalidDocumentError);
    expect(error).toMatchObject({ code: 'pdf.invalid_document', params: { field } });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses an unknown language option', async () => {
    await expect(renderDocument(fx.protocol(), { lang: 'en' as DocLang })).rejects.toMatchObject({
      code: 'pdf.invalid_document',
      params: { field: 'options.lang' },
    });
  });
});
