// The rows of view `usage` of a database being merged, in the view's order (usage_rows' key: day, key id). Read
// through the view, every row looked up its 17 texts again and a month of four busy servers (a million rows, 108,000
// keys) took about 8 s to read; here a key's texts are looked up once (a bounded cache), the rows come in pages of
// their own columns, and the times are written as the view writes them. One read transaction spans the pages, so the
// rows are those of one snapshot, as one query over the view gives them. `days`, when given, narrows the rows to
// those days (in order), each read by key id.
import type { UsageTableRow } from '../aggregate/usage-dims.js';
import type { Db } from '../store/open-database.js';
import { KEY_TEXTS, keyedRows, timeText } from '../store/usage-by-key.js';

/**
 * Rows read per query: the connection is free between pages to look a key up. A page lives while its rows are merged:
 * pages of 20,000 rows outlived the young generation, and each went to the old one as garbage (with the key cache's
 * row objects below, the month's merge peaked at 480 MB instead of 210; 1,000-row pages: 240–260 MB, as fast).
 */
const PAGE_ROWS = 1_000;
/** Keys whose texts are kept; the cache starts again empty beyond (a key's rows come back day after day). */
const KEY_CACHE = 200_000;

/** A key's columns of view `usage` in KEY_TEXTS order: source, server, …, detail, internal. */
type KeyTexts = [source: string, server: string | null, site: string | null, clientIp: string | null,
  proxyIp: string | null, username: string | null, userAgent: string | null, endpoint: string | null, protocol: string,
  protocolCode: string | null, cipher: string | null, cipherCode: string | null, hash: string | null,
  hashCode: string | null, keyExchange: string | null, keyExchangeCode: string | null, detail: string | null,
  internal: number];
type StoredRow = [day: string, keyId: number, hits: number, authFailures: number, errors: number, estimated: number,
  firstSeen: number | string, lastSeen: number | string];

/**
 * `k` with each text replaced by the same text of an earlier key, when there was one: the cached keys share their
 * servers, sites, agents and codes instead of each holding copies (kept as arrays, not row objects, for the same
 * reason: a month's 108,000 keys).
 */
function shareTexts(k: KeyTexts, texts: Map<string, string>): KeyTexts {
  for (let i = 0; i < k.length; i++) {
    const v = k[i];
    if (typeof v !== 'string') continue;
    const seen = texts.get(v);
    if (seen === undefined) texts.set(v, v);
    else k[i] = seen;
  }
  return k;
}

/** `sizes`: the page and cache sizes (tests make them small); `days`: only the rows of these days (sorted), null for all. */
export function* sourceRows(
  src: Db, sizes = { pageRows: PAGE_ROWS, keyCache: KEY_CACHE }, days: readonly string[] | null = null,
): Generator<UsageTableRow> {
  if (!keyedRows(src)) {
    // a database older than schema 8 (merge reads it as it is): its usage rows are not keyed
    const select = src.prepare<string[], UsageTableRow>(`SELECT * FROM usage${days ? ' WHERE day = ?' : ''}`);
    for (const day of days ?? [undefined]) yield* day === undefined ? select.iterate() : select.iterate(day);
    return;
  }
  const columns = 'day, key_id, hits, auth_failures, errors, estimated, first_seen, last_seen';
  const page = src.prepare<[string, number], StoredRow>(
    `SELECT ${columns} FROM usage_rows WHERE (day, key_id) > (?, ?) ORDER BY day, key_id LIMIT ${sizes.pageRows}`,
  ).raw();
  const dayPage = src.prepare<[string, number], StoredRow>(
    `SELECT ${columns} FROM usage_rows WHERE day = ? AND key_id > ? ORDER BY key_id LIMIT ${sizes.pageRows}`,
  ).raw();
  const keyOf = src.prepare<[number], KeyTexts>(`SELECT ${KEY_TEXTS} FROM usage_keys k WHERE k.id = ?`).raw();
  const keys = new Map<number, KeyTexts>();
  const texts = new Map<string, string>();
  src.exec('BEGIN');
  try {
    for (const only of days ?? [null]) {
      let after: [string, number] = [only ?? '', -1];
      for (;;) {
        const rows = only === null ? page.all(...after) : dayPage.all(...after);
        if (rows.length === 0) break;
        for (const [day, keyId, hits, authFailures, errors, estimated, firstSeen, lastSeen] of rows) {
          let k = keys.get(keyId);
          if (k === undefined) {
            if (keys.size >= sizes.keyCache) {
              keys.clear();
              texts.clear();
            }
            k = keyOf.get(keyId);
            if (k === undefined) throw new Error(`usage row of ${day} names usage key ${keyId}, which the database lacks`);
            keys.set(keyId, shareTexts(k, texts));
          }
          yield {
            day, source: k[0], server: k[1], site: k[2], client_ip: k[3], proxy_ip: k[4], username: k[5], user_agent: k[6],
            endpoint: k[7], protocol: k[8], protocol_code: k[9], cipher: k[10], cipher_code: k[11], hash: k[12],
            hash_code: k[13], key_exchange: k[14], key_exchange_code: k[15], detail: k[16], internal: k[17] as 0 | 1,
            hits, auth_failures: authFailures, errors, estimated,
            first_seen: timeText(firstSeen, day), last_seen: timeText(lastSeen, day),
          };
        }
        const last = rows[rows.length - 1];
        after = [last[0], last[1]];
      }
    }
  } finally {
    src.exec('COMMIT');
  }
}
