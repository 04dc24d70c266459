// The contract between the scan engine and one input format: sniff a file's head, then parse its lines.
// A parser is a pure state machine over lines: it adds to the aggregator and reports diagnostics, never does I/O.
import type { SignInClaims } from '../aggregate/signin-claims.js';
import type { ReportPeriod, ReportRowBuffer } from '../aggregate/report-rows.js';
import type { UsageAggregator } from '../aggregate/usage.js';
import type { DiagnosticCounter } from '../aggregate/diagnostics.js';
import type { PendingSessions } from '../aggregate/pending-session.js';
import type { LineEngine } from './iis-lines.js';

/**
 * Where the server name of a file's rows comes from when the file itself logs none (s-computername, an SMTP
 * connector id): a server folder the admin laid out (`EXCH01\W3SVC1\…`), `scan --server-name`, the host of a UNC
 * path (`\\EXCH01\c$\…`), or this machine's host name (its own log folders scanned in place).
 */
export type ServerOrigin = 'folder' | 'option' | 'unc' | 'host';

export interface PathHints {
  /** Server for rows whose file names none (see ServerOrigin); null only where no naming applies (replays). */
  readonly server: string | null;
  readonly serverOrigin: ServerOrigin | null;
  /** Site from a `W3SVCn` folder. */
  readonly site: string | null;
  /** Folder names from the top of the scanned path down to the file, for formats that look at the layout. */
  readonly folders: readonly string[];
}

export interface ParseContext {
  readonly file: string;
  readonly hints: PathHints;
  /** Logical field → field name as logged, lower case (`crypt-protocol` → `tlsproto`). */
  readonly fieldMap: Readonly<Record<string, string>>;
  readonly agg: UsageAggregator;
  readonly diags: DiagnosticCounter;
  /** --period: the period of report exports that carry no dates (Exchange Online SMTP AUTH clients report). */
  readonly reportPeriod?: ReportPeriod;
  /** The input's modification time (ms): a report's period of last resort, and which of two exports is newer. */
  readonly mtimeMs?: number;
  /** Report rows stored by identity (a newer export replaces), written with the checkpoint; see store/exo-rows.ts. */
  readonly reports?: ReportRowBuffer;
  /** Sessions left open by earlier files and scans of this format (Exchange SMTP, POP3/IMAP4); see pending-sessions.ts. */
  readonly pending?: PendingSessions;
  /** Entra ID sign-ins already counted (by id), shared by every file and scan; see store/signin-ledger.ts. */
  readonly signIns?: SignInClaims;
  /** --tenant: the name Entra ID sign-ins are stored under (usage.server). */
  readonly tenant?: string;
}


export type { PendingSession, PendingSessions } from '../aggregate/pending-session.js';

export interface LineParser {
  line(text: string, lineNo: number): void;
  /**
   * The same as `line(text.slice(start, end), lineNo)`, for a parser that reads a line where it lies in the decoded
   * region (`text`) instead of as a string of its own (no slice per line; character reads on a flat string).
   */
  lineIn?(text: string, start: number, end: number, lineNo: number): void;
  /** JSON-serializable state after the last line, stored with the checkpoint and given back to resume. */
  saveState(): unknown;
  /** Data records counted so far by this parser instance. */
  readonly records: number;
  /** True once the file showed TLS information fields (IIS: crypt-* in #Fields). */
  readonly tlsFields: boolean;
  /** Handles lines it held back (a parser may batch them); the engine calls it before every commit. */
  flush?(): void;
  /** Called once the input has been read to its current end, before the last commit (`now`: the scan's clock). */
  end?(now: Date): void;
  /**
   * Formats whose sessions continue across files: counts the pending sessions that went idle by `now` and drops
   * counted ones a week older than `newest` (the newest event the scan read in the format's files; default: what this
   * parser read). Once per scan, after every read of the format (engine/pending-sweep.ts).
   */
  sweepPending?(now: Date, newest?: string): void;
}

/** What a chunk read took: `lines` whole lines, up to byte `end`; `declined`: it stopped at a line it leaves to `line`. */
export interface ChunkRun {
  readonly lines: number;
  readonly end: number;
  readonly declined: boolean;
}

/** A parser that also reads many lines at once from undecoded bytes (the IIS byte path). */
export interface ChunkParser extends LineParser {
  /**
   * Lines of `buf` from `start` (a line start) up to `limit` (just after an LF), at most `maxLines`, stopping once
   * the aggregator holds `maxRows` rows or at a line it does not take, which then comes to `line` as text.
   */
  readChunk(buf: Buffer, start: number, limit: number, maxLines: number, maxRows: number): ChunkRun;
}

/**
 * What the parse sessions of one thread share: made once by whoever runs them (a parse worker, a scan) and passed
 * to each session, which hands it to `createChunked`.
 */
export interface ParseEngines {
  /** The IIS byte path's WebAssembly line engine, used by the thread's IIS parsers in turn. */
  lineEngine(): LineEngine;
}

/** Reads a whole JSON document (not line by line): from its first byte, each time, counting records as it goes. */
export interface DocumentReader {
  /**
   * Reads the input to its end; `progress(bytes)` after each chunk (bytes read so far); `between()` at record
   * boundaries, where the engine may commit what was counted (a document is always read again from its start, so
   * these commits keep the counts, not a read position). Malformed JSON is named with a diagnostic and skipped:
   * `again` (the input once more, from a byte position) lets the reader find its exact place and read on after it.
   */
  read(
    chunks: AsyncIterable<Buffer>, progress: (bytes: number) => void, between: () => void,
    again?: (start: number) => AsyncIterable<Buffer>,
  ): Promise<void>;
  /** Lines read so far (for the files table). */
  readonly lines: number;
  /** Records counted so far. */
  readonly records: number;
  /** JSON-serializable state stored with the checkpoint. */
  saveState(): unknown;
}

export interface FormatDef {
  /** Stored in files.format. */
  readonly name: string;
  /** The file's first lines (decoded, without line ends): is it this format? */
  sniff(head: readonly string[]): boolean;
  create(ctx: ParseContext, state: unknown): LineParser;
  /** The same parser with its chunk-level path; the parse session chooses it when it has the thread's engines. */
  readonly createChunked?: (ctx: ParseContext, state: unknown, engines: ParseEngines) => ChunkParser;
  /** A document format: read whole with this instead of line by line (`create` is then never called). */
  readonly document?: (ctx: ParseContext) => DocumentReader;
  /**
   * Sessions continue from one file to the next (ParseContext.pending, shared by every file of the format): its files
   * are read one at a time, in the order the scan finds them, wherever they are read.
   */
  readonly sharedSessions?: boolean;
  /**
   * With sharedSessions: the chain of files a file's sessions can continue in, when the whole lines of its head (BOM
   * and CRs taken off, engine/sniff.ts wholeHeadLines) say (an SMTP Receive
   * log's server, from the `SERVER\connector` ids Exchange logs): files of different chains never share a session, so
   * they may be read at once; files of one chain are read in order. Null: unknown, read after every file of the
   * format found before it and before any found after it.
   */
  sessionChain?(head: readonly string[]): string | null;
}
