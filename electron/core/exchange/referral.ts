/**
 * Referral bundles (kind `referral`) for the operator who uploads approved cases to the national
 * hospitalization portal from an online machine (docs/bundle-format.md, section 3).
 *
 * Layout: `cases/<protocol-number>_<surname>/` per case with `protocol_kk.pdf`,
 * `protocol_ru.pdf` (the issued protocol, rendered by the protocols area), the packet's files
 * (`NN_<name>`) and `case.json` (the machine-readable record); `records/cases.jsonl` (all
 * records); `index.csv` (UTF-8 with BOM, `;`), `index.pdf` (the register of the exported
 * protocols, Kazakh and Russian, to print and tick off) and `index.html` (the same list for any
 * browser).
 * The cases' portal status becomes `exported`. The portal's answer (CSV or JSON of case,
 * status, date) moves them to uploaded / accepted / rejected.
 */
import { AppFailure } from '../../../shared/result';
import type { CaseDetail, PortalStatus } from '../../../shared/contract/cases';
import type { CoreContext } from '../context';
import { caseDetail, casesHandlers, storedFilePath } from '../services/cases';
import { renderDocument } from '../pdf';
import { commissionFromSettings, issuedTechnology, kzNow, renderCaseProtocol } from '../services/protocols';
import { writeBundle, type WriteBundleEntry } from './archive';
import type { Job } from './jobs';
import { caseFolderPath, safeSegment } from './manifest';
import { generator, recordJob, type ExportResult } from './sync';
import { senderSecret } from './trust';

const csvCell = (v: string | number | null | undefined): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[;"\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const html = (s: string | null | undefined): string => (s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

interface Prepared {
  detail: CaseDetail;
  number: string;
  date: string;
  folder: string;
  /** The technology's name as the issued protocol printed it (filled while the bundle is written). */
  name: { kk: string | null; ru: string | null };
}

export async function exportReferral(ctx: CoreContext, opts: { file: string; caseIds?: string[] | undefined; job: Job }): Promise<ExportResult & { index: 'pdf' | 'html' }> {
  const { job } = opts;
  const started = new Date().toISOString();
  const ids =
    opts.caseIds ??
    (ctx.db.prepare("SELECT id FROM cases WHERE status = 'approved' AND portal_status = 'to_export' ORDER BY protocol_year, protocol_number").pluck().all() as string[]);
  if (ids.length === 0) throw new AppFailure('exchange.referral_none', {});
  const prepared: Prepared[] = [];
  const folders = new Set<string>();
  for (const id of ids) {
    const detail = caseDetail(ctx, id);
    const decision = detail.decisions.find((d) => d.outcome === 'approved' && d.protocol !== null && d.locked);
    if (detail.status !== 'approved' || !decision || !decision.protocol) throw new AppFailure('exchange.referral_not_approved', { caseId: id });
    let folder = caseFolderPath(decision.protocol.label, detail.patient.lastName);
    while (folders.has(folder.toLowerCase())) folder = `${folder}_`;
    folders.add(folder.toLowerCase());
    prepared.push({ detail, number: decision.protocol.label, date: decision.date, folder, name: { kk: null, ru: null } });
  }
  const total = prepared.length;
  let fileCount = 0;

  async function* entries(): AsyncGenerator<WriteBundleEntry> {
    const records: string[] = [];
    const csv: string[] = [['protocol', 'date', 'last_name', 'first_name', 'middle_name', 'iin', 'htmp_code', 'folder', 'files', 'htmp_name_kk', 'htmp_name_ru'].join(';')];
    const rows: string[] = [];
    let i = 0;
    for (const p of prepared) {
      job.throwIfCancelled();
      const d = p.detail;
      const docs: { path: string; kind: string; title: string | null; name: string; sha256: string }[] = [];
      let n = 0;
      for (const doc of d.documents) {
        for (const f of doc.files) {
          n++;
          const name = `${String(n).padStart(2, '0')}_${safeSegment(f.name, 80)}`;
          docs.push({ path: `${p.folder}/${name}`, kind: doc.kind, title: doc.title, name: f.name, sha256: f.sha256 });
        }
      }
      // The technology as the issued protocol names it (the wording of its section of the list).
      const tech = issuedTechnology(ctx, d.id);
      p.name = tech?.name ?? { kk: null, ru: null };
      const record = {
        caseId: d.id,
        protocol: p.number,
        decisionDate: p.date,
        patient: { iin: d.patient.iin, lastName: d.patient.lastName, firstName: d.patient.firstName, middleName: d.patient.middleName, birthDate: d.patient.birthDate },
        htmpCode: d.htmpCode,
        htmpSection: tech?.section ?? null,
        htmpName: p.name,
        diagnosis: d.diagnosis,
        urgency: d.urgency,
        providerOrg: d.providerOrg,
        receivedAt: d.receivedAt,
        documents: docs.map((x) => ({ file: x.path, kind: x.kind, title: x.title, name: x.name, sha256: x.sha256 })),
        protocolFiles: [`${p.folder}/protocol_kk.pdf`, `${p.folder}/protocol_ru.pdf`],
      };
      records.push(JSON.stringify(record));
      for (const lang of ['kk', 'ru'] as const) {
        const pdf = await renderCaseProtocol(ctx, d.id, { lang });
        yield { path: `${p.folder}/protocol_${lang}.pdf`, role: 'document', source: { buffer: pdf.buffer } };
      }
      for (const x of docs) {
        fileCount++;
        yield { path: x.path, role: 'attachment', source: { file: storedFilePath(ctx.dataDir, x.sha256) } };
      }
      yield { path: `${p.folder}/case.json`, role: 'record', source: { buffer: Buffer.from(JSON.stringify(record, null, 2)) } };
      csv.push([p.number, p.date, d.patient.lastName, d.patient.firstName, d.patient.middleName, d.patient.iin, d.htmpCode, p.folder, docs.length, p.name.kk, p.name.ru].map(csvCell).join(';'));
      rows.push(
        `<tr><td>${html(p.number)}</td><td>${html(p.date)}</td><td>${html([d.patient.lastName, d.patient.firstName, d.patient.middleName].filter(Boolean).join(' '))}</td><td style="white-space:nowrap">${html(d.patient.iin)}</td><td>${html(d.htmpCode)}<div lang="kk">${html(p.name.kk)}</div><div lang="ru">${html(p.name.ru)}</div></td><td>${html(p.folder)}</td><td>${docs.length + 2}</td><td></td></tr>`,
      );
      job.progress('cases', ++i, total);
    }
    yield { path: 'records/cases.jsonl', role: 'record', source: { buffer: Buffer.from(records.join('\n') + '\n') } };
    yield { path: 'index.csv', role: 'index', source: { buffer: Buffer.from('\ufeff' + csv.join('\r\n') + '\r\n', 'utf8') } };
    const page = `<!doctype html><html><head><meta charset="utf-8"><title>Жолдамалар / Направления</title><style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px 6px;font-size:12px}</style></head><body><h1>Жолдамалар / Направления: ${total}</h1><p>${html(kzNow().slice(0, 10).split('-').reverse().join('.'))}</p><table><thead><tr><th>Хаттама / Протокол</th><th>Күні / Дата</th><th>Пациент</th><th>ЖСН / ИИН</th><th>ЖТМК коды, атауы / Код, наименование ВТМП</th><th>Қалта / Папка</th><th>Файлдар / Файлы</th><th>Порталда тіркелді / Зарегистрировано на Портале</th></tr></thead><tbody>${rows.join('')}</tbody></table></body></html>`;
    yield { path: 'index.html', role: 'index', source: { buffer: Buffer.from(page, 'utf8') } };
    const dates = prepared.map((p) => p.date).sort();
    const index = await renderDocument(
      {
        kind: 'protocol_register',
        period: { from: dates[0]!, to: dates[dates.length - 1]! },
        commission: commissionFromSettings(ctx),
        rows: prepared.map((p) => ({
          number: p.number,
          date: p.date,
          patientName: [p.detail.patient.lastName, p.detail.patient.firstName, p.detail.patient.middleName].filter(Boolean).join(' '),
          code: p.detail.htmpCode,
          ...(p.name.kk !== null || p.name.ru !== null ? { name: p.name } : {}),
          outcome: 'approved' as const,
        })),
        generatedAt: kzNow(),
      },
      { lang: 'both' },
    );
    yield { path: 'index.pdf', role: 'index', source: { buffer: index.buffer } };
  }

  const r = await writeBundle({
    file: opts.file,
    kind: 'referral',
    sender: senderSecret(ctx),
    meta: { cases: total, index: 'pdf', schemaVersion: ctx.db.pragma('user_version', { simple: true }) as number },
    entries: entries(),
    signal: job.signal,
    generator: generator(ctx),
  });
  const now = new Date().toISOString();
  ctx.db.transaction(() => {
    for (const p of prepared) {
      const cur = ctx.db.prepare('SELECT portal_status FROM cases WHERE id = ?').pluck().get(p.detail.id) as PortalStatus | null;
      if (cur === 'to_export' || cur === 'rejected') {
        if (cur === 'rejected') casesHandlers['cases.portalStatus']({ caseId: p.detail.id, status: 'to_export' }, ctx);
        casesHandlers['cases.portalStatus']({ caseId: p.detail.id, status: 'exported', at: now }, ctx);
      }
      ctx.db
        .prepare('INSERT INTO exchange_referrals (case_id, bundle_id, exported_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(case_id) DO UPDATE SET bundle_id = excluded.bundle_id, exported_at = excluded.exported_at, portal_status = NULL, updated_at = excluded.updated_at')
        .run(p.detail.id, r.bundleId, now, now);
    }
    recordJob(ctx, { id: job.id, kind: 'referral', direction: 'export', bundleId: r.bundleId, file: r.file, sha256: r.sha256, records: total, attachments: fileCount, started, finished: now });
  })();
  ctx.emit({ type: 'data.changed', payload: { area: 'cases' } });
  return { file: r.file, kind: 'referral', bundleId: r.bundleId, records: total, attachments: fileCount, sha256: r.sha256, bytes: r.bytes, index: 'pdf' };
}

// --- the portal's answer ---------------------------------------------------------------------

const ANSWER_STATUSES = ['uploaded', 'accepted', 'rejected'] as const;
type AnswerStatus = (typeof ANSWER_STATUSES)[number];
const ORDER: PortalStatus[] = ['to_export', 'exported', 'uploaded', 'accepted'];

function parseAnswer(text: string): { line: number; ref: string; status: string; date: string | null }[] {
  const clean = text.replace(/^\ufeff/, '').trim();
  if (clean.startsWith('[') || clean.startsWith('{')) {
    let data: unknown;
    try {
      data = JSON.parse(clean);
    } catch {
      throw new AppFailure('exchange.answer_invalid', { reason: 'json' });
    }
    const list = Array.isArray(data) ? data : (data as { cases?: unknown }).cases;
    if (!Array.isArray(list)) throw new AppFailure('exchange.answer_invalid', { reason: 'json' });
    return list.map((x: unknown, i) => {
      const o = (x ?? {}) as Record<string, unknown>;
      return { line: i + 1, ref: String(o.case ?? o.caseId ?? o.protocol ?? ''), status: String(o.status ?? ''), date: o.date === undefined || o.date === null ? null : String(o.date) };
    });
  }
  const lines = clean.split(/\r?\n/);
  const sep = (lines[0] ?? '').includes(';') ? ';' : (lines[0] ?? '').includes('\t') ? '\t' : ',';
  const head = (lines[0] ?? '').split(sep).map((h) => h.trim().toLowerCase().replace(/^"|"$/g, ''));
  const hasHeader = head.includes('status');
  const col = (name: string, fallback: number): number => (hasHeader ? head.indexOf(name) : fallback);
  const ci = hasHeader ? Math.max(col('case', -1), col('protocol', -1), col('case_id', -1)) : 0;
  const si = col('status', 1);
  const di = col('date', 2);
  return lines.slice(hasHeader ? 1 : 0).flatMap((l, i) => {
    if (l.trim() === '') return [];
    const cells = l.split(sep).map((c) => c.trim().replace(/^"|"$/g, ''));
    return [{ line: i + (hasHeader ? 2 : 1), ref: cells[ci] ?? '', status: cells[si] ?? '', date: di >= 0 ? cells[di] || null : null }];
  });
}

/** Applies the portal's answer: each case (id or protocol number "N/YYYY") to uploaded/accepted/rejected. */
export function importPortalAnswer(ctx: CoreContext, text: string): { updated: number; unknown: string[]; unchanged: number; errors: { line: number; code: string }[] } {
  const rows = parseAnswer(text);
  const out = { updated: 0, unknown: [] as string[], unchanged: 0, errors: [] as { line: number; code: string }[] };
  const byId = ctx.db.prepare('SELECT id, portal_status FROM cases WHERE id = ?');
  const byNumber = ctx.db.prepare('SELECT id, portal_status FROM cases WHERE protocol_number = ? AND protocol_year = ?');
  ctx.db.transaction(() => {
    for (const r of rows) {
      if (!(ANSWER_STATUSES as readonly string[]).includes(r.status)) {
        out.errors.push({ line: r.line, code: 'exchange.answer_status' });
        continue;
      }
      if (r.date !== null && !/^\d{4}-\d{2}-\d{2}/.test(r.date)) {
        out.errors.push({ line: r.line, code: 'exchange.answer_date' });
        continue;
      }
      const m = /^(\d+)\/(\d{4})$/.exec(r.ref);
      const c = (m ? byNumber.get(Number(m[1]), Number(m[2])) : byId.get(r.ref)) as { id: string; portal_status: PortalStatus | null } | undefined;
      if (!c) {
        out.unknown.push(r.ref);
        continue;
      }
      const target = r.status as AnswerStatus;
      if (c.portal_status === target) {
        out.unchanged++;
        continue;
      }
      // exported -> uploaded -> accepted|rejected: an answer "accepted" implies "uploaded" first.
      const steps: PortalStatus[] = [];
      if (c.portal_status === 'exported') steps.push('uploaded');
      if (target !== 'uploaded') steps.push(target);
      if (c.portal_status !== 'exported' && c.portal_status !== 'uploaded') {
        out.errors.push({ line: r.line, code: 'exchange.answer_transition' });
        continue;
      }
      if (ORDER.indexOf(c.portal_status) > ORDER.indexOf(target) && target !== 'rejected') {
        out.errors.push({ line: r.line, code: 'exchange.answer_transition' });
        continue;
      }
      for (const s of steps) casesHandlers['cases.portalStatus']({ caseId: c.id, status: s, ...(r.date ? { at: r.date } : {}) }, ctx);
      ctx.db.prepare('UPDATE exchange_referrals SET portal_status = ?, portal_date = ?, updated_at = ? WHERE case_id = ?').run(target, r.date, new Date().toISOString(), c.id);
      out.updated++;
    }
  })();
  ctx.emit({ type: 'data.changed', payload: { area: 'cases' } });
  return out;
}
