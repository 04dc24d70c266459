// Writes usage rows (schema 8): the dimension tuple becomes one id in usage_keys (its text dimensions ids into the
// dictionaries, NULL id 0), and usage_rows holds (day, key_id) and the counters. Readers use the view `usage`.
// A key seen before costs one lookup in a cache bounded by bytes (a worker's key sent before, an array index into its
// key table); only a new key touches the dictionaries.
import { PACKED_WIDTH, secondsIntoDay, type ReceivedRows } from '../aggregate/packed-rows.js';
import { partValue, rowDay, TUPLE_DIMS, tupleKey, tupleParts, type UsageRow } from '../aggregate/usage.js';
import { DIM_COLUMNS, type DimKey } from '../aggregate/usage-dims.js';
import { BoundedCache, Dictionary } from './dictionary.js';
import { asText } from './usage-by-key.js';
import type { Db } from './open-database.js';

/** Dimensions usage_keys keeps as they are; user_agent is an id into `user_agents`, the others ids into `strings`. */
const KEPT: ReadonlySet<DimKey> = new Set(['source', 'protocol', 'internal']);
const KEY_COLUMNS = TUPLE_DIMS.map((k) => (KEPT.has(k) ? DIM_COLUMNS[k] : `${DIM_COLUMNS[k]}_id`));
const KEY = KEY_COLUMNS.join(', ');
/**
 * A key's row by its columns, as one row value between itself and itself: the same rows as `c1 = ? AND … AND c18 = ?`
 * (every column is NOT NULL), but SQLite seeks the unique index 4× faster this way (3.7 against 14 µs a key in a
 * transaction, SQLite 3.53; the same in 3.40). Each value is bound twice.
 */
const KEY_MATCH = `(${KEY}) >= (${KEY_COLUMNS.map(() => '?').join(', ')}) AND (${KEY}) <= (${KEY_COLUMNS.map(() => '?').join(', ')})`;
const COLUMNS = 'day, key_id, hits, auth_failures, errors, estimated, first_seen, last_seen';

/**
 * `dayTHH:MM:SSZ` as seconds into `day`; any other text as it is (the view gives back exactly the same text). A bigint,
 * because better-sqlite3 binds a number as REAL, which the column (no affinity) would keep in 8 bytes.
 */
export function storedTime(ts: string, day: string): string | bigint {
  const s = secondsIntoDay(ts, day);
  return s < 0 ? ts : BigInt(s);
}

/** A time cell of a packed row (aggregate/packed-rows.ts) as storedTime gives it. */
const cellTime = (cell: number, texts: readonly string[]): string | bigint => (cell < 0 ? texts[-1 - cell] : BigInt(cell));

/** Bytes of key strings the key cache holds before it starts again empty (a scan's memory stays flat). */
export const KEY_CACHE_BYTES = 24 << 20;

/** Stamps of key tables (see addPacked): unique across writers, 0 for none. */
let nextStamp = 1;

export class UsageRowWriter {
  readonly strings: Dictionary;
  readonly userAgents: Dictionary;
  private readonly keyIds: BoundedCache;
  /**
   * The last part (as the tuple string writes it) and column value of each key column: most columns of a new key
   * (server, site, endpoint, codes) repeat the previous key's, and comparing two short strings costs less than hashing
   * one for the dictionary's cache.
   */
  private lastParts: string[] = [];
  private lastPartIds: (number | string)[] = [];
  private readonly q;
  /**
   * Day and key id of each row written with 0 or fewer hits in the transaction under way (a session's hit taken
   * back): the only rows a write can leave at 0 hits.
   */
  private readonly takenFrom: (string | number)[] = [];
  /** The share of keys missing from the cache that were stored already, as a moving average over about 64 keys. */
  private stored = 0;
  /** Marks the usage_keys ids this writer resolved into the packed rows' key tables; a new one after each rollback. */
  private stamp = nextStamp++;
  /**
   * Every day this writer has inserted or updated a usage row on (rolled-back writes included: a superset), for the
   * run's end: the legacy clients a run can have seen first are on these days (store/runs.ts), and a merge of this
   * database reads only these days after the run (merge/merge.ts, changedDays). Any other way of changing a usage
   * row but deleting it must record its day here too.
   */
  readonly days = new Set<string>();

  constructor(db: Db, keyCacheBytes = KEY_CACHE_BYTES) {
    this.strings = new Dictionary(db, 'strings');
    this.userAgents = new Dictionary(db, 'user_agents');
    this.keyIds = new BoundedCache(keyCacheBytes);
    this.q = {
      findKey: db.prepare<unknown[], { id: number }>(`SELECT id FROM usage_keys WHERE ${KEY_MATCH}`),
      // A new key's id is the last rowid (keyId: findKey after a conflict). RETURNING cost twice the plain insert per
      // key (in-process, 21,474 keys: 10–18 against 4–11 µs)
      addKey: db.prepare(`INSERT INTO usage_keys (${KEY}) VALUES (${KEY_COLUMNS.map(() => '?').join(', ')})
        ON CONFLICT DO NOTHING`),
      // min/max of the times as the view shows them: as numbers when both are seconds, else as text
      add: db.prepare(`INSERT INTO usage_rows (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (day, key_id) DO UPDATE SET hits = hits + excluded.hits,
          auth_failures = auth_failures + excluded.auth_failures, errors = errors + excluded.errors,
          estimated = max(estimated, excluded.estimated),
          first_seen = CASE WHEN typeof(first_seen) = 'integer' AND typeof(excluded.first_seen) = 'integer'
            THEN min(first_seen, excluded.first_seen)
            WHEN ${asText('excluded.first_seen')} < ${asText('first_seen')} THEN excluded.first_seen ELSE first_seen END,
          last_seen = CASE WHEN typeof(last_seen) = 'integer' AND typeof(excluded.last_seen) = 'integer'
            THEN max(last_seen, excluded.last_seen)
            WHEN ${asText('excluded.last_seen')} > ${asText('last_seen')} THEN excluded.last_seen ELSE last_seen END`),
      replace: db.prepare(`INSERT OR REPLACE INTO usage_rows (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      // sessions' rows only (the formats whose hits are taken back); by key, not a scan of every row
      zero: db.prepare<[string, number, number]>(`DELETE FROM usage_rows WHERE day = ? AND key_id = ? AND hits = 0
        AND EXISTS (SELECT 1 FROM usage_keys WHERE id = ? AND source IN ('smtp-receive', 'smtp-send', 'pop3', 'imap4'))`),
    };
  }

  /** Adds the row's counts to the stored row with the same key (a new row when there is none). */
  add(r: UsageRow): void {
    const key = this.rowKeyId(r);
    const day = rowDay(r);
    this.days.add(day);
    this.q.add.run(day, key, r.hits, r.authFailures, r.errors, r.estimated, storedTime(r.firstSeen, day),
      storedTime(r.lastSeen, day));
    if (r.hits <= 0) this.takenFrom.push(day, key);
  }

  /**
   * At the end of the caller's transaction: when it took a counted session's hit back (`retracted`), deletes the rows
   * it left at 0 hits; such rows mean nothing (the whole session landed in another row).
   */
  endWrites(retracted: boolean): void {
    const t = this.takenFrom;
    if (retracted) {
      for (let i = 0; i < t.length; i += 2) this.q.zero.run(t[i] as string, t[i + 1] as number, t[i + 1] as number);
    }
    t.length = 0;
  }

  /** The rows of a parse worker's batch, as they came (aggregate/packed-rows.ts). */
  addPacked(p: ReceivedRows): void {
    const { ids, days, cells, texts, keys } = p;
    if (keys.stamp !== this.stamp) {
      keys.keyIds.fill(0); // resolved by another writer, or before a rollback
      keys.stamp = this.stamp;
    }
    const { tuples, keyIds } = keys;
    for (const day of days) this.days.add(day);
    const add = this.q.add;
    for (let p = 0; p < ids.length; p++) {
      const partIds = ids[p];
      const part = cells[p];
      for (let j = 0; j < partIds.length; j++) {
        const c = PACKED_WIDTH * j;
        const local = partIds[j];
        let key = keyIds[local];
        if (key === 0) keyIds[local] = key = this.keyId(tuples[local]);
        add.run(days[part[c]], key, part[c + 1], part[c + 2], part[c + 3], part[c + 4], cellTime(part[c + 5], texts),
          cellTime(part[c + 6], texts));
        if (part[c + 1] <= 0) this.takenFrom.push(days[part[c]], key);
      }
    }
  }

  /** Stores the row as it is, in place of the stored row with the same key (rows kept by identity). */
  replace(r: UsageRow): void {
    const key = this.rowKeyId(r);
    const day = rowDay(r);
    this.days.add(day);
    this.q.replace.run(day, key, r.hits, r.authFailures, r.errors, r.estimated, storedTime(r.firstSeen, day),
      storedTime(r.lastSeen, day));
  }

  /** After a rollback: ids added by the failed transaction must not be used again. */
  forget(): void {
    this.takenFrom.length = 0;
    this.stamp = nextStamp++;
    this.strings.forget();
    this.userAgents.forget();
    this.keyIds.clear();
    this.lastParts = [];
    this.lastPartIds = [];
  }

  /** The usage_keys id of a row's tuple (an aggregator's row carries its tuple string; its dims are not made). */
  private rowKeyId(r: UsageRow): number {
    return this.keyId(r.key ?? tupleKey(r.dims));
  }

  /**
   * The usage_keys id of a tuple string, added when new. A key not in the cache is tried as new first (one insert)
   * while most such keys have been new, as in a first scan; looked up first while most have been stored already, as
   * in a nightly scan (an insert that conflicts, then the lookup, cost 6.2 µs against 3.7 for the lookup alone).
   */
  private keyId(key: string): number {
    const cached = this.keyIds.get(key);
    if (cached !== undefined) return cached;
    const values = this.partValues(key);
    let id = this.stored > 0.5 ? this.q.findKey.get(...values, ...values)?.id : undefined;
    let stored = id !== undefined;
    if (id === undefined) {
      const added = this.q.addKey.run(...values);
      stored = added.changes === 0;
      id = stored ? (this.q.findKey.get(...values, ...values) as { id: number }).id : Number(added.lastInsertRowid);
    }
    this.stored += ((stored ? 1 : 0) - this.stored) / 64;
    this.keyIds.set(key, id);
    return id;
  }

  /** The usage_keys column values of a tuple string, read part by part (a part repeated from the last key is not decoded). */
  private partValues(key: string): (string | number)[] {
    const parts = tupleParts(key);
    const out: (string | number)[] = [];
    const { lastParts, lastPartIds } = this;
    for (let i = 0; i < TUPLE_DIMS.length; i++) {
      const part = parts[i];
      if (part === lastParts[i]) {
        out.push(lastPartIds[i]);
        continue;
      }
      const k = TUPLE_DIMS[i];
      const v = partValue(i, part);
      const id = KEPT.has(k) ? (v as string | number) : (k === 'userAgent' ? this.userAgents : this.strings).id(v as string | null);
      lastParts[i] = part;
      lastPartIds[i] = id;
      out.push(id);
    }
    return out;
  }
}
