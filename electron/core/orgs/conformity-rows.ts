/** The stored rows of applications, conclusions and updates (points 29-30), and how they are read. */
import { createHash } from 'node:crypto';
import type { ApplicationStatus, UpdateKind } from '../../../shared/contract/orgs';
import type { ApplicationData, DeviceEntry, PermitEntry, StaffEntry } from '../../../shared/domain/conformity';
import { AppFailure } from '../../../shared/result';
import type { CoreContext } from '../context';
import type { Row } from '../store';

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
import { json } from '../cases/rows';

export { json };
// Rows

export interface ApplicationRow {
  id: string;
  created_at: string;
  updated_at: string;
  org_id: string;
  year: number;
  code: string;
  first_time: number;
  status: ApplicationStatus;
  received_on: string | null;
  assessment_due: string | null;
  staff: string;
  devices: string;
  permits: string;
  planned_volume: number | null;
  note: string | null;
  locked_at: string | null;
}

export interface ConclusionRow {
  id: string;
  created_at: string;
  updated_at: string;
  application_id: string;
  org_id: string;
  year: number;
  code: string;
  state: 'draft' | 'issued';
  decisions: string;
  staff_justification: string;
  devices_justification: string;
  note: string;
  staff_conform: number | null;
  devices_conform: number | null;
  overall_conform: number | null;
  number: string | null;
  number_year: number | null;
  number_seq: number | null;
  issued_on: string | null;
  valid_from: string | null;
  valid_to: string | null;
  signer_name: string | null;
  signer_position: string | null;
  supersedes_id: string | null;
  statement: string | null;
  sha256: string | null;
  issued_at: string | null;
}

export interface UpdateRow {
  id: string;
  created_at: string;
  updated_at: string;
  conclusion_id: string;
  org_id: string;
  kind: UpdateKind;
  event_on: string;
  due_on: string;
  done_on: string | null;
  subject: string;
  new_code: string | null;
  note: string | null;
  new_conclusion_id: string | null;
}

export const APPLICATION_COLUMNS = ['org_id', 'year', 'code', 'first_time', 'status', 'received_on', 'assessment_due', 'staff', 'devices', 'permits', 'planned_volume', 'note', 'locked_at'];
export const CONCLUSION_COLUMNS = [
  'application_id', 'org_id', 'year', 'code', 'state', 'decisions', 'staff_justification', 'devices_justification', 'note', 'staff_conform',
  'devices_conform', 'overall_conform', 'number', 'number_year', 'number_seq', 'issued_on', 'valid_from', 'valid_to', 'signer_name',
  'signer_position', 'supersedes_id', 'statement', 'sha256', 'issued_at',
];
export const UPDATE_COLUMNS = ['conclusion_id', 'org_id', 'kind', 'event_on', 'due_on', 'done_on', 'subject', 'new_code', 'note', 'new_conclusion_id'];

/** Every column named (null where not given), so the change log holds whole rows (a replay never depends on local defaults). */
export function full(columns: string[], values: Row): Row {
  const out: Row = {};
  for (const c of columns) out[c] = values[c] ?? null;
  for (const [k, v] of Object.entries(values)) if (k === 'id') out[k] = v;
  return out;
}

export function applicationRow(ctx: CoreContext, id: string): ApplicationRow {
  const r = ctx.db.prepare('SELECT * FROM org_applications WHERE id = ?').get(id) as ApplicationRow | undefined;
  if (!r) throw new AppFailure('conformity.application_not_found', { id });
  return r;
}

export function conclusionRowOf(ctx: CoreContext, applicationId: string): ConclusionRow | undefined {
  return ctx.db
    .prepare("SELECT * FROM org_conclusions WHERE application_id = ? AND supersedes_id IS NULL ORDER BY CASE state WHEN 'issued' THEN 0 ELSE 1 END, created_at LIMIT 1")
    .get(applicationId) as ConclusionRow | undefined;
}

export function conclusionRow(ctx: CoreContext, id: string): ConclusionRow {
  const r = ctx.db.prepare('SELECT * FROM org_conclusions WHERE id = ?').get(id) as ConclusionRow | undefined;
  if (!r) throw new AppFailure('conformity.conclusion_not_found', { id });
  return r;
}

export const applicationData = (r: ApplicationRow): ApplicationData & { permits: PermitEntry[] } => ({
  staff: json<StaffEntry[]>(r.staff, []),
  devices: json<DeviceEntry[]>(r.devices, []),
  permits: json<PermitEntry[]>(r.permits, []),
});

export const bool = (v: number | null): boolean | null => (v === null ? null : v === 1);

export function updateRow(ctx: CoreContext, id: string): UpdateRow {
  const r = ctx.db.prepare('SELECT * FROM org_updates WHERE id = ?').get(id) as UpdateRow | undefined;
  if (!r) throw new AppFailure('conformity.update_not_found', { id });
  return r;
}

export function issuedConclusionRow(ctx: CoreContext, id: string): ConclusionRow {
  const r = conclusionRow(ctx, id);
  if (r.state !== 'issued') throw new AppFailure('conformity.not_issued', { number: r.number ?? '' });
  return r;
}
