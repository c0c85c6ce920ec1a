/**
 * Which organizations may receive a patient for an HTMP code on a date (ДСМ-238 point 31): an
 * issued, conforming conclusion for the code, valid on the date, not superseded by a reissue.
 *
 * Served from memory: the organizations (with their order by name) and, per code, its valid
 * conclusions, each code read on its first query (a range of `org_conclusions_eligible`, which
 * holds every column needed). After a write on this connection (Store changes, sync included)
 * only what the write touched is read again: the organizations, the open updates, or the codes
 * concerned. A commit by another connection (PRAGMA data_version: the CLI next to the app) drops
 * everything, read again on demand. A query walks the
 * conclusions of one code (about 1,500 at 5,000 organizations x 100 codes x 3 years) in an order by
 * name computed once: under a millisecond, where the same indexed SQL, which reads and sorts some
 * 500 organizations, takes tens (docs/benchmarks.md, `npm run bench -- orgs`).
 */
import type { ConclusionRef, EligibleOrg, OrgView } from '../../../shared/contract/orgs';
import type { CoreContext } from '../context';
import type { Db } from '../db';
import type { ChangeRecord, Store } from '../store';
import { orgView, type OrgRow } from './registry';

interface Entry {
  conclusion: ConclusionRef;
  orgId: string;
  superseded: boolean;
}

interface ConclusionLine {
  id: string;
  org_id: string;
  number: string;
  year: number;
  code: string;
  valid_from: string;
  valid_to: string;
  issued_on: string;
  superseded: number;
}

const SELECT = `SELECT c.id, c.org_id, c.number, c.year, c.code, c.valid_from, c.valid_to, c.issued_on,
       EXISTS (SELECT 1 FROM org_conclusions s WHERE s.supersedes_id = c.id AND s.state = 'issued') AS superseded
  FROM org_conclusions c INDEXED BY org_conclusions_eligible
 WHERE c.state = 'issued' AND c.overall_conform = 1`;

/** What a write touched, to read again before the next query. */
interface Pending {
  all: boolean;
  orgs: boolean;
  updates: boolean;
  conclusions: Set<string>;
}

class EligibilityIndex {
  private byCode = new Map<string, Entry[]>();
  private orgs = new Map<string, OrgView>();
  private openUpdates = new Map<string, number>();
  private rank: Record<'kk' | 'ru', Map<string, number>> = { kk: new Map(), ru: new Map() };

  private readonly ofCode;

  constructor(private readonly db: Db) {
    this.ofCode = db.prepare(`${SELECT} AND c.code = ?`);
    this.loadOrgs();
    this.loadUpdates();
  }

  /** The valid conclusions of a code, read on first use. */
  private entries(code: string): Entry[] {
    let list = this.byCode.get(code);
    if (list) return list;
    list = (this.ofCode.all(code) as ConclusionLine[]).map((r) => ({
      conclusion: { id: r.id, number: r.number, year: r.year, code: r.code, validFrom: r.valid_from, validTo: r.valid_to, issuedOn: r.issued_on },
      orgId: r.org_id,
      superseded: r.superseded === 1,
    }));
    this.byCode.set(code, list);
    return list;
  }

  private loadOrgs(): void {
    const rows = this.db.prepare('SELECT * FROM organizations').all() as OrgRow[];
    const binCount = new Map<string, number>();
    for (const r of rows) binCount.set(r.bin, (binCount.get(r.bin) ?? 0) + 1);
    this.orgs = new Map(rows.map((r) => [r.id, orgView(r, (binCount.get(r.bin) ?? 0) > 1)]));
    const order = (key: 'name_kk' | 'name_ru', locale: string) => {
      const c = new Intl.Collator(locale);
      const sorted = [...rows].sort((a, b) => c.compare(a[key], b[key]) || a.bin.localeCompare(b.bin));
      return new Map(sorted.map((r, i) => [r.id, i]));
    };
    this.rank = { kk: order('name_kk', 'kk'), ru: order('name_ru', 'ru') };
  }

  private loadUpdates(): void {
    const rows = this.db.prepare('SELECT conclusion_id AS id, count(*) AS n FROM org_updates WHERE done_on IS NULL GROUP BY conclusion_id').all() as { id: string; n: number }[];
    this.openUpdates = new Map(rows.map((r) => [r.id, r.n]));
  }

  /** Reads again what a write touched; false when only a full rebuild will do. */
  refresh(p: Pending): boolean {
    if (p.all) return false;
    if (p.orgs) this.loadOrgs();
    if (p.updates) this.loadUpdates();
    if (p.conclusions.size > 0) {
      const codes = new Set<string>();
      const codeOf = this.db.prepare('SELECT code FROM org_conclusions WHERE id = ?').pluck();
      for (const id of p.conclusions) {
        const code = codeOf.get(id) as string | undefined;
        if (code === undefined) return false; // deleted: rare (sync); rebuild everything
        codes.add(code);
      }
      for (const code of codes) this.byCode.delete(code);
    }
    return true;
  }

  /** One entry per organization (its latest valid conclusion), by name in the language. */
  query(code: string, on: string, lang: 'kk' | 'ru'): EligibleOrg[] {
    const best = new Map<string, Entry>();
    for (const e of this.entries(code)) {
      if (e.superseded || e.conclusion.validFrom > on || e.conclusion.validTo < on || !this.orgs.has(e.orgId)) continue;
      const prev = best.get(e.orgId);
      if (!prev || e.conclusion.issuedOn > prev.conclusion.issuedOn) best.set(e.orgId, e);
    }
    const rank = this.rank[lang];
    return [...best.values()]
      .sort((a, b) => (rank.get(a.orgId) ?? 0) - (rank.get(b.orgId) ?? 0))
      .map((e) => ({ org: this.orgs.get(e.orgId)!, conclusion: e.conclusion, openUpdates: this.openUpdates.get(e.conclusion.id) ?? 0 }));
  }
}

interface Cached {
  index: EligibilityIndex;
  dataVersion: number;
  pending: Pending;
}

const cache = new WeakMap<Db, Cached>();
const subscribed = new WeakSet<Store>();
const versionStmt = new WeakMap<Db, () => number>();

function dataVersion(db: Db): number {
  let f = versionStmt.get(db);
  if (!f) {
    const s = db.prepare('PRAGMA data_version').pluck();
    f = () => Number(s.get());
    versionStmt.set(db, f);
  }
  return f();
}

const nothing = (): Pending => ({ all: false, orgs: false, updates: false, conclusions: new Set() });

function note(db: Db, c: ChangeRecord): void {
  const cached = cache.get(db);
  if (!cached) return;
  const p = cached.pending;
  if (c.table === 'organizations') p.orgs = true;
  else if (c.table === 'org_updates') p.updates = true;
  else if (c.table === 'org_conclusions') {
    if (c.op === 'delete') p.all = true;
    p.conclusions.add(c.recordId);
    // A reissue makes the conclusion it supersedes ineligible (possibly under another code).
    const sup = c.fields['supersedes_id'];
    if (sup && typeof sup[1] === 'string') p.conclusions.add(sup[1]);
    if (sup && typeof sup[0] === 'string') p.conclusions.add(sup[0]);
  }
}

/** The organizations eligible for a code on a date (see the file's comment). */
export function eligibleFromIndex(ctx: Pick<CoreContext, 'db' | 'store'>, code: string, on: string, lang: 'kk' | 'ru'): EligibleOrg[] {
  const db = ctx.db;
  if (!subscribed.has(ctx.store)) {
    subscribed.add(ctx.store);
    ctx.store.onChange((c) => note(db, c));
  }
  let cached = cache.get(db);
  const dv = dataVersion(db);
  if (cached && cached.dataVersion === dv) {
    const p = cached.pending;
    if (p.all || p.orgs || p.updates || p.conclusions.size > 0) {
      cached.pending = nothing();
      if (!cached.index.refresh(p)) cached = undefined;
    }
  } else cached = undefined;
  if (!cached) {
    cached = { index: new EligibilityIndex(db), dataVersion: dv, pending: nothing() };
    cache.set(db, cached);
  }
  return cached.index.query(code, on, lang);
}
