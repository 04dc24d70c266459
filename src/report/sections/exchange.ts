// The Exchange Server part of the summary: failed SMTP TLS handshakes, POP3/IMAP4 clients whose TLS version the
// logs do not show, HTTP.sys timeouts and drops per client and day next to that address's TLS 1.0/1.1 use in IIS,
// and sessions still pending. Reads usage and pending_sessions (read-only) and formats text; nothing else.
import type { Db } from '../../store/open-database.js';
import { LEGACY_SQL_LIST } from '../../tls/legacy.js';
import { keyedUsage } from '../keyed-usage.js';
import { clean, num, pad, padL } from '../strings.js';

/** The parts of the report window that apply here (a ReportFilter fits). */
export interface ExchangeWindow {
  readonly since: string | null;
  readonly until: string | null;
  readonly servers: readonly string[];
  readonly sources: readonly string[];
}

export interface FailedHandshake {
  readonly source: string;
  readonly clientIp: string | null;
  readonly ehlo: string | null;
  readonly connector: string | null;
  readonly error: string | null;
  readonly sessions: number;
  readonly lastSeen: string;
  readonly internal: number;
}

export interface UnknownMailClient {
  readonly source: string;
  readonly clientIp: string | null;
  readonly username: string | null;
  readonly sessions: number;
  readonly lastSeen: string;
}

export interface HttpErrDay {
  readonly day: string;
  readonly clientIp: string | null;
  /** Timer_* reasons (Timer_ConnectionIdle, Timer_MinBytesPerSecond, …) and Connection_* reasons (dropped, abandoned). */
  readonly timeouts: number;
  readonly dropped: number;
  /** The last day on or before `day` that this address used TLS 1.0/1.1 in the IIS logs, else null. */
  readonly legacyIisDay: string | null;
}

export interface ExchangeSection {
  readonly failed: { readonly sessions: number; readonly clients: number; readonly listed: readonly FailedHandshake[] } | null;
  readonly unknownMail: { readonly sessions: number; readonly clients: number; readonly listed: readonly UnknownMailClient[] } | null;
  readonly httpErr: { readonly rows: number; readonly clients: number; readonly listed: readonly HttpErrDay[] } | null;
  /** Sessions open where the logs end (table pending_sessions), not yet in usage. */
  readonly pending: { readonly sessions: number; readonly oldest: string } | null;
}

const IDLE = `detail LIKE 'Timer\\_%' ESCAPE '\\'`;
const DROPPED = `detail LIKE 'Connection\\_%' ESCAPE '\\'`;

type Param = string | number;

/** The window as a condition on usage (alias `u`), limited to `sources` when the report's own --source allows them. */
function where(w: ExchangeWindow, sources: readonly string[]): { sql: string; params: Param[] } | null {
  const wanted = w.sources.length === 0 ? sources : sources.filter((s) => w.sources.includes(s));
  if (wanted.length === 0) return null;
  const parts = [`u.source IN (${wanted.map(() => '?').join(', ')})`];
  const params: Param[] = [...wanted];
  if (w.since !== null) {
    parts.push('u.day >= ?');
    params.push(w.since);
  }
  if (w.until !== null) {
    parts.push('u.day <= ?');
    params.push(w.until);
  }
  if (w.servers.length > 0) {
    parts.push(`lower(u.server) IN (${w.servers.map(() => '?').join(', ')})`);
    params.push(...w.servers);
  }
  return { sql: parts.join(' AND '), params };
}

/**
 * The same window over the usage rows summed per key (report/keyed-usage.ts), for the parts that group whole
 * windows: `${k.with} SELECT … FROM ${k.table} u WHERE ${k.sql}`, bound to `...k.params`, then the query's own.
 */
function keyedWhere(db: Db, w: ExchangeWindow, sources: readonly string[]): { with: string; table: string; sql: string; params: Param[] } | null {
  const wanted = w.sources.length === 0 ? sources : sources.filter((s) => w.sources.includes(s));
  if (wanted.length === 0) return null;
  const k = keyedUsage(db, { since: w.since, until: w.until, days: null, servers: w.servers, sources: [] }, 'u');
  return {
    with: k.with,
    table: k.table,
    sql: `u.source IN (${wanted.map(() => '?').join(', ')}) AND ${k.where.sql}`,
    params: [...k.params, ...wanted, ...k.where.params],
  };
}

/** The section, or null when the database holds no Exchange Server or HTTP.sys rows in the window. */
export function readExchangeSection(db: Db, w: ExchangeWindow, top: number | null): ExchangeSection | null {
  const limit = top ?? -1;
  const section: ExchangeSection = {
    failed: readFailed(db, w, limit),
    unknownMail: readUnknownMail(db, w, limit),
    httpErr: readHttpErr(db, w, limit),
    pending: readPending(db),
  };
  return section.failed || section.unknownMail || section.httpErr || section.pending ? section : null;
}

function readFailed(db: Db, w: ExchangeWindow, limit: number): ExchangeSection['failed'] {
  const c = keyedWhere(db, w, ['smtp-receive', 'smtp-send']);
  if (c === null) return null;
  const cond = `${c.sql} AND u.protocol = 'failed'`;
  const t = db.prepare<Param[], { n: number | null; clients: number }>(
    `${c.with} SELECT sum(hits) AS n, count(DISTINCT client_ip) AS clients FROM ${c.table} u WHERE ${cond}`,
  ).get(...c.params);
  if (!t || !t.n) return null;
  const listed = db.prepare<Param[], FailedHandshake>(
    `${c.with} SELECT source, client_ip AS clientIp, user_agent AS ehlo, site AS connector, detail AS error,
       sum(hits) AS sessions, max(last_seen) AS lastSeen, min(internal) AS internal
     FROM ${c.table} u WHERE ${cond} GROUP BY source, client_ip, user_agent, site, detail
     HAVING sum(hits) > 0 ORDER BY min(internal), sessions DESC, lastSeen DESC LIMIT ?`,
  ).all(...c.params, limit);
  return { sessions: t.n, clients: t.clients, listed };
}

function readUnknownMail(db: Db, w: ExchangeWindow, limit: number): ExchangeSection['unknownMail'] {
  const c = keyedWhere(db, w, ['pop3', 'imap4']);
  if (c === null) return null;
  const cond = `${c.sql} AND u.protocol = 'unknown'`;
  const t = db.prepare<Param[], { n: number | null; clients: number }>(
    `${c.with} SELECT sum(hits) AS n, count(DISTINCT client_ip) AS clients FROM ${c.table} u WHERE ${cond}`,
  ).get(...c.params);
  if (!t || !t.n) return null;
  const listed = db.prepare<Param[], UnknownMailClient>(
    `${c.with} SELECT source, client_ip AS clientIp, username, sum(hits) AS sessions, max(last_seen) AS lastSeen
     FROM ${c.table} u WHERE ${cond} GROUP BY source, client_ip, username HAVING sum(hits) > 0
     ORDER BY sessions DESC, lastSeen DESC LIMIT ?`,
  ).all(...c.params, limit);
  return { sessions: t.n, clients: t.clients, listed };
}

function readHttpErr(db: Db, w: ExchangeWindow, limit: number): ExchangeSection['httpErr'] {
  const c = where(w, ['httperr']);
  if (c === null) return null;
  const cond = `${c.sql} AND (${IDLE} OR ${DROPPED})`;
  const t = db.prepare<Param[], { n: number; clients: number }>(
    `SELECT count(*) AS n, count(DISTINCT client_ip) AS clients FROM
       (SELECT day, client_ip FROM usage u WHERE ${cond} GROUP BY day, client_ip)`,
  ).get(...c.params);
  if (!t || t.n === 0) return null;
  const listed = db.prepare<Param[], HttpErrDay>(
    `SELECT h.day, h.client_ip AS clientIp, h.timeouts, h.dropped,
       (SELECT max(i.day) FROM usage i WHERE i.source = 'iis' AND i.client_ip = h.client_ip AND i.day <= h.day
          AND i.protocol IN ${LEGACY_SQL_LIST} AND i.hits > 0) AS legacyIisDay
     FROM (SELECT day, client_ip, sum(CASE WHEN ${IDLE} THEN hits ELSE 0 END) AS timeouts,
             sum(CASE WHEN ${DROPPED} THEN hits ELSE 0 END) AS dropped
           FROM usage u WHERE ${cond} GROUP BY day, client_ip) h
     ORDER BY legacyIisDay IS NULL, h.day DESC, h.timeouts + h.dropped DESC, h.client_ip LIMIT ?`,
  ).all(...c.params, limit);
  return { rows: t.n, clients: t.clients, listed };
}

function readPending(db: Db): ExchangeSection['pending'] {
  const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'pending_sessions'`).get();
  if (exists === undefined) return null;
  const p = db.prepare<[], { n: number; oldest: string | null }>(
    `SELECT count(*) AS n, min(last_seen) AS oldest FROM pending_sessions WHERE counted = 0`,
  ).get();
  return p && p.n > 0 && p.oldest !== null ? { sessions: p.n, oldest: p.oldest } : null;
}


/** Text lines, at most 100 columns wide (empty when there is nothing to say). */
export function formatExchangeSection(s: ExchangeSection | null | undefined): string[] {
  if (!s) return [];
  const out: string[] = ['', 'Exchange Server (SMTP, POP3/IMAP4, HTTP.sys)'];
  if (s.failed) {
    out.push('Failed SMTP TLS handshakes (STARTTLS began, no TLS session followed):');
    out.push(`  ${num(s.failed.sessions)} sessions from ${num(s.failed.clients)} addresses${more(s.failed.clients, s.failed.listed.length)}`);
    out.push(`  ${padL('sessions', 8)} ${pad('address', 22)} ${pad('EHLO name', 18)} ${pad('last seen', 10)} error (connector)`);
    for (const f of s.failed.listed) {
      const connector = f.connector === null ? '-' : f.connector.slice(f.connector.lastIndexOf('\\') + 1); // "EX01\\Name" → "Name"
      const why = clean(`${f.error ?? '-'} (${connector}${f.internal ? ', internal' : ''})`, 36);
      out.push(`  ${padL(num(f.sessions), 8)} ${pad(clean(f.clientIp, 22), 22)} ${pad(clean(f.ehlo, 18), 18)} ` +
        `${pad(f.lastSeen.slice(0, 10), 10)} ${why}`);
    }
  }
  if (s.unknownMail) {
    const m = s.unknownMail;
    out.push(`POP3/IMAP4: ${num(m.sessions)} sessions from ${num(m.clients)} addresses with no TLS version in the log.`);
    out.push('  Check these clients by other means before disabling TLS 1.0/1.1 (their versions, a packet');
    out.push(`  capture, or Schannel event logging on the server)${more(m.clients, m.listed.length)}:`);
    out.push(`  ${padL('sessions', 8)} ${pad('protocol', 8)} ${pad('address', 26)} ${pad('user', 36)} last seen`);
    for (const c of m.listed) {
      out.push(`  ${padL(num(c.sessions), 8)} ${pad(c.source, 8)} ${pad(clean(c.clientIp, 26), 26)} ` +
        `${pad(clean(c.username, 36), 36)} ${c.lastSeen.slice(0, 10)}`);
    }
  }
  if (s.httpErr) {
    const h = s.httpErr;
    out.push('HTTP.sys timeouts (Timer_*) and dropped connections (Connection_*) by address and day:');
    out.push(`  ${num(h.clients)} addresses on ${num(h.rows)} address-days${more(h.rows, h.listed.length)}; last column: the last day`);
    out.push('  the address used TLS 1.0/1.1 in the IIS logs, up to that day');
    out.push(`  ${pad('day', 10)} ${pad('address', 40)} ${padL('timeouts', 9)} ${padL('dropped', 9)}  TLS 1.0/1.1 in IIS`);
    for (const d of h.listed) {
      out.push(`  ${pad(d.day, 10)} ${pad(clean(d.clientIp, 40), 40)} ${padL(num(d.timeouts), 9)} ` +
        `${padL(num(d.dropped), 9)}  ${d.legacyIisDay ?? 'not seen'}`);
    }
  }
  if (s.pending) {
    out.push(`Pending: ${num(s.pending.sessions)} SMTP/POP3/IMAP4 sessions open where the logs end (oldest event ` +
      `${s.pending.oldest.slice(0, 16)}),`);
    out.push('  counted once they end or after an hour without events (table pending_sessions).');
  }
  return out;
}

const more = (total: number, listed: number): string => (total > listed ? ` (top ${num(listed)}; --top N for more)` : '');

/** For --redact: addresses and user names through the report's pseudonymizer, EHLO names kept (hosts, not people). */
export function redactExchangeSection(
  s: ExchangeSection | null | undefined,
  p: (kind: 'ip' | 'user', value: string | null) => string | null,
): ExchangeSection | null {
  if (!s) return null;
  return {
    ...s,
    failed: s.failed && { ...s.failed, listed: s.failed.listed.map((f) => ({ ...f, clientIp: p('ip', f.clientIp) })) },
    unknownMail: s.unknownMail && {
      ...s.unknownMail,
      listed: s.unknownMail.listed.map((c) => ({ ...c, clientIp: p('ip', c.clientIp), username: p('user', c.username) })),
    },
    httpErr: s.httpErr && { ...s.httpErr, listed: s.httpErr.listed.map((d) => ({ ...d, clientIp: p('ip', d.clientIp) })) },
  };
}
