// What the session-based Exchange CSV logs (SMTP Receive/Send, POP3/IMAP4) share: data lines split as CSV under the
// #Fields in force (exchange-csv.ts), a #Log-type that names the kind of log, and sessions kept in a SessionTable
// (open ones saved with the parser state and in pending_sessions). Subclasses bind columns and read rows.
import { touch, type UsageDims } from '../aggregate/usage.js';
import { parseCsvLine, parseFieldNames, toSecond } from './exchange-csv.js';
import { memoryPending, SessionTable, type SessionBase, type SessionTableState } from './exchange-session.js';
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
}

export abstract class SessionLogParser<S extends SessionBase & { first: string; last: string }, B, K>
implements LineParser {
  records = 0;
  tlsFields = false;
  protected b: B | null = null;
  protected kind: K | null = null;
  protected readonly table: SessionTable<S>;
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
  /** The message for a #Fields directive that bind() refuses. */
  protected abstract readonly missingColumns: string;
  /** One CSV record (or why it could not be parsed) of the line `text`. */
  protected abstract row(v: string[] | string, text: string, lineNo: number): void;

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
    if (text.length === 0) return; // blank lines between concatenated logs
    if (text.charCodeAt(0) === 35) {
      const d = parseW3cDirective(text);
      if (d?.name === 'fields' && !this.setFields(d.value)) {
        this.ctx.diags.add('bad_record', lineNo, `${this.missingColumns}: lines up to the next #Fields are skipped`);
      } else if (d?.name === 'log-type') {
        this.kind = this.logType(d.value) ?? this.kind;
      }
      return;
    }
    if (this.b === null) return this.ctx.diags.add('no_fields', lineNo, 'data line before any usable #Fields directive');
    this.row(parseCsvLine(text), text, lineNo);
  }

  private setFields(value: string): boolean {
    this.fields = value;
    this.b = this.bind(parseFieldNames(value));
    return this.b !== null;
  }
}
