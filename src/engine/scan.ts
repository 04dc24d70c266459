// The scan: walk the paths, sniff each input, resume it from its stored position, parse, commit in batches.
// Every batch commits the rows with the file's new position and parser state, so a killed scan resumes exactly.
import { resolve } from 'node:path';
import { UsageAggregator } from '../aggregate/usage.js';
import { DiagnosticCounter, type DiagnosticListener } from '../formats/diagnostics.js';
import { FORMATS } from '../formats/index.js';
import type { FormatDef } from '../formats/types.js';
import { LineSplitter } from '../sources/line-splitter.js';
import { expand, type ScanInput } from '../sources/inputs.js';
import { checkPathsExist, walk } from '../sources/walk.js';
import { FINGERPRINT_BYTES, fingerprintOf, type FileRecord, type Store } from '../store/store.js';
import { pathHints } from './path-hints.js';
import { HEAD_BYTES, sniff } from './sniff.js';

export interface ScanOptions {
  readonly paths: readonly string[];
  /** Logical crypt field → field name as logged, lower case. */
  readonly fieldMap: Readonly<Record<string, string>>;
  /** When the scan started; files modified within `settleMs` before it may still be written to. */
  readonly now: Date;
  readonly settleMs: number;
  /** Commit when this many distinct rows or lines have gathered (bounds memory, spaces checkpoints). */
  readonly flushRows: number;
  readonly flushLines: number;
  readonly formats?: readonly FormatDef[];
  /** Files never to read (the database itself and its -wal/-shm/-journal files), as absolute paths. */
  readonly exclude?: readonly string[];
  /** First occurrence of each problem per file (bad line reasons, unreadable files). */
  readonly onDiagnostic?: DiagnosticListener;
  /** Called after each chunk read and each file finished; cheap, so a caller may throttle its own drawing. */
  readonly onProgress?: (progress: ScanProgress) => void;
}

export interface ScanProgress {
  /** Files found by the walk and finished (a .zip counts once, whatever it holds). */
  readonly files: number;
  /** On-disk bytes of the finished files plus what has been read of the current one (at most its size). */
  readonly position: number;
  /** New (decompressed) bytes and lines read by this scan so far. */
  readonly bytes: number;
  readonly lines: number;
}

/** Reports the bytes and lines read so far from the input being read. */
type Tick = (bytes: number, lines: number) => void;

export interface ScanStats {
  filesRead: number; // inputs with new data read
  filesUnchanged: number; // inputs fully read by an earlier scan
  filesSkipped: number; // unrecognized or empty
  filesFailed: number; // could not be read
  bytes: number; // new bytes consumed
  lines: number;
  records: number;
  badLines: number;
  heldBack: number; // unfinished last lines left for a later scan
}

export const DEFAULT_SCAN = {
  settleMs: 120_000,
  flushRows: 50_000,
  flushLines: 2_000_000,
} as const;

export async function scan(store: Store, opts: ScanOptions): Promise<ScanStats> {
  await checkPathsExist(opts.paths);
  const stats: ScanStats = {
    filesRead: 0, filesUnchanged: 0, filesSkipped: 0, filesFailed: 0,
    bytes: 0, lines: 0, records: 0, badLines: 0, heldBack: 0,
  };
  const now = opts.now.toISOString();
  const problem = (path: string, message: string): void => {
    stats.filesFailed++;
    store.recordUnread(path, 'error', message, 0, now);
    opts.onDiagnostic?.(path, 0, 'read_error', message);
  };
  let files = 0;
  let position = 0;
  const excluded = new Set((opts.exclude ?? []).flatMap((p) => [p, `${p}-wal`, `${p}-shm`, `${p}-journal`]));
  for await (const found of walk(opts.paths, (p) => problem(p.path, p.message))) {
    if (excluded.has(resolve(found.path))) continue;
    const tick: Tick = (bytes, lines) =>
      opts.onProgress?.({
        files, position: position + Math.min(bytes, found.size), bytes: stats.bytes + bytes, lines: stats.lines + lines,
      });
    try {
      for await (const input of expand(found, (p) => problem(p.path, p.message))) {
        await scanInput(store, input, opts, stats, now, tick);
      }
    } catch (err) {
      problem(found.path, `cannot read: ${(err as Error).message}`);
    }
    files++;
    position += found.size;
    tick(0, 0);
  }
  return stats;
}

async function scanInput(
  store: Store, input: ScanInput, opts: ScanOptions, stats: ScanStats, now: string, tick: Tick,
): Promise<void> {
  let head: Buffer;
  try {
    head = await input.head(HEAD_BYTES);
  } catch (err) {
    stats.filesFailed++;
    store.recordUnread(input.path, 'error', `cannot read: ${(err as Error).message}`, input.size ?? 0, now);
    opts.onDiagnostic?.(input.path, 0, 'read_error', `cannot read: ${(err as Error).message}`);
    return;
  }
  const sniffed = sniff(head, opts.formats ?? FORMATS);
  if ('skip' in sniffed) {
    stats.filesSkipped++;
    store.recordUnread(input.path, 'skipped', sniffed.skip, input.size ?? head.length, now);
    return;
  }
  const size = input.size ?? Number.MAX_SAFE_INTEGER;
  const record =
    store.findByContent(head, size) ?? store.createFile(input.path, sniffed.format.name, head, input.size ?? 0, now);
  if (input.size !== null && record.consumed >= input.size) {
    stats.filesUnchanged++;
    store.seen(record.id, input.path, input.size, now);
    return;
  }
  const format = (opts.formats ?? FORMATS).find((f) => f.name === record.format) ?? sniffed.format;
  await readFrom(store, input, format, record, head, opts, stats, now, tick);
}

async function readFrom(
  store: Store,
  input: ScanInput,
  format: FormatDef,
  record: FileRecord,
  head: Buffer,
  opts: ScanOptions,
  stats: ScanStats,
  now: string,
  tick: Tick,
): Promise<void> {
  const agg = new UsageAggregator();
  const diags = new DiagnosticCounter(input.path, opts.onDiagnostic);
  const parser = format.create(
    { file: input.path, hints: pathHints(input.folders), fieldMap: opts.fieldMap, agg, diags },
    record.state,
  );
  let sinceFlush = 0;
  const splitter = new LineSplitter(
    {
      line(text, lineNo) {
        parser.line(text, lineNo);
        if (++sinceFlush >= opts.flushLines || agg.size >= opts.flushRows) flush();
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
  const flush = (): void => {
    sinceFlush = 0;
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
      },
      now,
    );
    reprint = undefined;
    stats.bytes += splitter.consumed - committedBytes;
    stats.lines += splitter.lineNo - committedLines;
    stats.badLines += diags.total - committedBad;
    committedBytes = splitter.consumed;
    committedLines = splitter.lineNo;
    committedBad = diags.total;
  };
  const recordsBefore = parser.records;
  try {
    const stream = await input.open(record.consumed);
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      splitter.push(chunk);
      tick(splitter.consumed - committedBytes, splitter.lineNo - committedLines);
    }
    const finished = input.compressed || opts.now.getTime() - input.mtimeMs > opts.settleMs;
    splitter.end(finished);
    if (!finished && splitter.pending > 0) stats.heldBack++;
  } catch (err) {
    diags.add('read_error', splitter.lineNo + 1, `read stopped: ${(err as Error).message}`);
  }
  flush();
  stats.records += parser.records - recordsBefore;
  if (splitter.lineNo > record.lines || diags.total > 0) stats.filesRead++;
  else stats.filesUnchanged++;
}
