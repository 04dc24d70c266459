// The IIS byte path's engine: iis-lines.as.ts (AssemblyScript, compiled to WebAssembly) splits each plain line,
// hashes its key fields, finds its entry by hash and key bytes and counts it there. This side drives it through the
// memory layout both read (iis-lines-layout.ts) and hands out the counts of its entries.
import { ENDPOINTS_BY_SEGMENT } from './iis-endpoint.js';
import {
  ENTRIES, ENTRY_AUTH_FAILURES, ENTRY_BYTES, ENTRY_DAY, ENTRY_ERRORS, ENTRY_FIRST_SEC, ENTRY_HITS, ENTRY_LAST_SEC, G_ARENA,
  G_COUNT, G_DATE, G_DAY, G_MAXLINE, G_N, G_STATUS, G_STEM, G_TIME, INPUT, INPUT_BYTES, KINDS, LAST_DATE, MAX_FIELDS,
  MAX_RUNS, O_END, O_EP, O_NEXT, O_RESULT, O_START, POS, RUNS, SEGMENT_BYTES, SEGMENT_NAME, SEGMENTS,
} from './iis-lines-layout.js';
import { IIS_LINES_WASM } from './iis-lines-wasm.js';

const PAGE = 65536;

/** Field kinds: read as part of the key (hashed), read to the next space (long values), or plain. */
export const FIELD_KEY = 1;
export const FIELD_LONG = 2;

/** What the engine needs of a #Fields binding: field count, kinds, key runs, and where the fields it reads are. */
export interface EngineBinding {
  readonly n: number;
  readonly byteFields: Uint8Array;
  readonly runs: readonly (readonly [number, number])[];
  readonly date: number;
  readonly time: number;
  readonly stem: number;
  readonly status: number;
}

/** Counts of one entry since they were last taken. */
export interface EntryCounts {
  readonly day: number;
  readonly hits: number;
  readonly authFailures: number;
  readonly errors: number;
  readonly firstSec: number;
  readonly lastSec: number;
}

// The few WebAssembly types used here: the build's TypeScript libraries (ES, Node) do not declare them.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
const wasm = (globalThis as unknown as { readonly WebAssembly: WasmApi }).WebAssembly;

interface Exports {
  readonly memory: WasmMemory;
  line(start: number, end: number): number;
  run(start: number, limit: number, max: number): number;
  insert(): number;
  reset(): void;
}

let compiled: object | null = null;

/** Results of `line`. */
export const LINE_NOT_PLAIN = -1;
export const LINE_NEW_DAY = -2;
export const LINE_NEW_KEY = -3;

/** A reader using the engine; it gives the engine up (after taking its counts) when another reader needs it. */
export interface EngineOwner {
  releaseEngine(): void;
}

/**
 * One per thread, made by whoever runs the thread's parse sessions and passed to them (engine/parse-session.ts):
 * making one (an instance and its memory) takes about 0.8 ms, a lot for a folder of small files.
 */
export class LineEngine {
  /** The reader the entries belong to. */
  private owner: EngineOwner | null = null;
  /** The instance's exports. */
  private readonly instance: Exports;
  private u8: Uint8Array;
  private i32: Int32Array;
  /** The buffer whose bytes are in the engine's input area. */
  private loaded: Buffer | null = null;

  constructor() {
    compiled ??= new wasm.Module(Buffer.from(IIS_LINES_WASM, 'base64'));
    this.instance = new wasm.Instance(compiled, {}).exports as Exports;
    this.u8 = new Uint8Array(this.instance.memory.buffer);
    this.i32 = new Int32Array(this.instance.memory.buffer);
    let at = SEGMENTS + 4;
    let count = 0;
    for (const [segment, index] of ENDPOINTS_BY_SEGMENT) {
      this.i32[at >> 2] = segment.length;
      this.i32[(at + 4) >> 2] = index;
      this.u8.set(Buffer.from(segment, 'latin1'), at + SEGMENT_NAME);
      at += SEGMENT_BYTES;
      count++;
    }
    this.i32[SEGMENTS >> 2] = count;
    this.reset();
  }

  /** Makes `owner` the reader the entries belong to: the previous one is told first, and the entries start empty. */
  acquire(owner: EngineOwner): void {
    if (this.owner === owner) return;
    this.owner?.releaseEngine();
    this.owner = owner;
    this.reset();
  }

  /** False when the engine cannot read lines of this binding (too many fields or key runs). */
  bind(b: EngineBinding): boolean {
    if (b.n > MAX_FIELDS || b.runs.length > MAX_RUNS || b.date < 0 || b.time < 0) return false;
    this.u8.fill(0, KINDS, KINDS + MAX_FIELDS + 1);
    this.u8.set(b.byteFields.subarray(0, b.n), KINDS);
    this.i32[RUNS >> 2] = b.runs.length;
    b.runs.forEach(([first, last], r) => {
      this.i32[(RUNS >> 2) + 1 + 2 * r] = first;
      this.i32[(RUNS >> 2) + 2 + 2 * r] = last;
    });
    this.i32[G_N >> 2] = b.n;
    this.i32[G_DATE >> 2] = b.date;
    this.i32[G_TIME >> 2] = b.time;
    this.i32[G_STEM >> 2] = b.stem;
    this.i32[G_STATUS >> 2] = b.status;
    return true;
  }

  /** Makes `buf` the buffer lines are read from (copied once per buffer object); false if it is too large. */
  load(buf: Buffer): boolean {
    if (buf === this.loaded) return true;
    if (buf.length >= INPUT_BYTES) return false;
    this.u8.set(buf, INPUT);
    this.u8[INPUT + buf.length] = 0; // a field never runs past the buffer's end
    this.loaded = buf;
    return true;
  }

  /** Reads line `[start, end)` of the loaded buffer: an entry index, or LINE_NOT_PLAIN / LINE_NEW_DAY / LINE_NEW_KEY. */
  line(start: number, end: number): number {
    return this.instance.line(INPUT + start, INPUT + end);
  }

  /**
   * Counts the lines of the loaded buffer from `start` (a line start) to `limit` (just after an LF), at most `max`
   * and none longer than `maxLineBytes`, and returns how many. Where it stopped: `stopStart`, `stopResult` (0 when
   * out of lines or `max`, else what `line` gave for the line there), `stopEnd` and `stopNext` (that line's end and
   * the next line's start).
   */
  run(start: number, limit: number, max: number, maxLineBytes: number): number {
    this.i32[G_MAXLINE >> 2] = maxLineBytes;
    return this.instance.run(INPUT + start, INPUT + limit, max);
  }

  get stopStart(): number {
    return this.i32[O_START >> 2] - INPUT;
  }

  get stopResult(): number {
    return this.i32[O_RESULT >> 2];
  }

  get stopEnd(): number {
    return this.i32[O_END >> 2] - INPUT;
  }

  get stopNext(): number {
    return this.i32[O_NEXT >> 2] - INPUT;
  }

  /** Start of field `f` of the last line read, in the loaded buffer. */
  pos(f: number): number {
    return this.i32[(POS >> 2) + f] - INPUT;
  }

  /** The day of the following lines: its id and the 10 bytes of its date field at `at` of the loaded buffer. */
  setDay(id: number, at: number): void {
    this.u8.copyWithin(LAST_DATE, INPUT + at, INPUT + at + 10);
    this.i32[G_DAY >> 2] = id;
  }

  get day(): number {
    return this.i32[G_DAY >> 2];
  }

  /** Endpoint index of the last line read. */
  get endpoint(): number {
    return this.i32[O_EP >> 2];
  }

  get entries(): number {
    return this.i32[G_COUNT >> 2];
  }

  /** After LINE_NEW_KEY: adds the line's key as an entry and counts the line. The entry index, or -1 if full. */
  insert(lineBytes: number): number {
    const room = this.i32[G_ARENA >> 2] + lineBytes;
    if (room > this.instance.memory.buffer.byteLength) {
      this.instance.memory.grow(Math.ceil((room - this.instance.memory.buffer.byteLength) / PAGE) + 64);
      this.u8 = new Uint8Array(this.instance.memory.buffer);
      this.i32 = new Int32Array(this.instance.memory.buffer);
    }
    return this.instance.insert();
  }

  /** The counts of entry `i` since the last call, which starts them again. */
  take(i: number): EntryCounts {
    const r = ENTRIES + i * ENTRY_BYTES;
    const i32 = this.i32;
    const at = (field: number): number => (r + field) >> 2;
    const counts = {
      day: i32[at(ENTRY_DAY)], hits: i32[at(ENTRY_HITS)], authFailures: i32[at(ENTRY_AUTH_FAILURES)], errors: i32[at(ENTRY_ERRORS)],
      firstSec: i32[at(ENTRY_FIRST_SEC)], lastSec: i32[at(ENTRY_LAST_SEC)],
    };
    i32[at(ENTRY_HITS)] = 0;
    i32[at(ENTRY_AUTH_FAILURES)] = 0;
    i32[at(ENTRY_ERRORS)] = 0;
    i32[at(ENTRY_FIRST_SEC)] = 86_400;
    i32[at(ENTRY_LAST_SEC)] = -1;
    return counts;
  }

  /** Forgets every entry and the last day. */
  reset(): void {
    this.instance.reset();
    this.i32[G_DAY >> 2] = -1;
  }
}
