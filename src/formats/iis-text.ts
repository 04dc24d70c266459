// The IIS text path: data lines as decoded strings. Rows are cached under the raw tokens of the line, so decoding
// runs only for a new combination; a fast path takes the common line without a token array. Directives
// and the byte path live elsewhere (iis-layout.ts, iis-bytes.ts).
import type { UsageRow } from '../aggregate/usage.js';
import { endpointOf, endpointOfSegment } from './iis-endpoint.js';
import { detach, iisDims, isDate, normalizeTime } from './iis-dims.js';
import type { Binding, IisLayout } from './iis-layout.js';
import type { ParseContext } from './types.js';
import { splitW3cLine } from './w3c-line.js';

interface CacheEntry {
  readonly row: UsageRow;
  minTime: string; // HH:MM:SS of the first and last event on this key (the key includes the day)
  maxTime: string;
}

/** The parser's caches of rows: stale once the aggregator has handed its rows on; `renew` then empties them all. */
export interface RowCaches {
  readonly stale: boolean;
  renew(): void;
}

export class IisTextReader {
  /** Data lines counted. */
  records = 0;
  private cache = new Map<string, CacheEntry>();
  private pos = new Int32Array(64); // token start offsets of the current line (fast path)

  constructor(
    private readonly ctx: ParseContext,
    private readonly layout: IisLayout,
    private readonly caches: RowCaches,
  ) {}

  clear(): void {
    this.cache.clear();
  }

  /** A data line (not a directive) under binding `bound`, the one in force. */
  line(text: string, lineNo: number, bound: Binding): void {
    let b = bound;
    if (this.fast(text, b)) return;
    let t = splitW3cLine(text, b.n);
    if (t === null) {
      if (text.includes('\u0000')) return this.ctx.diags.add('garbage', lineNo, 'NUL bytes instead of a log line');
      const got = text.split(' ').length;
      // IIS sometimes keeps writing the previous layout after a header block (seen in filebeat's samples).
      const prior = this.layout.earlierWith(got);
      if (prior === undefined) return this.ctx.diags.add('field_count', lineNo, `${got} values where #Fields names ${b.n}`);
      this.ctx.diags.note('earlier_fields', lineNo, `${got} values: read with an earlier #Fields of this file`);
      b = prior;
      t = text.split(' ');
    }
    let date: string | null;
    const rawTime = b.time >= 0 ? t[b.time] : '00:00:00';
    const time = normalizeTime(rawTime);
    if (b.date >= 0) {
      date = t[b.date];
      if (!isDate(date)) date = null;
    } else {
      date = this.layout.dayAt(time);
    }
    if (date === null || time === null) {
      const code = text.includes('\u0000') ? 'garbage' : 'bad_timestamp';
      return this.ctx.diags.add(code, lineNo, `no valid date and time (${JSON.stringify(text.slice(0, 40))})`);
    }
    const endpoint = b.stem >= 0 ? endpointOf(t[b.stem]) : 'other';
    let key = date + '\u0001' + endpoint;
    for (const [first, last] of b.runs) key += '\u0001' + t.slice(first, last + 1).join(' ');
    const entry = this.entry(key, t, b, date, endpoint);
    const s = b.status >= 0 ? t[b.status] : '';
    this.count(entry, date, time, s.length === 3 ? s.charCodeAt(0) : 0, s === '401');
  }

  /**
   * The common case without allocating a token array: exactly n single-space-separated tokens, a date and an
   * HH:MM:SS time. Returns false to let the general path handle (and report) anything else.
   */
  private fast(text: string, b: Binding): boolean {
    const n = b.n;
    if (b.date < 0 || b.time < 0) return false;
    if (this.pos.length <= n) this.pos = new Int32Array(n + 1);
    const pos = this.pos;
    let k = 0;
    for (let p = text.indexOf(' '); p >= 0; p = text.indexOf(' ', p + 1)) {
      if (++k >= n) return false;
      pos[k] = p + 1;
    }
    if (k !== n - 1) return false;
    pos[0] = 0;
    pos[n] = text.length + 1;
    const ds = pos[b.date];
    if (pos[b.date + 1] - 1 - ds !== 10 || text.charCodeAt(ds + 4) !== 45 || text.charCodeAt(ds + 7) !== 45) return false;
    const ts = pos[b.time];
    if (pos[b.time + 1] - 1 - ts !== 8 || text.charCodeAt(ts + 2) !== 58 || text.charCodeAt(ts + 5) !== 58) return false;
    const date = text.slice(ds, ds + 10);
    let endpoint = 'other';
    if (b.stem >= 0) {
      const s = pos[b.stem];
      const e = pos[b.stem + 1] - 1;
      if (text.charCodeAt(s) === 47) {
        const j = text.indexOf('/', s + 1);
        endpoint = endpointOfSegment(text.slice(s + 1, j < 0 || j > e ? e : j));
      }
    }
    let key = date + '\u0001' + endpoint;
    for (const [first, last] of b.runs) key += '\u0001' + text.slice(pos[first], pos[last + 1] - 1);
    let entry = this.cache.get(key);
    if (entry === undefined || this.caches.stale) {
      if (!isDate(date)) return false;
      entry = this.entry(key, text.split(' '), b, date, endpoint);
    }
    let status = 0;
    let is401 = false;
    if (b.status >= 0) {
      const s = pos[b.status];
      if (pos[b.status + 1] - 1 - s === 3) {
        status = text.charCodeAt(s);
        is401 = status === 52 && text.charCodeAt(s + 1) === 48 && text.charCodeAt(s + 2) === 49;
      }
    }
    this.count(entry, date, text.slice(ts, ts + 8), status, is401);
    return true;
  }

  /** One event on a cache entry; `status0` is the first character code of a 3-digit status, else 0. */
  private count(entry: CacheEntry, date: string, time: string, status0: number, is401: boolean): void {
    const row = entry.row;
    row.hits++;
    if (is401) row.authFailures++;
    else if (status0 === 52 || status0 === 53) row.errors++; // 4xx, 5xx
    if (time < entry.minTime || entry.minTime === '') {
      entry.minTime = time;
      const ts = date + 'T' + time + 'Z';
      if (ts < row.firstSeen || row.firstSeen === '') row.firstSeen = ts;
    }
    if (time > entry.maxTime) {
      entry.maxTime = time;
      const ts = date + 'T' + time + 'Z';
      if (ts > row.lastSeen) row.lastSeen = ts;
    }
    this.records++;
  }

  private entry(key: string, t: string[], b: Binding, date: string, endpoint: string): CacheEntry {
    if (this.caches.stale) this.caches.renew(); // the aggregator handed its rows to storage
    let entry = this.cache.get(key);
    if (entry === undefined) {
      entry = { row: this.ctx.agg.row(iisDims(t.map(detach), b, date, endpoint, this.ctx.hints)), minTime: '', maxTime: '' };
      this.cache.set(detach(key), entry);
    }
    return entry;
  }
}
