// exportUsage against a real database and hand-made Writables: slow readers, failing outputs, filters, chunking.
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportUsage } from '../../src/export/export-usage.js';
import { NO_FILTER } from '../../src/report/filter.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { tempDir, writeUsage } from '../helpers.js';

const ROWS = 500;

/** Row i has i + 1 hits; the rows alternate between two days and are not written in key order. */
function fill(db: Db): void {
  writeUsage(db, Array.from({ length: ROWS }, (_, i) => {
    const day = i % 2 === 0 ? '2024-03-11' : '2024-03-12';
    return {
      day, source: 'iis', server: 'EXCH01', client_ip: `10.0.${i >> 8}.${i & 255}`, protocol: i % 3 === 0 ? 'TLS 1.0' : 'TLS 1.2',
      hits: i + 1, first_seen: `${day}T00:00:00Z`, last_seen: `${day}T01:00:00Z`,
    };
  }));
}

/** The hits of the rows in key order: by day, then client address as text. */
const HITS_IN_KEY_ORDER = Array.from({ length: ROWS }, (_, i) => ({ day: i % 2, ip: `10.0.${i >> 8}.${i & 255}`, hits: i + 1 }))
  .sort((a, b) => a.day - b.day || (a.ip < b.ip ? -1 : 1))
  .map((r) => r.hits);

/** A Writable that takes `delayMs` per chunk and holds at most one byte before asking for a drain. */
function slowSink(delayMs: number): { stream: Writable; text: () => string; chunks: () => number } {
  const parts: string[] = [];
  const stream = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _enc, done) {
      parts.push(chunk.toString('utf8'));
      setTimeout(done, delayMs);
    },
  });
  return { stream, text: () => parts.join(''), chunks: () => parts.length };
}

describe('exportUsage', () => {
  let db: Db;

  beforeEach(() => {
    db = openDatabase(join(tempDir(), 'e.db'));
    fill(db);
  });
  afterEach(() => db.close());

  it('writes every row in key order through a slow reader, in small chunks, nothing lost or reordered', async () => {
    const sink = slowSink(1);
    const result = await exportUsage(db, sink.stream, { filter: NO_FILTER, bulkIndex: null, chunkChars: 4096 });
    expect(result).toEqual({ documents: ROWS, hits: (ROWS * (ROWS + 1)) / 2 });
    const docs = sink
      .text()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { client: { ip: string }; tls_census: { hits: number } });
    expect(docs.map((d) => d.tls_census.hits)).toEqual(HITS_IN_KEY_ORDER);
    expect(sink.chunks()).toBeGreaterThan(10);
  });

  it('applies the filter with bound parameters', async () => {
    const sink = slowSink(0);
    const filter = { ...NO_FILTER, since: '2024-03-12', until: '2024-03-12' };
    const result = await exportUsage(db, sink.stream, { filter, bulkIndex: 'x' });
    expect(result.documents).toBe(ROWS / 2);
    expect(sink.text().split('\n').filter((l) => l.startsWith('{"index":')).length).toBe(ROWS / 2);
    const none = await exportUsage(db, slowSink(0).stream, { filter: { ...NO_FILTER, servers: ["'; DROP TABLE usage; --"] }, bulkIndex: null });
    expect(none).toEqual({ documents: 0, hits: 0 });
  });

  it('rejects, rather than hangs, when the output fails mid-way', async () => {
    let writes = 0;
    const failing = new Writable({
      highWaterMark: 1,
      write(_chunk, _enc, done) {
        done(++writes === 3 ? Object.assign(new Error('no space left'), { code: 'ENOSPC', syscall: 'write' }) : null);
      },
    });
    failing.on('error', () => undefined);
    await expect(exportUsage(db, failing, { filter: NO_FILTER, bulkIndex: null, chunkChars: 1024 })).rejects.toThrow(
      /no space left/,
    );
    // The statement was released: the connection serves the next query.
    expect(db.prepare('SELECT count(*) AS n FROM usage').get()).toEqual({ n: ROWS });
  });
});
