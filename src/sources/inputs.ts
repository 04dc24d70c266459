// Turns a found file into scan inputs: the file itself, its gzip content, each entry of a zip archive, or the UTF-8 of
// a UTF-16 file. Compression and UTF-16 are recognised by content (magic bytes, byte order mark), never by name;
// nothing is extracted or converted to disk.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import chain from 'stream-chain';
import yauzl from 'yauzl';
import { fileStream, readFileRange } from './file-reader.js';
import { PLAIN_HEAD_BYTES, PLAIN_START_BYTES, plainInput, readStart, type ScanInput } from './plain-input.js';
import { asUtf8, utf16Order, utf16ToUtf8 } from './utf16.js';
import type { FoundFile } from './walk.js';

export { plainInput, readStart, type ScanInput } from './plain-input.js';

export interface ExpandProblem {
  readonly path: string;
  readonly message: string;
}

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

/** Bytes read from each end of a gzip or UTF-16 file for its identity (a gzip file's end holds its content's CRC-32). */
const ENDS_ID_BYTES = 4096;

/**
 * "<kind>:<sha-256 of the first and last 4 KiB>:<size>": the identity of a file read through a stage (a gzip file's
 * trailer carries the CRC-32 of its content).
 */
async function endsIdentity(f: FoundFile, kind: 'gz' | 'utf16'): Promise<string> {
  const n = Math.min(ENDS_ID_BYTES, f.size);
  const [head, tail] = await Promise.all([readFileRange(f.path, 0, n), readFileRange(f.path, f.size - n, n)]);
  return `${kind}:${createHash('sha256').update(head).update(tail).digest('hex')}:${f.size}`;
}

/** A file read through stream stages (gunzip; UTF-16 to UTF-8, utf16.ts): its size unknown until read. */
function stagedInput(f: FoundFile, stages: () => unknown[], kind: 'gz' | 'utf16'): ScanInput {
  const read = (start: number): Readable => chain([fileStream(f.path), ...stages(), skipper(start)] as never) as unknown as Readable;
  return {
    path: f.path,
    folders: f.folders,
    size: null,
    compressed: true,
    mtimeMs: f.mtimeMs,
    head: (max) => readStart(read(0), max),
    open: async (start) => read(start),
    container: () => endsIdentity(f, kind),
  };
}

const isGzip = (m: Buffer): boolean => m.length >= 2 && m[0] === 0x1f && m[1] === 0x8b;
const isZip = (m: Buffer): boolean => m.length >= 4 && m.readUInt32LE(0) === 0x04034b50;

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
/** How much `firstBytes` reads: a small file whole (its first scan needs all of it anyway), else its head. */
const firstAsked = (f: FoundFile): number => (f.size < PLAIN_HEAD_BYTES ? PLAIN_HEAD_BYTES : PLAIN_START_BYTES);

/** The first bytes of a found file: they tell its kind, and for a plain file they are also its head. */
export function firstBytes(f: FoundFile): Promise<Buffer> {
  return readFileRange(f.path, 0, firstAsked(f));
}

/** `first`: firstBytes(f) when already started. */
export async function* expand(
  f: FoundFile,
  onProblem: (p: ExpandProblem) => void,
  first: Promise<Buffer> = firstBytes(f),
): AsyncGenerator<ScanInput> {
  const m = await first;
  if (isGzip(m)) {
    yield stagedInput(f, () => [createGunzip(), asUtf8()], 'gz');
    return;
  }
  const order = utf16Order(m);
  if (order !== null) {
    yield stagedInput(f, () => [utf16ToUtf8(order)], 'utf16');
    return;
  }
  if (!isZip(m)) {
    yield plainInput(f, m, firstAsked(f));
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
        // a UTF-16 entry is read as UTF-8; its size stays the entry's (UTF-16 bytes)
        const stages: unknown[] = gz ? [raw, createGunzip(), asUtf8(), skipper(start)] : [raw, asUtf8(), skipper(start)];
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
