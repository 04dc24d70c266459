// The scan's committer: the one owner of the scan's counts (ScanStats) and of what the scan writes to the store —
// inputs found unchanged, skipped or unreadable, new file records, and each input's batches (rows with the file's
// new position, tail hash, content marks and parser state, one transaction per batch, or for the last batches of 16
// small files read in this thread: store/held-commits.ts), then the user agents' classes.
import { classifyUserAgents, lastUserAgentId } from '../store/classify-clients.js';
import { FINGERPRINT_BYTES, fingerprintOf, shortPrintOf, type Checkpoint, type FileRecord, type Store } from '../store/store.js';
import type { FormatDef } from '../formats/types.js';
import type { ScanInput } from '../sources/plain-input.js';
import type { Batch } from './parse-session.js';
import { pathHints, type ServerNaming } from './path-hints.js';
import type { ReadNew } from './scan-decision.js';
import type { ScanOptions, ScanStats } from './scan-options.js';
import { PendingSweep } from './pending-sweep.js';
import { FORMATS } from '../formats/index.js';

/** An input to read: what the scheduler hands to a session, inline or on a worker. */
export interface ReadTarget {
  readonly input: ScanInput;
  readonly format: FormatDef;
  readonly record: FileRecord;
  /** The input's first FINGERPRINT_BYTES (fewer if shorter). */
  readonly head: Buffer;
  /** The packed identity to remember once the input has been read to its end. */
  readonly container: string | null;
}

export interface BatchSink {
  /** Commits the next batch of the input (batches arrive in order). */
  readonly commit: (batch: Batch) => void;
  /** Progress inside the input: the session is at `consumed`/`lines`; reports what is not committed yet. */
  readonly progress: (consumed: number, lines: number) => void;
}

/** Reports the bytes and lines read so far from the input being read. */
export type Tick = (bytes: number, lines: number) => void;

export class ScanCommitter {
  readonly stats: ScanStats = {
    filesRead: 0, filesUnchanged: 0, filesSkipped: 0, filesFailed: 0,
    bytes: 0, lines: 0, records: 0, badLines: 0, heldBack: 0, serverNames: [],
  };
  private readonly now: string;
  private readonly sweep = new PendingSweep();

  constructor(
    readonly store: Store,
    private readonly opts: ScanOptions,
    private readonly naming: ServerNaming,
  ) {
    this.now = opts.now.toISOString();
  }

  /** An input (or a found path) that could not be read. */
  failed(path: string, message: string, bytes = 0): void {
    this.stats.filesFailed++;
    this.store.recordUnread(path, 'error', message, bytes, this.now);
    this.opts.onDiagnostic?.(path, 0, 'read_error', message);
  }

  /** Everything in the input was read before: only its path and size are noted (and its packed identity). */
  unchanged(input: ScanInput, record: FileRecord, container: string | null): void {
    this.stats.filesUnchanged++;
    this.store.seen(record.id, input.path, input.size ?? record.consumed, this.now);
    if (container !== null) this.store.addContainer(container, record.id);
  }

  skipped(path: string, reason: string, bytes: number): void {
    this.stats.filesSkipped++;
    this.store.recordUnread(path, 'skipped', reason, bytes, this.now);
  }

  /** The record an input is read into: the stored one, or a new one for new content (`later`: written with its first commit). */
  record(input: ScanInput, head: Buffer, read: ReadNew, later = false): FileRecord {
    const make = later ? this.store.createFileLater.bind(this.store) : this.store.createFile.bind(this.store);
    const record = make(input.path, read.format.name, head, input.size ?? 0, this.now, read.layout);
    // no directives: the parser starts as if the default #Fields (and #Log-type) had been there; saved with the state
    return read.state === undefined ? record : { ...record, state: read.state };
  }

  /** Counts the server name this input's rows get when its lines name none (the summary says where names came from). */
  noteServerName(input: ScanInput): void {
    const hints = pathHints(input.path, input.folders, this.naming);
    if (hints.server === null || hints.serverOrigin === null) return;
    const known = this.stats.serverNames.find((u) => u.server === hints.server && u.origin === hints.serverOrigin);
    if (known) known.files++;
    else this.stats.serverNames.push({ server: hints.server, origin: hints.serverOrigin, files: 1 });
  }

  /** After every read of the scan: the pending sessions of the formats read (pending-sweep.ts). */
  sweepPending(): void {
    this.sweep.run(this.store, this.opts.formats ?? FORMATS, this.opts.now, this.naming);
  }

  /** User agents up to this id were classified by this scan (the first call looks at all). */
  private classifiedUpTo = 0;

  /** New user agents get their client, TLS 1.2 verdict and hint. */
  classify(): void {
    const db = this.store.db;
    const upTo = lastUserAgentId(db);
    classifyUserAgents(db, this.classifiedUpTo);
    this.classifiedUpTo = upTo;
  }

  /**
   * Commits the batches of one input, in order, and keeps the scan's counts. `holdable`: read in this thread, a plain
   * file of a format that reads nothing from the database; its last batch may be written with other files' later.
   */
  batches(target: ReadTarget, tick: Tick, holdable = false): BatchSink {
    const { store, opts, stats, now } = this;
    // not `target` itself: its head (4 KiB) would live as long as a job queued behind its chain
    const { input, record, head, container } = target;
    const fpBytes = Math.min(FINGERPRINT_BYTES, head.length);
    let reprint = fpBytes > record.fpBytes
      ? { hash: fingerprintOf(head, fpBytes), bytes: fpBytes, short: shortPrintOf(head, fpBytes) }
      : undefined;
    let done = { bytes: record.consumed, lines: record.lines, bad: 0, records: 0 };
    const reported = new Set<string>();
    const progress = (consumed: number, lines: number): void => tick(consumed - done.bytes, lines - done.lines);
    const commit = (b: Batch): void => {
      const newLines = b.lines > record.lines || b.badLines > 0;
      const cp: Checkpoint = {
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
        container: b.complete && container !== null ? container : undefined,
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
      };
      const hold = holdable && b.last && b.pending === undefined && b.signIns === undefined && b.reports.length === 0 &&
        b.packed === undefined;
      if (hold) {
        // the fingerprints a later input may match in the database: as stored now, and as this commit stores it
        const prints = [{ bytes: record.fpBytes, hash: fingerprintOf(head, record.fpBytes) }];
        if (reprint !== undefined) prints.push({ bytes: reprint.bytes, hash: reprint.hash });
        store.commitLater(b.rows, cp, now, prints);
      } else {
        store.commit(b.rows, cp, now, b.reports, b.packed);
      }
      reprint = undefined;
      this.sweep.note(b.pending);
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
}
