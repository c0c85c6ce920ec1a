/**
 * Variants the proofreading of issue 11 point 6 retired (one concept, one term), with the reason
 * and its source: the row of /work/shared/terms.md ("#n") and the legal text. Checked in every
 * PDF's text (test/electron/core/pdf-terms.test.ts) and, unless `where` is 'pdf', in every
 * string of locales/<lang>/*.json. docs/proofreading.md records the changes.
 *
 * A verbatim quotation of the law keeps the law's words: the patterns below are written so that
 * the quotations the app prints (point 40's grounds, point 34's documents) do not match them.
 */
export interface ForbiddenTerm {
  lang: 'kk' | 'ru';
  pattern: RegExp;
  why: string;
  /** Sentences the pattern must catch (the test proves each pattern can fail). */
  samples: string[];
  /** 'pdf': only in documents (locales hold templates where the pattern is legitimate). */
  where?: 'pdf' | 'all';
}

export const FORBIDDEN_TERMS: ForbiddenTerm[] = [
  // Kazakh
  {
    lang: 'kk',
    pattern: /(?<!\p{L})ММК(?!\p{L})/u,
    why: '«ММК» is in no Kazakh legal text: «мамандандырылған медициналық көмек» in full (order No. 90 [001] title; terms.md #2, #59)',
    samples: ['ММК-ға ауысады', 'ЖТМК түрлерін ММК қызметтерінің тізбесіне'],
  },
  {
    lang: 'kk',
    pattern: /ауыстыру өлшемшарт|ауысады/iu,
    why: 'a type of HTMP «өтеді» to the list of specialised services: «...көрсетілетін қызметтері тізбесіне өту өлшемшарттары» ([001] title; terms.md #59)',
    samples: ['ЖТМК түрін ауыстыру өлшемшарттары', 'тізбеге ауысады'],
  },
  {
    lang: 'kk',
    pattern: /көрсеткіш\p{L}* жоқ/iu,
    why: 'ground 40(1) in the app\'s words: «көрсетілім» (medical indication, «медициналық көрсетілімдер», ДСМ-238 [002] p.40); «көрсеткіштері» stays only inside the verbatim quotation (terms.md #32)',
    samples: ['ЖТМК көрсеткіштері жоқ (40-т. 1) тт.)'],
  },
  {
    lang: 'kk',
    pattern: /түпнұсқа емес/iu,
    why: 'ground 40(3): «құжаттардың түпнұсқалық еместігі» ([002] p.40 3); terms.md #34)',
    samples: ['3) тармақша — құжаттар түпнұсқа емес'],
  },
  {
    lang: 'kk',
    pattern: /Порталға жүктел/iu,
    why: 'the commission registers the referral on the Portal: «Порталда тіркейді» ([002] p.36; terms.md #36)',
    samples: ['Белгілеу: Порталға жүктелді'],
  },
  {
    lang: 'kk',
    pattern: /(?<!\p{L})бас тарту журнал|бас тартуларды есепке алу журнал/iu,
    why: 'the app\'s list is «Бас тартулар журналы»; the form of point 40 is «науқастарды қабылдауды және емдеуге жатқызудан бас тартуды есепке алу журналы» ([002] p.40; terms.md #35)',
    samples: ['Бас тарту журналы', 'Бас тартуларды есепке алу журналы'],
  },
  {
    lang: 'kk',
    pattern: /ЖТМҚ/u,
    why: '«ЖТМҚ» is a typo of the law ([002] L220, L344); the term is «ЖТМК» (terms.md #1)',
    samples: ['ЖТМҚ ұсынуға'],
  },
  {
    lang: 'kk',
    pattern: /Қолмен тексерілді/iu,
    why: 'the pre-assessment\'s third status is «Қолмен тексеру керек» (to be checked by hand), as on the screen',
    samples: ['Алдын ала бағалау: Қолмен тексерілді'],
  },
  // Russian
  {
    lang: 'ru',
    pattern: /неподлинн/iu,
    why: 'ground 40(3): «недостоверность предоставленных документов» (the app\'s Russian wording of [002] p.40 3); terms.md #34)',
    samples: ['подп. 3) — неподлинные документы', 'Неподлинные документы (3)'],
  },
  {
    lang: 'ru',
    pattern: /журнал\p{L}* учета отказов/iu,
    why: 'the form of point 40 is «журнал учета приема больных и отказов в госпитализации»; the app\'s own list is «Журнал отказов» (terms.md #35)',
    samples: ['Журнал учета отказов в приеме и госпитализации больных'],
  },
  {
    lang: 'ru',
    pattern: /загружен\p{L}* на Портал/iu,
    why: 'the commission registers the referral on the Portal: «зарегистрировано на Портале» ([002] p.36; terms.md #36)',
    samples: ['Отметить: загружено на Портал'],
  },
  {
    lang: 'ru',
    pattern: /стационарного больного/iu,
    why: 'the extract is from the «медицинская карта стационарного пациента» (point 34 3), as the checklist prints it; terms.md #19)',
    samples: ['выписка из медицинской карты стационарного больного'],
  },
  {
    lang: 'ru',
    pattern: /медицинских услуг \(далее – ВТМП\)|предоставлению высокотехнологичных медицинских услуг/iu,
    why: 'ВТМП is «высокотехнологичная медицинская помощь» ([000] p.1; terms.md #1)',
    samples: ['предоставлению высокотехнологичных медицинских услуг (далее – ВТМП) на 2027 год'],
  },
  {
    lang: 'ru',
    pattern: /Проверено вручную/iu,
    why: 'the pre-assessment\'s third status is «Проверить вручную» (to be checked by hand), as on the screen',
    samples: ['Предварительная оценка: Проверено вручную'],
  },
  {
    lang: 'ru',
    pattern: /последние [234] лет|стаж [234] лет/iu,
    why: 'Russian plural: «за последние 3 года», «стаж 3 года»',
    samples: ['за последние 3 лет', 'стаж 2 лет, нужно не менее 5'],
    where: 'pdf',
  },
  // Both languages: what is not a word of the document's language at all.
  ...(['kk', 'ru'] as const).flatMap((lang): ForbiddenTerm[] => [
    {
      lang,
      pattern: /(?<!\p{L})(current|proposed) v\d/u,
      why: 'an id is not a word: a route is named in the document\'s language (issue 11 point 7)',
      samples: ['current v1'],
      where: 'pdf',
    },
    {
      lang,
      pattern: /\{\{|(?<!\p{L})[a-z]+:[a-z]+\.[a-z_.]+/u,
      why: 'a message key or a placeholder printed instead of its text',
      samples: ['auth:audit.action.auth.setup', 'ЖСН {{iin}}'],
      where: 'pdf',
    },
  ]),
];

/** Words that mark a text of the other language (a Kazakh document says ЖТМК, never ВТМП). */
export const OTHER_LANGUAGE_MARKERS: Record<'kk' | 'ru', string[]> = { kk: ['ВТМП', 'Правил', 'Комиссия по'], ru: ['ЖТМК', 'Қағида', 'комиссиясы'] };

/** The retired variants found in a text of a language; `where` 'locale' skips the PDF-only ones. */
export function forbiddenIn(text: string, lang: 'kk' | 'ru', where: 'pdf' | 'locale' = 'pdf'): { found: string; why: string }[] {
  const out: { found: string; why: string }[] = [];
  for (const f of FORBIDDEN_TERMS) {
    if (f.lang !== lang || (where === 'locale' && f.where === 'pdf')) continue;
    const m = new RegExp(f.pattern.source, f.pattern.flags.includes('g') ? f.pattern.flags : `${f.pattern.flags}g`);
    for (const hit of text.matchAll(m)) out.push({ found: hit[0], why: f.why });
  }
  return out;
}
