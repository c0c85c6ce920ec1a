/**
 * Validation of the documents of documents.ts: the first invalid field of a document, as a dotted
 * path, before it is stored, hashed or printed (a hostile or damaged statement is refused, never
 * printed). Pure TypeScript: no Node, DOM or Electron imports.
 */
import { CHECKLIST_KINDS, PROTOCOL_NUMBER_RE, REFUSAL_REASONS, SCORING_CRITERIA, SCORING_INCLUSION_THRESHOLD, type IsoDate, type IsoDateTime } from './documents';
import { findInvalidConformityField } from './documents-conformity';

/** The first invalid field of a document, as a dotted path (`members`, `rows[3].date`), or null. */
export function findInvalidField(doc: unknown): string | null {
  if (!isRecord(doc)) return 'document';
  switch (doc['kind']) {
    case 'protocol':
      return checkProtocol(doc);
    case 'refusal_journal':
      return checkRefusalJournal(doc);
    case 'scoring_sheet':
      return checkScoringSheet(doc);
    case 'protocol_register':
      return checkRegister(doc);
    case 'conformity_application':
    case 'conformity_conclusion':
      return isIsoDateTime(doc['generatedAt']) ? findInvalidConformityField(doc) : 'generatedAt';
    case 'annual_report':
      return checkAnnualReport(doc);
    default:
      return 'kind';
  }
}

type Rec = Record<string, unknown>;
type Check = (v: unknown) => boolean;

function isRecord(v: unknown): v is Rec {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
const str: Check = (v) => typeof v === 'string' && v.trim() !== '';
const optStr: Check = (v) => v === undefined || typeof v === 'string';
const bool: Check = (v) => typeof v === 'boolean';
const int: Check = (v) => typeof v === 'number' && Number.isSafeInteger(v);
const oneOf =
  (values: readonly unknown[]): Check =>
  (v) =>
    values.includes(v);
const localized: Check = (v) => str(v) || (isRecord(v) && str(v['kk']) && str(v['ru']));
const optLocalized: Check = (v) => v === undefined || localized(v);
const namePair: Check = (v) => v === undefined || (isRecord(v) && (v['kk'] === null || str(v['kk'])) && (v['ru'] === null || str(v['ru'])));
const optBool: Check = (v) => v === undefined || typeof v === 'boolean';
const iin: Check = (v) => typeof v === 'string' && /^[0-9]{12}$/.test(v);
// A code of the HTMP list or ICD-10 is kept as a string, never a number ("35.21" != "35.210").
const code: Check = (v) => typeof v === 'string' && /^[0-9A-Za-z][0-9A-Za-z.\-]{0,19}$/.test(v);

/** True for a real calendar date `YYYY-MM-DD` (rejects 2026-02-30). */
export function isIsoDate(v: unknown): v is IsoDate {
  if (typeof v !== 'string') return false;
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(v);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1900 || mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1] ?? 0;
  return d <= days;
}

const ISO_DATETIME_RE = /^([0-9]{4}-[0-9]{2}-[0-9]{2})T([01][0-9]|2[0-3]):([0-5][0-9])(:[0-5][0-9](\.[0-9]{1,3})?)?(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])$/;
/** True for `YYYY-MM-DDTHH:mm[:ss[.sss]](Z|±HH:MM)` with a real date. */
export function isIsoDateTime(v: unknown): v is IsoDateTime {
  if (typeof v !== 'string') return false;
  const m = ISO_DATETIME_RE.exec(v);
  return m !== null && isIsoDate(m[1]);
}

function fields(obj: Rec, prefix: string, spec: Record<string, Check>): string | null {
  for (const [key, check] of Object.entries(spec)) {
    if (!check(obj[key])) return prefix + key;
  }
  return null;
}

function checkCommission(v: unknown, field: string): string | null {
  if (!isRecord(v)) return field;
  return fields(v, `${field}.`, { name: localized, authority: localized });
}

function checkPeriod(v: unknown): string | null {
  if (!isRecord(v)) return 'period';
  const bad = fields(v, 'period.', { from: isIsoDate, to: isIsoDate });
  if (bad) return bad;
  return (v['from'] as string) > (v['to'] as string) ? 'period.to' : null;
}

function checkRows(rows: unknown, check: (row: Rec, prefix: string) => string | null): string | null {
  if (!Array.isArray(rows)) return 'rows';
  for (let i = 0; i < rows.length; i++) {
    const row: unknown = rows[i];
    if (!isRecord(row)) return `rows[${i}]`;
    const bad = check(row, `rows[${i}].`);
    if (bad) return bad;
  }
  return null;
}

function checkSourcedName(v: unknown): boolean {
  return v === null || (isRecord(v) && str(v['text']) && str(v['source']));
}

function checkProtocol(doc: Rec): string | null {
  const top = fields(doc, '', {
    number: (v) => typeof v === 'string' && PROTOCOL_NUMBER_RE.test(v),
    date: isIsoDate,
    generatedAt: isIsoDateTime,
  });
  if (top) return top;
  const commission = checkCommission(doc['commission'], 'commission');
  if (commission) return commission;

  const members = doc['members'];
  if (!Array.isArray(members) || members.length === 0) return 'members';
  for (let i = 0; i < members.length; i++) {
    const m: unknown = members[i];
    if (!isRecord(m)) return `members[${i}]`;
    const bad = fields(m, `members[${i}].`, { name: localized, role: oneOf(['chair', 'member', 'secretary']), position: optLocalized });
    if (bad) return bad;
  }
  if (!members.some((m) => isRecord(m) && m['role'] === 'chair')) return 'members';

  const patient = doc['patient'];
  if (!isRecord(patient)) return 'patient';
  const badPatient = fields(patient, 'patient.', { lastName: str, firstName: str, middleName: optStr, iin, birthDate: isIsoDate });
  if (badPatient) return badPatient;

  const diagnosis = doc['diagnosis'];
  if (!isRecord(diagnosis)) return 'diagnosis';
  const badDiagnosis = fields(diagnosis, 'diagnosis.', { icd10: code, text: str });
  if (badDiagnosis) return badDiagnosis;

  const htmp = doc['htmp'];
  if (!isRecord(htmp)) return 'htmp';
  if (!code(htmp['code'])) return 'htmp.code';
  if (htmp['section'] !== undefined && !oneOf([1, 2, 3])(htmp['section'])) return 'htmp.section';
  const name = htmp['name'];
  if (!isRecord(name)) return 'htmp.name';
  if (!checkSourcedName(name['kk'])) return 'htmp.name.kk';
  if (!checkSourcedName(name['ru'])) return 'htmp.name.ru';

  const provider = doc['provider'];
  if (provider !== null && !(isRecord(provider) && localized(provider['name']))) return 'provider';
  if (!optBool(doc['inpatient'])) return 'inpatient';
  const correction = doc['correction'];
  if (correction !== undefined) {
    if (!isRecord(correction)) return 'correction';
    const bad = fields(correction, 'correction.', { replaces: (v) => typeof v === 'string' && PROTOCOL_NUMBER_RE.test(v), reason: str });
    if (bad) return bad;
  }

  const checklist = doc['checklist'];
  if (!Array.isArray(checklist)) return 'checklist';
  for (let i = 0; i < checklist.length; i++) {
    const c: unknown = checklist[i];
    if (!isRecord(c)) return `checklist[${i}]`;
    const bad = fields(c, `checklist[${i}].`, { kind: oneOf(CHECKLIST_KINDS), received: bool, note: optStr });
    if (bad) return bad;
  }

  const decision = doc['decision'];
  if (!isRecord(decision)) return 'decision';
  const outcome = decision['outcome'];
  if (outcome === 'approved') {
    if (decision['reason'] !== null) return 'decision.reason';
  } else if (outcome === 'refused') {
    if (!oneOf(REFUSAL_REASONS)(decision['reason'])) return 'decision.reason';
  } else {
    return 'decision.outcome';
  }
  // A document never invents a name. An approval needs at least one official name; a refusal may
  // concern a code the list does not carry, and then prints that it has no official name.
  if (outcome === 'approved' && name['kk'] === null && name['ru'] === null) return 'htmp.name';
  return null;
}

/** The head of a list document (journal, register): period, commission, secretary, generation time. */
function checkListHead(doc: Rec): string | null {
  return (
    checkPeriod(doc['period']) ??
    checkCommission(doc['commission'], 'commission') ??
    (optLocalized(doc['secretary']) ? null : 'secretary') ??
    (isIsoDateTime(doc['generatedAt']) ? null : 'generatedAt')
  );
}

function checkRefusalJournal(doc: Rec): string | null {
  return (
    checkListHead(doc) ??
    checkRows(doc['rows'], (row, p) =>
      fields(row, p, { number: str, date: isIsoDate, patientName: str, iin, code, name: namePair, reason: oneOf(REFUSAL_REASONS), inpatient: optBool }),
    )
  );
}

function checkRegister(doc: Rec): string | null {
  return (
    checkListHead(doc) ??
    checkRows(doc['rows'], (row, p) =>
      fields(row, p, {
        number: str,
        date: isIsoDate,
        patientName: str,
        code,
        name: namePair,
        outcome: oneOf(['approved', 'refused']),
        replaces: (v) => v === undefined || (typeof v === 'string' && PROTOCOL_NUMBER_RE.test(v)),
        note: (v) => v === undefined || str(v),
      }),
    )
  );
}

function checkScoringSheet(doc: Rec): string | null {
  const top = fields(doc, '', { evaluator: str, date: isIsoDate, total: int, included: bool, generatedAt: isIsoDateTime });
  if (top) return top;
  const tech = doc['technology'];
  if (!isRecord(tech)) return 'technology';
  if (tech['code'] !== undefined && !code(tech['code'])) return 'technology.code';
  if (!localized(tech['name'])) return 'technology.name';
  if (tech['names'] !== undefined) {
    const names = tech['names'];
    if (!isRecord(names) || !checkSourcedName(names['kk']) || !checkSourcedName(names['ru']) || (names['kk'] === null && names['ru'] === null)) return 'technology.names';
  }
  if (doc['commission'] !== undefined) {
    const bad = checkCommission(doc['commission'], 'commission');
    if (bad) return bad;
  }
  const criteria = doc['criteria'];
  if (!Array.isArray(criteria) || criteria.length === 0) return 'criteria';
  const level = oneOf([1, 2, 3, 4]);
  for (let i = 0; i < criteria.length; i++) {
    const c: unknown = criteria[i];
    if (!isRecord(c)) return `criteria[${i}]`;
    const bad = fields(c, `criteria[${i}].`, {
      id: oneOf(SCORING_CRITERIA),
      level,
      value: int,
      weight: int,
      points: int,
      band: (v) => v === undefined || oneOf(['under_5', 'from_5_to_10', 'over_10_to_15', 'over_15'])(v),
      rationale: (v) => typeof v === 'string',
    });
    if (bad) return bad;
    // A sheet that is signed must add up: points = value x weight (all in hundredths).
    if ((c['value'] as number) * (c['weight'] as number) !== (c['points'] as number) * 100) return `criteria[${i}].points`;
  }
  const sum = criteria.reduce((acc: number, c: Rec) => acc + (c['points'] as number), 0);
  if (sum !== doc['total']) return 'total';
  if ((doc['total'] as number) >= SCORING_INCLUSION_THRESHOLD !== doc['included']) return 'included';
  const sensitivity = doc['sensitivity'];
  if (sensitivity !== undefined) {
    if (!Array.isArray(sensitivity)) return 'sensitivity';
    for (let i = 0; i < sensitivity.length; i++) {
      const s: unknown = sensitivity[i];
      if (!isRecord(s)) return `sensitivity[${i}]`;
      const bad = fields(s, `sensitivity[${i}].`, { id: oneOf(SCORING_CRITERIA), level, total: int, included: bool });
      if (bad) return bad;
    }
  }
  return null;
}

const MEASURE_KEYS = ['referrals', 'approvals', 'refusalsTotal', 'operations', 'complications', 'disability', 'followUpDue', 'aliveOneYear', 'deaths'] as const;
const count: Check = (v) => int(v) && (v as number) >= 0;

function checkMeasures(m: Rec, prefix: string): string | null {
  const bad = fields(m, prefix, Object.fromEntries(MEASURE_KEYS.map((k) => [k, count])));
  if (bad) return bad;
  const r = m['refusals'];
  if (!isRecord(r)) return `${prefix}refusals`;
  const badR = fields(r, `${prefix}refusals.`, Object.fromEntries(REFUSAL_REASONS.map((k) => [k, count])));
  if (badR) return badR;
  if (REFUSAL_REASONS.reduce((a, k) => a + (r[k] as number), 0) !== m['refusalsTotal']) return `${prefix}refusalsTotal`;
  return null;
}

function checkAnnualReport(doc: Rec): string | null {
  const top = fields(doc, '', { year: (v) => int(v) && (v as number) >= 2000 && (v as number) <= 2100, dueBy: isIsoDate, generatedAt: isIsoDateTime });
  if (top) return top;
  const commission = checkCommission(doc['commission'], 'commission');
  if (commission) return commission;
  const section = oneOf([1, 2, 3, null]);
  const rowsBad = checkRows(doc['rows'], (row, p) => fields(row, p, { code: (v) => typeof v === 'string' && v.length <= 40, section, provider: (v) => (typeof v === 'string' && v.length <= 500) || (localized(v) && typeof v !== 'string') }) ?? checkMeasures(row, p));
  if (rowsBad) return rowsBad;
  const bySection = doc['bySection'];
  if (!Array.isArray(bySection)) return 'bySection';
  for (let i = 0; i < bySection.length; i++) {
    const s: unknown = bySection[i];
    if (!isRecord(s) || !section(s['section'])) return `bySection[${i}]`;
    const bad = checkMeasures(s, `bySection[${i}].`);
    if (bad) return bad;
  }
  const totals = doc['totals'];
  if (!isRecord(totals)) return 'totals';
  const badTotals = checkMeasures(totals, 'totals.');
  if (badTotals) return badTotals;
  // A report that is signed must add up: the totals are the sum of the rows.
  for (const k of MEASURE_KEYS) {
    if ((doc['rows'] as Rec[]).reduce((a, r) => a + (r[k] as number), 0) !== totals[k]) return `totals.${k}`;
    if (bySection.reduce((a: number, r: Rec) => a + (r[k] as number), 0) !== totals[k]) return `bySection`;
  }
  return null;
}
