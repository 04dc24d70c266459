// Usage rows packed by a parse worker come out as they went in: every dimension, null or not, and the counters.
import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { DIM_KEYS, parseTupleKey, TUPLE_DIMS, tupleKey, tuplePart, UsageAggregator, usageDims, type UsageDims, type UsageRow } from '../../src/aggregate/usage.js';
import { KeyIndex, KeyTable, MESSAGE_TUPLE_CHARS, PACKED_WIDTH, PART_ROWS, packRows, splitTuples, unpackRows } from '../../src/aggregate/packed-rows.js';
import { parseBytes, readFixture } from '../helpers.js';

/** A row's dims and counters as a plain object (an aggregator's row gives its dims from its tuple string). */
const view = (r: UsageRow) => ({
  dims: r.dims, hits: r.hits, authFailures: r.authFailures, errors: r.errors, estimated: r.estimated, firstSeen: r.firstSeen,
  lastSeen: r.lastSeen,
});

describe('packed rows', () => {
  it('round-trips the rows of a real log, strings once each', () => {
    const { rows } = parseBytes(readFixture('iis/composed-crypt-fields.log'));
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.some((r) => r.dims.username === null) && rows.some((r) => r.dims.cipher === null)).toBe(true);
    const index = new KeyIndex();
    const table = new KeyTable();
    const packed = packRows(rows, index);
    const plain = rows.map(view);
    expect(unpackRows(table.receive(structuredClone(packed))).map(view)).toEqual(plain);
    expect(packed.tuples).toEqual(rows.map((r) => r.key));
    // the same keys again, one time off the row's day: no tuple sent, the time as text
    const again = rows.map((r) => ({ ...view(r), key: r.key, lastSeen: '2099-01-01T00:00:00Z' }));
    const second = packRows(again, index);
    expect(second.tuples).toEqual([]);
    expect(second.texts).toEqual(again.map(() => '2099-01-01T00:00:00Z'));
    expect(unpackRows(table.receive(structuredClone(second))).map(view))
      .toEqual(again.map(view));
  });

  it('sends a large batch in parts of PART_ROWS rows and its new tuples in bounded runs, read back in order', () => {
    const agg = new UsageAggregator();
    const n = 2 * PART_ROWS + 905;
    for (let i = 0; i < n; i++) {
      const dims = usageDims({ day: `2024-03-${11 + (i % 3)}`, source: 'iis', clientIp: `10.0.${i >> 8}.${i & 255}`, endpoint: 'owa', protocol: 'TLS 1.0' });
      agg.add(dims, `2024-03-${11 + (i % 3)}T0${i % 10}:00:0${i % 7}Z`, 1 + (i % 5));
    }
    const rows = agg.drain();
    const packed = packRows(rows, new KeyIndex());
    expect(packed.ids.map((a) => a.length)).toEqual([PART_ROWS, PART_ROWS, 905]);
    expect(packed.cells.map((a) => a.byteLength)).toEqual([PART_ROWS, PART_ROWS, 905].map((k) => k * PACKED_WIDTH * 8));
    const { runs, rows: last } = splitTuples(packed);
    expect(runs.length).toBeGreaterThan(1);
    for (const run of runs) expect(run.tuples.join('').length).toBeLessThanOrEqual(MESSAGE_TUPLE_CHARS);
    expect([...runs.flatMap((r) => r.tuples), ...last.tuples]).toEqual(packed.tuples);
    const table = new KeyTable();
    for (const run of runs) table.take(structuredClone(run));
    expect(unpackRows(table.receive(structuredClone(last))).map(view)).toEqual(rows.map(view));
    // out of order, the table refuses
    expect(() => new KeyTable().receive(structuredClone(last))).toThrow(/out of step/);
  });

  it('keeps every message of a batch under 128 KiB once serialized, non-Latin-1 tuples too', () => {
    // a copied message's buffer of 128 KiB or more, once freed, raises glibc's mmap and trim thresholds (MESSAGE_TUPLE_CHARS)
    const agg = new UsageAggregator();
    for (let i = 0; i < 6000; i++) {
      const dims = usageDims({
        day: '2024-03-11', source: 'iis', clientIp: `10.1.${i >> 8}.${i & 255}`, username: `пользователь-${i}@contoso.example`,
        userAgent: `Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko ${i}`, endpoint: 'owa', protocol: 'TLS 1.0',
      });
      agg.add(dims, '2024-03-11T10:00:00Z');
    }
    const { runs, rows } = splitTuples(packRows(agg.drain(), new KeyIndex()));
    const sizes = [...runs.map((r) => serialize(r).length), serialize({ ...rows, ids: [], cells: [] }).length];
    expect(runs.length).toBeGreaterThan(10);
    expect(Math.max(...sizes)).toBeLessThan(128 << 10);
    expect(Math.max(...[...rows.ids, ...rows.cells].map((a) => a.byteLength))).toBeLessThan(128 << 10);
  });

  it('keeps internal, estimated and the counters as numbers', () => {
    const agg = new UsageAggregator();
    const dims = usageDims({
      day: '2024-03-11', source: 'exo-smtp-auth', username: 'a@b', endpoint: 'SMTP', protocol: 'TLS 1.0', detail: '', internal: 1,
    });
    const row = agg.add(dims, '2024-03-11T00:00:00Z', 7, 2, 1);
    row.estimated = 1;
    expect(unpackRows(new KeyTable().receive(packRows(agg.drain(), new KeyIndex()))).map(view)).toEqual([
      { dims, hits: 7, authFailures: 2, errors: 1, estimated: 1, firstSeen: '2024-03-11T00:00:00Z', lastSeen: '2024-03-11T00:00:00Z' },
    ]);
  });
});

describe('tuple keys', () => {
  it('hold every dimension but the day in TUPLE_DIMS order', () => {
    const dims = Object.fromEntries(DIM_KEYS.map((k, i) => [k, k === 'internal' ? 1 : `v${i}`])) as unknown as UsageDims;
    const key = tupleKey(dims);
    expect(key).toBe(TUPLE_DIMS.map((k) => tuplePart(dims[k])).join('\u001f'));
    expect(key.split('\u001f')).toEqual(TUPLE_DIMS.map((k) => String(dims[k])));
    expect(parseTupleKey(key)).toEqual(Object.fromEntries(TUPLE_DIMS.map((k) => [k, dims[k]])));
  });

  it('read back exactly, whatever control characters a logged value holds', () => {
    const dims = {
      source: 'iis', server: 'A\u001fB', site: '\u0000', clientIp: '\u0001', proxyIp: null, username: '\u00010x\u001f',
      userAgent: '', endpoint: 'owa', protocol: 'TLS 1.2', protocolCode: '400', cipher: null, cipherCode: null,
      hash: null, hashCode: null, keyExchange: null, keyExchangeCode: null, detail: '\u0001O', internal: 1,
    } as const;
    const key = tupleKey(dims);
    expect(parseTupleKey(key)).toEqual(dims);
    expect(tupleKey({ ...dims, site: null })).not.toBe(key);
    expect(tupleKey({ ...dims, server: 'A', site: 'B\u001f\u0000' })).not.toBe(tupleKey({ ...dims, server: 'A\u001fB', site: null }));
  });
});
