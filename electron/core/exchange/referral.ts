/**
 * Referral bundles for the operator at an online machine (placeholder until the cases and
 * protocol PDF work lands; see exportReferral).
 */
import { AppFailure } from '../../../shared/result';
import type { CoreContext } from '../context';
import type { Job } from './jobs';
import type { ExportResult } from './sync';

export async function exportReferral(_ctx: CoreContext, _opts: { file: string; caseIds?: string[] | undefined; job: Job }): Promise<ExportResult & { index: 'pdf' | 'html' }> {
  throw new AppFailure('exchange.not_available', { kind: 'referral' });
}

export function importPortalAnswer(_ctx: CoreContext, _text: string): { updated: number; unknown: string[]; unchanged: number; errors: { line: number; code: string }[] } {
  throw new AppFailure('exchange.not_available', { kind: 'referral' });
}
