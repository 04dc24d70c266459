// Exchange protocol-log lines (SMTP, POP3/IMAP4) as CSV records, one physical line = one record, plus the small
// helpers both Exchange parsers share (timestamps, line hashes). It does not track sessions.
//
// Why a hand-written split first (measured, see bench/RESULTS.md "smtp-receive"): csv-parse pays a fixed cost per
// call and walks every character through its state machine; most lines have no quote at all (a plain split at
// commas) and the rest quote whole values. splitCsvLine takes those; a line it cannot be sure of (a quote inside an
// unquoted value, text after a closing quote, an unclosed quote) goes to csv-parse, whose answer stands, so the
// values are always csv-parse's (a differential test over the real fixtures and generated lines holds them equal).
//
// The parsers read lines through CsvFields: the same values, but found in place (where each starts and ends) and cut
// out only when asked for. A line needs its time, session id, sequence number and event; the rest (data, context, the
// remote endpoint, the connector) only some lines or a new session need (measured: bench/RESULTS.md "smtp-receive").
import { parse } from 'csv-parse/sync';
import { digits2 } from '../aggregate/packed-rows.js';

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

/**
 * The values of one line found in place: where each starts and ends in the line, cut out only when asked for, compared
 * and hashed where they lie. The values are parseCsvLine's: the same split rules, and csv-parse's values when the
 * split cannot be sure. One object is reused for every line of a parser.
 */
export class CsvFields {
  /** The line last read is `text.slice(lineStart, lineEnd)`: text may be the whole region it was read in. */
  text = '';
  lineStart = 0;
  lineEnd = 0;
  /** How many values it has. */
  count = 0;
  private starts = new Int32Array(32);
  private ends = new Int32Array(32);
  /** 1 for a quoted value with doubled quotes inside (unescaped when cut out); read only when `escapes`. */
  private escaped = new Uint8Array(32);
  private escapes = false;
  /** Where the line's first quote is (its length when it has none): values ending before it were not quoted. */
  private firstQuote = 0;
  /** csv-parse's values when the split left the line to it, else null. */
  private parsed: string[] | null = null;
  /**
   * The first quote and the first CR at or after `foundFrom` in `foundIn` (its length when none): lines of one region
   * are read in order, so each search goes on from where the last one stopped instead of to the region's end per line.
   */
  private foundIn = '';
  private foundFrom = 0;
  private quoteAt = 0;
  private crAt = 0;

  /** Reads `line`: null, or a message saying why it is not one CSV record (e.g. an unclosed quote). */
  read(line: string): string | null {
    return this.readIn(line, 0, line.length);
  }

  /** Reads the line `text.slice(start, end)` where it lies (text: a region of lines, decoded once); as read(). */
  readIn(text: string, start: number, end: number): string | null {
    this.text = text;
    this.lineStart = start;
    this.lineEnd = end;
    this.parsed = null;
    if (this.split(text, start, end)) return null;
    const v = csvParseLine(start === 0 && end === text.length ? text : text.slice(start, end));
    if (typeof v === 'string') return v;
    this.parsed = v;
    this.count = v.length;
    return null;
  }

  /** Value `i` (0 ≤ i < count); '' for a column the layout lacks (i < 0). */
  get(i: number): string {
    if (i < 0) return '';
    if (this.parsed !== null) return this.parsed[i];
    const v = this.text.slice(this.starts[i], this.ends[i]);
    return this.escapes && this.escaped[i] === 1 ? v.replaceAll('""', '"') : v;
  }

  /** Where value `i` starts in `text` when it stands there as it is (not quoted with quotes inside), else -1. */
  startOf(i: number): number {
    return i >= 0 && this.inPlace(i) ? this.starts[i] : -1;
  }

  /** Where value `i` ends in `text` (with startOf). */
  endOf(i: number): number {
    return i >= 0 ? this.ends[i] : -1;
  }

  /** The first character code of value `i`, read in place; NaN when it is ''. */
  firstCode(i: number): number {
    if (i < 0) return NaN;
    if (this.parsed !== null) return this.parsed[i].charCodeAt(0);
    return this.starts[i] < this.ends[i] ? this.text.charCodeAt(this.starts[i]) : NaN;
  }

  /** Whether value `i` is ''. */
  isEmpty(i: number): boolean {
    return i < 0 || (this.parsed !== null ? this.parsed[i] === '' : this.starts[i] === this.ends[i]);
  }

  /** isExchangeTime of value `i`, read in place. */
  isTime(i: number): boolean {
    return this.time(i) !== -1;
  }

  /** exchangeTimeOrder of value `i`, read in place: -1 when it is not an Exchange time. */
  time(i: number): number {
    if (i < 0) return -1;
    if (this.inPlace(i)) return exchangeTimeOrderAt(this.text, this.starts[i], this.ends[i]);
    const v = this.get(i);
    return exchangeTimeOrderAt(v, 0, v.length);
  }

  /**
   * Values `first` to `last` as they stand in the line, commas between, when none of them was quoted (so none holds a
   * comma or quote): one string to compare a session key with. Null otherwise.
   */
  span(first: number, last: number): string | null {
    if (this.parsed !== null || first < 0 || first > last || this.ends[last] > this.firstQuote) return null;
    return this.text.slice(this.starts[first], this.ends[last]);
  }

  /** sequenceOf value `i`, read in place. */
  sequence(i: number): number {
    if (i < 0) return -1;
    if (this.inPlace(i)) return sequenceAt(this.text, this.starts[i], this.ends[i]);
    return sequenceOf(this.get(i));
  }

  /** The values of `parts` joined by U+001F (a session key), as one flat string. */
  join(parts: readonly number[]): string {
    const values: string[] = [];
    for (const i of parts) values.push(this.get(i));
    return values.join('\u001f');
  }

  /**
   * Whether `key` is join(parts), compared in place. From the end backwards: a session key's id is last, or its
   * endpoints, and two sessions' keys differ there first.
   */
  joinIs(parts: readonly number[], key: string): boolean {
    const text = this.text;
    let p = key.length;
    for (let j = parts.length - 1; j >= 0; j--) {
      const i = parts[j];
      if (i >= 0) {
        if (!this.inPlace(i)) {
          const v = this.get(i);
          p -= v.length;
          if (p < 0 || !key.startsWith(v, p)) return false;
        } else {
          const a = this.starts[i];
          let e = this.ends[i];
          if (e - a > p) return false;
          while (e > a) if (text.charCodeAt(--e) !== key.charCodeAt(--p)) return false;
        }
      }
      if (j > 0 && (--p < 0 || key.charCodeAt(p) !== 31)) return false;
    }
    return p === 0;
  }

  /** A 32-bit hash (FNV-1a) of value `i`, read in place. */
  hash(i: number): number {
    if (i < 0) return 0;
    return this.inPlace(i) ? lineHashAt(this.text, this.starts[i], this.ends[i]) : lineHash(this.get(i));
  }

  /** Value `i` is the text between its start and end as it stands (not csv-parse's, no doubled quote inside). */
  private inPlace(i: number): boolean {
    return this.parsed === null && !(this.escapes && this.escaped[i] === 1);
  }

  /** Where the first quote and CR at or after `start` are (`text.length` when none), found once per stretch. */
  private find(text: string, start: number): void {
    if (text === this.foundIn && start >= this.foundFrom) {
      if (this.quoteAt < start) this.quoteAt = seek(text, '"', start);
      if (this.crAt < start) this.crAt = seek(text, '\r', start);
    } else {
      this.foundIn = text;
      this.quoteAt = seek(text, '"', start);
      this.crAt = seek(text, '\r', start);
    }
    this.foundFrom = start;
  }

  /** splitCsvLine's rules on `line.slice(start, n)`, recording where values lie; false where it answers null. */
  private split(line: string, start: number, n: number): boolean {
    if (n === start) return false;
    this.find(line, start);
    if (this.crAt < n) return false;
    let q = this.quoteAt < n ? this.quoteAt : -1; // the first quote at or after i, or -1 when there is none
    let i = start;
    let k = 0;
    this.escapes = false;
    this.firstQuote = q < 0 ? n : q;
    for (;;) {
      if (k === this.starts.length) this.grow();
      if (q === i) {
        const from = i + 1;
        let escaped = 0;
        let c = line.indexOf('"', from);
        for (;;) {
          if (c < 0 || c >= n) return false; // unclosed
          if (c + 1 === n || line.charCodeAt(c + 1) !== 34) break;
          escaped = 1; // a doubled quote is one quote
          c = line.indexOf('"', c + 2);
        }
        this.starts[k] = from;
        this.ends[k] = c;
        this.escaped[k++] = escaped;
        if (escaped === 1) this.escapes = true;
        i = c + 1;
        if (i === n) break;
        if (line.charCodeAt(i) !== 44) return false; // text after the closing quote
        i++;
        this.quoteAt = seek(line, '"', i); // the search goes on from here for the next line too
        this.foundFrom = i;
        q = this.quoteAt < n ? this.quoteAt : -1;
      } else {
        let c = line.indexOf(',', i);
        if (c >= n) c = -1;
        const end = c < 0 ? n : c;
        if (q >= 0 && q < end) return false; // a quote inside an unquoted value
        this.starts[k] = i;
        this.ends[k] = end;
        this.escaped[k++] = 0;
        if (c < 0) break;
        i = c + 1;
      }
    }
    this.count = k;
    return true;
  }

  private grow(): void {
    const n = this.starts.length * 2;
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    const escaped = new Uint8Array(n);
    starts.set(this.starts);
    ends.set(this.ends);
    escaped.set(this.escaped);
    this.starts = starts;
    this.ends = ends;
    this.escaped = escaped;
  }
}

/** Where `what` first is in `text` at or after `from`; `text.length` when nowhere. */
function seek(text: string, what: string, from: number): number {
  const at = text.indexOf(what, from);
  return at < 0 ? text.length : at;
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

/** Exchange's `2020-04-02T07:57:37.405Z` (UTC, milliseconds optional: 1 to 7 digits). Character checks, no RegExp. */
export function isExchangeTime(t: string): boolean {
  return exchangeTimeOrderAt(t, 0, t.length) !== -1;
}

/** Where exchangeTimeOrderAt puts the 10 minutes of a time: `Math.floor(order / TIME_BUCKET)`. */
export const TIME_BUCKET = 1e6;

/**
 * A number that orders Exchange times as their text does (string comparison), read in place, or -1 when `t.slice(a,
 * e)` is not an Exchange time. Comparing texts cut out of a line costs a runtime call each (measured 30 to 90 ns, a
 * number 1); only the usual form has a number: `YYYY-MM-DDThh:mm:ss.fffZ` with a year 1970 to 2199, month ≤ 12,
 * day ≤ 31. Any other Exchange time is NaN (compare its text). Digits in place: one time's 10 minutes
 * (`YYYY-MM-DDThh:m`, the SessionTable's sweep bucket) are `Math.floor(order / TIME_BUCKET)`.
 */
export function exchangeTimeOrderAt(t: string, a: number, e: number): number {
  const n = e - a;
  if (n < 20 || n > 28 || n === 21 || t.charCodeAt(e - 1) !== 90) return -1;
  if (t.charCodeAt(a + 4) !== 45 || t.charCodeAt(a + 7) !== 45 || t.charCodeAt(a + 10) !== 84 ||
    t.charCodeAt(a + 13) !== 58 || t.charCodeAt(a + 16) !== 58) return -1;
  const century = digits2(t, a);
  const yy = digits2(t, a + 2);
  const month = digits2(t, a + 5);
  const day = digits2(t, a + 8);
  const hour = digits2(t, a + 11);
  const minute = digits2(t, a + 14);
  const second = digits2(t, a + 17);
  if ((century | yy | month | day | hour | minute | second) < 0) return -1; // a character that is not a digit
  if (n === 20) return NaN;
  if (t.charCodeAt(a + 19) !== 46) return -1;
  let ms = 0;
  for (let i = a + 20; i < e - 1; i++) {
    const c = t.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    ms = ms * 10 + c;
  }
  const year = century * 100 + yy;
  if (n !== 24 || year < 1970 || year > 2199 || month > 12 || day > 31) return NaN;
  // (days, hour, first minute digit) then the rest: each part below its place (day index < 95,680: < 2^53 in all)
  const days = ((year - 1970) * 13 + month) * 32 + day;
  const bucket = days * 1000 + hour * 10 + Math.floor(minute / 10);
  return bucket * TIME_BUCKET + (minute % 10) * 100_000 + second * 1000 + ms;
}

/** The whole-second form stored in usage.first_seen/last_seen, like IIS rows: `2020-04-02T07:57:37Z`. */
export const toSecond = (t: string): string => t.slice(0, 19) + 'Z';

/** 32-bit FNV-1a of a line: tells an exact repeat of a session's last line from a new one. */
export function lineHash(text: string): number {
  return lineHashAt(text, 0, text.length);
}

/** lineHash of `text.slice(a, e)`, read in place. */
export function lineHashAt(text: string, a: number, e: number): number {
  let h = 0x811c9dc5;
  for (let i = a; i < e; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A sequence number as logged, or -1 when it is not a non-negative integer. */
export function sequenceOf(v: string): number {
  return sequenceAt(v, 0, v.length);
}

/** sequenceOf `v.slice(a, e)`, read in place. */
export function sequenceAt(v: string, a: number, e: number): number {
  if (e === a || e - a > 9) return -1;
  let x = 0;
  for (let i = a; i < e; i++) {
    const c = v.charCodeAt(i);
    if (!isDigit(c)) return -1;
    x = x * 10 + (c - 48);
  }
  return x;
}
