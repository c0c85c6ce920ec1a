import fs from 'node:fs';
import path from 'node:path';
import type { ArgsOf, Lang } from '../../../shared/contract';
import type { CaseFile, CaseListItem, CaseStatus, IssueGap } from '../../../shared/contract/cases';
import { isIsoDate } from '../../../shared/domain/calendar';
import type { FundingResult } from '../../../shared/domain/funding';
import { checkIin } from '../../../shared/domain/iin';
import type { Finding } from '../../../shared/domain/packet';
import { kzToday } from '../../../shared/domain/kz-time';
import { AppFailure } from '../../../shared/result';
import { t, translateError } from '../../core/i18n';
import { inputKind, readCases, type InputCase, type InputKind } from '../case-input';
import { readFileCapped, readJsonFile as readJson, type Command, type CommandContext, type CommandOutput } from '../command';

/** `t` that also resolves the `$t(key)` references the rules texts use (looked up in `rules`). */
function tr(lang: Lang, key: string, params: Record<string, unknown> = {}): string {
  return t(lang, key, params).replace(/\$t\(([^)]+)\)/g, (_m, k: string) => t(lang, `rules:${k}`));
}


/**
 * The cases contract (its zod schemas and limits), loaded when a command needs it: building the
 * schemas is most of what the contract costs at start, and `iin check` needs none.
 */
const contract = () => import('../../../shared/contract/cases');
/** A UUID as zod's `uuid()` accepts it (RFC 9562 versions and variant, nil and max). */
const UUID = /^([0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/i;

async function readCaseFile(file: string): Promise<CaseFile> {
  const { caseFileSchema } = await contract();
  const parsed = caseFileSchema.safeParse(readJson(file));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppFailure('cases.bad_case_file', { file, field: issue?.path.join('.') || '(root)', issue: issue?.message ?? 'invalid' });
  }
  return parsed.data;
}

/**
 * The files a case file references, resolved by the CLI (the host that read the case file, not
 * the core): only inside the case file's own folder. An absolute path, a `..` segment or a
 * symbolic link anywhere on the way is refused (`cases.file_outside_folder`), so a case file
 * cannot make the app read (and store, and later export) `/etc/passwd` or another patient's scan.
 * Returns the real path of each reference that exists as a regular file; absent ones are omitted.
 */
function resolveCaseFiles(caseFile: string, input: CaseFile): Map<string, string> {
  const base = fs.realpathSync(path.dirname(caseFile));
  const found = new Map<string, string>();
  for (const doc of input.documents) {
    for (const ref of doc.files) {
      if (found.has(ref)) continue;
      const parts = ref.split(/[\\/]+/);
      if (path.isAbsolute(ref) || path.win32.isAbsolute(ref) || parts.some((x) => x === '..')) throw new AppFailure('cases.file_outside_folder', { path: ref });
      let current = base;
      let missing = false;
      for (const part of parts.filter((x) => x !== '' && x !== '.')) {
        current = path.join(current, part);
        let st: fs.Stats;
        try {
          st = fs.lstatSync(current);
        } catch {
          missing = true;
          break;
        }
        if (st.isSymbolicLink()) throw new AppFailure('cases.file_outside_folder', { path: ref });
      }
      if (missing) continue;
      if (fs.statSync(current).isFile()) found.set(ref, current);
    }
  }
  return found;
}

/** Where a case is in a multi-case input, as the user reads it ("line 12" / "case 12"). */
function where(lang: Lang, c: InputCase): string {
  return c.line !== undefined ? t(lang, 'cases:cli.atLine', { line: c.line }) : t(lang, 'cases:cli.atItem', { item: c.item ?? 1 });
}

/** A case file's references that are not there, or too big to store, refused before storing. */
function checkFiles(input: CaseFile, present: Map<string, string>, MAX_FILE_BYTES: number): void {
  for (const doc of input.documents) {
    for (const ref of doc.files) {
      const real = present.get(ref);
      if (real === undefined) throw new AppFailure('cases.file_not_found', { path: ref });
      const size = fs.statSync(real).size;
      if (size > MAX_FILE_BYTES) throw new AppFailure('cases.file_too_large', { path: ref, size, maxBytes: MAX_FILE_BYTES, maxMb: MAX_FILE_BYTES / 1024 / 1024 });
    }
  }
}

/** Base64 of the files of one batch, at most (besides the case count limit of the method). */
const BATCH_FILE_CHARS = 48 * 1024 * 1024;

/**
 * `case import` of a JSON array or NDJSON: every case is checked first (shape, files inside the
 * folder, present, not too big) and nothing is stored if one is wrong; then the cases are stored
 * through `cases.importBatch`, MAX_IMPORT_BATCH per transaction, with progress on stderr. A batch
 * is all or nothing: if the core refuses a case, the batches before it stay stored and the
 * message says which lines were not.
 */
async function importMany(ctx: CommandContext, file: string, kind: InputKind): Promise<CommandOutput> {
  const { caseFileSchema, MAX_FILE_BYTES, MAX_IMPORT_BATCH } = await contract();
  const lang = ctx.lang;
  const refused = (c: InputCase, err: unknown): AppFailure => {
    if (!(err instanceof AppFailure)) return err as AppFailure;
    return new AppFailure('cases.import_refused', { file, at: where(lang, c), cause: translateError(lang, err.toError()), causeCode: err.code, ...(c.line !== undefined ? { line: c.line } : { item: c.item ?? 1 }) });
  };
  // 1. Check every case; keep nothing but the count.
  let total = 0;
  for (const c of readCases(file, kind)) {
    try {
      const parsed = caseFileSchema.safeParse(c.value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AppFailure('cases.bad_case_file', { file, field: issue?.path.join('.') || '(root)', issue: issue?.message ?? 'invalid' });
      }
      checkFiles(parsed.data, resolveCaseFiles(file, parsed.data), MAX_FILE_BYTES);
    } catch (err) {
      throw refused(c, err);
    }
    total++;
  }
  // 2. Store, a batch per transaction.
  const core = ctx.core();
  const stored: { id: string; status: CaseStatus }[] = [];
  let batch: { c: InputCase; args: { case: CaseFile; files: { ref: string; contentBase64: string }[] } }[] = [];
  let chars = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    try {
      const r = await core.call('cases.importBatch', { cases: batch.map((b) => b.args) });
      stored.push(...r.cases);
    } catch (err) {
      if (!(err instanceof AppFailure)) throw err;
      const index = err.code === 'cases.batch_case_failed' && typeof err.params?.index === 'number' ? err.params.index : 0;
      const { index: _i, position: _p, causeCode, ...params } = err.params ?? {};
      const cause = err.code === 'cases.batch_case_failed' ? { code: String(causeCode), params } : err.toError();
      const c = batch[index]?.c ?? batch[0]!.c;
      throw new AppFailure('cases.import_stopped', {
        file,
        at: where(lang, c),
        cause: translateError(lang, cause),
        causeCode: cause.code,
        from: where(lang, batch[0]!.c),
        to: where(lang, batch.at(-1)!.c),
        stored: stored.length,
        total,
      });
    }
    ctx.progress(t(lang, 'cases:cli.importProgress', { done: stored.length, total }));
    batch = [];
    chars = 0;
  };
  for (const c of readCases(file, kind)) {
    const input = caseFileSchema.parse(c.value);
    const present = resolveCaseFiles(file, input);
    const files = [...present].map(([ref, real]) => ({ ref, contentBase64: readFileCapped(real, MAX_FILE_BYTES).toString('base64') }));
    const size = files.reduce((n, f) => n + f.contentBase64.length, 0);
    if (batch.length >= MAX_IMPORT_BATCH || (batch.length > 0 && chars + size > BATCH_FILE_CHARS)) await flush();
    batch.push({ c, args: { case: input, files } });
    chars += size;
  }
  await flush();
  const registered = stored.filter((x) => x.status === 'registered').length;
  return {
    json: { imported: stored.length, registered, drafts: stored.length - registered, cases: stored },
    human: t(lang, 'cases:cli.importedMany', { count: stored.length, registered, drafts: stored.length - registered }),
  };
}

const NO_FUNDING: FundingResult = { channel: null, section: null, reason: { key: 'funding.not_in_list', params: { sections: '' } } };

function findingLines(lang: Lang, findings: Finding[]): string[] {
  return findings.map((f) => `  [${f.severity}] ${f.field}: ${tr(lang, `rules:findings.${f.code}`, f.params)}`);
}

function fundingLine(lang: Lang, f: FundingResult): string {
  return `${t(lang, 'cases:cli.funding')}: ${t(lang, `rules:funding.channel.${f.channel ?? 'none'}`)} — ${tr(lang, `rules:${f.reason.key}`, f.reason.params)}`;
}

export const casesCommands: Command[] = [
  {
    name: 'iin check',
    usage: 'htmp iin check IIN [--json]',
    summary: 'cases:cli.commands.iinCheck',
    minArgs: 1,
    maxArgs: 1,
    run(ctx) {
      const r = checkIin(ctx.args[0] ?? '');
      const json = { valid: r.valid, birthDate: r.birthDate, sex: r.sex, reason: r.reason };
      const human = r.valid
        ? [t(ctx.lang, 'cases:cli.valid'), `${t(ctx.lang, 'cases:cli.birthDate')}: ${r.birthDate}`, `${t(ctx.lang, 'cases:cli.sex')}: ${t(ctx.lang, `rules:sex.${r.sex}`)}`].join('\n')
        : `${t(ctx.lang, 'cases:cli.invalid')}: ${t(ctx.lang, `rules:iinReason.${r.reason}`)}`;
      return { json, human };
    },
  },
  {
    name: 'deadline',
    usage: 'htmp deadline --from ISO_DATETIME --working-days N [--json]',
    summary: 'cases:cli.commands.deadline',
    options: { from: { type: 'string' }, 'working-days': { type: 'string' } },
    maxArgs: 0,
    async run(ctx) {
      const from = typeof ctx.options.from === 'string' ? ctx.options.from : '';
      const nText = typeof ctx.options['working-days'] === 'string' ? ctx.options['working-days'] : '';
      if (!/^[0-9]{1,3}$/.test(nText) || Number(nText) > 366) throw new AppFailure('cases.bad_working_days', { value: nText });
      const d = await ctx.core().call('calendar.deadline', { from, workingDays: Number(nText) });
      const json = { due: d.due, workingDays: d.workingDays, calendarConfirmed: d.calendarConfirmed };
      const lines = [t(ctx.lang, 'cases:cli.due', { due: d.due }), `${t(ctx.lang, 'cases:cli.workingDays')}: ${d.workingDays.join(', ')}`];
      if (!d.calendarConfirmed) lines.push(`${t(ctx.lang, 'cases:cli.unconfirmed')} (${d.unconfirmedYears.join(', ')})`);
      return { json, human: lines.join('\n') };
    },
  },
  {
    name: 'packet validate',
    usage: 'htmp packet validate FILE.json [--json]',
    summary: 'cases:cli.commands.packetValidate',
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const file = path.resolve(ctx.args[0] ?? '');
      const input = await readCaseFile(file);
      const present = resolveCaseFiles(file, input);
      const d = await ctx.core().call('cases.checkFile', { case: input, presentFiles: [...present.keys()] });
      const funding = d.funding ?? NO_FUNDING;
      const json = { complete: d.complete, findings: d.findings, due: d.due?.due ?? null, funding };
      const lines = [t(ctx.lang, d.complete ? 'cases:cli.complete' : 'cases:cli.incomplete'), ...findingLines(ctx.lang, d.findings)];
      if (d.due) lines.push(t(ctx.lang, 'cases:cli.due', { due: d.due.due }) + (d.due.calendarConfirmed ? '' : ` — ${t(ctx.lang, 'cases:cli.unconfirmed')}`));
      lines.push(fundingLine(ctx.lang, funding));
      return { json, human: lines.join('\n') };
    },
  },
  {
    name: 'case import',
    usage: 'htmp case import FILE [--json]',
    summary: 'cases:cli.commands.caseImport',
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const file = path.resolve(ctx.args[0] ?? '');
      const kind = inputKind(file);
      if (kind === 'one') {
        const input = await readCaseFile(file);
        const present = resolveCaseFiles(file, input);
        const { MAX_FILE_BYTES } = await contract();
        const files = [...present].map(([ref, real]) => ({ ref, contentBase64: readFileCapped(real, MAX_FILE_BYTES).toString('base64') }));
        const { id } = await ctx.core().call('cases.import', { case: input, files });
        return { json: { id }, human: t(ctx.lang, 'cases:cli.imported', { id }) };
      }
      return importMany(ctx, file, kind);
    },
  },
  {
    name: 'case list',
    usage: 'htmp case list [--status draft|registered|approved|refused] [--json]',
    summary: 'cases:cli.commands.caseList',
    options: { status: { type: 'string' } },
    maxArgs: 0,
    async run(ctx) {
      const status = ctx.options.status;
      const { CASE_STATUSES, MAX_PAGE } = await contract();
      if (status !== undefined && !(CASE_STATUSES as readonly unknown[]).includes(status)) throw new AppFailure('cases.bad_status', { status: String(status) });
      const core = ctx.core();
      const row = (x: CaseListItem) => ({
        id: x.id,
        patient: x.patient,
        htmpCode: x.htmpCode,
        status: x.status,
        due: x.due,
        receivedAt: x.receivedAt,
        complete: x.complete,
        overdue: x.overdue,
        outcome: x.outcome,
        protocolNumber: x.protocol?.label ?? null,
      });
      const line = (x: CaseListItem) =>
        `${x.due ?? '----------'}  ${t(ctx.lang, `cases:cli.status.${x.status}`).padEnd(16)} ${x.htmpCode.padEnd(12)} ${x.patient.iin}  ${x.patient.lastName} ${x.patient.firstName}  ${x.id}`;
      // The first page is read before anything is written, so a refusal is still one document.
      const args = { ...(status ? { status: status as CaseStatus } : {}), limit: MAX_PAGE, withTotal: false };
      const first = await core.call('cases.list', args);
      return {
        // Page after page by key (each page costs the same, however deep), written as it comes.
        async stream(write, flushed) {
          let page = first;
          let n = 0;
          if (ctx.json) write('{"cases":[');
          for (;;) {
            for (const x of page.items) {
              write(ctx.json ? `${n > 0 ? ',' : ''}${JSON.stringify(row(x))}` : `${line(x)}\n`);
              n++;
            }
            await flushed();
            if (page.next === null) break;
            page = await core.call('cases.list', { ...args, after: page.next });
          }
          if (ctx.json) write(']}\n');
          else if (n === 0) write(`${t(ctx.lang, 'cases:cli.noCases')}\n`);
        },
      };
    },
  },
  {
    name: 'case journal',
    usage: 'htmp case journal [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]',
    summary: 'cases:cli.commands.caseJournal',
    options: { from: { type: 'string' }, to: { type: 'string' } },
    maxArgs: 0,
    async run(ctx) {
      const from = ctx.options.from as string | undefined;
      const to = ctx.options.to as string | undefined;
      for (const d of [from, to]) if (d !== undefined && !isIsoDate(d)) throw new AppFailure('cases.bad_date', { value: d });
      const { MAX_PAGE } = await contract();
      const core = ctx.core();
      const args = { ...(from ? { from } : {}), ...(to ? { to } : {}), limit: MAX_PAGE, withTotal: false };
      // The first page is read before anything is written, so a refusal is still one document.
      const first = await core.call('cases.refusalJournal', args);
      return {
        // Page after page by key, written as it comes: a year of refusals never sits in memory.
        async stream(write, flushed) {
          let page = first;
          let n = 0;
          if (ctx.json) write(`{"from":${JSON.stringify(first.from)},"to":${JSON.stringify(first.to)},"items":[`);
          for (;;) {
            for (const x of page.items) {
              n++;
              write(
                ctx.json
                  ? `${n > 1 ? ',' : ''}${JSON.stringify(x)}`
                  : `${String(n).padStart(5)}  ${x.protocol.label.padEnd(10)} ${x.date}  ${x.patient.iin}  ${x.patient.lastName} ${x.patient.firstName}  ${x.htmpCode.padEnd(12)} ${tr(ctx.lang, `rules:refusalReason.${x.reason}`)}\n`,
              );
            }
            await flushed();
            if (page.next === null) break;
            page = await core.call('cases.refusalJournal', { ...args, after: page.next });
          }
          if (ctx.json) write(`],"total":${n}}\n`);
          else if (n === 0) write(`${t(ctx.lang, 'cases:cli.noRefusals')}\n`);
        },
      };
    },
  },
  {
    name: 'case show',
    usage: 'htmp case show ID [--json]',
    summary: 'cases:cli.commands.caseShow',
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const id = ctx.args[0] ?? '';
      if (!UUID.test(id)) throw new AppFailure('cases.not_found', { id });
      const d = await ctx.core().call('cases.get', { id });
      const decision = d.currentDecision;
      const json = { ...d, decision, protocolNumber: decision?.protocol?.label ?? null };
      const lines = [
        `${t(ctx.lang, 'cases:cli.patient')}: ${d.patient.lastName} ${d.patient.firstName} ${d.patient.middleName ?? ''} (${d.patient.iin})`.replace(/\s+\(/, ' ('),
        `${t(ctx.lang, 'cases:cli.code')}: ${d.htmpCode} — ${t(ctx.lang, `cases:cli.status.${d.status}`)}`,
        t(ctx.lang, d.complete ? 'cases:cli.complete' : 'cases:cli.incomplete'),
        ...findingLines(ctx.lang, d.findings),
      ];
      if (d.due) lines.push(t(ctx.lang, 'cases:cli.due', { due: d.due.due }));
      if (d.funding) lines.push(fundingLine(ctx.lang, d.funding));
      if (!decision) lines.push(t(ctx.lang, 'cases:cli.noDecision'));
      else {
        const what = t(ctx.lang, `rules:decisionOutcome.${decision.outcome}`) + (decision.reason ? `: ${t(ctx.lang, `rules:refusalReason.${decision.reason}`)}` : '');
        const proto = decision.protocol ? t(ctx.lang, 'cases:cli.protocol', { label: decision.protocol.label }) : t(ctx.lang, 'cases:cli.draftDecision');
        lines.push(`${t(ctx.lang, 'cases:cli.decision')} (${decision.date}, ${proto}): ${what}`);
      }
      return { json, human: lines.join('\n') };
    },
  },
  {
    name: 'case decide',
    usage:
      'htmp case decide ID (--approve | --refuse no_indications|incomplete_packet|not_authentic) [--members FILE.json] [--date YYYY-MM-DD] [--note TEXT] [--draft] [--correction] [--json]',
    summary: 'cases:cli.commands.caseDecide',
    options: {
      approve: { type: 'boolean' },
      refuse: { type: 'string' },
      members: { type: 'string' },
      date: { type: 'string' },
      note: { type: 'string' },
      draft: { type: 'boolean' },
      correction: { type: 'boolean' },
    },
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const id = ctx.args[0] ?? '';
      const approve = ctx.options.approve === true;
      const refuse = typeof ctx.options.refuse === 'string' ? ctx.options.refuse : undefined;
      if (approve === (refuse !== undefined)) throw new AppFailure('cases.approve_or_refuse');
      const { REFUSAL_REASONS, memberSchema } = await contract();
      const { z } = await import('zod');
      if (refuse !== undefined && !(REFUSAL_REASONS as readonly string[]).includes(refuse)) throw new AppFailure('cases.bad_reason', { reason: refuse });
      // Without --members the standing members of the commission (Settings) sit.
      let members: ArgsOf<'cases.decide'>['members'];
      if (typeof ctx.options.members === 'string') {
        const membersFile = path.resolve(ctx.options.members);
        const parsed = z.array(memberSchema).max(50).safeParse(readJson(membersFile));
        if (!parsed.success) throw new AppFailure('cases.bad_members_file', { file: membersFile });
        members = parsed.data;
      }
      const date = typeof ctx.options.date === 'string' ? ctx.options.date : kzToday();
      if (!isIsoDate(date)) throw new AppFailure('cases.bad_date', { value: date });
      if (!UUID.test(id)) throw new AppFailure('cases.not_found', { id });
      const core = ctx.core();
      const args = {
        caseId: id,
        outcome: approve ? ('approved' as const) : ('refused' as const),
        reason: (refuse ?? null) as (typeof REFUSAL_REASONS)[number] | null,
        ...(members ? { members } : {}),
        date,
        ...(typeof ctx.options.note === 'string' ? { note: ctx.options.note } : {}),
        ...(ctx.options.correction === true ? { correction: true } : {}),
      };
      const issue = ctx.options.draft !== true;
      if (issue) {
        // Everything the protocol needs, named in words before anything is stored.
        const check = await core.call('cases.issueCheck', args);
        if (!check.ready) {
          const first = check.gaps[0]!;
          throw new AppFailure('cases.not_ready', { count: check.gaps.length, gap: first.code, context: 'list', gaps: check.gaps.map((g) => gapText(ctx.lang, g)).join('; ') });
        }
      }
      // Deciding and issuing are one call (one transaction in the core): a refusal at issue leaves
      // no draft decision behind a command that exited 2.
      const { decision, detail } = await core.call('cases.decide', { ...args, issue });
      const status = detail.status;
      const json = { id, status, decision, protocolNumber: decision.protocol?.label ?? null };
      const what = t(ctx.lang, `rules:decisionOutcome.${decision.outcome}`) + (decision.reason ? `: ${t(ctx.lang, `rules:refusalReason.${decision.reason}`)}` : '');
      const proto = decision.protocol ? t(ctx.lang, 'cases:cli.protocol', { label: decision.protocol.label }) : t(ctx.lang, 'cases:cli.draftDecision');
      return { json, human: `${proto}: ${what}` };
    },
  },
];

/** A gap of the issue check in words: the finding's message when it comes from the packet check, else its label. */
function gapText(lang: Lang, g: IssueGap): string {
  if (g.finding) return tr(lang, `rules:findings.${g.finding.code}`, g.finding.params);
  return t(lang, `cases:issueGap.${g.code}`, g.params ?? {});
}
