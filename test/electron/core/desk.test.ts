/** The first-start guide's status and each user's preferences in the database (issue 13). */
import { describe, expect, it } from 'vitest';
import { m0015Desk } from '../../../electron/core/migrations/0015-desk';
import { migrations } from '../../../electron/core/migrations';
import { MAX_DRAFT_CHARS } from '../../../shared/contract/prefs';
import { kzToday } from '../../../shared/domain/kz-time';
import { completeDraft, MEMBERS } from './cases-fixtures';
import { adminCore, tempCore, tempDir, TEST_COMMISSION } from '../../support/temp';
import type { Core } from '../../../electron/core/core';
import { outcomeCode as code } from '../../support/failures';

async function secretaryOf(admin: Core, login = 'sec'): Promise<Core> {
  await admin.call('users.add', { login, displayName: `Секретарь ${login}`, role: 'secretary', passphrase: 'secretary pass 1' });
  const s = await admin.as({ channel: 'local' }).call('auth.signIn', { login, passphrase: 'secretary pass 1' });
  return admin.as({ channel: 'local', sessionId: s.sessionId! });
}

describe('migration desk', () => {
  it('is a migration of the list and creates its three tables', () => {
    expect(migrations).toContain(m0015Desk);
    const core = tempCore();
    const names = (core.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['calendar_checks', 'user_prefs', 'case_drafts']));
    expect(core.db.pragma('user_version', { simple: true })).toBe(migrations.length);
  });
});

describe('setup.status: the first-start guide', () => {
  it('a new installation has every step to do; each is done by the data itself; the calendar needs a confirmation', async () => {
    const core = tempCore({ commission: false });
    const year = Number(kzToday().slice(0, 4));
    let s = await core.call('setup.status', {});
    expect(s).toMatchObject({ complete: false, done: 0, total: 3, next: 'names' });
    expect(s.names.missing).toEqual(['commissionNameKk', 'commissionNameRu', 'authorityNameKk', 'authorityNameRu']);
    expect(s.members).toEqual({ done: false, count: 0, missing: ['none', 'chair', 'secretary'] });
    expect(s.calendar).toMatchObject({ done: false, year, check: null, changedSince: false });

    // Names in one language only are not enough: both are printed.
    await core.call('settings.update', { commissionNameKk: TEST_COMMISSION.commissionNameKk, authorityNameKk: TEST_COMMISSION.authorityNameKk });
    s = await core.call('setup.status', {});
    expect(s.names).toEqual({ done: false, missing: ['commissionNameRu', 'authorityNameRu'] });
    await core.call('settings.update', TEST_COMMISSION);
    s = await core.call('setup.status', {});
    expect(s).toMatchObject({ done: 1, next: 'members', names: { done: true, missing: [] } });

    // Members without a secretary are not enough.
    await core.call('settings.setMembers', { members: [{ role: 'chair', name: { kk: 'Сапаров А.', ru: 'Сапаров А.' } }] });
    expect((await core.call('setup.status', {})).members).toEqual({ done: false, count: 1, missing: ['secretary'] });
    await core.call('settings.setMembers', { members: MEMBERS.map((m) => ({ role: m.role, name: { kk: m.name, ru: m.name } })) });
    s = await core.call('setup.status', {});
    expect(s).toMatchObject({ done: 2, next: 'calendar', members: { done: true, count: 3, missing: [] } });

    // The calendar: confirmed by the signed-in user, who and when are kept.
    s = await core.call('setup.confirmCalendar', { year });
    expect(s).toMatchObject({ complete: true, done: 3, next: null });
    expect(s.calendar.check).toMatchObject({ year, userName: 'Әсел Серікқызы Нұрланова' });
    expect(s.calendar.check!.userId).toBeTruthy();
    expect(s.calendar.check!.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+05:00$/);

    // A change of that year's days voids the confirmation; another year's change does not.
    const cal = await core.call('calendar.get', {});
    const other = cal.years.find((y) => y.year !== year)!;
    await core.call('calendar.setYear', { year: other.year, confirmed: other.confirmed, kurbanAit: other.kurbanAit, extraDaysOff: other.extraDaysOff, workingWeekendDays: [] });
    expect((await core.call('setup.status', {})).complete).toBe(true);
    const y = cal.years.find((x) => x.year === year)!;
    await core.call('calendar.setYear', { year, confirmed: y.confirmed, kurbanAit: y.kurbanAit, extraDaysOff: [...y.extraDaysOff, `${year}-12-31`], workingWeekendDays: y.workingWeekendDays });
    s = await core.call('setup.status', {});
    expect(s).toMatchObject({ complete: false, next: 'calendar', calendar: { done: false, changedSince: true } });
    // A year the calendar does not list cannot be confirmed.
    expect(await code(core.call('setup.confirmCalendar', { year: 2099 }))).toBe('setup.calendar_year_missing');
  });

  it('a secretary sees the status but only an admin confirms the calendar (audited)', async () => {
    const dir = tempDir();
    const admin = await adminCore(dir);
    const sec = await secretaryOf(admin);
    expect(await code(sec.call('setup.status', {}))).toBe('ok');
    expect(await code(sec.call('setup.confirmCalendar', { year: Number(kzToday().slice(0, 4)) }))).toBe('auth.forbidden');
    await admin.call('setup.confirmCalendar', { year: Number(kzToday().slice(0, 4)) });
    const rows = (await admin.call('audit.list', { action: 'settings.change' })).rows;
    expect(rows.some((r: { method: string | null }) => r.method === 'setup.confirmCalendar')).toBe(true);
  });
});

describe('prefs: per user, in the database', () => {
  it('language and last members are each user’s own and survive closing the folder', async () => {
    const dir = tempDir();
    const admin = await adminCore(dir);
    const sec = await secretaryOf(admin);
    expect(await admin.call('prefs.get', {})).toEqual({ language: null, lastMembers: null, drafts: [] });
    await admin.call('prefs.set', { language: 'ru', lastMembers: MEMBERS });
    await sec.call('prefs.set', { language: 'kk' });
    expect(await sec.call('prefs.get', {})).toMatchObject({ language: 'kk', lastMembers: null });
    admin.close();
    const again = await adminCore(dir);
    expect(await again.call('prefs.get', {})).toMatchObject({ language: 'ru', lastMembers: MEMBERS });
    await again.call('prefs.set', { language: null });
    expect((await again.call('prefs.get', {})).language).toBeNull();
    // Nothing of it in the browser's reach: it is in the (encrypted) database, keyed by user.
    expect((again.db.prepare('SELECT count(DISTINCT user_id) AS n FROM user_prefs').get() as { n: number }).n).toBe(2);
  });

  it('a case form’s unsaved edits are kept per user and case, offered back, and dropped', async () => {
    const dir = tempDir();
    const admin = await adminCore(dir);
    const sec = await secretaryOf(admin);
    const { id } = await admin.call('cases.save', completeDraft());
    const form = { patient: { lastName: 'Абаев', firstName: 'Ерлан-түзетілген' }, notes: 'Позвонить' };
    const put = await admin.call('prefs.putDraft', { caseId: id, base: '2026-03-20T10:00:00Z', form });
    expect(put.savedAt).toMatch(/\+05:00$/);
    expect((await admin.call('prefs.getDraft', { caseId: id })).draft).toMatchObject({ caseId: id, base: '2026-03-20T10:00:00Z', form });
    // Another user sees none of it.
    expect((await sec.call('prefs.getDraft', { caseId: id })).draft).toBeNull();
    expect((await admin.call('prefs.get', {})).drafts).toEqual([{ caseId: id, savedAt: put.savedAt, patient: 'Абаев Ерлан' }]);
    // Reading it back is audited as opening the case.
    expect((await admin.call('audit.list', { action: 'case.open' })).rows.some((r: { method: string | null; caseId: string | null }) => r.method === 'prefs.getDraft' && r.caseId === id)).toBe(true);
    expect(await admin.call('prefs.dropDraft', { caseId: id })).toEqual({ dropped: true });
    expect((await admin.call('prefs.getDraft', { caseId: id })).draft).toBeNull();
    expect(await admin.call('prefs.dropDraft', { caseId: id })).toEqual({ dropped: false });
  });

  it('refuses a draft for a case that does not exist or too large, and forgets it when the case is deleted', async () => {
    const core = tempCore();
    expect(await code(core.call('prefs.putDraft', { caseId: '00000000-0000-4000-8000-000000000000', base: '', form: {} }))).toBe('cases.not_found');
    const { id } = await core.call('cases.save', completeDraft());
    expect(await code(core.call('prefs.putDraft', { caseId: id, base: '', form: { notes: 'x'.repeat(MAX_DRAFT_CHARS) } }))).toBe('prefs.draft_too_large');
    expect((core.db.prepare('SELECT count(*) AS n FROM case_drafts').get() as { n: number }).n).toBe(0);
    await core.call('prefs.putDraft', { caseId: id, base: '', form: { notes: 'x' } });
    await core.call('cases.delete', { id });
    expect((await core.call('prefs.get', {})).drafts).toEqual([]);
    expect((await core.call('prefs.getDraft', { caseId: id })).draft).toBeNull();
  });

  it('needs a signed-in user', async () => {
    const dir = tempDir();
    await adminCore(dir);
    const { createCore } = await import('../../../electron/core/core');
    const { track } = await import('../../support/temp');
    const raw = track(createCore({ dataDir: dir, host: 'cli' }));
    expect(await code(raw.call('prefs.get', {}))).toBe('auth.required');
    expect(await code(raw.call('setup.status', {}))).toBe('auth.required');
  });
});
