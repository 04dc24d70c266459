import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LineSplitter, MAX_LINE_BYTES } from '../../src/sources/line-splitter.js';
import { fixture, parseBytes, readFixture } from '../helpers.js';

function split(bytes: Buffer, chunk: number, final = true) {
  const lines: [number, string][] = [];
  const long: number[] = [];
  const s = new LineSplitter({ line: (t, n) => lines.push([n, t]), tooLong: (n) => long.push(n) });
  for (let i = 0; i < bytes.length; i += chunk) s.push(bytes.subarray(i, i + chunk));
  s.end(final);
  return { lines, long, consumed: s.consumed, pending: s.pending };
}

const CHUNKS = [1, 2, 3, 7, 64, 4096];

describe('LineSplitter', () => {
  it('gives the same lines, line numbers and offsets for every chunk size', () => {
    const bytes = Buffer.from('\uFEFFa\r\nbé\n\r\nc€d\nlast', 'utf8');
    const whole = split(bytes, bytes.length);
    expect(whole.lines).toEqual([
      [1, 'a'],
      [2, 'bé'],
      [3, ''],
      [4, 'c€d'],
      [5, 'last'],
    ]);
    expect(whole.consumed).toBe(bytes.length);
    for (const c of CHUNKS) expect(split(bytes, c)).toEqual(whole);
  });

  it('holds back an unfinished last line unless the input is finished', () => {
    const bytes = Buffer.from('one\ntwo\nthr');
    const open = split(bytes, 3, false);
    expect(open.lines.map((l) => l[1])).toEqual(['one', 'two']);
    expect(open.consumed).toBe(8);
    expect(open.pending).toBe(3);
    expect(split(bytes, 3, true).lines.map((l) => l[1])).toEqual(['one', 'two', 'thr']);
  });

  it('decodes a line that is not UTF-8 as windows-1252, and only that line', () => {
    const bytes = Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9, 0x80, 0x0a]), Buffer.from('ok €\n')]);
    for (const c of CHUNKS) expect(split(bytes, c).lines.map((l) => l[1])).toEqual(['café€', 'ok €']);
  });

  it('skips an over-long line, reports it, and goes on', () => {
    const bytes = Buffer.concat([Buffer.from('a\n'), Buffer.alloc(MAX_LINE_BYTES + 10, 0x41), Buffer.from('\nb\n')]);
    const r = split(bytes, 65536);
    expect(r.lines).toEqual([
      [1, 'a'],
      [3, 'b'],
    ]);
    expect(r.long).toEqual([2]);
    expect(r.consumed).toBe(bytes.length);
  });

  it('resumes from a stored offset and line number', () => {
    const s = new LineSplitter({ line: () => undefined, tooLong: () => undefined }, 100, 7);
    s.push(Buffer.from('x\ny\n'));
    expect(s.consumed).toBe(104);
    expect(s.lineNo).toBe(9);
  });
});

describe('every IIS fixture parses identically in chunks of 1, 2, 3, 7, 64 and 4096 bytes', () => {
  const files = readdirSync(fixture('iis')).filter((f) => !f.endsWith('.json'));
  for (const f of files) {
    it(f, () => {
      const bytes = readFixture(`iis/${f}`);
      const whole = parseBytes(bytes);
      for (const c of CHUNKS) expect(parseBytes(bytes, c)).toEqual(whole);
    });
  }
});
