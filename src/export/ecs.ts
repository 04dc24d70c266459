// One `usage` row → one Elastic Common Schema document (pure; no database, no I/O).
// ECS names where ECS has a field for the fact, our own under `tls_census.*`; NULL columns are left out.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { dimsKey } from '../aggregate/usage.js';
import { dimsOfColumns, type UsageTableRow } from '../aggregate/usage-dims.js';
import { ENTRA_LEGACY_LABEL, ENTRA_MODERN_LABEL } from '../tls/legacy.js';

export { USAGE_COLUMNS, type UsageTableRow } from '../aggregate/usage-dims.js';

/** The ECS version whose field definitions these documents follow (every field used exists since 1.5). */
export const ECS_VERSION = '8.11.0';
export const ECS_DATASET = 'tls_census.usage';

/** Our protocol labels → ECS `tls.version` / `tls.version_protocol`; labels absent here get no version. */
export const TLS_VERSIONS = {
  'SSL 2.0': { version: '2.0', protocol: 'ssl' },
  'SSL 3.0': { version: '3.0', protocol: 'ssl' },
  'TLS 1.0': { version: '1.0', protocol: 'tls' },
  'TLS 1.1': { version: '1.1', protocol: 'tls' },
  'TLS 1.2': { version: '1.2', protocol: 'tls' },
  'TLS 1.3': { version: '1.3', protocol: 'tls' },
} as const satisfies Record<string, { version: string; protocol: 'tls' | 'ssl' }>;

export interface EcsTls {
  readonly version?: string;
  readonly version_protocol?: 'tls' | 'ssl';
  readonly established?: boolean;
  readonly cipher?: string;
}

export interface EcsUsageDocument {
  readonly '@timestamp': string;
  readonly ecs: { readonly version: string };
  readonly event: {
    readonly kind: 'metric';
    readonly module: 'tls_census';
    readonly dataset: typeof ECS_DATASET;
    readonly start: string;
    readonly end: string;
  };
  readonly tls?: EcsTls;
  readonly client?: { readonly ip?: string; readonly address: string };
  readonly server?: { readonly address: string };
  readonly user?: { readonly name: string };
  readonly user_agent?: { readonly original: string };
  readonly tls_census: Readonly<Record<string, string | number | boolean>>;
}

/** The row's identity as the aggregator keys it; the same row in any later export gets the same id. */
export function usageRowId(row: UsageTableRow): string {
  const dims = dimsOfColumns(row);
  // 128 bits of SHA-256: short enough for an _id, far from any collision at billions of rows.
  return createHash('sha256').update(dimsKey(dims), 'utf8').digest('hex').slice(0, 32);
}

/** The address when it is an IP; an IPv6 zone (`fe80::1%3`) is dropped, as Elasticsearch's `ip` type refuses it. */
export function ecsIp(address: string): string | undefined {
  if (isIP(address) !== 0) {
    const zone = address.indexOf('%');
    return zone < 0 ? address : address.slice(0, zone);
  }
  return undefined;
}

/** "ECDHE AES-256 SHA-384": key exchange, bulk cipher, MAC hash as Schannel reported them (not an IANA suite name). */
function cipherText(row: UsageTableRow): string | undefined {
  if (row.cipher === null) return undefined;
  return [row.key_exchange, row.cipher, row.hash].filter((p): p is string => p !== null).join(' ');
}

function tlsFields(row: UsageTableRow): EcsTls | undefined {
  const known = Object.hasOwn(TLS_VERSIONS, row.protocol)
    ? TLS_VERSIONS[row.protocol as keyof typeof TLS_VERSIONS]
    : undefined;
  const cipher = cipherText(row);
  const tls: { -readonly [K in keyof EcsTls]: EcsTls[K] } = {};
  if (known) {
    tls.version = known.version;
    tls.version_protocol = known.protocol;
    tls.established = true;
  } else if (row.protocol === ENTRA_LEGACY_LABEL || row.protocol === ENTRA_MODERN_LABEL) {
    tls.version_protocol = 'tls'; // an Entra ID sign-in over TLS whose version the log does not name
    tls.established = true;
  } else if (row.protocol === 'failed') {
    tls.established = false;
  }
  if (cipher !== undefined) tls.cipher = cipher;
  return Object.keys(tls).length > 0 ? tls : undefined;
}

function censusFields(row: UsageTableRow, rowId: string): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {
    row_id: rowId,
    day: row.day,
    source: row.source,
    protocol: row.protocol,
    hits: row.hits,
    auth_failures: row.auth_failures,
    errors: row.errors,
    internal: row.internal !== 0,
    estimated: row.estimated !== 0,
  };
  const optional = {
    site: row.site,
    endpoint: row.endpoint,
    proxy_ip: row.proxy_ip,
    protocol_code: row.protocol_code,
    cipher: row.cipher,
    cipher_code: row.cipher_code,
    hash: row.hash,
    hash_code: row.hash_code,
    key_exchange: row.key_exchange,
    key_exchange_code: row.key_exchange_code,
    detail: row.detail,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== null) out[key] = value;
  return out;
}

/**
 * `@timestamp` is last_seen: a row is one day of one client, and the last sighting is what "still uses
 * TLS 1.0" asks about; a re-export after more scanning moves the same document forward in time.
 */
export function toEcsDocument(row: UsageTableRow, rowId: string = usageRowId(row)): EcsUsageDocument {
  const tls = tlsFields(row);
  const ip = row.client_ip === null ? undefined : ecsIp(row.client_ip);
  return {
    '@timestamp': row.last_seen,
    ecs: { version: ECS_VERSION },
    event: { kind: 'metric', module: 'tls_census', dataset: ECS_DATASET, start: row.first_seen, end: row.last_seen },
    ...(tls ? { tls } : {}),
    ...(row.client_ip !== null ? { client: ip !== undefined ? { ip, address: row.client_ip } : { address: row.client_ip } } : {}),
    ...(row.server !== null ? { server: { address: row.server } } : {}),
    ...(row.username !== null ? { user: { name: row.username } } : {}),
    ...(row.user_agent !== null ? { user_agent: { original: row.user_agent } } : {}),
    tls_census: censusFields(row, rowId),
  };
}

/** The `_bulk` action line that precedes a document: index (create or replace) by row id. */
export function bulkActionLine(index: string, rowId: string): string {
  return JSON.stringify({ index: { _index: index, _id: rowId } });
}
