// Follows the bytes of one input as they stream past, to hash the TAIL_BYTES before any read position
// and before every MARK_INTERVAL offset. It keeps only a few KiB; it never reads anything itself.
import { createHash } from 'node:crypto';
import { MARK_INTERVAL, TAIL_BYTES, type ContentMark } from '../store/content-marks.js';

export const hashBytes = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Hash of the `min(TAIL_BYTES, offset)` bytes ending at `offset`, given a buffer that ends at `offset`. */
export function tailHashOf(endingAtOffset: Buffer): string {
  return hashBytes(endingAtOffset.subarray(Math.max(0, endingAtOffset.length - TAIL_BYTES)));
}

export class ContentTracker {
  /** Up to TAIL_BYTES just before `chunkStart`. */
  private before: Buffer;
  private chunk: Buffer = Buffer.alloc(0);
  private chunkStart: number;
  /** Offset just after the last byte seen. */
  private received: number;
  /** The bytes before `pinnedAt`, copied when the read position stops moving inside a chunk. */
  private pinned: Buffer;
  private pinnedAt: number;
  private pending: ContentMark[] = [];

  /** `start`: the offset streaming begins at; `before`: the bytes just before it (up to TAIL_BYTES). */
  constructor(start: number, before: Buffer) {
    this.before = before;
    this.chunkStart = start;
    this.received = start;
    this.pinned = before;
    this.pinnedAt = start;
  }

  /** Call with each chunk before handing it to the line splitter. */
  push(chunk: Buffer): void {
    const start = this.received;
    const end = start + chunk.length;
    this.before = this.lastBytes();
    this.chunk = chunk;
    this.chunkStart = start;
    this.received = end;
    for (let m = (Math.floor(start / MARK_INTERVAL) + 1) * MARK_INTERVAL; m <= end; m += MARK_INTERVAL) {
      this.pending.push({ offset: m, hash: hashBytes(this.slice(m - TAIL_BYTES, m)) });
    }
  }

  /** Call after the splitter took the chunk: remembers the bytes before `consumed` while they are at hand. */
  settle(consumed: number): void {
    if (consumed === this.pinnedAt || consumed < this.chunkStart - this.before.length) return;
    this.pinned = Buffer.from(this.slice(Math.max(0, consumed - TAIL_BYTES), consumed));
    this.pinnedAt = consumed;
  }

  /** Hash of the bytes before `consumed` (the splitter's position: inside the current chunk, or settled). */
  tailHash(consumed: number): string | null {
    if (consumed === 0) return null;
    if (consumed === this.pinnedAt) return tailHashOf(this.pinned);
    return hashBytes(this.slice(Math.max(0, consumed - TAIL_BYTES), consumed));
  }

  /** Marks at offsets up to `consumed` not handed out yet. */
  takeMarks(consumed: number): ContentMark[] {
    const out = this.pending.filter((m) => m.offset <= consumed);
    if (out.length > 0) this.pending = this.pending.filter((m) => m.offset > consumed);
    return out;
  }

  /** A copy of the last TAIL_BYTES seen (fewer at the start). */
  private lastBytes(): Buffer {
    if (this.chunk.length >= TAIL_BYTES) return Buffer.from(this.chunk.subarray(this.chunk.length - TAIL_BYTES));
    const both = Buffer.concat([this.before, this.chunk]);
    return both.subarray(Math.max(0, both.length - TAIL_BYTES));
  }

  private slice(from: number, to: number): Buffer {
    const base = this.chunkStart - this.before.length;
    if (from < base || to > this.received) {
      throw new RangeError(`bytes ${from}..${to} are no longer at hand (have ${base}..${this.received})`);
    }
    if (from >= this.chunkStart) return this.chunk.subarray(from - this.chunkStart, to - this.chunkStart);
    if (to <= this.chunkStart) return this.before.subarray(from - base, to - base);
    return Buffer.concat([this.before.subarray(from - base), this.chunk.subarray(0, to - this.chunkStart)]);
  }
}
