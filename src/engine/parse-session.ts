// Reads one input from its stored position to its end and turns it into batches (rows, read position, parser
// state, diagnostics, content hashes). It never touches the database, so it runs alike inline and in a worker.
import type { ReceivedRows } from '../aggregate/packed-rows.js';
import { ReportRowBuffer, type ReportPeriod, type ReportRow } from '../aggregate/report-rows.js';
import { BATCH_BYTES, UsageAggregator, type UsageRow } from '../aggregate/usage.js';
import { DiagnosticCounter, type DiagnosticEntry } from '../aggregate/diagnostics.js';
import type { FormatDef, LineParser, ParseEngines } from '../formats/types.js';
import { lineInto } from '../sources/line-splitter.js';
import type { ScanInput } from '../sources/plain-input.js';
import type { PendingDelta, PendingScope } from '../store/pending-sessions.js';
import type { SignInDelta, SignInLedger } from '../store/signin-ledger.js';
import type { ContentMark, FileRecord } from '../store/store.js';
import { ContentTracker } from './content-tracker.js';
import { openAfterTail } from './open-after-tail.js';
import { pathHints, type ServerNaming } from './path-hints.js';
import { openParser, type SessionLines } from './session-parser.js';

export interface SessionLimits {
  readonly fieldMap: Readonly<Record<string, string>>;
  /** Server names for files whose path and lines name none (see path-hints.ts). */
  readonly naming: ServerNaming;
  readonly reportPeriod?: ReportPeriod;
  /** --tenant: the name Entra ID sign-ins are stored under. */
  readonly tenant?: string;
  /** Scan start (ms) and how long before it a file must be untouched for its unfinished last line to count. */
  readonly nowMs: number;
  readonly settleMs: number;
  readonly flushRows: number;
  readonly flushLines: number;
}

/** What one commit needs: everything since the previous batch of the same input. */
export interface Batch {
  readonly rows: UsageRow[];
  /** Rows as a parse worker sends them (then `rows` is empty). */
  readonly packed?: ReceivedRows;
  readonly reports: ReportRow[];
  readonly pending?: PendingDelta;
  /** Entra ID sign-in ids counted in this batch. */
  readonly signIns?: SignInDelta;
  readonly consumed: number;
  readonly lines: number;
  /** Bytes held back after `consumed` (an unfinished last line). */
  readonly held: number;
  /** Since the session started: records counted and lines found bad. */
  readonly records: number;
  readonly badLines: number;
  readonly tlsFields: boolean;
  readonly state: unknown;
  readonly diagnostics: DiagnosticEntry[];
  readonly tailHash: string | null;
  readonly marks: ContentMark[];
  /** The session's last batch. */
  readonly last: boolean;
  /** Read to the end without error, and the end counts (compressed, or old enough). */
  readonly complete: boolean;
}

/**
 * The line splitter's handler for one session: hands each line to the parser and flushes when a batch is full.
 * Classes, not closures, so that every session calls the same functions: a fresh closure per file made V8 throw
 * away the optimized line loop at each new file.
 */
class BatchLines implements SessionLines {
  sinceFlush = 0;

  constructor(
    private readonly parser: LineParser,
    private readonly diags: DiagnosticCounter,
    /** Flushes if the rows gathered reach the limit. */
    private readonly checkRows: () => void,
    private readonly flushLines: number,
    private readonly flush: () => void,
    /** How many rows the aggregator may hold before a batch is due. */
    private readonly rowRoom: () => number,
  ) {}

  line(text: string, lineNo: number): void {
    this.parser.line(text, lineNo);
    if (++this.sinceFlush >= this.flushLines) this.flush();
    else this.checkRows();
  }

  lineIn(text: string, start: number, end: number, lineNo: number): void {
    lineInto(this.parser, text, start, end, lineNo);
    if (++this.sinceFlush >= this.flushLines) this.flush();
    else this.checkRows();
  }

  tooLong(lineNo: number, bytes: number): void {
    this.diags.add('line_too_long', lineNo, `line of ${bytes} bytes skipped`);
  }

  maxLines(): number {
    return this.flushLines - this.sinceFlush;
  }

  maxRows(): number {
    return this.rowRoom();
  }

  afterChunk(lines: number): void {
    this.sinceFlush += lines;
    if (this.sinceFlush >= this.flushLines) this.flush();
    else this.checkRows();
  }
}

export async function runSession(
  input: ScanInput,
  format: FormatDef,
  record: FileRecord,
  limits: SessionLimits,
  emit: (batch: Batch) => void,
  /** May return a promise: the session reads on once it settles (a worker waiting for the main thread to catch up). */
  tick: (consumed: number, lines: number) => void | Promise<void> = () => undefined,
  pending?: PendingScope,
  signIns?: SignInLedger,
  /** The thread's engines (chunk-level parsers); without them a format's parser reads text lines only. */
  engines?: ParseEngines,
): Promise<void> {
  const agg = new UsageAggregator();
  const diags = new DiagnosticCounter(input.path);
  const reports = new ReportRowBuffer();
  const ctx = {
    file: input.path, hints: pathHints(input.path, input.folders, limits.naming), fieldMap: limits.fieldMap, agg, diags,
    reportPeriod: limits.reportPeriod, mtimeMs: input.mtimeMs, reports, pending, signIns, tenant: limits.tenant,
  };
  let tracker = new ContentTracker(record.consumed, Buffer.alloc(0));
  let complete = false;
  const flush = (last: boolean): void => {
    lines.sinceFlush = 0;
    parser.flush?.(); // lines a parser held back become rows before the batch that covers them
    emit({
      rows: agg.drain(),
      reports: reports.drain(),
      pending: pending?.drain(),
      signIns: signIns?.drain(),
      consumed: splitter.consumed,
      lines: splitter.lineNo,
      held: splitter.pending,
      records: parser.records,
      badLines: diags.total,
      tlsFields: record.tlsFields || parser.tlsFields,
      state: parser.saveState(),
      diagnostics: diags.drain(),
      tailHash: splitter.consumed === record.consumed ? record.tailHash : tracker.tailHash(splitter.consumed),
      marks: tracker.takeMarks(splitter.consumed),
      last,
      complete: last && complete,
    });
  };
  const checkRows = (): void => {
    if (agg.size + reports.size + (signIns?.size ?? 0) >= limits.flushRows || agg.bytes >= BATCH_BYTES) flush(false);
  };
  const rowRoom = (): number => (agg.bytes >= BATCH_BYTES ? 0 : limits.flushRows - reports.size);
  const batchLines = (p: LineParser): BatchLines =>
    new BatchLines(p, diags, checkRows, limits.flushLines, () => flush(false), rowRoom);
  const { parser, splitter, lines } = openParser(format, ctx, record.state, batchLines, engines, record.consumed, record.lines);
  try {
    const opened = await openAfterTail(input, record);
    if (opened === null) {
      diags.add('read_error', record.lines + 1, 'the file changed while it was being read; it is read again next time');
    } else {
      tracker = new ContentTracker(record.consumed, opened.before);
      for await (const chunk of opened.stream) {
        tracker.push(chunk);
        splitter.push(chunk);
        tracker.settle(splitter.consumed);
        const wait = tick(splitter.consumed, splitter.lineNo);
        if (wait !== undefined) await wait;
      }
      const finished = input.compressed || limits.nowMs - input.mtimeMs > limits.settleMs;
      splitter.end(finished);
      parser.end?.(new Date(limits.nowMs));
      complete = finished;
    }
  } catch (err) {
    diags.add('read_error', splitter.lineNo + 1, `read stopped: ${(err as Error).message}`);
  }
  flush(true);
}
