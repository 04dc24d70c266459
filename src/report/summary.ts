// Reads the database into the summary shown after a scan and by `report`: protocol shares, legacy clients,
// plain-HTTP and unknown traffic, file problems. Read-only; formatting lives in the formatters.
import type { Db } from '../store/open-database.js';

export interface ProtocolTotal {
  readonly source: string;
  readonly protocol: string;
  readonly hits: number;
  readonly clients: number;
  readonly share: number; // of the source's hits, 0..1
}

export interface LegacyClient {
  readonly source: string;
  readonly clientIp: string | null;
  readonly username: string | null;
  readonly userAgent: string | null;
  readonly legacyHits: number;
  readonly ssl2Hits: number;
  readonly ssl3Hits: number;
  readonly tls10Hits: number;
  readonly tls11Hits: number;
  readonly modernHits: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly servers: string | null;
  readonly endpoints: string | null;
  readonly internal: number;
}

export interface Summary {
  readonly totals: readonly ProtocolTotal[];
  readonly legacy: readonly LegacyClient[];
  readonly legacyClients: number;
  readonly legacyHits: number;
  readonly plain: { readonly hits: number; readonly clients: number };
  readonly unknown: { readonly hits: number; readonly codes: readonly { code: string | null; hits: number }[] };
  readonly files: {
    readonly read: number;
    readonly skipped: number;
    readonly failed: number;
    readonly lines: number;
    readonly badLines: number;
    readonly unread: readonly { path: string; status: string; reason: string | null }[];
    readonly problems: readonly { path: string; code: string; count: number; firstLine: number; message: string }[];
  };
  /** IIS files whose #Fields never had crypt-protocol, and their hits. */
  readonly withoutTlsFields: { readonly files: number; readonly hits: number; readonly examples: readonly string[] };
  readonly newestSeen: string | null;
}

export interface SummaryOptions {
  readonly top: number;
}

export function readSummary(db: Db, opts: SummaryOptions): Summary {
  const totalsRaw = db
    .prepare<[], { source: string; protocol: string; hits: number; clients: number }>(
      `SELECT source, protocol, sum(hits) AS hits, count(DISTINCT client_ip) AS clients
       FROM usage GROUP BY source, protocol ORDER BY source, hits DESC`,
    )
    .all();
  const bySource = new Map<string, number>();
  for (const t of totalsRaw) bySource.set(t.source, (bySource.get(t.source) ?? 0) + t.hits);
  const totals = totalsRaw.map((t) => ({ ...t, share: t.hits / (bySource.get(t.source) || 1) }));

  const legacy = db
    .prepare<[number], LegacyClient>(
      `SELECT source, client_ip AS clientIp, username, user_agent AS userAgent, legacy_hits AS legacyHits,
        ssl2_hits AS ssl2Hits, ssl3_hits AS ssl3Hits, tls10_hits AS tls10Hits, tls11_hits AS tls11Hits,
        modern_hits AS modernHits, first_seen AS firstSeen, last_seen AS lastSeen, servers, endpoints, internal
       FROM legacy_clients ORDER BY internal, legacy_hits DESC, last_seen DESC LIMIT ?`,
    )
    .all(opts.top);
  const legacyTotals = db
    .prepare<[], { n: number; hits: number | null }>(`SELECT count(*) AS n, sum(legacy_hits) AS hits FROM legacy_clients`)
    .get() ?? { n: 0, hits: 0 };
  const plain = db
    .prepare<[], { hits: number | null; clients: number }>(
      `SELECT sum(hits) AS hits, count(DISTINCT client_ip) AS clients FROM usage WHERE protocol = 'none'`,
    )
    .get() ?? { hits: 0, clients: 0 };
  const unknownCodes = db
    .prepare<[], { code: string | null; hits: number }>(
      `SELECT protocol_code AS code, sum(hits) AS hits FROM usage WHERE protocol = 'unknown'
       GROUP BY protocol_code ORDER BY hits DESC`,
    )
    .all();
  const fileCounts = db
    .prepare<[], { status: string; n: number; lines: number; bad: number }>(
      `SELECT status, count(*) AS n, sum(lines) AS lines, sum(bad_lines) AS bad FROM files GROUP BY status`,
    )
    .all();
  const count = (s: string) => fileCounts.find((f) => f.status === s);
  const unread = db
    .prepare<[], { path: string; status: string; reason: string | null }>(
      `SELECT path, status, reason FROM files WHERE status != 'read' ORDER BY status, path`,
    )
    .all();
  const problems = db
    .prepare<[], { path: string; code: string; count: number; firstLine: number; message: string }>(
      `SELECT f.path, d.code, d.count, d.first_line AS firstLine, d.message
       FROM diagnostics d JOIN files f ON f.id = d.file_id ORDER BY d.count DESC, f.path`,
    )
    .all();
  const noTls = db
    .prepare<[], { path: string; records: number }>(
      `SELECT path, records FROM files WHERE status = 'read' AND format = 'iis-w3c' AND tls_fields = 0 ORDER BY path`,
    )
    .all();
  const newest = db.prepare<[], { t: string | null }>(`SELECT max(last_seen) AS t FROM usage`).get();
  return {
    totals,
    legacy,
    legacyClients: legacyTotals.n,
    legacyHits: legacyTotals.hits ?? 0,
    plain: { hits: plain.hits ?? 0, clients: plain.clients },
    unknown: { hits: unknownCodes.reduce((s, c) => s + c.hits, 0), codes: unknownCodes },
    files: {
      read: count('read')?.n ?? 0,
      skipped: count('skipped')?.n ?? 0,
      failed: count('error')?.n ?? 0,
      lines: count('read')?.lines ?? 0,
      badLines: count('read')?.bad ?? 0,
      unread,
      problems,
    },
    withoutTlsFields: {
      files: noTls.length,
      hits: noTls.reduce((s, f) => s + f.records, 0),
      examples: noTls.slice(0, 3).map((f) => f.path),
    },
    newestSeen: newest?.t ?? null,
  };
}
