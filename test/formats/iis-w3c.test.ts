import { describe, expect, it } from 'vitest';
import type { UsageRow } from '../../src/aggregate/usage.js';
import { iisW3cFormat } from '../../src/formats/iis-w3c.js';
import { headLines } from '../../src/engine/sniff.js';
import { parseBytes, readFixture, totalHits } from '../helpers.js';

const parse = (name: string, opts = {}) => parseBytes(readFixture(`iis/${name}`), 0, opts);
const byIp = (rows: UsageRow[], ip: string) => rows.filter((r) => r.dims.clientIp === ip);

describe('IIS W3C: crypt fields', () => {
  const r = parse('composed-crypt-fields.log');

  it('decodes TLS 1.0 / AES-256 / SHA-1 / RSA for IE 10 on Windows 7', () => {
    const [row] = byIp(r.rows, '198.51.100.7');
    expect(row.dims).toMatchObject({
      protocol: 'TLS 1.0', protocolCode: '40', cipher: 'AES-256', cipherCode: '6610', hash: 'SHA-1',
      keyExchange: 'RSA', endpoint: 'OWA', username: null, server: 'HOST', source: 'iis', internal: 0,
      userAgent: 'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; WOW64; Trident/6.0)',
    });
    expect(row.firstSeen).toBe('2024-03-11T07:15:03Z');
  });

  it('decodes TLS 1.2 ECDHE for Outlook over MAPI with the user', () => {
    const [row] = byIp(r.rows, '203.0.113.44').filter((x) => x.dims.endpoint === 'MAPI');
    expect(row.dims).toMatchObject({ protocol: 'TLS 1.2', cipher: 'AES-128', hash: 'SHA-256', keyExchange: 'ECDHE', username: 'CONTOSO\\jdoe' });
  });

  it('stores plain HTTP as protocol none with NULL crypto', () => {
    const [row] = byIp(r.rows, '192.0.2.10');
    expect(row.dims).toMatchObject({ protocol: 'none', protocolCode: null, cipher: null, hash: null, keyExchange: null });
  });

  it('counts 401 as auth failure and other 4xx/5xx as errors', () => {
    const [ews] = byIp(r.rows, '10.1.1.5');
    expect(ews.dims).toMatchObject({ protocol: 'TLS 1.1', cipher: '3DES', endpoint: 'EWS' });
    expect([ews.hits, ews.authFailures, ews.errors]).toEqual([2, 1, 0]);
    const [v6] = byIp(r.rows, '2001:db8::1');
    expect(v6.dims).toMatchObject({ protocol: 'SSL 3.0', cipher: 'RC4', hash: 'MD5' });
    expect(v6.errors).toBe(1);
  });

  it('takes the original client from OriginalClientIP and keeps c-ip as proxy', () => {
    const [row] = byIp(r.rows, '51.154.8.227');
    expect(row.dims).toMatchObject({ proxyIp: '10.0.0.9', protocol: 'TLS 1.2', hash: 'SHA-384' });
  });

  it('keeps unknown codes as logged and accepts upper case and 0x', () => {
    const [odd] = byIp(r.rows, '203.0.113.99');
    expect(odd.dims).toMatchObject({ protocol: 'unknown', protocolCode: '10000', cipher: 'unknown', cipherCode: 'ZZ', hash: 'SHA-256', keyExchange: 'ECDHE' });
    const [cp] = byIp(r.rows, '203.0.113.98');
    expect(cp.dims).toMatchObject({ protocol: 'TLS 1.0', protocolCode: '0x40', userAgent: 'Mozilla/4.0 (compatible; MSIE 8.0; café)' });
  });

  it('decodes TLS 1.3 for ActiveSync', () => {
    const [row] = byIp(r.rows, '198.51.100.20');
    expect(row.dims).toMatchObject({ protocol: 'TLS 1.3', endpoint: 'ActiveSync', username: 'jane@contoso.com' });
  });

  it('re-binds at a mid-file #Fields without crypt fields: protocol unknown, no code', () => {
    const auto = r.rows.filter((x) => x.dims.endpoint === 'Autodiscover' || x.dims.endpoint === 'OAB' || x.dims.endpoint === 'RPC');
    expect(auto.map((x) => [x.dims.endpoint, x.dims.protocol, x.dims.protocolCode, x.dims.day])).toEqual(
      expect.arrayContaining([
        ['Autodiscover', 'unknown', null, '2024-03-11'],
        ['OAB', 'unknown', null, '2024-03-12'],
        ['RPC', 'unknown', null, '2024-03-12'],
      ]),
    );
    expect(auto.find((x) => x.dims.endpoint === 'OAB')?.errors).toBe(1);
  });

  it('skips and counts the short line and the NUL run, with their line numbers', () => {
    expect(r.records).toBe(13);
    expect(totalHits(r.rows)).toBe(13);
    expect(r.badLines).toBe(2);
    expect(r.diagnostics.map((d) => [d.code, d.count, d.firstLine])).toEqual([
      ['field_count', 1, 15],
      ['garbage', 1, 16],
    ]);
  });
});

describe('IIS W3C: layouts and quirks from public samples', () => {
  it('counts a data line before any #Fields as bad, then reads the rest (BOM stripped)', () => {
    const r = parse('composed-data-before-fields.log');
    expect(r.diagnostics.map((d) => [d.code, d.firstLine])).toEqual([['no_fields', 1]]);
    expect(r.records).toBe(1);
  });

  it.each([
    ['plaso-iis6.log', 12],
    ['plaso-iis7_owa.log', 3],
    ['plaso-iis7_sqli.log', 2],
    ['plaso-iis10.log', 1],
    ['plaso-iis10_cookies.log', 3],
    ['plaso-iis10_edge_cases.log', 15],
    ['plaso-iis_without_date.log', 11],
    ['plaso-iis_ipv6_zone.log', 3],
  ])('%s: plaso counts %i events with no warnings', (name, events) => {
    const r = parse(name);
    expect(r.records).toBe(events);
    expect(r.badLines).toBe(0);
  });

  it('plaso field values: first events of iis6, iis7_sqli and iis7_owa', () => {
    const iis6 = parse('plaso-iis6.log').rows;
    expect(iis6.some((x) => x.dims.clientIp === '10.10.10.100' && x.firstSeen === '2013-07-30T00:00:00Z' &&
      x.dims.userAgent === 'Mozilla/4.0 (compatible; Win32; WinHttp.WinHttpRequest.5)')).toBe(true);
    const sqli = parse('plaso-iis7_sqli.log').rows;
    expect(sqli.find((x) => x.dims.clientIp === '222.222.222.222')?.errors).toBeGreaterThan(0);
    const owa = parse('plaso-iis7_owa.log').rows;
    expect(owa.some((x) => x.dims.clientIp === '77.123.22.98' && x.dims.endpoint === 'OWA' && x.firstSeen === '2015-12-31T00:19:48Z')).toBe(true);
  });

  it('takes the date from #Date when there is no date field (plaso iis_without_date)', () => {
    const r = parse('plaso-iis_without_date.log');
    expect(r.rows.every((x) => x.dims.day === '2013-07-30')).toBe(true);
    expect(r.rows.some((x) => x.firstSeen === '2013-07-30T00:00:03Z' || x.lastSeen === '2013-07-30T00:00:03Z')).toBe(true);
  });

  it('keeps IPv6 zone ids and reads lines with two spaces before cs-username', () => {
    const r = parse('plaso-iis_ipv6_zone.log');
    const ips = r.rows.map((x) => x.dims.clientIp).sort();
    expect(ips).toEqual(['192.168.1.100', '::1', 'fe80::abcd:ef01:2345:6789%eth0']);
    expect(r.rows.find((x) => x.dims.clientIp === '::1')?.dims.username).toBe('random\\ranuser1');
    expect(r.rows.find((x) => x.dims.clientIp === '::1')?.dims.internal).toBe(1); // port 444: Exchange back end
  });

  it('matches filebeat field by field on its three-layout sample, including the lines after a layout change', () => {
    const expected = JSON.parse(readFixture('iis/beats-test.log-expected.json').toString()) as Record<string, unknown>[];
    const r = parse('beats-test.log');
    expect(r.records).toBe(expected.length);
    expect(r.badLines).toBe(0);
    expect(r.diagnostics.map((d) => [d.code, d.count])).toEqual([['earlier_fields', 2]]);
    for (const e of expected) {
      const ts = String(e['@timestamp']).replace('.000Z', 'Z');
      const hit = r.rows.find(
        (x) => x.dims.clientIp === e['source.ip'] && x.dims.userAgent === e['user_agent.original'] &&
          (x.firstSeen === ts || x.lastSeen === ts),
      );
      expect(hit, JSON.stringify(e)).toBeDefined();
      if (e['iis.access.site_name']) expect(hit?.dims.site).toBe(e['iis.access.site_name']);
      if (e['iis.access.server_name']) expect(hit?.dims.server).toBe(e['iis.access.server_name']);
      const status = Number(e['http.response.status_code']);
      if (status === 401) expect(hit?.authFailures).toBeGreaterThan(0);
      if (status === 404) expect(hit?.errors).toBeGreaterThan(0);
    }
  });

  it('matches filebeat on ::1%0 (address kept as logged)', () => {
    const expected = JSON.parse(readFixture('iis/beats-test-ipv6zone.log-expected.json').toString()) as Record<string, unknown>[];
    const r = parse('beats-test-ipv6zone.log');
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0].dims.clientIp).toBe(expected[0]['source.address']);
  });

  it('reads time without seconds and with milliseconds (LogJoint)', () => {
    const secs = parse('logjoint-W3C_SmokeTest_1_seconds.log').rows;
    const mins = parse('logjoint-W3C_SmokeTest_2_no_seconds.log').rows;
    const ms = parse('logjoint-W3C_SmokeTest_3_milliseconds.log').rows;
    expect(secs.map((x) => x.firstSeen)).toContain('2013-02-07T08:35:37Z');
    expect(mins.map((x) => x.firstSeen)).toContain('2013-02-07T08:35:00Z');
    expect(ms.map((x) => x.firstSeen)).toContain('2013-02-07T08:35:37Z');
    expect(totalHits(secs)).toBe(totalHits(mins));
    expect(totalHits(secs)).toBe(totalHits(ms));
    expect(secs.every((x) => x.dims.clientIp === 'fe80::5d3d:c591:3026:46ee%14')).toBe(true);
  });

  it('keeps UTF-8 user agents with backslashes (lnav w3c.6)', () => {
    const [row] = parse('lnav-logfile_w3c.6.log').rows;
    expect(row.dims.userAgent).toBe('ÄÖÜäöü\\ßßßMözillä/5.0 (compatible; bingbot/2.0;  http://www.bing.com/bingbot.htm)');
  });

  it('re-binds at each of the 11 header blocks of a real IIS 8.5 log (lnav big)', () => {
    const bytes = readFixture('iis/lnav-logfile_w3c_big.0.log');
    const dataLines = bytes.toString().split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
    const r = parse('lnav-logfile_w3c_big.0.log');
    expect(r.records + r.badLines).toBe(dataLines);
    expect(r.badLines).toBe(0);
  });

  it('reads IIS Advanced Logging quoted values with spaces (lnav w3c.3)', () => {
    const r = parse('lnav-logfile_w3c.3.log');
    expect(r.badLines).toBe(0);
    expect(r.records).toBeGreaterThan(0);
  });

  it('counts the malformed lnav w3c.5 line (6 names, 17 values) as field_count', () => {
    const r = parse('lnav-logfile_w3c.5.log');
    expect(r.records).toBe(0);
    expect(r.diagnostics[0]).toMatchObject({ code: 'field_count', firstLine: 2 });
  });

  it('reads "# Fields:" and a literal-space user agent (artefacts.help)', () => {
    const r = parse('artefacts-iis_webshell_example.log');
    expect(r.records + r.badLines).toBe(1);
  });

  it('honours --field-map for custom field names', () => {
    const log = Buffer.from(
      '#Fields: date time c-ip TLSProto TLSCipher\n2024-01-01 00:00:00 192.0.2.1 100 660e\n',
    );
    const plain = parseBytes(log);
    expect(plain.rows[0].dims.protocol).toBe('unknown');
    const mapped = parseBytes(log, 0, {
      fieldMap: { 'crypt-protocol': 'tlsproto', 'crypt-cipher': 'tlscipher', 'crypt-hash': 'crypt-hash', 'crypt-keyexchange': 'crypt-keyexchange' },
    });
    expect(mapped.rows[0].dims).toMatchObject({ protocol: 'TLS 1.1', cipher: 'AES-128' });
  });
});

describe('IIS W3C: sniffing by content', () => {
  const sniff = (name: string) => iisW3cFormat.sniff(headLines(readFixture(`iis/${name}`)));
  it('claims IIS logs whatever their names, and only those', () => {
    expect(sniff('plaso-iis10.log')).toBe(true); // #Date before #Software
    expect(sniff('plaso-iis7_owa.log')).toBe(true); // no #Date/#Version
    expect(sniff('ipban-rdweb-no-directives.log')).toBe(false);
    expect(iisW3cFormat.sniff(['#Software: Microsoft HTTP API 2.0', '#Fields: date time c-ip'])).toBe(false);
    expect(iisW3cFormat.sniff(['#Software: Microsoft Exchange Server', '#Log-type: SMTP Receive Protocol Log', '#Fields: date-time,connector-id'])).toBe(false);
  });
});
