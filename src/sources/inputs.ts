// Turns a found file into scan inputs: the file itself, its gzip content, or each entry of a zip archive.
// Compression is recognised by content (magic bytes), never by name; nothing is extracted to disk.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import chain from 'stream-chain';
import yauzl from 'yauzl';
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
   * The same bytes as `open`, faster, for a plain file: read ahead into buffers used in turn, so a chunk stays
   * valid only until the chunk after the next one is requested (copy what must live longer).
   */
  chunks?(start: number): AsyncIterable<Buffer>;
  /**
   * Identity of a compressed file or zip entry taken from its packed form, known without decompressing it:
   * once it has been read to its end, a re-scan skips it on this alone. Null for a plain file.
   */
  container(): Promise<string | null>;
}

export interface ExpandProblem {
  readonly path: string;
  readonly message: string;
}

const READ_CHUNK = 1 << 20;

/** Drops the first `n` bytes of a byte stream (compressed inputs cannot seek). */
function skipper(n: number): (chunk: Buffer) => Buffer | typeof chain.none {
  let left = n;
  return (chunk) => {
    if (left === 0) return chunk;
    if (chunk.length <= left) {
      left -= chunk.length;
      return chain.none;
    }
    const rest = chunk.subarray(left);
    left = 0;
    return rest;
  };
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

async function magic(path: string): Promise<Buffer> {
  const fh = await openFile(path, 'r');
  try {
    const buf = Buffer.alloc(4);
    const { bytesRead } = await fh.read(buf, 0, 4, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Bytes read from each end of a gzip file for its identity; the end holds the CRC-32 and length of the content. */
const GZIP_ID_BYTES = 4096;

/** "gz:<sha-256 of the first and last 4 KiB>:<size>": a gzip file's trailer carries the CRC-32 of its content. */
async function gzipIdentity(path: string): Promise<string> {
  const fh = await openFile(path, 'r');
  try {
    const { size } = await fh.stat();
    const n = Math.min(GZIP_ID_BYTES, size);
    const head = Buffer.alloc(n);
    const tail = Buffer.alloc(n);
    await fh.read(head, 0, n, 0);
    await fh.read(tail, 0, n, size - n);
    return `gz:${createHash('sha256').update(head).update(tail).digest('hex')}:${size}`;
  } finally {
    await fh.close();
  }
}

const isGzip = (m: Buffer): boolean => m.length >= 2 && m[0] === 0x1f && m[1] === 0x8b;
const isZip = (m: Buffer): boolean => m.length >= 4 && m.readUInt32LE(0) === 0x04034b50;

/**
 * The bytes of a plain file from `start` to `end` (exclusive; the file's end if undefined). The next chunk is read
 * while the caller works on the current one, into three buffers used in turn, so a chunk stays valid until the
 * chunk after the next one is requested (see ScanInput.chunks): no fresh MiB to allocate, fault in and collect per
 * read, and no wait for the disk between chunks.
 */
export async function* fileChunks(path: string, start: number, end?: number): AsyncGenerator<Buffer> {
  const fh = await openFile(path, 'r');
  const buffers = [Buffer.allocUnsafeSlow(READ_CHUNK), Buffer.allocUnsafeSlow(READ_CHUNK), Buffer.allocUnsafeSlow(READ_CHUNK)];
  let turn = 0;
  let pos = start;
  const readNext = async (): Promise<Buffer | null> => {
    if (end !== undefined && pos >= end) return null;
    const buf = buffers[turn];
    turn = (turn + 1) % buffers.length;
    const want = end === undefined ? buf.length : Math.min(buf.length, end - pos);
    const { bytesRead } = await fh.read(buf, 0, want, pos);
    pos += bytesRead;
    return bytesRead === 0 ? null : buf.subarray(0, bytesRead);
  };
  let next = readNext();
  try {
    for (;;) {
      const chunk = await next;
      if (chunk === null) return;
      next = readNext();
      yield chunk;
    }
  } finally {
    await next.catch(() => null); // never leave a read running on a closed handle
    await fh.close();
  }
}

export function plainInput(f: FoundFile): ScanInput {
  return {
    path: f.path,
    folders: f.folders,
    size: f.size,
    compressed: false,
    plain: f,
    mtimeMs: f.mtimeMs,
    head: (max) => readStart(createReadStream(f.path, { start: 0, end: Math.max(0, max - 1) }), max),
    open: async (start) => createReadStream(f.path, { start, highWaterMark: READ_CHUNK }),
    chunks: (start) => fileChunks(f.path, start),
    container: async () => null,
  };
}

function gzipInput(f: FoundFile): ScanInput {
  const inflate = (start: number): Readable =>
    chain([createReadStream(f.path, { highWaterMark: READ_CHUNK }), createGunzip(), skipper(start)]) as unknown as Readable;
  return {
    path: f.path,
    folders: f.folders,
    size: null,
    compressed: true,
    mtimeMs: f.mtimeMs,
    head: (max) => readStart(inflate(0), max),
    open: async (start) => inflate(start),
    container: () => gzipIdentity(f.path),
  };
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false, strictFileNames: false }, (err, zip) =>
      err ? reject(err) : resolve(zip),
    ),
  );
}

function zipEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const out: yauzl.Entry[] = [];
    zip.on('entry', (e: yauzl.Entry) => {
      if (!e.fileName.endsWith('/')) out.push(e);
      zip.readEntry();
    });
    zip.on('end', () => resolve(out));
    zip.on('error', reject);
    zip.readEntry();
  });
}

function entryStream(zip: yauzl.ZipFile, e: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(e, (err, s) => (err ? reject(err) : resolve(s))));
}

/** The inputs a found file stands for. Zip archives are opened and closed around the consumer's loop. */
export async function* expand(f: FoundFile, onProblem: (p: ExpandProblem) => void): AsyncGenerator<ScanInput> {
  const m = await magic(f.path);
  if (isGzip(m)) {
    yield gzipInput(f);
    return;
  }
  if (!isZip(m)) {
    yield plainInput(f);
    return;
  }
  let zip: yauzl.ZipFile;
  let entries: yauzl.Entry[];
  try {
    zip = await openZip(f.path);
    entries = await zipEntries(zip);
  } catch (err) {
    onProblem({ path: f.path, message: `cannot read zip archive: ${(err as Error).message}` });
    return;
  }
  try {
    const archive = f.path.replace(/\\/g, '/').split('/').pop() ?? f.path;
    for (const e of entries) {
      const parts = e.fileName.split(/[\\/]/);
      parts.pop();
      const gz = /\.gz$/i.test(e.fileName);
      const inflate = async (start: number): Promise<Readable> => {
        const raw = await entryStream(zip, e);
        const stages: unknown[] = gz ? [raw, createGunzip(), skipper(start)] : [raw, skipper(start)];
        return chain(stages as never) as unknown as Readable;
      };
      yield {
        path: `${f.path}!${e.fileName}`,
        folders: [...f.folders, archive.replace(/\.zip$/i, ''), ...parts],
        size: gz ? null : e.uncompressedSize,
        compressed: true,
        mtimeMs: f.mtimeMs,
        head: async (max) => readStart(await inflate(0), max),
        open: inflate,
        // The central directory's CRC-32 and sizes: known without inflating the entry
        container: async () => `zip:${e.crc32.toString(16)}:${e.compressedSize}:${e.uncompressedSize}`,
      };
    }
  } finally {
    zip.close();
  }
}
