import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The main window's options. Kept as a pure function so a test can assert the security
 * settings the app really uses: isolated, sandboxed, no Node in the page, no webview, no
 * insecure content.
 */
export function mainWindowOptions(preloadPath: string, title: string): BrowserWindowConstructorOptions {
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
      devTools: true,
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
