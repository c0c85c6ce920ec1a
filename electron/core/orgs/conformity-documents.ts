/** The printed documents of conformity (app. 1 application, app. 3 conclusion) built from stored rows. */
import type { ApplicationDoc, ConclusionDoc } from '../../../shared/documents';
import { findInvalidField } from '../../../shared/documents';
import { kzNow, kzToday } from '../../../shared/domain/kz-time';
import { REGION_NAMES } from '../../../shared/domain/regions';
import { AppFailure } from '../../../shared/result';
import type { CoreContext } from '../context';
import { catalogueLookup } from '../services/catalogue-lookup';
import { applicationData, applicationRow, json, sha256Hex, type ConclusionRow } from './conformity-rows';
import { orgRow, type OrgRow } from './registry';

export function docOrganization(o: OrgRow): ConclusionDoc['organization'] {
  const region = REGION_NAMES[o.region];
  return {
    bin: o.bin,
    name: { kk: o.name_kk, ru: o.name_ru },
    region: { kk: region?.kk ?? o.region, ru: region?.ru ?? o.region },
    ...(o.address ? { address: o.address } : {}),
  };
}

/** The official names of a code on a date: the list's edition in force, else any edition or the characteristics (never a local translation). */
export function docHtmp(ctx: CoreContext, code: string, onDate: string): ConclusionDoc['htmp'] {
  let kk: string | null = null;
  let ru: string | null = null;
  try {
    const n = catalogueLookup(ctx).names(code, onDate);
    kk = n.kk && n.kk.source.kind !== 'local' ? n.kk.text : null;
    ru = n.ru && n.ru.source.kind !== 'local' ? n.ru.text : null;
  } catch {
    /* the catalogue is not loaded: the code alone is printed */
  }
  return { code, name: { kk, ru } };
}

export function applicationDoc(ctx: CoreContext, id: string, generatedAt: string = kzNow()): ApplicationDoc {
  const r = applicationRow(ctx, id);
  const o = orgRow(ctx, r.org_id);
  const data = applicationData(r);
  return {
    kind: 'conformity_application',
    reference: `${o.bin}/${r.code}/${r.year}`,
    year: r.year,
    organization: docOrganization(o),
    htmp: docHtmp(ctx, r.code, r.received_on ?? kzToday()),
    firstTime: r.first_time === 1,
    receivedOn: r.received_on,
    staff: data.staff.map((s) => ({ name: s.name, specialty: s.specialty, years: s.years, trainingHours: s.trainingHours, trainingDate: s.trainingDate, operationsPerYear: s.operationsPerYear })),
    devices: data.devices.map((d) => ({ name: d.name, model: d.model, serial: d.serial, inService: d.inService, ...(d.outOfOrderSince ? { outOfOrderSince: d.outOfOrderSince } : {}) })),
    permits: data.permits.map((p) => ({ number: p.number, validUntil: p.validUntil })),
    plannedVolume: r.first_time === 1 ? null : r.planned_volume,
    generatedAt,
  };
}

/** The conclusion document of a stored, issued conclusion (its statement verified against its hash). */
export function conclusionDoc(r: Pick<ConclusionRow, 'statement' | 'sha256' | 'number'>, generatedAt: string = kzNow()): ConclusionDoc {
  if (r.statement === null || r.sha256 === null || sha256Hex(r.statement) !== r.sha256) throw new AppFailure('conformity.not_issued', { number: r.number ?? '' });
  const parsed = json<Record<string, unknown> | null>(r.statement, null);
  if (!parsed || parsed['kind'] !== 'conformity_conclusion') throw new AppFailure('conformity.not_issued', { number: r.number ?? '' });
  const doc = { ...parsed, generatedAt } as unknown as ConclusionDoc;
  if (findInvalidField(doc) !== null) throw new AppFailure('conformity.not_issued', { number: r.number ?? '' });
  return doc;
}
