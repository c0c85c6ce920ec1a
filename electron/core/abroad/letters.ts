import type { AbroadLetterKind } from '../../../shared/contract/abroad';
import { formatRequestNumber, type AbroadText } from '../../../shared/domain/abroad';
import { letterNumber, type AbroadLetterDoc } from '../../../shared/domain/abroad-documents';
import { kzNow } from '../../../shared/domain/kz-time';
import { canonicalJson } from '../../../shared/canonical-json';
import { AppFailure } from '../../../shared/result';
import type { CoreContext } from '../context';
import { t } from '../i18n';
import { readSettings } from '../services/app';
import { abroadStatementHash } from './pdf';
import { eligibilityOf, loadRequest, personName, scheduleOf, storedLetter, type LetterRow, type Loaded } from './requests';

// Treatment abroad: the petition and cover letters, built from the request and its route and
// stored (statement and hash) when first printed.

export const both = (key: string, params: Record<string, unknown> = {}): AbroadText => ({ kk: t('kk', `abroad:${key}`, params), ru: t('ru', `abroad:${key}`, params) });

/** The health authority's and the commission's names in Kazakh and Russian (null unless both are set). */
export function namesOf(ctx: CoreContext): { authority: AbroadText | null; commission: AbroadText | null } {
  const s = readSettings(ctx);
  const pair = (kk: string, ru: string): AbroadText | null => (kk.trim() !== '' && ru.trim() !== '' ? { kk: kk.trim(), ru: ru.trim() } : null);
  return { authority: pair(s.authorityNameKk, s.authorityNameRu), commission: pair(s.commissionNameKk, s.commissionNameRu) };
}

export function buildLetter(ctx: CoreContext, l: Loaded, kind: AbroadLetterKind, stepN: number, today: string): AbroadLetterDoc {
  const s = scheduleOf(ctx, l, today);
  const step = s.steps[stepN - 1]!;
  const def = l.route.steps[stepN - 1]!;
  const e = eligibilityOf(l);
  if (!e.complete) throw new AppFailure('abroad.confirmations_pending', { pending: e.pending.join(', ') });
  let sender = l.route.actors[def.actor]!;
  let commission: AbroadText | null = null;
  if (def.actor === 'health_authority') {
    // The letterhead in each language from Settings (both names needed, like a protocol's).
    const { authority, commission: c } = namesOf(ctx);
    if (authority === null) throw new AppFailure('abroad.authority_missing');
    sender = authority;
    commission = c;
  }
  const files = ctx.db.prepare('SELECT document, count(*) AS n FROM abroad_files WHERE request_id = ? AND step = ? GROUP BY document').all(l.r.id, stepN) as { document: string; n: number }[];
  const number = formatRequestNumber(l.r.seq, l.r.year);
  return {
    kind: kind === 'petition' ? 'abroad_petition' : 'abroad_cover_letter',
    number: letterNumber(number, stepN),
    date: today < step.start ? step.start : today,
    sender,
    commission,
    recipient: def.recipient ? l.route.actors[def.recipient]! : both('pdf.common.noRecipient'),
    request: { number, startedOn: l.r.started_on, routeTitle: l.route.title, routeVersion: l.route.version, totalWorkingDays: l.route.totalWorkingDays, routeDue: s.routeDue },
    patient: { name: personName(l.r), iin: l.r.iin, birthDate: l.r.birth_date },
    diseaseGroup: both(`groups.${l.r.disease_group}.quote`),
    category: both(`categories.${l.r.category}.quote`),
    confirmations: e.required.map((c) => both(`confirmations.${c}.label`)),
    transplant: l.r.disease_group === 'transplantation' && l.r.transplant_kind ? both(`transplantKinds.${l.r.transplant_kind}`) : null,
    instructionRef: l.r.category === 'service_injury' ? l.r.instruction_ref : null,
    diagnosis: [l.r.diagnosis_icd10, l.r.diagnosis_text].filter((x) => x.trim()).join(' ') || null,
    step: { n: stepN, action: def.action, workingDays: def.workingDays, start: step.start, due: step.due, holder: l.route.actors[def.actor]! },
    enclosures: def.documents.filter((d) => !(kind === 'petition' && d === 'petition')).map((d) => ({ name: l.route.documents[d]!, files: files.find((f) => f.document === d)?.n ?? 0 })),
    source: both('source'),
    generatedAt: kzNow(),
  };
}

/** The letter as stored when first printed (issued now when it never was). */
export function issueLetter(ctx: CoreContext, id: string, kind: AbroadLetterKind, stepArg: number | undefined, today: string): { doc: AbroadLetterDoc; row: LetterRow; created: boolean } {
  const l = loadRequest(ctx, id);
  const stepN = stepArg ?? (kind === 'petition' ? l.route.steps.find((s) => s.letter === 'petition')?.n : undefined);
  const def = stepN === undefined ? undefined : l.route.steps[stepN - 1];
  if (!def || def.letter !== kind) throw new AppFailure('abroad.no_letter', { kind, step: stepN ?? 0 });
  const stepNo = def.n;
  const stored = storedLetter(ctx, id, kind, stepNo);
  if (stored) {
    const statement = JSON.parse(stored.statement) as Omit<AbroadLetterDoc, 'generatedAt'>;
    const doc = { ...statement, generatedAt: kzNow() } as AbroadLetterDoc;
    if (abroadStatementHash(doc) !== stored.sha256) throw new AppFailure('abroad.statement_corrupt', { number: stored.number });
    return { doc, row: stored, created: false };
  }
  const s = scheduleOf(ctx, l, today);
  if (s.currentStep !== null && stepNo > s.currentStep) throw new AppFailure('abroad.step_not_reached', { step: stepNo, current: s.currentStep });
  const doc = buildLetter(ctx, l, kind, stepNo, today);
  const { generatedAt: _g, ...statement } = doc;
  const sha256 = abroadStatementHash(doc);
  const row = ctx.store.insert('abroad_letters', { request_id: id, kind, step: stepNo, number: doc.number, statement: canonicalJson(statement), sha256, issued_at: new Date().toISOString() }) as unknown as LetterRow;
  return { doc, row, created: true };
}

