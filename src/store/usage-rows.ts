// Writes usage rows into table usage_rows (schema 6): text dimensions become dictionary ids, NULL becomes id 0.
// Readers use the view `usage`, which turns the ids back into the same text; nothing here reads it.
import type { UsageDims, UsageRow } from '../aggregate/usage.js';
import { Dictionary } from './dictionary.js';
import type { Db } from './open-database.js';

const KEY = `day, source, server_id, site_id, client_ip_id, proxy_ip_id, username_id, user_agent_id, endpoint_id,
  protocol, protocol_code_id, cipher_id, cipher_code_id, hash_id, hash_code_id, key_exchange_id, key_exchange_code_id,
  detail_id, internal`;
const COLUMNS = `${KEY}, hits, auth_failures, errors, estimated, first_seen, last_seen`;
const VALUES = Array.from({ length: 25 }, () => '?').join(', ');

export class UsageRowWriter {
  readonly strings: Dictionary;
  readonly userAgents: Dictionary;
  private readonly q;

  constructor(db: Db) {
    this.strings = new Dictionary(db, 'strings');
    this.userAgents = new Dictionary(db, 'user_agents');
    this.q = {
      add: db.prepare(`INSERT INTO usage_rows (${COLUMNS}) VALUES (${VALUES})
        ON CONFLICT (${KEY}) DO UPDATE SET hits = hits + excluded.hits,
          auth_failures = auth_failures + excluded.auth_failures, errors = errors + excluded.errors,
          estimated = max(estimated, excluded.estimated), first_seen = min(first_seen, excluded.first_seen),
          last_seen = max(last_seen, excluded.last_seen)`),
      replace: db.prepare(`INSERT OR REPLACE INTO usage_rows (${COLUMNS}) VALUES (${VALUES})`),
    };
  }

  /** Adds the row's counts to the stored row with the same key (a new row when there is none). */
  add(r: UsageRow): void {
    this.q.add.run(...this.key(r.dims), r.hits, r.authFailures, r.errors, r.estimated, r.firstSeen, r.lastSeen);
  }

  /** Stores the row as it is, in place of the stored row with the same key (rows kept by identity). */
  replace(r: UsageRow): void {
    this.q.replace.run(...this.key(r.dims), r.hits, r.authFailures, r.errors, r.estimated, r.firstSeen, r.lastSeen);
  }

  /** After a rollback: ids added by the failed transaction must not be used again. */
  forget(): void {
    this.strings.forget();
    this.userAgents.forget();
  }

  private key(d: UsageDims): (string | number)[] {
    const s = this.strings;
    return [
      d.day, d.source, s.id(d.server), s.id(d.site), s.id(d.clientIp), s.id(d.proxyIp), s.id(d.username),
      this.userAgents.id(d.userAgent), s.id(d.endpoint), d.protocol, s.id(d.protocolCode),
      s.id(d.cipher), s.id(d.cipherCode), s.id(d.hash), s.id(d.hashCode), s.id(d.keyExchange),
      s.id(d.keyExchangeCode), s.id(d.detail), d.internal,
    ];
  }
}
