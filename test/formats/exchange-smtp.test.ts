// Exchange SMTP Receive/Send logs: real samples (IPBan MIT, artefacts.help CC0, CrowdSec hub MIT) checked against
// their peers' expectations, then composed sessions for every TLS outcome and the messy cases (inputs inline).
import { describe, expect, it } from 'vitest';
import type { UsageRow } from '../../src/aggregate/usage.js';
import { wholeHeadLines } from '../../src/engine/sniff.js';
import { parseCsvLine } from '../../src/formats/exchange-csv.js';
import { exchangeSmtpFormat, smtpChain } from '../../src/formats/exchange-smtp.js';
import { applySmtpEvent, newSmtpSession, smtpReadsData, Tls, type SmtpSession } from '../../src/formats/smtp-session.js';
import { diagCounts, exchangeFixture, hits, runFormat } from './exchange-run.js';

const fx = (name: string): Buffer => exchangeFixture(`exchange/${name}`);
const smtp = (bytes: Buffer | string, opts = {}) => runFormat(exchangeSmtpFormat, bytes, opts);
const byIp = (rows: readonly UsageRow[], ip: string) => rows.filter((r) => r.dims.clientIp === ip);

const FIELDS = '#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context';
const header = (type: 'Receive' | 'Send'): string =>
  `#Software: Microsoft Exchange Server\r\n#Version: 15.02.1544.004\r\n#Log-type: SMTP ${type} Protocol Log\r\n` +
  `#Date: 2024-03-11T08:00:02.117Z\r\n${FIELDS}\r\n`;

/** Lines of one session: [event, data, context] each, numbered from `seq`, one second apart from `start`. */
function session(conn: string, id: string, remote: string, events: readonly (readonly [string, string, string])[], start = '2024-03-11T08:00:00', seq = 0): string {
  const t0 = Date.parse(start + 'Z');
  return events
    .map(([ev, data, ctx], i) => {
      const ts = new Date(t0 + i * 1000).toISOString();
      const q = (v: string) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
      return `${ts},${q(conn)},${id},${seq + i},10.20.0.15:25,${remote},${ev},${q(data)},${q(ctx)}\r\n`;
    })
    .join('');
}

const tlsLine = (proto: string, kex = 'CALG_ECDH_EPHEM', cipher = 'CALG_AES_256', mac = 'CALG_SHA_384') =>
  `TLS protocol ${proto} negotiation succeeded using bulk encryption algorithm ${cipher} with strength 256 bits, MAC hash algorithm ${mac} with strength 0 bits and key exchange algorithm ${kex} with strength 256 bits`;

const STARTTLS_OK = (proto: string, kex?: string): [string, string, string][] => [
  ['+', '', ''], ['>', '220 EX01.contoso.com Microsoft ESMTP MAIL Service ready', ''], ['<', 'EHLO MFP-3F.contoso.com', ''],
  ['<', 'STARTTLS', ''], ['>', '220 2.0.0 SMTP server ready', ''], ['*', '', tlsLine(proto, kex)],
  ['<', 'EHLO MFP-3F.contoso.com', ''], ['*', 'CONTOSO\\svc-scan', 'authenticated'], ['-', '', 'Local'],
];

describe('SMTP Receive: real samples', () => {
  it('IPBan smtp_auth_successful.log: one TLS 1.2 session of user@example.com from srv-app01', () => {
    const r = smtp(fx('ipban-smtp_auth_successful.log'));
    expect(r.diagnostics).toEqual([]);
    expect(r.records).toBe(22);
    expect(r.tlsFields).toBe(true);
    expect(r.rows).toHaveLength(1);
    const [row] = r.rows;
    expect(row.dims).toEqual({
      day: '2020-04-02', source: 'smtp-receive', server: 'SRV-XCH03', site: 'SRV-XCH03\\External Authenticated Relay',
      clientIp: '180.20.20.20', proxyIp: null, username: 'user@example.com', userAgent: 'srv-app01', endpoint: 'SMTP',
      protocol: 'TLS 1.2', protocolCode: 'SP_PROT_TLS1_2_SERVER', cipher: 'AES-256', cipherCode: 'CALG_AES_256',
      hash: 'SHA-384', hashCode: 'CALG_SHA_384', keyExchange: 'ECDHE', keyExchangeCode: 'CALG_ECDH_EPHEM',
      detail: null, internal: 0,
    });
    expect([row.hits, row.authFailures, row.errors]).toEqual([1, 0, 0]);
    expect([row.firstSeen, row.lastSeen]).toEqual(['2020-04-02T07:57:37Z', '2020-04-02T07:57:40Z']);
  });

  // IPBan's TestLogFilesExchange (IPBanTests/IPBanLogFileIntegrationTests.cs, HEAD 55be9aae), transcribed. IPBan keeps
  // the part of the user name before '@'. Its failure list includes 109.75.46.81 from the one IMAP4 line mixed into
  // the SMTP file: we report that line (field_count) instead of reading it as SMTP.
  const IPBAN_SUCCESS = [{ ip: '180.20.20.20', user: 'user' }];
  const IPBAN_FAILED = ['109.75.46.81', '180.60.60.60', '27.255.75.110', '37.49.225.153', '54.212.131.181', '54.212.131.182', '90.30.30.30'];

  it('IPBan smtp_auth_unsuccessful.log (concatenated logs): the failing clients IPBan finds, one hit per session', () => {
    const r = smtp(fx('ipban-smtp_auth_unsuccessful.log'));
    expect(diagCounts(r.diagnostics)).toEqual({ duplicate_line: 2, field_count: 1 });
    expect(r.diagnostics.find((d) => d.code === 'field_count')?.firstLine).toBe(43);
    const failing = [...new Set(r.rows.filter((x) => x.authFailures > 0).map((x) => x.dims.clientIp))].sort();
    expect(failing).toEqual(IPBAN_FAILED.filter((ip) => ip !== '109.75.46.81'));
    expect(hits(r.rows)).toBe(6); // the six SMTP sessions, each with one failed login
    expect(r.rows.every((x) => x.dims.username === null)).toBe(true); // no session authenticated
    expect(byIp(r.rows, '90.30.30.30')[0].dims).toMatchObject({ protocol: 'none', userAgent: 'User' });
    expect(byIp(r.rows, '37.49.225.153')[0].dims).toMatchObject({ protocol: 'unknown', server: 'KROGULEC', site: 'KROGULEC\\Internet Recive Frontend' });
    expect(byIp(r.rows, '54.212.131.182')[0].dims).toMatchObject({ protocol: 'TLS 1.2', server: 'EXCH', userAgent: '[172.31.11.248]' });
    const ok = smtp(fx('ipban-smtp_auth_successful.log')).rows;
    expect(ok.map((x) => ({ ip: x.dims.clientIp, user: x.dims.username?.split('@')[0] }))).toEqual(IPBAN_SUCCESS);
  });

  it('artefacts.help RECV2023011116-1.LOG: TLS 1.2 AES-128, MAC at 0 bits, a repeated line and a reused sequence number', () => {
    const r = smtp(fx('artefacts-RECV2023011116-1.LOG'));
    expect(diagCounts(r.diagnostics)).toEqual({ duplicate_line: 1, duplicate_sequence: 1 });
    expect(r.records).toBe(15);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0].dims).toMatchObject({
      server: 'SERVER-HOSTNAME', clientIp: '95.10.20.33', userAgent: '[95.10.20.33]', username: null,
      protocol: 'TLS 1.2', cipher: 'AES-128', hash: 'SHA-256', keyExchange: 'ECDHE', keyExchangeCode: 'CALG_ECDH_EPHEM',
    });
    expect(r.rows[0].authFailures).toBe(1); // two "Inbound AUTH LOGIN failed" lines, one sequence number
  });

  // crowdsecurity/hub .tests/exchange-smtp-logs parser.assert: client_ip 192.168.9.212, server_ip 192.168.9.241,
  // session_id 08DA4F7C11473A60, sequence_number 9, smtp_code 535, connector_id EXCHANGE-1\Default Frontend EXCHANGE-1.
  // The sample is one line without directives, so the test puts Exchange's header in front of it.
  it('CrowdSec exchange-smtp-logs: the 535 line of a session whose start is not in the file', () => {
    const r = smtp(header('Receive') + fx('crowdsec-exchange-smtp-logs.log').toString('utf8'));
    expect(r.diagnostics).toEqual([]);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0].dims).toMatchObject({
      clientIp: '192.168.9.212', site: 'EXCHANGE-1\\Default Frontend EXCHANGE-1', server: 'EXCHANGE-1', protocol: 'unknown',
    });
    expect([r.rows[0].hits, r.rows[0].authFailures, r.rows[0].firstSeen]).toEqual([1, 1, '2022-07-20T21:12:06Z']);
  });

  it('CrowdSec exchange-smtp-bf: nine copies of one line are one session and eight repeats', () => {
    const r = smtp(header('Receive') + fx('crowdsec-exchange-smtp-bf.log').toString('utf8'));
    expect(diagCounts(r.diagnostics)).toEqual({ duplicate_line: 8 });
    expect([hits(r.rows), r.rows[0].authFailures]).toEqual([1, 1]);
  });

  it.each(['ipban-smtp_auth_successful.log', 'ipban-smtp_auth_unsuccessful.log', 'artefacts-RECV2023011116-1.LOG'])(
    '%s gives the same rows in any chunking and when resumed from saved state every few lines',
    (name) => {
      const whole = smtp(fx(name));
      for (const chunk of [1, 2, 3, 7, 64, 4096]) {
        const r = smtp(fx(name), { chunk });
        expect(r.rows).toEqual(whole.rows);
        expect(r.diagnostics).toEqual(whole.diagnostics);
      }
      for (const resumeEvery of [1, 3, 7]) expect(smtp(fx(name), { resumeEvery }).rows).toEqual(whole.rows);
    },
  );
});

describe('SMTP: TLS outcomes (composed)', () => {
  const one = (text: string, opts = {}) => {
    const r = smtp(text, opts);
    expect(r.rows).toHaveLength(1);
    return r.rows[0];
  };

  it('accepts SP_PROT_TLS1_SERVER and SP_PROT_TLS1_0_SERVER, CALG_ECDHE and a bare number', () => {
    const old = one(header('Receive') + session('EX01\\Default Frontend EX01', '08DC41A2B7C3D001', '10.20.5.31:51234', STARTTLS_OK('SP_PROT_TLS1_SERVER', 'CALG_ECDHE')));
    expect(old.dims).toMatchObject({ protocol: 'TLS 1.0', protocolCode: 'SP_PROT_TLS1_SERVER', keyExchange: 'ECDHE', keyExchangeCode: 'CALG_ECDHE', username: 'CONTOSO\\svc-scan', userAgent: 'MFP-3F.contoso.com' });
    const zero = one(header('Receive') + session('EX01\\Default Frontend EX01', '08DC41A2B7C3D002', '10.20.5.31:51235', STARTTLS_OK('SP_PROT_TLS1_0_SERVER')));
    expect(zero.dims.protocol).toBe('TLS 1.0');
    const num = one(header('Receive') + session('EX01\\Default Frontend EX01', '08DC41A2B7C3D003', '10.20.5.31:51236', STARTTLS_OK('4096')));
    expect(num.dims).toMatchObject({ protocol: 'TLS 1.3', protocolCode: '4096' });
  });

  it('Send logs: Exchange is the client (> STARTTLS), *_CLIENT protocols, source smtp-send', () => {
    const events: [string, string, string][] = [
      ['*', '', 'attempting to connect'], ['+', '', ''], ['<', '220 mx.fabrikam.com ESMTP', ''], ['>', 'EHLO EX01.contoso.com', ''],
      ['>', 'STARTTLS', ''], ['<', '220 2.0.0 Ready to start TLS', ''], ['*', '', tlsLine('SP_PROT_TLS1_1_CLIENT', 'CALG_RSA_KEYX', 'CALG_3DES', 'CALG_SHA1')],
      ['>', 'EHLO EX01.contoso.com', ''], ['>', 'QUIT', ''], ['-', '', 'Local'],
    ];
    const row = one(header('Send') + session('Internet Send Connector', '08DC41A2B7C3D010', '198.51.100.25:25', events), { folders: ['EX01', 'FrontEnd', 'ProtocolLog', 'SmtpSend'] });
    expect(row.dims).toMatchObject({
      source: 'smtp-send', server: 'EX01', site: 'Internet Send Connector', clientIp: '198.51.100.25', protocol: 'TLS 1.1',
      protocolCode: 'SP_PROT_TLS1_1_CLIENT', cipher: '3DES', keyExchange: 'RSA', userAgent: 'mx.fabrikam.com', internal: 0,
    });
  });

  it('a failed STARTTLS keeps its error: negotiation failure, disconnect mid-handshake, refusal', () => {
    const start: [string, string, string][] = [['+', '', ''], ['<', 'EHLO scanner01', ''], ['<', 'STARTTLS', ''], ['>', '220 2.0.0 SMTP server ready', '']];
    const a = one(header('Receive') + session('EX01\\Default Frontend EX01', '08DC41A2B7C3D020', '192.0.2.50:40000', [...start, ['*', '', 'TLS negotiation failed with error UnknownCredentials'], ['-', '', 'Local']]));
    expect(a.dims).toMatchObject({ protocol: 'failed', detail: 'UnknownCredentials', protocolCode: null, cipher: null, userAgent: 'scanner01' });
    const b = one(header('Receive') + session('EX01\\Default Frontend EX01', '08DC41A2B7C3D021', '192.0.2.51:40000', [...start, ['-', '', 'Remote(SocketError)']]));
    expect(b.dims).toMatchObject({ protocol: 'failed', detail: 'Remote(SocketError)' });
    const c = one(header('Receive') + session('EX01\\Default Frontend EX01', '08DC41A2B7C3D022', '192.0.2.52:40000', [
      ['+', '', ''], ['<', 'STARTTLS', ''], ['>', '454 4.7.0 TLS not available due to temporary reason', ''], ['<', 'QUIT', ''], ['-', '', 'Local'],
    ]));
    expect(c.dims).toMatchObject({ protocol: 'failed', detail: '454 4.7.0 TLS not available due to temporary reason' });
  });

  it('no STARTTLS is protocol none; a handshake without a TLS line (older Exchange) is unknown', () => {
    const plain = one(header('Receive') + session('EX01\\Default Frontend EX01', '08DC41A2B7C3D030', '[2001:db8::5]:25', [
      ['+', '', ''], ['<', 'HELO printer', ''], ['<', 'MAIL FROM:<scan@contoso.com>', ''], ['>', '550 5.7.1 Unable to relay', ''], ['-', '', 'Local'],
    ]));
    expect(plain.dims).toMatchObject({ protocol: 'none', clientIp: '2001:db8::5', userAgent: 'printer' });
    expect(plain.errors).toBe(1);
    const silent = one(header('Receive') + session('EX01\\Default Frontend EX01', '08DC41A2B7C3D031', '192.0.2.60:1', [
      ['+', '', ''], ['<', 'EHLO old', ''], ['<', 'STARTTLS', ''], ['>', '220 2.0.0 SMTP server ready', ''], ['<', 'EHLO old', ''], ['-', '', 'Local'],
    ]));
    expect(silent.dims).toMatchObject({ protocol: 'unknown', detail: null });
  });

  it('marks Exchange server-to-server hops internal: X-ANONYMOUSTLS, Hub receive folders, built-in connectors', () => {
    const anon = one(header('Receive') + session('EX02\\Default EX02', '08DC41A2B7C3D040', '10.20.0.16:3000', [
      ['+', '', ''], ['<', 'EHLO EX01.contoso.com', ''], ['<', 'X-ANONYMOUSTLS', ''], ['>', '220 2.0.0 SMTP server ready', ''],
      ['*', '', tlsLine('SP_PROT_TLS1_2_SERVER')], ['-', '', 'Local'],
    ]));
    expect(anon.dims).toMatchObject({ internal: 1, protocol: 'TLS 1.2' });
    const text = header('Receive') + session('EX02\\Default EX02', '08DC41A2B7C3D041', '10.20.0.16:3001', STARTTLS_OK('SP_PROT_TLS1_2_SERVER'));
    expect(one(text, { folders: ['EX02', 'TransportRoles', 'Logs', 'Hub', 'ProtocolLog', 'SmtpReceive'] }).dims.internal).toBe(1);
    expect(one(text, { folders: ['EX02', 'TransportRoles', 'Logs', 'FrontEnd', 'ProtocolLog', 'SmtpReceive'] }).dims.internal).toBe(0);
    const proxy = one(header('Send') + session('Inbound Proxy Internal Send Connector', '08DC41A2B7C3D042', '10.20.0.16:2525', [['+', '', ''], ['-', '', 'Local']]));
    expect(proxy.dims.internal).toBe(1);
  });
});

describe('SMTP: messy input is reported, never fatal, and loses no session', () => {
  it('non-ASCII connector names and redacted endpoints: counted, kept as logged, reported', () => {
    const conn = '组织内 SMTP 发送连接器';
    const r = smtp(header('Send') + session(conn, '08D760DF231F00BC', '10.**.**.168:25', [['+', '', ''], ['>', 'EHLO ex.contoso.cn', ''], ['-', '', 'Local']]), { folders: ['MAIL01'] });
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0].dims).toMatchObject({ site: conn, server: 'MAIL01', clientIp: '10.**.**.168', source: 'smtp-send' });
    expect(diagCounts(r.diagnostics)).toEqual({ bad_address: 1 });
  });

  it('leading spaces in unquoted data, an unclosed quote, a line of another format, blank lines and a second header block', () => {
    const text =
      header('Receive') +
      '2024-03-11T08:00:00.000Z,EX01\\Default Frontend EX01,08DC41A2B7C3D050,0,10.20.0.15:25,192.0.2.70:1000,+,,\r\n' +
      '2024-03-11T08:00:01.000Z,EX01\\Default Frontend EX01,08DC41A2B7C3D050,1,10.20.0.15:25,192.0.2.70:1000,*, CN=EX01 CN=EX01 12DE,Sending certificate\r\n' +
      '2024-03-11T08:00:02.000Z,EX01\\Default Frontend EX01,08DC41A2B7C3D050,2,10.20.0.15:25,192.0.2.70:1000,<,"EHLO broken\r\n' +
      '2024-03-11T08:00:03.000Z,EX01\\Default Frontend EX01,08DC41A2B7C3D050,3,10.20.0.15:25,192.0.2.70:1000,*, CONTOSO\\printer,authenticated\r\n' +
      '2018-10-08T15:09:27.508Z,00000000002A64E8,2,5.5.5.5:993,109.75.46.81:40016,user@example.com,23,31,30,authenticate,plain,R=ok\r\n' +
      '\r\n\r\n' +
      header('Send') +
      session('Outbound to Internet', '08DC41A2B7C3D051', '198.51.100.1:25', [['+', '', ''], ['-', '', 'Local']]) +
      'not,a,log,line\r\n' +
      '2024-03-11T08:00:04.000Z,EX01\\Default Frontend EX01,08DC41A2B7C3D050,4,10.20.0.15:25,192.0.2.70:1000,-,,Local\r\n';
    const r = smtp(text);
    expect(diagCounts(r.diagnostics)).toEqual({ bad_record: 1, field_count: 2 });
    expect(r.rows.map((x) => [x.dims.source, x.dims.clientIp, x.dims.username])).toEqual([
      ['smtp-receive', '192.0.2.70', 'CONTOSO\\printer'],
      ['smtp-send', '198.51.100.1', null],
    ]);
  });

  it('data lines before #Fields and bad timestamps are reported', () => {
    const r = smtp('2024-03-11T08:00:00.000Z,EX01\\A,1,0,a,b,+,,\r\n' + header('Receive') + 'yesterday,EX01\\A,1,0,a,b,+,,\r\n');
    expect(diagCounts(r.diagnostics)).toEqual({ bad_timestamp: 1, no_fields: 1 });
    expect(r.rows).toEqual([]);
  });
});

describe('SMTP: the chain a file belongs to (files of different chains are read at once)', () => {
  const head = (name: string, bytes = 4096): Buffer => exchangeFixture(`exchange/${name}`).subarray(0, bytes);
  /** What the scheduler hands a format: the whole lines of a file's head. */
  const chainOf = (h: Buffer): string | null => smtpChain(wholeHeadLines(h));

  it('a Receive log: its server, from the SERVER\\connector ids; a Send log: all Send logs (real samples)', () => {
    expect(chainOf(head('artefacts-RECV2023011116-1.LOG'))).toBe('receive:server-hostname');
    expect(chainOf(head('ipban-smtp_auth_successful.log'))).toBe('receive:srv-xch03');
    expect(exchangeSmtpFormat.sessionChain?.(wholeHeadLines(head('ipban-smtp_auth_successful.log')))).toBe('receive:srv-xch03');
    const send = `#Software: Microsoft Exchange Server\r\n#Version: 15.0.0.0\r\n#Log-type: SMTP Send Protocol Log\r\n` +
      `#Date: 2019-11-04T06:00:00.000Z\r\n#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,` +
      `remote-endpoint,event,data,context\r\n${head('css-docsite-SEND20191104-excerpt.LOG').toString('utf8')}`;
    expect(chainOf(Buffer.from(send))).toBe('send');
  });

  it('unknown (read after every earlier file, before every later one) whenever the head does not say', () => {
    expect(chainOf(head('css-docsite-SEND20191104-excerpt.LOG'))).toBeNull(); // no #Log-type (an excerpt)
    expect(chainOf(head('crowdsec-exchange-smtp-logs.log'))).toBeNull();
    const recv = head('ipban-smtp_auth_successful.log');
    const firstData = recv.indexOf('\n2020-');
    expect(chainOf(recv.subarray(0, firstData + 40))).toBeNull(); // no whole data line yet
    expect(chainOf(recv.subarray(0, firstData + 1))).toBeNull();
    const noConnector = Buffer.from(recv.toString('latin1').replace('connector-id,', 'connector,'), 'latin1');
    expect(chainOf(noConnector)).toBeNull();
    const noServer = Buffer.from(recv.toString('latin1').replaceAll('SRV-XCH03\\', ''), 'latin1');
    expect(chainOf(noServer)).toBeNull();
  });
});

describe('the data of a command or reply is cut out only when it counts', () => {
  it('an event whose data smtpReadsData passes over changes a session as with its data, for every TLS state and direction', () => {
    // the data of every `<` and `>` line of the real SMTP samples, and the cases the rules look for in any case
    const datas = new Set<string>(['', 'EHLO a', 'ehlo a', 'HELO b', 'LHLO c', 'STARTTLS', 'starttls', 'X-ANONYMOUSTLS',
      'MAIL FROM:<a@b>', '220 2.0.0 SMTP server ready', '220 mx.contoso.com Microsoft ESMTP', '250-mx Hello [1.2.3.4]',
      '421 4.3.2 Service not available', '454 4.7.0 Temporary authentication failure', '535 5.7.3 Authentication unsuccessful',
      '504 5.7.4 Unrecognized authentication type', 'X', 'e', 's']);
    for (const name of ['artefacts-RECV2023011116-1.LOG', 'css-docsite-SEND20191104-excerpt.LOG', 'ipban-smtp_auth_unsuccessful.log',
      'crowdsec-exchange-smtp-logs.log', 'composed-send-tls-spellings.LOG']) {
      for (const line of fx(name).toString('utf8').split(/\r?\n/)) {
        const v = parseCsvLine(line);
        if (typeof v !== 'string' && (v[6] === '<' || v[6] === '>') && v[7] !== undefined) datas.add(v[7]);
      }
    }
    expect(datas.size).toBeGreaterThan(50);
    let passedOver = 0;
    for (const dir of ['receive', 'send'] as const) {
      for (const tls of Object.values(Tls)) {
        for (const remote of [null, 'mx.fabrikam.com']) {
          for (const event of ['<', '>'] as const) {
            for (const data of datas) {
              const fresh = (): SmtpSession => ({ ...newSmtpSession('2024-03-11T08:00:00.000Z', dir, 'C', 'S', false), tls, remote });
              if (smtpReadsData(fresh(), event, data.charCodeAt(0))) continue;
              passedOver++;
              const withData = fresh();
              const without = fresh();
              applySmtpEvent(withData, event, data, '', 3);
              applySmtpEvent(without, event, '', '', 3);
              // string keys only: the table's symbol key (undefined in both) is not part of the state
              const state = (x: SmtpSession): unknown => [dir, tls, remote, event, data, Object.fromEntries(Object.entries(x))];
              expect(state(without)).toEqual(state(withData));
            }
          }
        }
      }
    }
    expect(passedOver).toBeGreaterThan(1000);
  });
});
