// What the session-based Exchange CSV logs (SMTP Receive/Send, POP3/IMAP4) share: data lines split as CSV under the
// #Fields in force (exchange-csv.ts), a #Log-type that names the kind of log, and sessions kept in a SessionTable
// (open ones saved with the parser state and in pending_sessions). Subclasses bind columns and read rows. A row's
// values stay in the line until read (CsvFields), and its session is found by comparing its key where it lies.
import { touch, type UsageDims } from '../aggregate/usage.js';
import { CsvFields, parseFieldNames, toSecond } from './exchange-csv.js';
import { memoryPending, SessionTable, type LineKey, type SessionBase, type SessionTableState } from './exchange-session.js';
import type { LineParser, ParseContext } from './types.js';
import { parseW3cDirective } from './w3c-line.js';

/** The parser state stored with a checkpoint: the #Fields in force, the log kind, the open sessions. */
export interface SessionLogState<S, K> {
  fields: string | null;
  kind: K | null;
  sessions: SessionTableState<S> | null;
}

/** How a subclass turns a session into its usage row and counts. */
export interface SessionCounting<S> {
  readonly dims: (s: S) => UsageDims;
  readonly authFailures: (s: S) => number;
  readonly errors: (s: S) => number;
  readonly valid: (state: unknown) => state is S;
  /** A new session's literal (any values): what a session read back is copied into (SessionSink.adopt). */
  readonly blank: () => S;
}

/** The session key of the line in `fields`: the values of some columns joined by U+001F, the session id among them. */
class FieldsKey implements LineKey {
  /** Columns of the key in order (-1: a column the layout lacks, an empty value), and the session id's column. */
  parts: readonly number[] = [];
  idAt = -1;
  /** The time's column. */
  timeAt = -1;
  /** The first and last of `parts` when they are adjacent columns in order, else -1 (the line writes no span). */
  spanFirst = -1;
  spanLast = -1;

  constructor(private readonly fields: CsvFields) {}

  is(key: string): boolean {
    return this.fields.joinIs(this.parts, key);
  }

  hash(): number {
    return this.fields.hash(this.idAt);
  }

  key(): string {
    return this.fields.join(this.parts);
  }

  id(): string {
    return this.fields.get(this.idAt);
  }

  span(): string | null {
    return this.fields.span(this.spanFirst, this.spanLast);
  }

  lineText(): string {
    return this.fields.text;
  }

  lineStart(): number {
    return this.fields.lineStart;
  }

  lineEnd(): number {
    return this.fields.lineEnd;
  }

  time(): string {
    return this.fields.get(this.timeAt);
  }

  timeStart(): number {
    return this.fields.startOf(this.timeAt);
  }

  timeEnd(): number {
    return this.fields.endOf(this.timeAt);
  }

  /** Takes the key and time columns of a new binding. */
  bind(parts: readonly number[], id: number, time: number): void {
    this.parts = parts;
    this.idAt = id;
    this.timeAt = time;
    const adjacent = parts.every((p, j) => p >= 0 && (j === 0 || p === parts[j - 1] + 1));
    this.spanFirst = adjacent ? parts[0] : -1;
    this.spanLast = adjacent ? parts[parts.length - 1] : -1;
  }
}

export abstract class SessionLogParser<S extends SessionBase & { first: string; last: string }, B, K>
implements LineParser {
  records = 0;
  tlsFields = false;
  protected b: B | null = null;
  protected kind: K | null = null;
  protected readonly table: SessionTable<S>;
  /** The values of the line being read, and its session key. */
  protected readonly values = new CsvFields();
  protected readonly key = new FieldsKey(this.values);
  private fields: string | null = null;

  constructor(
    protected readonly ctx: ParseContext,
    state: SessionLogState<S, K> | null,
    counting: SessionCounting<S>,
  ) {
    const sink = {
      emit: (s: S, sign: 1 | -1) => {
        const row = ctx.agg.add(counting.dims(s), toSecond(s.first), sign, sign * counting.authFailures(s), sign * counting.errors(s));
        touch(row, toSecond(s.last));
      },
      valid: counting.valid,
      adopt: (st: S) => Object.assign(counting.blank(), st),
      create: (ts: string, lineNo: number) => this.create(ts, lineNo),
    };
    this.table = new SessionTable(sink, ctx.pending ?? memoryPending(), ctx.diags, state?.sessions ?? null);
    if (state) {
      this.kind = state.kind;
      if (state.fields !== null) this.setFields(state.fields);
    }
  }

  /** The column binding of a #Fields list, or null when a needed column is missing. */
  protected abstract bind(names: readonly string[]): B | null;
  /** The kind of log a #Log-type value names, or null for another. */
  protected abstract logType(value: string): K | null;
  /** The columns of a binding's session key, in the order of the stored key, its session id's and its time's column. */
  protected abstract keyColumns(b: B): { parts: readonly number[]; id: number; time: number };
  /** The message for a #Fields directive that bind() refuses. */
  protected abstract readonly missingColumns: string;
  /** The data line whose values are in `this.values` (line number `lineNo`). */
  protected abstract row(lineNo: number): void;
  /** A new session for the line being read (its values in `this.values`), first seen at `ts`. */
  protected abstract create(ts: string, lineNo: number): S;

  saveState(): SessionLogState<S, K> {
    return { fields: this.fields, kind: this.kind, sessions: this.table.save() };
  }

  end(now: Date): void {
    this.table.finish(now);
  }

  sweepPending(now: Date, newest?: string): void {
    this.table.sweepPending(now, newest);
  }

  line(text: string, lineNo: number): void {
    this.lineIn(text, 0, text.length, lineNo);
  }

  /** The line `text.slice(start, end)`, read where it lies: a data line's values are not cut out of the region. */
  lineIn(text: string, start: number, end: number, lineNo: number): void {
    if (end === start) return; // blank lines between concatenated logs
    if (text.charCodeAt(start) === 35) {
      const d = parseW3cDirective(start === 0 && end === text.length ? text : text.slice(start, end));
      if (d?.name === 'fields' && !this.setFields(d.value)) {
        this.ctx.diags.add('bad_record', lineNo, `${this.missingColumns}: lines up to the next #Fields are skipped`);
      } else if (d?.name === 'log-type') {
        this.kind = this.logType(d.value) ?? this.kind;
      }
      return;
    }
    if (this.b === null) return this.ctx.diags.add('no_fields', lineNo, 'data line before any usable #Fields directive');
    const bad = this.values.readIn(text, start, end);
    if (bad !== null) return this.ctx.diags.add('bad_record', lineNo, bad);
    this.row(lineNo);
  }

  private setFields(value: string): boolean {
    this.fields = value;
    this.b = this.bind(parseFieldNames(value));
    if (this.b === null) return false;
    const { parts, id, time } = this.keyColumns(this.b);
    this.key.bind(parts, id, time);
    return true;
  }
}
