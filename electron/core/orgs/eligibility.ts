/**
 * Which organizations may receive a patient for an HTMP code on a date (ДСМ-238 point 31): an
 * issued, conforming conclusion for the code, valid on the date, not superseded by a reissue.
 *
 * Served from memory: every valid conclusion per code with its organization, built from the
 * database on first use and rebuilt after any write to the organizations, conclusions or updates
 * on this connection (Store changes, sync included) or a commit by another connection (PRAGMA
 * data_version: the CLI next to the app). A query is then a walk over the conclusions of one code
 * (about 1,500 at 5,000 organizations x 100 codes x 3 years), in an order by name computed once:
 * well under a millisecond, where the same indexed SQL with 500 organizations to read and sort
 * takes tens (docs/benchmarks.md, `npm run bench -- orgs`).
 */
import type { ConclusionRef, EligibleOrg, OrgView } from '../../../shared/contract/orgs';
import type { CoreContext } from '../context';
import type { Db } from '../db';
import type { Store } from '../store';
import { orgView, type OrgRow } from './registry';

interface Entry {
  conclusion: ConclusionRef;
  orgId: string;
  superseded: boolean;
}

const TABLES = new Set(['organizations', 'org_conclusions', 'org_updates']);

class EligibilityIndex {
  private readonly byCode = new Map<string, Entry[]>();
  private readonly orgs = new Map<string, OrgView>();
  private readonly openUpdates = new Map<string, number>();
  private readonly rank: Record<'kk' | 'ru', Map<string, number>>;

  constructor(db: Db) {
    const rows = db.prepare('SELECT * FROM organizations').all() as OrgRow[];
    const binCount = new Map<string, number>();
    for (const r of rows) binCount.set(r.bin, (binCount.get(r.bin) ?? 0) + 1);
    for (const r of rows) this.orgs.set(r.id, orgView(r, (binCount.get(r.bin) ?? 0) > 1));
    const order = (key: 'name_kk' | 'name_ru', locale: string) => {
      const c = new Intl.Collator(locale);
      const sorted = [...rows].sort((a, b) => c.compare(a[key], b[key]) || a.bin.localeCompare(b.bin));
      return new Map(sorted.map((r, i) => [r.id, i]));
    };
    this.rank = { kk: order('name_kk', 'kk'), ru: order('name_ru', 'ru') };
    const superseded = new Set(
      (db.prepare("SELECT supersedes_id AS id FROM org_conclusions WHERE supersedes_id IS NOT NULL AND state = 'issued'").all() as { id: string }[]).map((r) => r.id),
    );
    for (const r of db.prepare('SELECT conclusion_id AS id, count(*) AS n FROM org_updates WHERE done_on IS NULL GROUP BY conclusion_id').all() as { id: string; n: number }[]) {
      this.openUpdates.set(r.id, r.n);
    }
    const stmt = db.prepare(
      `SELECT id, org_id, number, year, code, valid_from, valid_to, issued_on FROM org_conclusions INDEXED BY org_conclusions_eligible
        WHERE state = 'issued' AND overall_conform = 1`,
    );
    for (const r of stmt.iterate() as Iterable<{ id: string; org_id: string; number: string; year: number; code: string; valid_from: string; valid_to: string; issued_on: string }>) {
      let list = this.byCode.get(r.code);
      if (!list) this.byCode.set(r.code, (list = []));
      list.push({
        conclusion: { id: r.id, number: r.number, year: r.year, code: r.code, validFrom: r.valid_from, validTo: r.valid_to, issuedOn: r.issued_on },
        orgId: r.org_id,
        superseded: superseded.has(r.id),
      });
    }
  }

  /** One entry per organization (its latest valid conclusion), by name in the language. */
  query(code: string, on: string, lang: 'kk' | 'ru'): EligibleOrg[] {
    const best = new Map<string, Entry>();
    for (const e of this.byCode.get(code) ?? []) {
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

const cache = new WeakMap<Db, { index: EligibilityIndex; dataVersion: number }>();
const dirty = new WeakSet<Db>();
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

/** The organizations eligible for a code on a date (see the file's comment). */
export function eligibleFromIndex(ctx: Pick<CoreContext, 'db' | 'store'>, code: string, on: string, lang: 'kk' | 'ru'): EligibleOrg[] {
  const db = ctx.db;
  if (!subscribed.has(ctx.store)) {
    subscribed.add(ctx.store);
    ctx.store.onChange((c) => {
      if (TABLES.has(c.table)) dirty.add(db);
    });
  }
  let cached = cache.get(db);
  const dv = dataVersion(db);
  if (!cached || dirty.has(db) || cached.dataVersion !== dv) {
    dirty.delete(db);
    cached = { index: new EligibilityIndex(db), dataVersion: dv };
    cache.set(db, cached);
  }
  return cached.index.query(code, on, lang);
}
