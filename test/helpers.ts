// Test helpers: run a format over bytes fed in chunks of a given size, make temporary folders, and store usage rows
// given as `usage` columns the way scans store them.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageAggregator, type UsageRow } from '../src/aggregate/usage.js';
import { dimsOfColumns } from '../src/aggregate/usage-dims.js';
import type { UsageTableRow } from '../src/export/ecs.js';
import { DiagnosticCounter, type DiagnosticEntry } from '../src/aggregate/diagnostics.js';
import { DEFAULT_FIELD_MAP, iisW3cFormat } from '../src/formats/iis-w3c.js';
import type { FormatDef, LineParser, ParseContext, PathHints } from '../src/formats/types.js';
import { openParser, ThreadEngines, type SessionLines, type SessionParser } from '../src/engine/session-parser.js';
import { lineInto } from '../src/sources/line-splitter.js';
import type { Db } from '../src/store/open-database.js';
import { Store } from '../src/store/store.js';

export const fixture = (name: string): string => join(import.meta.dirname, 'fixtures', name);
export const readFixture = (name: string): Buffer => readFileSync(fixture(name));

export function tempDir(prefix = 'tls-census-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface Parsed {
  rows: UsageRow[];
  diagnostics: DiagnosticEntry[];
  badLines: number;
  records: number;
  consumed: number;
  lines: number;
}

export const NO_HINTS: PathHints = { server: 'HOST', serverOrigin: 'folder', site: null, folders: ['HOST'] };

/** The engines the parsers of this test thread share, as a parse worker's parsers do. */
export const TEST_ENGINES = new ThreadEngines();

/** The splitter's handler as a session's, without batch limits (nothing flushes). */
class UnlimitedLines implements SessionLines {
  constructor(
    private readonly parser: LineParser,
    private readonly diags: DiagnosticCounter,
  ) {}

  line(text: string, lineNo: number): void {
    this.parser.line(text, lineNo);
  }

  /** As a scan's handler does: lines read where they lie in the region, for a parser that can. */
  lineIn(text: string, start: number, end: number, lineNo: number): void {
    lineInto(this.parser, text, start, end, lineNo);
  }

  tooLong(lineNo: number, bytes: number): void {
    this.diags.add('line_too_long', lineNo, `${bytes} bytes`);
  }

  maxLines(): number {
    return Number.MAX_SAFE_INTEGER;
  }

  maxRows(): number {
    return Number.MAX_SAFE_INTEGER;
  }

  afterChunk(): void {}
}

/**
 * `format`'s parser and its splitter as the engine wires them (src/engine/session-parser.ts), without batch
 * limits: the format's chunk-level parser when it has one, unless `textOnly`.
 */
export function openTestParser(format: FormatDef, ctx: ParseContext, textOnly = false, state: unknown = null): SessionParser<SessionLines> {
  return openParser(format, ctx, state, (p) => new UnlimitedLines(p, ctx.diags), textOnly ? undefined : TEST_ENGINES);
}

/** A parser saved and resumed from its JSON state every `every` lines, as a scan resumes a file at each commit. */
class ResumingParser implements LineParser {
  private parser: LineParser;
  private before = 0; // records of the parsers before this one
  private tls = false;
  private since = 0;

  constructor(
    private readonly format: FormatDef,
    private readonly ctx: ParseContext,
    state: unknown,
    private readonly every: number,
  ) {
    this.parser = format.create(ctx, state);
  }

  get records(): number {
    return this.before + this.parser.records;
  }

  get tlsFields(): boolean {
    return this.tls || this.parser.tlsFields;
  }

  line(text: string, lineNo: number): void {
    this.parser.line(text, lineNo);
    if (++this.since < this.every) return;
    this.since = 0;
    this.before += this.parser.records;
    this.tls ||= this.parser.tlsFields;
    this.parser = this.format.create(this.ctx, JSON.parse(JSON.stringify(this.parser.saveState())));
  }

  saveState(): unknown {
    return this.parser.saveState();
  }

  flush(): void {
    this.parser.flush?.();
  }

  end(now: Date): void {
    this.parser.end?.(now);
  }
}

export interface FeedOptions {
  /** Bytes per pushed chunk (0: all at once). */
  readonly chunk?: number;
  /** The input is finished: an unterminated last line counts (default true). */
  readonly final?: boolean;
  readonly textOnly?: boolean;
  /** A state saved by an earlier run. */
  readonly state?: unknown;
  /** A new parser from the saved state every this many lines (0: never). */
  readonly resumeEvery?: number;
}

/**
 * The one harness the format tests share: `format` wired as the engine wires it, fed `bytes` in chunks, read to the
 * end and flushed as before a commit. `ctx` is the parse context (its aggregator and counter hold the results).
 */
export function feed(format: FormatDef, ctx: ParseContext, bytes: Buffer, opts: FeedOptions = {}): SessionParser<SessionLines> {
  const every = opts.resumeEvery ?? 0;
  const wired = every > 0
    ? { name: format.name, sniff: format.sniff, create: (c: ParseContext, st: unknown) => new ResumingParser(format, c, st, every) }
    : format;
  const session = openTestParser(wired, ctx, opts.textOnly, opts.state ?? null);
  const step = opts.chunk && opts.chunk > 0 ? opts.chunk : bytes.length || 1;
  for (let i = 0; i < bytes.length; i += step) session.splitter.push(bytes.subarray(i, i + step));
  session.splitter.end(opts.final ?? true);
  session.parser.flush?.(); // as the engine does before every commit
  return session;
}

/** Feeds `bytes` to the splitter in `chunk`-byte pieces (0 = all at once) and parses with `format`. */
export function parseBytes(
  bytes: Buffer,
  chunk = 0,
  opts: { final?: boolean; format?: FormatDef; fieldMap?: Record<string, string>; hints?: PathHints; textOnly?: boolean } = {},
): Parsed {
  const agg = new UsageAggregator();
  const diags = new DiagnosticCounter('test');
  const ctx = { file: 'test', hints: opts.hints ?? NO_HINTS, fieldMap: opts.fieldMap ?? DEFAULT_FIELD_MAP, agg, diags };
  const { parser, splitter } = feed(opts.format ?? iisW3cFormat, ctx, bytes, { chunk, final: opts.final, textOnly: opts.textOnly });
  const rows = agg.drain().sort((a, b) => JSON.stringify(a.dims).localeCompare(JSON.stringify(b.dims)));
  return {
    rows,
    diagnostics: diags.drain(),
    badLines: diags.total,
    records: parser.records,
    consumed: splitter.consumed,
    lines: splitter.lineNo,
  };
}

export const totalHits = (rows: readonly UsageRow[]): number => rows.reduce((s, r) => s + r.hits, 0);

/** A row of view `usage` as a test writes it: key columns left out are NULL, counters left out 0. */
export type UsageColumns = Partial<UsageTableRow> &
  Pick<UsageTableRow, 'day' | 'source' | 'protocol' | 'hits' | 'first_seen' | 'last_seen'>;

/** Stores the rows through Store.writeRows in one transaction, as a scan does: rows with the same key add up. */
export function writeUsage(db: Db, rows: readonly UsageColumns[]): void {
  const store = new Store(db);
  db.transaction(() => store.writeRows(usageRowsOf(rows)))();
}

/** Usage rows (as an aggregator hands them on) of rows given by their view columns. */
export function usageRowsOf(rows: readonly UsageColumns[]): UsageRow[] {
  return rows.map((r): UsageRow => ({
    dims: dimsOfColumns(r),
    hits: r.hits, authFailures: r.auth_failures ?? 0, errors: r.errors ?? 0, estimated: r.estimated === 1 ? 1 : 0,
    firstSeen: r.first_seen, lastSeen: r.last_seen,
  }));
}
