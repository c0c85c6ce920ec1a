import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * Stored form of a protocol statement (`protocol_statements.statement`), packed to save space.
 *
 * A statement is the canonical JSON of an issued protocol (about 1.8 KB of mostly Cyrillic text).
 * One stored at full length fills most of a 4 KB database page on its own, so 10,000 cases with
 * their protocols spent ~9 MB on statements. Stored packed, it is `z1:` and the base64 of its
 * raw deflate with a preset dictionary (below): 1.8 KB become a few hundred bytes.
 *
 * What stays exactly as it was: the statement TEXT. Every reader unpacks first
 * (`unpackStatement`), then parses, hashes (`sha256` is the hash of the unpacked text, as
 * printed in the QR code) and verifies as before; a statement stored unpacked (issued before
 * this format, or received by sync from a laptop that stored it so) reads as it is.
 *
 * The format is fixed forever: `z1` means raw deflate with exactly this dictionary. A later
 * dictionary would be `z2`, and `z1` must still be read. The dictionary is the statement's
 * structure (its keys and the values every protocol shares: checklist kinds, roles, outcomes,
 * the wording of commissions and of the list's editions), never data of a patient.
 */

const PREFIX = 'z1:';

/** The preset dictionary of `z1` (deflate finds repeated strings in it; the last bytes count most). */
const DICTIONARY_Z1 = Buffer.from(
  [
    'Управление здравоохранения области ',
    'Комиссия по ВТМП области ',
    ' облысының денсаулық сақтау басқармасы',
    ' облысының ЖТМК жөніндегі комиссиясы',
    'перечень видов ВТМП в редакции приказа от ',
    'ЖТМК түрлерінің тізбесі, ',
    ' бұйрық редакциясы',
    'Национальный научный центр',
    'Республиканский научный центр',
    'Имплантация',
    'кызы',
    'қызы',
    'ұлы',
    'овна',
    'евна',
    'ович',
    'евич',
    '"correction":{"reason":"',
    '","replaces":"',
    '{"checklist":[{"kind":"identity_document","received":true},{"kind":"hospitalization_referral","received":true},{"kind":"record_extract","received":true},{"kind":"tests_and_consultations","received":true}],',
    '"commission":{"authority":{"kk":"',
    '","ru":"',
    '"},"name":{"kk":"',
    '"}},"date":"20',
    '","decision":{"outcome":"refused","reason":"no_indications"},',
    '","decision":{"outcome":"refused","reason":"incomplete_packet"},',
    '","decision":{"outcome":"refused","reason":"not_authentic"},',
    '","decision":{"outcome":"approved","reason":null},"diagnosis":{"icd10":"',
    '","text":"',
    '"},"htmp":{"code":"',
    '","name":{"kk":{"source":"ЖТМК түрлерінің тізбесі, ',
    ' № ',
    ' бұйрық редакциясы","text":"',
    '"},"ru":{"source":"перечень видов ВТМП в редакции приказа от ',
    '","text":"',
    '"}},"section":2},"inpatient":false,"kind":"protocol","members":[{"name":"',
    '","role":"chair"},{"name":"',
    '","role":"member"},{"name":"',
    '","role":"secretary"}],"number":"',
    '/20',
    '","patient":{"birthDate":"19',
    '","firstName":"',
    '","iin":"',
    '","lastName":"',
    '","middleName":"',
    '"},"provider":{"name":{"kk":"',
    '","ru":"',
    '"}}}',
  ].join(''),
  'utf8',
);

/** The stored form of a statement: packed when that is shorter (it nearly always is). */
export function packStatement(json: string): string {
  const packed = PREFIX + deflateRawSync(Buffer.from(json, 'utf8'), { level: 9, dictionary: DICTIONARY_Z1 }).toString('base64');
  return packed.length < json.length ? packed : json;
}

/** The statement text of a stored value (packed or not); null when a packed value is damaged. */
export function unpackStatement(stored: string): string | null {
  if (!stored.startsWith(PREFIX)) return stored;
  try {
    return inflateRawSync(Buffer.from(stored.slice(PREFIX.length), 'base64'), { dictionary: DICTIONARY_Z1 }).toString('utf8');
  } catch {
    return null;
  }
}

/** True when a stored value is in the packed form. */
export const isPackedStatement = (stored: string): boolean => stored.startsWith(PREFIX);
