/**
 * The scoring area's API methods: scoring sheets of technologies (order ҚР ДСМ-134/2020, rules
 * point 2 and the appendix) and the criteria of leaving the HTMP list (rules points 3-4).
 *
 * Totals, means and criteria results are never stored: every result below is recomputed from the
 * stored levels and inputs by the pure rules of shared/domain, so a changed rule or a changed zone
 * grouping shows at once everywhere.
 */
import { z } from 'zod';
import { lazySchemas } from './lazy';
import type { CriterionId, Level, ScoreSheet, Sensitivity, SheetsMean } from '../domain/scoring';
import type { TransferInput, TransferResult } from '../domain/transfer';
import type { ZoneConfig } from '../domain/regions';
import type { AppError } from '../result';

const level = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

/** Innovation by level, or by years of use in the world (the band is derived). */
const innovationChoice = z.union([
  z.object({ level }).strict(),
  z.object({ years: z.number().min(0).max(1000) }).strict(),
]);

const scoreArgs = z
  .object({
    innovation: innovationChoice,
    resource: level,
    uniqueness: level,
    complexity: level,
  })
  .strict();

const rationale = z
  .object({
    innovation: z.string().max(4000).default(''),
    resource: z.string().max(4000).default(''),
    uniqueness: z.string().max(4000).default(''),
    complexity: z.string().max(4000).default(''),
  })
  .strict();

/** Tariffs and counts: numbers here; the domain rules check they are whole and non-negative. */
const transferInput = z
  .object({
    code: z.string().max(40),
    year: z.number(),
    regions: z
      .array(z.object({ region: z.string(), regionalCases: z.number(), republicanCases: z.number() }).strict())
      .max(40),
    tariff: z.number(),
    listTariffs: z.array(z.number()).max(5000),
    casesPerYear: z.number(),
    population: z.number(),
    lethalOrComplicated: z.number(),
  })
  .strict();

export const scoringSchemas = lazySchemas(['scoring', 'transfer'], () => ({
  'scoring.list': z.object({ technologyKey: z.string().max(300).optional() }).strict(),
  'scoring.get': z.object({ id: z.string().min(1).max(100) }).strict(),
  'scoring.save': z
    .object({
      /** Absent: a new sheet. */
      id: z.string().min(1).max(100).optional(),
      /** An HTMP code, or (without a code) the name of a new technology proposed for the list. */
      technology: z.object({ code: z.string().max(40).optional(), name: z.string().max(1000).optional() }).strict(),
      scores: scoreArgs,
      rationale: rationale.default({ innovation: '', resource: '', uniqueness: '', complexity: '' }),
      evaluator: z.string().max(300),
      date: isoDate,
    })
    .strict(),
  'scoring.delete': z.object({ id: z.string().min(1).max(100) }).strict(),
  'scoring.evaluate': scoreArgs,
  'scoring.summary': z.object({}).strict(),
  'transfer.regions': z.object({}).strict(),
  'transfer.setZones': z
    .object({
      /** The new grouping; absent with `reset: true` to go back to the shipped default. */
      regions: z.array(z.object({ id: z.string(), zone: z.string() }).strict()).max(40).optional(),
      reset: z.boolean().optional(),
    })
    .strict(),
  'transfer.saveInputs': transferInput,
  'transfer.list': z.object({ code: z.string().max(40).optional(), year: z.number().int().optional() }).strict(),
  'transfer.get': z.object({ code: z.string().max(40), year: z.number().int() }).strict(),
  'transfer.deleteInputs': z.object({ id: z.string().min(1).max(100) }).strict(),
  'transfer.evaluate': transferInput,
  'transfer.report': z.object({ year: z.number().int().optional() }).strict(),
  'transfer.importCsv': z.object({ text: z.string().max(20_000_000), dryRun: z.boolean().optional() }).strict(),
}));

export type ScoreArgs = z.infer<(typeof scoringSchemas)['scoring.evaluate']>;
export type SaveSheetArgs = z.input<(typeof scoringSchemas)['scoring.save']>;

/** A live score: the sheet of the rules and the smallest change that would flip its verdict. */
export interface ScoreView {
  sheet: ScoreSheet;
  sensitivity: Sensitivity | null;
}

/** The technology a sheet scores: `key` groups sheets ("code:35.21" or "new:<normalized name>"). */
export interface TechnologyRef {
  key: string;
  code: string | null;
  name: string;
}

export interface ScoringSheetView extends ScoreView {
  id: string;
  technology: TechnologyRef;
  /** What was entered: innovation by level or by years. */
  scores: { innovation: { level: Level } | { years: number }; resource: Level; uniqueness: Level; complexity: Level };
  rationale: Record<CriterionId, string>;
  evaluator: string;
  date: string;
  createdAt: string;
  updatedAt: string;
}

export interface TechnologySummary {
  technology: TechnologyRef;
  sheets: ScoringSheetView[];
  mean: SheetsMean;
}

/** The region-to-zone grouping in force: the shipped default or the commission's edit. */
export type ZoneConfigView = ZoneConfig & { updatedAt: string | null };

/** Stored inputs of one technology and year, with the criteria recomputed now. */
export interface TransferRecord {
  id: string;
  input: TransferInput;
  /** Null when the stored inputs no longer pass the rules (e.g. a region moved out of config). */
  result: TransferResult | null;
  error: AppError | null;
  updatedAt: string;
}

export interface TransferReportRow {
  id: string;
  code: string;
  year: number;
  met: { transfer: boolean; cost: boolean; rarity: boolean; outcomes: boolean };
  metCount: number;
  leavesList: boolean;
}

export interface TransferReport {
  /** Year asked for, or null: the latest year with data of each technology. */
  year: number | null;
  rows: TransferReportRow[];
  meetsAll: number;
  meetsThree: number;
  fewer: number;
  invalid: { code: string; year: number; error: AppError }[];
}

/** One refused CSV row: 1-based line number in the file (the header is line 1). */
export interface CsvRowError {
  row: number;
  column?: string;
  error: AppError;
}

export interface CsvImportResult {
  /** Rows written (0 when any row was refused: the import is all-or-nothing). */
  imported: number;
  rows: number;
  errors: CsvRowError[];
  dryRun: boolean;
}

export interface ScoringMethods {
  'scoring.list': { args: z.infer<(typeof scoringSchemas)['scoring.list']>; result: ScoringSheetView[] };
  'scoring.get': { args: z.infer<(typeof scoringSchemas)['scoring.get']>; result: ScoringSheetView };
  'scoring.save': { args: SaveSheetArgs; result: ScoringSheetView };
  'scoring.delete': { args: z.infer<(typeof scoringSchemas)['scoring.delete']>; result: { deleted: boolean } };
  'scoring.evaluate': { args: ScoreArgs; result: ScoreView };
  'scoring.summary': { args: Record<string, never>; result: TechnologySummary[] };
  'transfer.regions': { args: Record<string, never>; result: ZoneConfigView };
  'transfer.setZones': { args: z.infer<(typeof scoringSchemas)['transfer.setZones']>; result: ZoneConfigView };
  'transfer.saveInputs': { args: TransferInput; result: TransferRecord };
  'transfer.list': { args: z.infer<(typeof scoringSchemas)['transfer.list']>; result: TransferRecord[] };
  'transfer.get': { args: z.infer<(typeof scoringSchemas)['transfer.get']>; result: TransferRecord | null };
  'transfer.deleteInputs': { args: z.infer<(typeof scoringSchemas)['transfer.deleteInputs']>; result: { deleted: boolean } };
  'transfer.evaluate': { args: TransferInput; result: TransferResult };
  'transfer.report': { args: z.infer<(typeof scoringSchemas)['transfer.report']>; result: TransferReport };
  'transfer.importCsv': { args: z.infer<(typeof scoringSchemas)['transfer.importCsv']>; result: CsvImportResult };
}
