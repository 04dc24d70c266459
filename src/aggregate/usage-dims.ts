// The dimensions of a usage row: the one list, in key order, with the column of the `usage` view each one is, and
// one constructor with defaults (text dimensions NULL, `internal` 0). Aggregate, store, merge and export derive
// their field and column lists from DIM_COLUMNS; formats build dims with usageDims().

export interface UsageDims {
  readonly day: string; // YYYY-MM-DD, UTC
  readonly source: string; // iis, smtp-receive, …
  readonly server: string | null;
  readonly site: string | null;
  readonly clientIp: string | null;
  readonly proxyIp: string | null;
  readonly username: string | null;
  readonly userAgent: string | null;
  readonly endpoint: string | null;
  readonly protocol: string; // a ProtocolLabel
  readonly protocolCode: string | null; // as logged
  readonly cipher: string | null;
  readonly cipherCode: string | null;
  readonly hash: string | null;
  readonly hashCode: string | null;
  readonly keyExchange: string | null;
  readonly keyExchangeCode: string | null;
  readonly detail: string | null; // error of a failed handshake, HTTP.sys reason, …
  readonly internal: 0 | 1; // server-to-server traffic (Exchange back end, internal SMTP hops)
}

/** Each dimension → its column of the view `usage`, in key order (the order of every key and ORDER BY). */
export const DIM_COLUMNS = {
  day: 'day',
  source: 'source',
  server: 'server',
  site: 'site',
  clientIp: 'client_ip',
  proxyIp: 'proxy_ip',
  username: 'username',
  userAgent: 'user_agent',
  endpoint: 'endpoint',
  protocol: 'protocol',
  protocolCode: 'protocol_code',
  cipher: 'cipher',
  cipherCode: 'cipher_code',
  hash: 'hash',
  hashCode: 'hash_code',
  keyExchange: 'key_exchange',
  keyExchangeCode: 'key_exchange_code',
  detail: 'detail',
  internal: 'internal',
} as const satisfies { readonly [K in keyof UsageDims]-?: string };

export type DimKey = keyof typeof DIM_COLUMNS;
export type KeyColumn = (typeof DIM_COLUMNS)[DimKey];

export const DIM_KEYS = Object.keys(DIM_COLUMNS) as readonly DimKey[];
/** The key columns of `usage`, in key order. */
export const KEY_COLUMNS = DIM_KEYS.map((k) => DIM_COLUMNS[k]) as readonly KeyColumn[];
/** The counter columns of `usage`, after the key columns. */
export const COUNTER_COLUMNS = ['hits', 'auth_failures', 'errors', 'estimated', 'first_seen', 'last_seen'] as const;
/** Every column of `usage`, in order. */
export const USAGE_COLUMNS = [...KEY_COLUMNS, ...COUNTER_COLUMNS] as const;

/** A usage row's key as `usage` columns (SQLite returns `internal` as a number). */
export type KeyColumnValues = {
  readonly [K in DimKey as (typeof DIM_COLUMNS)[K]]: K extends 'internal' ? number : UsageDims[K];
};

/** A row of the view `usage` as SQLite returns it. */
export type UsageTableRow = KeyColumnValues & {
  readonly hits: number;
  readonly auth_failures: number;
  readonly errors: number;
  readonly estimated: number;
  readonly first_seen: string;
  readonly last_seen: string;
};

/**
 * Dims with every dimension not given NULL (`internal` 0); day, source and protocol are always given. One literal
 * (every row's dims have one shape) rather than a spread of defaults: Exchange makes one per session (measured).
 */
export function usageDims(given: Partial<UsageDims> & Pick<UsageDims, 'day' | 'source' | 'protocol'>): UsageDims {
  const g = given;
  return {
    day: g.day, source: g.source, server: g.server ?? null, site: g.site ?? null, clientIp: g.clientIp ?? null,
    proxyIp: g.proxyIp ?? null, username: g.username ?? null, userAgent: g.userAgent ?? null, endpoint: g.endpoint ?? null,
    protocol: g.protocol, protocolCode: g.protocolCode ?? null, cipher: g.cipher ?? null, cipherCode: g.cipherCode ?? null,
    hash: g.hash ?? null, hashCode: g.hashCode ?? null, keyExchange: g.keyExchange ?? null,
    keyExchangeCode: g.keyExchangeCode ?? null, detail: g.detail ?? null, internal: g.internal ?? 0,
  };
}

/** Dims of a row read from `usage` (or a database being merged); columns left out are NULL. */
export function dimsOfColumns(row: Partial<KeyColumnValues> & Pick<KeyColumnValues, 'day' | 'source' | 'protocol'>): UsageDims {
  const d: Record<string, unknown> = {};
  for (const k of DIM_KEYS) d[k] = row[DIM_COLUMNS[k]] ?? null;
  d.internal = row.internal ? 1 : 0;
  return d as unknown as UsageDims;
}
