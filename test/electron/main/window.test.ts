import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../electron/core/security';
import { menuTemplate } from '../../../electron/main/menu';
import { isAllowedExternal, isAppUrl, mainWindowOptions } from '../../../electron/main/window';
import type { MenuItemConstructorOptions } from 'electron';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const mainSource = fs.readFileSync(path.join(root, 'electron', 'main', 'main.ts'), 'utf8');

describe('Electron window security', () => {
  const opts = mainWindowOptions('/x/preload.cjs', 'T', { devTools: false });

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
  const noop = { navigate() {}, setLanguage() {}, reload() {}, toggleDevTools() {}, quit() {} };

  it('every menu label comes from the locale files, in both languages', () => {
    const kk = labels(menuTemplate('kk', noop));
    const ru = labels(menuTemplate('ru', noop));
    expect(kk.length).toBeGreaterThan(10);
    for (const l of [...kk, ...ru]) expect(l).not.toMatch(/^menu:|\./);
    expect(kk).toContain('Істер');
    expect(ru).toContain('Дела');
  });
});

describe('Electron hardening (issue 12, point 12)', () => {
  it('DevTools: off in the window and absent from the menu of a packaged app; on only in a development run', () => {
    expect(mainWindowOptions('', 'T', { devTools: false }).webPreferences?.devTools).toBe(false);
    expect(mainWindowOptions('', 'T', { devTools: true }).webPreferences?.devTools).toBe(true);
    expect(mainSource).toContain('const DEV_TOOLS = !app.isPackaged;');
    expect(mainSource).toContain("mainWindowOptions(preload, t(currentLang(), 'common:app.title'), { devTools: DEV_TOOLS })");
    const labels = (devTools: boolean) =>
      JSON.stringify(menuTemplate('ru', { navigate() {}, setLanguage() {}, reload() {}, toggleDevTools() {}, quit() {} }, { devTools }));
    expect(labels(false)).not.toContain('Shift+I');
    expect(labels(true)).toContain('Shift+I');
  });

  it('opens in the system browser only https links to the allow-listed hosts', () => {
    expect(isAllowedExternal('https://adilet.zan.kz/rus/docs/V2000021746')).toBe(true);
    for (const url of [
      'http://adilet.zan.kz/',
      'https://adilet.zan.kz.evil.example/',
      'https://evil.example/?adilet.zan.kz',
      'https://user:pw@adilet.zan.kz/',
      'https://adilet.zan.kz:8443/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'not a url',
    ]) {
      expect(isAllowedExternal(url), url).toBe(false);
    }
    expect(mainSource).toContain('if (isAllowedExternal(url)) void shell.openExternal(url);');
    expect(mainSource.match(/shell\.openExternal\(/g)).toHaveLength(1);
  });

  it('the installers flip the Electron fuses: no RunAsNode, NODE_OPTIONS or inspect; cookie encryption and ASAR integrity on', () => {
    const yml = fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');
    // The electronFuses block: `key: true|false` lines indented under it.
    const block = /^electronFuses:\n((?:[ ]+\w+: (?:true|false)\n)+)/m.exec(yml)?.[1] ?? '';
    const fuses = Object.fromEntries([...block.matchAll(/(\w+): (true|false)/g)].map((m) => [m[1], m[2] === 'true']));
    expect(fuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});
