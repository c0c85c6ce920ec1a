import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The main window's options. Kept as a pure function so a test can assert the security
 * settings the app really uses: isolated, sandboxed, no Node in the page, no webview, no
 * insecure content.
 */
export function mainWindowOptions(preloadPath: string, title: string, options: { devTools: boolean }): BrowserWindowConstructorOptions {
  return {
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 640,
    title,
    show: false,
    backgroundColor: '#f5f6f8',
    autoHideMenuBar: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Developer tools only in a development run (not packaged): in an installed app they would
      // let anyone at the unlocked laptop read the page's memory and call the API by hand.
      devTools: options.devTools,
    },
  };
}

/** True when a navigation target stays inside the app's own origin. */
export function isAppUrl(url: string, appOrigin: string): boolean {
  try {
    // Custom schemes have an opaque origin ("null"), so compare scheme and host explicitly.
    const u = new URL(url);
    const app = new URL(appOrigin);
    return u.protocol === app.protocol && u.host === app.host;
  } catch {
    return false;
  }
}

/**
 * Hosts whose pages may open in the system browser (links to the legal texts and public help).
 * Anything else — another scheme, another host, a look-alike — is refused: the app never hands
 * the OS an address a page made up.
 */
export const EXTERNAL_HOSTS: readonly string[] = ['adilet.zan.kz', 'www.gov.kz', 'egov.kz', 'www.egov.kz', 'bg.eisz.kz'];

/** True when `url` is https on an allow-listed host (no credentials, default port). */
export function isAllowedExternal(url: string, hosts: readonly string[] = EXTERNAL_HOSTS): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.username === '' && u.password === '' && u.port === '' && hosts.includes(u.hostname);
  } catch {
    return false;
  }
}
