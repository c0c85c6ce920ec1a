/** The requirements of a code (app. 2): derived from the catalogue's characteristics and the reviewed corrections. */
import fs from 'node:fs';
import path from 'node:path';
import type { RequirementsView } from '../../../shared/contract/orgs';
import { kzToday } from '../../../shared/domain/kz-time';
import { deriveRequirements, type EntryRequirements, type Requirement, type RequirementsCorrection } from '../../../shared/domain/requirements';
import { catalogueModel } from '../catalogue/model';
import type { CoreContext } from '../context';
import { assetsDir } from '../paths';
import { catalogueLookup } from '../services/catalogue-lookup';

let corrections: { file: string; mtimeMs: number; list: RequirementsCorrection[] } | undefined;

/** The reviewed corrections (assets/catalogue/requirements-corrections.json), re-read when the file changes. */
export function requirementsCorrections(): RequirementsCorrection[] {
  const file = path.join(assetsDir(), 'catalogue', 'requirements-corrections.json');
  let mtimeMs = -1;
  try {
    mtimeMs = fs.statSync(file).mtimeMs;
  } catch {
    return [];
  }
  if (corrections && corrections.file === file && corrections.mtimeMs === mtimeMs) return corrections.list;
  const list = (JSON.parse(fs.readFileSync(file, 'utf8')) as { corrections: RequirementsCorrection[] }).corrections;
  corrections = { file, mtimeMs, list };
  return list;
}

const derived = new Map<string, EntryRequirements>();

/** The requirements of a code, derived from the characteristics the catalogue holds now (null: the code has none). */
export function requirementsFor(ctx: CoreContext, code: string): RequirementsView {
  const m = catalogueModel(ctx);
  const ch = m.characteristics.get(code);
  if (!ch) {
    const names = catalogueLookup(ctx).names(code, kzToday());
    return { code, name: { kk: names.kk?.text ?? null, ru: names.ru?.text ?? null }, staffText: null, devicesText: null, footnotes: [], requirements: null };
  }
  const notes = ch.notes.map((n) => ({ mark: n.mark, text: n.text.kk ?? n.text.ru ?? null }));
  const key = JSON.stringify([code, ch.staff.text, ch.devices.text, ch.devices.items, notes]);
  let reqs = derived.get(key);
  if (!reqs) {
    reqs = deriveRequirements({ code, staff: { text: ch.staff.text }, devices: ch.devices, notes }, requirementsCorrections());
    if (derived.size > 500) derived.clear();
    derived.set(key, reqs);
  }
  return {
    code,
    name: { kk: ch.name.kk, ru: ch.name.ru },
    staffText: ch.staff.text,
    devicesText: ch.devices.text,
    footnotes: notes.filter((n): n is { mark: string; text: string } => n.text !== null),
    requirements: reqs,
  };
}

/** Every code of the catalogue with whether it has characteristics, those with them first (app. 2 order). */
export function conformityCodes(ctx: CoreContext): { code: string; characteristics: boolean; name: { kk: string | null; ru: string | null } }[] {
  const m = catalogueModel(ctx);
  const lookup = catalogueLookup(ctx);
  const today = kzToday();
  const withCh = [...m.characteristics.values()].sort((a, b) => a.position - b.position).map((c) => c.code);
  const rest = m.codes.filter((c) => !m.characteristics.has(c));
  return [...withCh, ...rest].map((code) => {
    const n = lookup.names(code, today);
    return { code, characteristics: m.characteristics.has(code), name: { kk: n.kk && n.kk.source.kind !== 'local' ? n.kk.text : null, ru: n.ru && n.ru.source.kind !== 'local' ? n.ru.text : null } };
  });
}

/** The words a requirement is printed with. */
export function requirementText(r: Requirement): string {
  switch (r.kind) {
    case 'device':
      return r.count > 1 ? `${r.name} — ${r.count}` : r.name;
    default:
      return r.text;
  }
}

// ---------------------------------------------------------------------------------------------
