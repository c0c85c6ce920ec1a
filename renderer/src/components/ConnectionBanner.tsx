import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Connection } from '../api/client';
import { useApi } from '../api/context';

/** The page's link to the core, as a hook (always `open` in the desktop app). */
export function useConnection(): Connection {
  const api = useApi();
  const [state, setState] = useState<Connection>('connecting');
  useEffect(() => api.onConnection(setState), [api]);
  return state;
}

/**
 * Says what to do when the web host is gone: while it is down (closed, restarting) the page
 * waits and reconnects by itself; when it was restarted with a new token, only the address it
 * printed helps. Nothing is said while the link is fine.
 */
export function ConnectionBanner() {
  const { t } = useTranslation('common');
  const state = useConnection();
  const [shown, setShown] = useState<Connection>('open');
  // A blink (a call that failed while the socket reconnects at once) is not worth a banner.
  useEffect(() => {
    if (state === 'open' || state === 'connecting') return setShown('open');
    if (state === 'refused') return setShown('refused');
    const timer = setTimeout(() => setShown(state), 1500);
    return () => clearTimeout(timer);
  }, [state]);
  if (shown === 'open' || shown === 'connecting') return null;
  return (
    <div className={`connection-banner connection-${shown}`} role="alert" data-testid="connection-banner" data-state={shown}>
      <strong>{t(`connection.${shown}.title`)}</strong> <span>{t(`connection.${shown}.text`)}</span>
    </div>
  );
}
