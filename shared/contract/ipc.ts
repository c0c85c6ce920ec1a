/** The only IPC channels between the renderer and the main process (one file names them all). */
export const IPC_INVOKE = 'htmp:invoke';
export const IPC_EVENT = 'htmp:event';

/** The custom scheme and host the desktop UI is served from. */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://htmp';

/** What the preload exposes on `window.htmp`: nothing else of Electron reaches the page. */
export interface DesktopBridge {
  invoke(method: string, args: unknown): Promise<unknown>;
  onEvent(listener: (event: unknown) => void): () => void;
}
