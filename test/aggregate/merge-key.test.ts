// The merge key is frozen (merge_rows snapshots and entra_signins.row_key hold it): the frozen definition, 16 bytes of
// SHA-256 updated column by column with each value (null as '') and U+001F, against what the code computes now.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dimsRowKey, rowKey } from '../../src/aggregate/merge-key.js';
import { dimsOfColumns } from '../../src/aggregate/usage-dims.js';

const COLUMNS = [
  'day', 'source', 'server', 'site', 'client_ip', 'proxy_ip', 'username', 'user_agent', 'endpoint', 'protocol',
  'protocol_code', 'cipher', 'cipher_code', 'hash', 'hash_code', 'key_exchange', 'key_exchange_code', 'detail', 'internal',
] as const;

function frozen(r: Record<string, string | number | null>): Buffer {
  const h = createHash('sha256');
  for (const c of COLUMNS) h.update(`${r[c] ?? ''}\u001f`);
  return h.digest().subarray(0, 16);
}

const ROWS: Record<string, string | number | null>[] = [
  { day: '2024-03-11', source: 'iis', server: 'EXCH01', site: 'W3SVC1', client_ip: '10.0.0.5', proxy_ip: null, username: 'CONTOSO\\bob',
    user_agent: 'Microsoft Office/16.0 (Windows NT 10.0)', endpoint: 'EWS', protocol: 'TLS 1.0', protocol_code: '40', cipher: 'AES-256',
    cipher_code: '6610', hash: 'SHA-1', hash_code: '8004', key_exchange: 'ECDHE', key_exchange_code: 'ae06', detail: null, internal: 0 },
  { day: '2024-03-12', source: 'smtp-receive', server: null, site: 'Default Frontend', client_ip: '2001:db8::1', proxy_ip: null,
    username: 'Пётр@contoso.com', user_agent: 'mail.example 😀', endpoint: null, protocol: 'failed', protocol_code: null, cipher: null,
    cipher_code: null, hash: null, hash_code: null, key_exchange: null, key_exchange_code: null, detail: 'a\u001fb', internal: 1 },
  { day: '2024-03-13', source: 'iis', server: '', site: '', client_ip: '', proxy_ip: '', username: '', user_agent: '', endpoint: '',
    protocol: 'unknown', protocol_code: '', cipher: '', cipher_code: '', hash: '', hash_code: '', key_exchange: '', key_exchange_code: '',
    detail: '', internal: 0 },
];

describe('merge key', () => {
  it('is the frozen digest for rows of the usage view and for the dims a reader holds', () => {
    for (const r of ROWS) {
      expect(rowKey(r).toString('hex')).toBe(frozen(r).toString('hex'));
      expect(dimsRowKey(dimsOfColumns(r as Parameters<typeof dimsOfColumns>[0])).toString('hex')).toBe(frozen(r).toString('hex'));
    }
    expect(new Set(ROWS.map((r) => rowKey(r).toString('hex'))).size).toBe(ROWS.length);
  });
});
