// Storage of scan results: file identities by content, usage upserts and checkpoints, one transaction each.
// Aggregates and the read position of their file commit together, so a killed scan resumes exactly.
import { createHash } from 'node:crypto';
import type { ReceivedRows } from '../aggregate/packed-rows.js';
import type { ReportRow } from '../aggregate/report-rows.js';
import type { UsageRow } from '../aggregate/usage.js';
import type { DiagnosticEntry } from '../aggregate/diagnostics.js';
import type { ContentMark } from './content-marks.js';
import { ExoRowWriter } from './exo-rows.js';
import type { Db } from './open-database.js';
import { pendingTable, type PendingDelta } from './pending-sessions.js';
import { insertSignIns, type SignInDelta } from './signin-ledger.js';
import { DeferredWrites, HeldCommits, UnbornFiles, type HeldCommit } from './held-commits.js';
import { UsageRowWriter } from './usage-rows.js';

/** Bytes at the start of a file that identify it (with the bytes consumed so far). */
export const FINGERPRINT_BYTES = 4096;
/** Bytes of a small file's start (fingerprinted on fewer than FINGERPRINT_BYTES) that find it (files.short_print). */
export const SHORT_PRINT_BYTES = 256;
export { MARK_INTERVAL, TAIL_BYTES, type ContentMark } from './content-marks.js';

export interface FileRecord {
  readonly id: number;
  readonly format: string;
  readonly fpBytes: number;
  readonly consumed: number;
  readonly lines: number;
  readonly records: number;
  readonly badLines: number;
  readonly tlsFields: boolean;
  readonly state: unknown;
  /** Hash of the TAIL_BYTES (fewer at the start) before `consumed`; null when nothing was consumed. */
  readonly tailHash: string | null;
}

/** What one commit adds to the scan's run record (table scans). */
export interface RunDelta {
  readonly scanId: number;
  readonly files: number;
  readonly bytes: number;
  readonly lines: number;
  readonly badLines: number;
  readonly records: number;
}

export interface Checkpoint {
  readonly fileId: number;
  readonly path: string;
  readonly bytes: number;
  readonly consumed: number;
  readonly lines: number;
  readonly records: number;
  readonly badLines: number;
  readonly tlsFields: boolean;
  readonly state: unknown;
  readonly diagnostics: readonly DiagnosticEntry[];
  /** A longer fingerprint once a small file has grown (`short`: shortPrintOf the same bytes). */
  readonly fingerprint?: { readonly hash: string; readonly bytes: number; readonly short: string | null };
  readonly tailHash: string | null;
  readonly marks: readonly ContentMark[];
  /** Identity of the compressed file or zip entry, once it has been read to its end. */
  readonly container?: string;
  readonly run?: RunDelta;
  /** Changes to pending_sessions (Exchange sessions open across files and scans). */
  readonly pending?: PendingDelta;
  /** Entra ID sign-in ids counted with these rows (entra_signins). */
  readonly signIns?: SignInDelta;
}

export function fingerprintOf(head: Buffer, bytes: number): string {
  return createHash('sha256').update(head.subarray(0, bytes)).digest('hex');
}

/** files.short_print of a file fingerprinted on its first `bytes`: set only for small files, where it finds them. */
export const shortPrintOf = (head: Buffer, bytes: number): string | null =>
  bytes >= SHORT_PRINT_BYTES && bytes < FINGERPRINT_BYTES ? fingerprintOf(head, SHORT_PRINT_BYTES) : null;

/** The values of insertFile for a new file, and how many of its bytes its fingerprint covers. */
function newFileRow(
  path: string, format: string, head: Buffer, bytes: number, now: string, layout: string | null,
): { values: unknown[]; fpBytes: number } {
  const fpBytes = Math.min(FINGERPRINT_BYTES, head.length);
  return { values: [path, format, fingerprintOf(head, fpBytes), fpBytes, shortPrintOf(head, fpBytes), bytes, now, now, layout], fpBytes };
}

/** The record of a file nothing was read of yet. */
const newRecord = (id: number, format: string, fpBytes: number): FileRecord =>
  ({ id, format, fpBytes, consumed: 0, lines: 0, records: 0, badLines: 0, tlsFields: false, state: null, tailHash: null });

interface FileRow {
  id: number;
  short_print: string | null;
  fingerprint: string;
  format: string;
  fp_bytes: number;
  consumed: number;
  lines: number;
  records: number;
  bad_lines: number;
  tls_fields: number;
  state: string | null;
  tail_hash: string | null;
}

const toRecord = (r: FileRow): FileRecord => ({
  id: r.id,
  format: r.format,
  fpBytes: r.fp_bytes,
  consumed: r.consumed,
  lines: r.lines,
  records: r.records,
  badLines: r.bad_lines,
  tlsFields: r.tls_fields === 1,
  state: r.state === null ? null : JSON.parse(r.state),
  tailHash: r.tail_hash,
});

export class Store {
  private readonly q;
  private readonly usage: UsageRowWriter;

  constructor(readonly db: Db) {
    this.usage = new UsageRowWriter(db);
    this.q = {
      byPrint: db.prepare<[number, string], FileRow>(
        `SELECT * FROM files WHERE status = 'read' AND fp_bytes = ? AND fingerprint = ? ORDER BY consumed DESC, id`,
      ),
      byContainer: db.prepare<[string], FileRow>(
        `SELECT f.* FROM file_containers c JOIN files f ON f.id = c.file_id WHERE c.container = ?`,
      ),
      addContainer: db.prepare(`INSERT OR IGNORE INTO file_containers (container, file_id) VALUES (?, ?)`),
      markAtOrBelow: db.prepare<[number, number], { offset: number; hash: string }>(
        `SELECT offset, hash FROM file_marks WHERE file_id = ? AND offset <= ? ORDER BY offset DESC LIMIT 1`,
      ),
      addMark: db.prepare(`INSERT OR REPLACE INTO file_marks (file_id, offset, hash) VALUES (?, ?, ?)`),
      run: db.prepare(`UPDATE scans SET files = files + ?, bytes = bytes + ?, lines = lines + ?, bad_lines = bad_lines + ?,
        records = records + ? WHERE id = ?`),
      byShortPrint: db.prepare<[string, number], FileRow>(
        `SELECT * FROM files WHERE short_print = ? AND status = 'read' AND fp_bytes < ?`,
      ),
      // fewer than SHORT_PRINT_BYTES, or stored before schema 13 (index files_unprinted)
      unprintedSizes: db
        .prepare<[number], { fp_bytes: number }>(
          `SELECT DISTINCT fp_bytes FROM files WHERE short_print IS NULL AND fp_bytes < ? AND status = 'read' ORDER BY fp_bytes DESC`,
        )
        .pluck(),
      setShortPrint: db.prepare(`UPDATE files SET short_print = ? WHERE id = ? AND short_print IS NULL AND fp_bytes = ?`),
      insertFile: db.prepare(
        `INSERT INTO files (path, format, status, fingerprint, fp_bytes, short_print, bytes, first_scanned, last_scanned, layout)
         VALUES (?, ?, 'read', ?, ?, ?, ?, ?, ?, ?)`,
      ),
      skippedByPath: db.prepare<[string], { id: number }>(`SELECT id FROM files WHERE path = ? AND status != 'read'`),
      insertSkipped: db.prepare(
        `INSERT INTO files (path, status, reason, bytes, first_scanned, last_scanned) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      updateSkipped: db.prepare(`UPDATE files SET status = ?, reason = ?, bytes = ?, last_scanned = ? WHERE id = ?`),
      seen: db.prepare(`UPDATE files SET path = ?, bytes = max(bytes, ?), last_scanned = ? WHERE id = ?`),
      checkpoint: db.prepare(`
        UPDATE files SET path = ?, bytes = max(bytes, ?), consumed = ?, lines = ?, records = ?, bad_lines = ?,
          tls_fields = ?, state = ?, tail_hash = ?, last_scanned = ? WHERE id = ?`),
      reprint: db.prepare(`UPDATE files SET fingerprint = ?, fp_bytes = ?, short_print = ? WHERE id = ?`),
      diag: db.prepare(`
        INSERT INTO diagnostics (file_id, code, count, first_line, message) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (file_id, code) DO UPDATE SET count = count + excluded.count`),
      diagList: db.prepare<[number], { code: string; count: number; first_line: number }>(
        `SELECT code, count, first_line FROM diagnostics WHERE file_id = ? ORDER BY count DESC, code`,
      ),
      reasons: db.prepare(`UPDATE files SET reasons = ? WHERE id = ?`),
    };
    this.tx = db.transaction(this.txBody);
    this.deferredTx = db.transaction(() => this.deferred.run());
    this.heldTx = db.transaction(() => {
      const { items, rows } = this.held.take();
      items.forEach((h, i) => this.txBody(i === 0 ? rows : [], h.cp, h.now, [], undefined));
    });
  }

  /**
   * The stored files whose content begins like `head` (their first FINGERPRINT_BYTES, or all of a shorter file),
   * furthest read first. Only the caller can tell, from the bytes before each one's read position, which is this file.
   */
  candidates(head: Buffer): FileRecord[] {
    const full = Math.min(FINGERPRINT_BYTES, head.length);
    if (full === 0) return [];
    const rows = this.q.byPrint.all(full, fingerprintOf(head, full));
    const found = new Set<number>();
    // smaller files: by the print of their first SHORT_PRINT_BYTES, then their whole fingerprint
    const short = full >= SHORT_PRINT_BYTES ? fingerprintOf(head, SHORT_PRINT_BYTES) : null;
    if (short !== null) {
      for (const row of this.q.byShortPrint.all(short, full)) {
        if (fingerprintOf(head, row.fp_bytes) === row.fingerprint && !found.has(row.id)) rows.push(row);
        found.add(row.id);
      }
    }
    // those without a short print (tiny, or stored before schema 13): one lookup per distinct size, as before
    for (const bytes of this.q.unprintedSizes.all(full) as unknown as number[]) {
      for (const row of this.q.byPrint.all(bytes, fingerprintOf(head, bytes))) {
        if (!found.has(row.id)) rows.push(row);
        found.add(row.id);
      }
    }
    // a small file stored before schema 13 begins with the head: its next commit or sighting stores its short print
    for (const row of rows) {
      if (short !== null && row.short_print === null && shortPrintOf(head, row.fp_bytes) !== null) {
        this.unprinted.set(row.id, { short, bytes: row.fp_bytes });
      }
    }
    return rows.map(toRecord).sort((a, b) => b.consumed - a.consumed || a.id - b.id);
  }

  /** Small files stored before schema 13 that candidates() matched, and their short print (written by seen or commit). */
  private readonly unprinted = new Map<number, { readonly short: string; readonly bytes: number }>();

  private printFound(fileId: number): void {
    const p = this.unprinted.get(fileId);
    if (p === undefined) return;
    this.unprinted.delete(fileId);
    this.q.setShortPrint.run(p.short, fileId, p.bytes);
  }

  /** The file read to its end from a compressed file or zip entry with this identity. */
  byContainer(container: string): FileRecord | null {
    const row = this.q.byContainer.get(container);
    return row ? toRecord(row) : null;
  }

  addContainer(container: string, fileId: number): void {
    this.q.addContainer.run(container, fileId);
  }

  /** The content mark of a file at the largest offset not after `offset`. */
  markAtOrBelow(fileId: number, offset: number): ContentMark | null {
    return this.q.markAtOrBelow.get(fileId, offset) ?? null;
  }

  /** `layout`: how a file without directives is read (files.layout), null for one with directives. */
  createFile(path: string, format: string, head: Buffer, bytes: number, now: string, layout: string | null = null): FileRecord {
    const { values, fpBytes } = newFileRow(path, format, head, bytes, now, layout);
    return newRecord(this.insertFile(values), format, fpBytes);
  }

  private insertFile(values: unknown[]): number {
    return Number(this.q.insertFile.run(...values).lastInsertRowid);
  }

  /**
   * As createFile, but the record is written with the file's first commit (held-commits.ts): its id is a stand-in
   * (negative) until then. For a file read in this thread, which nothing else looks up before its commit.
   */
  createFileLater(path: string, format: string, head: Buffer, bytes: number, now: string, layout: string | null = null): FileRecord {
    const { values, fpBytes } = newFileRow(path, format, head, bytes, now, layout);
    return newRecord(this.unborn.add(values), format, fpBytes);
  }

  private readonly unborn = new UnbornFiles((values) => this.insertFile(values));

  /** A file that is not read: unrecognized, empty, unreadable. Listed once per path, updated on later scans. */
  recordUnread(path: string, status: 'skipped' | 'error', reason: string, bytes: number, now: string): void {
    const write = (): void => {
      const row = this.q.skippedByPath.get(path);
      if (row) this.q.updateSkipped.run(status, reason, bytes, now, row.id);
      else this.q.insertSkipped.run(path, status, reason, bytes, now, now);
    };
    // an unreadable file is written at once (after what waits, in order): the scan may fail later, and this may say why
    if (status === 'skipped') return this.defer(write);
    this.flushDeferred();
    write();
  }

  /** An input found unchanged: its path, size and time (written with the next commit or many sightings). */
  seen(fileId: number, path: string, bytes: number, now: string): void {
    this.defer(() => {
      this.q.seen.run(path, bytes, now, fileId);
      this.printFound(fileId);
    });
  }

  /** A file's sighting, a skipped file's listing: written together (held-commits.ts). */
  private readonly deferred = new DeferredWrites();
  private readonly deferredTx: ReturnType<Db['transaction']>;

  private defer(write: () => void): void {
    if (this.deferred.add(write)) this.flushDeferred();
  }

  /**
   * Writes the held commits, then what was deferred (a scan calls it when it ends; each commit writes what was
   * deferred first, in its transaction).
   */
  flushDeferred(): void {
    this.flushHeld();
    if (this.deferred.size > 0) this.deferredTx.immediate();
  }

  private readonly held = new HeldCommits<Checkpoint>();
  private readonly heldTx: ReturnType<Db['transaction']>;

  /**
   * A small file's last commit (rows, no sessions, sign-ins or reports), written with others later (held-commits.ts);
   * `prints`: its fingerprints, as stored before and by this commit.
   */
  commitLater(rows: readonly UsageRow[], cp: Checkpoint, now: string, prints: HeldCommit<Checkpoint>['prints']): void {
    if (this.held.hold({ rows, cp, now, prints })) this.flushHeld();
  }

  /** Commits are held, not yet written. */
  get holding(): boolean {
    return this.held.size > 0;
  }

  /** Writes the held commits, in one transaction. */
  flushHeld(): void {
    if (this.held.size > 0) this.rolledBackForgets(() => this.heldTx.immediate());
  }

  /** Writes the held commits first when an input beginning with `head` may be one of their files. */
  flushHeldLike(head: Buffer): void {
    if (this.held.size > 0 && this.held.matches(head)) this.flushHeld();
  }

  /** One transaction: the rows, the file's new read position and state, its diagnostics. */
  /** `reports`: rows of report exports, written by identity (store/exo-rows.ts), not added like `rows`. */
  /** `packed`: rows as a parse worker sent them, written as they are besides `rows`. */
  commit(
    rows: readonly UsageRow[], cp: Checkpoint, now: string, reports: readonly ReportRow[] = [], packed?: ReceivedRows,
  ): void {
    this.flushHeld();
    this.rolledBackForgets(() => this.tx.immediate(rows, cp, now, reports, packed));
  }

  /** Runs a write transaction; when it rolls back, the dictionary ids it added were rolled back with it: forgotten. */
  private rolledBackForgets(write: () => void): void {
    this.unborn.begin();
    try {
      write();
    } catch (err) {
      this.usage.forget();
      this.unborn.rolledBack();
      throw err;
    }
  }

  private exo: ExoRowWriter | undefined;

  private readonly tx: ReturnType<Db['transaction']>;

  private txBody = (
    rows: readonly UsageRow[], cp: Checkpoint, now: string, reports: readonly ReportRow[], packed: ReceivedRows | undefined,
  ): void => {
    this.deferred.run();
    const fileId = this.unborn.idOf(cp.fileId);
    this.writeRows(rows);
    if (packed) this.usage.addPacked(packed);
    if (cp.pending) pendingTable(this).apply(cp.pending);
    this.usage.endWrites(cp.pending?.retracted === true);
    if (cp.signIns) insertSignIns(this.db, cp.signIns);
    if (reports.length > 0) (this.exo ??= new ExoRowWriter(this.db, this.usage)).write(reports, fileId);
    const q = this.q;
    q.checkpoint.run(cp.path, cp.bytes, cp.consumed, cp.lines, cp.records, cp.badLines, cp.tlsFields ? 1 : 0,
      JSON.stringify(cp.state), cp.tailHash, now, fileId);
    this.printFound(fileId);
    if (cp.fingerprint) q.reprint.run(cp.fingerprint.hash, cp.fingerprint.bytes, cp.fingerprint.short, fileId);
    for (const m of cp.marks) q.addMark.run(fileId, m.offset, m.hash);
    if (cp.container !== undefined) q.addContainer.run(cp.container, fileId);
    const r = cp.run;
    if (r) q.run.run(r.files, r.bytes, r.lines, r.badLines, r.records, r.scanId);
    if (cp.diagnostics.length === 0) return;
    for (const d of cp.diagnostics) q.diag.run(fileId, d.code, d.count, d.firstLine, d.message);
    const summary = q.diagList
      .all(fileId)
      .map((d) => `${d.code} ×${d.count} (first at line ${d.first_line})`)
      .join('; ');
    q.reasons.run(summary, fileId);
  };

  /** The scan's sweep of pending sessions (engine/pending-sweep.ts): the rows it counts and what it changed, at once. */
  commitSessions(rows: readonly UsageRow[], pending: PendingDelta | undefined): void {
    this.rolledBackForgets(() => this.db.transaction(() => {
      this.writeRows(rows);
      if (pending) pendingTable(this).apply(pending);
      this.usage.endWrites(pending?.retracted === true);
    }).immediate());
  }

  /** Every day a usage row was written on through this store (a superset when a transaction rolled back). */
  writtenDays(): ReadonlySet<string> {
    return this.usage.days;
  }

  /** Adds the rows' counts to the stored rows, inside the caller's transaction (commit's, or merge's). */
  writeRows(rows: readonly UsageRow[]): void {
    for (const r of rows) this.usage.add(r);
  }
}
