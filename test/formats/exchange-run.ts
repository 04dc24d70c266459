// Test helper: runs an Exchange or HTTP.sys format over bytes as the engine does (test/helpers.ts's feed: chunks, end of read,
// a saved state handed to a new parser every `resumeEvery` lines, held lines flushed as before a commit, pending
// sessions shared between runs).
import { pathHints } from '../../src/engine/path-hints.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageAggregator, type UsageRow } from '../../src/aggregate/usage.js';
import { DiagnosticCounter, type DiagnosticEntry } from '../../src/aggregate/diagnostics.js';
import { memoryPending } from '../../src/formats/exchange-session.js';
import type { FormatDef, PendingSessions } from '../../src/formats/types.js';
import { feed } from '../helpers.js';

export const exchangeFixture = (name: string): Buffer =>
  readFileSync(join(import.meta.dirname, '..', 'fixtures', name));

export interface RunOptions {
  readonly folders?: readonly string[];
  readonly chunk?: number;
  /** A new parser from the saved state every this many lines (0: never). */
  readonly resumeEvery?: number;
  /** The scan's clock for end(); default: long after any fixture, so every open session is idle. */
  readonly now?: Date;
  /** Shared between runs to model files of one folder or successive scans. */
  readonly pending?: PendingSessions;
  /** Call end() after the last line (default true), then sweepPending() as a scan does after its reads. */
  readonly end?: boolean;
  /** A state saved by an earlier run of the same file. */
  readonly state?: unknown;
}

export interface Run {
  readonly rows: UsageRow[];
  readonly diagnostics: DiagnosticEntry[];
  readonly records: number;
  readonly tlsFields: boolean;
  readonly state: unknown;
}

export const LATER = new Date('2030-01-01T00:00:00Z');

export function runFormat(format: FormatDef, bytes: Buffer | string, opts: RunOptions = {}): Run {
  const agg = new UsageAggregator();
  const diags = new DiagnosticCounter('test');
  const pending = opts.pending ?? memoryPending();
  const folders = opts.folders ?? ['EXCH01'];
  const ctx = { file: 'test', hints: pathHints('test', folders, { serverName: null, hostName: 'HOST' }), fieldMap: {}, agg, diags, pending };
  const buf = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  const { parser } = feed(format, ctx, buf, { chunk: opts.chunk, resumeEvery: opts.resumeEvery, state: opts.state ?? null });
  if (opts.end ?? true) {
    parser.end?.(opts.now ?? LATER);
    parser.sweepPending?.(opts.now ?? LATER); // this read is a scan of its own
  }
  const rows = agg.drain().sort((a, b) => JSON.stringify(a.dims).localeCompare(JSON.stringify(b.dims)));
  return {
    rows,
    diagnostics: diags.drain(),
    records: parser.records,
    tlsFields: parser.tlsFields,
    state: JSON.parse(JSON.stringify(parser.saveState())),
  };
}

export const hits = (rows: readonly UsageRow[]): number => rows.reduce((s, r) => s + r.hits, 0);

/** Diagnostic codes with their counts, sorted: `{ duplicate_line: 2 }`. */
export function diagCounts(d: readonly DiagnosticEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of [...d].sort((a, b) => a.code.localeCompare(b.code))) out[e.code] = e.count;
  return out;
}
