import ExcelJS from 'exceljs';
import { withBinCheckDigit } from '../../../shared/domain/bin';
import type { DeviceEntry, StaffEntry } from '../../../shared/domain/conformity';
import type { Core } from '../../../electron/core/core';

/** The n-th valid BIN of a test: registered 2004-05 (so it starts with a zero), legal entity, head office. */
export function makeBin(n: number): string {
  for (let k = n * 10; ; k++) {
    const b = withBinCheckDigit(`040540${String(k).padStart(5, '0')}`);
    if (b) return b;
  }
}

export const ORG_A = {
  bin: makeBin(1),
  nameKk: '«Ұлттық ғылыми кардиохирургия орталығы» АҚ',
  nameRu: 'АО «Национальный научный кардиохирургический центр»',
  region: 'astana',
  level: 'republican',
  address: 'Астана қ., Тұран д-лы, 38',
  phone: '+7 7172 70 30 30',
};
export const ORG_B = {
  bin: makeBin(2),
  nameKk: 'Қарағанды облыстық көпбейінді ауруханасы',
  nameRu: 'Карагандинская областная многопрофильная больница',
  region: 'karaganda',
  level: 'regional',
};

/** A cardiac surgeon who meets 35.11 on 2026-10-01 (8 years, 120 hours in 2024, 70 operations). */
export const SURGEON: StaffEntry = { name: 'Сейітов Әлібек', specialty: 'Кардиохирургия (ересектер, балалар)', years: 8, trainingHours: 120, trainingDate: '2024-03-01', operationsPerYear: 70 };

/** One of each device 35.11 requires, in service. */
export async function devicesFor(core: Core, code: string): Promise<DeviceEntry[]> {
  const v = await core.call('conformity.requirements', { code });
  return (v.requirements?.devices ?? []).flatMap((d, i) =>
    d.kind === 'device' ? Array.from({ length: d.count }, (_x, k) => ({ name: d.name, model: `M-${i}`, serial: `SN-${i}-${k}`, inService: true })) : [],
  );
}

export const ISSUER = { issuerKk: 'Астана қаласы бойынша медициналық және фармацевтикалық бақылау департаменті', issuerRu: 'Департамент медицинского и фармацевтического контроля по городу Астана', signerName: 'Омаров Д.', signerPosition: 'Департамент басшысы' };

/** An organization with a received, fully met 35.11 application for 2027 (filed 2026-09-20). */
export async function receivedApplication(core: Core, org: typeof ORG_B & { address?: string; phone?: string } = ORG_A, code = '35.11'): Promise<{ orgId: string; applicationId: string }> {
  const known = (await core.call('orgs.list', { query: org.bin })).items[0];
  const o = known ?? (await core.call('orgs.save', org));
  const devices = await devicesFor(core, code);
  const a = await core.call('conformity.saveApplication', {
    orgId: o.id,
    year: 2027,
    code,
    firstTime: false,
    staff: [SURGEON],
    devices,
    permits: [],
    plannedVolume: 120,
  });
  await core.call('conformity.receiveApplication', { id: a.id, receivedOn: '2026-09-20' });
  return { orgId: o.id, applicationId: a.id };
}

/** An XLSX file (base64) with a header row and rows; `binAsNumber` types the BIN as a number, as Excel does. */
export async function xlsxBase64(rows: (string | number)[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('orgs');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}
