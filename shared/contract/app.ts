import { z } from 'zod';

export const LANGS = ['kk', 'ru'] as const;
export type Lang = (typeof LANGS)[number];

export interface AppInfo {
  name: string;
  version: string;
  host: 'electron' | 'web' | 'cli';
  versions: Record<string, string>;
  dataDir: string;
  databaseFile: string;
  schemaVersion: number;
  installationId: string;
}

export interface DbInfo {
  path: string;
  schemaVersion: number;
  latestSchemaVersion: number;
  sizeBytes: number;
  walBytes: number;
  pageSize: number;
  pageCount: number;
  tables: { name: string; rows: number }[];
  installationId: string;
}

export interface DbCheck {
  ok: boolean;
  integrity: string[];
  foreignKeyViolations: number;
}

export interface Settings {
  language: Lang;
  commissionName: string;
  authorityName: string;
}

export const appSchemas = {
  'app.info': z.object({}).strict(),
  'db.info': z.object({}).strict(),
  'db.check': z.object({}).strict(),
  'settings.get': z.object({}).strict(),
  'settings.update': z
    .object({
      language: z.enum(LANGS).optional(),
      commissionName: z.string().max(300).optional(),
      authorityName: z.string().max(300).optional(),
    })
    .strict(),
};

export interface AppMethods {
  'app.info': { args: Record<string, never>; result: AppInfo };
  'db.info': { args: Record<string, never>; result: DbInfo };
  'db.check': { args: Record<string, never>; result: DbCheck };
  'settings.get': { args: Record<string, never>; result: Settings };
  'settings.update': { args: z.infer<(typeof appSchemas)['settings.update']>; result: Settings };
}
