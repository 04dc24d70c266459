// Usage rows packed by a parse worker come out as they went in: every dimension, null or not, and the counters.
import { describe, expect, it } from 'vitest';
import { UsageAggregator, usageDims } from '../../src/aggregate/usage.js';
import { packRows, unpackRows } from '../../src/engine/packed-rows.js';
import { parseBytes, readFixture } from '../helpers.js';

describe('packed rows', () => {
  it('round-trips the rows of a real log, strings once each', () => {
    const { rows } = parseBytes(readFixture('iis/composed-crypt-fields.log'));
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.some((r) => r.dims.username === null) && rows.some((r) => r.dims.cipher === null)).toBe(true);
    const packed = packRows(rows);
    expect(unpackRows(structuredClone(packed))).toEqual(rows);
    expect(new Set(packed.strings).size).toBe(packed.strings.length);
    expect(packed.strings.filter((s) => s === 'iis')).toHaveLength(1);
  });

  it('keeps internal, estimated and the counters as numbers', () => {
    const agg = new UsageAggregator();
    const dims = usageDims({
      day: '2024-03-11', source: 'exo-smtp-auth', username: 'a@b', endpoint: 'SMTP', protocol: 'TLS 1.0', detail: '', internal: 1,
    });
    const row = agg.add(dims, '2024-03-11T00:00:00Z', 7, 2, 1);
    row.estimated = 1;
    expect(unpackRows(packRows(agg.drain()))).toEqual([
      { dims, hits: 7, authFailures: 2, errors: 1, estimated: 1, firstSeen: '2024-03-11T00:00:00Z', lastSeen: '2024-03-11T00:00:00Z' },
    ]);
  });
});
