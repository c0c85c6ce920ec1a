/**
 * Abbreviations a secretary types for a technology whose official name is written out: «ЭКО» for
 * «экстракорпоралдық ұрықтандыру» (the 2024 list names IVF only in words). A query word equal to
 * an abbreviation also matches the codes whose names contain every word of one of its expansions
 * (as words or word forms).
 *
 * Every expansion is written with the words of the list's own names (the Russian 2025 and Kazakh
 * 2024 texts, seeds 000 and 001), so it finds the codes whose names say the same thing;
 * test/shared/domain/search-abbreviations.test.ts checks that each abbreviation finds the codes
 * named beside it in the shipped catalogue. The abbreviations themselves are the usual Russian
 * and Kazakh medical ones; they are search aids, never shown as official text.
 */
export interface Abbreviation {
  /** The abbreviation as written (Cyrillic and, where usual, Latin). */
  forms: readonly string[];
  /** The expansion in each language, in the words of the list's names. */
  ru: string;
  kk: string;
}

export const SEARCH_ABBREVIATIONS: readonly Abbreviation[] = [
  // 69.921–69.924 (2024 list, section 3): «экстракорпоралдық ұрықтандыру».
  { forms: ['ЭКО', 'ЭКҰ'], ru: 'экстракорпоральное оплодотворение', kk: 'экстракорпоралдық ұрықтандыру' },
  // 69.923, 69.924: «АЖСИИ (аналық жасушаға сперматозоидты интрацитоплазмалық инъекциялау)».
  { forms: ['ИКСИ', 'ICSI'], ru: 'интрацитоплазматическая инъекция сперматозоида', kk: 'сперматозоидты интрацитоплазмалық инъекциялау' },
  // 39.65 (2024 list): «Экстракорпоралдық мембраналық оксигенация».
  { forms: ['ЭКМО', 'ECMO'], ru: 'экстракорпоральная мембранная оксигенация', kk: 'экстракорпоралдық мембраналық оксигенация' },
  // 36.1000: «Аортокоронарное шунтирование …» / «… аортокоронарлық шунттау».
  { forms: ['АКШ'], ru: 'аортокоронарное шунтирование', kk: 'аортокоронарлық шунттау' },
  // 36.16: «Двойное внутреннее маммарно-коронарное шунтирование».
  { forms: ['МКШ'], ru: 'маммарно-коронарное шунтирование', kk: 'маммарлық-коронарлық шунттау' },
  // 35.9900, 36.1000: «… радиочастотной абляции» / «радиожиілік аблацияны».
  { forms: ['РЧА'], ru: 'радиочастотная абляция', kk: 'радиожиілік аблация' },
  // 00.50: «Имплантация бивентрикулярного электрокардиостимулятора …».
  { forms: ['ЭКС'], ru: 'электрокардиостимулятор', kk: 'электрокардиостимулятор' },
  // 37.94, 37.941, 37.96: «… кардиовертера/дефибриллятора».
  { forms: ['ИКД', 'ИКВД'], ru: 'кардиовертер дефибриллятор', kk: 'кардиовертер дефибриллятор' },
  // 41.04, 41.05: «Трансплантация аутологичных/аллогенных гемопоэтических стволовых клеток …».
  { forms: ['ТГСК'], ru: 'трансплантация гемопоэтических стволовых клеток', kk: 'гемопоэздік дің жасушаларын транспланттау' },
  // 35.84: «Полное восстановление транспозиции магистральных сосудов …».
  { forms: ['ТМС', 'ТМА'], ru: 'транспозиция магистральных сосудов', kk: 'ірі тамырлардың транспозициясы' },
  // 35.55: «Устранение дефекта межжелудочковой перегородки …».
  { forms: ['ДМЖП'], ru: 'дефект межжелудочковой перегородки', kk: 'қарыншааралық қалқаншаның ақауы' },
  // 92.321: «… заболеваний центральной нервной системы …».
  { forms: ['ЦНС'], ru: 'центральная нервная система', kk: 'орталық нерв жүйесі' },
  // 35.05: «Эндоваскулярная замена аортального клапана» (transcatheter aortic valve implantation).
  { forms: ['TAVI', 'ТАВИ'], ru: 'эндоваскулярная замена аортального клапана', kk: 'қолқа қақпақшасын эндоваскулярлық ауыстыру' },
];
