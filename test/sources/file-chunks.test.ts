// fileChunks: the bytes of a plain file between two offsets, read with blocking reads into two buffers used in turn.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileChunks } from '../../src/sources/file-reader.js';
import { tempDir } from '../helpers.js';

const MiB = 1 << 20;

async function collect(chunks: AsyncIterable<Buffer>): Promise<{ bytes: Buffer; sizes: number[]; reused: boolean; intact: boolean }> {
  const parts: Buffer[] = [];
  const seen: Buffer[] = [];
  let intact = true;
  for await (const chunk of chunks) {
    // the previous chunk is still as it was while this one is worked on (the line splitter and tracker rely on it)
    if (seen.length > 0 && !seen[seen.length - 1].equals(parts[parts.length - 1])) intact = false;
    parts.push(Buffer.from(chunk));
    seen.push(chunk);
  }
  const buffers = new Set(seen.map((c) => c.buffer));
  return { bytes: Buffer.concat(parts), sizes: parts.map((p) => p.length), reused: seen.length > buffers.size, intact };
}

describe('fileChunks', () => {
  const path = join(tempDir(), 'big.log');
  const data = Buffer.alloc(3 * MiB + 12345);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 251;
  writeFileSync(path, data);

  it('yields the file from an offset to its end, reusing a few buffers', async () => {
    const got = await collect(fileChunks(path, 1000));
    expect(got.bytes.equals(data.subarray(1000))).toBe(true);
    expect(got.sizes).toEqual([MiB, MiB, MiB, 12345 - 1000]);
    expect([got.reused, got.intact]).toEqual([true, true]);
  });

  it('leaves its buffers to the next read of this thread: no MiB-sized block is freed per file', async () => {
    const first: ArrayBufferLike[] = [];
    for await (const chunk of fileChunks(path, 0, 2 * MiB)) first.push(chunk.buffer);
    const second = new Set<ArrayBufferLike>();
    for await (const chunk of fileChunks(path, 5)) second.add(chunk.buffer);
    expect(first.every((b) => second.has(b))).toBe(true);
    expect(second.size).toBe(2);
  });

  it('stops at the end offset of a byte range, and yields nothing past the file end', async () => {
    expect((await collect(fileChunks(path, MiB - 5, 2 * MiB + 7))).bytes.equals(data.subarray(MiB - 5, 2 * MiB + 7))).toBe(true);
    expect((await collect(fileChunks(path, data.length))).sizes).toEqual([]);
    expect((await collect(fileChunks(path, 10, 10))).sizes).toEqual([]);
  });
});
