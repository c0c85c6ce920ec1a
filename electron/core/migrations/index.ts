import { m0001Base } from './0001-base';
import { m0002Catalogue } from './0002-catalogue';
import { m0003Cases } from './0003-cases';
import { m0004Scoring } from './0004-scoring';
import { m0005Exchange } from './0005-exchange';
import { m0006Protocols } from './0006-protocols';
import { m0009Abroad } from './0009-abroad';
import { m0007Aftercare } from './0007-aftercare';
import { m0008Reports } from './0008-reports';
import { m0010Commission } from './0010-commission';
import { m0011Orgs } from './0011-orgs';
import { m0012ExchangeV2 } from './0012-exchange-v2';
import { m0013Register } from './0013-register';
import { m0014Auth } from './0014-auth';
import { m0015Desk } from './0015-desk';
import { m0016Size } from './0016-size';
import { m0017RegisterPages } from './0017-register-pages';
import { m0018RegisterCounts } from './0018-register-counts';
import { m0019RegisterJournal } from './0019-register-journal';
import { m0020Register } from './0020-register';
import { m0021Size } from './0021-size';
import { m0022Register } from './0022-register';
import { m0023Size } from './0023-size';
import { m0024Register } from './0024-register';
import { m0025Register } from './0025-register';
import { m0026SeenKeys } from './0026-seen-keys';
import { m0027Register } from './0027-register';
import type { Migration } from './types';

export type { Migration } from './types';

/** Every migration, in order. Add a new file per change; never edit a released one. */
export const migrations: readonly Migration[] = [m0001Base, m0002Catalogue, m0003Cases, m0004Scoring, m0005Exchange, m0006Protocols, m0007Aftercare, m0008Reports, m0009Abroad, m0010Commission, m0011Orgs, m0012ExchangeV2, m0013Register, m0014Auth, m0015Desk, m0016Size, m0017RegisterPages, m0018RegisterCounts, m0019RegisterJournal, m0020Register, m0021Size, m0022Register, m0023Size, m0024Register, m0025Register, m0026SeenKeys, m0027Register];
