/** A complete scoring sheet of technology 35.21 (issue 5), as the tests that print one save it. */
export const SAMPLE_SHEET = {
  technology: { code: '35.21' },
  scores: { innovation: { years: 12 }, resource: 1, uniqueness: 1, complexity: 3 },
  rationale: { innovation: '', resource: '', uniqueness: '', complexity: '' },
  evaluator: 'Сейтқали Ә. Н.',
  date: '2026-02-20',
} as const;
