// HTTP.sys error logs: LogJoint (MIT) and plaso (Apache-2.0) samples with their three #Fields layouts, checked
// against LogJoint's expected messages, then composed lines for Exchange endpoints, the back end and bad lines.
import { describe, expect, it } from 'vitest';
import { headLines } from '../../src/engine/sniff.js';
import { FORMATS } from '../../src/formats/index.js';
import { httpErrFormat } from '../../src/formats/httperr.js';
import { iisW3cFormat } from '../../src/formats/iis-w3c.js';
import { diagCounts, exchangeFixture, hits, runFormat } from './exchange-run.js';

const fx = (name: string): Buffer => exchangeFixture(`httperr/${name}`);
const run = (bytes: Buffer | string, opts = {}) => runFormat(httpErrFormat, bytes, opts);
const claimedBy = (bytes: Buffer): string | undefined => FORMATS.find((f) => f.sniff(headLines(bytes)))?.name;

describe('HTTP.sys error logs: real samples', () => {
  // LogJoint's expected messages (tests/model/ReadersIntegrationTests.cs, commit eac85a2c): message 0 is
  // "Client: 192.168.150.1:2774 … Reason: Connection_Abandoned_By_ReqQueue" at 2011-12-08T06:06:19, message 1
  // "Client: 2001:4898:0:fff:0:5efe:10.164.167.30%0:54697 … Reason: Timer_ConnectionIdle" at 2012-02-06T13:31:17.
  it('LogJoint HTTPERR_SmokeTest: three header blocks, CRLF, IPv6 with zone; one row per client, day and reason', () => {
    const r = run(fx('logjoint-HTTPERR_SmokeTest.httperr.log'));
    expect(r.diagnostics).toEqual([]);
    expect(r.records).toBe(10);
    expect(r.rows.map((x) => [x.dims.day, x.dims.clientIp, x.dims.detail, x.dims.endpoint, x.hits, x.errors, x.firstSeen])).toEqual([
      ['2011-12-08', '192.168.150.1', 'Connection_Abandoned_By_ReqQueue', 'other', 1, 1, '2011-12-08T06:06:19Z'],
      ['2012-02-06', '2001:4898:0:fff:0:5efe:10.164.167.30%0', 'Timer_ConnectionIdle', null, 6, 6, '2012-02-06T13:31:17Z'],
      ['2012-02-29', '10.36.206.59', 'NotFound', 'other', 3, 3, '2012-02-29T12:48:58Z'],
    ]);
    expect(r.rows.every((x) => x.dims.source === 'httperr' && x.dims.protocol === 'unknown' && x.dims.site === null)).toBe(true);
  });

  it('plaso httperr.log: the 18-field IIS 10 layout (streamid_ex, transport, fault codes)', () => {
    const r = run(fx('plaso-httperr.log'));
    expect(r.diagnostics).toEqual([]);
    expect(r.records).toBe(5);
    expect(r.rows.map((x) => x.dims.detail).sort()).toEqual(['Header', 'Hostname', 'URL_Length', 'Verb', 'Version_N/S']);
  });

  it('plaso httperr_restart.log: 13 then 18 fields mid-file, site ids, IPv6 zone, HTTP/3 over QUIC', () => {
    const r = run(fx('plaso-httperr_restart.log'));
    expect(r.diagnostics).toEqual([]);
    expect(hits(r.rows)).toBe(6);
    const row = (reason: string) => r.rows.find((x) => x.dims.detail === reason)?.dims;
    expect(row('AppOffline')).toMatchObject({ site: 'W3SVC1', clientIp: '192.0.2.10', endpoint: 'other' });
    expect(row('Request_Too_Large')).toMatchObject({ site: 'W3SVC2', clientIp: '2001:db8::5%12', endpoint: 'API' });
    expect(row('QueueFull')).toMatchObject({ site: 'W3SVC2', clientIp: '192.0.2.13' });
    expect(row('Timer_ConnectionIdle')).toMatchObject({ site: null, endpoint: null });
    expect(r.rows.find((x) => x.dims.detail === 'BadRequest')?.hits).toBe(2);
  });

  it.each(['logjoint-HTTPERR_SmokeTest.httperr.log', 'plaso-httperr.log', 'plaso-httperr_restart.log'])(
    '%s: claimed by httperr (not IIS), same rows in any chunking and when resumed',
    (name) => {
      expect(claimedBy(fx(name))).toBe('httperr');
      expect(iisW3cFormat.sniff(headLines(fx(name)))).toBe(false);
      const whole = run(fx(name));
      for (const chunk of [1, 2, 3, 7, 64, 4096]) expect(run(fx(name), { chunk }).rows).toEqual(whole.rows);
      expect(run(fx(name), { resumeEvery: 2 }).rows).toEqual(whole.rows);
    },
  );
});

describe('HTTP.sys error logs: composed', () => {
  const HEAD = '#Software: Microsoft HTTP API 2.0\n#Version: 1.0\n#Date: 2024-03-11 09:12:00\n' +
    '#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri streamid sc-status s-siteid s-reason s-queuename\n';

  it('Exchange endpoints from cs-uri, port 444 (Exchange Back End) internal, folder layout as server', () => {
    const r = run(HEAD +
      '2024-03-11 09:12:00 203.0.113.80 51522 10.20.0.15 443 HTTP/1.1 GET /owa/ - - 1 Timer_ConnectionIdle -\n' +
      '2024-03-11 09:12:01 203.0.113.80 51523 10.20.0.15 443 HTTP/1.1 POST http://mail.contoso.com/EWS/Exchange.asmx - - 1 Connection_Dropped MSExchangeServicesAppPool\n' +
      '2024-03-11 09:13:27 10.20.0.16 49211 10.20.0.15 444 - - - - - 2 Timer_ConnectionIdle -\n',
    { folders: ['EXCH01', 'Windows', 'System32', 'LogFiles', 'HTTPERR'] });
    expect(r.rows.map((x) => [x.dims.endpoint, x.dims.detail, x.dims.internal, x.dims.server])).toEqual([
      ['EWS', 'Connection_Dropped', 0, 'EXCH01'],
      ['OWA', 'Timer_ConnectionIdle', 0, 'EXCH01'],
      [null, 'Timer_ConnectionIdle', 1, 'EXCH01'],
    ]);
  });

  it('a #Fields without c-ip, short lines and bad dates are reported and skipped', () => {
    const r = run(HEAD +
      '2024-03-11 09:12:00 203.0.113.80 51522\n' +
      'tomorrow 09:12:00 203.0.113.80 51522 10.20.0.15 443 - - - - - 1 Timer_ConnectionIdle -\n' +
      '#Fields: date time s-reason\n2024-03-11 09:12:00 Timer_ConnectionIdle\n');
    expect(diagCounts(r.diagnostics)).toEqual({ bad_record: 1, bad_timestamp: 1, field_count: 1, no_fields: 1 });
    expect(r.rows).toEqual([]);
  });
});
