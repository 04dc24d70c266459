// Weak cryptography as a finding of its own, read from the weak_crypto view: who negotiates RC4, DES, 3DES, NULL,
// MD5 or RSA key exchange (on any TLS version), and TLS 1.2 suites Office 365 does not accept. Read-only.
import type { Db } from '../store/open-database.js';

export interface WeakCryptoRow {
  readonly source: string;
  readonly clientIp: string | null;
  readonly username: string | null;
  readonly userAgent: string | null;
  readonly client: string | null;
  readonly protocol: string;
  readonly cipher: string | null;
  readonly hash: string | null;
  readonly keyExchange: string | null;
  readonly weakness: string | null;
  readonly o365Suite: 'yes' | 'maybe' | 'no' | null;
  readonly hits: number;
  readonly lastSeen: string;
}

export interface WeakCryptoSummary {
  /** Distinct clients (source, address, user, user agent) and hits per weakness text. */
  readonly byWeakness: readonly { readonly weakness: string; readonly clients: number; readonly hits: number }[];
  /** TLS 1.2 traffic whose suite Office 365 does not accept. */
  readonly tls12NotO365: { readonly clients: number; readonly hits: number };
  /** The rows with the most hits; TLS 1.2 first, since those clients look fine by version alone. */
  readonly top: readonly WeakCryptoRow[];
}

function hasView(db: Db): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = 'weak_crypto'`).get() !== undefined;
}

/** Null for a database older than schema 4 (no weak_crypto view). */
export function readWeakCrypto(db: Db, limit = 20): WeakCryptoSummary | null {
  if (!hasView(db)) return null;
  const byWeakness = db
    .prepare<[], { weakness: string; clients: number; hits: number }>(
      `SELECT weakness, count(DISTINCT json_array(source, client_ip, username, user_agent)) AS clients, sum(hits) AS hits
       FROM weak_crypto WHERE weakness IS NOT NULL GROUP BY weakness ORDER BY hits DESC, weakness`,
    )
    .all();
  const notO365 = db
    .prepare<[], { clients: number; hits: number | null }>(
      `SELECT count(DISTINCT json_array(source, client_ip, username, user_agent)) AS clients, sum(hits) AS hits
       FROM weak_crypto WHERE o365_suite = 'no'`,
    )
    .get() ?? { clients: 0, hits: 0 };
  const top = db
    .prepare<[number], WeakCryptoRow>(
      `SELECT source, client_ip AS clientIp, username, user_agent AS userAgent, client, protocol, cipher, hash,
         key_exchange AS keyExchange, weakness, o365_suite AS o365Suite, hits, last_seen AS lastSeen
       FROM weak_crypto
       ORDER BY protocol IN ('TLS 1.2', 'TLS 1.3') DESC, hits DESC, source, client_ip, username, user_agent, protocol
       LIMIT ?`,
    )
    .all(limit);
  return { byWeakness, tls12NotO365: { clients: notO365.clients, hits: notO365.hits ?? 0 }, top };
}
