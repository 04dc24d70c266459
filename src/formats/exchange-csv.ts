// Exchange protocol-log lines (SMTP, POP3/IMAP4) as CSV records, one physical line = one record, plus the small
// helpers both Exchange parsers share (timestamps, line hashes). It does not track sessions.
//
// Why a hand-written split first (measured, see bench/RESULTS.md "smtp-receive"): csv-parse pays a fixed cost per
// call and walks every character through its state machine; most lines have no quote at all (a plain split at
// commas) and the rest quote whole values. splitCsvLine takes those; a line it cannot be sure of (a quote inside an
// unquoted value, text after a closing quote, an unclosed quote) goes to csv-parse, whose answer stands, so the
// values are always csv-parse's (a differential test over the real fixtures and generated lines holds them equal).
import { parse } from 'csv-parse/sync';

const OPTIONS = {
  relax_quotes: true, // a quote inside an unquoted value is kept as text (Exchange never escapes those)
  relax_column_count: true, // the caller checks the count against #Fields and reports the line
  record_delimiter: '\n', // lines arrive without their end; fixing the delimiter skips csv-parse's detection
  skip_empty_lines: false,
} as const;

/** csv-parse's values of one line, or a message saying why it is not one CSV record (e.g. an unclosed quote). */
export function csvParseLine(line: string): string[] | string {
  try {
    const records = parse(line, OPTIONS);
    if (records.length !== 1) return `${records.length} CSV records in one line`;
    return records[0];
  } catch (err) {
    return `not valid CSV: ${(err as Error).message.slice(0, 80)}`;
  }
}

/**
 * The values of a line whose quotes are all plain: none, or only around whole values ("a, ""b""" → a, "b"); null
 * when csv-parse must decide. No per-line library call: indexOf and slices.
 */
export function splitCsvLine(line: string): string[] | null {
  if (line.indexOf('"') < 0) return line !== '' && line.indexOf('\r') < 0 ? line.split(',') : null;
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    if (i < n && line.charCodeAt(i) === 34) {
      let value = '';
      let from = i + 1;
      for (;;) {
        const q = line.indexOf('"', from);
        if (q < 0) return null; // unclosed
        if (line.charCodeAt(q + 1) === 34) {
          value += line.slice(from, q + 1); // a doubled quote is one quote
          from = q + 2;
          continue;
        }
        value += line.slice(from, q);
        i = q + 1;
        break;
      }
      out.push(value);
      if (i === n) break;
      if (line.charCodeAt(i) !== 44) return null; // text after the closing quote
      i++;
    } else {
      const c = line.indexOf(',', i);
      const end = c < 0 ? n : c;
      const q = line.indexOf('"', i);
      if (q >= 0 && q < end) return null; // a quote inside an unquoted value
      out.push(line.slice(i, end));
      if (c < 0) break;
      i = c + 1;
    }
  }
  return line.indexOf('\r') < 0 ? out : null;
}

/** The values of one CSV line, or a message saying why it is not one (e.g. an unclosed quote). */
export function parseCsvLine(line: string): string[] | string {
  return splitCsvLine(line) ?? csvParseLine(line);
}

/** Column names of a comma-separated #Fields directive, lower case. */
export function parseFieldNames(value: string): string[] {
  const names = parseCsvLine(value);
  return typeof names === 'string' ? [] : names.map((n) => n.trim().toLowerCase());
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** `0000-00-00T00:00:00`: the separators by position; every other position a digit. */
const SEPARATORS = [-1, -1, -1, -1, 45, -1, -1, 45, -1, -1, 84, -1, -1, 58, -1, -1, 58, -1, -1];

/** Exchange's `2020-04-02T07:57:37.405Z` (UTC, milliseconds optional: 1 to 7 digits). Character checks, no RegExp. */
export function isExchangeTime(t: string): boolean {
  const n = t.length;
  if (n < 20 || n > 28 || n === 21 || t.charCodeAt(n - 1) !== 90) return false;
  for (let i = 0; i < 19; i++) {
    const sep = SEPARATORS[i];
    const c = t.charCodeAt(i);
    if (sep < 0 ? !isDigit(c) : c !== sep) return false;
  }
  if (n === 20) return true;
  if (t.charCodeAt(19) !== 46) return false;
  for (let i = 20; i < n - 1; i++) if (!isDigit(t.charCodeAt(i))) return false;
  return true;
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
  const n = v.length;
  if (n === 0 || n > 9) return -1;
  let x = 0;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (!isDigit(c)) return -1;
    x = x * 10 + (c - 48);
  }
  return x;
}
