// Groups the lines of Exchange protocol logs into sessions (one session = one hit): open sessions by key, recently
// ended ones (to recognise repeated lines), and the hand-over to pending_sessions when a read stops. It knows nothing
// of SMTP or POP3/IMAP4: the format says what a line means and how a session becomes a usage row.
//
// A session is counted when its end is logged, or once it has had no event for IDLE_MS (Exchange's connection
// timeouts are 10 minutes for SMTP and 30 for POP3/IMAP4, so a session idle that long is over). One still open when
// a read stops goes to pending_sessions, shared by every file of the format and kept between scans, keyed by the
// session's own identity rather than by file or folder: the next hourly RECV file, the same file grown by the next
// scan, or a copy of the folder exported elsewhere all continue it there. A pending session counted because it went
// idle stays there until logs a week newer have been read; if its continuation turns up first (a copy taken while
// the log was written, exported again later), that hit is taken back and the whole session counted once. Files of a
// folder are read in name order; an engine reading them in parallel keeps that order, one file at a time, within each
// chain of files that can share a session (FormatDef.sessionChain).
import type { DiagnosticCounter } from '../aggregate/diagnostics.js';
import { lineHashAt, TIME_BUCKET } from './exchange-csv.js';
import { fresh, hashed, IN_TABLE, InTable, isLine, sameText, type LineKey, type SessionBase } from './session-entry.js';
import type { PendingSession, PendingSessions } from './types.js';

export { IN_TABLE, type LineKey, type SessionBase } from './session-entry.js';

export const IDLE_MS = 3_600_000;
export const COUNTED_KEEP_MS = 7 * 86_400_000;
/** Open sessions cached by a hash of their id (a power of 2). */
const SLOTS = 4096;
/**
 * Ended sessions remembered (at least the most recent CLOSED_MEMORY) to recognise repeated lines, and how many of them
 * a checkpoint keeps. Over CLOSED_MEMORY + CLOSED_SLACK the oldest go in one pass: deleting a Map's first key one at a
 * time walks the deleted entries before it, which cost a file of 60,000 sessions 0.3 s (measured).
 */
export const CLOSED_MEMORY = 20_000;
const CLOSED_SLACK = 4_096;
const CLOSED_SAVED = 256;

export interface SessionSink<S> {
  /** Adds the session's hit (1), or takes back one added earlier for the same state (-1). */
  emit(s: S, sign: 1 | -1): void;
  /** A state read back from pending_sessions that this format wrote. */
  valid(state: unknown): state is S;
  /**
   * A valid state read back (pending_sessions, a saved state, a message) as a session of the shape create() gives:
   * the line path then sees one shape of session (read-back ones made V8 deoptimize it; measured).
   */
  adopt(state: S): S;
  /** A new session for the line being read, whose first event is at `ts` (its literal declares `[IN_TABLE]`). */
  create(ts: string, lineNo: number): S;
}

export interface SessionTableState<S> {
  open: [string, S][];
  closed: [string, number][];
  sweepAt: string;
}

export class SessionTable<S extends SessionBase> {
  private readonly open = new Map<string, S>();
  /**
   * Open sessions found without their key: the previous line's, and one per slot by a hash of the id (most lines
   * continue the session of the line before, or one of a few interleaved). Every session here is in `open`.
   */
  private recent: S | undefined = undefined;
  private readonly slots: (S | undefined)[] = new Array<S | undefined>(SLOTS).fill(undefined);
  private readonly closed = new Map<string, number>();
  private sweepAt = '';
  /** `sweepAt` as a bucket of exchangeTimeOrderAt (NaN: compare the text). */
  private sweepBucket = NaN;
  /**
   * The newest event read by this parser (this read of the file), and its exchangeTimeOrderAt; while `newestIn` is
   * not undefined, `newest` is `newestIn.slice(newestStart, newestEnd)`, not cut out yet (newestTime()).
   */
  private newest = '';
  private newestAt = -Infinity;
  private newestIn: string | undefined = undefined;
  private newestStart = 0;
  private newestEnd = 0;

  constructor(
    private readonly sink: SessionSink<S>,
    private readonly pending: PendingSessions,
    private readonly diags: DiagnosticCounter,
    state: SessionTableState<S> | null,
  ) {
    if (state === null) return;
    for (const [k, s] of state.open) {
      if (!sink.valid(s)) continue;
      const adopted = sink.adopt(s);
      adopted[IN_TABLE] = new InTable(k, null, s[IN_TABLE]);
      this.open.set(k, adopted);
    }
    for (const [k, seq] of state.closed) this.closed.set(k, seq);
    this.sweepAt = state.sweepAt;
  }

  get size(): number {
    return this.open.size;
  }

  /**
   * The session a line belongs to, created or continued as needed; null when the line is skipped (and reported): an
   * exact repeat of the session's previous line, or a line of a session that already ended. `at`: exchangeTimeOrderAt
   * of the line's time.
   */
  get(line: LineKey, seq: number, at: number, lineNo: number): S | null {
    const span = line.span();
    let s = this.recent;
    if (s === undefined || !isLine(s[IN_TABLE] as InTable, line, span)) {
      const slot = line.hash() & (SLOTS - 1);
      s = this.slots[slot];
      if (s === undefined || !isLine(s[IN_TABLE] as InTable, line, span)) {
        const key = line.key();
        s = this.open.get(key);
        if (s === undefined) {
          const endSeq = this.closed.get(key);
          if (endSeq !== undefined) {
            if (seq <= endSeq) this.diags.add('duplicate_line', lineNo, `session ${line.id()} already ended; sequence number ${seq} repeated`);
            else this.diags.add('after_end', lineNo, `session ${line.id()} already ended; sequence number ${seq} came after its end`);
            return null;
          }
          const revived = this.revive(key);
          s = revived ?? this.sink.create(line.time(), lineNo);
          const t = new InTable(key, span, s[IN_TABLE]);
          if (revived === undefined) t.lastAt = at; // a new session: first = last = the line's time
          s[IN_TABLE] = t;
          this.open.set(key, s);
          this.cache(s, t, slot);
          return this.read(s, t, seq, line, at);
        }
        // found by its key: read back from a saved state, or its slot taken by another session
        const t = s[IN_TABLE] as InTable;
        t.span ??= span;
      }
      this.cache(s, s[IN_TABLE] as InTable, slot);
    }
    const t = s[IN_TABLE] as InTable;
    if (seq === s.lastSeq && seq >= 0) {
      const text = line.lineText();
      const a = line.lineStart();
      const e = line.lineEnd();
      const last = t.lineText;
      if (last === undefined ? lineHashAt(text, a, e) === s.lastHash : sameText(last, t.lineStart, t.lineEnd, text, a, e)) {
        this.diags.add('duplicate_line', lineNo, `session ${line.id()}: the line before repeated (sequence number ${seq})`);
        return null;
      }
      this.diags.note('duplicate_sequence', lineNo, `session ${line.id()}: sequence number ${seq} used by two lines; both read`);
    }
    return this.read(s, t, seq, line, at);
  }

  private cache(s: S, t: InTable, slot: number): void {
    this.slots[slot] = s;
    t.slot = slot;
    this.recent = s;
  }

  /** Takes in the line read: its sequence number, text and time. */
  private read(s: S, t: InTable, seq: number, line: LineKey, at: number): S {
    s.lastSeq = seq;
    const usual = at >= t.lastAt && at >= this.newestAt;
    if (!usual) fresh(s); // its last time is a place in its last line: cut out before that line is replaced
    const text = line.lineText();
    t.lineText = text;
    t.lineStart = line.lineStart();
    t.lineEnd = line.lineEnd();
    if (usual) {
      // the usual line, not before any line before it: as the texts compare (first ≤ last ≤ the line's time; equal
      // numbers are equal texts). Its time becomes the session's last and the newest, cut out when asked for.
      const a = line.timeStart();
      if (a >= 0) {
        const e = line.timeEnd();
        t.timeStart = a;
        t.timeEnd = e;
        t.lastPending = true;
        this.newestIn = text;
        this.newestStart = a;
        this.newestEnd = e;
      } else {
        const ts = line.time();
        s.last = ts;
        t.lastPending = false;
        this.newest = ts;
        this.newestIn = undefined;
      }
      t.lastAt = at;
      this.newestAt = at;
      return s;
    }
    const ts = line.time();
    if (ts > this.newestTime()) {
      this.newest = ts;
      this.newestIn = undefined;
      this.newestAt = at;
    }
    if (ts < s.first) s.first = ts;
    if (ts > s.last) {
      s.last = ts;
      t.lastAt = s.first <= ts ? at : NaN;
    }
    return s;
  }

  private revive(key: string): S | undefined {
    const p = this.pending.take(key);
    if (p === undefined || !this.sink.valid(p.state)) return undefined;
    if (p.counted) this.sink.emit(p.state, -1);
    return this.sink.adopt(p.state);
  }

  /**
   * After a line that ended the session: count it, unless `needStart` and its start is still missing (its head may be
   * in a file read later; it is counted then, or when it goes idle).
   */
  ended(s: S, needStart: boolean): void {
    s.ended = true;
    if (needStart && !s.started) return;
    this.sink.emit(fresh(s), 1);
    this.forget((s[IN_TABLE] as InTable).key, s);
  }

  private forget(key: string, s: S): void {
    if (this.recent === s) this.recent = undefined;
    const slot = s[IN_TABLE]?.slot ?? -1;
    if (slot >= 0 && this.slots[slot] === s) this.slots[slot] = undefined;
    this.open.delete(key);
    this.closed.delete(key);
    this.closed.set(key, s.lastSeq);
    if (this.closed.size > CLOSED_MEMORY + CLOSED_SLACK) {
      let drop = this.closed.size - CLOSED_MEMORY;
      for (const k of this.closed.keys()) {
        if (drop-- === 0) break;
        this.closed.delete(k);
      }
    }
  }

  /** `newest`, cut out of its line if it is not yet. */
  private newestTime(): string {
    if (this.newestIn !== undefined) {
      this.newest = this.newestIn.slice(this.newestStart, this.newestEnd);
      this.newestIn = undefined;
    }
    return this.newest;
  }

  /**
   * Counts the sessions idle for IDLE_MS of log time; checked once per 10 minutes of log time (or a jump back). `at`:
   * exchangeTimeOrderAt of the line's time.
   */
  sweep(line: LineKey, at: number): void {
    const tenMinutes = Math.floor(at / TIME_BUCKET);
    if (tenMinutes === this.sweepBucket) return; // the same bucket, without cutting it out (NaN: never)
    const ts = line.time();
    const bucket = ts.slice(0, 15);
    this.sweepBucket = tenMinutes;
    if (bucket === this.sweepAt) return;
    this.sweepAt = bucket;
    const now = Date.parse(ts);
    for (const [key, s] of this.open) {
      if (Math.abs(now - Date.parse(fresh(s).last)) > IDLE_MS) {
        this.sink.emit(s, 1);
        this.forget(key, s);
      }
    }
  }

  /**
   * At the end of a read: count what is over, hand the rest to pending_sessions. Sessions other reads left pending are
   * not looked at here (sweepPending does that once per scan): reads of different servers' files may run at once.
   */
  finish(now: Date): void {
    const nowMs = now.getTime();
    for (const [key, s] of this.open) {
      fresh(s);
      if (s.started && s.ended) {
        this.sink.emit(s, 1);
        continue;
      }
      const idle = nowMs - Date.parse(s.last) > IDLE_MS;
      if (idle) this.sink.emit(s, 1);
      this.pending.put(key, { lastSeen: s.last, counted: idle, state: hashed(s) });
    }
    this.open.clear();
    this.recent = undefined;
    this.slots.fill(undefined);
    this.pending.saw?.(this.newestTime());
  }

  /**
   * Once per scan, after every read of the format (and after a single read outside a scan): counts the pending
   * sessions idle for IDLE_MS by `now`, and drops counted ones whose logs have moved on a week past them (`newest`:
   * the newest event the scan read in this format's files; default this table's own).
   */
  sweepPending(now: Date, newest = this.newestTime()): void {
    const nowMs = now.getTime();
    const newestMs = newest === '' ? -Infinity : Date.parse(newest);
    for (const [key, p] of this.pending.entries()) {
      const lastMs = Date.parse(p.lastSeen);
      if (!this.sink.valid(p.state)) {
        this.pending.take(key);
      } else if (!p.counted && nowMs - lastMs > IDLE_MS) {
        this.sink.emit(p.state, 1);
        this.pending.put(key, { ...p, counted: true });
      } else if (p.counted && newestMs - lastMs > COUNTED_KEEP_MS) {
        this.pending.take(key); // the logs have moved on a week past it: no continuation will come
      }
    }
  }

  save(): SessionTableState<S> {
    const closed: [string, number][] = [];
    let skip = this.closed.size - CLOSED_SAVED;
    for (const entry of this.closed) if (skip-- <= 0) closed.push(entry);
    const open: [string, S][] = [];
    for (const [key, s] of this.open) open.push([key, hashed(s)]);
    return { open, closed, sweepAt: this.sweepAt };
  }
}

/** For a parser run without the engine (unit tests of the core): pending sessions live as long as this object. */
export function memoryPending(): PendingSessions {
  const m = new Map<string, PendingSession>();
  return {
    take: (k) => {
      const s = m.get(k);
      m.delete(k);
      return s;
    },
    put: (k, s) => void m.set(k, s),
    entries: () => [...m],
  };
}
