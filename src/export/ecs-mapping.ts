// Every field an exported ECS document can carry, as data: its index type and the `usage` column it comes from.
// Builds the Elasticsearch/OpenSearch index mapping (dynamic mapping would make client.ip text, not ip).

export type EcsFieldType = 'date' | 'keyword' | 'ip' | 'long' | 'boolean';

export interface EcsFieldDef {
  readonly type: EcsFieldType;
  /** Where the value comes from, as the README table shows it. */
  readonly from: string;
}

export const ECS_FIELDS = {
  '@timestamp': { type: 'date', from: '`last_seen`' },
  'ecs.version': { type: 'keyword', from: 'the ECS version followed' },
  'event.kind': { type: 'keyword', from: '`metric` (a row counts events, it is not one)' },
  'event.module': { type: 'keyword', from: '`tls_census`' },
  'event.dataset': { type: 'keyword', from: '`tls_census.usage`' },
  'event.start': { type: 'date', from: '`first_seen`' },
  'event.end': { type: 'date', from: '`last_seen`' },
  'tls.version': { type: 'keyword', from: '`protocol`: `2.0`, `3.0`, `1.0`, `1.1`, `1.2`, `1.3`; absent for `none`, `failed`, `unknown` and the Entra ID labels `TLS 1.0/1.1 or 3DES` and `TLS 1.2+` (the version is not known)' },
  'tls.version_protocol': { type: 'keyword', from: '`protocol`: `ssl` for SSL 2.0/3.0, `tls` for TLS (also the Entra ID labels)' },
  'tls.established': { type: 'boolean', from: '`protocol`: true for a version, false for `failed`' },
  'tls.cipher': { type: 'keyword', from: '`key_exchange` `cipher` `hash` joined by spaces (`ECDHE AES-256 SHA-384`)' },
  'client.ip': { type: 'ip', from: '`client_ip` when it is an IP address (an IPv6 zone `%3` dropped)' },
  'client.address': { type: 'keyword', from: '`client_ip` as logged' },
  'server.address': { type: 'keyword', from: '`server`' },
  'user.name': { type: 'keyword', from: '`username`' },
  'user_agent.original': { type: 'keyword', from: '`user_agent`' },
  'tls_census.row_id': { type: 'keyword', from: 'SHA-256 of the row key (all key columns), 32 hex digits; also the `_id`' },
  'tls_census.day': { type: 'date', from: '`day` (UTC)' },
  'tls_census.source': { type: 'keyword', from: '`source`' },
  'tls_census.site': { type: 'keyword', from: '`site`' },
  'tls_census.endpoint': { type: 'keyword', from: '`endpoint`' },
  'tls_census.proxy_ip': { type: 'keyword', from: '`proxy_ip`' },
  'tls_census.protocol': { type: 'keyword', from: '`protocol` (`TLS 1.0`, `TLS 1.0/1.1 or 3DES`, `none`, `failed`, …)' },
  'tls_census.protocol_code': { type: 'keyword', from: '`protocol_code`' },
  'tls_census.cipher': { type: 'keyword', from: '`cipher`' },
  'tls_census.cipher_code': { type: 'keyword', from: '`cipher_code`' },
  'tls_census.hash': { type: 'keyword', from: '`hash`' },
  'tls_census.hash_code': { type: 'keyword', from: '`hash_code`' },
  'tls_census.key_exchange': { type: 'keyword', from: '`key_exchange`' },
  'tls_census.key_exchange_code': { type: 'keyword', from: '`key_exchange_code`' },
  'tls_census.detail': { type: 'keyword', from: '`detail`' },
  'tls_census.internal': { type: 'boolean', from: '`internal`' },
  'tls_census.estimated': { type: 'boolean', from: '`estimated`' },
  'tls_census.hits': { type: 'long', from: '`hits`' },
  'tls_census.auth_failures': { type: 'long', from: '`auth_failures`' },
  'tls_census.errors': { type: 'long', from: '`errors`' },
} as const satisfies Record<string, EcsFieldDef>;

export type EcsFieldPath = keyof typeof ECS_FIELDS;

interface MappingNode {
  type?: EcsFieldType;
  ignore_above?: number;
  properties?: Record<string, MappingNode>;
}

/**
 * The body of `PUT /<index>`: ECS types, keywords capped at 1024 characters as ECS does (a longer
 * value is stored but not indexed, instead of failing the whole document on Lucene's term limit).
 */
export function indexMapping(): { mappings: { properties: Record<string, MappingNode> } } {
  const root: Record<string, MappingNode> = {};
  for (const [path, def] of Object.entries(ECS_FIELDS)) {
    const parts = path.split('.');
    let level = root;
    for (const part of parts.slice(0, -1)) {
      level[part] ??= { properties: {} };
      level = level[part].properties ??= {};
    }
    level[parts[parts.length - 1]] = def.type === 'keyword' ? { type: 'keyword', ignore_above: 1024 } : { type: def.type };
  }
  return { mappings: { properties: root } };
}
