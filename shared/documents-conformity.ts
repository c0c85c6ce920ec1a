/**
 * The two documents of the conformity work (ДСМ-238): the organization's application (app. 1) and
 * the conclusion of conformity (app. 3), as plain JSON for the PDF engine, with their validation.
 * Registered in shared/documents.ts (HtmpDocument, verification prefixes). Pure TypeScript.
 *
 * The conclusion's statement (everything but `generatedAt`) is stored when it is issued; its
 * SHA-256 is printed in the QR code, so a paper copy can be checked against the archive.
 */
import type { IsoDate, IsoDateTime, LocalizedText } from './documents';

export interface DocOrganization {
  bin: string;
  name: { kk: string; ru: string };
  region: { kk: string; ru: string };
  address?: string;
}

/** The HTMP type: its code and its official names where a text gives one (never translated). */
export interface DocHtmp {
  code: string;
  name: { kk: string | null; ru: string | null };
}

export interface DocStaffRow {
  name: string;
  specialty: string;
  years: number | null;
  trainingHours: number | null;
  trainingDate: IsoDate | null;
  operationsPerYear: number | null;
}

export interface DocDeviceRow {
  name: string;
  model: string;
  serial: string;
  inService: boolean;
  outOfOrderSince?: IsoDate;
}

export interface DocPermitRow {
  number: string;
  validUntil: IsoDate | null;
}

/** App. 1: "____ жылға … сәйкестігіне өтінім". */
export interface ApplicationDoc {
  kind: 'conformity_application';
  /** BIN/code/year: what the QR code names. */
  reference: string;
  year: number;
  organization: DocOrganization;
  htmp: DocHtmp;
  firstTime: boolean;
  receivedOn: IsoDate | null;
  staff: DocStaffRow[];
  devices: DocDeviceRow[];
  permits: DocPermitRow[] | null;
  /** Empty for a first application (app. 1, note 2). */
  plannedVolume: number | null;
  generatedAt: IsoDateTime;
}

export type ConclusionRowStatus = 'met' | 'not_met';

/** One requirement of the characteristics as assessed. */
export interface DocRequirementRow {
  part: 'staff' | 'devices';
  /** The requirement's words (the characteristics are in Kazakh only). */
  text: string;
  /** What the pre-assessment said. */
  auto: 'met' | 'not_met' | 'manual';
  status: ConclusionRowStatus;
  /** The assessor's justification (always for an override or a decision by hand when given). */
  justification: string;
}

/** App. 3: "… сәйкестігіне/сәйкессіздігіне қорытынды". */
export interface ConclusionDoc {
  kind: 'conformity_conclusion';
  /** `N/YYYY` within the year of issue. */
  number: string;
  date: IsoDate;
  /** The territorial subdivision (Бөлімше) that issues it. */
  issuer: { name: LocalizedText };
  organization: DocOrganization;
  htmp: DocHtmp;
  year: number;
  validFrom: IsoDate;
  validTo: IsoDate;
  application: { receivedOn: IsoDate; firstTime: boolean };
  staff: { conform: boolean; justification: string };
  devices: { conform: boolean; justification: string };
  overall: { conform: boolean; note: string };
  requirements: DocRequirementRow[];
  signer: { name: string; position: string };
  /** Point 30: the conclusion this one reissues (new code or name). */
  reissueOf?: { number: string; date: IsoDate; code: string };
  generatedAt: IsoDateTime;
}

export type ConformityDocument = ApplicationDoc | ConclusionDoc;

// ---------------------------------------------------------------------------------------------
// Validation (first bad field as a path, or null)

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';
const anyStr = (v: unknown): boolean => typeof v === 'string';
const date = (v: unknown): boolean => typeof v === 'string' && /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(v);
const intOrNull = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0);
const bool = (v: unknown): boolean => typeof v === 'boolean';
const localized = (v: unknown): boolean => str(v) || (isRec(v) && str(v['kk']) && str(v['ru']));

function checkOrg(v: unknown): string | null {
  if (!isRec(v)) return 'organization';
  if (typeof v['bin'] !== 'string' || !/^[0-9]{12}$/.test(v['bin'])) return 'organization.bin';
  if (!isRec(v['name']) || !str(v['name']['kk']) || !str(v['name']['ru'])) return 'organization.name';
  if (!isRec(v['region']) || !str(v['region']['kk']) || !str(v['region']['ru'])) return 'organization.region';
  if (v['address'] !== undefined && !anyStr(v['address'])) return 'organization.address';
  return null;
}

function checkHtmp(v: unknown): string | null {
  if (!isRec(v) || typeof v['code'] !== 'string' || !/^[0-9]{2}\.[0-9.]{1,12}$/.test(v['code'])) return 'htmp.code';
  const n = v['name'];
  if (!isRec(n) || !(n['kk'] === null || str(n['kk'])) || !(n['ru'] === null || str(n['ru']))) return 'htmp.name';
  return null;
}

function checkList(v: unknown, field: string, item: (x: Rec) => boolean): string | null {
  if (!Array.isArray(v)) return field;
  for (let i = 0; i < v.length; i++) if (!isRec(v[i]) || !item(v[i] as Rec)) return `${field}[${i}]`;
  return null;
}

/** The first invalid field of a conformity document, or null. */
export function findInvalidConformityField(doc: Rec): string | null {
  if (doc['kind'] === 'conformity_application') {
    if (!str(doc['reference'])) return 'reference';
    if (!(typeof doc['year'] === 'number' && Number.isInteger(doc['year']))) return 'year';
    return (
      checkOrg(doc['organization']) ??
      checkHtmp(doc['htmp']) ??
      (bool(doc['firstTime']) ? null : 'firstTime') ??
      (doc['receivedOn'] === null || date(doc['receivedOn']) ? null : 'receivedOn') ??
      checkList(doc['staff'], 'staff', (s) => anyStr(s['name']) && anyStr(s['specialty']) && intOrNull(s['years']) && intOrNull(s['trainingHours']) && (s['trainingDate'] === null || date(s['trainingDate'])) && intOrNull(s['operationsPerYear'])) ??
      checkList(doc['devices'], 'devices', (d) => anyStr(d['name']) && anyStr(d['model']) && anyStr(d['serial']) && bool(d['inService']) && (d['outOfOrderSince'] === undefined || date(d['outOfOrderSince']))) ??
      (doc['permits'] === null ? null : checkList(doc['permits'], 'permits', (p) => anyStr(p['number']) && (p['validUntil'] === null || date(p['validUntil'])))) ??
      (intOrNull(doc['plannedVolume']) ? null : 'plannedVolume')
    );
  }
  if (doc['kind'] === 'conformity_conclusion') {
    if (typeof doc['number'] !== 'string' || !/^[1-9][0-9]{0,5}\/[0-9]{4}$/.test(doc['number'])) return 'number';
    if (!date(doc['date'])) return 'date';
    if (!isRec(doc['issuer']) || !localized(doc['issuer']['name'])) return 'issuer.name';
    const o = checkOrg(doc['organization']) ?? checkHtmp(doc['htmp']);
    if (o) return o;
    if (!(typeof doc['year'] === 'number' && Number.isInteger(doc['year']))) return 'year';
    if (!date(doc['validFrom'])) return 'validFrom';
    if (!date(doc['validTo']) || (doc['validTo'] as string) < (doc['validFrom'] as string)) return 'validTo';
    const app = doc['application'];
    if (!isRec(app) || !date(app['receivedOn']) || !bool(app['firstTime'])) return 'application';
    for (const part of ['staff', 'devices'] as const) {
      const p = doc[part];
      if (!isRec(p) || !bool(p['conform']) || !anyStr(p['justification'])) return part;
      // A non-conformity is always justified (app. 3, column "Сәйкессіздікті негіздемелеу").
      if (p['conform'] === false && !str(p['justification'])) return `${part}.justification`;
    }
    const overall = doc['overall'];
    if (!isRec(overall) || !bool(overall['conform']) || !anyStr(overall['note'])) return 'overall';
    if (overall['conform'] !== ((doc['staff'] as Rec)['conform'] === true && (doc['devices'] as Rec)['conform'] === true)) return 'overall.conform';
    const bad = checkList(doc['requirements'], 'requirements', (r) => (r['part'] === 'staff' || r['part'] === 'devices') && str(r['text']) && ['met', 'not_met', 'manual'].includes(r['auto'] as string) && ['met', 'not_met'].includes(r['status'] as string) && anyStr(r['justification']));
    if (bad) return bad;
    const signer = doc['signer'];
    if (!isRec(signer) || !str(signer['name']) || !anyStr(signer['position'])) return 'signer';
    const re = doc['reissueOf'];
    if (re !== undefined && !(isRec(re) && str(re['number']) && date(re['date']) && str(re['code']))) return 'reissueOf';
    return null;
  }
  return 'kind';
}
