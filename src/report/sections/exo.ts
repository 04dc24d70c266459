// The Exchange Online part of the summary: SMTP AUTH senders and connectors still on TLS 1.0/1.1, where each
// report's period came from, which figures are estimated from percentages, and exports that could not be used.
// Reads the exo_* tables (read-only) and formats the text lines; the core summary only calls these two functions.
import type { PeriodSource } from '../../aggregate/report-rows.js';
import type { Db } from '../../store/open-database.js';
import { clean, num, pad, padL, pct, wrapWords } from '../strings.js';

/** The parts of the report window that apply to report rows (a ReportFilter fits). */
export interface ExoWindow {
  readonly since: string | null;
  readonly until: string | null;
  readonly servers: readonly string[];
  readonly sources: readonly string[];
}

export interface ExoSender {
  readonly sender: string;
  readonly messages: number;
  readonly tls10: number;
  readonly tls11: number;
  /** Of the sender's messages on TLS 1.0/1.1, 0..1. */
  readonly share: number;
  readonly estimated: boolean;
  readonly firstDay: string;
  readonly lastDay: string;
}

export interface ExoPeriod {
  readonly start: string;
  readonly end: string;
  readonly source: PeriodSource;
  readonly senders: number;
  readonly files: number;
}

export interface ExoConnector {
  readonly connector: string;
  readonly type: string;
  readonly direction: string;
  readonly volume: number;
  readonly tls10: number;
  readonly tls11: number;
  readonly noTls: number;
  readonly share: number;
  readonly estimated: boolean;
}

export interface ExoSection {
  readonly smtpAuth: {
    readonly senders: number;
    readonly messages: number;
    readonly legacySenders: number;
    readonly legacyMessages: number;
    /** Some listed figure was derived from a percentage. */
    readonly estimated: boolean;
    readonly periods: readonly ExoPeriod[];
    /** Senders with rows in two periods that overlap: their messages count once per period. */
    readonly overlapping: number;
    readonly listed: readonly ExoSender[];
  } | null;
  readonly connectors: {
    readonly connectors: number;
    readonly firstDay: string;
    readonly lastDay: string;
    readonly messages: number;
    readonly legacyConnectors: number;
    readonly legacyMessages: number;
    readonly estimated: boolean;
    readonly listed: readonly ExoConnector[];
  } | null;
  /** Exports that look like a report but lack a column: the diagnostic names what was found and expected. */
  readonly unusable: readonly { readonly path: string; readonly message: string }[];
}

const EXO_FORMATS = `('exo-smtp-auth-report', 'exo-connector-report')`;

function applies(w: ExoWindow, source: string): boolean {
  return (w.sources.length === 0 || w.sources.includes(source)) && (w.servers.length === 0 || w.servers.includes('exchange online'));
}

/** The section, or null when the database holds no Exchange Online report (or predates schema version 3). */
export function readExoSection(db: Db, w: ExoWindow, top: number | null): ExoSection | null {
  const has = db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('exo_smtp_auth', 'exo_connector')`).get() as { n: number };
  if (has.n < 2) return null;
  const since = w.since ?? '0000-00-00';
  const until = w.until ?? '9999-99-99';
  const limit = top ?? -1;
  const smtpAuth = applies(w, 'exo-smtp-auth') ? readSmtpAuth(db, since, until, limit) : null;
  const connectors = applies(w, 'exo-connector') ? readConnectors(db, since, until, limit) : null;
  const unusable = db
    .prepare<[], { path: string; message: string }>(
      `SELECT f.path, d.message FROM diagnostics d JOIN files f ON f.id = d.file_id
       WHERE d.code = 'missing_column' AND f.format IN ${EXO_FORMATS} ORDER BY f.path`,
    )
    .all();
  if (smtpAuth === null && connectors === null && unusable.length === 0) return null;
  return { smtpAuth, connectors, unusable };
}

function readSmtpAuth(db: Db, since: string, until: string, limit: number): ExoSection['smtpAuth'] {
  const inWindow = `period_end >= ? AND period_end <= ?`;
  const t = db
    .prepare<[string, string], { senders: number; messages: number | null }>(
      `SELECT count(DISTINCT sender) AS senders, sum(messages) AS messages FROM exo_smtp_auth WHERE ${inWindow}`,
    )
    .get(since, until);
  if (!t || t.senders === 0) return null;
  const bySender = `SELECT sender, sum(messages) AS messages, sum(tls10) AS tls10, sum(tls11) AS tls11,
      max(estimated) AS estimated, min(period_start) AS firstDay, max(period_end) AS lastDay
    FROM exo_smtp_auth WHERE ${inWindow} GROUP BY sender HAVING sum(tls10) + sum(tls11) > 0`;
  const legacy = db
    .prepare<[string, string], { n: number; hits: number | null; est: number | null }>(
      `SELECT count(*) AS n, sum(tls10 + tls11) AS hits, max(estimated) AS est FROM (${bySender})`,
    )
    .get(since, until);
  const listed = db
    .prepare<[string, string, number], Omit<ExoSender, 'share' | 'estimated'> & { estimated: number }>(
      `${bySender} ORDER BY tls10 + tls11 DESC, sender LIMIT ?`,
    )
    .all(since, until, limit)
    .map((s) => ({ ...s, estimated: s.estimated === 1, share: s.messages > 0 ? (s.tls10 + s.tls11) / s.messages : 0 }));
  const periods = db
    .prepare<[string, string], ExoPeriod>(
      `SELECT period_start AS start, period_end AS "end", period_source AS source, count(*) AS senders,
         count(DISTINCT file_id) AS files
       FROM exo_smtp_auth WHERE ${inWindow} GROUP BY period_start, period_end, period_source ORDER BY 2, 1, 3`,
    )
    .all(since, until);
  const overlap = db
    .prepare<[string, string, string, string], { n: number }>(
      `SELECT count(DISTINCT a.sender) AS n FROM exo_smtp_auth a JOIN exo_smtp_auth b ON b.sender = a.sender
         AND (a.period_start, a.period_end) < (b.period_start, b.period_end)
         AND a.period_start <= b.period_end AND b.period_start <= a.period_end
       WHERE a.period_end >= ? AND a.period_end <= ? AND b.period_end >= ? AND b.period_end <= ?`,
    )
    .get(since, until, since, until);
  return {
    senders: t.senders,
    messages: t.messages ?? 0,
    legacySenders: legacy?.n ?? 0,
    legacyMessages: legacy?.hits ?? 0,
    estimated: (legacy?.est ?? 0) === 1,
    periods,
    overlapping: overlap?.n ?? 0,
    listed,
  };
}

function readConnectors(db: Db, since: string, until: string, limit: number): ExoSection['connectors'] {
  const inWindow = `day >= ? AND day <= ?`;
  const t = db
    .prepare<[string, string], { n: number; first: string | null; last: string | null; messages: number | null }>(
      `SELECT count(DISTINCT connector || char(31) || connector_type || char(31) || direction) AS n, min(day) AS first,
         max(day) AS last, sum(volume) AS messages FROM exo_connector WHERE ${inWindow}`,
    )
    .get(since, until);
  if (!t || t.n === 0 || t.first === null || t.last === null) return null;
  const byConnector = `SELECT connector, connector_type AS type, direction, sum(volume) AS volume, sum(tls10) AS tls10,
      sum(tls11) AS tls11, sum(no_tls) AS noTls, max(estimated) AS estimated
    FROM exo_connector WHERE ${inWindow} GROUP BY connector, connector_type, direction HAVING sum(tls10) + sum(tls11) > 0`;
  const legacy = db
    .prepare<[string, string], { n: number; hits: number | null; est: number | null }>(
      `SELECT count(*) AS n, sum(tls10 + tls11) AS hits, max(estimated) AS est FROM (${byConnector})`,
    )
    .get(since, until);
  const listed = db
    .prepare<[string, string, number], Omit<ExoConnector, 'share' | 'estimated'> & { estimated: number }>(
      `${byConnector} ORDER BY tls10 + tls11 DESC, connector LIMIT ?`,
    )
    .all(since, until, limit)
    .map((c) => ({ ...c, estimated: c.estimated === 1, share: c.volume > 0 ? (c.tls10 + c.tls11) / c.volume : 0 }));
  return {
    connectors: t.n,
    firstDay: t.first,
    lastDay: t.last,
    messages: t.messages ?? 0,
    legacyConnectors: legacy?.n ?? 0,
    legacyMessages: legacy?.hits ?? 0,
    estimated: (legacy?.est ?? 0) === 1,
    listed,
  };
}

const WIDTH = 100;
const est = (n: number, estimated: boolean): string => (estimated ? '~' : '') + num(n);
const versions = (tls10: number, tls11: number): string => [tls10 > 0 ? '1.0' : '', tls11 > 0 ? '1.1' : ''].filter(Boolean).join('+');

const PERIOD_FROM: Record<PeriodSource, string> = {
  option: 'from --period',
  'file name': 'from the file name',
  'file modified': "the file's modification day, as the export holds no dates: give --period START..END",
};

export function periodText(p: ExoPeriod): string {
  const days = p.start === p.end ? p.start : `${p.start}..${p.end}`;
  return `${days} (${PERIOD_FROM[p.source]}; ${num(p.senders)} sender${p.senders === 1 ? '' : 's'})`;
}

/** Text lines of the section (empty when there is nothing to say), at most 100 columns wide. */
export function formatExoSection(s: ExoSection | null | undefined): string[] {
  if (!s) return [];
  const out: string[] = [];
  const a = s.smtpAuth;
  if (a !== null) {
    out.push('');
    out.push(
      `Exchange Online SMTP AUTH senders on TLS 1.0/1.1: ${num(a.legacySenders)} of ${num(a.senders)}, ` +
        `${est(a.legacyMessages, a.estimated)} of ${num(a.messages)} messages`,
    );
    for (const p of a.periods) out.push(...wrapWords(`period ${clean(periodText(p))}`, WIDTH - 4).map((l, i) => (i ? '    ' : '  ') + l));
    if (a.overlapping > 0) {
      out.push(`  ${num(a.overlapping)} sender(s) appear in overlapping periods: their messages count once per period.`);
    }
    if (a.estimated) out.push('  ~ estimated: derived from the percentages of the export (rounded to add up to the total)');
    if (a.listed.length > 0) {
      out.push(`  ${padL('legacy', 9)} ${padL('share', 6)} ${pad('tls', 7)} ${padL('messages', 9)}  sender`);
      for (const x of a.listed) {
        out.push(
          `  ${padL(est(x.tls10 + x.tls11, x.estimated), 9)} ${padL(pct(x.share), 6)} ${pad(versions(x.tls10, x.tls11), 7)} ` +
            `${padL(num(x.messages), 9)}  ${clean(x.sender, WIDTH - 38)}`,
        );
      }
      if (a.legacySenders > a.listed.length) {
        out.push(`  … ${num(a.legacySenders - a.listed.length)} more: SELECT * FROM exo_smtp_auth WHERE tls10 + tls11 > 0`);
      }
    }
  }
  const c = s.connectors;
  if (c !== null) {
    out.push('');
    const days = c.firstDay === c.lastDay ? c.firstDay : `${c.firstDay}..${c.lastDay}`;
    out.push(
      `Exchange Online connectors on TLS 1.0/1.1 (${days}): ${num(c.legacyConnectors)} of ${num(c.connectors)}, ` +
        `${est(c.legacyMessages, c.estimated)} of ${num(c.messages)} messages`,
    );
    if (c.estimated) out.push('  ~ estimated: derived from the percentages of the export (rounded to add up to the volume)');
    if (c.listed.length > 0) {
      out.push(`  ${padL('legacy', 9)} ${padL('share', 6)} ${pad('tls', 7)} ${pad('direction', 9)} ${pad('type', 12)} connector`);
      for (const x of c.listed) {
        out.push(
          `  ${padL(est(x.tls10 + x.tls11, x.estimated), 9)} ${padL(pct(x.share), 6)} ${pad(versions(x.tls10, x.tls11), 7)} ` +
            `${pad(x.direction || '-', 9)} ${pad(clean(x.type || '-', 12), 12)} ${clean(x.connector, WIDTH - 50)}`,
        );
      }
      if (c.legacyConnectors > c.listed.length) {
        out.push(`  … ${num(c.legacyConnectors - c.listed.length)} more: SELECT * FROM exo_connector WHERE tls10 + tls11 > 0`);
      }
    }
  }
  if (s.unusable.length > 0) {
    out.push('');
    out.push('Exchange Online exports not used (a needed column is missing):');
    for (const u of s.unusable) {
      out.push(clean(`  ${u.path}:`, WIDTH));
      for (const line of wrapWords(clean(u.message), WIDTH - 4)) out.push(`    ${line}`);
    }
  }
  return out;
}

/** --redact: sender addresses become the same pseudonyms as user names elsewhere in the report. */
export function redactExoSection(s: ExoSection | null | undefined, user: (v: string) => string): ExoSection | null {
  if (!s) return null;
  const a = s.smtpAuth;
  return { ...s, smtpAuth: a === null ? null : { ...a, listed: a.listed.map((x) => ({ ...x, sender: user(x.sender) })) } };
}
