// Writes Exchange Online report rows by identity and derives their usage rows, inside the caller's transaction.
// Per identity: a newer (or equally new) export replaces the report row and its usage rows; an older one is ignored.
import {
  BUCKET_PROTOCOL,
  TLS_BUCKETS,
  type BucketValues,
  type ConnectorReportRow,
  type ReportRow,
  type SmtpAuthReportRow,
} from '../aggregate/report-rows.js';
import { usageDims } from '../aggregate/usage-dims.js';
import type { Db } from './open-database.js';
import type { UsageRowWriter } from './usage-rows.js';

/** usage.server of every Exchange Online row. */
export const EXO_SERVER = 'Exchange Online';
/** usage.endpoint of SMTP AUTH rows. */
export const SMTP_AUTH_ENDPOINT = 'SMTP AUTH';
/** usage.protocol_code of the `unknown` bucket: messages of the total that no TLS column accounts for. */
export const NO_TLS_COLUMN = 'no TLS column';

/** usage.detail of a SMTP AUTH row: keeps two periods that end on the same day apart. */
export const periodDetail = (start: string, end: string): string => `period ${start}..${end}`;

let lastMs = Number.NaN;
let lastIso = '';
/** Every row of an export has the same time: convert it once (200,000 toISOString calls were 2% of a scan). */
function iso(ms: number): string {
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(Number.isFinite(ms) ? ms : 0).toISOString();
  }
  return lastIso;
}

const pcts = (p: BucketValues) => [p.tls10, p.tls11, p.tls12, p.tls13];

export class ExoRowWriter {
  private readonly q;

  constructor(
    db: Db,
    private readonly rows: UsageRowWriter,
  ) {
    this.q = {
      smtpOld: db.prepare<[string, string, string], { exported_at: string }>(
        `SELECT exported_at FROM exo_smtp_auth WHERE sender = ? AND period_start = ? AND period_end = ?`,
      ),
      smtpPut: db.prepare(`
        INSERT OR REPLACE INTO exo_smtp_auth (sender, period_start, period_end, period_source, domain, messages,
          tls10, tls11, tls12, tls13, unknown, tls10_pct, tls11_pct, tls12_pct, tls13_pct, estimated, file_id, line,
          exported_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      smtpUsageDel: db.prepare<[string, number, number]>(
        `DELETE FROM usage_rows WHERE day = ? AND key_id IN (SELECT id FROM usage_keys
           WHERE source = 'exo-smtp-auth' AND username_id = ? AND detail_id = ?)`,
      ),
      connOld: db.prepare<[string, string, string, string], { exported_at: string }>(
        `SELECT exported_at FROM exo_connector WHERE connector = ? AND day = ? AND connector_type = ? AND direction = ?`,
      ),
      connPut: db.prepare(`
        INSERT OR REPLACE INTO exo_connector (day, connector, connector_type, direction, forced_tls, volume, no_tls,
          tls10, tls11, tls12, tls13, unknown, no_tls_pct, tls10_pct, tls11_pct, tls12_pct, tls13_pct, estimated,
          file_id, line, exported_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      connUsageDel: db.prepare<[string, number, number, number]>(
        `DELETE FROM usage_rows WHERE day = ? AND key_id IN (SELECT id FROM usage_keys
           WHERE source = 'exo-connector' AND site_id = ? AND endpoint_id = ? AND detail_id = ?)`,
      ),
      older: db.prepare(`
        INSERT INTO diagnostics (file_id, code, count, first_line, message) VALUES (?, 'older_export', ?, ?, ?)
        ON CONFLICT (file_id, code) DO UPDATE SET count = count + excluded.count`),
    };
  }

  /** Must run inside a transaction (Store.commit's). Returns how many rows were kept from a newer export instead. */
  write(rows: readonly ReportRow[], fileId: number): number {
    let older = 0;
    let firstOlder = 0;
    for (const r of rows) {
      const applied = r.kind === 'exo-smtp-auth' ? this.smtpAuth(r, fileId) : this.connector(r, fileId);
      if (applied) continue;
      if (older++ === 0) firstOlder = r.line;
    }
    if (older > 0) {
      this.q.older.run(fileId, older, firstOlder,
        'a newer export of the same identity (sender and period, or connector and day) is already stored; row kept');
    }
    return older;
  }

  private smtpAuth(r: SmtpAuthReportRow, fileId: number): boolean {
    const q = this.q;
    const { start, end } = r.period;
    const exported = iso(r.exportedMs);
    const old = q.smtpOld.get(r.sender, start, end);
    if (old && old.exported_at > exported) return false;
    const detail = periodDetail(start, end);
    const stored = old ? this.storedIds(r.sender, detail) : null;
    if (stored) q.smtpUsageDel.run(end, stored[0], stored[1]);
    const c = r.counts;
    q.smtpPut.run(r.sender, start, end, r.periodSource, r.domain, r.messages, c.tls10 ?? 0, c.tls11 ?? 0, c.tls12 ?? 0,
      c.tls13, c.unknown ?? 0, ...pcts(r.percents), r.estimated, fileId, r.line, exported);
    this.usage('exo-smtp-auth', end, null, r.sender, SMTP_AUTH_ENDPOINT, detail, r, `${start}T00:00:00Z`, `${end}T23:59:59Z`);
    return true;
  }

  private connector(r: ConnectorReportRow, fileId: number): boolean {
    const q = this.q;
    const exported = iso(r.exportedMs);
    const old = q.connOld.get(r.connector, r.day, r.connectorType, r.direction);
    if (old && old.exported_at > exported) return false;
    // The usage rows' endpoint and detail are the type and direction, NULL when empty (see usage() below)
    const stored = old ? this.storedIds(r.connector, r.connectorType || null, r.direction || null) : null;
    if (stored) q.connUsageDel.run(r.day, stored[0], stored[1], stored[2]);
    const c = r.counts;
    const p = r.percents;
    q.connPut.run(r.day, r.connector, r.connectorType, r.direction, r.forcedTls, r.volume, c.none ?? 0, c.tls10 ?? 0,
      c.tls11 ?? 0, c.tls12 ?? 0, c.tls13, c.unknown ?? 0, p.none, ...pcts(p), r.estimated, fileId, r.line, exported);
    // The connector is also the row's `username`: it is the client here. Without one, legacy_clients would fold
    // every connector into a single row, and its noise rule would take a no-user, no-agent row for a health check.
    this.usage('exo-connector', r.day, r.connector, r.connector, r.connectorType || null, r.direction || null, r,
      `${r.day}T00:00:00Z`, `${r.day}T23:59:59Z`);
    return true;
  }

  /** The strings' ids (0 for NULL), or null when one is in no dictionary: then no row has it. */
  private storedIds(...values: (string | null)[]): number[] | null {
    const ids: number[] = [];
    for (const v of values) {
      const id = this.rows.strings.existing(v);
      if (id === undefined) return null;
      ids.push(id);
    }
    return ids;
  }

  /** One usage row per bucket with messages. */
  private usage(
    source: string,
    day: string,
    site: string | null,
    username: string | null,
    endpoint: string | null,
    detail: string | null,
    r: ReportRow,
    first: string,
    last: string,
  ): void {
    for (const b of TLS_BUCKETS) {
      const hits = r.counts[b];
      if (hits === null || hits <= 0) continue;
      const protocolCode = b === 'unknown' ? NO_TLS_COLUMN : null;
      this.rows.replace({
        dims: usageDims({
          day, source, server: EXO_SERVER, site, username, endpoint, protocol: BUCKET_PROTOCOL[b], protocolCode, detail,
        }),
        hits, authFailures: 0, errors: 0, estimated: r.estimated, firstSeen: first, lastSeen: last,
      });
    }
  }
}
