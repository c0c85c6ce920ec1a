import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Lang } from '../../../shared/contract';
import { CASE_STATUSES, MAX_FILE_BYTES, MAX_PAGE, REFUSAL_REASONS, caseFileSchema, memberSchema, type CaseFile, type CaseListItem, type CaseStatus, type IssueGap } from '../../../shared/contract/cases';
import { isIsoDate } from '../../../shared/domain/calendar';
import type { FundingResult } from '../../../shared/domain/funding';
import { checkIin } from '../../../shared/domain/iin';
import type { Finding } from '../../../shared/domain/packet';
import { kzToday } from '../../../shared/domain/kz-time';
import { AppFailure } from '../../../shared/result';
import { t } from '../../core/i18n';
import { readFileCapped, readJsonFile as readJson, type Command } from '../command';

/** `t` that also resolves the `$t(key)` references the rules texts use (looked up in `rules`). */
function tr(lang: Lang, key: string, params: Record<string, unknown> = {}): string {
  return t(lang, key, params).replace(/\$t\(([^)]+)\)/g, (_m, k: string) => t(lang, `rules:${k}`));
}


function readCaseFile(file: string): CaseFile {
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
      const input = readCaseFile(file);
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
    usage: 'htmp case import FILE.json [--json]',
    summary: 'cases:cli.commands.caseImport',
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      const file = path.resolve(ctx.args[0] ?? '');
      const input = readCaseFile(file);
      const present = resolveCaseFiles(file, input);
      const files = [...present].map(([ref, real]) => ({ ref, contentBase64: readFileCapped(real, MAX_FILE_BYTES).toString('base64') }));
      const { id } = await ctx.core().call('cases.import', { case: input, files });
      return { json: { id }, human: t(ctx.lang, 'cases:cli.imported', { id }) };
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
      if (status !== undefined && !(CASE_STATUSES as readonly unknown[]).includes(status)) throw new AppFailure('cases.bad_status', { status: String(status) });
      const core = ctx.core();
      const cases: CaseListItem[] = [];
      for (let offset = 0; ; ) {
        const page = await core.call('cases.list', { ...(status ? { status: status as CaseStatus } : {}), offset, limit: MAX_PAGE });
        cases.push(...page.items);
        offset += page.items.length;
        if (page.items.length === 0 || offset >= page.total) break;
      }
      const json = {
        cases: cases.map((x) => ({
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
        })),
      };
      const human =
        cases.length === 0
          ? t(ctx.lang, 'cases:cli.noCases')
          : cases
              .map((x) => `${x.due ?? '----------'}  ${t(ctx.lang, `cases:cli.status.${x.status}`).padEnd(16)} ${x.htmpCode.padEnd(12)} ${x.patient.iin}  ${x.patient.lastName} ${x.patient.firstName}  ${x.id}`)
              .join('\n');
      return { json, human };
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
      if (!z.string().uuid().safeParse(id).success) throw new AppFailure('cases.not_found', { id });
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
      if (refuse !== undefined && !(REFUSAL_REASONS as readonly string[]).includes(refuse)) throw new AppFailure('cases.bad_reason', { reason: refuse });
      // Without --members the standing members of the commission (Settings) sit.
      let members: z.infer<typeof memberSchema>[] | undefined;
      if (typeof ctx.options.members === 'string') {
        const membersFile = path.resolve(ctx.options.members);
        const parsed = z.array(memberSchema).max(50).safeParse(readJson(membersFile));
        if (!parsed.success) throw new AppFailure('cases.bad_members_file', { file: membersFile });
        members = parsed.data;
      }
      const date = typeof ctx.options.date === 'string' ? ctx.options.date : kzToday();
      if (!isIsoDate(date)) throw new AppFailure('cases.bad_date', { value: date });
      if (!z.string().uuid().safeParse(id).success) throw new AppFailure('cases.not_found', { id });
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
