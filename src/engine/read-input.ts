// Commits the batches of one input: rows with the file's new position, tail hash, content marks and parser
// state, one transaction per batch. The batches come from runSession, inline or from a parse worker.
import { pendingTable } from '../store/pending-sessions.js';
import { SignInLedger } from '../store/signin-ledger.js';
import { FINGERPRINT_BYTES, fingerprintOf, type FileRecord, type Store } from '../store/store.js';
import type { FormatDef, ParseEngines } from '../formats/types.js';
import type { ScanInput } from '../sources/inputs.js';
import { runDocumentSession } from './document-session.js';
import { runSession, type Batch, type SessionLimits } from './parse-session.js';
import { localHostName } from './path-hints.js';
import type { ScanOptions, ScanStats } from './scan-options.js';

export interface ReadContext {
  readonly store: Store;
  readonly opts: ScanOptions;
  readonly stats: ScanStats;
  readonly now: string;
  /** Reports the bytes and lines read so far from this input. */
  readonly tick: (bytes: number, lines: number) => void;
  /** The engines this thread's parse sessions share (see session-parser.ts). */
  readonly engines?: ParseEngines;
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

export function sessionLimits(opts: ScanOptions): SessionLimits {
  return {
    fieldMap: opts.fieldMap,
    naming: { serverName: opts.serverName ?? null, hostName: opts.hostName ?? localHostName() },
    reportPeriod: opts.reportPeriod,
    tenant: opts.tenant,
    nowMs: opts.now.getTime(),
    settleMs: opts.settleMs,
    flushRows: opts.flushRows,
    flushLines: opts.flushLines,
  };
}

export interface Committer {
  /** Commits the next batch of the input (batches arrive in order). */
  readonly commit: (batch: Batch) => void;
  /** Progress inside the input: the session is at `consumed`/`lines`; reports what is not committed yet. */
  readonly progress: (consumed: number, lines: number) => void;
}

/** Commits the batches of one input, in order, and keeps the scan's counts. */
export function batchCommitter(ctx: ReadContext, target: ReadTarget): Committer {
  const { store, opts, stats, now } = ctx;
  const { input, record, head } = target;
  const fpBytes = Math.min(FINGERPRINT_BYTES, head.length);
  let reprint = fpBytes > record.fpBytes ? { hash: fingerprintOf(head, fpBytes), bytes: fpBytes } : undefined;
  let done = { bytes: record.consumed, lines: record.lines, bad: 0, records: 0 };
  const reported = new Set<string>();
  const progress = (consumed: number, lines: number): void => ctx.tick(consumed - done.bytes, lines - done.lines);
  const commit = (b: Batch): void => {
    const newLines = b.lines > record.lines || b.badLines > 0;
    store.commit(
      b.rows,
      {
        fileId: record.id,
        path: input.path,
        bytes: input.size ?? b.consumed + b.held,
        consumed: b.consumed,
        lines: b.lines,
        records: record.records + b.records,
        badLines: record.badLines + b.badLines,
        tlsFields: b.tlsFields,
        state: b.state,
        diagnostics: b.diagnostics,
        fingerprint: reprint,
        tailHash: b.tailHash,
        marks: b.marks,
        container: b.complete && target.container !== null ? target.container : undefined,
        pending: b.pending,
        signIns: b.signIns,
        run: opts.scanId === undefined ? undefined : {
          scanId: opts.scanId,
          files: b.last && newLines ? 1 : 0,
          bytes: b.consumed - done.bytes,
          lines: b.lines - done.lines,
          badLines: b.badLines - done.bad,
          records: b.records - done.records,
        },
      },
      now,
      b.reports,
      b.packed,
    );
    reprint = undefined;
    for (const d of b.diagnostics) {
      if (reported.has(d.code)) continue;
      reported.add(d.code);
      opts.onDiagnostic?.(input.path, d.firstLine, d.code, d.message);
    }
    stats.bytes += b.consumed - done.bytes;
    stats.lines += b.lines - done.lines;
    stats.badLines += b.badLines - done.bad;
    stats.records += b.records - done.records;
    done = { bytes: b.consumed, lines: b.lines, bad: b.badLines, records: b.records };
    if (!b.last) return;
    if (b.held > 0 && !b.complete) stats.heldBack++;
    if (newLines) stats.filesRead++;
    else stats.filesUnchanged++;
  };
  return { commit, progress };
}

/** Reads the input in this thread (formats that keep state in the database, compressed inputs, --jobs 1). */
export async function readInput(ctx: ReadContext, target: ReadTarget): Promise<void> {
  const { commit, progress } = batchCommitter(ctx, target);
  const pending = pendingTable(ctx.store).scope(target.format.name);
  const signIns = target.format.name.startsWith('entra-') ? new SignInLedger(ctx.store.db) : undefined;
  const { input, format, record } = target;
  if (format.document !== undefined) {
    await runDocumentSession(input, { ...format, document: format.document }, record, sessionLimits(ctx.opts), commit, progress, signIns);
  } else {
    await runSession(input, format, record, sessionLimits(ctx.opts), commit, progress, pending, signIns, ctx.engines);
  }
}
