import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../shared/canonical-json';
import { documentNumber, statementData, verificationString, type HtmpDocument } from '../../../shared/documents';

/** SHA-256 (lowercase hex) of canonicalJson of the document's statement (the document without generatedAt). */
export function statementHash(doc: HtmpDocument): string {
  return createHash('sha256').update(canonicalJson(statementData(doc)), 'utf8').digest('hex');
}

/** The verification string printed in the document's QR code and footer. */
export function documentVerification(doc: HtmpDocument): string {
  return verificationString(documentNumber(doc), statementHash(doc), doc.kind);
}
