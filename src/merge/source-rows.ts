// The rows of view `usage` of a database being merged, in the view's order (usage_rows' key: day, key id). Read
// through the view, every row looked up its 17 texts again and a month of four busy servers (a million rows, 108,000
// keys) took about 8 s to read; here a key's texts are looked up once (a bounded cache), the rows come in pages of
// their own columns, and the times are written as the view writes them. One read transaction spans the pages, so the
// rows are those of one snapshot, as one query over the view gives them.
import type { UsageTableRow } from '../aggregate/usage-dims.js';
import type { Db } from '../store/open-database.js';
import { KEY_TEXTS, keyedRows, timeText } from '../store/usage-by-key.js';

/** Rows read per query: the connection is free between pages to look a key up. */
const PAGE_ROWS = 20_000;
/** Keys whose texts are kept; the cache starts again empty beyond (a key's rows come back day after day). */
const KEY_CACHE = 200_000;

type KeyTexts = Omit<UsageTableRow, 'day' | 'hits' | 'auth_failures' | 'errors' | 'estimated' | 'first_seen' | 'last_seen'>;
type StoredRow = [day: string, keyId: number, hits: number, authFailures: number, errors: number, estimated: number,
  firstSeen: number | string, lastSeen: number | string];

/** `sizes`: the page and cache sizes (tests make them small). */
export function* sourceRows(src: Db, sizes = { pageRows: PAGE_ROWS, keyCache: KEY_CACHE }): Generator<UsageTableRow> {
  if (!keyedRows(src)) {
    // a database older than schema 8 (merge reads it as it is): its usage rows are not keyed
    yield* src.prepare<[], UsageTableRow>(`SELECT * FROM usage`).iterate();
    return;
  }
  const page = src.prepare<[string, number], StoredRow>(
    `SELECT day, key_id, hits, auth_failures, errors, estimated, first_seen, last_seen FROM usage_rows
     WHERE (day, key_id) > (?, ?) ORDER BY day, key_id LIMIT ${sizes.pageRows}`,
  ).raw();
  const keyOf = src.prepare<[number], KeyTexts>(`SELECT ${KEY_TEXTS} FROM usage_keys k WHERE k.id = ?`);
  const keys = new Map<number, KeyTexts>();
  src.exec('BEGIN');
  try {
    let after: [string, number] = ['', -1];
    for (;;) {
      const rows = page.all(...after);
      if (rows.length === 0) break;
      for (const [day, keyId, hits, authFailures, errors, estimated, firstSeen, lastSeen] of rows) {
        let k = keys.get(keyId);
        if (k === undefined) {
          if (keys.size >= sizes.keyCache) keys.clear();
          k = keyOf.get(keyId);
          if (k === undefined) throw new Error(`usage row of ${day} names usage key ${keyId}, which the database lacks`);
          keys.set(keyId, k);
        }
        yield {
          day, ...k, hits, auth_failures: authFailures, errors, estimated,
          first_seen: timeText(firstSeen, day), last_seen: timeText(lastSeen, day),
        };
      }
      const last = rows[rows.length - 1];
      after = [last[0], last[1]];
    }
  } finally {
    src.exec('COMMIT');
  }
}
