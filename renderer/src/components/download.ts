/** The bytes of a file received from the core in base64. */
export function base64Bytes(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** Saves a Blob through the browser's or Electron's download: the user chooses where. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the download time to start before the URL is revoked.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** Saves a file received from the core (base64) through the browser's or Electron's download. */
export function downloadBase64(base64: string, fileName: string, mime: string): void {
  saveBlob(new Blob([base64Bytes(base64)], { type: mime }), fileName);
}
