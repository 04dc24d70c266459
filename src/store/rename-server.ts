// Renames a server in an existing database: every usage row of server OLD becomes a row of server NEW, adding its
// counts to a row of NEW with the same key. One transaction; the dictionary keeps OLD's text until prune cleans it.
// A merge target (merge_rows present) is refused: its merge snapshots are keyed by the old name, so the next merge
// would add the source rows again under it; rename in the server's own database and merge into a fresh one.
import { CensusError } from '../errors.js';
import { Dictionary } from './dictionary.js';
import type { Db } from './open-database.js';

const KEY_BUT_SERVER = `day, source, site_id, client_ip_id, proxy_ip_id, username_id, user_agent_id, endpoint_id,
  protocol, protocol_code_id, cipher_id, cipher_code_id, hash_id, hash_code_id, key_exchange_id, key_exchange_code_id,
  detail_id, internal`;
const COUNTERS = 'hits, auth_failures, errors, estimated, first_seen, last_seen';

export interface RenameResult {
  /** Usage rows moved to the new name. */
  readonly rows: number;
  /** Of those, rows added into a row the new name already had. */
  readonly joined: number;
  readonly hits: number;
}

export function renameServer(db: Db, from: string, to: string): RenameResult {
  if (from === to) throw new CensusError('USAGE', `rename-server: the old and the new name are both ${JSON.stringify(from)}`);
  const merged = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM merge_rows`).get()?.n ?? 0;
  if (merged > 0) {
    throw new CensusError(
      'USAGE',
      'this database holds merged data, whose merge snapshots keep the old server name: rename the server in its ' +
        'own database, then merge the server databases into a new central one',
    );
  }
  const strings = new Dictionary(db, 'strings');
  return db.transaction((): RenameResult => {
    const old = strings.existing(from);
    const count = old === undefined || old === 0
      ? undefined
      : db.prepare<[number], { n: number; hits: number | null }>(`SELECT count(*) AS n, sum(hits) AS hits FROM usage_rows WHERE server_id = ?`).get(old);
    if (old === undefined || old === 0 || count === undefined || count.n === 0) {
      const known = db.prepare<[], { server: string }>(`SELECT DISTINCT server FROM usage WHERE server IS NOT NULL ORDER BY server LIMIT 20`).all();
      throw new CensusError('USAGE', `no server named ${JSON.stringify(from)} in this database (servers: ${known.map((k) => k.server).join(', ') || 'none'})`);
    }
    const target = strings.id(to);
    const joined = db.prepare<[number, number], { n: number }>(
      `SELECT count(*) AS n FROM usage_rows o JOIN usage_rows t USING (${KEY_BUT_SERVER.replace(/\s+/g, ' ')})
       WHERE o.server_id = ? AND t.server_id = ?`,
    ).get(old, target)?.n ?? 0;
    db.prepare<[number, number]>(
      `INSERT INTO usage_rows (${KEY_BUT_SERVER}, server_id, ${COUNTERS})
       SELECT ${KEY_BUT_SERVER}, ?, ${COUNTERS} FROM usage_rows WHERE server_id = ? AND true
       ON CONFLICT DO UPDATE SET hits = hits + excluded.hits, auth_failures = auth_failures + excluded.auth_failures,
         errors = errors + excluded.errors, estimated = max(estimated, excluded.estimated),
         first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)`,
    ).run(target, old);
    db.prepare<[number]>(`DELETE FROM usage_rows WHERE server_id = ?`).run(old);
    return { rows: count.n, joined, hits: count.hits ?? 0 };
  })();
}
