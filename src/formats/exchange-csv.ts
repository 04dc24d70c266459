// Exchange protocol-log lines (SMTP, POP3/IMAP4) as CSV records with csv-parse, one physical line = one record,
// plus the small helpers both Exchange parsers share (timestamps, line hashes). It does not track sessions.
//
// Why blocks of lines through csv-parse/sync (measured, see bench/RESULTS.md "exchange-scan"): csv-parse pays a
// fixed cost per call (option normalisation, some 30 small buffers), so one call per line costs about three times
// as much as one call per block of lines. A long-lived csv-parse stream is as cheap but hands each record over one
// line late and lets an unclosed quote swallow the lines after it. A block is checked to give one record per line
// (an unclosed quote joins lines, so there would be fewer) and is otherwise parsed line by line: a bad line is one
// diagnostic and takes no good line with it.
import { parse } from 'csv-parse/sync';

const OPTIONS = {
  relax_quotes: true, // a quote inside an unquoted value is kept as text (Exchange never escapes those)
  relax_column_count: true, // the caller checks the count against #Fields and reports the line
  record_delimiter: '\n', // lines arrive without their end; fixing the delimiter skips csv-parse's detection
  skip_empty_lines: false,
} as const;

/** The values of one CSV line, or a message saying why it is not one (e.g. an unclosed quote). */
export function parseCsvLine(line: string): string[] | string {
  try {
    const records = parse(line, OPTIONS);
    if (records.length !== 1) return `${records.length} CSV records in one line`;
    return records[0];
  } catch (err) {
    return `not valid CSV: ${(err as Error).message.slice(0, 80)}`;
  }
}

/** The values of each line, in order: one csv-parse call for the block, line by line when the block is not clean. */
export function parseCsvLines(lines: readonly string[]): (string[] | string)[] {
  if (lines.length === 1) return [parseCsvLine(lines[0])];
  try {
    const records = parse(lines.join('\n'), OPTIONS);
    if (records.length === lines.length) return records;
  } catch {
    // an unclosed quote at the end of the block: find it line by line
  }
  return lines.map(parseCsvLine);
}

/** Lines per csv-parse call: past a few hundred the fixed cost per call no longer shows (bench/RESULTS.md). */
export const CSV_BLOCK_LINES = 512;

/**
 * Holds data lines and hands them on parsed, in order, once CSV_BLOCK_LINES have gathered or when flushed. The
 * parser using it flushes before a directive, before saving its state and at the end of a read, and the engine
 * flushes it before each commit (LineParser.flush), so no row is ever behind the checkpoint that covers its line.
 */
export class CsvBlock {
  private texts: string[] = [];
  private lineNos: number[] = [];

  constructor(private readonly each: (values: string[] | string, text: string, lineNo: number) => void) {}

  add(text: string, lineNo: number): void {
    this.texts.push(text);
    this.lineNos.push(lineNo);
    if (this.texts.length >= CSV_BLOCK_LINES) this.flush();
  }

  flush(): void {
    if (this.texts.length === 0) return;
    const texts = this.texts;
    const lineNos = this.lineNos;
    this.texts = [];
    this.lineNos = [];
    const values = parseCsvLines(texts);
    for (let i = 0; i < texts.length; i++) this.each(values[i], texts[i], lineNos[i]);
  }
}

/** Column names of a comma-separated #Fields directive, lower case. */
export function parseFieldNames(value: string): string[] {
  const names = parseCsvLine(value);
  return typeof names === 'string' ? [] : names.map((n) => n.trim().toLowerCase());
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?Z$/;

/** Exchange's `2020-04-02T07:57:37.405Z` (UTC, milliseconds optional). */
export function isExchangeTime(t: string): boolean {
  return t.length >= 20 && t.length <= 28 && t.charCodeAt(10) === 84 && ISO.test(t);
}

/** The whole-second form stored in usage.first_seen/last_seen, like IIS rows: `2020-04-02T07:57:37Z`. */
export const toSecond = (t: string): string => t.slice(0, 19) + 'Z';

/** 32-bit FNV-1a of a line: tells an exact repeat of a session's last line from a new one. */
export function lineHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A sequence number as logged, or -1 when it is not a non-negative integer. */
export function sequenceOf(v: string): number {
  return /^\d{1,9}$/.test(v) ? Number(v) : -1;
}
