// IIS W3C extended logs: columns bound by each #Fields line (re-bound mid-file), crypt-* fields decoded.
// Hot path: rows are cached under the raw tokens of the line, so decoding runs only for a new combination.
import type { UsageDims, UsageRow } from '../aggregate/usage.js';
import { decodeCipherHex, decodeHashHex, decodeKeyExchangeHex, decodeProtocolHex } from '../tls/decode.js';
import { decodeLineBytes } from '../sources/line-splitter.js';
import { ENDPOINT_LABELS, endpointIndexOfBytes, endpointOf, endpointOfSegment } from './iis-endpoint.js';
import { firstForwardedAddress, stripPort } from './ip.js';
import type { FormatDef, LineParser, ParseContext } from './types.js';
import { parseW3cDirective, splitW3cLine } from './w3c-line.js';

/** Field names that carry the original client address behind a proxy (first address wins). */
const FORWARDED_FIELDS = ['originalclientip', 'x-forwarded-for', 'cs(x-forwarded-for)', 'originalip', 'x-original-client-ip'];

export const DEFAULT_FIELD_MAP: Readonly<Record<string, string>> = {
  'crypt-protocol': 'crypt-protocol',
  'crypt-cipher': 'crypt-cipher',
  'crypt-hash': 'crypt-hash',
  'crypt-keyexchange': 'crypt-keyexchange',
};

interface Binding {
  readonly n: number;
  readonly date: number;
  readonly time: number;
  readonly site: number;
  readonly computer: number;
  readonly port: number;
  readonly stem: number;
  readonly user: number;
  readonly cip: number;
  readonly ua: number;
  readonly status: number;
  readonly proto: number;
  readonly cipher: number;
  readonly hash: number;
  readonly kex: number;
  readonly xff: number;
  /** Runs [first, last] of adjacent key fields: the raw cache key is built from a few line slices. */
  readonly runs: readonly (readonly [number, number])[];
  /**
   * Per field index, how the byte path reads it: KEY_FIELD (hashed byte by byte), LONG_FIELD (the next space found
   * by Buffer.indexOf, faster for long values), or 0 (a loop up to the next byte ≤ 32).
   */
  readonly byteFields: Uint8Array;
}

const KEY_FIELD = 1;
const LONG_FIELD = 2;
/** Fields that are often long and never part of a key. */
const LONG_FIELDS = ['cs-uri-query', 'cs(cookie)'];

interface CacheEntry {
  readonly row: UsageRow;
  minTime: string; // HH:MM:SS of the first and last event on this key (the key includes the day)
  maxTime: string;
}

/** A row of the byte path, found by the hash of the line's key bytes and checked against a copy of them. */
interface ByteEntry {
  readonly hash: number;
  readonly day: number; // index in IisParser.days
  readonly endpoint: number; // index in ENDPOINT_LABELS
  readonly keyView: DataView; // the key runs' bytes, one after the other
  readonly row: UsageRow;
  readonly date: string;
  next: ByteEntry | undefined; // same hash
  minSec: number; // seconds of the day of the first and last event since the last sync into `row`
  maxSec: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const two = (buf: Buffer, i: number): number => (buf[i] - 48) * 10 + buf[i + 1] - 48;
const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;
const timeOf = (sec: number): string => `${pad2(Math.floor(sec / 3600))}:${pad2(Math.floor(sec / 60) % 60)}:${pad2(sec % 60)}`;

export interface IisState {
  fields: string | null; // the #Fields value in force
  earlier?: string[]; // earlier distinct #Fields values of this file, newest first (at most 4)
  date: string | null; // date of the last #Date directive (for logs without a date field)
  lastTime: string | null; // for day rollover in logs without a date field
}

function bind(fields: string, fieldMap: Readonly<Record<string, string>>): Binding {
  const names = fields.trim().split(/\s+/).map((f) => f.toLowerCase());
  const at = (name: string): number => names.indexOf(name);
  let xff = -1;
  for (const f of FORWARDED_FIELDS) if (xff < 0) xff = at(f);
  const keyFields = ['s-sitename', 's-computername', 's-port', 'c-ip', 'cs-username', 'cs(user-agent)']
    .map(at)
    .concat([fieldMap['crypt-protocol'], fieldMap['crypt-cipher'], fieldMap['crypt-hash'], fieldMap['crypt-keyexchange']].map(at), [xff])
    .filter((i) => i >= 0)
    .sort((x, y) => x - y);
  const runs: [number, number][] = [];
  for (const i of keyFields) {
    const last = runs[runs.length - 1];
    if (last && last[1] === i - 1) last[1] = i;
    else if (!last || last[1] !== i) runs.push([i, i]);
  }
  const byteFields = new Uint8Array(names.length + 1);
  for (const name of LONG_FIELDS) if (at(name) >= 0) byteFields[at(name)] = LONG_FIELD;
  for (const i of keyFields) byteFields[i] = KEY_FIELD;
  return {
    runs,
    byteFields,
    n: names.length,
    // IIS Advanced Logging writes local time only; it is used when no UTC date/time is logged.
    date: at('date') >= 0 ? at('date') : at('date-local'),
    time: at('time') >= 0 ? at('time') : at('time-local'),
    site: at('s-sitename'),
    computer: at('s-computername'),
    port: at('s-port'),
    stem: at('cs-uri-stem'),
    user: at('cs-username'),
    cip: at('c-ip'),
    ua: at('cs(user-agent)'),
    status: at('sc-status'),
    proto: at(fieldMap['crypt-protocol']),
    cipher: at(fieldMap['crypt-cipher']),
    hash: at(fieldMap['crypt-hash']),
    kex: at(fieldMap['crypt-keyexchange']),
    xff,
  };
}

/** "HH:MM:SS" from "HH:MM:SS", "HH:MM:SS.fff" or "HH:MM"; null when it is not a time. */
function normalizeTime(t: string): string | null {
  if (t.length === 8 && t.charCodeAt(2) === 58 && t.charCodeAt(5) === 58) return t;
  if (/^\d{2}:\d{2}:\d{2}[.,]\d+$/.test(t)) return t.slice(0, 8);
  if (/^\d{2}:\d{2}$/.test(t)) return t + ':00';
  return null;
}

function isDate(d: string): boolean {
  return d.length === 10 && d.charCodeAt(4) === 45 && d.charCodeAt(7) === 45 && /^\d{4}-\d{2}-\d{2}$/.test(d);
}

function nextDay(day: string): string {
  const t = Date.parse(day + 'T00:00:00Z') + 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * A copy of `s` that does not point into the string it was cut from. Slices of a line point into the whole
 * decoded chunk (1 MiB); a stored row or cache key holding one would keep every such chunk alive.
 */
const detach = (s: string): string => (' ' + s).slice(1);

/** A logged value, or null for "-"/empty; IIS Advanced Logging's double quotes are removed. */
function dash(v: string | undefined): string | null {
  if (v === undefined || v === '-' || v === '') return null;
  if (v.length >= 2 && v.charCodeAt(0) === 34 && v.charCodeAt(v.length - 1) === 34) return dash(v.slice(1, -1).replace(/""/g, '"'));
  return v;
}

class IisParser implements LineParser {
  records = 0;
  tlsFields = false;
  private b: Binding | null = null;
  private earlier: Binding[] = [];
  private readonly st: IisState;
  private cache = new Map<string, CacheEntry>();
  private gen: number;
  private pos = new Int32Array(64); // token start offsets of the current line (fast path)
  // Byte path: rows by the hash of their key bytes, every entry (to sync times into rows), and the days seen.
  private byHash = new Map<number, ByteEntry>();
  private byteEntries: ByteEntry[] = [];
  private days: string[] = [];
  private dayIds = new Map<string, number>();
  private lastDay = Buffer.alloc(10); // bytes of the date field of the previous line, and its index in `days`
  private lastDayId = -1;
  // Over `viewOf`, the buffer of the lines being read (never null: a field that changes type costs optimized code)
  private view: DataView = new DataView(new ArrayBuffer(0));
  private viewOf: Buffer = Buffer.alloc(0);

  constructor(
    private readonly ctx: ParseContext,
    state: IisState | null,
  ) {
    this.st = state ? { ...state } : { fields: null, date: null, lastTime: null };
    if (this.st.fields !== null) this.rebind(this.st.fields);
    this.earlier = (this.st.earlier ?? []).map((f) => bind(f, ctx.fieldMap));
    this.gen = ctx.agg.generation;
  }

  saveState(): IisState {
    return { ...this.st };
  }

  private rebind(fields: string): void {
    this.b = bind(fields, this.ctx.fieldMap);
    if (this.b.proto >= 0) this.tlsFields = true;
    this.clearCaches();
  }

  private clearCaches(): void {
    this.syncTimes();
    this.cache.clear();
    this.byHash.clear();
    this.byteEntries = [];
    this.gen = this.ctx.agg.generation;
  }

  /** The byte path keeps first/last times as seconds; rows get them as text before they are handed on. */
  flush(): void {
    this.syncTimes();
  }

  private syncTimes(): void {
    for (const e of this.byteEntries) {
      if (e.maxSec < 0) continue;
      const first = `${e.date}T${timeOf(e.minSec)}Z`;
      const last = `${e.date}T${timeOf(e.maxSec)}Z`;
      if (e.row.firstSeen === '' || first < e.row.firstSeen) e.row.firstSeen = first;
      if (last > e.row.lastSeen) e.row.lastSeen = last;
      e.minSec = 86_400;
      e.maxSec = -1;
    }
  }

  /**
   * The common case straight from the bytes: exactly n fields split by single spaces, no control characters, a
   * YYYY-MM-DD date and an HH:MM:SS time. The key fields' bytes are hashed while the line is split; a new key
   * is decoded once through the text path's `dims`. Anything else returns false and takes the text path.
   */
  lineBytes(buf: Buffer, start: number, end: number): boolean {
    const b = this.b;
    if (b === null || buf[start] === 35 || b.date < 0 || b.time < 0) return false;
    const n = b.n;
    if (this.pos.length <= n) this.pos = new Int32Array(n + 1);
    const pos = this.pos;
    const kind = b.byteFields;
    let h = FNV_OFFSET;
    let f = 0;
    let i = start;
    pos[0] = start;
    for (;;) {
      // A field ends at a byte ≤ 32 (space, CR, LF, a control character: only a space goes on) or the buffer's end;
      // a long field at the next space (the text path's split(' ') keeps control characters in a field too).
      const k = kind[f];
      if (k === KEY_FIELD) {
        let c;
        while ((c = buf[i]) > 32) {
          h = Math.imul(h ^ c, FNV_PRIME);
          i++;
        }
        h = Math.imul(h ^ 32, FNV_PRIME);
      } else if (k === LONG_FIELD) {
        const space = buf.indexOf(32, i);
        i = space < 0 || space > end ? end : space;
      } else {
        while (buf[i] > 32) i++;
      }
      if (i >= end || buf[i] !== 32) break;
      if (++f >= n) return false;
      pos[f] = ++i;
    }
    if (i !== end || f !== n - 1) return false;
    pos[n] = end + 1;
    // The date: the previous line's day when the bytes are the same
    const ds = pos[b.date];
    if (pos[b.date + 1] - 1 - ds !== 10) return false;
    const lastDay = this.lastDay;
    let sameDay = this.lastDayId >= 0;
    for (let k = 0; k < 10 && sameDay; k++) sameDay = buf[ds + k] === lastDay[k];
    if (!sameDay) {
      const date = buf.toString('latin1', ds, ds + 10);
      if (!isDate(date)) return false;
      buf.copy(lastDay, 0, ds, ds + 10);
      this.lastDayId = this.dayIds.get(date) ?? this.addDay(date);
    }
    const day = this.lastDayId;
    const ts = pos[b.time];
    if (pos[b.time + 1] - 1 - ts !== 8 || buf[ts + 2] !== 58 || buf[ts + 5] !== 58) return false;
    if (!isDigit(buf[ts]) || !isDigit(buf[ts + 1]) || !isDigit(buf[ts + 3]) || !isDigit(buf[ts + 4])) return false;
    if (!isDigit(buf[ts + 6]) || !isDigit(buf[ts + 7])) return false;
    const sec = two(buf, ts) * 3600 + two(buf, ts + 3) * 60 + two(buf, ts + 6);
    const endpoint = b.stem >= 0 ? endpointIndexOfBytes(buf, pos[b.stem], pos[b.stem + 1] - 1) : 0;
    // 30 bits: a small integer to V8 (a larger one would be a heap number, allocated per line, and slower as a key)
    h = Math.imul(h ^ (day * 64 + endpoint), FNV_PRIME) & 0x3fffffff;
    if (this.gen !== this.ctx.agg.generation) this.clearCaches(); // the aggregator handed its rows on
    let e = this.byHash.get(h);
    while (e !== undefined && !(e.day === day && e.endpoint === endpoint && this.sameKey(e, buf, b))) e = e.next;
    if (e === undefined) e = this.newByteEntry(h, day, endpoint, buf, start, end, b);
    const row = e.row;
    row.hits++;
    if (b.status >= 0) {
      const s = pos[b.status];
      if (pos[b.status + 1] - 1 - s === 3) {
        const s0 = buf[s];
        if (s0 === 52 && buf[s + 1] === 48 && buf[s + 2] === 49) row.authFailures++;
        else if (s0 === 52 || s0 === 53) row.errors++; // 4xx, 5xx
      }
    }
    if (sec < e.minSec) e.minSec = sec;
    if (sec > e.maxSec) e.maxSec = sec;
    this.records++;
    return true;
  }

  private addDay(date: string): number {
    const id = this.days.push(date) - 1;
    this.dayIds.set(date, id);
    return id;
  }

  /**
   * Whether the key runs of the current line (offsets in `pos`) are the bytes of `e.key`. Compared four bytes at
   * a time through DataViews, which measured faster than Buffer.compare or a byte loop (bench/RESULTS.md).
   */
  private sameKey(e: ByteEntry, buf: Buffer, b: Binding): boolean {
    const pos = this.pos;
    const key = e.keyView;
    const keyLength = key.byteLength;
    if (this.viewOf !== buf) {
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      this.viewOf = buf;
    }
    const line = this.view;
    let at = 0;
    for (let r = 0; r < b.runs.length; r++) {
      const run = b.runs[r];
      let i = pos[run[0]];
      const to = pos[run[1] + 1] - 1;
      if (at + to - i > keyLength) return false;
      for (; i + 4 <= to; i += 4, at += 4) if (key.getInt32(at) !== line.getInt32(i)) return false;
      for (; i < to; i++, at++) if (key.getUint8(at) !== buf[i]) return false;
    }
    return at === keyLength;
  }

  private newByteEntry(hash: number, day: number, endpoint: number, buf: Buffer, start: number, end: number, b: Binding): ByteEntry {
    const pos = this.pos;
    const date = this.days[day];
    const t = decodeLineBytes(buf, start, end).split(' ');
    const row = this.ctx.agg.row(this.dims(t.map(detach), b, date, ENDPOINT_LABELS[endpoint]));
    const key = Buffer.concat(b.runs.map(([first, last]) => buf.subarray(pos[first], pos[last + 1] - 1)));
    const keyView = new DataView(key.buffer, key.byteOffset, key.byteLength);
    const entry: ByteEntry = { hash, day, endpoint, keyView, row, date, next: this.byHash.get(hash), minSec: 86_400, maxSec: -1 };
    this.byHash.set(hash, entry);
    this.byteEntries.push(entry);
    return entry;
  }

  line(text: string, lineNo: number): void {
    if (text.length === 0) return;
    if (text.charCodeAt(0) === 35) return this.directive(text, lineNo);
    let b = this.b;
    if (b === null) return this.ctx.diags.add('no_fields', lineNo, 'data line before any #Fields directive');
    if (this.fast(text, b)) return;
    let t = splitW3cLine(text, b.n);
    if (t === null) {
      if (text.includes('\u0000')) return this.ctx.diags.add('garbage', lineNo, 'NUL bytes instead of a log line');
      const got = text.split(' ').length;
      // IIS sometimes keeps writing the previous layout after a header block (seen in filebeat's samples).
      const prior = this.earlier.find((e) => e.n === got && e.date >= 0 && e.time >= 0);
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
      date = this.st.date;
      if (date !== null && time !== null) {
        if (this.st.lastTime !== null && time < this.st.lastTime) date = this.st.date = nextDay(date);
        this.st.lastTime = time;
      }
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
    if (entry === undefined || this.gen !== this.ctx.agg.generation) {
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
    if (this.gen !== this.ctx.agg.generation) this.clearCaches(); // the aggregator handed its rows to storage
    let entry = this.cache.get(key);
    if (entry === undefined) {
      entry = { row: this.ctx.agg.row(this.dims(t.map(detach), b, date, endpoint)), minTime: '', maxTime: '' };
      this.cache.set(detach(key), entry);
    }
    return entry;
  }

  private dims(t: string[], b: Binding, date: string, endpoint: string): UsageDims {
    const { hints } = this.ctx;
    const field = (i: number): string | null => (i >= 0 ? dash(t[i]) : null);
    const cip = field(b.cip);
    const forwarded = b.xff >= 0 ? firstForwardedAddress(t[b.xff]) : null;
    const ua = field(b.ua);
    const hasTls = b.proto >= 0;
    const protoRaw = hasTls ? t[b.proto] : null;
    const keep = (i: number): string | null => (i >= 0 ? dash(t[i]) : null);
    return {
      day: date,
      source: 'iis',
      server: field(b.computer) ?? hints.server,
      site: field(b.site) ?? hints.site,
      clientIp: forwarded ?? (cip === null ? null : stripPort(cip)),
      proxyIp: forwarded !== null && cip !== null ? stripPort(cip) : null,
      username: field(b.user),
      userAgent: ua === null ? null : ua.replace(/\+/g, ' '),
      endpoint,
      protocol: protoRaw === null ? 'unknown' : decodeProtocolHex(protoRaw),
      protocolCode: protoRaw === null ? null : dash(protoRaw),
      cipher: b.cipher >= 0 ? decodeCipherHex(t[b.cipher]) : null,
      cipherCode: keep(b.cipher),
      hash: b.hash >= 0 ? decodeHashHex(t[b.hash]) : null,
      hashCode: keep(b.hash),
      keyExchange: b.kex >= 0 ? decodeKeyExchangeHex(t[b.kex]) : null,
      keyExchangeCode: keep(b.kex),
      detail: null,
      internal: b.port >= 0 && t[b.port] === '444' ? 1 : 0,
    };
  }

  private directive(text: string, lineNo: number): void {
    const d = parseW3cDirective(text);
    if (d === null) return; // a comment line: "#" followed by anything else
    if (d.name === 'fields') {
      if (d.value.trim() === '') return this.ctx.diags.add('bad_record', lineNo, 'empty #Fields directive');
      if (this.st.fields !== null && this.st.fields !== d.value) {
        const earlier = [this.st.fields, ...(this.st.earlier ?? []).filter((f) => f !== this.st.fields && f !== d.value)];
        this.st.earlier = earlier.slice(0, 4);
        this.earlier = this.st.earlier.map((f) => bind(f, this.ctx.fieldMap));
      }
      this.st.fields = d.value;
      this.rebind(d.value);
    } else if (d.name === 'date') {
      const m = /^(\d{4}-\d{2}-\d{2})/.exec(d.value);
      if (m) {
        this.st.date = m[1];
        this.st.lastTime = null;
      }
    }
  }
}

export const iisW3cFormat: FormatDef = {
  name: 'iis-w3c',
  sniff(head) {
    let fields = false;
    for (const line of head) {
      const d = line.charCodeAt(0) === 35 ? parseW3cDirective(line) : null;
      if (d === null) continue;
      if (d.name === 'software') {
        if (/microsoft internet information services/i.test(d.value)) return true;
        if (/http api/i.test(d.value)) return false; // HTTP.sys error log
      }
      if (d.name === 'log-type') return false; // Exchange protocol logs carry #Log-type
      if (d.name === 'fields' && !d.value.includes(',')) fields = true;
    }
    return fields;
  },
  create(ctx, state) {
    return new IisParser(ctx, (state as IisState | null) ?? null);
  },
};
