// The dictionaries of schema 6 (tables strings and user_agents): text → id for the usage_keys columns, id 0 for NULL.
// A bounded in-memory cache sits in front of a prepared SELECT and INSERT; it is not a copy of the table.
import type { Db } from './open-database.js';

/** Bytes of strings a Dictionary keeps in memory before it starts again empty (a scan's memory stays flat). */
export const DICTIONARY_CACHE_BYTES = 8 << 20;
/** What a Map entry costs besides its string's characters (the entry, the string's header, the number). */
const ENTRY_OVERHEAD = 64;
/** Characters V8 keeps in one byte each: a string of only these takes one byte per character, else two. */
const WIDE = /[^\u0000-\u00ff]/;

/**
 * string → number, bounded by the bytes of its strings whatever their lengths. Two generations: when the newer
 * one is full, the older is dropped and the newer takes its place, and a hit in the older moves the entry back into
 * the newer. Entries used again stay; emptying everything at once made every key of the next day a miss, each one
 * costing the database two lookups (about 5× the scan's time at a million distinct keys).
 */
export class BoundedCache {
  private young = new Map<string, number>();
  private old = new Map<string, number>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): number | undefined {
    const hit = this.young.get(key);
    if (hit !== undefined) return hit;
    const aged = this.old.get(key);
    if (aged !== undefined) this.set(key, aged);
    return aged;
  }

  set(key: string, value: number): void {
    const cost = (WIDE.test(key) ? 2 : 1) * key.length + ENTRY_OVERHEAD;
    // each generation holds half the bytes
    if (this.bytes + cost > this.maxBytes / 2) {
      this.old = this.young;
      this.young = new Map();
      this.bytes = 0;
    }
    this.young.set(key, value);
    this.bytes += cost;
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
    this.bytes = 0;
  }

  get size(): number {
    return this.young.size + this.old.size;
  }
}

const TABLES = { strings: 'value', user_agents: 'user_agent' } as const;

export class Dictionary {
  private readonly cache: BoundedCache;
  private readonly q;

  constructor(db: Db, table: keyof typeof TABLES, maxBytes = DICTIONARY_CACHE_BYTES) {
    this.cache = new BoundedCache(maxBytes);
    const column = TABLES[table];
    this.q = {
      find: db.prepare<[string], { id: number }>(`SELECT id FROM ${table} WHERE ${column} = ?`),
      add: db.prepare<[string]>(`INSERT INTO ${table} (${column}) VALUES (?)`),
    };
  }

  /**
   * The id of `value`, added to the table when new; 0 for null. Must run inside the caller's transaction, and
   * when that transaction rolls back, forget() must follow: the cache would otherwise keep ids that no row has.
   */
  id(value: string | null): number {
    if (value === null) return 0;
    const cached = this.cache.get(value);
    if (cached !== undefined) return cached;
    const id = this.q.find.get(value)?.id ?? Number(this.q.add.run(value).lastInsertRowid);
    this.cache.set(value, id);
    return id;
  }

  /** The id of a stored value without adding it: 0 for null, undefined when the table does not hold it. */
  existing(value: string | null): number | undefined {
    if (value === null) return 0;
    return this.cache.get(value) ?? this.q.find.get(value)?.id;
  }

  forget(): void {
    this.cache.clear();
  }

  get cached(): number {
    return this.cache.size;
  }
}

const STRING_ID_COLUMNS = [
  'server_id', 'site_id', 'client_ip_id', 'proxy_ip_id', 'username_id', 'endpoint_id', 'protocol_code_id', 'cipher_id',
  'cipher_code_id', 'hash_id', 'hash_code_id', 'key_exchange_id', 'key_exchange_code_id', 'detail_id',
] as const;

/**
 * Deletes the keys no usage row refers to any more, then the dictionary entries no key refers to (after prune and scan --full), inside the
 * caller's transaction. No Store may keep using its cache afterwards: run it before a scan's Store exists.
 */
export function dropUnusedEntries(db: Db): { strings: number; userAgents: number } {
  db.prepare(`DELETE FROM usage_keys WHERE id NOT IN (SELECT key_id FROM usage_rows)`).run();
  const used = STRING_ID_COLUMNS.map((c) => `SELECT ${c} FROM usage_keys`).join(' UNION ');
  const strings = db.prepare(`DELETE FROM strings WHERE id NOT IN (${used})`).run().changes;
  const userAgents = db.prepare(`DELETE FROM user_agents WHERE id NOT IN (SELECT user_agent_id FROM usage_keys)`)
    .run().changes;
  return { strings, userAgents };
}
