// Views built from live rule code (the legacy set, client identification, noise classes, hints, weak crypto):
// legacy_clients, weak_crypto and legacy_people, recreated after the migrations whenever their SQL text changes, so
// existing and new databases end the same.
// The version is the text's own hash (meta.derived_views): an edit to a rule cannot forget to bump it.
// They read usage_rows and usage_keys themselves (store/usage-by-key.ts), not the view usage: a later migration that
// renames or drops either table drops these views first (migrate() recreates them at its end).
import { createHash } from 'node:crypto';
import { legacyClientsView, weakCryptoView } from '../clients/schema.js';
import { metaValue, setMeta } from './meta.js';
import { legacyPeopleView } from './people-view.js';
import { USAGE_BY_KEY } from './usage-by-key.js';
import type { Db } from './db.js';

/** The views' SQL; `usageByKey` the WITH term they read the usage rows through (store/usage-by-key.ts). */
export const derivedViewsSql = (usageByKey: string): string => `
DROP VIEW IF EXISTS legacy_clients;
${legacyClientsView(usageByKey)}
DROP VIEW IF EXISTS weak_crypto;
${weakCryptoView(usageByKey)}
DROP VIEW IF EXISTS legacy_people;
${legacyPeopleView(usageByKey)}
`;

const SQL = derivedViewsSql(USAGE_BY_KEY);

type DerivedView = 'legacy_clients' | 'weak_crypto';
const VIEWS: Record<DerivedView, (usageByKey: string) => string> = { legacy_clients: legacyClientsView, weak_crypto: weakCryptoView };
/** A view's CREATE statement as sqlite_master keeps it: from CREATE to before the semicolon. */
const statement = (name: DerivedView, usageByKey: string): string => VIEWS[name](usageByKey).trim().replace(/;$/, '');

/** Whether the database's view `name` is, word for word, the one these rules make. */
export function derivedViewCurrent(db: Db, name: DerivedView): boolean {
  const sql = db.prepare<[string], string>(`SELECT sql FROM sqlite_master WHERE type = 'view' AND name = ?`).pluck().get(name);
  return sql === statement(name, USAGE_BY_KEY);
}

/** The SELECT of view `name` as these rules make it, reading the usage rows per key through `usageByKey` instead. */
export function derivedViewSelect(name: DerivedView, usageByKey: string): string {
  return statement(name, usageByKey).replace(/^CREATE VIEW \w+ AS\s*/, '');
}

export const DERIVED_VIEWS_VERSION = createHash('sha256').update(SQL).digest('hex').slice(0, 16);
const KEY = 'derived_views';

/** Whether the views of this database were built by other rules than these (or not built yet). */
export function derivedViewsStale(db: Db): boolean {
  return metaValue(db, KEY) !== DERIVED_VIEWS_VERSION;
}

/** Recreates the views; the caller holds the write transaction (the views and their version change together). */
export function recreateDerivedViews(db: Db): void {
  db.exec(SQL);
  setMeta(db, KEY, DERIVED_VIEWS_VERSION);
}
