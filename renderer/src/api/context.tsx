import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { ArgsOf, MethodName, ResultOf } from '../../../shared/contract';
import type { AppError } from '../../../shared/result';
import type { ApiClient } from './client';

const ApiContext = createContext<ApiClient | null>(null);

export function ApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

/** The API client of the running host (tests inject a fake one through ApiProvider). */
export function useApi(): ApiClient {
  const c = useContext(ApiContext);
  if (!c) throw new Error('useApi outside ApiProvider');
  return c;
}

export interface Query<T> {
  data: T | undefined;
  error: AppError | undefined;
  loading: boolean;
  reload(): void;
}

/** Calls a method when its argument changes; reloads when the core says data changed. */
export function useQuery<M extends MethodName>(method: M, args: ArgsOf<M> | null, deps: unknown[] = []): Query<ResultOf<M>> {
  const api = useApi();
  const [state, setState] = useState<{ data?: ResultOf<M>; error?: AppError; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(args);
  useEffect(() => {
    if (args === null) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    void api.call(method, args).then((r) => {
      if (!live) return;
      setState(r.ok ? { data: r.value, loading: false } : { error: r.error, loading: false });
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, method, key, tick, ...deps]);
  useEffect(() => api.onEvent((e) => e.type === 'data.changed' && setTick((n) => n + 1)), [api]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
