import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuthStatus } from '../../../../shared/contract';
import type { ApiClient } from '../../api/client';
import { ApiProvider, useApi } from '../../api/context';
import { setLanguage } from '../../i18n';
import { navigate } from '../../router';
import { LockScreen } from './LockScreen';
import { ChangePassphraseForm } from './AccountScreen';
import { SetupScreen } from './SetupScreen';
import { SignInScreen } from './SignInScreen';
import { AuthContext } from './auth-context';

/** How often the page asks whether it is still signed in (the core also pushes auth.changed). */
const POLL_MS = 20_000;
/** User activity postpones the idle lock at most this often (a call per keystroke would be noise). */
const TOUCH_MS = 30_000;

/**
 * Nothing of the app is rendered until the caller is signed in and unlocked: set-up, sign-in
 * and lock screens replace it whole, so no patient stays on screen while locked. Any answer
 * `auth.locked` / `auth.required` from any call sends the page back here at once.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const api = useApi();
  const { i18n } = useTranslation();
  const [status, setStatusNow] = useState<AuthStatus | null>(null);
  const [fresh, setFresh] = useState<{ recoveryKey: string } | null>(null);
  // An answer of an auth action (sign-in, unlock, lock…) outranks an `auth.status` asked before it
  // came: the event of a sign-in can make the page ask before its session cookie is stored, and
  // that older "signed out" must not undo the sign-in.
  const actions = useRef(0);
  const setStatus = useCallback((s: AuthStatus) => {
    actions.current += 1;
    setStatusNow(s);
  }, []);
  const refresh = useCallback(async () => {
    const asked = actions.current;
    const r = await api.call('auth.status', {});
    if (r.ok && asked === actions.current) setStatusNow(r.value);
  }, [api]);

  // A client that notices a lock or a lost session in any answer.
  const guarded: ApiClient = useMemo(
    () => ({
      ...api,
      call: (async (method: never, args: never) => {
        const r = await api.call(method, args);
        if (!r.ok && (r.error.code === 'auth.locked' || r.error.code === 'auth.required')) void refresh();
        return r;
      }) as ApiClient['call'],
    }),
    [api, refresh],
  );

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), POLL_MS);
    const off = api.onEvent((e) => {
      if (e.type === 'auth.changed') void refresh();
    });
    return () => {
      clearInterval(timer);
      off();
    };
  }, [api, refresh]);

  // The sign-in screens start in the installation's language (once; the user may switch).
  const languageApplied = useRef(false);
  useEffect(() => {
    if (!status || languageApplied.current) return;
    languageApplied.current = true;
    if (status.state !== 'signedIn' && status.language !== i18n.language) void setLanguage(status.language);
  }, [status, i18n]);

  // Signed in: the interface speaks the language this user chose last (kept in the core).
  const userId = status?.state === 'signedIn' ? status.user?.id : undefined;
  useEffect(() => {
    if (!userId) return;
    let live = true;
    void api.call('prefs.get', {}).then((r) => {
      if (live && r.ok && r.value.language) void setLanguage(r.value.language);
    });
    return () => {
      live = false;
    };
  }, [api, userId]);

  // Activity: keys, clicks and pointer moves postpone the idle lock.
  const lastTouch = useRef(0);
  useEffect(() => {
    if (status?.state !== 'signedIn') return;
    const onActivity = (): void => {
      const now = Date.now();
      if (now - lastTouch.current < TOUCH_MS) return;
      lastTouch.current = now;
      void api.call('auth.touch', {});
    };
    const events = ['keydown', 'mousedown', 'pointermove', 'wheel', 'touchstart'] as const;
    for (const e of events) window.addEventListener(e, onActivity, { passive: true });
    return () => {
      for (const e of events) window.removeEventListener(e, onActivity);
    };
  }, [api, status?.state]);

  // Ctrl+L locks (the Electron menu has the same accelerator).
  useEffect(() => {
    if (status?.state !== 'signedIn') return;
    const onKey = (e: KeyboardEvent): void => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        void api.call('auth.lock', {}).then((r) => r.ok && setStatus(r.value));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [api, status?.state]);

  if (!status) return <div className="auth-page" aria-busy="true" />;
  // After the first admin is set up, the first-start guide leads on (names, members, calendar).
  if (fresh) return <RecoveryKeyPage recoveryKey={fresh.recoveryKey} onDone={() => (setFresh(null), navigate('setup'))} />;
  if (status.state === 'setup') return <SetupScreen status={status} onDone={(s, key) => (setStatus(s), setFresh({ recoveryKey: key }))} onRestored={(s) => setStatus(s)} />;
  if (status.state === 'signedOut') return <SignInScreen onDone={setStatus} />;
  if (status.state === 'locked') return <LockScreen status={status} onDone={setStatus} />;
  if (status.user?.mustChangePassphrase) {
    return (
      <div className="auth-page">
        <section className="auth-card" aria-labelledby="must-change">
          <ChangePassphraseForm heading="must-change" forced onDone={setStatus} />
        </section>
      </div>
    );
  }
  return (
    <AuthContext.Provider value={{ status, setStatus, lock: () => void api.call('auth.lock', {}).then((r) => r.ok && setStatus(r.value)), signOut: () => void api.call('auth.signOut', {}).then((r) => r.ok && setStatus(r.value)) }}>
      <ApiProvider client={guarded}>{children}</ApiProvider>
    </AuthContext.Provider>
  );
}

import { RecoveryKeyPage } from './RecoveryKeyPage';
