// Fills the clients table: every stored user agent (table user_agents) not classified by the current
// CLASSIFIER_VERSION is identified and upserted, in one transaction. Called at the end of each scan and before
// each report.
import { existsSync, statSync } from 'node:fs';
import { openDatabase, type Db } from './open-database.js';
import { CLASSIFIER_VERSION, identify } from '../clients/identify.js';

function hasClientsTable(db: Db): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'clients'`).get() !== undefined;
}

/**
 * User agents not yet classified by this classifier version (new ones, or stored by an older tls-census), among those
 * stored with an id above `after` (default: all).
 */
export function unclassifiedUserAgents(db: Db, after = 0): string[] {
  if (!hasClientsTable(db)) return [];
  return db
    .prepare<[number, number], string>(
      `SELECT a.user_agent FROM user_agents a LEFT JOIN clients c ON c.user_agent = a.user_agent
       WHERE a.id > ? AND (c.user_agent IS NULL OR c.classifier <> ?)`,
    )
    .pluck()
    .all(after, CLASSIFIER_VERSION);
}

/** The highest id in user_agents (0 when empty): what a later classifyUserAgents(db, after) need not look at again. */
export function lastUserAgentId(db: Db): number {
  return (db.prepare(`SELECT max(id) FROM user_agents`).pluck().get() as number | null) ?? 0;
}

/**
 * Classifies what is missing, among the user agents stored with an id above `after` (default: all: a scan looks at
 * all once, then at those its later commits add); returns how many user agents were (re)classified. Needs a writable
 * database.
 */
export function classifyUserAgents(db: Db, after = 0): number {
  const missing = unclassifiedUserAgents(db, after);
  if (missing.length === 0) return 0;
  const upsert = db.prepare(`
    INSERT INTO clients (user_agent, client, family, version, os, tls12_capable, hint, noise, rule, classifier)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (user_agent) DO UPDATE SET client = excluded.client, family = excluded.family,
      version = excluded.version, os = excluded.os, tls12_capable = excluded.tls12_capable, hint = excluded.hint,
      noise = excluded.noise, rule = excluded.rule, classifier = excluded.classifier`);
  db.transaction(() => {
    for (const ua of missing) {
      const c = identify(ua);
      upsert.run(ua, c.client, c.family, c.version, c.os, c.tls12Capable, c.hint, c.noise, c.rule, CLASSIFIER_VERSION);
    }
  }).immediate();
  return missing.length;
}

/**
 * Before a read-only report: brings an existing database to the current schema and classification.
 * Best effort: a database that cannot be written now (read-only file, a scan holding the lock) is left
 * as it is, and the view shows "(not classified yet)" for the user agents it lacks.
 */
export function refreshClients(path: string): boolean {
  if (!existsSync(path) || statSync(path).size === 0) return false;
  let db: Db;
  try {
    db = openDatabase(path, { busyTimeoutMs: 2_000 });
  } catch {
    return false;
  }
  try {
    classifyUserAgents(db);
    return true;
  } catch {
    return false;
  } finally {
    db.close();
  }
}
