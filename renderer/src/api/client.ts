import type { ApiEvent, ArgsOf, MethodName, ResultOf } from '../../../shared/contract';
import type { DesktopBridge } from '../../../shared/contract/ipc';
import type { Result } from '../../../shared/result';

/**
 * The page's link to the core: `open` while it answers; `connecting` before the first answer;
 * `down` while the host is not running (stopped or restarting: the page keeps trying, and
 * reconnects by itself); `refused` when the host no longer knows this page's token (it was
 * started with a new one): only opening the address it printed helps.
 */
export type Connection = 'connecting' | 'open' | 'down' | 'refused';

/** How calls reach the core: the Electron preload bridge or the local web host. */
export interface Transport {
  kind: 'electron' | 'web';
  invoke(method: string, args: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  /** Calls the listener with the current state at once, then on every change. */
  onConnection?(listener: (state: Connection) => void): () => void;
  /** Sends a call that must reach the host even while the page unloads (no answer is read). */
  beacon?(method: string, args: unknown): void;
}

/** The typed API client: every method and its argument/result types come from shared/contract. */
export interface ApiClient {
  kind: Transport['kind'];
  call<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<Result<ResultOf<M>>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  onConnection(listener: (state: Connection) => void): () => void;
  /** A last call while the page closes (autosave); best effort. */
  beacon<M extends MethodName>(method: M, args: ArgsOf<M>): void;
}

export function createClient(transport: Transport): ApiClient {
  return {
    kind: transport.kind,
    call: (method, args) => transport.invoke(method, args) as never,
    onEvent: (l) => transport.onEvent(l),
    onConnection: (l) => {
      if (transport.onConnection) return transport.onConnection(l);
      l('open');
      return () => undefined;
    },
    beacon: (method, args) => {
      if (transport.beacon) transport.beacon(method, args);
      else void transport.invoke(method, args);
    },
  };
}

declare global {
  interface Window {
    htmp?: DesktopBridge;
  }
}

const TOKEN_KEY = 'htmp.token';

/** Reads the per-run token from the URL fragment once, then keeps it for this tab only. */
function takeToken(): string {
  const m = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (m?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, m[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search + '#/');
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/**
 * Reconnection delays (ms) after the stream closes: 1, 2, 4, 8 s, then every 10 s (one small
 * request per tab on this machine's loopback: a restarted host is found within seconds).
 */
export function reconnectDelay(attempt: number, random = Math.random()): number {
  const base = Math.min(10_000, 1000 * 2 ** Math.min(attempt, 4));
  // Jitter, so tabs that lost the host together do not all knock at the same moment.
  return Math.round(base * (0.75 + random * 0.5));
}

/** The WebSocket close code the host sends to a page holding another run's token (see electron/host/server.ts). */
const CLOSE_TOKEN_REFUSED = 4401;

/**
 * The web host's transport. Calls are plain POSTs; events come over ONE WebSocket per tab, opened
 * when the page starts and kept for its whole life whatever the screen shows (a stream per
 * screen or per query would take a browser connection each, and reconnect on every navigation).
 * When the host goes away the socket is retried with a growing, jittered delay, and the page is
 * told (`onConnection`) so it can say what is going on; once back, every listener gets a
 * `data.changed` so what is shown is read again.
 */
function httpTransport(): Transport {
  const token = takeToken();
  const listeners = new Set<(event: ApiEvent) => void>();
  const stateListeners = new Set<(state: Connection) => void>();
  let state: Connection = 'connecting';
  let socket: WebSocket | null = null;
  let attempt = 0;
  let everOpen = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const setState = (next: Connection): void => {
    if (next === state) return;
    state = next;
    for (const l of [...stateListeners]) l(next);
  };
  const deliver = (event: ApiEvent): void => {
    for (const l of [...listeners]) {
      try {
        l(event);
      } catch {
        /* one listener's failure must not starve the others */
      }
    }
  };
  const schedule = (): void => {
    clearTimeout(timer);
    timer = setTimeout(connect, reconnectDelay(attempt++));
  };
  const connect = (): void => {
    clearTimeout(timer);
    if (socket || state === 'refused') return;
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    let ws: WebSocket;
    try {
      ws = new WebSocket(`${scheme}//${window.location.host}/api/events?token=${encodeURIComponent(token)}`);
    } catch {
      setState('down');
      return schedule();
    }
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      const back = everOpen;
      everOpen = true;
      setState('open');
      // Events sent while the page was away are lost: everything shown is read again.
      if (back) deliver({ type: 'data.changed', payload: {} });
    };
    ws.onmessage = (m) => {
      try {
        deliver(JSON.parse(m.data as string) as ApiEvent);
      } catch {
        /* not an event */
      }
    };
    ws.onclose = (e) => {
      if (socket === ws) socket = null;
      if (e.code === CLOSE_TOKEN_REFUSED) return setState('refused');
      setState('down');
      schedule();
    };
  };
  // Try at once when the machine wakes up or the tab comes back to the front.
  const nudge = (): void => {
    if (!socket && state === 'down' && document.visibilityState === 'visible') {
      attempt = Math.max(0, attempt - 1);
      connect();
    }
  };
  window.addEventListener('online', nudge);
  document.addEventListener('visibilitychange', nudge);
  connect();

  const post = (method: string, args: unknown, keepalive = false): Promise<Response> =>
    fetch(`/api/${encodeURIComponent(method)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Htmp-Token': token },
      body: JSON.stringify(args ?? {}),
      keepalive,
    });

  return {
    kind: 'web',
    async invoke(method, args) {
      try {
        const res = await post(method, args);
        if (res.status === 401) {
          setState('refused');
          return { ok: false, error: { code: 'api.unauthorized' } };
        }
        if (!res.ok) return { ok: false, error: { code: 'api.http_error', params: { status: res.status } } };
        return (await res.json()) as Result<unknown>;
      } catch {
        if (state === 'open') {
          setState('down');
          socket?.close();
        }
        return { ok: false, error: { code: 'api.unreachable' } };
      }
    },
    // One event stream for every listener: a stream per listener would hold one of the browser's
    // six connections to the host each, and a screen with several live queries would leave no
    // connection for its calls (they would wait forever).
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onConnection(listener) {
      stateListeners.add(listener);
      listener(state);
      return () => stateListeners.delete(listener);
    },
    beacon(method, args) {
      // keepalive lets the request finish after the page is gone (64 KiB at most per page).
      void post(method, args, true).catch(() => undefined);
    },
  };
}

function bridgeTransport(bridge: DesktopBridge): Transport {
  return {
    kind: 'electron',
    invoke: (method, args) => bridge.invoke(method, args) as Promise<Result<unknown>>,
    onEvent: (listener) => bridge.onEvent((e) => listener(e as ApiEvent)),
  };
}

/** Picks the transport of the host the page runs in. */
export function detectTransport(): Transport {
  return window.htmp ? bridgeTransport(window.htmp) : httpTransport();
}
