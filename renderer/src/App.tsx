import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGS, type Lang } from '../../shared/contract';
import { useApi } from './api/context';
import { ConnectionBanner } from './components/ConnectionBanner';
import { areas } from './areas';
import { setLanguage } from './i18n';
import { href, navigate, useRoute } from './router';
import { useAuth } from './screens/auth/auth-context';

/** The app shell: navigation for every area, the language switch, and the current screen. */
export function App() {
  const { t, i18n } = useTranslation('common');
  const api = useApi();
  const route = useRoute();
  const auth = useAuth();
  const user = auth.status.user!;
  const visible = areas.filter((a) => !a.role || a.role === user.role);
  const current = visible.find((a) => a.id === route[0]) ?? visible[0]!;
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => {
    document.title = `${t(current.label)} — ${t('app.title')}`;
  }, [current, t, i18n.language]);

  useEffect(
    () =>
      api.onEvent((e) => {
        if (e.type === 'ui.navigate' && typeof e.payload.area === 'string') navigate(e.payload.area);
        // This user's choice made in another tab or window follows here.
        if (e.type === 'data.changed' && e.payload.area === 'prefs') {
          void api.call('prefs.get', {}).then((r) => {
            if (r.ok && r.value.language && r.value.language !== i18n.language) void setLanguage(r.value.language);
          });
        }
      }),
    [api, i18n],
  );

  const switchLanguage = (lang: Lang) => {
    void setLanguage(lang);
    // Kept per user in the core's database (not in this browser's storage).
    void api.call('prefs.set', { language: lang });
  };

  return (
    <div className="shell">
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); mainRef.current?.focus(); }}>
        {t('nav.skip')}
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">{t('app.mark')}</span>
          <span>{t('app.title')}</span>
        </div>
        <div className="who">
          <a href={href('account')} data-testid="whoami">
            {user.displayName} · {t(`auth:role.${user.role}`)}
          </a>
          <button type="button" onClick={auth.lock} title="Ctrl+L" data-testid="lock-now">
            {t('auth:lock.now')}
          </button>
        </div>
        <div className="lang" role="group" aria-label={t('language.label')}>
          {LANGS.map((l) => (
            <button key={l} type="button" lang={l} aria-pressed={i18n.language === l} onClick={() => switchLanguage(l)} data-testid={`lang-${l}`}>
              {t(`language.${l}`)}
            </button>
          ))}
        </div>
      </header>
      <nav className="sidebar" aria-label={t('nav.label')}>
        <ul>
          {visible.filter((a) => !a.hidden).map((a) => (
            <li key={a.id}>
              <a href={href(a.id)} aria-current={a.id === current.id ? 'page' : undefined} data-testid={`nav-${a.id}`}>
                {t(a.label)}
              </a>
            </li>
          ))}
        </ul>
        <p className="host-note">{t(api.kind === 'web' ? 'host.web' : 'host.electron')}</p>
      </nav>
      <main id="main" ref={mainRef} tabIndex={-1}>
        <current.screen route={route.length > 0 ? route : [current.id]} />
      </main>
      <ConnectionBanner />
    </div>
  );
}
