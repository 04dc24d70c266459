// The parts of held commits below the scan: rows of one day and key summed as the usage_rows upsert sums them, which
// input may be a held file, and file records written with their first commit (again after a rollback).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyedRow } from '../../src/aggregate/usage.js';
import { HeldCommits, UnbornFiles } from '../../src/store/held-commits.js';

const row = (key: string, day: string, hits: number, first: string, last: string, estimated: 0 | 1 = 0): KeyedRow => {
  const r = new KeyedRow(key, day);
  r.hits = hits;
  r.authFailures = hits - 1;
  r.errors = 1;
  r.estimated = estimated;
  r.firstSeen = first;
  r.lastSeen = last;
  return r;
};

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('held commits', () => {
  it('sums the rows of one day and key, keeps the others apart, in the order they came', () => {
    const held = new HeldCommits<string>();
    held.hold({ rows: [row('a', '2026-11-10', 2, '2026-11-10T05:00:00Z', '2026-11-10T06:00:00Z'), row('b', '2026-11-10', 1, '2026-11-10T05:30:00Z', '2026-11-10T05:30:00Z')], cp: 'f1', now: 'n', prints: [] });
    held.hold({ rows: [row('a', '2026-11-10', 3, '2026-11-10T04:00:00Z', '2026-11-10T05:59:00Z', 1), row('a', '2026-11-11', 1, '2026-11-11T00:00:00Z', '2026-11-11T00:00:00Z')], cp: 'f2', now: 'n', prints: [] });
    const { items, rows } = held.take();
    expect(items.map((i) => i.cp)).toEqual(['f1', 'f2']);
    expect(rows.map((r) => [(r as KeyedRow).key, (r as KeyedRow).day, r.hits, r.authFailures, r.errors, r.estimated, r.firstSeen, r.lastSeen])).toEqual([
      ['a', '2026-11-10', 5, 3, 2, 1, '2026-11-10T04:00:00Z', '2026-11-10T06:00:00Z'],
      ['b', '2026-11-10', 1, 0, 1, 0, '2026-11-10T05:30:00Z', '2026-11-10T05:30:00Z'],
      ['a', '2026-11-11', 1, 0, 1, 0, '2026-11-11T00:00:00Z', '2026-11-11T00:00:00Z'],
    ]);
    expect(held.size).toBe(0);
  });

  it('an input may be a held file when it begins with the bytes of one of its fingerprints', () => {
    const file = Buffer.from('#Software: Microsoft Internet Information Services 10.0\r\n#Date: 2026-11-10 05:00:00\r\n' + 'x'.repeat(500));
    const held = new HeldCommits<string>();
    held.hold({ rows: [], cp: 'f', now: 'n', prints: [{ bytes: 300, hash: sha(file.subarray(0, 300)) }] });
    expect(held.matches(file)).toBe(true); // the file itself
    expect(held.matches(Buffer.concat([file, Buffer.from('more')]))).toBe(true); // grown since
    expect(held.matches(file.subarray(0, 299))).toBe(false); // shorter than its print
    expect(held.matches(Buffer.from(file.toString().replace('05:00', '06:00')))).toBe(false);
  });

  it('a record made later is written with its first commit, once, and again after that commit rolled back', () => {
    const written: unknown[][] = [];
    const files = new UnbornFiles((values) => written.push(values));
    const id = files.add(['a.log']);
    expect(id).toBeLessThan(0);
    expect(files.idOf(7)).toBe(7);
    files.begin();
    expect(files.idOf(id)).toBe(1);
    expect(files.idOf(id)).toBe(1);
    files.rolledBack();
    files.begin();
    expect(files.idOf(id)).toBe(2);
    expect(written).toEqual([['a.log'], ['a.log']]);
    expect(() => files.idOf(-99)).toThrow(/no file record/);
  });
});
