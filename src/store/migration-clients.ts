// Schema version 4 (client identification): the clients table, legacy_clients with client, tls12_capable, noise,
// hint and friends, and the weak_crypto view. The SQL lives with the rules in src/clients/schema.ts.
import { CLIENTS_MIGRATION_SQL } from '../clients/schema.js';
import type { Migration } from './migrations.js';

export const CLIENTS_MIGRATION: Migration = {
  version: 4,
  name: 'clients, legacy_clients with client identification, weak_crypto',
  sql: CLIENTS_MIGRATION_SQL,
};
