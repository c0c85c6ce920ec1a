/**
 * Who may call what, enforced at the one door (`dispatch`) for every host.
 *
 * - `public`: no sign-in (reference data: the catalogue, the calendar, scoring rules, checks of a
 *   case file or bundle given by the caller). Answered also before set-up and while no one is
 *   signed in, from the plain reference database; never touches patient data.
 * - `viewer` < `secretary` < `admin`: a signed-in, unlocked user of at least that role.
 * - `auth.*` methods are always reachable (they are how one signs in and unlocks).
 *
 * A method missing from this map needs `secretary` (strict by default) and is audited as a
 * `call`; `test/shared/access.test.ts` fails for every method of the contract that is not
 * classified, so an area's new methods are classified when it merges. To classify: add the
 * method here with its level, and to AUDITED with an action if it reads a patient's data or
 * changes anything.
 */
import type { MethodName } from './index';

export const ACCESS_LEVELS = ['public', 'viewer', 'secretary', 'admin'] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

export const METHOD_ACCESS: Partial<Record<MethodName, Access>> = {
  'app.info': 'public',
  'db.info': 'viewer',
  'db.check': 'admin',
  'db.rekey': 'admin',
  'settings.get': 'public',
  'settings.update': 'admin',
  'calendar.get': 'public',
  'calendar.deadline': 'public',
  'calendar.replace': 'admin',
  'calendar.setYear': 'admin',
  'calendar.reset': 'admin',

  'catalogue.editions': 'public',
  'catalogue.show': 'public',
  'catalogue.search': 'public',
  'catalogue.diff': 'public',
  'catalogue.setInForce': 'admin',
  'catalogue.saveTranslation': 'secretary',
  'catalogue.removeTranslation': 'secretary',
  'catalogue.saveNote': 'secretary',
  'catalogue.removeNote': 'secretary',

  'cases.list': 'viewer',
  'cases.get': 'viewer',
  'cases.today': 'viewer',
  'cases.refusalJournal': 'viewer',
  'cases.fileContent': 'viewer',
  'cases.validate': 'public',
  'cases.checkFile': 'public',
  'cases.save': 'secretary',
  'cases.import': 'secretary',
  'cases.importBatch': 'secretary',
  'cases.register': 'secretary',
  'cases.delete': 'secretary',
  'cases.attachFile': 'secretary',
  'cases.removeFile': 'secretary',
  'cases.decide': 'secretary',
  'cases.deleteDecision': 'secretary',
  'cases.issueProtocol': 'secretary',
  'cases.portalStatus': 'secretary',
  'cases.hospitalization': 'secretary',
  'cases.patientInformed': 'secretary',
  'cases.followUp': 'secretary',

  'protocols.forCase': 'viewer',
  'protocols.render': 'viewer',
  'protocols.renderCaseFile': 'public',
  'protocols.issue': 'secretary',
  'protocols.verify': 'viewer',
  'protocols.list': 'viewer',
  'protocols.registerPdf': 'viewer',
  'protocols.refusalJournalPdf': 'viewer',
  'protocols.scoringSheetPdf': 'viewer',
  'shell.printPdf': 'viewer',

  'scoring.list': 'viewer',
  'scoring.get': 'viewer',
  'scoring.summary': 'viewer',
  'scoring.evaluate': 'public',
  'scoring.save': 'secretary',
  'scoring.delete': 'secretary',
  'transfer.regions': 'public',
  'transfer.evaluate': 'public',
  'transfer.list': 'viewer',
  'transfer.get': 'viewer',
  'transfer.report': 'viewer',
  'transfer.setZones': 'admin',
  'transfer.saveInputs': 'secretary',
  'transfer.deleteInputs': 'secretary',
  'transfer.importCsv': 'secretary',

  'exchange.identity': 'viewer',
  'exchange.peers': 'viewer',
  'exchange.publishers': 'viewer',
  'exchange.jobs': 'viewer',
  'exchange.conflicts': 'viewer',
  'exchange.catalogueState': 'viewer',
  'exchange.verify': 'public',
  'exchange.trustPeer': 'admin',
  'exchange.removePeer': 'admin',
  'exchange.trustPublisher': 'admin',
  'exchange.removePublisher': 'admin',
  'exchange.export': 'secretary',
  'exchange.import': 'secretary',
  'exchange.cancel': 'secretary',
  'exchange.resolve': 'secretary',
  'exchange.backup': 'admin',
  'exchange.restore': 'admin',
  'exchange.cataloguePreview': 'secretary',
  'exchange.catalogueApply': 'admin',
  'exchange.catalogueRestore': 'admin',
  'exchange.referralAnswer': 'secretary',
  'exchange.upload': 'secretary',
  'exchange.download': 'secretary',
  'shell.saveFile': 'secretary',

  'abroad.reference': 'viewer',
  'abroad.routesReplace': 'admin',
  'abroad.routesReset': 'admin',
  'abroad.create': 'secretary',
  'abroad.update': 'secretary',
  'abroad.get': 'viewer',
  'abroad.list': 'viewer',
  'abroad.advance': 'secretary',
  'abroad.reopenStep': 'secretary',
  'abroad.delete': 'secretary',
  'abroad.attachFile': 'secretary',
  'abroad.removeFile': 'secretary',
  'abroad.fileContent': 'viewer',
  'abroad.renderDocument': 'secretary',
  'abroad.verifyDocument': 'viewer',
  'abroad.summary': 'viewer',
  'abroad.summaryPdf': 'viewer',
  'abroad.summaryXlsx': 'viewer',

  // Commission members, after the decision, reports, organizations and conformity (issues 11, 14, 15).
  'settings.members': 'viewer',
  // The first-start guide and each user's own preferences (issue 13).
  'setup.status': 'viewer',
  'setup.confirmCalendar': 'admin',
  'prefs.get': 'viewer',
  'prefs.set': 'viewer',
  'prefs.putDraft': 'secretary',
  'prefs.getDraft': 'secretary',
  'prefs.dropDraft': 'secretary',
  'settings.setMembers': 'admin',
  'cases.issueCheck': 'secretary',
  'aftercare.timeline': 'viewer',
  'aftercare.overdue': 'viewer',
  'aftercare.today': 'viewer',
  'aftercare.dischargeSummary': 'secretary',
  'aftercare.attachFile': 'secretary',
  'aftercare.removeFile': 'secretary',
  'aftercare.fileContent': 'viewer',
  'aftercare.inpatientRefusals': 'viewer',
  'aftercare.journalEntry': 'secretary',
  'reports.dashboard': 'viewer',
  'reports.annual': 'viewer',
  'reports.annualPdf': 'viewer',
  'reports.annualXlsx': 'viewer',
  'reports.status': 'viewer',
  'reports.markSubmitted': 'secretary',
  'orgs.list': 'viewer',
  'orgs.get': 'viewer',
  'orgs.save': 'secretary',
  'orgs.delete': 'secretary',
  'orgs.import': 'secretary',
  'orgs.export': 'viewer',
  'orgs.eligible': 'viewer',
  'orgs.forCase': 'viewer',
  'orgs.setCaseProvider': 'secretary',
  'orgs.settings': 'viewer',
  'orgs.updateSettings': 'admin',
  'conformity.codes': 'viewer',
  'conformity.requirements': 'viewer',
  'conformity.saveApplication': 'secretary',
  'conformity.receiveApplication': 'secretary',
  'conformity.deleteApplication': 'secretary',
  'conformity.getApplication': 'viewer',
  'conformity.listApplications': 'viewer',
  'conformity.assessFile': 'viewer',
  'conformity.saveAssessment': 'secretary',
  'conformity.issue': 'secretary',
  'conformity.listConclusions': 'viewer',
  'conformity.getConclusion': 'viewer',
  'conformity.renderConclusion': 'viewer',
  'conformity.renderApplication': 'viewer',
  'conformity.verify': 'viewer',
  'conformity.addUpdate': 'secretary',
  'conformity.completeUpdate': 'secretary',
  'conformity.reissue': 'secretary',
  'conformity.listUpdates': 'viewer',

  'users.list': 'admin',
  'users.add': 'admin',
  'users.update': 'admin',
  'users.disable': 'admin',
  'users.reset': 'admin',
  'audit.list': 'admin',
  'audit.verify': 'admin',
  'audit.exportCsv': 'admin',
  'audit.exportPdf': 'admin',
};

/**
 * Arguments that name a file or folder on disk (issue 12.2: the page never names a path). Only a
 * local caller (the CLI, the Electron main process acting on a native dialog, tests) may pass
 * them; the door refuses them from the page (`api.path_not_allowed`), which uses uploads
 * (`exchange.upload`) and downloads (`exchange.download`) instead. `test/shared/access.test.ts`
 * fails for an argument that looks like a path (`file`, `out`, `dir`, `*Dir`, `*Path`, `*File`)
 * and is not listed here.
 */
export const LOCAL_ONLY_ARGS: Partial<Record<MethodName, readonly string[]>> = {
  'auth.restore': ['file'],
  'exchange.export': ['out'],
  'exchange.verify': ['file'],
  'exchange.import': ['file'],
  'exchange.backup': ['out'],
  'exchange.restore': ['file', 'dataDir'],
  'exchange.cataloguePreview': ['file'],
  'exchange.catalogueApply': ['file'],
  'exchange.referralAnswer': ['file'],
};

/** The first path argument present in `args` that only a local caller may pass, or null. */
export function localOnlyArgOf(method: string, args: unknown): string | null {
  const fields = (LOCAL_ONLY_ARGS as Record<string, readonly string[] | undefined>)[method];
  if (!fields || !args || typeof args !== 'object') return null;
  for (const f of fields) if ((args as Record<string, unknown>)[f] !== undefined) return f;
  return null;
}

/** Methods always reachable, signed in or not, locked or not. */
export const isAuthMethod = (method: string): boolean => method.startsWith('auth.');

/** The level a method needs: its entry, else `secretary` (an unclassified method is never public). */
export function accessOf(method: string): Access {
  return (METHOD_ACCESS as Record<string, Access | undefined>)[method] ?? 'secretary';
}

const RANK: Record<Access, number> = { public: 0, viewer: 1, secretary: 2, admin: 3 };

/** True when a user of `role` may call a method needing `need`. */
export const roleAllows = (role: 'viewer' | 'secretary' | 'admin', need: Access): boolean => RANK[role] >= RANK[need];

/**
 * The audit trail's action for each method that reads a patient's data or changes anything
 * (`auth.*` methods are audited by the auth service itself, with their outcome). A method not in
 * METHOD_ACCESS is audited as `call`; a classified method absent here is not audited (lists,
 * reference reads).
 */
export const AUDITED: Partial<Record<MethodName, string>> = {
  'cases.get': 'case.open',
  'cases.fileContent': 'file.open',
  'cases.save': 'case.change',
  'cases.register': 'case.change',
  'cases.delete': 'case.delete',
  'cases.attachFile': 'case.change',
  'cases.removeFile': 'case.change',
  'cases.portalStatus': 'case.change',
  'cases.hospitalization': 'case.change',
  'cases.patientInformed': 'case.change',
  'cases.followUp': 'case.change',
  'cases.deleteDecision': 'case.change',
  'cases.decide': 'case.decide',
  'cases.issueProtocol': 'protocol.issue',
  'protocols.issue': 'protocol.issue',
  'protocols.render': 'pdf.render',
  'protocols.registerPdf': 'pdf.render',
  'protocols.refusalJournalPdf': 'pdf.render',
  'protocols.scoringSheetPdf': 'pdf.render',
  'shell.printPdf': 'pdf.print',
  'cases.import': 'import',
  'cases.importBatch': 'import',
  'exchange.import': 'import',
  'exchange.restore': 'import',
  'exchange.catalogueApply': 'import',
  'exchange.catalogueRestore': 'settings.change',
  'exchange.referralAnswer': 'import',
  'exchange.export': 'export',
  'exchange.backup': 'export',
  'exchange.download': 'export',
  'exchange.resolve': 'case.change',
  'exchange.trustPeer': 'peer.trust',
  'exchange.removePeer': 'peer.remove',
  'exchange.trustPublisher': 'settings.change',
  'exchange.removePublisher': 'settings.change',
  'audit.exportCsv': 'export',
  'audit.exportPdf': 'export',
  'audit.verify': 'audit.verify',
  'settings.update': 'settings.change',
  'calendar.replace': 'settings.change',
  'calendar.setYear': 'settings.change',
  'calendar.reset': 'settings.change',
  'catalogue.setInForce': 'settings.change',
  'catalogue.saveTranslation': 'catalogue.change',
  'catalogue.removeTranslation': 'catalogue.change',
  'catalogue.saveNote': 'catalogue.change',
  'catalogue.removeNote': 'catalogue.change',
  'scoring.save': 'scoring.change',
  'scoring.delete': 'scoring.change',
  'transfer.setZones': 'settings.change',
  'transfer.saveInputs': 'scoring.change',
  'transfer.deleteInputs': 'scoring.change',
  'transfer.importCsv': 'scoring.change',
  'abroad.routesReplace': 'settings.change',
  'abroad.routesReset': 'settings.change',
  'abroad.create': 'case.change',
  'abroad.update': 'case.change',
  'abroad.get': 'case.open',
  'abroad.advance': 'case.change',
  'abroad.reopenStep': 'case.change',
  'abroad.delete': 'case.delete',
  'abroad.attachFile': 'case.change',
  'abroad.removeFile': 'case.change',
  'abroad.fileContent': 'file.open',
  'abroad.renderDocument': 'protocol.issue',
  'abroad.summaryPdf': 'export',
  'abroad.summaryXlsx': 'export',
  'settings.setMembers': 'settings.change',
  'setup.confirmCalendar': 'settings.change',
  // A user's unsaved edits hold patient data: reading them back is audited like opening the case
  // (writing them is not: the case itself changes only through cases.save, which is audited).
  'prefs.getDraft': 'case.open',
  'aftercare.timeline': 'case.open',
  'aftercare.dischargeSummary': 'case.change',
  'aftercare.attachFile': 'case.change',
  'aftercare.removeFile': 'case.change',
  'aftercare.fileContent': 'file.open',
  'aftercare.journalEntry': 'case.change',
  'reports.annualPdf': 'export',
  'reports.annualXlsx': 'export',
  'reports.markSubmitted': 'settings.change',
  'orgs.save': 'org.change',
  'orgs.delete': 'org.change',
  'orgs.import': 'import',
  'orgs.export': 'export',
  'orgs.setCaseProvider': 'case.change',
  'orgs.updateSettings': 'settings.change',
  'conformity.saveApplication': 'org.change',
  'conformity.receiveApplication': 'org.change',
  'conformity.deleteApplication': 'org.change',
  'conformity.saveAssessment': 'org.change',
  'conformity.issue': 'protocol.issue',
  'conformity.renderConclusion': 'pdf.render',
  'conformity.renderApplication': 'pdf.render',
  'conformity.addUpdate': 'org.change',
  'conformity.completeUpdate': 'org.change',
  'conformity.reissue': 'protocol.issue',
  'users.add': 'user.add',
  'users.update': 'user.update',
  'users.disable': 'user.disable',
  'users.reset': 'user.reset',
  'db.rekey': 'db.rekey',
};

/** What the audit trail records a method as (null: not audited). */
export function auditActionOf(method: string): string | null {
  if (isAuthMethod(method)) return null;
  const a = (AUDITED as Record<string, string | undefined>)[method];
  if (a) return a;
  return (METHOD_ACCESS as Record<string, Access | undefined>)[method] === undefined ? 'call' : null;
}

/** Every action the audit trail knows (the screen's filter; `call` for unclassified methods). */
export const AUDIT_ACTIONS = [
  'auth.setup',
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.sign_out',
  'auth.lock',
  'auth.unlock',
  'auth.unlock_failed',
  'auth.passphrase_changed',
  'auth.pin_changed',
  'auth.recovered',
  'user.add',
  'user.update',
  'user.disable',
  'user.reset',
  'case.open',
  'file.open',
  'case.change',
  'case.delete',
  'case.decide',
  'protocol.issue',
  'pdf.render',
  'pdf.print',
  'export',
  'import',
  'settings.change',
  'catalogue.change',
  'scoring.change',
  'org.change',
  'audit.verify',
  'db.rekey',
  'db.encrypt',
  'peer.trust',
  'peer.key_change',
  'peer.remove',
  'call',
] as const;
