// Minimal types for the part of fontkit 2 (already a dependency of pdfkit) the chart helper uses.
declare module 'fontkit' {
  interface Glyph {
    advanceWidth: number;
  }
  interface Font {
    unitsPerEm: number;
    glyphForCodePoint(codePoint: number): Glyph;
  }
  export function create(buffer: Buffer): Font;
}
