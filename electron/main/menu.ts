import type { MenuItemConstructorOptions } from 'electron';
import type { Lang } from '../../shared/contract';
import { t } from '../core/i18n';

export interface MenuActions {
  navigate(area: string): void;
  setLanguage(lang: Lang): void;
  reload(): void;
  toggleDevTools(): void;
  quit(): void;
}

/** The application menu; every label comes from locales/<lang>/menu.json. */
export function menuTemplate(lang: Lang, actions: MenuActions, options: { devTools: boolean } = { devTools: false }): MenuItemConstructorOptions[] {
  const m = (key: string) => t(lang, `menu:${key}`);
  return [
    {
      label: m('file.title'),
      submenu: [
        { label: m('file.exchange'), accelerator: 'CmdOrCtrl+E', click: () => actions.navigate('exchange') },
        { label: m('file.settings'), accelerator: 'CmdOrCtrl+,', click: () => actions.navigate('settings') },
        { type: 'separator' },
        { label: m('file.quit'), accelerator: 'CmdOrCtrl+Q', click: () => actions.quit() },
      ],
    },
    {
      label: m('go.title'),
      submenu: [
        { label: m('go.today'), accelerator: 'CmdOrCtrl+1', click: () => actions.navigate('today') },
        { label: m('go.cases'), accelerator: 'CmdOrCtrl+2', click: () => actions.navigate('cases') },
        { label: m('go.catalogue'), accelerator: 'CmdOrCtrl+3', click: () => actions.navigate('catalogue') },
        { label: m('go.scoring'), accelerator: 'CmdOrCtrl+4', click: () => actions.navigate('scoring') },
        { label: m('go.exchange'), accelerator: 'CmdOrCtrl+5', click: () => actions.navigate('exchange') },
      ],
    },
    {
      label: m('language.title'),
      submenu: [
        { label: 'Қазақша', type: 'radio', checked: lang === 'kk', click: () => actions.setLanguage('kk') },
        { label: 'Русский', type: 'radio', checked: lang === 'ru', click: () => actions.setLanguage('ru') },
      ],
    },
    {
      label: m('view.title'),
      submenu: [
        { label: m('view.reload'), accelerator: 'CmdOrCtrl+R', click: () => actions.reload() },
        ...(options.devTools ? [{ label: m('view.devTools'), accelerator: 'CmdOrCtrl+Shift+I', click: () => actions.toggleDevTools() }] : []),
        { type: 'separator' },
        { label: m('view.zoomIn'), role: 'zoomIn' },
        { label: m('view.zoomOut'), role: 'zoomOut' },
        { label: m('view.resetZoom'), role: 'resetZoom' },
      ],
    },
    {
      label: m('help.title'),
      submenu: [{ label: m('help.about'), click: () => actions.navigate('about') }],
    },
  ];
}
