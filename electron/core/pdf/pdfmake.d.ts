// Minimal types for the parts of pdfmake 0.3 (server build, `js/index.js`) this folder uses.
// pdfmake ships no TypeScript types and @types/pdfmake describes the 0.2 API, so we keep our own.
declare module 'pdfmake' {
  interface PdfMakeOutputDocument {
    getBuffer(): Promise<Buffer>;
    getStream(): Promise<NodeJS.ReadableStream & { end(): void }>;
  }
  interface PdfMakeVirtualFs {
    existsSync(filename: string): boolean;
    writeFileSync(filename: string, content: Buffer): void;
  }
  interface PdfMakeFontDescriptor {
    normal: string;
    bold?: string;
    italics?: string;
    bolditalics?: string;
  }
  interface PdfMakeServer {
    virtualfs: PdfMakeVirtualFs;
    createPdf(docDefinition: Record<string, unknown>, options?: Record<string, unknown>): PdfMakeOutputDocument;
    addFonts(fonts: Record<string, PdfMakeFontDescriptor>): void;
    setUrlAccessPolicy(callback: (url: string) => boolean): void;
    setLocalAccessPolicy(callback: (path: string) => boolean): void;
  }
  const pdfmake: PdfMakeServer;
  export default pdfmake;
}
