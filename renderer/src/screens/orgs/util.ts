import { useTranslation } from 'react-i18next';
import type { Lang } from '../../../../shared/contract';
import { REGION_NAMES, type RegionId } from '../../../../shared/domain/regions';
import { kzToday } from '../../../../shared/domain/kz-time';

export { fmtDate } from '../cases/format';
export const todayKz = (): string => kzToday();

/** The UI language as a document language. */
export function useLang(): Lang {
  const { i18n } = useTranslation();
  return i18n.language === 'ru' ? 'ru' : 'kk';
}

export const regionName = (id: string, lang: Lang): string => REGION_NAMES[id as RegionId]?.[lang] ?? id;

/** An organization's name in the UI language. */
export const orgName = (o: { nameKk: string; nameRu: string }, lang: Lang): string => (lang === 'ru' ? o.nameRu : o.nameKk);

/** A chosen file as base64 (for the import). */
export function fileBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onerror = () => reject(r.error);
    r.onload = () => {
      const s = String(r.result);
      resolve(s.slice(s.indexOf(',') + 1));
    };
    r.readAsDataURL(file);
  });
}
