// The usage row → ECS document mapping, field by field, with the index mapping kept in step with it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ECS_FIELDS, indexMapping } from '../../src/export/ecs-mapping.js';
import { bulkActionLine, ecsIp, toEcsDocument, usageRowId, type UsageTableRow } from '../../src/export/ecs.js';

const TLS10: UsageTableRow = {
  day: '2024-03-11',
  source: 'iis',
  server: 'EXCH01',
  site: 'W3SVC1',
  client_ip: '10.30.2.41',
  proxy_ip: null,
  username: 'CONTOSO\\sdiaz',
  user_agent: 'MSRPC',
  endpoint: 'RPC',
  protocol: 'TLS 1.0',
  protocol_code: '40',
  cipher: 'AES-256',
  cipher_code: '6610',
  hash: 'SHA-1',
  hash_code: '8004',
  key_exchange: 'RSA',
  key_exchange_code: 'a400',
  detail: null,
  internal: 0,
  hits: 3,
  auth_failures: 1,
  errors: 0,
  estimated: 0,
  first_seen: '2024-03-11T00:00:03Z',
  last_seen: '2024-03-11T15:45:35Z',
};

const PLAIN: UsageTableRow = {
  ...TLS10,
  protocol: 'none',
  protocol_code: null,
  cipher: null,
  cipher_code: null,
  hash: null,
  hash_code: null,
  key_exchange: null,
  key_exchange_code: null,
};

/** Every leaf path of a document, "a.b.c" → value. */
function leaves(value: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      for (const [p, leaf] of leaves(v, prefix === '' ? k : `${prefix}.${k}`)) out.set(p, leaf);
    }
  } else {
    out.set(prefix, value);
  }
  return out;
}

describe('toEcsDocument', () => {
  it('maps a TLS 1.0 row to ECS names and keeps our own under tls_census', () => {
    const doc = toEcsDocument(TLS10);
    expect(doc).toEqual({
      '@timestamp': '2024-03-11T15:45:35Z',
      ecs: { version: '8.11.0' },
      event: {
        kind: 'metric',
        module: 'tls_census',
        dataset: 'tls_census.usage',
        start: '2024-03-11T00:00:03Z',
        end: '2024-03-11T15:45:35Z',
      },
      tls: { version: '1.0', version_protocol: 'tls', established: true, cipher: 'RSA AES-256 SHA-1' },
      client: { ip: '10.30.2.41', address: '10.30.2.41' },
      server: { address: 'EXCH01' },
      user: { name: 'CONTOSO\\sdiaz' },
      user_agent: { original: 'MSRPC' },
      tls_census: {
        row_id: usageRowId(TLS10),
        day: '2024-03-11',
        source: 'iis',
        site: 'W3SVC1',
        endpoint: 'RPC',
        protocol: 'TLS 1.0',
        protocol_code: '40',
        cipher: 'AES-256',
        cipher_code: '6610',
        hash: 'SHA-1',
        hash_code: '8004',
        key_exchange: 'RSA',
        key_exchange_code: 'a400',
        internal: false,
        estimated: false,
        hits: 3,
        auth_failures: 1,
        errors: 0,
      },
    });
  });

  it('writes SSL 3.0 and SSL 2.0 as version 3.0 / 2.0 of protocol ssl', () => {
    expect(toEcsDocument({ ...TLS10, protocol: 'SSL 3.0', protocol_code: '20' }).tls).toMatchObject({
      version: '3.0',
      version_protocol: 'ssl',
    });
    expect(toEcsDocument({ ...TLS10, protocol: 'SSL 2.0', protocol_code: '8' }).tls).toMatchObject({
      version: '2.0',
      version_protocol: 'ssl',
    });
    expect(toEcsDocument({ ...TLS10, protocol: 'TLS 1.3', protocol_code: '1000' }).tls).toMatchObject({
      version: '1.3',
      version_protocol: 'tls',
    });
  });

  it('gives plain HTTP no tls object at all, but keeps the protocol label', () => {
    const doc = toEcsDocument(PLAIN);
    expect(doc.tls).toBeUndefined();
    expect(doc.tls_census.protocol).toBe('none');
    expect(Object.keys(doc.tls_census)).not.toContain('cipher');
  });

  it('gives unknown no version, and failed handshakes tls.established false', () => {
    const unknown = toEcsDocument({ ...TLS10, protocol: 'unknown', protocol_code: '10000' });
    expect(unknown.tls).toEqual({ cipher: 'RSA AES-256 SHA-1' });
    expect(unknown.tls_census.protocol_code).toBe('10000');
    const failed = toEcsDocument({ ...PLAIN, protocol: 'failed', detail: 'SEC_E_ALGORITHM_MISMATCH' });
    expect(failed.tls).toEqual({ established: false });
    expect(failed.tls_census.detail).toBe('SEC_E_ALGORITHM_MISMATCH');
  });

  it('puts an IPv6 address with a zone in client.ip without the zone, and the logged text in client.address', () => {
    expect(toEcsDocument({ ...TLS10, client_ip: 'fe80::1%3' }).client).toEqual({ ip: 'fe80::1', address: 'fe80::1%3' });
    expect(toEcsDocument({ ...TLS10, client_ip: '2001:db8::10' }).client).toEqual({
      ip: '2001:db8::10',
      address: '2001:db8::10',
    });
  });

  it('keeps a client that is not an IP only in client.address', () => {
    expect(toEcsDocument({ ...TLS10, client_ip: 'mail.contoso.com' }).client).toEqual({ address: 'mail.contoso.com' });
    expect(toEcsDocument({ ...TLS10, client_ip: '10.0.0.256' }).client).toEqual({ address: '10.0.0.256' });
    expect(ecsIp('1.2.3.4%eth0')).toBeUndefined();
  });

  it('leaves out NULL columns rather than writing nulls', () => {
    const doc = toEcsDocument({ ...TLS10, client_ip: null, username: null, user_agent: null, server: null, site: null });
    expect(doc).not.toHaveProperty('client');
    expect(doc).not.toHaveProperty('user');
    expect(doc).not.toHaveProperty('user_agent');
    expect(doc).not.toHaveProperty('server');
    expect(JSON.stringify(doc)).not.toContain('null');
  });

  it('turns internal and estimated into booleans and carries the proxy', () => {
    const doc = toEcsDocument({ ...TLS10, internal: 1, estimated: 1, proxy_ip: '10.0.0.5' });
    expect(doc.tls_census).toMatchObject({ internal: true, estimated: true, proxy_ip: '10.0.0.5' });
  });

  it('round-trips hostile log strings through JSON.stringify and JSON.parse, one line each', () => {
    const hostile = '"}\n{"index":{"_index":"x"}}\r\n\u0000\u001f\u2028\\"</script>😀 é';
    const row = { ...TLS10, username: hostile, user_agent: hostile, client_ip: hostile, detail: hostile };
    const line = JSON.stringify(toEcsDocument(row));
    expect(line).not.toMatch(/[\n\r]/);
    const back = JSON.parse(line) as ReturnType<typeof toEcsDocument>;
    expect(back.user?.name).toBe(hostile);
    expect(back.user_agent?.original).toBe(hostile);
    expect(back.client).toEqual({ address: hostile });
    expect(back.tls_census.detail).toBe(hostile);
  });
});

describe('usageRowId', () => {
  it('is the same for the same key whatever the counters, and differs for any key column', () => {
    const id = usageRowId(TLS10);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(usageRowId({ ...TLS10, hits: 99, first_seen: '2024-03-11T00:00:00Z', last_seen: '2024-03-11T23:59:59Z' })).toBe(id);
    expect(usageRowId({ ...TLS10, server: 'EXCH02' })).not.toBe(id);
    expect(usageRowId({ ...TLS10, internal: 1 })).not.toBe(id);
    expect(usageRowId({ ...TLS10, username: null })).not.toBe(usageRowId({ ...TLS10, username: 'null' }));
  });

  it('makes the _bulk action line name the index and the id', () => {
    expect(JSON.parse(bulkActionLine('tls-census', 'abc'))).toEqual({ index: { _index: 'tls-census', _id: 'abc' } });
  });
});

describe('indexMapping', () => {
  const docs = [
    toEcsDocument({ ...TLS10, proxy_ip: '10.0.0.5', detail: 'x', internal: 1 }),
    toEcsDocument({ ...PLAIN, protocol: 'failed' }),
  ];

  it('has a field definition for every leaf a document can hold, with a type its value fits', () => {
    const fields: Record<string, { type: string }> = ECS_FIELDS;
    const seen = new Set<string>();
    for (const doc of docs) {
      for (const [path, value] of leaves(doc)) {
        seen.add(path);
        const def = fields[path];
        expect(def, path).toBeDefined();
        if (def.type === 'long') expect(Number.isInteger(value), path).toBe(true);
        if (def.type === 'boolean') expect(typeof value, path).toBe('boolean');
        if (def.type === 'keyword' || def.type === 'ip') expect(typeof value, path).toBe('string');
        if (def.type === 'date') expect(Number.isNaN(Date.parse(String(value))), path).toBe(false);
      }
    }
    expect([...seen].sort()).toEqual(Object.keys(ECS_FIELDS).sort()); // no stale definitions either
  });

  it('is the table docs/export.md documents, field by field', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'export.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Export to Elasticsearch'));
    for (const [path, def] of Object.entries(ECS_FIELDS)) expect(section).toContain(`| \`${path}\` | ${def.type} | ${def.from} |`);
  });

  it('nests the dotted names and maps client.ip as ip', () => {
    const m = indexMapping().mappings.properties;
    expect(m['@timestamp']).toEqual({ type: 'date' });
    expect(m.client.properties?.ip).toEqual({ type: 'ip' });
    expect(m.tls_census.properties?.hits).toEqual({ type: 'long' });
    expect(m.tls.properties?.version).toEqual({ type: 'keyword', ignore_above: 1024 });
  });
});
