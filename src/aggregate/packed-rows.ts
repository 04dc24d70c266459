// Usage rows sent from a parse worker to the main thread in a compact form. Each worker numbers the tuples it sends
// (KeyIndex) and sends a tuple string only the first time; a row is a local id, a day index, its counters and its
// times as seconds into its day, in transferable arrays. The main thread keeps the tuples per worker (KeyTable).
// Every message stays under 128 KiB (MESSAGE_TUPLE_CHARS, PART_ROWS): new tuples go ahead of their batch in runs.
import { parseTupleKey, rowDay, tupleKey, type UsageRow } from './usage.js';

/** Numbers per row in `cells`: day index, hits, authFailures, errors, estimated, firstSeen, lastSeen. */
export const PACKED_WIDTH = 7;

/**
 * Characters of tuple strings (plus ENTRY_OVERHEAD each) a worker's KeyIndex holds before it starts again empty in a
 * new epoch: the worker's memory and the main thread's tables stay bounded whatever the number of keys. At 8 Mi the
 * internet mix (86,114 keys, tuples of 172 characters on average) sends 147,118 tuples for its 258,271 rows, at 32 Mi
 * 143,728 (a key's days are read by both workers), for 15 MB more peak RSS.
 */
export const KEY_INDEX_BYTES = 8 << 20;
/** What an entry costs besides its characters (Map entry, string header, the main thread's slots). */
const ENTRY_OVERHEAD = 64;

/** Tuples a worker sends for the first time in an epoch, numbered on from `base`. */
export interface TupleRun {
  /** The sender's KeyIndex epoch: local ids of one epoch mean nothing in another. */
  readonly epoch: number;
  /** Local id of tuples[0]: the tuples first sent in this batch, numbered on from there. */
  readonly base: number;
  readonly tuples: string[];
}

/**
 * Rows per part of a packed batch: a part's cells (114,688 bytes) stay under glibc's 128 KiB mmap threshold, so the
 * arrays a batch leaves behind on the main thread never raise it (see MESSAGE_TUPLE_CHARS).
 */
export const PART_ROWS = 2048;

export interface PackedRows extends TupleRun {
  /** The local id of each row's tuple, in parts of PART_ROWS rows (the last one shorter). */
  readonly ids: Int32Array[];
  /** The distinct days of the rows. */
  readonly days: string[];
  /**
   * PACKED_WIDTH numbers per row, in the parts of `ids`. A time at or above 0 is seconds into the row's day; -1 - i is
   * texts[i] (any other time, kept as it is).
   */
  readonly cells: Float64Array[];
  readonly texts: string[];
}

/** The buffers of a packed batch, to move rather than copy to the main thread. */
export const packedBuffers = (p: PackedRows): ArrayBuffer[] =>
  [...p.ids, ...p.cells].map((a) => a.buffer as ArrayBuffer);

/** Rows as the main thread received them: the ids resolve through the sender's table of that epoch. */
export type ReceivedRows = Omit<PackedRows, 'tuples' | 'base' | 'epoch'> & { readonly keys: EpochKeys };

/** The worker's side: tuple string → local id, bounded by bytes; emptied (a new epoch) only between batches. */
export class KeyIndex {
  private ids = new Map<string, number>();
  private bytes = 0;
  epoch = 0;

  constructor(private readonly maxBytes = KEY_INDEX_BYTES) {}

  /** Starts a batch: when full, the index empties and the epoch changes. */
  begin(): void {
    if (this.bytes <= this.maxBytes) return;
    this.ids = new Map();
    this.bytes = 0;
    this.epoch++;
  }

  get size(): number {
    return this.ids.size;
  }

  /** The local id of `tuple`; a new one is appended to `fresh`. */
  id(tuple: string, fresh: string[]): number {
    const known = this.ids.get(tuple);
    if (known !== undefined) return known;
    const id = this.ids.size;
    this.ids.set(tuple, id);
    this.bytes += tuple.length + ENTRY_OVERHEAD; // logged text is mostly one byte a character in V8
    fresh.push(tuple);
    return id;
  }
}

/** The two decimal digits of `s` at `at` as a number (0 to 99), -1 when either is not a digit. */
export const digits2 = (s: string, at: number): number => {
  const a = s.charCodeAt(at) - 48;
  const b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? 10 * a + b : -1;
};

/** `dayTHH:MM:SSZ` as seconds into `day`, -1 for any other text (another day, fractions, a leap second, ''). */
export function secondsIntoDay(ts: string, day: string): number {
  if (ts.length !== 20 || ts.charCodeAt(10) !== 84 || ts.charCodeAt(19) !== 90 || !ts.startsWith(day)) return -1;
  if (ts.charCodeAt(13) !== 58 || ts.charCodeAt(16) !== 58) return -1;
  const h = digits2(ts, 11);
  const m = digits2(ts, 14);
  const s = digits2(ts, 17);
  return h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59 ? -1 : 3600 * h + 60 * m + s;
}

/** The time cell of `ts` (see PackedRows.cells). */
function timeCell(ts: string, day: string, texts: string[]): number {
  const s = secondsIntoDay(ts, day);
  return s >= 0 ? s : -texts.push(ts);
}

/** Packs a batch; `index` is the sending thread's, and must see every batch it packs in the order they are sent. */
export function packRows(rows: readonly UsageRow[], index: KeyIndex): PackedRows {
  index.begin();
  const base = index.size;
  const tuples: string[] = [];
  const ids: Int32Array[] = [];
  const cells: Float64Array[] = [];
  const days: string[] = [];
  const texts: string[] = [];
  let lastDay = '';
  let dayIndex = -1;
  for (let from = 0; from < rows.length; from += PART_ROWS) {
    const n = Math.min(PART_ROWS, rows.length - from);
    const partIds = new Int32Array(n);
    const partCells = new Float64Array(PACKED_WIDTH * n);
    for (let j = 0; j < n; j++) {
      const r = rows[from + j];
      const day = rowDay(r);
      if (day !== lastDay) {
        dayIndex = days.indexOf(day);
        if (dayIndex < 0) dayIndex = days.push(day) - 1;
        lastDay = day;
      }
      partIds[j] = index.id(r.key ?? tupleKey(r.dims), tuples); // rows not made by an aggregator carry no key
      const c = PACKED_WIDTH * j;
      partCells[c] = dayIndex;
      partCells[c + 1] = r.hits;
      partCells[c + 2] = r.authFailures;
      partCells[c + 3] = r.errors;
      partCells[c + 4] = r.estimated;
      partCells[c + 5] = timeCell(r.firstSeen, day, texts);
      partCells[c + 6] = timeCell(r.lastSeen, day, texts);
    }
    ids.push(partIds);
    cells.push(partCells);
  }
  return { epoch: index.epoch, base, tuples, ids, days, cells, texts };
}

/**
 * The tuples one worker sent in one epoch, by local id, and (filled by the store) their usage_keys ids, 0 when not
 * resolved yet. `stamp` says whose ids `keyIds` holds: a store that finds another stamp must clear them first.
 */
export class EpochKeys {
  readonly tuples: string[] = [];
  keyIds = new Int32Array(1024);
  stamp = 0;
}

/**
 * Characters of tuples sent in one message at most. A message is copied through a buffer that grows by doubling.
 * glibc serves a block of 128 KiB or more with its own mapping, and when such a block is freed it raises that
 * threshold to the block's size and its trim threshold to twice that: from then on, blocks up to that size come
 * from the threads' arenas and freed space there stays in the process. A batch's new tuples at a million keys
 * (4–8 MB in one message) cost 15–25 MB of peak RSS that way (bench/RESULTS.md). At this bound a message's buffer
 * stays under 128 KiB, as the parts of a batch's arrays (PART_ROWS) and the read buffers (kept for reuse) do.
 */
export const MESSAGE_TUPLE_CHARS = 56 << 10;

/**
 * A packed batch as messages in order: runs of its new tuples first, each within `maxChars` characters, then the batch
 * with the rest (a KeyTable takes them in that order).
 */
export function splitTuples(p: PackedRows, maxChars = MESSAGE_TUPLE_CHARS): { runs: TupleRun[]; rows: PackedRows } {
  const runs: TupleRun[] = [];
  let from = 0;
  let chars = 0;
  for (let i = 0; i < p.tuples.length; i++) {
    chars += p.tuples[i].length;
    if (chars <= maxChars || i === from) continue;
    runs.push({ epoch: p.epoch, base: p.base + from, tuples: p.tuples.slice(from, i) });
    from = i;
    chars = p.tuples[i].length;
  }
  if (from === 0) return { runs, rows: p };
  return { runs, rows: { ...p, base: p.base + from, tuples: p.tuples.slice(from) } };
}

/** The main thread's side, one per worker: tuples recorded as messages arrive (a worker's messages keep their order). */
export class KeyTable {
  private epoch = -1;
  private keys = new EpochKeys();

  /** Must see every batch and run of its worker, in the order received, also those that will never be committed. */
  receive(p: PackedRows): ReceivedRows {
    const keys = this.take(p);
    const { ids, days, cells, texts } = p;
    return { keys, ids, days, cells, texts };
  }

  /** Records the new tuples of a batch or run; the table of their epoch. */
  take(p: TupleRun): EpochKeys {
    if (p.epoch !== this.epoch) {
      this.epoch = p.epoch;
      this.keys = new EpochKeys(); // batches received earlier keep the old epoch's table
    }
    const keys = this.keys;
    if (p.base !== keys.tuples.length) throw new Error(`key table out of step: ${p.base} sent, ${keys.tuples.length} held`);
    for (const t of p.tuples) keys.tuples.push(t);
    if (keys.keyIds.length < keys.tuples.length) {
      const grown = new Int32Array(Math.max(2 * keys.keyIds.length, keys.tuples.length));
      grown.set(keys.keyIds);
      keys.keyIds = grown;
    }
    return keys;
  }
}

/** A time cell as the text the row had. */
const timeText = (cell: number, day: string, texts: readonly string[]): string => {
  if (cell < 0) return texts[-1 - cell];
  const hms = [Math.floor(cell / 3600), Math.floor(cell / 60) % 60, cell % 60].map((n) => String(n).padStart(2, '0'));
  return `${day}T${hms.join(':')}Z`;
};

/** The rows as objects again, dims included (tests, and callers that need the dims). */
export function unpackRows(r: ReceivedRows): UsageRow[] {
  const rows: UsageRow[] = [];
  r.ids.forEach((ids, p) => {
    const cells = r.cells[p];
    for (let j = 0; j < ids.length; j++) {
      const c = PACKED_WIDTH * j;
      const day = r.days[cells[c]];
      const key = r.keys.tuples[ids[j]];
      rows.push({
        dims: { day, ...parseTupleKey(key) },
        key,
        hits: cells[c + 1],
        authFailures: cells[c + 2],
        errors: cells[c + 3],
        estimated: cells[c + 4] as 0 | 1,
        firstSeen: timeText(cells[c + 5], day, r.texts),
        lastSeen: timeText(cells[c + 6], day, r.texts),
      });
    }
  });
  return rows;
}
