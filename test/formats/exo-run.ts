// Test helper: runs an Exchange Online report format over bytes (in chunks) and returns its report rows.
// Wired by test/helpers.ts's feed; resuming is exercised by handing saveState() to a new parser every `resumeEvery`
// lines, as the engine does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReportRowBuffer, type ReportPeriod, type ReportRow } from '../../src/aggregate/report-rows.js';
import { UsageAggregator } from '../../src/aggregate/usage.js';
import { DiagnosticCounter, type DiagnosticEntry } from '../../src/aggregate/diagnostics.js';
import type { FormatDef } from '../../src/formats/types.js';
import { feed } from '../helpers.js';

export const exoFixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'exo', name));

export interface RunOptions {
  readonly file?: string;
  readonly mtimeMs?: number;
  readonly period?: ReportPeriod;
  readonly chunk?: number;
  /** Start a new parser from the saved state every this many lines (0: never). */
  readonly resumeEvery?: number;
}

export interface ReportRun {
  readonly rows: ReportRow[];
  readonly diagnostics: DiagnosticEntry[];
  readonly records: number;
  readonly usageRows: number;
}

export function runReport(format: FormatDef, bytes: Buffer, opts: RunOptions = {}): ReportRun {
  const agg = new UsageAggregator();
  const diags = new DiagnosticCounter(opts.file ?? 'report.csv');
  const reports = new ReportRowBuffer();
  const ctx = {
    file: opts.file ?? 'report.csv',
    hints: { server: null, serverOrigin: null, site: null, folders: [] },
    fieldMap: {},
    agg,
    diags,
    reportPeriod: opts.period,
    mtimeMs: opts.mtimeMs ?? Date.UTC(2024, 2, 12, 9, 30),
    reports,
  };
  const { parser } = feed(format, ctx, bytes, { chunk: opts.chunk, resumeEvery: opts.resumeEvery });
  parser.end?.(new Date()); // as the engine does once the input is read
  return { rows: reports.drain(), diagnostics: diags.drain(), records: parser.records, usageRows: agg.size };
}

/** Rows as plain data, for comparisons across chunkings. */
export const plain = (rows: readonly ReportRow[]): unknown => JSON.parse(JSON.stringify(rows));
