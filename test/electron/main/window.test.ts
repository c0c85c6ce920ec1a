import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../electron/core/security';
import { menuTemplate } from '../../../electron/main/menu';
import { isAppUrl, mainWindowOptions } from '../../../electron/main/window';
import type { MenuItemConstructorOptions } from 'electron';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const mainSource = fs.readFileSync(path.join(root, 'electron', 'main', 'main.ts'), 'utf8');

describe('Electron window security', () => {
  const opts = mainWindowOptions('/x/preload.cjs', 'T');

  it('isolates and sandboxes the page, with no Node integration anywhere', () => {
    expect(opts.webPreferences).toMatchObject({
      preload: '/x/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
  });

  it('the main process uses these options for its window', () => {
    expect(mainSource).toMatch(/new BrowserWindow\(mainWindowOptions\(/);
    expect(mainSource.match(/new BrowserWindow\(/g)).toHaveLength(1);
  });

  it('the CSP starts from default-src none and allows no remote origin', () => {
    expect(CONTENT_SECURITY_POLICY.startsWith("default-src 'none'")).toBe(true);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/);
  });

  it('blocks navigation, new windows, webviews and permissions, and checks the IPC sender', () => {
    for (const needle of [
      "contents.on('will-navigate'",
      "contents.on('will-redirect'",
      "contents.on('will-attach-webview'",
      'setWindowOpenHandler',
      "return { action: 'deny' }",
      'setPermissionRequestHandler((_wc, _permission, callback) => callback(false))',
      'setPermissionCheckHandler(() => false)',
      'event.sender.id !== mainWindow.webContents.id',
      "'Content-Security-Policy': CONTENT_SECURITY_POLICY",
    ]) {
      expect(mainSource, needle).toContain(needle);
    }
  });

  it('recognises only the app origin as its own', () => {
    expect(isAppUrl('app://htmp/index.html', 'app://htmp')).toBe(true);
    expect(isAppUrl('https://example.com/', 'app://htmp')).toBe(false);
    expect(isAppUrl('app://evil/index.html', 'app://htmp')).toBe(false);
    expect(isAppUrl('file:///etc/passwd', 'app://htmp')).toBe(false);
  });

  it('the preload exposes only invoke and onEvent', () => {
    const preload = fs.readFileSync(path.join(root, 'electron', 'preload', 'preload.ts'), 'utf8');
    expect(preload.match(/exposeInMainWorld/g)).toHaveLength(1);
    expect(preload).toMatch(/invoke:/);
    expect(preload).toMatch(/onEvent:/);
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/);
  });
});

describe('menus', () => {
  const labels = (items: MenuItemConstructorOptions[]): string[] =>
    items.flatMap((i) => [...(i.label ? [i.label] : []), ...(Array.isArray(i.submenu) ? labels(i.submenu) : [])]);
  const noop = { navigate() {}, setLanguage() {}, reload() {}, toggleDevTools() {}, quit() {}, lock() {} };

  it('every menu label comes from the locale files, in both languages', () => {
    const kk = labels(menuTemplate('kk', noop));
    const ru = labels(menuTemplate('ru', noop));
    expect(kk.length).toBeGreaterThan(10);
    for (const l of [...kk, ...ru]) expect(l).not.toMatch(/^menu:|\./);
    expect(kk).toContain('Істер');
    expect(ru).toContain('Дела');
  });
});
