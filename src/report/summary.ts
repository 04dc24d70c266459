// Reads the database into the Summary every report prints: protocol shares, legacy clients and noise, verdicts,
// daily and per-endpoint breakdowns, plain-HTTP and unknown traffic, file problems. Read-only; no formatting here.
import { matcherOf, type KnownException } from '../exceptions/exceptions.js';
import type { Db } from '../store/open-database.js';
import { readDaily, readEndpoints } from './breakdowns.js';
import { NO_FILTER, type ReportFilter, type SqlValue } from './filter.js';
import { keyedUsage, withKeyedUsage } from './keyed-usage.js';
import { LEGACY_SQL_LIST } from '../tls/legacy.js';
import { LegacyWindow } from './legacy-query.js';
import { machineKey } from './machine-verdict.js';
import { buildPlans, type Outbound } from './plan.js';
import { verdictsOf } from './verdict-set.js';
import { readExchangeSection } from './sections/exchange.js';
import { readExoSection } from './sections/exo.js';
import { readFindings } from './sections/findings.js';
import type { FileStats, Summary } from './model.js';

export type { LegacyClient, ProtocolTotal, Summary } from './model.js';

export interface SummaryOptions {
  /** How many legacy clients to list; null lists them all. */
  readonly top: number | null;
  readonly filter?: ReportFilter;
  /** Known exceptions in force (the caller picks them for today): their clients do not count against a verdict. */
  readonly exceptions?: readonly KnownException[];
  /** --min-days: a machine's yes over fewer observed days says so (default DEFAULT_MIN_DAYS). */
  readonly minDays?: number;
}

export function readSummary(db: Db, opts: SummaryOptions): Summary {
  return withKeyedUsage(db, () => summaryOf(db, opts));
}

function summaryOf(db: Db, opts: SummaryOptions): Summary {
  const filter = opts.filter ?? NO_FILTER;
  const k = keyedUsage(db, filter);
  const totalsRaw = db
    .prepare<SqlValue[], { source: string; protocol: string; hits: number; clients: number }>(
      `${k.with} SELECT source, protocol, sum(hits) AS hits, count(DISTINCT client_ip) AS clients
       FROM ${k.table} WHERE ${k.where.sql} GROUP BY source, protocol ORDER BY source, hits DESC, protocol`,
    )
    .all(...k.params, ...k.where.params);
  const bySource = new Map<string, number>();
  for (const t of totalsRaw) bySource.set(t.source, (bySource.get(t.source) ?? 0) + t.hits);
  const totals = totalsRaw.map((t) => ({ ...t, share: t.hits / (bySource.get(t.source) || 1) }));

  const match = opts.exceptions && opts.exceptions.length > 0 ? matcherOf(opts.exceptions) : null;
  const window = LegacyWindow.open(db, filter);
  let legacy;
  let judged;
  let people;
  try {
    legacy = window.read(opts.top, match);
    judged = verdictsOf(db, filter, window, match, opts.minDays);
    people = window.daily();
  } finally {
    window.close();
  }
  const plain = db
    .prepare<SqlValue[], { hits: number | null; clients: number }>(
      // IIS only: `none` of the mail sources (SMTP without STARTTLS, connector "No TLS") is in their own sections
      `${k.with} SELECT sum(hits) AS hits, count(DISTINCT client_ip) AS clients FROM ${k.table}
       WHERE protocol = 'none' AND source = 'iis' AND ${k.where.sql}`,
    )
    .get(...k.params, ...k.where.params) ?? { hits: 0, clients: 0 };
  const unknownCodes = db
    .prepare<SqlValue[], { code: string | null; hits: number }>(
      // IIS only: POP3/IMAP4 and HTTP.sys log no TLS version at all (their sections say so)
      `${k.with} SELECT protocol_code AS code, sum(hits) AS hits FROM ${k.table} WHERE protocol = 'unknown' AND source = 'iis'
       AND ${k.where.sql} GROUP BY protocol_code ORDER BY hits DESC, code`,
    )
    .all(...k.params, ...k.where.params);
  const span = db
    .prepare<SqlValue[], { first: string | null; last: string | null }>(
      `${k.with} SELECT min(first_day) AS first, max(last_day) AS last FROM ${k.table} WHERE ${k.where.sql}`,
    )
    .get(...k.params, ...k.where.params);
  const noTls = db
    .prepare<[], { path: string; records: number }>(
      `SELECT path, records FROM files WHERE status = 'read' AND format = 'iis-w3c' AND tls_fields = 0 ORDER BY path`,
    )
    .all();
  const { verdicts, machines, tally } = judged;
  const plans = buildPlans(machines, legacy.all, readOutbound(db, filter));
  const all = keyedUsage(db);
  const newest = db.prepare<SqlValue[], { t: string | null }>(`${all.with} SELECT max(last_seen) AS t FROM ${all.table}`).get(...all.params);
  return {
    filter,
    firstDay: span?.first ?? null,
    lastDay: span?.last ?? null,
    totals,
    legacy: legacy.listed,
    legacyClients: legacy.clients,
    legacyHits: legacy.hits,
    people: legacy.people,
    legacyPeople: legacy.peopleCount,
    noise: legacy.noise,
    excepted: legacy.excepted,
    verdicts,
    machines,
    plans,
    tally,
    daily: readDaily(db, filter, people),
    endpoints: readEndpoints(db, filter),
    plain: { hits: plain.hits ?? 0, clients: plain.clients },
    unknown: { hits: unknownCodes.reduce((s, c) => s + c.hits, 0), codes: unknownCodes },
    files: readFiles(db),
    withoutTlsFields: {
      files: noTls.length,
      hits: noTls.reduce((s, f) => s + f.records, 0),
      examples: noTls.slice(0, 3).map((f) => f.path),
    },
    newestSeen: newest?.t ?? null,
    redacted: false,
    exo: readExoSection(db, filter, opts.top),
    exchange: readExchangeSection(db, filter, opts.top),
    findings: readFindings(db),
  };
}

function readFiles(db: Db): FileStats {
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
  // files.layout since schema 8 (a read-only report may open an older database)
  const hasLayout = db.prepare(`SELECT 1 FROM pragma_table_info('files') WHERE name = 'layout'`).get() !== undefined;
  const inferred = hasLayout
    ? db
      .prepare<[], { path: string; format: string; layout: string }>(
        `SELECT path, format, layout FROM files WHERE layout IS NOT NULL ORDER BY path`,
      )
      .all()
    : [];
  const problems = db
    .prepare<[], { path: string; code: string; count: number; firstLine: number; message: string }>(
      `SELECT f.path, d.code, d.count, d.first_line AS firstLine, d.message
       FROM diagnostics d JOIN files f ON f.id = d.file_id ORDER BY d.count DESC, f.path, d.code`,
    )
    .all();
  return {
    read: count('read')?.n ?? 0,
    skipped: count('skipped')?.n ?? 0,
    failed: count('error')?.n ?? 0,
    lines: count('read')?.lines ?? 0,
    badLines: count('read')?.bad ?? 0,
    unread,
    inferred,
    problems,
  };
}

/** Per machine: its SMTP Send sessions on a legacy protocol (the machine as a client), and whether it has Send logs. */
function readOutbound(db: Db, filter: ReportFilter): Map<string, Outbound> {
  const k = keyedUsage(db, filter);
  const rows = db
    .prepare<SqlValue[], { server: string | null; legacy: number }>(
      `${k.with} SELECT server, sum(CASE WHEN protocol IN ${LEGACY_SQL_LIST} THEN hits ELSE 0 END) AS legacy FROM ${k.table}
       WHERE source = 'smtp-send' AND ${k.where.sql} GROUP BY server`,
    )
    .all(...k.params, ...k.where.params);
  const out = new Map<string, Outbound>();
  for (const r of rows) {
    const key = machineKey(r.server);
    out.set(key, { legacyHits: (out.get(key)?.legacyHits ?? 0) + r.legacy, sendLogs: true });
  }
  return out;
}
