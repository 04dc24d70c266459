// IIS W3C extended logs: columns bound by each #Fields line (re-bound mid-file), crypt-* fields decoded.
// Hot path: rows are cached under the raw tokens of the line, so decoding runs only for a new combination.
import { usageDims, type UsageDims, type UsageRow } from '../aggregate/usage.js';
import { decodeCipherHex, decodeHashHex, decodeKeyExchangeHex, decodeProtocolHex } from '../tls/decode.js';
import { decodeLineBytes, MAX_LINE_BYTES } from '../sources/line-splitter.js';
import { ENDPOINT_LABELS, endpointOf, endpointOfSegment } from './iis-endpoint.js';
import { acquireEngine, FIELD_KEY, FIELD_LONG, LINE_NEW_DAY, LINE_NEW_KEY, type LineEngine } from './iis-lines.js';
import { firstForwardedAddress, stripPort } from './ip.js';
import type { FormatDef, LineParser, ParseContext } from './types.js';
import { parseW3cDirective, splitW3cLine, w3cDirectives } from './w3c-line.js';

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
   * Per field index, how the byte path reads it: FIELD_KEY (hashed byte by byte), FIELD_LONG (up to the next
   * space, whatever else it holds, like the text path's split), or 0 (up to the next byte ≤ 32).
   */
  readonly byteFields: Uint8Array;
}

/** Fields that are often long and never part of a key. */
const LONG_FIELDS = ['cs-uri-query', 'cs(cookie)'];

interface CacheEntry {
  readonly row: UsageRow;
  minTime: string; // HH:MM:SS of the first and last event on this key (the key includes the day)
  maxTime: string;
}

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
  for (const name of LONG_FIELDS) if (at(name) >= 0) byteFields[at(name)] = FIELD_LONG;
  for (const i of keyFields) byteFields[i] = FIELD_KEY;
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
  // Byte path: the thread's engine while this parser holds it, the row of each of its entries, and the days seen
  private engine: LineEngine | null = null;
  private engineReady = false; // the engine is bound to the binding in force
  private entryRows: UsageRow[] = [];
  private days: string[] = [];
  private dayIds = new Map<string, number>();

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
    this.clearCaches();
    this.b = bind(fields, this.ctx.fieldMap);
    if (this.b.proto >= 0) this.tlsFields = true;
    this.engineReady = this.engine !== null && this.engine.bind(this.b);
  }

  /** The thread's engine, taken over from the parser that held it (which keeps what it counted). */
  private ownEngine(b: Binding): LineEngine {
    if (this.engine === null) {
      this.engine = acquireEngine(this);
      this.entryRows = [];
      this.engineReady = this.engine.bind(b);
    }
    return this.engine;
  }

  /** Another parser takes the engine: counts so far go to the rows, and this parser starts new entries later. */
  releaseEngine(): void {
    this.syncCounts();
    this.entryRows = [];
    this.engine = null;
    this.engineReady = false;
  }

  private clearCaches(): void {
    this.syncCounts();
    this.cache.clear();
    this.engine?.reset();
    this.entryRows = [];
    this.gen = this.ctx.agg.generation;
  }

  /** The byte path counts in the engine; rows get those counts before they are handed on. */
  flush(): void {
    this.syncCounts();
  }

  private syncCounts(): void {
    const engine = this.engine;
    if (engine === null) return;
    for (let i = 0; i < this.entryRows.length; i++) {
      const c = engine.take(i);
      if (c.hits === 0) continue;
      const row = this.entryRows[i];
      row.hits += c.hits;
      row.authFailures += c.authFailures;
      row.errors += c.errors;
      const date = this.days[c.day];
      const first = `${date}T${timeOf(c.firstSec)}Z`;
      const last = `${date}T${timeOf(c.lastSec)}Z`;
      if (row.firstSeen === '' || first < row.firstSeen) row.firstSeen = first;
      if (last > row.lastSeen) row.lastSeen = last;
    }
  }

  /** Where the last runBytes stopped, and whether at a line it leaves to the text path. */
  readonly run = { lines: 0, end: 0, declined: false };

  /**
   * The byte path, in WebAssembly (iis-lines.wat): counts the lines of `buf` from `start` (a line start) up to
   * `limit` (just after an LF), at most `maxLines` of them, and stops early once the aggregator holds `maxRows` rows
   * or at a line the byte path does not take (`run.declined`, the line at `run.end`). It takes lines of exactly n
   * fields split by single spaces, no control characters in the fields it reads, a YYYY-MM-DD date and an
   * HH:MM:SS time; a new key is decoded once through the text path's `dims`.
   */
  runBytes(buf: Buffer, start: number, limit: number, maxLines: number, maxRows: number): typeof this.run {
    const run = this.run;
    run.lines = 0;
    run.end = start;
    run.declined = true;
    const b = this.b;
    if (b === null) return run;
    const engine = this.ownEngine(b);
    if (!this.engineReady || !engine.load(buf)) return run;
    if (this.gen !== this.ctx.agg.generation) this.clearCaches(); // the aggregator handed its rows on
    run.declined = false;
    let done = 0;
    let at = start;
    while (done < maxLines) {
      done += engine.run(at, limit, maxLines - done, MAX_LINE_BYTES);
      at = engine.stopStart;
      const r = engine.stopResult;
      if (r === 0) break; // out of lines, or maxLines
      if (!this.takeStopped(buf, at, engine.stopEnd, r, b)) {
        run.declined = true;
        break;
      }
      done++;
      at = engine.stopNext;
      if (this.ctx.agg.size >= maxRows) break;
    }
    this.records += done;
    run.lines = done;
    run.end = at;
    return run;
  }

  /** The line a run stopped at, with what `line` gave for it: counted now (a new day or key), or false. */
  private takeStopped(buf: Buffer, start: number, end: number, result: number, b: Binding): boolean {
    const engine = this.engine as LineEngine;
    let r = result;
    if (r === LINE_NEW_DAY) {
      const ds = engine.pos(b.date);
      const date = buf.toString('latin1', ds, ds + 10);
      if (!isDate(date)) return false;
      engine.setDay(this.dayIds.get(date) ?? this.addDay(date), ds);
      r = engine.line(start, end);
    }
    if (r === LINE_NEW_KEY) r = this.newEntry(buf, start, end, b);
    return r >= 0;
  }

  private addDay(date: string): number {
    const id = this.days.push(date) - 1;
    this.dayIds.set(date, id);
    return id;
  }

  /** The line's key is new: a row for it (decoded by the text path), and the engine's entry counting the line. */
  private newEntry(buf: Buffer, start: number, end: number, b: Binding): number {
    const engine = this.engine as LineEngine;
    const t = decodeLineBytes(buf, start, end).split(' ');
    const endpoint = ENDPOINT_LABELS[engine.endpoint];
    const index = engine.insert(end - start);
    if (index < 0) return index; // the engine is full until the next batch: the text path reads the line
    // The tokens are cut from this line's own string (not a chunk's), so a row keeping a few of them is cheap
    this.entryRows[index] = this.ctx.agg.row(this.dims(t, b, this.days[engine.day], endpoint));
    return index;
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
    return usageDims({
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
      internal: b.port >= 0 && t[b.port] === '444' ? 1 : 0,
    });
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
    for (const d of w3cDirectives(head)) {
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
