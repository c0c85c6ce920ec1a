import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell, type WebContents } from 'electron';
import type { ApiEvent, Lang } from '../../shared/contract';
import { AppFailure } from '../../shared/result';
import { APP_ORIGIN, APP_SCHEME, IPC_EVENT, IPC_INVOKE } from '../../shared/contract/ipc';
import { RENDERER_CALLER } from '../core/context';
import { createCore, type Core } from '../core/core';
import { t, translateError } from '../core/i18n';
import { appRoot, defaultDataDir } from '../core/paths';
import { privateUmask } from '../core/private-files';
import { CONTENT_SECURITY_POLICY } from '../core/security';
import { menuTemplate } from './menu';
import { PRINT_METHOD, PRINT_SCHEME, printPdf, printProtocolResponse } from './print';
import { isAllowedExternal, isAppUrl, mainWindowOptions } from './window';

// Everything this process writes is private to the OS user (issue 12, point 13).
privateUmask();

// Data lives where the CLI looks by default, so the desktop app and `htmp` share one database.
app.setPath('userData', defaultDataDir());

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  { scheme: PRINT_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

/** Developer tools exist only in a development run, never in an installed (packaged) app. */
const DEV_TOOLS = !app.isPackaged;

let core: Core | undefined;
let mainWindow: BrowserWindow | undefined;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Serves dist/renderer under app://htmp/ with the CSP; nothing outside that folder. */
function registerAppProtocol(): void {
  const root = path.join(appRoot(), 'dist', 'renderer');
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    let rel = decodeURIComponent(url.pathname);
    if (rel === '/' || rel === '') rel = '/index.html';
    let file = path.resolve(root, `.${path.posix.normalize(rel)}`);
    if (!file.startsWith(root + path.sep)) return new Response('Not found', { status: 404 });
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) file = path.join(root, 'index.html');
    const body = await fs.promises.readFile(file);
    return new Response(body, {
      headers: {
        'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });
}

/** Denies every permission request (camera, geolocation, notifications…): the app needs none. */
function lockDownSession(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

/** Blocks navigation away from the app and every new window, for all web contents. */
function guardWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, APP_ORIGIN)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, APP_ORIGIN)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links to the legal texts and public help open in the system browser, and only those hosts;
    // nothing opens inside the app.
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

function send(event: ApiEvent): void {
  mainWindow?.webContents.send(IPC_EVENT, event);
}

/** The interface language, as the core's settings last said (menus and titles follow it). */
let uiLang: Lang = 'kk';
const currentLang = (): Lang => uiLang;

/** Reads the language through the core's one door, then rebuilds the menu in it. */
async function refreshLanguage(): Promise<void> {
  if (!core) return;
  const r = await core.dispatch('settings.get', {});
  if (r.ok) uiLang = (r.value as { language: Lang }).language;
  buildMenu();
}

function buildMenu(): void {
  const lang = currentLang();
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate(lang, {
        navigate: (area) => send({ type: 'ui.navigate', payload: { area } }),
        setLanguage: (l) => void core?.dispatch('settings.update', { language: l }),
        reload: () => mainWindow?.webContents.reload(),
        toggleDevTools: () => mainWindow?.webContents.toggleDevTools(),
        quit: () => app.quit(),
      }, { devTools: DEV_TOOLS }),
    ),
  );
  mainWindow?.setTitle(t(lang, 'common:app.title'));
}

/** Accepts IPC only from the app's own window and page. */
function registerIpc(): void {
  ipcMain.handle(IPC_INVOKE, async (event, method: unknown, args: unknown) => {
    const frameUrl = event.senderFrame?.url ?? '';
    if (!mainWindow || event.sender.id !== mainWindow.webContents.id || !isAppUrl(frameUrl, APP_ORIGIN)) {
      return { ok: false, error: { code: 'api.forbidden_sender' } };
    }
    if (typeof method !== 'string' || !core) return { ok: false, error: { code: 'api.unknown_method', params: { method: String(method) } } };
    // Printing needs a window and the system dialog: answered here, never by the core.
    if (method === PRINT_METHOD) return printPdf(BrowserWindow, args, t(currentLang(), 'common:app.title'));
    return core.dispatch(method, args, RENDERER_CALLER);
  });
}

function createWindow(): void {
  const preload = path.join(appRoot(), 'dist', 'electron', 'preload.cjs');
  mainWindow = new BrowserWindow(mainWindowOptions(preload, t(currentLang(), 'common:app.title'), { devTools: DEV_TOOLS }));
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => {
    mainWindow = undefined;
  });
  void mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.on('web-contents-created', (_e, contents) => guardWebContents(contents));
  app.whenReady().then(async () => {
    core = createCore({ dataDir: app.getPath('userData'), host: 'electron', versions: { electron: process.versions.electron ?? '', chrome: process.versions.chrome ?? '' } });
    core.onEvent((event) => {
      send(event);
      if (event.type === 'data.changed' && event.payload.area === 'settings') void refreshLanguage();
    });
    lockDownSession();
    registerAppProtocol();
    protocol.handle(PRINT_SCHEME, (request) => printProtocolResponse(request.url));
    registerIpc();
    await refreshLanguage();
    createWindow();
  }).catch((err: unknown) => {
    // The data folder cannot be opened (no rights, full disk, not a database, locked...): say so
    // in the user's language in a dialog rather than vanish.
    const message = err instanceof AppFailure ? translateError(uiLang, err.toError()) : err instanceof Error ? err.message : String(err);
    console.error(message);
    dialog.showErrorBox(t(uiLang, 'common:app.title'), message);
    app.exit(err instanceof AppFailure ? 2 : 1);
  });
  app.on('window-all-closed', () => {
    core?.close();
    app.quit();
  });
}
