// The one place plain files are read: ranges of bytes, streams and chunks from a position on, the next line start after an
// offset, and the lines of a byte range that start with a given byte. The scan, the identification, the byte-range
// planner, gzip identities and the parse workers all read through it.
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/** The largest read chunk (and a stream's highWaterMark for plain files). */
export const READ_CHUNK = 1 << 20;

/**
 * Read buffers (READ_CHUNK bytes) of reads that ended, kept for this thread's next reads. Freeing a block of a MiB or
 * more makes glibc raise its mmap threshold to that size and its trim threshold to twice that; from then on freed
 * space stays in the process (about 15 MB of the ≈1M point's peak RSS in bench/RESULTS.md). Reused, they are never
 * freed.
 */
const spare: Buffer[] = [];
const SPARE_MAX = 4;
const takeBuffer = (): Buffer => spare.pop() ?? Buffer.allocUnsafeSlow(READ_CHUNK);
const giveBack = (...buffers: Buffer[]): void => {
  for (const b of buffers) if (spare.length < SPARE_MAX) spare.push(b);
};

/** A stream of a plain file's bytes from `start` to `end` (exclusive; the file's end if undefined). */
export function fileStream(path: string, start = 0, end?: number): Readable {
  return createReadStream(path, { start, end: end === undefined ? undefined : end - 1, highWaterMark: READ_CHUNK });
}

/** Up to `length` bytes of a plain file from `start` (fewer at its end), with plain reads (no stream). */
export async function readFileRange(path: string, start: number, length: number): Promise<Buffer> {
  const fh = await openFile(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await fh.read(buf, got, length - got, start + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await fh.close();
  }
}

/**
 * The bytes of a plain file from `start` to `end` (exclusive; the file's end if undefined), read with blocking reads
 * into two buffers used in turn, so a chunk stays valid until the chunk after the next one is requested (see
 * ScanInput.chunks), and the last ones until this thread starts another read: no fresh MiB to allocate, fault in
 * and collect per read. Blocking reads measured faster than asynchronous ones, in parse workers and in the main
 * thread alike: their calls cost more than the reads.
 */
export async function* fileChunks(path: string, start: number, end?: number): AsyncGenerator<Buffer> {
  yield* fileChunksSync(path, start, end);
}

function* fileChunksSync(path: string, start: number, end?: number): Generator<Buffer> {
  const fd = openSync(path, 'r');
  const buffers = [takeBuffer(), takeBuffer()];
  try {
    let turn = 0;
    for (let pos = start; end === undefined || pos < end; ) {
      const buf = buffers[(turn ^= 1)];
      const bytesRead = readSync(fd, buf, 0, end === undefined ? buf.length : Math.min(buf.length, end - pos), pos);
      if (bytesRead === 0) return;
      pos += bytesRead;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    closeSync(fd);
    giveBack(...buffers);
  }
}

/** The offset just after the first newline at or after `offset`, looking `window` bytes ahead; null if none there. */
export async function lineStartAfter(path: string, offset: number, window: number): Promise<number | null> {
  const bytes = await readFileRange(path, offset, window);
  const nl = bytes.indexOf(10);
  return nl < 0 ? null : offset + nl + 1;
}

/** A line found by `linesStartingWith`: its offset and text (without CR/LF). */
export interface MarkedLine {
  readonly offset: number;
  readonly text: string;
}

/**
 * The lines of [start, end) that start with the byte `first` (`start` is a line start). Only the bytes are
 * searched, nothing parsed: blocking reads into one read buffer, the unfinished last line moved to its front before
 * the next read. A line longer than the buffer less 64 KiB is dropped (an over-long line, never one anyone reads).
 */
export function linesStartingWith(path: string, first: number, start: number, end: number): MarkedLine[] {
  const out: MarkedLine[] = [];
  const mark = Buffer.from([10, first]);
  const fd = openSync(path, 'r');
  const buf = takeBuffer();
  try {
    let held = 0; // bytes of an unfinished line at the front of buf
    let base = start; // file offset of buf[0]
    let lineStart = true; // buf[0] starts a line (not after part of an over-long line was dropped)
    for (let pos = start; pos < end; ) {
      if (held >= buf.length - (1 << 16)) {
        base += held;
        held = 0;
        lineStart = false;
      }
      const want = Math.min(buf.length - held, end - pos);
      const bytesRead = readSync(fd, buf, held, want, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      const filled = held + bytesRead;
      const last = pos >= end ? filled - 1 : buf.lastIndexOf(10, filled - 1);
      if (last < 0) {
        held = filled;
        continue;
      }
      const atStart = lineStart && buf[0] === first;
      for (let at = atStart ? 0 : buf.indexOf(mark); at >= 0 && at <= last; at = buf.indexOf(mark, at + 1)) {
        const from = at === 0 && atStart ? 0 : at + 1;
        if (from > last) break; // the line after the last newline is read with the next chunk
        const nl = buf.indexOf(10, from);
        const to = nl < 0 || nl >= filled ? filled : nl;
        out.push({ offset: base + from, text: buf.toString('utf8', from, to > from && buf[to - 1] === 13 ? to - 1 : to) });
        if (nl < 0 || nl >= filled) break;
      }
      held = filled - (last + 1);
      buf.copyWithin(0, last + 1, filled);
      base += last + 1;
      lineStart = true;
    }
  } finally {
    closeSync(fd);
    giveBack(buf);
  }
  return out;
}
