/**
 * The Content Security Policy of the UI, for Electron and the web host alike. It starts from
 * `default-src 'none'` and opens only what the renderer needs: its own scripts, styles, fonts,
 * images (data:/blob: for previews) and API calls to its own origin.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
