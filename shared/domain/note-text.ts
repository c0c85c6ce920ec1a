/**
 * A note shipped with the app's data (a calendar source, what a legal text says about an edition)
 * in the interface languages, or a note a user typed (one text, in the language it was typed in).
 * Notes shipped in assets always carry kk and ru, so no English sentence reaches a screen.
 */
export type NoteText = string | { kk: string; ru: string };

/** True for a plain text or an object with non-empty kk and ru texts. */
export function isNoteText(v: unknown): v is NoteText {
  if (typeof v === 'string') return true;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o.kk === 'string' && typeof o.ru === 'string' && o.kk.trim() !== '' && o.ru.trim() !== '';
}

/** The note in a language (a typed note as it is). */
export function noteIn(note: NoteText, lang: 'kk' | 'ru'): string {
  return typeof note === 'string' ? note : note[lang];
}
