// A plain (uncompressed) log file as a scan input, and reading its bytes. Apart from inputs.ts (gzip, zip) so the
// parse worker, which only reads plain files, loads none of that.
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { FoundFile } from './walk.js';

export interface ScanInput {
  /** Shown in messages and stored in files.path ("a.zip!EXCH01/W3SVC1/u_ex240311.log" for a zip entry). */
  readonly path: string;
  /** Folders above the file, for server and site hints (a zip entry's own folders come last). */
  readonly folders: readonly string[];
  /** Decompressed size when known (plain files, zip entries); null for gzip. */
  readonly size: number | null;
  /** A compressed file or entry is complete: its final line counts even without a newline. */
  readonly compressed: boolean;
  /** The file on disk, for a plain (uncompressed) input: a parse worker opens it again from this. */
  readonly plain?: FoundFile;
  readonly mtimeMs: number;
  /** The first `max` decompressed bytes (fewer if the input is shorter). */
  head(max: number): Promise<Buffer>;
  /** Decompressed bytes from `start` to the end. */
  open(start: number): Promise<Readable>;
  /**
   * The same bytes as `open`, faster, for a plain file: read into buffers used in turn, so a chunk stays
   * valid only until the chunk after the next one is requested (copy what must live longer).
   */
  chunks?(start: number): AsyncIterable<Buffer>;
  /**
   * Identity of a compressed file or zip entry taken from its packed form, known without decompressing it:
   * once it has been read to its end, a re-scan skips it on this alone. Null for a plain file.
   */
  container(): Promise<string | null>;
}

export const READ_CHUNK = 1 << 20;
const MIN_CHUNK = 64 << 10;

/** The first `max` bytes of a stream (fewer if it is shorter), which is then destroyed. */
export async function readStart(stream: Readable, max: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let got = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      got += chunk.length;
      if (got >= max) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, max);
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

async function* bytesFrom(bytes: Buffer, start: number): AsyncGenerator<Buffer> {
  if (start < bytes.length) yield bytes.subarray(start);
}

/**
 * The bytes of a plain file from `start` to `end` (exclusive; the file's end if undefined), read with blocking reads
 * into two buffers used in turn, so a chunk stays valid until the chunk after the next one is requested (see
 * ScanInput.chunks): no fresh MiB to allocate, fault in and collect per read. Blocking reads measured faster than
 * asynchronous ones, in parse workers and in the main thread alike: their calls cost more than the reads.
 */
export async function* fileChunks(path: string, start: number, end?: number): AsyncGenerator<Buffer> {
  yield* fileChunksSync(path, start, end);
}

function* fileChunksSync(path: string, start: number, end?: number): Generator<Buffer> {
  const fd = openSync(path, 'r');
  try {
    const size = Math.min(READ_CHUNK, Math.max(MIN_CHUNK, (end ?? fstatSync(fd).size) - start + 1));
    const buffers = [Buffer.allocUnsafeSlow(size), Buffer.allocUnsafeSlow(size)];
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
  }
}

/** How much of a plain file's start is read first: its fingerprint (store.ts FINGERPRINT_BYTES), all a re-scan needs. */
export const PLAIN_START_BYTES = 4096;
/** Files smaller than this are read whole at once (engine/sniff.ts reads this much to tell the format). */
export const PLAIN_HEAD_BYTES = 64 * 1024;

/**
 * `start`: the file's first bytes when already read, `startAsked` bytes asked for (fewer came only if the file was
 * shorter). The longest head read is kept: format sniffing then needs no second read, and a file that fits in it
 * is parsed from there.
 */
export function plainInput(f: FoundFile, start?: Buffer, startAsked = PLAIN_START_BYTES): ScanInput {
  let known = start;
  const complete = (b: Buffer | undefined, asked: number): boolean => b !== undefined && b.length < asked;
  let asked = start === undefined ? 0 : startAsked;
  return {
    path: f.path,
    folders: f.folders,
    size: f.size,
    compressed: false,
    plain: f,
    mtimeMs: f.mtimeMs,
    head: async (max) => {
      if (known !== undefined && (max <= known.length || complete(known, asked))) return known.subarray(0, max);
      known = await readFileRange(f.path, 0, max);
      asked = max;
      return known;
    },
    open: async (start) => createReadStream(f.path, { start, highWaterMark: READ_CHUNK }),
    // A file that fit in its head is read from there (it is read again next scan if it has grown since)
    chunks: (from) =>
      known !== undefined && known.length === f.size && complete(known, asked) ? bytesFrom(known, from) : fileChunks(f.path, from),
    container: async () => null,
  };
}

