// Reads one identified input from its stored position to its end, committing rows with the file's new position,
// tail hash, content marks and parser state in one transaction per batch. It does not decide what the input is.
import { ReportRowBuffer } from '../aggregate/report-rows.js';
import { UsageAggregator } from '../aggregate/usage.js';
import { DiagnosticCounter } from '../formats/diagnostics.js';
import type { FormatDef } from '../formats/types.js';
import type { ScanInput } from '../sources/inputs.js';
import { LineSplitter } from '../sources/line-splitter.js';
import { pendingTable } from '../store/pending-sessions.js';
import { FINGERPRINT_BYTES, fingerprintOf, type FileRecord, type Store } from '../store/store.js';
import { ContentTracker } from './content-tracker.js';
import { openAfterTail } from './identify.js';
import { pathHints } from './path-hints.js';
import type { ScanOptions, ScanStats } from './scan.js';

export interface ReadContext {
  readonly store: Store;
  readonly opts: ScanOptions;
  readonly stats: ScanStats;
  readonly now: string;
  /** Reports the bytes and lines read so far from this input. */
  readonly tick: (bytes: number, lines: number) => void;
}

export interface ReadTarget {
  readonly input: ScanInput;
  readonly format: FormatDef;
  readonly record: FileRecord;
  /** The input's first FINGERPRINT_BYTES (fewer if shorter). */
  readonly head: Buffer;
  /** The packed identity to remember once the input has been read to its end. */
  readonly container: string | null;
}

export async function readInput(ctx: ReadContext, target: ReadTarget): Promise<void> {
  const { store, opts, stats, now } = ctx;
  const { input, record, head } = target;
  const agg = new UsageAggregator();
  const diags = new DiagnosticCounter(input.path, opts.onDiagnostic);
  const reports = new ReportRowBuffer();
  const pending = pendingTable(store).scope(target.format.name);
  const parser = target.format.create(
    { file: input.path, hints: pathHints(input.folders), fieldMap: opts.fieldMap, agg, diags,
      reportPeriod: opts.reportPeriod, mtimeMs: input.mtimeMs, reports, pending },
    record.state,
  );
  let sinceFlush = 0;
  let tracker = new ContentTracker(record.consumed, Buffer.alloc(0));
  const splitter = new LineSplitter(
    {
      line(text, lineNo) {
        parser.line(text, lineNo);
        if (++sinceFlush >= opts.flushLines || agg.size + reports.size >= opts.flushRows) flush(false);
      },
      tooLong(lineNo, bytes) {
        diags.add('line_too_long', lineNo, `line of ${bytes} bytes skipped`);
      },
    },
    record.consumed,
    record.lines,
  );
  const fpBytes = Math.min(FINGERPRINT_BYTES, head.length);
  let reprint = fpBytes > record.fpBytes ? { hash: fingerprintOf(head, fpBytes), bytes: fpBytes } : undefined;
  let committedBytes = record.consumed;
  let committedLines = record.lines;
  let committedBad = 0;
  let committedRecords = 0;
  let complete = false; // read to the end without error: the packed identity may be remembered
  const flush = (last: boolean): void => {
    sinceFlush = 0;
    const newLines = splitter.lineNo > record.lines || diags.total > 0;
    store.commit(
      agg.drain(),
      {
        fileId: record.id,
        path: input.path,
        bytes: input.size ?? splitter.consumed + splitter.pending,
        consumed: splitter.consumed,
        lines: splitter.lineNo,
        records: record.records + parser.records,
        badLines: record.badLines + diags.total,
        tlsFields: record.tlsFields || parser.tlsFields,
        state: parser.saveState(),
        diagnostics: diags.drain(),
        fingerprint: reprint,
        tailHash: splitter.consumed === record.consumed ? record.tailHash : tracker.tailHash(splitter.consumed),
        marks: tracker.takeMarks(splitter.consumed),
        container: last && complete && target.container !== null ? target.container : undefined,
        pending: pending.drain(),
        run: opts.scanId === undefined ? undefined : {
          scanId: opts.scanId,
          files: last && newLines ? 1 : 0,
          bytes: splitter.consumed - committedBytes,
          lines: splitter.lineNo - committedLines,
          badLines: diags.total - committedBad,
          records: parser.records - committedRecords,
        },
      },
      now,
      reports.drain(),
    );
    reprint = undefined;
    stats.bytes += splitter.consumed - committedBytes;
    stats.lines += splitter.lineNo - committedLines;
    stats.badLines += diags.total - committedBad;
    stats.records += parser.records - committedRecords;
    committedBytes = splitter.consumed;
    committedLines = splitter.lineNo;
    committedBad = diags.total;
    committedRecords = parser.records;
  };
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
        ctx.tick(splitter.consumed - committedBytes, splitter.lineNo - committedLines);
      }
      const finished = input.compressed || opts.now.getTime() - input.mtimeMs > opts.settleMs;
      splitter.end(finished);
      parser.end?.(opts.now);
      if (!finished && splitter.pending > 0) stats.heldBack++;
      complete = finished;
    }
  } catch (err) {
    diags.add('read_error', splitter.lineNo + 1, `read stopped: ${(err as Error).message}`);
  }
  const newLines = splitter.lineNo > record.lines || diags.total > 0;
  flush(true);
  if (newLines) stats.filesRead++;
  else stats.filesUnchanged++;
}
