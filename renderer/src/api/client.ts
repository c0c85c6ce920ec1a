import type { ApiEvent, ArgsOf, MethodName, ResultOf } from '../../../shared/contract';
import type { DesktopBridge } from '../../../shared/contract/ipc';
import type { Result } from '../../../shared/result';

/** How calls reach the core: the Electron preload bridge or the local web host. */
export interface Transport {
  kind: 'electron' | 'web';
  invoke(method: string, args: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
}

/** The typed API client: every method and its argument/result types come from shared/contract. */
export interface ApiClient {
  kind: Transport['kind'];
  call<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<Result<ResultOf<M>>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
}

export function createClient(transport: Transport): ApiClient {
  return {
    kind: transport.kind,
    call: (method, args) => transport.invoke(method, args) as never,
    onEvent: (l) => transport.onEvent(l),
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

function httpTransport(): Transport {
  const token = takeToken();
  const listeners = new Set<(event: ApiEvent) => void>();
  let stream: EventSource | null = null;
  return {
    kind: 'web',
    async invoke(method, args) {
      try {
        const res = await fetch(`/api/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Htmp-Token': token },
          body: JSON.stringify(args ?? {}),
        });
        if (res.status === 401) return { ok: false, error: { code: 'api.unauthorized' } };
        if (!res.ok) return { ok: false, error: { code: 'api.http_error', params: { status: res.status } } };
        return (await res.json()) as Result<unknown>;
      } catch {
        return { ok: false, error: { code: 'api.unreachable' } };
      }
    },
    // One event stream for every listener: a stream per listener would hold one of the browser's
    // six connections to the host each, and a screen with several live queries would leave no
    // connection for its calls (they would wait forever).
    onEvent(listener) {
      listeners.add(listener);
      if (!stream) {
        stream = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
        stream.onmessage = (m) => {
          const event = JSON.parse(m.data as string) as ApiEvent;
          for (const l of [...listeners]) l(event);
        };
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && stream) {
          stream.close();
          stream = null;
        }
      };
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
