// The line-driven skeleton both Exchange Online report parsers share: header, missing-column check, records.
// Subclasses say what the columns are and what a row means; this class owns the resumable CSV state.
import { type ColumnSpec, type Header, type PendingRecord, type RecordEvent, RecordReader, readHeader } from './exo-csv.js';
import type { LineParser, ParseContext } from './types.js';

export interface ExoBaseState {
  /** From an Excel "sep=" line before the header. */
  sepDelimiter: string | null;
  header: { delimiter: string; columns: Record<string, number>; found: string[] } | null;
  /** The header lacked a required column: the rest of the file is not read. */
  unusable: boolean;
  pending: PendingRecord | null;
  /** Data records seen, for "row N" in messages. */
  rows: number;
}

export const freshBase = (): ExoBaseState => ({ sepDelimiter: null, header: null, unusable: false, pending: null, rows: 0 });

export abstract class ExoReportParser<S extends ExoBaseState> implements LineParser {
  records = 0;
  tlsFields = false;
  protected readonly st: S;
  private reader: RecordReader | null = null;
  private readonly events: RecordEvent[] = [];

  constructor(
    protected readonly ctx: ParseContext,
    state: S | null,
    fresh: S,
    private readonly specs: readonly ColumnSpec[],
    /** "an Exchange Online SMTP AUTH clients report", for messages. */
    private readonly title: string,
  ) {
    this.st = state && typeof state === 'object' ? { ...fresh, ...state } : fresh;
    if (this.st.header !== null) {
      this.tlsFields = true;
      this.reader = new RecordReader(this.st.header.delimiter, this.st.pending);
    }
  }

  /** Called once with the bound header (also not again on resume: the state holds what it sets). */
  protected abstract onHeader(header: Header): void;
  /** One data record; `rowNo` counts records from 1. */
  protected abstract row(cells: readonly string[], line: number, rowNo: number): void;

  saveState(): S {
    return { ...this.st, pending: this.reader?.pending ?? null };
  }

  line(text: string, lineNo: number): void {
    if (this.st.unusable) return;
    if (this.reader === null) return this.headerLine(text, lineNo);
    this.reader.push(text, lineNo, this.events);
    for (const e of this.events) {
      if (e.kind === 'unclosed') {
        this.ctx.diags.add('bad_record', e.line, 'a quoted cell is not closed within 20 lines; the line was skipped');
        continue;
      }
      const rowNo = ++this.st.rows;
      const need = Math.max(...Object.values(this.st.header?.columns ?? {}));
      if (e.cells.length <= need) {
        const names = this.st.header?.found.length ?? 0;
        this.ctx.diags.add('field_count', e.line, `row ${rowNo} has ${e.cells.length} cells where the header names ${names}`);
        continue;
      }
      this.row(e.cells, e.line, rowNo);
    }
    this.events.length = 0;
  }

  private headerLine(text: string, lineNo: number): void {
    if (text.trim() === '') return;
    const sep = /^"?sep=(.)"?\s*$/i.exec(text);
    if (sep && this.st.sepDelimiter === null) {
      this.st.sepDelimiter = sep[1];
      return;
    }
    const h = readHeader(text, this.specs, this.st.sepDelimiter);
    if (h.missing.length > 0) {
      this.st.unusable = true;
      const expected = this.specs.map((s) => (s.required ? s.label : `${s.label} (optional)`)).join(', ');
      this.ctx.diags.add(
        'missing_column',
        lineNo,
        `looks like ${this.title} but has no column ${h.missing.map((s) => `"${s.label}"`).join(', ')}; ` +
          `columns found: ${h.found.map((f) => JSON.stringify(f)).join(', ')}; expected: ${expected}`,
      );
      return;
    }
    this.st.header = { delimiter: h.delimiter, columns: { ...h.columns }, found: [...h.found] };
    this.tlsFields = true;
    this.reader = new RecordReader(h.delimiter, null);
    this.onHeader(h);
    if (this.ctx.reports === undefined) {
      this.st.unusable = true; // rows would be lost: say so rather than report nothing
      this.ctx.diags.add('bad_record', lineNo, 'this scan path has no store for report rows; the file was not read');
    }
  }

  /** The trimmed cell of a column, '' when the column is absent. */
  protected cell(cells: readonly string[], key: string): string {
    const at = this.st.header?.columns[key];
    return at === undefined ? '' : (cells[at] ?? '').trim();
  }

  protected has(key: string): boolean {
    return this.st.header !== null && key in this.st.header.columns;
  }

  /** A cell that is not what its column holds: a diagnostic naming the row and the column as exported. */
  protected badCell(line: number, rowNo: number, key: string, value: string, what: string): void {
    const at = this.st.header?.columns[key];
    const name = at === undefined ? key : this.st.header?.found[at];
    const shown = value.length > 40 ? value.slice(0, 39) + '…' : value;
    this.ctx.diags.add('bad_cell', line, `row ${rowNo}, column "${name}": ${JSON.stringify(shown)} is not ${what}; row skipped`);
  }
}
