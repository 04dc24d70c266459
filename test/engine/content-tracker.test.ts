// The content tracker: tail hashes and marks are the same whatever the chunking, and equal direct hashes.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ContentTracker } from '../../src/engine/content-tracker.js';
import { MARK_INTERVAL, TAIL_BYTES } from '../../src/store/store.js';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function bytes(n: number): Buffer {
  const out = Buffer.alloc(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('ContentTracker', () => {
  const data = bytes(2 * MARK_INTERVAL + 5000);
  for (const chunk of [1000, 4096, 7777, 65536, data.length]) {
    it(`gives the same marks and tail hashes in chunks of ${chunk} bytes`, () => {
      const start = 3000;
      const t = new ContentTracker(start, data.subarray(0, start));
      const tails: [number, string | null][] = [];
      for (let i = start; i < data.length; i += chunk) {
        const piece = data.subarray(i, Math.min(data.length, i + chunk));
        t.push(piece);
        // a read position somewhere inside this chunk, as the splitter would have it
        const consumed = i + Math.floor(piece.length / 2);
        tails.push([consumed, t.tailHash(consumed)]);
        t.settle(consumed);
        tails.push([consumed, t.tailHash(consumed)]);
      }
      for (const [consumed, hash] of tails) {
        expect(hash).toBe(sha(data.subarray(Math.max(0, consumed - TAIL_BYTES), consumed)));
      }
      const marks = t.takeMarks(data.length);
      expect(marks.map((m) => m.offset)).toEqual([MARK_INTERVAL, 2 * MARK_INTERVAL]);
      for (const m of marks) expect(m.hash).toBe(sha(data.subarray(m.offset - TAIL_BYTES, m.offset)));
      expect(t.takeMarks(data.length)).toEqual([]);
    });
  }

  it('hands out only the marks up to the read position', () => {
    const t = new ContentTracker(0, Buffer.alloc(0));
    t.push(data);
    expect(t.takeMarks(MARK_INTERVAL + 10).map((m) => m.offset)).toEqual([MARK_INTERVAL]);
    expect(t.takeMarks(data.length).map((m) => m.offset)).toEqual([2 * MARK_INTERVAL]);
    expect(t.tailHash(0)).toBeNull();
    expect(t.tailHash(100)).toBe(sha(data.subarray(0, 100)));
  });
});
