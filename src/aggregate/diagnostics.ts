// Per-file counts of skipped lines by reason, with the first line number and one example message each.
// Diagnostics are values: parsers report them here and keep going; nothing here throws or prints.

/**
 * Every code a diagnostic may carry, with what it means: the one list (the README's `diagnostics` table is tested
 * against it). `bad`: counted among the file's bad lines (`add`); otherwise the line was kept and is only listed
 * (`note`).
 */
export const DIAGNOSTIC_CODES = {
  no_fields: { bad: true, meaning: 'data line before any #Fields directive' },
  field_count: { bad: true, meaning: 'token count differs from the current #Fields' },
  bad_timestamp: { bad: true, meaning: 'date or time token is not a date or time' },
  garbage: { bad: true, meaning: 'NUL bytes or other non-log text' },
  line_too_long: { bad: true, meaning: 'longer than the line limit, skipped to the next newline' },
  bad_record: { bad: true, meaning: 'a format-specific record that cannot be used' },
  read_error: { bad: true, meaning: 'the file could not be read to its end' },
  earlier_fields: { bad: false, meaning: 'values matched an earlier #Fields of the file, not the current one' },
  duplicate_line: { bad: true, meaning: "an exact repeat of an Exchange session's line" },
  duplicate_sequence: { bad: false, meaning: 'two different Exchange lines with one sequence number: both read' },
  after_end: { bad: true, meaning: "an Exchange line after the session's end" },
  bad_address: { bad: false, meaning: 'a redacted or garbled endpoint: the session is counted with it as logged' },
  missing_column: { bad: true, meaning: 'an Exchange Online report without a required column: file not read' },
  bad_cell: { bad: true, meaning: 'an Exchange Online report cell that is not a number' },
  count_mismatch: { bad: true, meaning: 'an Exchange Online report row whose counts do not add up' },
  ambiguous_date: { bad: true, meaning: 'an Exchange Online report or sign-in CSV whose day/month order was guessed wrong' },
  guessed_date_order: { bad: false, meaning: 'an Exchange Online report or sign-in CSV whose dates never showed day or month first (every day ≤ 12): read in the order guessed' },
  older_export: { bad: false, meaning: 'an older Exchange Online export read after a newer one: ignored' },
  bad_json: { bad: true, meaning: 'JSON that does not parse: an NDJSON line, or the sign-in of a document holding the bad spot (line, column and byte given; reading goes on after it)' },
  truncated: { bad: true, meaning: 'a JSON document that ends before it is complete (an interrupted download): what came before is read' },
  unknown_columns: { bad: false, meaning: 'a sign-in log CSV with columns the reader does not use, named in the message' },
  no_tls_details: { bad: false, meaning: 'a sign-in log CSV without AuthenticationProcessingDetails: its TLS versions are unknown' },
  duplicate_signin: { bad: false, meaning: 'an Entra ID sign-in already counted (same id, this or another export): counted once' },
  pruned_day: { bad: false, meaning: 'an Entra ID sign-in on a day prune removed: not counted again' },
} as const satisfies Record<string, { bad: boolean; meaning: string }>;

type Codes = typeof DIAGNOSTIC_CODES;
export type DiagnosticCode = keyof Codes;
/** Codes of lines counted as bad. */
export type BadLineCode = { [K in DiagnosticCode]: Codes[K]['bad'] extends true ? K : never }[DiagnosticCode];
/** Codes of lines kept but worth a look. */
export type NoteCode = Exclude<DiagnosticCode, BadLineCode>;

export interface DiagnosticEntry {
  code: DiagnosticCode;
  count: number;
  firstLine: number;
  message: string;
}

/** Told of the first line of each kind of problem per file (the scan calls it when committing). */
export type DiagnosticListener = (file: string, line: number, code: DiagnosticCode, message: string) => void;

export class DiagnosticCounter {
  readonly entries = new Map<DiagnosticCode, DiagnosticEntry>();
  total = 0;

  constructor(readonly file: string) {}

  /** A skipped line: counted in `total` (the file's bad lines). */
  add(code: BadLineCode, line: number, message: string): void {
    this.total++;
    this.record(code, line, message);
  }

  /** A line that was kept but deserves a look: listed, not counted as bad. */
  note(code: NoteCode, line: number, message: string): void {
    this.record(code, line, message);
  }

  private record(code: DiagnosticCode, line: number, message: string): void {
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
