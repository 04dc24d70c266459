// Per-file counts of skipped lines by reason, with the first line number and one example message each.
// Diagnostics are values: parsers report them here and keep going; nothing here throws or prints.

export type DiagnosticCode =
  | 'no_fields' // data line before any #Fields directive
  | 'field_count' // token count differs from the current #Fields
  | 'bad_timestamp' // date or time token is not a date or time
  | 'garbage' // NUL bytes or other non-log text
  | 'line_too_long' // longer than the line limit, skipped to the next newline
  | 'bad_record' // a format-specific record that cannot be used
  | 'read_error' // the file could not be read to its end
  | 'earlier_fields'; // (kept, not bad) values matched an earlier #Fields of the file, not the current one

export interface DiagnosticEntry {
  code: DiagnosticCode | string;
  count: number;
  firstLine: number;
  message: string;
}

/** Told of the first line of each kind of problem per file (the scan calls it when committing). */
export type DiagnosticListener = (file: string, line: number, code: string, message: string) => void;

export class DiagnosticCounter {
  readonly entries = new Map<string, DiagnosticEntry>();
  total = 0;

  constructor(readonly file: string) {}

  /** A skipped line: counted in `total` (the file's bad lines). */
  add(code: DiagnosticCode | string, line: number, message: string): void {
    this.total++;
    this.record(code, line, message);
  }

  /** A line that was kept but deserves a look: listed, not counted as bad. */
  note(code: DiagnosticCode | string, line: number, message: string): void {
    this.record(code, line, message);
  }

  private record(code: string, line: number, message: string): void {
    const entry = this.entries.get(code);
    if (entry) {
      entry.count++;
      return;
    }
    this.entries.set(code, { code, count: 1, firstLine: line, message });
  }

  /** Entries gathered since the last drain, for storing with a checkpoint. */
  drain(): DiagnosticEntry[] {
    const out = [...this.entries.values()];
    this.entries.clear();
    return out;
  }
}
