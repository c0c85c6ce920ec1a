import type {
  ProtocolDoc,
  ProtocolRegisterDoc,
  RefusalJournalDoc,
  ScoringSheetDoc,
} from '../../../../shared/documents';

// Names and texts are chosen so that every Kazakh-specific letter (Ә Ғ Қ Ң Ө Ұ Ү Һ І, both cases)
// appears in the data as well as in the labels: a font without them would show in pdftotext.
export const commission = {
  name: {
    kk: 'Қарағанды облысының жоғары технологиялық медициналық көмек жөніндегі комиссиясы',
    ru: 'Комиссия по высокотехнологичной медицинской помощи Карагандинской области',
  },
  authority: {
    kk: 'Қарағанды облысының денсаулық сақтау басқармасы',
    ru: 'Управление здравоохранения Карагандинской области',
  },
};

export function protocol(overrides: Partial<ProtocolDoc> = {}): ProtocolDoc {
  return {
    kind: 'protocol',
    number: '12/2026',
    date: '2026-03-14',
    commission,
    members: [
      {
        name: 'Сейітқали Әлия Нұрланқызы',
        role: 'chair',
        position: { kk: 'Денсаулық сақтау басқармасы басшысының орынбасары', ru: 'Заместитель руководителя управления здравоохранения' },
      },
      { name: 'Шаһмарданов Ғалым Өтегенұлы', role: 'member' },
      { name: 'Иванова Мария Петровна', role: 'member' },
      { name: 'Үмбетова Іңкәр Һадиқызы', role: 'secretary' },
    ],
    patient: { lastName: 'Жұмабекова', firstName: 'Әйгерім', middleName: 'Серікқызы', iin: '900215450123', birthDate: '1990-02-15' },
    diagnosis: { icd10: 'I25.1', text: 'Атеросклеротическая болезнь сердца, стенокардия напряжения ФК III' },
    htmp: {
      code: '36.10',
      section: 3,
      name: {
        kk: { text: 'Жүректің тәж артерияларын айналма шунттау', source: '№ 90 бұйрық, 01.11.2024' },
        ru: { text: 'Аортокоронарное шунтирование', source: 'приказ № 103 от 01.10.2025' },
      },
    },
    provider: { name: { kk: '«Ұлттық ғылыми кардиохирургия орталығы» АҚ', ru: 'АО «Национальный научный кардиохирургический центр»' } },
    checklist: [
      { kind: 'identity_document', received: true },
      { kind: 'hospitalization_referral', received: true },
      { kind: 'record_extract', received: true, note: 'мөр бар / печать есть' },
      { kind: 'tests_and_consultations', received: true },
    ],
    decision: { outcome: 'approved', reason: null },
    generatedAt: '2026-03-14T10:22:05+05:00',
    ...overrides,
  };
}

export function refusedProtocol(): ProtocolDoc {
  return protocol({
    number: '13/2026',
    provider: null,
    htmp: { code: '55.69', section: 1, name: { kk: null, ru: { text: 'Трансплантация почки', source: 'приказ № 103 от 01.10.2025' } } },
    inpatient: true,
    checklist: [
      { kind: 'identity_document', received: true },
      { kind: 'hospitalization_referral', received: true },
      { kind: 'record_extract', received: false, note: 'нет подписи заместителя главного врача' },
      { kind: 'tests_and_consultations', received: true },
    ],
    decision: { outcome: 'refused', reason: 'incomplete_packet' },
  });
}

const reasons = ['no_indications', 'incomplete_packet', 'not_authentic'] as const;

export function refusalJournal(rows = 6): RefusalJournalDoc {
  return {
    kind: 'refusal_journal',
    period: { from: '2026-01-01', to: '2026-03-31' },
    commission,
    rows: Array.from({ length: rows }, (_, i) => ({
      number: `${i + 1}/2026`,
      date: `2026-0${1 + (i % 3)}-${String(10 + (i % 18)).padStart(2, '0')}`,
      patientName: i % 2 ? 'Ысқақов Нұрсұлтан Әділұлы' : 'Петрова Анна Сергеевна',
      iin: '850712300456',
      code: i % 2 ? '55.69' : '36.10',
      name: i % 2 ? { kk: null, ru: 'Трансплантация почки' } : { kk: 'Жүректің тәж артерияларын айналма шунттау', ru: 'Аортокоронарное шунтирование' },
      reason: reasons[i % 3] ?? 'no_indications',
      inpatient: i % 3 === 0,
    })),
    generatedAt: '2026-04-01T09:00:00+05:00',
  };
}

export function protocolRegister(rows = 8): ProtocolRegisterDoc {
  return {
    kind: 'protocol_register',
    period: { from: '2026-01-01', to: '2026-12-31' },
    commission,
    rows: Array.from({ length: rows }, (_, i) => ({
      number: `${i + 1}/2026`,
      date: `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
      patientName: i % 2 ? 'Өмірзақова Гүлнұр Қайратқызы' : 'Смирнов Олег Игоревич',
      code: i % 3 ? '36.10' : '54.970.059',
      outcome: i % 4 === 3 ? 'refused' : 'approved',
    })),
    generatedAt: '2027-01-05T16:40:00+05:00',
  };
}

/** A register with technology names and a correction (the protocol it replaces, the note). */
export function protocolRegisterWithNames(): ProtocolRegisterDoc {
  const doc = protocolRegister(3);
  doc.rows[0]!.name = { kk: 'Жүректің тәж артерияларын айналма шунттау', ru: 'Аортокоронарное шунтирование' };
  doc.rows[2] = { ...doc.rows[2]!, name: { kk: null, ru: 'Трансплантация почки' }, replaces: '2/2026', note: 'Показания подтверждены консилиумом' };
  return doc;
}

export function scoringSheet(): ScoringSheetDoc {
  return {
    kind: 'scoring_sheet',
    technology: { code: '36.10', name: { kk: 'Жүректің тәж артерияларын айналма шунттау', ru: 'Аортокоронарное шунтирование' } },
    evaluator: 'Бекмұхамбетов Ерғали Һ.',
    date: '2026-02-20',
    criteria: [
      { id: 'innovation', level: 3, value: 500, weight: 10, points: 50, band: 'over_10_to_15', rationale: 'применяется в мире 12 лет' },
      { id: 'resource', level: 1, value: 1000, weight: 30, points: 300, rationale: 'дорогостоящее оборудование, бригада 6 человек' },
      { id: 'uniqueness', level: 2, value: 750, weight: 10, points: 75, rationale: 'эффективнее аналогов' },
      { id: 'complexity', level: 2, value: 750, weight: 50, points: 375, rationale: 'несколько этапов' },
    ],
    total: 800,
    included: true,
    sensitivity: [
      { id: 'complexity', level: 3, total: 675, included: false },
      { id: 'innovation', level: 4, total: 775, included: true },
    ],
    commission,
    generatedAt: '2026-02-20T12:00:00+05:00',
  };
}
