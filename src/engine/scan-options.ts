// What a scan is asked (ScanOptions) and what it tells (ScanProgress, ScanStats): types only, in their own module so
// that the scan and the modules it calls (read-input.ts) do not import each other.
import type { ReportPeriod } from '../aggregate/report-rows.js';
import type { DiagnosticListener } from '../aggregate/diagnostics.js';
import type { LogType } from '../formats/default-layouts.js';
import type { FormatDef, ServerOrigin } from '../formats/types.js';

export interface ScanOptions {
  readonly paths: readonly string[];
  /** Logical crypt field → field name as logged, lower case. */
  readonly fieldMap: Readonly<Record<string, string>>;
  /** --log-type: which Exchange log a file without directives is, when neither its folder nor its TLS lines tell. */
  readonly logType?: LogType;
  /**
   * --fields: W3C field names for IIS and HTTP.sys files without #Fields of their own. A file read with them keeps
   * them in its stored parser state, which parse workers, byte ranges and later scans of the grown file start from.
   */
  readonly fields?: readonly string[];
  /** When the scan started; files modified within `settleMs` before it may still be written to. */
  readonly now: Date;
  readonly settleMs: number;
  /** Commit when this many distinct rows or lines have gathered (bounds memory, spaces checkpoints). */
  readonly flushRows: number;
  readonly flushLines: number;
  readonly formats?: readonly FormatDef[];
  /** --period: the period of report exports that carry no dates (Exchange Online SMTP AUTH clients report). */
  readonly reportPeriod?: ReportPeriod;
  /** --tenant: the name Entra ID sign-ins are stored under (usage.server), else the tenant in the data. */
  readonly tenant?: string;
  /** Databases never to read, with their -wal/-shm/-journal/-lock files (any spelling of their paths). */
  readonly exclude?: readonly string[];
  /** First occurrence of each problem per file (bad line reasons, unreadable files). */
  readonly onDiagnostic?: DiagnosticListener;
  /** Called after each chunk read and each file finished; cheap, so a caller may throttle its own drawing. */
  readonly onProgress?: (progress: ScanProgress) => void;
  /** The run record (table scans) each commit adds its counts to, in the same transaction. */
  readonly scanId?: number;
  /** Parse workers for plain IIS logs (1: parse in this thread). The main thread always does the writing. */
  readonly jobs?: number;
  /** With workers, a file with more than twice this left to read is cut into ranges read at once (tests: small). */
  readonly splitBytes?: number;
  /** Less than this left to read is parsed in this thread: starting a worker costs more (tests: 0). */
  readonly workerMinBytes?: number;
  /** Files queued behind their session chains at most (scan-scheduler.ts MAX_CHAINED; tests set fewer). */
  readonly maxChained?: number;
  /** A chain of files (FormatDef.sessionChain) moves to a parse worker that ran out of work (worker-pool.ts; tests). */
  readonly onChainMove?: (chain: string) => void;
  /** --server-name: the server of files whose path and lines name none (else the host name). */
  readonly serverName?: string | null;
  /** This machine's name for its own log folders (default: localHostName()). */
  readonly hostName?: string;
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
  /** Where the server names of the files read came from (when their lines name none): one entry per name and origin. */
  serverNames: ServerNameUse[];
}

export interface ServerNameUse {
  readonly server: string;
  readonly origin: ServerOrigin;
  files: number;
}
