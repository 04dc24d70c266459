// Test helper: runs an Exchange Online report format over bytes (in chunks) and returns its report rows.
// Resuming is exercised by handing saveState() to a new parser every `resumeEvery` lines, as the engine does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReportRowBuffer, type ReportPeriod, type ReportRow } from '../../src/aggregate/report-rows.js';
import { UsageAggregator } from '../../src/aggregate/usage.js';
import { DiagnosticCounter, type DiagnosticEntry } from '../../src/aggregate/diagnostics.js';
import type { FormatDef, LineParser } from '../../src/formats/types.js';
import { LineSplitter } from '../../src/sources/line-splitter.js';

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
  const make = (state: unknown): LineParser =>
    format.create(
      {
        file: opts.file ?? 'report.csv',
        hints: { server: null, serverOrigin: null, site: null, folders: [] },
        fieldMap: {},
        agg,
        diags,
        reportPeriod: opts.period,
        mtimeMs: opts.mtimeMs ?? Date.UTC(2024, 2, 12, 9, 30),
        reports,
      },
      state,
    );
  let parser = make(null);
  let records = 0;
  let sinceResume = 0;
  const splitter = new LineSplitter({
    line: (text, n) => {
      parser.line(text, n);
      if (opts.resumeEvery && ++sinceResume >= opts.resumeEvery) {
        sinceResume = 0;
        records += parser.records;
        parser = make(JSON.parse(JSON.stringify(parser.saveState())));
      }
    },
    tooLong: (n, b) => diags.add('line_too_long', n, `${b} bytes`),
  });
  const step = opts.chunk && opts.chunk > 0 ? opts.chunk : bytes.length || 1;
  for (let i = 0; i < bytes.length; i += step) splitter.push(bytes.subarray(i, i + step));
  splitter.end(true);
  return { rows: reports.drain(), diagnostics: diags.drain(), records: records + parser.records, usageRows: agg.size };
}

/** Rows as plain data, for comparisons across chunkings. */
export const plain = (rows: readonly ReportRow[]): unknown => JSON.parse(JSON.stringify(rows));
