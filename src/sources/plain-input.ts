// A plain (uncompressed) log file as a scan input (its bytes read through file-reader.ts). Apart from inputs.ts
// (gzip, zip) so the parse worker, which only reads plain files, loads none of that.
import type { Readable } from 'node:stream';
import { fileChunks, fileStream, readFileRange } from './file-reader.js';
import type { FoundFile } from './walk.js';

export interface ScanInput {
  /** Shown in messages and stored in files.path ("a.zip!EXCH01/W3SVC1/u_ex240311.log" for a zip entry). */
  readonly path: string;
  /** Folders above the file, for server and site hints (a zip entry's own folders come last). */
  readonly folders: readonly string[];
  /** Decompressed size when known (plain files, zip entries); null for gzip. */
  readonly size: number | null;
  /** A compressed file or entry (or a UTF-16 file read as UTF-8) is complete: its final line counts even without a newline. */
  readonly compressed: boolean;
  /** The file on disk, for a plain (uncompressed) input: a parse worker opens it again from this. */
  readonly plain?: FoundFile;
  readonly mtimeMs: number;
  /** The first `max` decompressed bytes (fewer if the input is shorter). */
  head(max: number): Promise<Buffer>;
  /** Decompressed bytes from `start` to the end. */
  open(start: number): Promise<Readable>;
  /** The bytes [start, start + length) (fewer at the input's end) when already read, else null. */
  cached?(start: number, length: number): Buffer | null;
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

async function* bytesFrom(bytes: Buffer, start: number): AsyncGenerator<Buffer> {
  if (start < bytes.length) yield bytes.subarray(start);
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
    open: async (start) => fileStream(f.path, start),
    cached: (start, length) => {
      if (known === undefined) return null;
      if (start + length <= known.length) return known.subarray(start, start + length);
      return complete(known, asked) ? known.subarray(Math.min(start, known.length)) : null;
    },
    // A file that fit in its head is read from there (it is read again next scan if it has grown since)
    chunks: (from) =>
      known !== undefined && known.length === f.size && complete(known, asked) ? bytesFrom(known, from) : fileChunks(f.path, from),
    container: async () => null,
  };
}

