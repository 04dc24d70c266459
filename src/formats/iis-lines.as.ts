// The IIS byte path's inner loop, in AssemblyScript (compiled to WebAssembly by scripts/build-wasm.mjs into
// iis-lines-wasm.ts; not part of the TypeScript build). One call per log line: split it into fields, hash the key
// fields, find the entry by hash and key bytes, count the line there. Memory layout: iis-lines-layout.ts; the driver
// and the contract: iis-lines.ts. Comparisons are unsigned (<u32>) where the addresses or counts may pass 2^31.
import {
  ARENA, ENTRIES, ENTRY_AUTH_FAILURES, ENTRY_BYTES, ENTRY_DAY, ENTRY_ENDPOINT, ENTRY_ERRORS, ENTRY_FIRST_SEC, ENTRY_HASH,
  ENTRY_HITS, ENTRY_KEY_AT, ENTRY_KEY_LENGTH, ENTRY_LAST_SEC, G_ARENA, G_COUNT, G_DATE, G_DAY, G_MAXLINE, G_N, G_STATUS,
  G_STEM, G_TIME, KINDS, LAST_DATE, MAX_ENTRIES, O_END, O_EP, O_HASH, O_NEXT, O_RESULT, O_SEC, O_START, POS, RUNS,
  SEGMENT_BYTES, SEGMENT_NAME, SEGMENTS, SLOT_MASK, SLOTS,
} from './iis-lines-layout';

/** An entry record: a key seen (its hash, day, endpoint and bytes in the arena) and the counts of its lines. */
@unmanaged class Entry {
  hash: i32;
  day: i32;
  endpoint: i32;
  keyAt: i32;
  keyLength: i32;
  hits: i32;
  authFailures: i32;
  errors: i32;
  firstSec: i32;
  lastSec: i32;
}

/** A run of adjacent key fields, [first, last]. */
@unmanaged class Run {
  first: i32;
  last: i32;
}

/** An endpoint segment record; its lower-case bytes follow at SEGMENT_NAME. */
@unmanaged class Segment {
  length: i32;
  index: i32;
}

// The records as the driver reads them: a compile error when a field is not where the layout says.
if (offsetof<Entry>('hash') != ENTRY_HASH || offsetof<Entry>('day') != ENTRY_DAY || offsetof<Entry>('endpoint') != ENTRY_ENDPOINT ||
  offsetof<Entry>('keyAt') != ENTRY_KEY_AT || offsetof<Entry>('keyLength') != ENTRY_KEY_LENGTH || offsetof<Entry>('hits') != ENTRY_HITS ||
  offsetof<Entry>('authFailures') != ENTRY_AUTH_FAILURES || offsetof<Entry>('errors') != ENTRY_ERRORS ||
  offsetof<Entry>('firstSec') != ENTRY_FIRST_SEC || offsetof<Entry>('lastSec') != ENTRY_LAST_SEC || <i32>offsetof<Entry>() > ENTRY_BYTES) {
  ERROR('Entry does not match iis-lines-layout.ts');
}
if (offsetof<Run>() != 8 || offsetof<Segment>() != SEGMENT_NAME) ERROR('Run or Segment does not match iis-lines-layout.ts');

function g(at: i32): i32 {
  return load<i32>(at);
}

function set(at: i32, v: i32): void {
  store<i32>(at, v);
}

/** Start of field f of the line last split. */
function pos(f: i32): i32 {
  return load<i32>(POS + (f << 2));
}

function runAt(r: i32): Run {
  return changetype<Run>(RUNS + 4 + (r << 3));
}

function entry(i: i32): Entry {
  return changetype<Entry>(ENTRIES + i * ENTRY_BYTES);
}

/**
 * The first byte at or after `i` that is <= 32 (space, CR, LF, a control character, the 0 after the input), sixteen
 * bytes at a time. Reading past the input is safe: the key arena follows it.
 */
function toControl(i: i32): i32 {
  while (true) {
    const m = i8x16.bitmask(i8x16.le_u(v128.load(i), i8x16.splat(32)));
    if (m) return i + ctz(m);
    i += 16;
  }
}

/**
 * The first space at or after `i`; when there is none before the line end, the LF or 0 after it, or a NUL in the
 * field (the line then goes to the text path). The caller clamps to the line end.
 */
function toSpace(i: i32): i32 {
  while (true) {
    const v = v128.load(i);
    const m = i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, i8x16.splat(32)), i8x16.eq(v, i8x16.splat(10))), i8x16.eq(v, i8x16.splat(0))));
    if (m) return i + ctz(m);
    i += 16;
  }
}

/** The first LF at or after `i` (there is one: a run's region ends with LF). */
function toLf(i: i32): i32 {
  while (true) {
    const m = i8x16.bitmask(i8x16.eq(v128.load(i), i8x16.splat(10)));
    if (m) return i + ctz(m);
    i += 16;
  }
}

/** Splits [start, end) into exactly n fields (POS); the key hash (FNV-1a over the key fields), or -1 when not plain. */
function split(start: i32, end: i32): i32 {
  const n = g(G_N);
  let i = start;
  let h: u32 = 0x811c9dc5;
  let f = 0;
  set(POS, start);
  while (true) {
    const k = load<u8>(KINDS + f);
    if (k == 1) {
      let from = i;
      i = toControl(i);
      while (from + 4 <= i) { h = (h ^ load<u32>(from)) * 0x01000193; from += 4; }
      while (from < i) { h = (h ^ load<u8>(from)) * 0x01000193; from++; }
      h = (h ^ 32) * 0x01000193;
    } else if (k == 2) {
      i = toSpace(i);
      if (<u32>i > <u32>end) i = end;
    } else {
      i = toControl(i);
    }
    if (<u32>i >= <u32>end) break;
    if (load<u8>(i) != 32) break;
    f++;
    if (f >= n) return -1;
    i++;
    set(POS + (f << 2), i);
  }
  if (i != end) return -1;
  if (f != n - 1) return -1;
  set(POS + (n << 2), end + 1);
  return <i32>(h & 0x3fffffff);
}

/**
 * Index of the endpoint of the stem field, 0 for "other": endpointOf (iis-endpoint.ts) over the bytes. The known
 * segments are letters and "-", so OR-ing 0x20 lowers exactly the bytes that can match.
 */
function endpoint(): i32 {
  const f = g(G_STEM);
  if (f < 0) return 0;
  const s = pos(f);
  const e = pos(f + 1) - 1;
  if (<u32>s >= <u32>e) return 0;
  if (load<u8>(s) != 47) return 0;
  let j = s + 1;
  while (<u32>j < <u32>e && load<u8>(j) != 47) j++;
  const len = j - s - 1;
  const count = g(SEGMENTS);
  for (let r = 0; r < count; r++) {
    const rec = SEGMENTS + 4 + r * SEGMENT_BYTES;
    const seg = changetype<Segment>(rec);
    if (seg.length != len) continue;
    let k = 0;
    while (true) {
      if (k >= len) return seg.index;
      if ((load<u8>(s + 1 + k) | 32) != load<u8>(rec + SEGMENT_NAME + k)) break;
      k++;
    }
  }
  return 0;
}

/** Whether the line's key runs are the key bytes of entry `e`. */
function sameKey(e: Entry): bool {
  let at = e.keyAt;
  const end = at + e.keyLength;
  const runs = g(RUNS);
  for (let r = 0; r < runs; r++) {
    let from = pos(runAt(r).first);
    const to = pos(runAt(r).last + 1) - 1;
    if (<u32>(at + (to - from)) > <u32>end) return false;
    while (<u32>(from + 8) <= <u32>to) {
      if (load<u64>(from) != load<u64>(at)) return false;
      from += 8; at += 8;
    }
    while (<u32>from < <u32>to) {
      if (load<u8>(from) != load<u8>(at)) return false;
      from++; at++;
    }
  }
  return at == end;
}

/** The status and time of the line into entry `e`. */
function count(e: Entry): void {
  e.hits++;
  const f = g(G_STATUS);
  if (f >= 0) {
    const s = pos(f);
    if (pos(f + 1) - 1 - s == 3) {
      const c = load<u8>(s);
      if (c == 52 && load<u8>(s, 1) == 48 && load<u8>(s, 2) == 49) e.authFailures++;
      else if (c == 52 || c == 53) e.errors++;
    }
  }
  const sec = g(O_SEC);
  if (sec < e.firstSec) e.firstSec = sec;
  if (sec > e.lastSec) e.lastSec = sec;
}

function digit(at: i32): i32 {
  return <i32>load<u8>(at) - 48;
}

/**
 * One line, [start, end) in memory: the entry index it was counted on (>= 0), or -1 not a plain line (nothing
 * changed), -2 a date other than the last one (set it and call again), -3 a key without an entry (call insert).
 */
function lineAt(start: i32, end: i32): i32 {
  let h = split(start, end);
  if (h < 0) return -1;
  let f = g(G_DATE);
  const ds = pos(f);
  if (pos(f + 1) - 1 - ds != 10) return -1;
  const day = g(G_DAY);
  if (day < 0 || load<u64>(ds) != load<u64>(LAST_DATE) || load<u16>(ds, 8) != load<u16>(LAST_DATE, 8)) return -2;
  f = g(G_TIME);
  const ts = pos(f);
  if (pos(f + 1) - 1 - ts != 8) return -1;
  if (load<u8>(ts, 2) != 58 || load<u8>(ts, 5) != 58) return -1;
  if (<u32>digit(ts) > 9 || <u32>digit(ts + 1) > 9 || <u32>digit(ts + 3) > 9 || <u32>digit(ts + 4) > 9 ||
      <u32>digit(ts + 6) > 9 || <u32>digit(ts + 7) > 9) return -1;
  set(O_SEC, (digit(ts) * 10 + digit(ts + 1)) * 3600 + (digit(ts + 3) * 10 + digit(ts + 4)) * 60 + digit(ts + 6) * 10 + digit(ts + 7));
  const ep = endpoint();
  // day and endpoint into the hash, then murmur3's finalizer, so that every key byte reaches the slot bits
  let u = <u32>h;
  u = (u ^ <u32>(day * 64 + ep)) * 0x01000193;
  u ^= u >>> 16;
  u *= 0x85ebca6b;
  u ^= u >>> 13;
  u *= 0xc2b2ae35;
  h = <i32>((u ^ (u >>> 16)) & 0x3fffffff);
  set(O_HASH, h);
  set(O_EP, ep);
  let slot = h & SLOT_MASK;
  while (true) {
    const idx = load<i32>(SLOTS + (slot << 2));
    if (idx == 0) return -3;
    const e = entry(idx - 1);
    if (e.hash == h && e.day == day && e.endpoint == ep && sameKey(e)) {
      count(e);
      return idx - 1;
    }
    slot = (slot + 1) & SLOT_MASK;
  }
}

/** lineAt, for the driver. */
export function line(start: i32, end: i32): i32 {
  return lineAt(start, end);
}

/**
 * Counts lines from `start` (each ending with LF) up to `limit`, at most `max` of them, and returns how many. It stops
 * at the first line it does not count (a directive, a line over G_MAXLINE bytes, or one lineAt does not count):
 * O_START is where, O_RESULT what lineAt gave there (0 when out of lines or `max`), O_END and O_NEXT that line's
 * end (before CR LF) and the start of the next.
 */
export function run(start: i32, limit: i32, max: i32): i32 {
  let lines = 0;
  while (<u32>lines < <u32>max && <u32>start < <u32>limit) {
    const nl = toLf(start);
    let end = nl;
    if (<u32>nl > <u32>start && load<u8>(nl - 1) == 13) end = nl - 1;
    set(O_END, end);
    set(O_NEXT, nl + 1);
    let r = -1;
    if (<u32>(nl + 1 - start) <= <u32>g(G_MAXLINE) && load<u8>(start) != 35) r = lineAt(start, end);
    if (r < 0) {
      set(O_RESULT, r);
      set(O_START, start);
      return lines;
    }
    lines++;
    start = nl + 1;
  }
  set(O_RESULT, 0);
  set(O_START, start);
  return lines;
}

/**
 * After lineAt gave -3: adds the line's key as a new entry and counts the line on it. The entry index, or -1 when
 * the entries are full or the arena has no room for the key (nothing changed).
 */
export function insert(): i32 {
  const n = g(G_COUNT);
  if (<u32>n >= <u32>MAX_ENTRIES) return -1;
  const runs = g(RUNS);
  let len = 0;
  for (let r = 0; r < runs; r++) len += pos(runAt(r).last + 1) - 1 - pos(runAt(r).first);
  let at = g(G_ARENA);
  if (<u32>(at + len) > <u32>(memory.size() * 65536)) return -1;
  const h = g(O_HASH);
  const e = entry(n);
  e.hash = h;
  e.day = g(G_DAY);
  e.endpoint = g(O_EP);
  e.keyAt = at;
  e.keyLength = len;
  e.hits = 0;
  e.authFailures = 0;
  e.errors = 0;
  e.firstSec = 86400;
  e.lastSec = -1;
  for (let r = 0; r < runs; r++) {
    const from = pos(runAt(r).first);
    const to = pos(runAt(r).last + 1) - 1;
    memory.copy(at, from, to - from);
    at += to - from;
  }
  set(G_ARENA, at);
  set(G_COUNT, n + 1);
  let slot = h & SLOT_MASK;
  while (load<i32>(SLOTS + (slot << 2)) != 0) slot = (slot + 1) & SLOT_MASK;
  store<i32>(SLOTS + (slot << 2), n + 1);
  count(e);
  return n;
}

/** Forgets every entry (their rows were handed on). */
export function reset(): void {
  memory.fill(SLOTS, 0, (SLOT_MASK + 1) << 2);
  set(G_COUNT, 0);
  set(G_ARENA, ARENA);
}
