// Rows sent the way parse workers send them (each tuple once per worker and epoch, times as seconds) give the same
// database as the rows written as objects: with epochs reset by a tiny bound, batches committed in another order than
// they were received (held ranges), and a commit that fails and rolls back between them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyIndex, KeyTable, packRows, splitTuples, type ReceivedRows } from '../../src/aggregate/packed-rows.js';
import { UsageAggregator, usageDims, type UsageRow } from '../../src/aggregate/usage.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { Store, type Checkpoint } from '../../src/store/store.js';
import { generateIisFolder } from '../../src/synth/iis-traffic.js';
import { parseBytes, readFixture, tempDir } from '../helpers.js';

/**
 * The batches of real logs: a synthetic folder's files (keys repeat across them) and a fixture with null fields; then
 * values holding the characters a tuple string escapes, and values that look like such escapes.
 */
function batches(): UsageRow[][] {
  const dir = tempDir();
  const { files } = generateIisFolder(dir, { servers: ['EXCH01', 'EXCH02'], days: 3, startDate: '2024-03-11', linesPerServerPerDay: 600, seed: 5, backEnd: true });
  const out = files.map((f) => parseBytes(readFileSync(f)).rows);
  out.push(parseBytes(readFixture('iis/composed-crypt-fields.log')).rows);
  const agg = new UsageAggregator();
  for (const v of ['a\u001fb', '\u0001O', '\u0000', '\u00010x', 'a\u001fb', '\u0001', 'plain']) {
    for (const server of ['S1', v]) {
      agg.add(usageDims({ day: '2024-03-12', source: 'iis', server, username: v, userAgent: v, endpoint: 'EWS', protocol: 'TLS 1.0', detail: v }), '2024-03-12T01:02:03Z');
    }
  }
  out.push(agg.drain());
  return out;
}

/** `r` as a row of its own dims and counters (no tuple string): the store makes its tuple string from the dims. */
const asDims = (r: UsageRow): UsageRow => ({
  dims: r.dims, hits: r.hits, authFailures: r.authFailures, errors: r.errors, estimated: r.estimated, firstSeen: r.firstSeen, lastSeen: r.lastSeen,
});

function checkpoint(fileId: number, broken = false): Checkpoint {
  return {
    fileId: broken ? fileId + 1 : fileId, path: 'x.log', bytes: 10, consumed: 10, lines: 1, records: 1, badLines: 0, tlsFields: true, state: null,
    // diagnostics of a file that does not exist (broken) break a foreign key after the rows were written: all rolls back
    diagnostics: broken ? [{ code: 'garbage', count: 1, firstLine: 1, message: 'x' }] : [], tailHash: null, marks: [],
  };
}

function fresh(): { db: Db; store: Store; fileId: number } {
  const db = openDatabase(join(tempDir(), 'rows.db'));
  const store = new Store(db);
  const fileId = store.createFile('x.log', 'iis-w3c', Buffer.from('#Fields: x\n'), 10, '2024-03-11T00:00:00Z').id;
  return { db, store, fileId };
}

const dump = (db: Db) => ({
  usage: db.prepare(`SELECT * FROM usage ORDER BY day, source, server, site, client_ip, username, user_agent, endpoint, protocol, protocol_code, cipher_code, hash_code, key_exchange_code, proxy_ip, internal, detail`).all(),
  times: db.prepare(`SELECT typeof(first_seen) AS f, typeof(last_seen) AS l, count(*) AS n FROM usage_rows GROUP BY 1, 2`).all(),
  keys: db.prepare(`SELECT count(*) FROM usage_keys`).pluck().get(),
});

describe('rows packed with per-worker key ids', () => {
  it('store the same rows as the rows themselves, across epochs, held batches and a rollback', () => {
    const all = batches();
    const whole = fresh();
    // the rows as objects with their dims; below, as the workers send them (tuple strings numbered per worker)
    for (const rows of all) whole.store.commit(rows.map(asDims), checkpoint(whole.fileId), '2024-03-11T00:00:00Z');

    // two senders, batches dealt two by two; a bound of 100 kB (a batch here is 22–58 kB) starts a new epoch every few batches
    const indexes = [new KeyIndex(100_000), new KeyIndex(100_000)];
    const tables = [new KeyTable(), new KeyTable()];
    let reused = 0;
    let runs = 0;
    const received: ReceivedRows[] = all.map((rows, i) => {
      const packed = packRows(rows, indexes[(i >> 1) % 2]);
      reused += rows.length - packed.tuples.length;
      // new tuples ahead of their batch in runs of at most 4,000 characters, as a worker posts them
      const split = splitTuples(packed, 4000);
      runs += split.runs.length;
      for (const run of split.runs) tables[(i >> 1) % 2].take(structuredClone(run));
      return tables[(i >> 1) % 2].receive(structuredClone(split.rows));
    });
    expect(indexes.map((x) => x.epoch >= 1)).toEqual([true, true]);
    expect(reused).toBeGreaterThan(100);
    expect(runs).toBeGreaterThan(all.length);

    const split = fresh();
    const commit = (r: ReceivedRows, broken = false): void =>
      split.store.commit([], checkpoint(split.fileId, broken), '2024-03-11T00:00:00Z', [], r);
    // held: the later half first, each half in reverse; a failed commit rolls back ids the tables had resolved
    const order = [...received.keys()];
    const later = order.splice(order.length >> 1).reverse();
    for (const i of later) commit(received[i]);
    expect(() => commit(received[order[0]], true)).toThrow(/FOREIGN KEY/);
    for (const i of order.reverse()) commit(received[i]);
    expect(dump(split.db)).toEqual(dump(whole.db));
    // each value with escaped characters stored as it was logged, in every dictionary column
    const stored = split.db.prepare(`SELECT DISTINCT username FROM usage WHERE day = '2024-03-12' AND username = detail AND user_agent = username`).pluck().all();
    expect(stored.sort()).toEqual(['\u0000', '\u0001', '\u00010x', '\u0001O', 'a\u001fb', 'plain']);
    expect(dump(whole.db).times).toContainEqual({ f: 'integer', l: 'integer', n: expect.any(Number) });
    whole.db.close();
    split.db.close();
  });
});
