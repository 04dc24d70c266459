// Entra ID sign-in readers below the engine: times, the legacy TLS flag, and the NDJSON and Log Analytics CSV
// readers over composed bytes (fixtures in test/fixtures/entra, see its README section).
import { describe, expect, it } from 'vitest';
import { tlsEvidence } from '../../src/formats/entra/signin.js';
import { entraLogAnalyticsCsvFormat } from '../../src/formats/entra/log-analytics-csv.js';
import { entraNdjsonFormat } from '../../src/formats/entra/ndjson.js';
import { parseSignInTime } from '../../src/formats/entra/time.js';
import { sniff } from '../../src/engine/sniff.js';
import { FORMATS } from '../../src/formats/index.js';
import { DiagnosticCounter } from '../../src/aggregate/diagnostics.js';
import { UsageAggregator } from '../../src/aggregate/usage.js';
import { DEFAULT_FIELD_MAP } from '../../src/formats/iis-w3c.js';
import { feed, NO_HINTS, parseBytes, readFixture } from '../helpers.js';

describe('sign-in times', () => {
  it.each([
    ['2026-11-09T08:20:11.1234567Z', '2026-11-09T08:20:11Z'],
    ['2026-11-09T08:20:11Z', '2026-11-09T08:20:11Z'],
    ['2026-11-09T23:30:00-02:00', '2026-11-10T01:30:00Z'],
    ['11/10/2026, 9:19:43.000 PM', '2026-11-10T21:19:43Z'],
    ['11/10/2026, 12:05:00.000 AM', '2026-11-10T00:05:00Z'],
    ['1/2/2026, 12:00:00.000 PM', '2026-01-02T12:00:00Z'],
    ['/Date(1762809583000)/', '2025-11-10T21:19:43Z'],
    ['/Date(1762809583999+0100)/', '2025-11-10T21:19:43Z'],
  ])('%s → %s', (text, iso) => expect(parseSignInTime(text)).toBe(iso));

  it.each(['', 'yesterday', '2026-02-31T00:00:00Z', '13/10/2026, 9:19:43.000 PM', '11/10/2026, 13:00:00 PM', '/Date(abc)/', 'Date(1762809583000)'])('%j is no time', (text) =>
    expect(parseSignInTime(text)).toBeNull());
});

describe('the legacy TLS flag', () => {
  const flag = (value: unknown) => [{ key: 'Legacy TLS (TLS 1.0, 1.1, 3DES)', value }];
  it('True in any case is flagged, with the value as exported', () => {
    expect(tlsEvidence(flag('True'))).toEqual({ kind: 'flagged', value: 'True' });
    expect(tlsEvidence(flag('true'))).toEqual({ kind: 'flagged', value: 'true' });
    expect(tlsEvidence(JSON.stringify(flag('TRUE')))).toEqual({ kind: 'flagged', value: 'TRUE' });
  });
  it('entries that are not key/value objects (ConvertTo-Json past its -Depth writes them as text) are no evidence of TLS 1.2+', () => {
    expect(tlsEvidence(['@{Key=Root Key Type; Value=Unknown}', '@{Key=Legacy TLS (TLS 1.0, 1.1, 3DES); Value=True}'])).toBe('malformed');
    expect(tlsEvidence(['Microsoft.Graph.Beta.PowerShell.Models.MicrosoftGraphKeyValue'])).toBe('malformed');
    expect(tlsEvidence([{ key: 'Root Key Type', value: 'Unknown' }, null])).toBe('malformed');
    expect(tlsEvidence([])).toEqual({ kind: 'clear' });
  });
  it('details without the flag, or with another value, are TLS 1.2+ evidence', () => {
    expect(tlsEvidence(flag('False'))).toEqual({ kind: 'clear' });
    expect(tlsEvidence([{ key: 'Root Key Type', value: 'Unknown' }])).toEqual({ kind: 'clear' });
    expect(tlsEvidence([])).toEqual({ kind: 'clear' });
    expect(tlsEvidence('[]')).toEqual({ kind: 'clear' });
  });
  it('no details at all is a blind spot, never TLS 1.2+', () => {
    expect(tlsEvidence(undefined)).toEqual({ kind: 'absent' });
    expect(tlsEvidence('')).toEqual({ kind: 'absent' });
    expect(tlsEvidence(null)).toEqual({ kind: 'absent' });
  });
  it('details that are not a list are refused', () => {
    expect(tlsEvidence('[{"key": "Legacy TLS')).toBe('malformed');
    expect(tlsEvidence({ key: 'Legacy TLS (TLS 1.0, 1.1, 3DES)', value: 'True' })).toBe('malformed');
  });
});

describe('sniffing by content', () => {
  const sniffs = (name: string) => {
    const found = sniff(readFixture(name), FORMATS);
    return 'format' in found ? found.format.name : found.skip;
  };
  it.each([
    ['entra/main/signins.ndjson', 'entra-signin-ndjson'],
    ['entra/main/signins-page-1.json', 'entra-signin-json'],
    ['entra/main/signins-page-2.json', 'entra-signin-json'],
    ['entra/main/InteractiveSignIns_2026-11-04_2026-11-10.json', 'entra-signin-json'],
    ['entra/main/la-query-results.json', 'entra-signin-json'],
    ['entra/blind/signins-v1.json', 'entra-signin-json'],
    ['entra/main/query_data.csv', 'entra-signin-csv'],
    ['entra/blind/noninteractive.csv', 'entra-signin-csv'],
  ])('%s is %s', (name, format) => expect(sniffs(name)).toBe(format));

  it('an EXO report or an IIS log is none of them', () => {
    expect(sniffs('exo/cli/SMTP AUTH clients report.csv')).toBe('exo-smtp-auth-report');
    expect(sniffs('exo/cli/u_ex240308.log')).toBe('iis-w3c');
    expect(sniffs('entra/main/signins.ndjson')).not.toBe('entra-signin-json');
    expect(sniff(Buffer.from('[{"a": 1}]\n'), FORMATS)).toHaveProperty('skip');
  });

  it('the admin center\'s CSV download of sign-ins (no TLS details) is skipped saying what to export instead', () => {
    const header = '\ufeffDate (UTC),Request ID,User agent,Correlation ID,User ID,User,Username,User type,Application,IP address,Status\r\n' +
      '2026-11-10T21:19:43Z,0000000a-aaaa-4bbb-8ccc-00000000000a,BAV2ROPC,c1,u1,Anna,anna@contoso.com,Member,Office 365 Exchange Online,203.0.113.9,Success\r\n';
    const found = sniff(Buffer.from(header), FORMATS);
    expect(found).toHaveProperty('skip');
    expect((found as { skip: string }).skip).toMatch(/^an Entra admin center CSV download of sign-ins: .*Download JSON/);
    expect(sniff(Buffer.from(header.replace('Status', 'Authentication processing details')), FORMATS)).not.toMatchObject({ skip: expect.stringMatching(/admin center/) });
  });
});

describe('NDJSON reader', () => {
  it('reads each line, skips a broken one with its number, at any chunk size', () => {
    for (const chunk of [0, 7, 100]) {
      const r = parseBytes(readFixture('entra/main/signins.ndjson'), chunk, { format: entraNdjsonFormat });
      expect(r.records).toBe(2);
      expect(r.badLines).toBe(1);
      expect(r.diagnostics.map((d) => [d.code, d.firstLine])).toEqual([['bad_json', 3]]);
      const [carol, jdoe] = [...r.rows].sort((a, b) => String(a.dims.username).localeCompare(String(b.dims.username)));
      expect(carol.dims).toMatchObject({
        source: 'entra-signin', server: '11111111-2222-3333-4444-555555555555', username: 'carol@contoso.com', userAgent: null,
        clientIp: '192.0.2.55', endpoint: 'Office 365 Exchange Online', protocol: 'TLS 1.0/1.1 or 3DES', protocolCode: 'True',
        detail: 'app=POP3', day: '2026-11-10',
      });
      // empty appDisplayName → resourceDisplayName; IPv6 as written; lower-cased user; non-interactive in detail
      expect(jdoe.dims).toMatchObject({
        username: 'jdoe@contoso.com', clientIp: '2001:db8:85a3::8a2e:370:7334', endpoint: 'Office 365 Exchange Online',
        protocolCode: 'true', detail: 'app=Authenticated SMTP; non-interactive',
      });
      expect(jdoe.firstSeen).toBe('2026-11-09T08:20:11Z');
    }
  });
});

describe('Log Analytics CSV reader', () => {
  it('binds columns by name, reads JSON cells and the displayed time, names unknown columns', () => {
    const r = parseBytes(readFixture('entra/main/query_data.csv'), 0, { format: entraLogAnalyticsCsvFormat });
    expect(r.records).toBe(3);
    expect(r.badLines).toBe(0);
    expect(r.diagnostics).toEqual([{ code: 'unknown_columns', count: 1, firstLine: 1, message: '1 columns not read: MyWorkbookNote' }]);
    const byUser = new Map(r.rows.map((row) => [row.dims.username, row]));
    expect(byUser.get('printer-2f@contoso.com')).toMatchObject({
      hits: 1, authFailures: 0, firstSeen: '2026-11-10T21:19:43Z',
      dims: { protocol: 'TLS 1.0/1.1 or 3DES', userAgent: null, endpoint: 'Office 365 Exchange Online', detail: 'app=Authenticated SMTP; non-interactive' },
    });
    expect(byUser.get('anna@contoso.com')?.dims).toMatchObject({ protocol: 'TLS 1.2+', detail: 'app=Browser; os=Windows10; browser=Chrome 130.0.0' });
    expect(byUser.get('ceo@contoso.com')).toMatchObject({ authFailures: 1, dims: { protocol: 'TLS 1.0/1.1 or 3DES', userAgent: 'BAV2ROPC' } });
  });

  it('without AuthenticationProcessingDetails every sign-in is unknown, and the file says why', () => {
    const r = parseBytes(readFixture('entra/blind/noninteractive.csv'), 0, { format: entraLogAnalyticsCsvFormat });
    expect(r.rows.map((row) => row.dims.protocol)).toEqual(['unknown']);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['no_tls_details']);
    expect(r.rows[0].firstSeen).toBe('2026-11-10T08:00:00Z');
  });

  describe('times in the viewer\'s regional format', () => {
    const csv = (times: string[]): Buffer => Buffer.from('\ufeffTimeGenerated [UTC],Id,UserPrincipalName,AuthenticationProcessingDetails\r\n' +
      times.map((t, i) => `"${t}",id${i},u${i}@contoso.com,[]\r\n`).join(''));
    /** Each time as read, and the diagnostics, the input read to its end as the engine reads it (end() included). */
    const seen = (times: string[]) => {
      const agg = new UsageAggregator();
      const diags = new DiagnosticCounter('test');
      const session = feed(entraLogAnalyticsCsvFormat, { file: 'test', hints: NO_HINTS, fieldMap: DEFAULT_FIELD_MAP, agg, diags }, csv(times), { chunk: 7 });
      session.parser.end?.(new Date());
      const byUser = new Map(agg.drain().map((row) => [row.dims.username, row.firstSeen]));
      return { at: times.map((_, i) => byUser.get(`u${i}@contoso.com`) ?? null), diagnostics: diags.drain().map((d) => [d.code, d.firstLine]) };
    };
    it('en-GB (24-hour clock, day first): read day first, also before a day over 12 proves it', () => {
      expect(seen(['10/11/2026, 21:19:43.000', '13/11/2026, 08:00:00.000', '01/12/2026, 00:00:01.000'])).toEqual({
        at: ['2026-11-10T21:19:43Z', '2026-11-13T08:00:00Z', '2026-12-01T00:00:01Z'], diagnostics: [] });
    });
    it('en-US (12-hour clock, month first) as before; de-DE (dotted) always day first', () => {
      expect(seen(['11/10/2026, 9:19:43.000 PM', '1/2/2026, 12:00:00.000 AM']).at).toEqual(['2026-11-10T21:19:43Z', '2026-01-02T00:00:00Z']);
      expect(seen(['10.11.2026 21:19:43', '03.11.2026, 07:05']).at).toEqual(['2026-11-10T21:19:43Z', '2026-11-03T07:05:00Z']);
    });
    it('a guess that later times contradict is reported; the times that prove the order are read by it', () => {
      // en-AU: a 12-hour clock, day first (guessed month first until the 13th shows day first)
      expect(seen(['10/11/2026, 9:19:43.000 pm', '13/11/2026, 9:00:00.000 am', '05/11/2026, 1:00:00.000 pm'])).toEqual({
        at: ['2026-10-11T21:19:43Z', '2026-11-13T09:00:00Z', '2026-11-05T13:00:00Z'], diagnostics: [['ambiguous_date', 3]] });
      // a 24-hour clock, month first (guessed day first)
      expect(seen(['02/01/2026, 10:00:00.000', '01/13/2026, 10:00:00.000']).diagnostics).toEqual([['ambiguous_date', 3]]);
    });
    it('a file no time of which shows the order says it was guessed (a note, nothing skipped)', () => {
      expect(seen(['10/11/2026, 9:19:43.000 pm', '05/11/2026, 1:00:00.000 pm'])).toEqual({
        at: ['2026-10-11T21:19:43Z', '2026-05-11T13:00:00Z'], diagnostics: [['guessed_date_order', 2]] });
      expect(seen(['10/11/2026, 21:19:43.000', '13/11/2026, 08:00:00.000']).diagnostics).toEqual([]);
      expect(seen(['2026-11-10T21:19:43Z']).diagnostics).toEqual([]);
    });
  });

  it('a row without an id or a time is skipped with its line, the others are read', () => {
    const text = '\ufeffTimeGenerated [UTC],Id,UserPrincipalName,AuthenticationProcessingDetails\r\n' +
      '"11/10/2026, 9:19:43.000 PM",,a@contoso.com,[]\r\n' +
      'not a time,x1,b@contoso.com,[]\r\n' +
      '"11/10/2026, 9:19:44.000 PM",x2,c@contoso.com,"[{""key"":""Legacy TLS (TLS 1.0, 1.1, 3DES)"",""value"":""True""}]"\r\n';
    const r = parseBytes(Buffer.from(text), 5, { format: entraLogAnalyticsCsvFormat });
    expect(r.records).toBe(1);
    expect(r.diagnostics.map((d) => [d.code, d.firstLine])).toEqual([['bad_record', 2], ['bad_timestamp', 3]]);
    expect(r.rows[0].dims).toMatchObject({ username: 'c@contoso.com', protocol: 'TLS 1.0/1.1 or 3DES' });
  });
});
