// Weak cryptography as a finding of its own, read from the weak_crypto view: who negotiates RC4, DES, 3DES, NULL,
// MD5 or RSA key exchange (on any TLS version), and TLS 1.2 suites Office 365 does not accept. Read-only.
import type { Db } from '../../store/open-database.js';
import { derivedView } from '../keyed-usage.js';

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

/**
 * Null for a database older than schema 4 (no weak_crypto view). One pass over the view (it looks up a dozen
 * dictionary columns per usage row, so three queries took three times as long): rows come in the order of the top
 * list, and the counts per weakness and for Office 365 are gathered on the way.
 */
export function readWeakCrypto(db: Db, limit = 20): WeakCryptoSummary | null {
  if (!hasView(db)) return null;
  const rows = db.prepare<[], WeakCryptoRow>(
    `SELECT source, client_ip AS clientIp, username, user_agent AS userAgent, client, protocol, cipher, hash,
       key_exchange AS keyExchange, weakness, o365_suite AS o365Suite, hits, last_seen AS lastSeen
     FROM ${derivedView(db, 'weak_crypto')}
     ORDER BY protocol IN ('TLS 1.2', 'TLS 1.3') DESC, hits DESC, source, client_ip, username, user_agent, protocol`,
  );
  const top: WeakCryptoRow[] = [];
  const weaknesses = new Map<string, { clients: Set<string>; hits: number }>();
  const notO365 = { clients: new Set<string>(), hits: 0 };
  for (const r of rows.iterate()) {
    if (top.length < limit) top.push(r);
    const client = JSON.stringify([r.source, r.clientIp, r.username, r.userAgent]);
    if (r.weakness !== null) {
      let w = weaknesses.get(r.weakness);
      if (w === undefined) weaknesses.set(r.weakness, (w = { clients: new Set(), hits: 0 }));
      w.clients.add(client);
      w.hits += r.hits;
    }
    if (r.o365Suite === 'no') {
      notO365.clients.add(client);
      notO365.hits += r.hits;
    }
  }
  const byWeakness = [...weaknesses]
    .map(([weakness, w]) => ({ weakness, clients: w.clients.size, hits: w.hits }))
    .sort((a, b) => b.hits - a.hits || (a.weakness < b.weakness ? -1 : a.weakness > b.weakness ? 1 : 0));
  return { byWeakness, tls12NotO365: { clients: notO365.clients.size, hits: notO365.hits }, top };
}
