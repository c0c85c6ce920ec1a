/**
 * Hand-written search queries for `npm run bench -- search` (issue 13): what a secretary types
 * when the words of the query are not those of the name — several words, codes typed without dots
 * or with a comma or spaces, another grammatical form of a word, a word the list does not have.
 * Each expected code was read from the names of the list's texts (seeds 000: the Russian 2025
 * edition; 001: the Kazakh 2024 edition), quoted beside it; a query hits when that code is among
 * the first 3 answers.
 */
export interface HandQuery {
  q: string;
  expect: string;
  kind: 'several words' | 'code without dots' | 'word form' | 'extra word';
  /** The name the answer comes from (for the reader; not used by the bench). */
  source: string;
}

export const HAND_QUERIES: HandQuery[] = [
  // ---- several words, as a secretary phrases them (words of the names, in other orders) ----
  { kind: 'several words', q: 'трансплантация сердца', expect: '37.51', source: '000: Трансплантация сердца' },
  { kind: 'several words', q: 'трансплантация печени от посмертного донора', expect: '50.52', source: '000: Трансплантация печени от посмертного донора' },
  { kind: 'several words', q: 'трансплантация почки от кадавра', expect: '55.62', source: '000 s.3: Трансплантация почки от кадавра' },
  { kind: 'several words', q: 'эндоваскулярная замена аортального клапана', expect: '35.05', source: '000: Эндоваскулярная замена аортального клапана' },
  { kind: 'several words', q: 'открытая замена митрального клапана', expect: '35.23', source: '000: Открытая и другая замена митрального клапана тканевым трансплантатом' },
  { kind: 'several words', q: 'баллонная вальвулопластика митрального', expect: '35.121', source: '000: Баллонная вальвулопластика стеноза митрального отверстия' },
  { kind: 'several words', q: 'спондилодез поясничного крестцового передний доступ', expect: '81.062', source: '000: Спондилодез поясничного и крестцового позвонков, передний доступ, …' },
  { kind: 'several words', q: 'ревизия замены коленного сустава', expect: '81.55', source: '000: Ревизия замены коленного сустава, неуточненная' },
  { kind: 'several words', q: 'ревизия тазобедренного сустава', expect: '81.53', source: '000: Ревизия замены тазобедренного сустава, неуточненная' },
  { kind: 'several words', q: 'брахитерапия женских половых органов', expect: '92.203', source: '000: Высокодозная брахитерапия при раке женских половых органов' },
  { kind: 'several words', q: 'гамма нож', expect: '92.321', source: '000: … с применением аппарата Гамма-нож' },
  { kind: 'several words', q: 'стентирование коарктации аорты', expect: '39.731', source: '000: Стентирование коарктации аорты' },
  { kind: 'several words', q: 'резекция аорты с анастомозом', expect: '38.34', source: '000: Резекция аорты с анастомозом' },
  { kind: 'several words', q: 'лобэктомия мозга эпилепсия', expect: '01.53', source: '000: Лобэктомия головного мозга при эпилепсии' },
  { kind: 'several words', q: 'аутологичных гемопоэтических клеток', expect: '41.04', source: '000: Трансплантация аутологичных гемопоэтических стволовых клеток без очистки' },
  { kind: 'several words', q: 'имплантация слухового аппарата', expect: '20.95', source: '000: Имплантация электромагнитного слухового аппарата' },
  { kind: 'several words', q: 'электрод спинального нейростимулятора', expect: '03.93', source: '000: Имплантация или замена электрода (электродов) спинального нейростимулятора' },
  { kind: 'several words', q: 'протонная терапия', expect: '92.330.001', source: '000: Протонная терапия (1 сеанс)' },
  { kind: 'several words', q: 'жүректі транспланттау', expect: '37.51', source: '001: Жүректі транспланттау' },
  { kind: 'several words', q: 'донордан бауырды транспланттау', expect: '50.52', source: '001: Қайтыс болғаннан кейінгі донордан бауырды транспланттау' },
  { kind: 'several words', q: 'қолқа қақпақшасын эндоваскулярлық ауыстыру', expect: '35.05', source: '001: Қолқа қақпақшасын эндоваскулярлық ауыстыру' },
  { kind: 'several words', q: 'ұйқыбезін транспланттау', expect: '52.80', source: '001: Ұйқыбезін транспланттау, нақтыланбаған' },
  { kind: 'several words', q: 'қашықтықтан сәулелік терапия', expect: '92.247', source: '001: Сызықтық үдеткіште фотондарды қолдану арқылы қашықтықтан сәулелік терапия' },
  { kind: 'several words', q: 'қалқанша безі радио йод', expect: '92.291', source: '001: Қалқанша безі ауруының радио-йод терапиясы' },
  { kind: 'several words', q: 'кадаврдан ағзаларды алу', expect: '00.93', source: '001: Транспланттау үшін кадаврдан ағзаларды және/немесе тіндерді алу' },

  // ---- codes typed without dots, with a comma or with spaces ----
  { kind: 'code without dots', q: '3751', expect: '37.51', source: '37.51 Трансплантация сердца' },
  { kind: 'code without dots', q: '3521', expect: '35.21', source: '35.21 Открытая и другая замена аортального клапана …' },
  { kind: 'code without dots', q: '0050', expect: '00.50', source: '00.50 Имплантация бивентрикулярного электрокардиостимулятора …' },
  { kind: 'code without dots', q: '8153', expect: '81.53', source: '81.53 Ревизия замены тазобедренного сустава' },
  { kind: 'code without dots', q: '5052', expect: '50.52', source: '50.52 Трансплантация печени от посмертного донора' },
  { kind: 'code without dots', q: '5562', expect: '55.62', source: '55.62 Трансплантация почки' },
  { kind: 'code without dots', q: '037992', expect: '03.7992', source: '03.7992 Операции с применением рамочной стереотаксической системы' },
  { kind: 'code without dots', q: '359900', expect: '35.9900', source: '35.9900 Протезирование клапанов сердца …' },
  { kind: 'code without dots', q: '54970059', expect: '54.970.059', source: '54.970.059 Гипертермическая интраперитонеальная химиотерапия (HIPEC)' },
  { kind: 'code without dots', q: '92330001', expect: '92.330.001', source: '92.330.001 Протонная терапия (1 сеанс)' },
  { kind: 'code without dots', q: '0065', expect: '00.65', source: '00.65 Чрезкожная имплантация стентов во внутрисерепные артерии' },
  { kind: 'code without dots', q: '69921', expect: '69.921', source: '69.921 Классикалық экстракорпоралдық ұрықтандыру, ұзақ хаттама' },
  { kind: 'code without dots', q: '37,51', expect: '37.51', source: '37.51' },
  { kind: 'code without dots', q: '81,55', expect: '81.55', source: '81.55 Ревизия замены коленного сустава' },
  { kind: 'code without dots', q: '35,121', expect: '35.121', source: '35.121 Баллонная вальвулопластика …' },
  { kind: 'code without dots', q: '69,924', expect: '69.924', source: '69.924 АЖСИИ … қысқа хаттама' },
  { kind: 'code without dots', q: '81 53', expect: '81.53', source: '81.53' },
  { kind: 'code without dots', q: '37 94', expect: '37.94', source: '37.94 Имплантация автоматического кардиовертера/дефибриллятора' },
  { kind: 'code without dots', q: '54 970 059', expect: '54.970.059', source: '54.970.059' },
  { kind: 'code without dots', q: '41 05', expect: '41.05', source: '41.05 Трансплантация аллогенных гемопоэтических стволовых клеток' },
  { kind: 'code without dots', q: '39 731', expect: '39.731', source: '39.731 Стентирование коарктации аорты' },
  { kind: 'code without dots', q: '86 66', expect: '86.66', source: '86.66 Аллотрансплантация кожи' },

  // ---- another form of the words of the name (case, number; Russian and Kazakh) ----
  { kind: 'word form', q: 'трансплантации сердца', expect: '37.51', source: '000: Трансплантация сердца' },
  { kind: 'word form', q: 'имплантации кардиовертера дефибриллятора', expect: '37.94', source: '000: Имплантация автоматического кардиовертера/дефибриллятора' },
  { kind: 'word form', q: 'замену коленного сустава', expect: '81.55', source: '000: Ревизия замены коленного сустава' },
  { kind: 'word form', q: 'ревизии тазобедренного сустава', expect: '81.53', source: '000: Ревизия замены тазобедренного сустава' },
  { kind: 'word form', q: 'спондилодез крестцовых позвонков боковым доступом', expect: '81.073', source: '000: Спондилодез поясничного и крестцового позвонков, боковой поперечный доступ …' },
  { kind: 'word form', q: 'трансплантацией легкого', expect: '33.5', source: '000: Трансплантация легких' },
  { kind: 'word form', q: 'печень посмертный донор', expect: '50.52', source: '000: Трансплантация печени от посмертного донора' },
  { kind: 'word form', q: 'почка кадавр', expect: '55.62', source: '000 s.3: Трансплантация почки от кадавра' },
  { kind: 'word form', q: 'аневризма сердца иссечение', expect: '37.32', source: '000: Иссечение аневризмы сердца' },
  { kind: 'word form', q: 'эндоваскулярной замены аортального клапана', expect: '35.05', source: '000: Эндоваскулярная замена аортального клапана' },
  { kind: 'word form', q: 'электроды спинальных нейростимуляторов', expect: '03.93', source: '000: … электрода (электродов) спинального нейростимулятора' },
  { kind: 'word form', q: 'аллотрансплантации кожи', expect: '86.66', source: '000: Аллотрансплантация кожи' },
  { kind: 'word form', q: 'высокодозной брахитерапии предстательной железы', expect: '92.201', source: '000: Высокодозная брахитерапия рака предстательной железы' },
  { kind: 'word form', q: 'пластики аорто легочного окна', expect: '39.591', source: '000: Пластика аорто-легочного окна' },
  { kind: 'word form', q: 'пуповинные стволовые клетки', expect: '41.06', source: '000: Трансплантация пуповинных стволовых клеток' },
  { kind: 'word form', q: 'клипирования митрального отверстия', expect: '35.991', source: '000: Клипирование митрального отверстия' },
  { kind: 'word form', q: 'жүрегін транспланттау', expect: '37.51', source: '001: Жүректі транспланттау' },
  { kind: 'word form', q: 'бүйрегін транспланттау', expect: '55.62', source: '001: Қайтыс болған донордан бүйректі транспланттау' },
  { kind: 'word form', q: 'өкпесін транспланттау', expect: '33.5', source: '001: Өкпені транспланттау' },
  { kind: 'word form', q: 'қолқаның коарктациясы', expect: '39.731', source: '001: Қолқаның коарктациясын стенттеу' },
  { kind: 'word form', q: 'мидың лобэктомиясын', expect: '01.53', source: '001: Эпилепсия кезінде мидың лобэктомиясы' },
  { kind: 'word form', q: 'терінің аллотранспланттауы', expect: '86.66', source: '001: Терінің аллотранспланттау / Теріні аллотранспланттау' },
  { kind: 'word form', q: 'ұйқыбезі', expect: '52.80', source: '001: Ұйқыбезін транспланттау, нақтыланбаған' },
  { kind: 'word form', q: 'сүйек ісіктері', expect: '81.9610', source: '001: Сүйек ісігі кезінде буындарды және/немесе сүйекті ауыстыру' },
  { kind: 'word form', q: 'жүрекшенің құлақшасы', expect: '37.36', source: '001: Жүрекшенің сол жақ құлақшасын кесу, деструкциялау және алып тастау' },
  { kind: 'word form', q: 'тізе буыны', expect: '81.55', source: '001: Тізе буынының ауыстырылуын тексеру, нақтыланбаған' },

  // ---- a word the list does not have, among words it has: the right code must still come first ----
  { kind: 'extra word', q: 'трансплантация сердца взрослому', expect: '37.51', source: '000: Трансплантация сердца' },
  { kind: 'extra word', q: 'кохлеарная имплантация слухового аппарата', expect: '20.95', source: '000: Имплантация электромагнитного слухового аппарата' },
  { kind: 'extra word', q: 'срочная трансплантация почки', expect: '55.62', source: '000: Трансплантация почки от посмертного донора' },
  { kind: 'extra word', q: 'стентирование коарктации аорты ребенку', expect: '39.731', source: '000: Стентирование коарктации аорты' },
  { kind: 'extra word', q: 'протонная терапия детям', expect: '92.330.001', source: '000: Протонная терапия (1 сеанс)' },
  { kind: 'extra word', q: 'жүректі транспланттау шұғыл', expect: '37.51', source: '001: Жүректі транспланттау' },
];
