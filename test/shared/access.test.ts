/** Every method of the contract has an access level; an unclassified one is never public. */
import { describe, expect, it } from 'vitest';
import { argSchemas } from '../../shared/contract';
import { accessOf, AUDITED, auditActionOf, AUDIT_ACTIONS, isAuthMethod, LOCAL_ONLY_ARGS, localOnlyArgOf, METHOD_ACCESS, roleAllows } from '../../shared/contract/access';
import type { z } from 'zod';

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

  it('every argument that names a path on disk is local-only (the page never names a path)', () => {
    const PATHISH = /^(file|files?Path|out|dir|path|dataDir)$|(Dir|Path|File)$/;
    // Arguments whose name looks like a path but that carry content.
    const CONTENT = new Set(['protocols.renderCaseFile.caseFile', 'conformity.assessFile.file']);
    const unlisted: string[] = [];
    for (const [m, schema] of Object.entries(argSchemas)) {
      const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
      for (const key of Object.keys(shape)) {
        if (PATHISH.test(key) && !CONTENT.has(`${m}.${key}`) && !(LOCAL_ONLY_ARGS as Record<string, readonly string[]>)[m]?.includes(key)) unlisted.push(`${m}.${key}`);
      }
    }
    expect(unlisted).toEqual([]);
    for (const [m, fields] of Object.entries(LOCAL_ONLY_ARGS)) {
      const shape = (argSchemas[m as keyof typeof argSchemas] as unknown as { shape: Record<string, unknown> }).shape;
      for (const f of fields ?? []) expect(shape, `${m}.${f}`).toHaveProperty([f]);
    }
    expect(localOnlyArgOf('exchange.export', { kind: 'sync', out: '/tmp/x' })).toBe('out');
    expect(localOnlyArgOf('exchange.export', { kind: 'sync' })).toBeNull();
    expect(localOnlyArgOf('cases.list', { file: '/tmp/x' })).toBeNull();
  });
});
