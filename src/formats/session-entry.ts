// What a SessionTable (exchange-session.ts) keeps of each session and how it finds the session of a line: the
// session's base fields every format's sessions have, its table entry (cache slot, last line, last time as a place in
// that line), the line's key as the parser reads it, and the comparisons between them. No table logic here.
import { lineHashAt } from './exchange-csv.js';

export interface SessionBase {
  /** First and last event, ISO 8601 UTC as logged. */
  first: string;
  last: string;
  /** Sequence number and hash of the last line read, -1 and 0 before any (the hash is brought up to date on saving). */
  lastSeq: number;
  lastHash: number;
  /**
   * What the table keeps of the session in memory (a symbol key: never saved, never sent to another thread). A
   * format's literal for a new session declares it (`[IN_TABLE]: undefined`): added later, its first store made V8
   * deoptimize the line path again and again (449 times in the 2-server bench; measured).
   */
  [IN_TABLE]?: InTable;
  /** Its connect (`+`, OpenSession, sequence number 0) and its end were seen. */
  started: boolean;
  ended: boolean;
}

export const IN_TABLE: unique symbol = Symbol('in table');

/** What a SessionTable keeps of a session besides its saved state. */
export class InTable {
  /** Its slot in the table's cache, -1 when none. */
  slot = -1;
  /**
   * The last line itself, `lineText.slice(lineStart, lineEnd)` (lineText: the decoded region it was read in, not cut
   * out): a repeat is told by comparing it (hashing every line cost more than the rest of the session logic);
   * `lastHash` is computed from it only when the session is saved.
   */
  lineText: string | undefined = undefined;
  lineStart = 0;
  lineEnd = 0;
  /** exchangeTimeOrderAt of `last` (NaN: compare the text). */
  lastAt = NaN;
  /**
   * `last` is `lineText.slice(timeStart, timeEnd)` and not cut out yet (fresh() does): most lines only move a
   * session's last time, and cutting it out of every line cost more than the rest of its time handling (measured).
   */
  lastPending = false;
  timeStart = 0;
  timeEnd = 0;

  constructor(
    /** Its key in the table: `open`, pending_sessions, saved states. */
    readonly key: string,
    /** The key as the session's lines write it (LineKey.span), null when not known. */
    public span: string | null,
    /** The session's entry before (its last line is kept), if any. */
    before: InTable | undefined,
  ) {
    if (before === undefined) return;
    this.lineText = before.lineText;
    this.lineStart = before.lineStart;
    this.lineEnd = before.lineEnd;
  }
}

/**
 * The session key of the line being read, compared and hashed where the line holds it: the key string is built only
 * for a session the table's cache does not find (a new one, mostly).
 */
export interface LineKey {
  /** Whether `key` is this line's session key. */
  is(key: string): boolean;
  /** A hash of the line's session id (any hash: it picks a cache slot). */
  hash(): number;
  /** The key as stored in the table, pending_sessions and saved states (`connector\u001fid` for SMTP). */
  key(): string;
  /** The session id, for messages. */
  id(): string;
  /**
   * The key's values as the line writes them, commas between, when none of them is quoted; else null. Two such spans
   * are equal only when the keys are (values without comma or quote, in the same columns).
   */
  span(): string | null;
  /** The line: `lineText().slice(lineStart(), lineEnd())`, where lineText may be the whole region read. */
  lineText(): string;
  lineStart(): number;
  lineEnd(): number;
  /** The line's time as logged. */
  time(): string;
  /** Where time() lies in lineText(): its start, -1 when it is not there as logged (a quoted value); and its end. */
  timeStart(): number;
  timeEnd(): number;
}

/** Cuts out a session's last time if it is still only a place in its last line (InTable.lastPending). */
export function fresh<S extends SessionBase>(s: S): S {
  const t = s[IN_TABLE];
  if (t?.lastPending === true) {
    s.last = (t.lineText as string).slice(t.timeStart, t.timeEnd);
    t.lastPending = false;
  }
  return s;
}

/** Brings `last` and `lastHash` up to date before a session is saved. */
export function hashed<S extends SessionBase>(s: S): S {
  fresh(s);
  const t = s[IN_TABLE];
  if (t?.lineText !== undefined) s.lastHash = lineHashAt(t.lineText, t.lineStart, t.lineEnd);
  return s;
}

/** Whether `a.slice(a0, a1)` and `b.slice(b0, b1)` are the same text (compared in place). */
export function sameText(a: string, a0: number, a1: number, b: string, b0: number, b1: number): boolean {
  if (a1 - a0 !== b1 - b0) return false;
  for (let i = a0, j = b0; i < a1; i++, j++) if (a.charCodeAt(i) !== b.charCodeAt(j)) return false;
  return true;
}

/** Whether the session kept as `t` is the line's: the same span (one comparison), else the same key read in place. */
export function isLine(t: InTable, line: LineKey, span: string | null): boolean {
  return (span !== null && span === t.span) || line.is(t.key);
}
