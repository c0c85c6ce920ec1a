import type { ComponentType } from 'react';
import { AboutScreen } from './screens/AboutScreen';
import { AbroadScreen } from './screens/abroad/AbroadScreen';
import { CatalogueScreen } from './screens/catalogue/CatalogueScreen';
import { CasesScreen } from './screens/cases/CasesScreen';
import { ExchangeScreen } from './screens/exchange/ExchangeScreen';
import { ProtocolsScreen } from './screens/protocols/ProtocolsScreen';
import { ReportsScreen } from './screens/reports/ReportsScreen';
import { ScoringArea } from './screens/scoring/ScoringArea';
import { SettingsScreen } from './screens/SettingsScreen';
import { TodayScreen } from './screens/today/TodayScreen';

export interface Area {
  id: string;
  /** Key in the common namespace. */
  label: string;
  screen: ComponentType<{ route: string[] }>;
}

/** The areas of the app, in navigation order; each issue's screens plug in here. */
export const areas: Area[] = [
  { id: 'today', label: 'nav.today', screen: TodayScreen },
  { id: 'cases', label: 'nav.cases', screen: CasesScreen },
  { id: 'protocols', label: 'protocols:nav', screen: ProtocolsScreen },
  { id: 'reports', label: 'reports:nav', screen: ReportsScreen },
  { id: 'catalogue', label: 'nav.catalogue', screen: CatalogueScreen },
  { id: 'scoring', label: 'nav.scoring', screen: ScoringArea },
  { id: 'abroad', label: 'abroad:nav', screen: AbroadScreen },
  { id: 'exchange', label: 'nav.exchange', screen: ExchangeScreen },
  { id: 'settings', label: 'nav.settings', screen: SettingsScreen },
  { id: 'about', label: 'nav.about', screen: AboutScreen },
];
