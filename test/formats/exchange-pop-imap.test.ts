// Exchange POP3/IMAP4 protocol logs: the CrowdSec hub samples (MIT) against their parser.assert values, then
// composed sessions for the 13th column, doubled quotes, a TLS token, back-end hops and repeated lines.
import { describe, expect, it } from 'vitest';
import { wholeHeadLines } from '../../src/engine/sniff.js';
import { exchangePopImapFormat, popImapChain } from '../../src/formats/exchange-pop-imap.js';
import { exchangeSmtpFormat } from '../../src/formats/exchange-smtp.js';
import { diagCounts, exchangeFixture, hits, runFormat } from './exchange-run.js';

const FIELDS = '#Fields: dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context';
const header = (type: 'POP3' | 'IMAP4'): string =>
  `#Software: Microsoft Exchange Server\r\n#Version: 15.02.1544.004\r\n#Log-type: ${type} Protocol Log\r\n` +
  `#Date: 2024-03-11T08:00:00.000Z\r\n${FIELDS}\r\n`;
const fx = (name: string): string => exchangeFixture(`exchange/${name}`).toString('utf8');
const run = (text: string, opts = {}) => runFormat(exchangePopImapFormat, text, opts);

describe('POP3/IMAP4: CrowdSec hub samples (lines without directives; the test adds the header)', () => {
  // exchange-imap-logs parser.assert: client_ip 192.168.9.212, server_port 143, username testuser,
  // session_id 000000000000000E, command authenticate, sequence_number 2, sub_type auth_fail.
  it('IMAP4: one failed login of testuser from 192.168.9.212, TLS version unknown', () => {
    const r = run(header('IMAP4') + fx('crowdsec-exchange-imap-logs.log'));
    expect(r.diagnostics).toEqual([]);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0].dims).toMatchObject({
      source: 'imap4', endpoint: 'IMAP4', clientIp: '192.168.9.212', username: 'testuser', protocol: 'unknown',
      protocolCode: null, internal: 0, server: 'EXCH01',
    });
    expect([r.rows[0].hits, r.rows[0].authFailures, r.rows[0].firstSeen]).toEqual([1, 1, '2022-07-20T21:28:50Z']);
  });

  // exchange-pop-logs parser.assert: client_ip 192.168.9.212, server_port 110, username testuser, parameters " PLAIN".
  it('POP3: the same for a POP3 login; the parameter with a leading space does not disturb the columns', () => {
    const r = run(header('POP3') + fx('crowdsec-exchange-pop-logs.log'));
    expect(r.diagnostics).toEqual([]);
    expect(r.rows[0].dims).toMatchObject({ source: 'pop3', endpoint: 'POP3', clientIp: '192.168.9.212', username: 'testuser' });
    expect(r.rows[0].authFailures).toBe(1);
  });

  it.each([['crowdsec-exchange-imap-bf.log', 'IMAP4', 6], ['crowdsec-exchange-pop-bf.log', 'POP3', 7]] as const)(
    '%s: copies of one line are one session and repeats',
    (name, type, repeats) => {
      const r = run(header(type) + fx(name));
      expect(diagCounts(r.diagnostics)).toEqual({ duplicate_line: repeats });
      expect(hits(r.rows)).toBe(1);
      for (const chunk of [1, 7, 64]) expect(run(header(type) + fx(name), { chunk, resumeEvery: 2 }).rows).toEqual(r.rows);
    },
  );

  it('the IMAP4 line that IPBan found inside an SMTP log is reported there, not counted as SMTP', () => {
    const r = runFormat(exchangeSmtpFormat, exchangeFixture('exchange/ipban-smtp_auth_unsuccessful.log'));
    expect(r.rows.some((x) => x.dims.clientIp === '109.75.46.81')).toBe(false);
    expect(r.diagnostics.find((d) => d.code === 'field_count')?.message).toMatch(/POP3\/IMAP4 line/);
  });
});

describe('POP3/IMAP4: composed sessions', () => {
  const s = (seq: number, ts: string, user: string, command: string, params: string, context: string, port = 993, tail = '') =>
    `2024-03-11T${ts}Z,0000000000001A2B,${seq},10.20.0.15:${port},203.0.113.61:50312,${user},2,0,53,${command},${params},${context}${tail}\r\n`;

  it('OpenSession … CloseSession is one hit; doubled quotes and a 13th empty column are read', () => {
    const text = header('IMAP4') +
      s(0, '08:05:10.552', '', 'OpenSession', '', '', 993, ',') +
      s(1, '08:05:10.701', 'jdoe@contoso.com', 'login', 'jdoe@contoso.com *****', '"R=OK;Msg=""Proxy:ex02.contoso.com:1993:SSL;ProxySuccess"""', 993, ',') +
      s(2, '08:05:11.000', 'jdoe@contoso.com', 'select', 'INBOX', '"R=""2 NO [NONEXISTENT] Unknown folder"""', 993, ',') +
      s(3, '08:05:12.000', '', 'CloseSession', '', '', 993, ',');
    const r = run(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0].dims).toMatchObject({ username: 'jdoe@contoso.com', protocol: 'unknown', source: 'imap4' });
    expect([r.rows[0].hits, r.rows[0].authFailures, r.rows[0].errors]).toEqual([1, 0, 1]);
    expect(run(text, { end: false }).rows).toEqual(r.rows); // counted at CloseSession, not at the end of the read
  });

  it('decodes a TLS token when Exchange writes one, marks back-end hops internal, takes the kind from the port', () => {
    const fields = FIELDS + '\r\n'; // no #Log-type: the port tells POP3 from IMAP4
    const tls = run(fields + s(0, '08:00:00.000', 'a', 'OpenSession', '', 'SslProtocol=SP_PROT_TLS1_0_SERVER', 995) + s(1, '08:00:01.000', 'a', 'CloseSession', '', '', 995));
    expect(tls.rows[0].dims).toMatchObject({ source: 'pop3', protocol: 'TLS 1.0', protocolCode: 'SP_PROT_TLS1_0_SERVER' });
    expect(tls.tlsFields).toBe(true);
    const be = run(header('IMAP4') + s(0, '08:00:00.000', 'b', 'OpenSession', '', '', 1993) + s(1, '08:00:01.000', 'b', 'CloseSession', '', '', 1993));
    expect(be.rows[0].dims.internal).toBe(1);
  });

  it('redacted client addresses, short lines and bad times are reported; sessions still counted', () => {
    const text = header('POP3') +
      '2024-03-11T08:00:00.000Z,0000000000000005,0,10.20.0.15:995,10.**.**.9:1000,u,1,1,1,OpenSession,,\r\n' +
      '2024-03-11T08:00:01.000Z,0000000000000005,1,10.20.0.15:995\r\n' +
      'noon,0000000000000005,2,10.20.0.15:995,10.**.**.9:1000,u,1,1,1,user,u,R=OK\r\n' +
      '2024-03-11T08:00:03.000Z,0000000000000005,3,10.20.0.15:995,10.**.**.9:1000,u,1,1,1,CloseSession,,\r\n';
    const r = run(text);
    expect(diagCounts(r.diagnostics)).toEqual({ bad_address: 1, bad_timestamp: 1, field_count: 1 });
    expect(r.rows.map((x) => [x.dims.clientIp, x.hits])).toEqual([['10.**.**.9', 1]]);
  });

  it('sniffs by #Log-type or the #Fields list, and leaves SMTP logs to the SMTP format', () => {
    expect(exchangePopImapFormat.sniff(header('IMAP4').split('\r\n'))).toBe(true);
    expect(exchangePopImapFormat.sniff([FIELDS])).toBe(true);
    expect(exchangePopImapFormat.sniff(['#Log-type: SMTP Receive Protocol Log', FIELDS])).toBe(false);
    expect(exchangeSmtpFormat.sniff(header('POP3').split('\r\n'))).toBe(false);
  });
});

describe('POP3/IMAP4: the chain a file belongs to (POP3 and IMAP4 logs are read at once)', () => {
  /** What the scheduler hands a format: the whole lines of a file's head. */
  const chainOf = (h: Buffer): string | null => popImapChain(wholeHeadLines(h));

  it('its kind, from the #Log-type of its first header block; unknown without one', () => {
    const pop = header('POP3') + fx('crowdsec-exchange-pop-logs.log');
    expect(chainOf(Buffer.from(pop))).toBe('pop3');
    expect(chainOf(Buffer.from(`\ufeff${header('IMAP4')}${fx('crowdsec-exchange-imap-logs.log')}`))).toBe('imap4');
    expect(exchangePopImapFormat.sessionChain?.(wholeHeadLines(Buffer.from(pop)))).toBe('pop3');
    expect(chainOf(Buffer.from(fx('crowdsec-exchange-pop-logs.log')))).toBeNull(); // lines without directives
    expect(chainOf(Buffer.from(`${FIELDS}\r\n${fx('crowdsec-exchange-imap-logs.log')}`))).toBeNull(); // no #Log-type
  });
});
