import type { CommissionInfo, DocLang, IsoDate, IsoDateTime, LocalizedText, PdfLang } from '../../../shared/documents';
import { PDF_FONT_FAMILY } from './fonts';
import type { MessageParams, PdfTranslate } from './i18n';
import { qrCanvas } from './qr';

/** A pdfmake content node (kept loose: pdfmake has no types of its own). */
export type Content = string | Content[] | { [key: string]: unknown };

// A4 with the margins of Kazakh office documents (left 30 mm for binding, right 15, top 20);
// the bottom margin holds the footer (generation time, page number, verification code).
export const PAGE = { width: 595.28, height: 841.89 } as const;
export const MARGINS = { left: 85, top: 57, right: 42.5, bottom: 66 } as const;
export const CONTENT_WIDTH = PAGE.width - MARGINS.left - MARGINS.right;
export const QR_SIZE = 76;

/**
 * The language context a layout is written against. `lang: 'both'` is the bilingual form used
 * for the parts printed once in a two-language document (table headers of lists, signatures):
 * `t` then joins Kazakh and Russian as "kk / ru", and `label` stacks them.
 */
export interface Ctx {
  lang: DocLang;
  t(key: string, params?: MessageParams): string;
  /** A label node: one line, or for 'both' Kazakh above Russian. */
  label(key: string, params?: MessageParams, style?: Record<string, unknown>): Content;
  text(value: LocalizedText): string;
}

export function makeCtx(lang: DocLang, translate: PdfTranslate): Ctx {
  if (lang === 'both') {
    return {
      lang,
      t: (key, params) => {
        const kk = translate('kk', key, params);
        const ru = translate('ru', key, params);
        return kk === ru ? kk : `${kk} / ${ru}`;
      },
      label: (key, params, style = {}) => {
        const kk = translate('kk', key, params);
        const ru = translate('ru', key, params);
        return kk === ru ? { text: kk, ...style } : { stack: [{ text: kk }, { text: ru, color: '#404040' }], ...style };
      },
      text: (v) => (typeof v === 'string' ? v : v.kk === v.ru ? v.kk : `${v.kk} / ${v.ru}`),
    };
  }
  return {
    lang,
    t: (key, params) => translate(lang, key, params),
    label: (key, params, style = {}) => ({ text: translate(lang, key, params), ...style }),
    text: (v) => (typeof v === 'string' ? v : v[lang]),
  };
}

/** `2026-03-14` -> `14.03.2026` (the numeric form used in Kazakh and Russian office documents). */
export function formatDate(iso: IsoDate): string {
  const [y, m, d] = iso.split('-');
  return `${d}.${m}.${y}`;
}

/**
 * `2026-03-14T10:22:05+05:00` -> `14.03.2026 10:22`. The local time is printed as written (the
 * machine that prints may be in another zone than the one that generated); a zone other than
 * Kazakhstan's single zone (UTC+5 since 2024) is shown.
 */
export function formatDateTime(iso: IsoDateTime, utcLabel: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (!m) return iso;
  const [, date = '', time = '', zone = ''] = m;
  const suffix = zone === '+05:00' ? '' : zone === 'Z' ? ` ${utcLabel}` : ` (${utcLabel}${zone})`;
  return `${formatDate(date)} ${time}${suffix}`;
}

/** Integer hundredths as a decimal with a comma, as written in kk and ru: 750 -> "7,5", 225 -> "2,25". */
export function formatHundredths(h: number): string {
  const sign = h < 0 ? '-' : '';
  const abs = Math.abs(h);
  const whole = Math.floor(abs / 100);
  const frac = abs % 100;
  if (frac === 0) return `${sign}${whole}`;
  const digits = String(frac).padStart(2, '0').replace(/0$/, '');
  return `${sign}${whole},${digits}`;
}

export const STYLES: Record<string, Record<string, unknown>> = {
  authority: { fontSize: 9.5, bold: true, lineHeight: 1.15 },
  commission: { fontSize: 9.5, lineHeight: 1.15 },
  title: { fontSize: 14, bold: true, alignment: 'center', characterSpacing: 0.6, margin: [0, 6, 0, 2] },
  subtitle: { fontSize: 10, alignment: 'center', margin: [0, 0, 0, 2] },
  meta: { fontSize: 9.5, margin: [0, 10, 0, 6] },
  section: { fontSize: 10.5, bold: true, margin: [0, 11, 0, 5] },
  th: { bold: true, fontSize: 8.5, fillColor: '#ececec', alignment: 'center' },
  td: { fontSize: 8.5 },
  kvLabel: { fontSize: 8.5, bold: true },
  small: { fontSize: 7.5, color: '#333333' },
  // No italics: a third embedded font (oblique) would add ~8 KB to every document.
  note: { fontSize: 7.5, color: '#333333' },
  decision: { fontSize: 10, bold: true },
  footer: { fontSize: 7.5, color: '#222222' },
  footerCode: { fontSize: 6, color: '#444444' },
};

/** Thin black grid: the look of a table in a typed official form. */
export const GRID = {
  hLineWidth: () => 0.5,
  vLineWidth: () => 0.5,
  hLineColor: () => '#000000',
  vLineColor: () => '#000000',
  paddingLeft: () => 4,
  paddingRight: () => 4,
  paddingTop: () => 2.5,
  paddingBottom: () => 2.5,
};

/** No lines: used for the signature block and the title block. */
export const NO_LINES = {
  hLineWidth: () => 0,
  vLineWidth: () => 0,
  paddingLeft: () => 0,
  paddingRight: () => 6,
  paddingTop: () => 0,
  paddingBottom: () => 0,
};

export function rule(width: number = CONTENT_WIDTH, lineWidth = 0.8, margin: number[] = [0, 6, 0, 4]): Content {
  return { canvas: [{ type: 'line', x1: 0, y1: 0, x2: width, y2: 0, lineWidth }], margin };
}

/**
 * Keeps a numbered section (heading and its table or text) on one page when it fits, so a heading
 * never stands alone at the bottom of a page. (pdfmake's pageBreakBefore hook cannot see that a
 * table was moved to the next page: its header cells still count as on the first page.)
 */
export function keep(block: Content[]): Content {
  return { stack: block, unbreakable: true };
}

/** A numbered section heading: "1. Комиссия құрамы". */
export function section(n: number, title: string): Content {
  return { text: `${n}. ${title}`, style: 'section' };
}

/**
 * A grid table of rows under a header row, each row kept on one page; `empty` (a note) in its
 * place when there are no rows.
 */
export function gridTable(widths: (number | string)[], header: Content[], rows: Content[][], empty: string): Content {
  if (rows.length === 0) return { text: empty, style: 'note' };
  return { table: { headerRows: 1, dontBreakRows: true, widths, body: [header, ...rows] }, layout: GRID };
}

/** A two-column label/value table with a grid (patient data, diagnosis, ...). */
export function kvTable(rows: [Content, Content][], labelWidth: number | string = '38%'): Content {
  return {
    table: {
      widths: [labelWidth, '*'],
      body: rows.map(([k, v]) => [
        typeof k === 'string' ? { text: k, style: 'kvLabel' } : { ...(k as object), style: 'kvLabel' },
        typeof v === 'string' ? { text: v, style: 'td' } : v,
      ]),
      dontBreakRows: true,
    },
    layout: GRID,
  };
}

/** The authority and commission names (left of the QR code in the title block). */
export function authorityBlock(ctx: Ctx, commission: CommissionInfo | undefined): Content {
  if (!commission) return { text: '' };
  return {
    stack: [
      // The authority's name in capitals, as on an official letterhead.
      { text: ctx.text(commission.authority).toLocaleUpperCase(ctx.lang === 'ru' ? 'ru' : 'kk'), style: 'authority' },
      { text: ctx.text(commission.name), style: 'commission', margin: [0, 2, 0, 0] },
    ],
  };
}

/** The title block's first row: authority text (one or two languages) and the QR code. */
export function titleRow(left: Content, verification: string): Content {
  return {
    columns: [
      { width: '*', stack: [left] },
      // The code drawn by qr.ts (pdfmake's modules, fewer rectangles); `qrText` says what it encodes.
      { width: QR_SIZE, canvas: qrCanvas(verification, QR_SIZE, 'M'), qrText: verification, margin: [0, 0, 0, 0] },
    ],
    columnGap: 14,
  };
}

/** Title and subtitle, centred. */
export function titleLines(ctx: Ctx, titleKey: string, subtitleKey: string): Content {
  return [
    { text: ctx.t(titleKey), style: 'title' },
    { text: ctx.t(subtitleKey), style: 'subtitle' },
  ];
}

export interface Signer {
  roleLabel: string;
  name: string;
}

/**
 * Signature lines: role, a line to sign on with "(қолы)"/"(подпись)" under it, the printed name
 * with "(Т.А.Ә.)"/"(Ф.И.О.)" under it. Rows never split across pages, and the block keeps together
 * with its heading where it fits.
 */
export function signatureBlock(ctx: Ctx, signers: Signer[], heading?: string): Content {
  const caption = (key: string): Content => ({ text: ctx.t(key), style: 'small', alignment: 'center', margin: [0, 1, 0, 0] });
  const line = (w: number): Content => ({ canvas: [{ type: 'line', x1: 0, y1: 0, x2: w, y2: 0, lineWidth: 0.6 }] });
  const body: Content[] = signers.map((s) => [
    { text: s.roleLabel, fontSize: 9, margin: [0, 12, 0, 0] },
    { stack: [{ text: ' ', fontSize: 9, margin: [0, 12, 0, 0] }, line(120), caption('common.signature')], margin: [0, 0, 0, 6] },
    {
      stack: [{ text: s.name, fontSize: 9, alignment: 'center', margin: [0, 12, 0, 0] }, line(150), caption('common.fullName')],
      margin: [0, 0, 0, 6],
    },
  ]);
  return {
    stack: [
      ...(heading ? [{ text: heading, style: 'section' }] : []),
      { table: { widths: ['*', 120, 150], body, dontBreakRows: true }, layout: { ...NO_LINES, paddingRight: () => 10 } },
    ],
    unbreakable: signers.length <= 8,
  };
}

/** The footer on every page: generation time and page number in the document's language(s), verification code. */
export function footer(
  translate: PdfTranslate,
  lang: DocLang,
  generatedAt: IsoDateTime,
  verification: string,
): (currentPage: number, pageCount: number, pageSize?: { width: number }) => Content {
  const langs: PdfLang[] = lang === 'both' ? ['kk', 'ru'] : [lang];
  return (page, pages, pageSize) => {
    const at = formatDateTime(generatedAt, translate(langs[0] ?? 'kk', 'common.utc'));
    // One time for both languages: "Құрастырылған уақыты / Сформировано: 14.03.2026 10:22".
    const generated =
      langs.length === 1
        ? translate(langs[0] ?? 'kk', 'common.generatedAt', { at })
        : `${langs.map((l) => translate(l, 'common.generatedLabel')).join(' / ')}: ${at}`;
    const pageText = langs.map((l) => translate(l, 'common.page', { page, pages })).join(' / ');
    return {
      margin: [MARGINS.left, 18, MARGINS.right, 0],
      stack: [
        // A landscape page (the annual report's table) has a wider line.
        rule(pageSize ? pageSize.width - MARGINS.left - MARGINS.right : CONTENT_WIDTH, 0.5, [0, 0, 0, 3]),
        {
          columns: [
            { text: generated, style: 'footer', width: '*' },
            { text: pageText, style: 'footer', width: 'auto', alignment: 'right' },
          ],
        },
        { text: translate(langs[0] ?? 'kk', 'common.verification', { code: verification }), style: 'footerCode', margin: [0, 2, 0, 0] },
      ],
    };
  };
}

/**
 * Lays out per-language content for a two-language document: side by side (kk | ru) or one after
 * the other. `parts(ctx)` gives the blocks of one language; in `columns` each block becomes a row
 * of two columns, so the two texts stay level with each other section by section.
 */
export function bilingual(
  translate: PdfTranslate,
  layout: 'columns' | 'sequential',
  parts: (ctx: Ctx) => Content[],
): Content[] {
  const kk = parts(makeCtx('kk', translate));
  const ru = parts(makeCtx('ru', translate));
  if (layout === 'sequential') {
    const [first, ...rest] = ru;
    return [...kk, { stack: [first ?? ''], pageBreak: 'before' }, ...rest];
  }
  const out: Content[] = [];
  const n = Math.max(kk.length, ru.length);
  for (let i = 0; i < n; i++) {
    out.push({ columns: [{ width: '*', stack: [kk[i] ?? ''] }, { width: '*', stack: [ru[i] ?? ''] }], columnGap: 16 });
  }
  return out;
}

/**
 * The page set-up every document shares: A4 portrait, the margins, the footer of the page (which
 * tells `onPageCount` how many pages there are), the font and the styles.
 */
export function pageSetup(pageFooter: ReturnType<typeof footer>, onPageCount: (pages: number) => void): Record<string, unknown> {
  return {
    pageSize: 'A4',
    pageOrientation: 'portrait',
    pageMargins: [MARGINS.left, MARGINS.top, MARGINS.right, MARGINS.bottom],
    footer: (currentPage: number, pageCount: number, pageSize?: { width: number }) => {
      onPageCount(pageCount);
      return pageFooter(currentPage, pageCount, pageSize);
    },
    defaultStyle: { font: PDF_FONT_FAMILY, fontSize: 9.5, lineHeight: 1.12 },
    styles: STYLES,
  };
}
