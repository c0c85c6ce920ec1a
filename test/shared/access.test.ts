/** Every method of the contract has an access level; an unclassified one is never public. */
import { describe, expect, it } from 'vitest';
import { argSchemas } from '../../shared/contract';
import { accessOf, AUDITED, auditActionOf, AUDIT_ACTIONS, isAuthMethod, METHOD_ACCESS, roleAllows } from '../../shared/contract/access';

describe('access map', () => {
  it('classifies every method of the contract (auth.* are always reachable)', () => {
    const missing = Object.keys(argSchemas).filter((m) => !isAuthMethod(m) && !(m in METHOD_ACCESS));
    // A new area's methods go into METHOD_ACCESS (and AUDITED when they read a patient or change anything).
    expect(missing).toEqual([]);
    for (const m of Object.keys(METHOD_ACCESS)) expect(argSchemas, `${m} is not a method`).toHaveProperty([m]);
  });

  it('an unclassified method needs a secretary and is audited as a call', () => {
    expect(accessOf('orgs.somethingNew')).toBe('secretary');
    expect(auditActionOf('orgs.somethingNew')).toBe('call');
    expect(roleAllows('viewer', accessOf('orgs.somethingNew'))).toBe(false);
  });

  it('every audited action is a known action; public methods change nothing and read no patient', () => {
    for (const a of Object.values(AUDITED)) expect(AUDIT_ACTIONS).toContain(a);
    for (const [m, level] of Object.entries(METHOD_ACCESS)) if (level === 'public') expect(AUDITED, m).not.toHaveProperty([m]);
  });
});
