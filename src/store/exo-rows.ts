// Writes Exchange Online report rows by identity, and their usage rows (aggregate/exo-usage.ts decides them), inside
// the caller's transaction. Per identity: a newer (or equally new) export replaces the report row and its usage rows;
// an older one is ignored.
import type { BucketValues, ConnectorReportRow, ReportRow, SmtpAuthReportRow } from '../aggregate/report-rows.js';
import { exoUsage, type IdentityDim } from '../aggregate/exo-usage.js';
import { DIM_COLUMNS } from '../aggregate/usage-dims.js';
import type { Statement } from 'better-sqlite3';
import type { Db } from './open-database.js';
import type { UsageRowWriter } from './usage-rows.js';

const pcts = (p: BucketValues) => [p.tls10, p.tls11, p.tls12, p.tls13];

export class ExoRowWriter {
  private readonly q;
  /** Deletes the usage rows of one identity, by the dimensions that make it (exo-usage.ts). */
  private readonly deletes = new Map<string, Statement>();
  /** Every row of an export has the same time: it is converted once (200,000 toISOString calls were 2% of a scan). */
  private lastMs = Number.NaN;
  private lastIso = '';

  constructor(
    private readonly db: Db,
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
      connOld: db.prepare<[string, string, string, string], { exported_at: string }>(
        `SELECT exported_at FROM exo_connector WHERE connector = ? AND day = ? AND connector_type = ? AND direction = ?`,
      ),
      connPut: db.prepare(`
        INSERT OR REPLACE INTO exo_connector (day, connector, connector_type, direction, forced_tls, volume, no_tls,
          tls10, tls11, tls12, tls13, unknown, no_tls_pct, tls10_pct, tls11_pct, tls12_pct, tls13_pct, estimated,
          file_id, line, exported_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
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
    const exported = this.iso(r.exportedMs);
    const old = q.smtpOld.get(r.sender, start, end);
    if (old && old.exported_at > exported) return false;
    const c = r.counts;
    q.smtpPut.run(r.sender, start, end, r.periodSource, r.domain, r.messages, c.tls10 ?? 0, c.tls11 ?? 0, c.tls12 ?? 0,
      c.tls13, c.unknown ?? 0, ...pcts(r.percents), r.estimated, fileId, r.line, exported);
    this.usage(r, old !== undefined);
    return true;
  }

  private connector(r: ConnectorReportRow, fileId: number): boolean {
    const q = this.q;
    const exported = this.iso(r.exportedMs);
    const old = q.connOld.get(r.connector, r.day, r.connectorType, r.direction);
    if (old && old.exported_at > exported) return false;
    const c = r.counts;
    const p = r.percents;
    q.connPut.run(r.day, r.connector, r.connectorType, r.direction, r.forcedTls, r.volume, c.none ?? 0, c.tls10 ?? 0,
      c.tls11 ?? 0, c.tls12 ?? 0, c.tls13, c.unknown ?? 0, p.none, ...pcts(p), r.estimated, fileId, r.line, exported);
    this.usage(r, old !== undefined);
    return true;
  }

  private iso(ms: number): string {
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastIso = new Date(Number.isFinite(ms) ? ms : 0).toISOString();
    }
    return this.lastIso;
  }

  /** The report row's usage rows, replacing those of the earlier export when there was one (`replaced`). */
  private usage(r: ReportRow, replaced: boolean): void {
    const u = exoUsage(r);
    if (replaced) {
      const dims = Object.keys(u.identity) as IdentityDim[];
      const ids = this.storedIds(dims.map((d) => u.identity[d] ?? null));
      if (ids) this.deleteStatement(dims).run(u.day, u.source, ...ids);
    }
    for (const row of u.rows) this.rows.replace(row);
  }

  /** DELETE of the usage rows of a day and source whose `dims` have the given string ids (column names from DIM_COLUMNS). */
  private deleteStatement(dims: readonly IdentityDim[]): Statement {
    const name = dims.join(' ');
    let st = this.deletes.get(name);
    if (st === undefined) {
      const match = dims.map((d) => ` AND ${DIM_COLUMNS[d]}_id = ?`).join('');
      st = this.db.prepare(`DELETE FROM usage_rows WHERE day = ? AND key_id IN (SELECT id FROM usage_keys WHERE source = ?${match})`);
      this.deletes.set(name, st);
    }
    return st;
  }

  /** The strings' ids (0 for NULL), or null when one is in no dictionary: then no row has it. */
  private storedIds(values: readonly (string | null)[]): number[] | null {
    const ids: number[] = [];
    for (const v of values) {
      const id = this.rows.strings.existing(v);
      if (id === undefined) return null;
      ids.push(id);
    }
    return ids;
  }
}
