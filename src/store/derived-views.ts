// Views built from live rule code (the legacy set, client identification, noise classes, hints, weak crypto):
// legacy_clients, weak_crypto and legacy_people, recreated after the migrations whenever their SQL text changes, so
// existing and new databases end the same.
// The version is the text's own hash (meta.derived_views): an edit to a rule cannot forget to bump it.
import { createHash } from 'node:crypto';
import { LEGACY_CLIENTS_VIEW, WEAK_CRYPTO_VIEW } from '../clients/schema.js';
import { metaValue, setMeta } from './meta.js';
import { LEGACY_PEOPLE_VIEW } from './people-view.js';
import type { Db } from './db.js';

const SQL = `
DROP VIEW IF EXISTS legacy_clients;
${LEGACY_CLIENTS_VIEW}
DROP VIEW IF EXISTS weak_crypto;
${WEAK_CRYPTO_VIEW}
DROP VIEW IF EXISTS legacy_people;
${LEGACY_PEOPLE_VIEW}
`;

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
