import type { ComponentType } from 'react';
import { AboutScreen } from './screens/AboutScreen';
import { AbroadScreen } from './screens/abroad/AbroadScreen';
import { CatalogueScreen } from './screens/catalogue/CatalogueScreen';
import { CasesScreen } from './screens/cases/CasesScreen';
import { ExchangeScreen } from './screens/exchange/ExchangeScreen';
import { OrgsArea } from './screens/orgs/OrgsArea';
import { ProtocolsScreen } from './screens/protocols/ProtocolsScreen';
import { ReportsScreen } from './screens/reports/ReportsScreen';
import { ScoringArea } from './screens/scoring/ScoringArea';
import { SettingsScreen } from './screens/SettingsScreen';
import { TodayScreen } from './screens/today/TodayScreen';
import { AccountScreen } from './screens/auth/AccountScreen';
import { AuditScreen } from './screens/auth/AuditScreen';
import { UsersScreen } from './screens/auth/UsersScreen';
import { SetupGuide } from './screens/setup/SetupGuide';

export interface Area {
  id: string;
  /** Key in the common namespace. */
  label: string;
  screen: ComponentType<{ route: string[] }>;
  /** Shown only to users of this role (the core refuses the methods to others anyway). */
  role?: 'admin';
  /** Reached by links only (not listed in the navigation): the first-start guide. */
  hidden?: boolean;
}

/** The areas of the app, in navigation order; each issue's screens plug in here. */
export const areas: Area[] = [
  { id: 'today', label: 'nav.today', screen: TodayScreen },
  { id: 'cases', label: 'nav.cases', screen: CasesScreen },
  { id: 'protocols', label: 'protocols:nav', screen: ProtocolsScreen },
  { id: 'orgs', label: 'orgs:nav', screen: OrgsArea },
  { id: 'reports', label: 'reports:nav', screen: ReportsScreen },
  { id: 'catalogue', label: 'nav.catalogue', screen: CatalogueScreen },
  { id: 'scoring', label: 'nav.scoring', screen: ScoringArea },
  { id: 'abroad', label: 'abroad:nav', screen: AbroadScreen },
  { id: 'exchange', label: 'nav.exchange', screen: ExchangeScreen },
  { id: 'settings', label: 'nav.settings', screen: SettingsScreen },
  { id: 'account', label: 'auth:account.nav', screen: AccountScreen },
  { id: 'users', label: 'auth:users.nav', screen: UsersScreen, role: 'admin' },
  { id: 'audit', label: 'auth:audit.nav', screen: AuditScreen, role: 'admin' },
  { id: 'about', label: 'nav.about', screen: AboutScreen },
  { id: 'setup', label: 'setup:guide.title', screen: SetupGuide, hidden: true },
];
