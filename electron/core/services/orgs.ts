/**
 * The organizations area's handlers (shared/contract/orgs.ts): the registry of organizations
 * providing HTMP, applications, assessment and conclusions of conformity (ДСМ-238 points 22-31,
 * appendices 1-3). The work is in electron/core/orgs/*; this file declares the area's user tables
 * and maps methods to it.
 */
import type { OrgsMethods } from '../../../shared/contract/orgs';
import { checkBinStructure, cleanBin } from '../../../shared/domain/bin';
import { preAssess, summarize } from '../../../shared/domain/conformity';
import { kzToday } from '../../../shared/domain/kz-time';
import { allRequirements } from '../../../shared/domain/requirements';
import type { CoreContext, Handlers } from '../context';
import {
  addUpdate,
  applicationDetail,
  applicationDoc,
  completeUpdate,
  conclusionDoc,
  conformityCodes,
  deleteApplication,
  getConclusion,
  issueConclusion,
  issuedConclusionRow,
  listApplications,
  listConclusions,
  listUpdates,
  receiveApplication,
  reissue,
  requirementsFor,
  requirementText,
  saveApplication,
  saveAssessment,
  verifyConclusion,
} from '../orgs/conformity';
import { renderOrgsDocument } from '../orgs/pdf';
import {
  caseProvider,
  deleteOrg,
  eligibleOrgs,
  exportOrgs,
  importOrgs,
  listOrgs,
  orgRow,
  orgViews,
  readOrgsSettings,
  saveOrg,
  setCaseProvider,
  updateOrgsSettings,
} from '../orgs/registry';
import type { RenderedPdf } from '../pdf';
import type { TableSpec } from '../store';

/** Tables of user data owned by the organizations area (written only through the Store). */
export const orgsTables: TableSpec[] = [
  { name: 'organizations', columns: ['bin', 'name_kk', 'name_ru', 'region', 'level', 'address', 'phone', 'email', 'head', 'search_text'] },
  {
    name: 'org_applications',
    columns: ['org_id', 'year', 'code', 'first_time', 'status', 'received_on', 'assessment_due', 'staff', 'devices', 'permits', 'planned_volume', 'note', 'locked_at'],
  },
  {
    name: 'org_conclusions',
    columns: [
      'application_id', 'org_id', 'year', 'code', 'state', 'decisions', 'staff_justification', 'devices_justification', 'note', 'staff_conform',
      'devices_conform', 'overall_conform', 'number', 'number_year', 'number_seq', 'issued_on', 'valid_from', 'valid_to', 'signer_name',
      'signer_position', 'supersedes_id', 'statement', 'sha256', 'issued_at',
    ],
  },
  { name: 'conformity_counters', columns: ['year', 'last_number'] },
  { name: 'org_updates', columns: ['conclusion_id', 'org_id', 'kind', 'event_on', 'due_on', 'done_on', 'subject', 'new_code', 'note', 'new_conclusion_id'] },
  { name: 'case_providers', columns: ['case_id', 'org_id'] },
];

const pdfFile = (r: RenderedPdf, fileName: string) => ({
  pdfBase64: r.buffer.toString('base64'),
  fileName,
  pages: r.pages,
  bytes: r.buffer.length,
  sha256: r.sha256,
  verification: r.verification,
});
const langSuffix = (lang: string, layout?: string): string => (lang === 'both' ? `both-${layout ?? 'columns'}` : lang);
const slug = (s: string): string => s.replace(/[^0-9A-Za-z.-]+/g, '-');

type H<M extends keyof OrgsMethods> = (args: OrgsMethods[M]['args'], ctx: CoreContext) => OrgsMethods[M]['result'] | Promise<OrgsMethods[M]['result']>;

export const orgsHandlers: { [M in keyof OrgsMethods]: H<M> } & Pick<Handlers, keyof OrgsMethods> = {
  'orgs.list': (a, ctx) => listOrgs(ctx, a, a.lang ?? 'kk'),
  'orgs.get': (a, ctx) => ({
    ...orgViews(ctx, [orgRow(ctx, a.id)])[0]!,
    applications: listApplications(ctx, { orgId: a.id }).items,
    conclusions: listConclusions(ctx, { orgId: a.id }),
  }),
  'orgs.save': (a, ctx) => {
    const { id, ...input } = a;
    return saveOrg(ctx, id, input);
  },
  'orgs.delete': (a, ctx) => ({ deleted: deleteOrg(ctx, a.id) }),
  'orgs.import': (a, ctx) => importOrgs(ctx, a),
  'orgs.export': (a, ctx) => exportOrgs(ctx, a.format),
  'orgs.eligible': (a, ctx) => ({ code: a.code, on: a.on, items: eligibleOrgs(ctx, a.code, a.on, a.lang ?? 'kk') }),
  'orgs.forCase': (a, ctx) => caseProvider(ctx, a.caseId, a.lang ?? 'kk'),
  'orgs.setCaseProvider': (a, ctx) => setCaseProvider(ctx, a.caseId, a.orgId, a.lang ?? 'kk'),
  'orgs.settings': (_a, ctx) => readOrgsSettings(ctx),
  'orgs.updateSettings': (a, ctx) => updateOrgsSettings(ctx, a),

  'conformity.codes': (_a, ctx) => ({ items: conformityCodes(ctx) }),
  'conformity.requirements': (a, ctx) => requirementsFor(ctx, a.code),
  'conformity.saveApplication': (a, ctx) => saveApplication(ctx, a),
  'conformity.receiveApplication': (a, ctx) => receiveApplication(ctx, a.id, a.receivedOn),
  'conformity.deleteApplication': (a, ctx) => ({ deleted: deleteApplication(ctx, a.id) }),
  'conformity.getApplication': (a, ctx) => applicationDetail(ctx, a.id, a.today),
  'conformity.listApplications': (a, ctx) => listApplications(ctx, a),
  'conformity.assessFile': (a, ctx) => {
    const f = a.file;
    const on = a.on ?? kzToday();
    const view = requirementsFor(ctx, f.code);
    const items = preAssess(view.requirements, { staff: f.staff, devices: f.devices, permits: f.permits }, on);
    const byId = new Map(view.requirements ? allRequirements(view.requirements).map((r) => [r.id, r] as const) : []);
    const part = (p: 'staff' | 'devices') => summarize(items.filter((i) => i.part === p).map((i) => i.status));
    return {
      bin: f.bin,
      binValid: checkBinStructure(cleanBin(f.bin)).valid,
      year: f.year,
      code: f.code,
      on,
      characteristics: view.requirements !== null,
      requirements: items.map((i) => {
        const r = byId.get(i.requirementId);
        return { id: i.requirementId, part: i.part, kind: i.kind, text: r ? requirementText(r) : '', status: i.status, reasons: i.reasons, matched: i.matched };
      }),
      staff: part('staff'),
      devices: part('devices'),
      overall: summarize(items.map((i) => i.status)),
    };
  },
  'conformity.saveAssessment': (a, ctx) => saveAssessment(ctx, a),
  'conformity.issue': (a, ctx) => issueConclusion(ctx, a),
  'conformity.listConclusions': (a, ctx) => ({ items: listConclusions(ctx, a) }),
  'conformity.getConclusion': (a, ctx) => getConclusion(ctx, a.id),
  'conformity.renderConclusion': async (a, ctx) => {
    const row = issuedConclusionRow(ctx, a.id);
    const doc = conclusionDoc(row);
    const r = await renderOrgsDocument(doc, { lang: a.lang, layout: a.layout });
    return { ...pdfFile(r, `conclusion-${slug(doc.number)}-${langSuffix(a.lang, a.layout)}.pdf`), number: doc.number };
  },
  'conformity.renderApplication': async (a, ctx) => {
    const doc = applicationDoc(ctx, a.id);
    const r = await renderOrgsDocument(doc, { lang: a.lang, layout: a.layout });
    return pdfFile(r, `application-${doc.organization.bin}-${slug(doc.htmp.code)}-${doc.year}-${langSuffix(a.lang, a.layout)}.pdf`);
  },
  'conformity.verify': (a, ctx) => verifyConclusion(ctx, a.number, a.sha256),
  'conformity.addUpdate': (a, ctx) => addUpdate(ctx, a),
  'conformity.completeUpdate': (a, ctx) => completeUpdate(ctx, a.id, a.doneOn),
  'conformity.reissue': (a, ctx) => reissue(ctx, a),
  'conformity.listUpdates': (a, ctx) => listUpdates(ctx, a),
};
