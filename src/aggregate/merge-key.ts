// The merge key of a usage row: 16 bytes of SHA-256 over its key columns in a frozen order, null as ''. merge_rows
// (merge.ts) keys its snapshots with it, and entra_signins.row_key (schema 11) names the row a sign-in was counted
// in, so a merge can add each sign-in to its row. Never changed, even when a dimension is added: stored keys hold
// these columns (a new column would need a new kind of key, not an edit here).
import { createHash } from 'node:crypto';
import { DIM_COLUMNS, type KeyColumn, type UsageDims } from './usage-dims.js';

const MERGE_KEY_COLUMNS = [
  'day', 'source', 'server', 'site', 'client_ip', 'proxy_ip', 'username', 'user_agent', 'endpoint', 'protocol',
  'protocol_code', 'cipher', 'cipher_code', 'hash', 'hash_code', 'key_exchange', 'key_exchange_code', 'detail', 'internal',
] as const satisfies readonly KeyColumn[];

/** The merge key of a row of the view `usage` (as SQLite returns it, or as merge reads another database). */
export function rowKey(r: { readonly [C in KeyColumn]?: unknown }): Buffer {
  const h = createHash('sha256');
  for (const c of MERGE_KEY_COLUMNS) h.update(`${(r[c] as string | number | null | undefined) ?? ''}\u001f`);
  return h.digest().subarray(0, 16);
}

const DIM_OF_COLUMN = Object.fromEntries(Object.entries(DIM_COLUMNS).map(([k, c]) => [c, k])) as Record<KeyColumn, keyof UsageDims>;

/** The same key from dims, as a reader holds them (before they are stored). */
export function dimsRowKey(d: UsageDims): Buffer {
  const h = createHash('sha256');
  for (const c of MERGE_KEY_COLUMNS) h.update(`${d[DIM_OF_COLUMN[c]] ?? ''}\u001f`);
  return h.digest().subarray(0, 16);
}
