// Builds small report databases for the tests: the real schema (all migrations), rows given as `usage` columns with
// defaults, stored through the Store as a scan stores them (writeUsage).
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { tempDir, writeUsage } from '../helpers.js';

export interface UsageSpec {
  day?: string;
  source?: string;
  server?: string | null;
  site?: string | null;
  client_ip?: string | null;
  username?: string | null;
  user_agent?: string | null;
  endpoint?: string | null;
  protocol?: string;
  protocol_code?: string | null;
  internal?: number;
  hits?: number;
  auth_failures?: number;
  errors?: number;
}

export function insertUsage(db: Db, rows: readonly UsageSpec[]): void {
  writeUsage(db, rows.map((r) => {
    const day = r.day ?? '2024-03-11';
    return {
      day,
      source: r.source ?? 'iis',
      server: r.server === undefined ? 'EXCH01' : r.server,
      site: r.site === undefined ? 'W3SVC1' : r.site,
      client_ip: r.client_ip === undefined ? '10.0.0.1' : r.client_ip,
      username: r.username === undefined ? 'CONTOSO\\alice' : r.username,
      user_agent: r.user_agent === undefined ? 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)' : r.user_agent,
      endpoint: r.endpoint === undefined ? 'OWA' : r.endpoint,
      protocol: r.protocol ?? 'TLS 1.2',
      protocol_code: r.protocol_code === undefined ? '400' : r.protocol_code,
      internal: r.internal ?? 0,
      hits: r.hits ?? 1,
      auth_failures: r.auth_failures ?? 0,
      errors: r.errors ?? 0,
      first_seen: `${day}T08:00:00Z`,
      last_seen: `${day}T17:00:00Z`,
    };
  }));
}

/** A fresh database file with these usage rows; returns its path (closed) . */
export function buildDb(rows: readonly UsageSpec[], prepare?: (db: Db) => void): string {
  const path = join(tempDir('tls-census-report-'), 'report.db');
  const db = openDatabase(path);
  try {
    insertUsage(db, rows);
    prepare?.(db);
  } finally {
    db.close();
  }
  return path;
}

/**
 * Replaces legacy_clients with one whose identification columns follow simple test rules, so the report tests
 * do not depend on the client rules: "AMProbe…" is noise, "Legacy…" cannot do TLS 1.2.
 */
export function testIdentificationView(db: Db): void {
  db.exec(`
DROP VIEW IF EXISTS legacy_clients;
CREATE VIEW legacy_clients AS
SELECT source, client_ip, username, user_agent,
  sum(CASE WHEN protocol IN ('SSL 2.0','SSL 3.0','TLS 1.0','TLS 1.1') THEN hits ELSE 0 END) AS legacy_hits,
  CASE WHEN user_agent LIKE 'Legacy%' THEN 'Legacy App' ELSE 'Some client' END AS client,
  CASE WHEN user_agent LIKE 'Legacy%' THEN 'no' ELSE 'unknown' END AS tls12_capable,
  CASE WHEN user_agent LIKE 'AMProbe%' THEN 'managed-availability' END AS noise,
  CASE WHEN user_agent LIKE 'Legacy%' THEN 'replace the app' END AS hint
FROM usage GROUP BY source, client_ip, username, user_agent HAVING legacy_hits > 0;`);
}
