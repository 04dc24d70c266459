// The IIS byte path: lines counted from undecoded bytes by the WebAssembly line engine (iis-lines.ts), many at a
// time. This side drives the engine, keeps the row of each engine entry and hands counts to the rows. A new key is
// decoded through the text path's iisDims; a line the engine does not take is left to the text path.
import type { UsageRow } from '../aggregate/usage.js';
import { decodeLineBytes, MAX_LINE_BYTES } from '../sources/line-splitter.js';
import { ENDPOINT_LABELS } from './iis-endpoint.js';
import { iisDims, isDate } from './iis-dims.js';
import type { Binding } from './iis-layout.js';
import { LINE_NEW_DAY, LINE_NEW_KEY, type EngineOwner, type LineEngine } from './iis-lines.js';
import type { RowCaches } from './iis-text.js';
import type { ChunkRun, ParseContext } from './types.js';

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;
const timeOf = (sec: number): string => `${pad2(Math.floor(sec / 3600))}:${pad2(Math.floor(sec / 60) % 60)}:${pad2(sec % 60)}`;

export class IisByteReader implements EngineOwner {
  /** Data lines counted. */
  records = 0;
  /** Where the last read stopped, and whether at a line it leaves to the text path. */
  readonly run = { lines: 0, end: 0, declined: false };
  /** True while this reader holds the engine. */
  private held = false;
  private ready = false; // the engine is bound to the binding in force
  private entryRows: UsageRow[] = [];
  private days: string[] = [];
  private dayIds = new Map<string, number>();
  /** The key fields' tokens of a new key's line (keyTokens); the other slots are not read. */
  private readonly tokens: string[] = [];

  constructor(
    private readonly ctx: ParseContext,
    /** The thread's engine, shared by its IIS parsers in turn (given by the parse session). */
    private readonly engine: LineEngine,
    private readonly caches: RowCaches,
  ) {}

  /** The binding in force changed (or none yet): the engine reads lines of `b` from now on. */
  bind(b: Binding | null): void {
    this.ready = this.held && b !== null && this.engine.bind(b);
  }

  /** Another parser takes the engine: counts so far go to the rows, and this reader starts new entries later. */
  releaseEngine(): void {
    this.syncCounts();
    this.entryRows = [];
    this.held = false;
    this.ready = false;
  }

  /** Forgets the engine's entries (their counts go to the rows first). */
  clear(): void {
    this.syncCounts();
    if (this.held) this.engine.reset();
    this.entryRows = [];
  }

  /** The engine counts; rows get those counts before they are handed on. */
  syncCounts(): void {
    if (!this.held) return;
    const engine = this.engine;
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

  /**
   * Counts the lines of `buf` from `start` (a line start) up to `limit` (just after an LF), at most `maxLines` of
   * them, and stops early once the aggregator holds `maxRows` rows or at a line the byte path does not take
   * (`run.declined`, the line at `run.end`). It takes lines of exactly n fields split by single spaces, no control
   * characters in the fields it reads, a YYYY-MM-DD date and an HH:MM:SS time.
   */
  read(buf: Buffer, start: number, limit: number, maxLines: number, maxRows: number, b: Binding): ChunkRun {
    const run = this.run;
    run.lines = 0;
    run.end = start;
    run.declined = true;
    const engine = this.engine;
    if (!this.held) {
      engine.acquire(this);
      this.held = true;
      this.entryRows = [];
      this.ready = engine.bind(b);
    }
    if (!this.ready || !engine.load(buf)) return run;
    if (this.caches.stale) this.caches.renew(); // the aggregator handed its rows on
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
    const engine = this.engine;
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

  /** The line's key is new: a row for it (decoded by the text path's iisDims), and the engine's entry counting the line. */
  private newEntry(buf: Buffer, start: number, end: number, b: Binding): number {
    const engine = this.engine;
    const endpoint = ENDPOINT_LABELS[engine.endpoint];
    const t = this.keyTokens(buf, b) ?? decodeLineBytes(buf, start, end).split(' ');
    const index = engine.insert(end - start);
    if (index < 0) return index; // the engine is full until the next batch: the text path reads the line
    this.entryRows[index] = this.ctx.agg.row(iisDims(t, b, this.days[engine.day], endpoint, this.ctx.hints));
    return index;
  }

  /**
   * The tokens of the key fields of the line the engine read last (the only ones iisDims reads), cut from one string
   * of the bytes from the first key field to the last; null when a key field holds a byte that is not ASCII (the
   * whole line is then decoded as the text path decodes it). ASCII decodes alike whatever the line's encoding.
   */
  private keyTokens(buf: Buffer, b: Binding): string[] | null {
    const engine = this.engine;
    const runs = b.runs;
    if (runs.length === 0) return null;
    for (const [first, last] of runs) {
      const to = engine.pos(last + 1) - 1;
      for (let i = engine.pos(first); i < to; i++) if (buf[i] > 0x7f) return null;
    }
    const from = engine.pos(runs[0][0]);
    const s = buf.toString('latin1', from, engine.pos(runs[runs.length - 1][1] + 1) - 1);
    const t = this.tokens;
    for (const [first, last] of runs) {
      for (let f = first; f <= last; f++) t[f] = s.slice(engine.pos(f) - from, engine.pos(f + 1) - 1 - from);
    }
    return t;
  }
}
