// Which stored file an input is, by content only: same beginning, and the same bytes before the stored read
// position (or, for a shorter copy, before its last content mark). Reads a few KiB of plain files, never all.
import { readFileRange } from '../sources/file-reader.js';
import { readStart, type ScanInput } from '../sources/plain-input.js';
import { TAIL_BYTES, type FileRecord, type Store } from '../store/store.js';
import { ContentTracker, hashBytes, tailHashOf } from './content-tracker.js';

export type FileIdentity =
  /** This input holds the stored file's consumed bytes and maybe more: read on from `record.consumed`. */
  | { readonly kind: 'same'; readonly record: FileRecord }
  /** This input is a shorter copy of a stored file: everything in it was counted already. */
  | { readonly kind: 'contained'; readonly record: FileRecord }
  | { readonly kind: 'new' };

const NEW: FileIdentity = { kind: 'new' };

export async function identifyFile(store: Store, input: ScanInput, head: Buffer): Promise<FileIdentity> {
  for (const record of store.candidates(head)) {
    if (input.size === null) {
      const found = await probeStream(store, input, record);
      if (found !== 'differs') return { kind: found, record };
    } else if (record.consumed > input.size) {
      if (await markMatches(store, input, record, input.size)) return { kind: 'contained', record };
    } else if (await tailMatches(input, record)) {
      return { kind: 'same', record };
    }
  }
  return NEW;
}

/** The bytes [start, start + length) of an input (fewer at its end). */
export async function readRange(input: ScanInput, start: number, length: number): Promise<Buffer> {
  if (length === 0) return Buffer.alloc(0);
  const cached = input.cached?.(start, length);
  if (cached != null) return cached;
  if (input.plain !== undefined && input.size === input.plain.size) return readFileRange(input.plain.path, start, length);
  const stream = await input.open(start);
  return readStart(stream, length);
}

async function tailMatches(input: ScanInput, record: FileRecord): Promise<boolean> {
  if (record.consumed === 0 || record.tailHash === null) return true; // nothing read yet, or recorded before v5
  const n = Math.min(TAIL_BYTES, record.consumed);
  const bytes = await readRange(input, record.consumed - n, n);
  return bytes.length === n && tailHashOf(bytes) === record.tailHash;
}

/** A shorter input matches if its bytes before the stored file's last mark within it are the same. */
async function markMatches(store: Store, input: ScanInput, record: FileRecord, size: number): Promise<boolean> {
  const mark = store.markAtOrBelow(record.id, size);
  if (mark === null) return true; // shorter than the first mark: the matching beginning is all there is to go by
  const bytes = await readRange(input, mark.offset - TAIL_BYTES, TAIL_BYTES);
  return bytes.length === TAIL_BYTES && hashBytes(bytes) === mark.hash;
}

/**
 * For an input of unknown length (gzip): inflates it up to the stored read position, checking the bytes there,
 * or, if it ends before, its last content mark.
 */
async function probeStream(store: Store, input: ScanInput, record: FileRecord): Promise<'same' | 'contained' | 'differs'> {
  const target = record.consumed;
  if (target === 0 || record.tailHash === null) return 'same';
  const tracker = new ContentTracker(0, Buffer.alloc(0));
  let received = 0;
  const stream = await input.open(0);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      tracker.push(chunk);
      received += chunk.length;
      if (received >= target) return tracker.tailHash(target) === record.tailHash ? 'same' : 'differs';
    }
  } finally {
    stream.destroy();
  }
  const stored = store.markAtOrBelow(record.id, received);
  if (stored === null) return 'contained';
  const seen = tracker.takeMarks(received).find((m) => m.offset === stored.offset);
  return seen !== undefined && seen.hash === stored.hash ? 'contained' : 'differs';
}
