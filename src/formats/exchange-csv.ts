// Exchange protocol-log lines (SMTP, POP3/IMAP4) as CSV records with csv-parse, one physical line = one record,
// plus the small helpers both Exchange parsers share (timestamps, line hashes). It does not track sessions.
//
// Why csv-parse/sync per line (measured, see bench/RESULTS.md "Exchange scan"): about 12 µs a line with
// record_delimiter given, 88 µs when csv-parse must detect it. A long-lived csv-parse stream costs about 8 µs a
// line but hands each record over one line late and lets an unclosed quote swallow the lines after it, so a bad
// line could take good ones with it; parsed alone, a bad line is one diagnostic.
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
