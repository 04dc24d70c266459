// Streams `usage` rows as ECS NDJSON (optionally `_bulk` action + document pairs) to a Writable, in constant memory.
// Rows come from stmt.iterate() one at a time; writes wait for 'drain', so a slow reader slows the export down.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { KEY_COLUMNS } from '../aggregate/usage-dims.js';
import { usageCondition, type ReportFilter } from '../report/filter.js';
import type { Db } from '../store/open-database.js';
import { bulkActionLine, toEcsDocument, usageRowId, USAGE_COLUMNS, type UsageTableRow } from './ecs.js';

export interface ExportOptions {
  readonly filter: ReportFilter;
  /** Write an `{"index":…}` action line before each document, for this index; null = documents only. */
  readonly bulkIndex: string | null;
  /** Characters gathered before one write (fewer, larger writes; memory stays bounded by it). */
  readonly chunkChars?: number;
}

export interface ExportResult {
  readonly documents: number;
  readonly hits: number;
}

async function write(out: Writable, text: string): Promise<void> {
  if (out.errored) throw out.errored;
  if (!out.write(text)) await once(out, 'drain');
}

/** The key columns of `usage`: ordered by them, the rows of the same data come in the same order in any database. */
const KEY_ORDER = KEY_COLUMNS.join(', ');

/** Writes every matching row in key order and waits until the last write is handed off. */
export async function exportUsage(db: Db, out: Writable, opts: ExportOptions): Promise<ExportResult> {
  const where = usageCondition(opts.filter);
  const stmt = db.prepare<unknown[], UsageTableRow>(
    `SELECT ${USAGE_COLUMNS.join(', ')} FROM usage WHERE ${where.sql} ORDER BY ${KEY_ORDER}`,
  );
  const chunkChars = opts.chunkChars ?? 64 * 1024;
  let buffer = '';
  let documents = 0;
  let hits = 0;
  for (const row of stmt.iterate(...where.params)) {
    const id = usageRowId(row);
    if (opts.bulkIndex !== null) buffer += `${bulkActionLine(opts.bulkIndex, id)}\n`;
    buffer += `${JSON.stringify(toEcsDocument(row, id))}\n`;
    documents++;
    hits += row.hits;
    if (buffer.length >= chunkChars) {
      await write(out, buffer);
      buffer = '';
    }
  }
  if (out.errored) throw out.errored;
  await new Promise<void>((resolve, reject) => out.write(buffer, (err) => (err ? reject(err) : resolve())));
  return { documents, hits };
}
