/**
 * The two routes a packet reaches the commission by, as data the screens and documents show:
 *
 * - `standard` (ДСМ-238 points 31, 33-34): the primary care organization sends the packet on paper
 *   or electronically; the extract (outpatient or inpatient record) is signed by the attending
 *   physician, the head of department AND the deputy chief physician, with the seal.
 * - `inpatient` (point 40): the patient is already in hospital; the attending physician together
 *   with the head of department OR the deputy chief physician for medical work sends the extract
 *   from the inpatient's medical record by e-mail, scanned. A refusal of such a patient is entered
 *   in the journal of admissions and refusals of hospitalization (point 40, third paragraph).
 *
 * `validatePacket` (packet.ts) applies exactly these rules; `test/shared/domain/packet-variants`
 * checks that the description and the check agree.
 */
import type { CaseChannel, DocumentKind, SignatureRole } from './packet';

export type PacketVariantId = 'standard' | 'inpatient';

export interface PacketVariant {
  id: PacketVariantId;
  /** The points of ДСМ-238 the route follows. */
  points: number[];
  /** The documents of point 34 (both routes keep all four), with the point each is listed at. */
  documents: { kind: Exclude<DocumentKind, 'other'>; point: string }[];
  /** Signatures the record extract needs: all of `all`, and at least one of each `oneOf` group. */
  extract: { all: SignatureRole[]; oneOf: SignatureRole[][]; seal: boolean; scanned: boolean };
  /** The channel the packet is expected by (null: any). */
  channel: CaseChannel | null;
  /** A refusal is entered in the journal of point 40. */
  refusalJournal: boolean;
}

const DOCUMENTS: PacketVariant['documents'] = [
  { kind: 'identity', point: '34 (1)' },
  { kind: 'referral', point: '34 (2)' },
  { kind: 'record_extract', point: '34 (3)' },
  { kind: 'test_results', point: '34 (4)' },
];

export const PACKET_VARIANTS: Readonly<Record<PacketVariantId, PacketVariant>> = {
  standard: {
    id: 'standard',
    points: [31, 33, 34],
    documents: DOCUMENTS,
    extract: { all: ['attending', 'head_of_department', 'deputy_chief'], oneOf: [], seal: true, scanned: false },
    channel: null,
    refusalJournal: false,
  },
  inpatient: {
    id: 'inpatient',
    points: [34, 40],
    documents: DOCUMENTS.map((d) => (d.kind === 'record_extract' ? { ...d, point: '34 (3), 40' } : d)),
    extract: { all: ['attending'], oneOf: [['head_of_department', 'deputy_chief']], seal: true, scanned: true },
    channel: 'email',
    refusalJournal: true,
  },
};

/** The route of a case: the inpatient one when the patient is already in hospital. */
export function packetVariant(inpatient: boolean): PacketVariant {
  return PACKET_VARIANTS[inpatient ? 'inpatient' : 'standard'];
}
