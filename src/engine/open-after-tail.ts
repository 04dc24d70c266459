// Resuming an input: open it at its stored read position after checking the bytes just before it.
// Apart from file-identity.ts so the parse worker loads only what reading needs.
import type { ScanInput } from '../sources/plain-input.js';
import { TAIL_BYTES } from '../store/content-marks.js';
import type { FileRecord } from '../store/store.js';
import { tailHashOf } from './content-tracker.js';

/**
 * Opens an input at `record.consumed`, first checking the TAIL_BYTES before it against the stored hash.
 * Returns the stream positioned at `consumed` and those bytes, or null if the content there has changed.
 */
export async function openAfterTail(
  input: ScanInput,
  record: FileRecord,
): Promise<{ stream: AsyncIterable<Buffer>; before: Buffer } | null> {
  const n = Math.min(TAIL_BYTES, record.consumed);
  const source: AsyncIterable<Buffer> = input.chunks ? input.chunks(record.consumed - n) : await input.open(record.consumed - n);
  if (n === 0) return { stream: source, before: Buffer.alloc(0) };
  const iterator = source[Symbol.asyncIterator]();
  const close = async (): Promise<void> => {
    await iterator.return?.();
  };
  const parts: Buffer[] = [];
  let got = 0;
  while (got < n) {
    const next = await iterator.next();
    if (next.done) break;
    parts.push(Buffer.from(next.value)); // a copy: chunks() reuses its buffers
    got += next.value.length;
  }
  const all = Buffer.concat(parts);
  const before = all.subarray(0, n);
  if (before.length < n || (record.tailHash !== null && tailHashOf(before) !== record.tailHash)) {
    await close();
    return null;
  }
  const rest = all.subarray(n);
  async function* resumed(): AsyncGenerator<Buffer> {
    try {
      if (rest.length > 0) yield rest;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await close();
    }
  }
  return { stream: resumed(), before: Buffer.from(before) };
}
