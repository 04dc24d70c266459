// The built CLI over one exported folder of mixed IIS, SMTP Receive/Send, IMAP4 and HTTP.sys logs (laid out as
// Exchange writes them): one database, one legacy_clients view with every client below TLS 1.2 whatever it speaks.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'tls-census.js');
const OLD = new Date('2024-04-01T00:00:00Z');

const tls = (proto: string) =>
  `"TLS protocol ${proto} negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA1 with strength 160 bits and key exchange algorithm CALG_ECDH_EPHEM with strength 256 bits"`;
const smtpHeader = (type: string) =>
  `#Software: Microsoft Exchange Server\r\n#Version: 15.02.1544.004\r\n#Log-type: SMTP ${type} Protocol Log\r\n#Date: 2024-03-11T08:00:00.000Z\r\n` +
  '#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\r\n';

const FILES: Record<string, string> = {
  'EXCH01/W3SVC1/u_ex240311_x.log':
    '#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2024-03-11 00:00:00\r\n' +
    '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken crypt-protocol crypt-cipher crypt-hash crypt-keyexchange\r\n' +
    '2024-03-11 07:00:00 10.20.0.15 POST /Microsoft-Server-ActiveSync/default.eas - 443 jdoe 198.51.100.7 Android-EAS/4.2 - 200 0 0 31 40 6610 8004 a400\r\n' +
    '2024-03-11 07:00:01 10.20.0.15 GET /owa/ - 443 - 198.51.100.8 Mozilla/5.0 - 200 0 0 31 400 6610 800d ae06\r\n',
  'EXCH01/TransportRoles/Logs/FrontEnd/ProtocolLog/SmtpReceive/RECV2024031108-1.LOG':
    smtpHeader('Receive') +
    '2024-03-11T08:00:02.117Z,EXCH01\\Default Frontend EXCH01,08DC41A2B7C3D001,0,10.20.0.15:25,192.0.2.44:51234,+,,\r\n' +
    '2024-03-11T08:00:02.131Z,EXCH01\\Default Frontend EXCH01,08DC41A2B7C3D001,1,10.20.0.15:25,192.0.2.44:51234,<,EHLO MFP-3F.contoso.com,\r\n' +
    '2024-03-11T08:00:02.140Z,EXCH01\\Default Frontend EXCH01,08DC41A2B7C3D001,2,10.20.0.15:25,192.0.2.44:51234,<,STARTTLS,\r\n' +
    '2024-03-11T08:00:02.141Z,EXCH01\\Default Frontend EXCH01,08DC41A2B7C3D001,3,10.20.0.15:25,192.0.2.44:51234,>,220 2.0.0 SMTP server ready,\r\n' +
    `2024-03-11T08:00:02.187Z,EXCH01\\Default Frontend EXCH01,08DC41A2B7C3D001,4,10.20.0.15:25,192.0.2.44:51234,*,,${tls('SP_PROT_TLS1_0_SERVER')}\r\n` +
    '2024-03-11T08:00:02.214Z,EXCH01\\Default Frontend EXCH01,08DC41A2B7C3D001,5,10.20.0.15:25,192.0.2.44:51234,*,CONTOSO\\svc-scan,authenticated\r\n' +
    '2024-03-11T08:00:02.420Z,EXCH01\\Default Frontend EXCH01,08DC41A2B7C3D001,6,10.20.0.15:25,192.0.2.44:51234,-,,Local\r\n',
  'EXCH01/TransportRoles/Logs/FrontEnd/ProtocolLog/SmtpSend/SEND2024031108-1.LOG':
    smtpHeader('Send') +
    '2024-03-11T08:10:00.000Z,Partner Connector,08DC41A2B7C3D100,0,,198.51.100.25:25,*,,attempting to connect\r\n' +
    '2024-03-11T08:10:00.100Z,Partner Connector,08DC41A2B7C3D100,1,10.20.0.15:40000,198.51.100.25:25,+,,\r\n' +
    '2024-03-11T08:10:00.150Z,Partner Connector,08DC41A2B7C3D100,2,10.20.0.15:40000,198.51.100.25:25,<,"220 mx.partner.example Microsoft ESMTP MAIL Service ready at Mon, 11 Mar 2024 08:10:00 +0000",\r\n' +
    '2024-03-11T08:10:00.200Z,Partner Connector,08DC41A2B7C3D100,3,10.20.0.15:40000,198.51.100.25:25,>,EHLO EXCH01.contoso.com,\r\n' +
    '2024-03-11T08:10:00.300Z,Partner Connector,08DC41A2B7C3D100,4,10.20.0.15:40000,198.51.100.25:25,>,STARTTLS,\r\n' +
    '2024-03-11T08:10:00.400Z,Partner Connector,08DC41A2B7C3D100,5,10.20.0.15:40000,198.51.100.25:25,<,220 2.0.0 Ready,\r\n' +
    `2024-03-11T08:10:00.500Z,Partner Connector,08DC41A2B7C3D100,6,10.20.0.15:40000,198.51.100.25:25,*,,${tls('SP_PROT_TLS1_1_CLIENT')}\r\n` +
    '2024-03-11T08:10:01.000Z,Partner Connector,08DC41A2B7C3D100,7,10.20.0.15:40000,198.51.100.25:25,-,,Local\r\n',
  'EXCH01/Logging/Imap4/IMAP4BE20240311-1.LOG':
    '#Software: Microsoft Exchange Server\r\n#Version: 15.02.1544.004\r\n#Log-type: IMAP4 Protocol Log\r\n#Date: 2024-03-11T08:00:00.000Z\r\n' +
    '#Fields: dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context\r\n' +
    '2024-03-11T08:05:10.552Z,0000000000001A2B,0,10.20.0.15:993,203.0.113.61:50312,,2,0,53,OpenSession,,\r\n' +
    '2024-03-11T08:05:10.701Z,0000000000001A2B,1,10.20.0.15:993,203.0.113.61:50312,jdoe@contoso.com,31,24,21,login,jdoe@contoso.com *****,R=ok\r\n' +
    '2024-03-11T08:05:11.000Z,0000000000001A2B,2,10.20.0.15:993,203.0.113.61:50312,,0,0,0,CloseSession,,\r\n',
  'EXCH01/Windows/System32/LogFiles/HTTPERR/httperr1.log':
    '#Software: Microsoft HTTP API 2.0\r\n#Version: 1.0\r\n#Date: 2024-03-11 09:12:00\r\n' +
    '#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri streamid sc-status s-siteid s-reason s-queuename\r\n' +
    '2024-03-11 09:12:00 198.51.100.7 51522 10.20.0.15 443 - - - - - - Timer_ConnectionIdle -\r\n',
};

function folder(): string {
  const root = join(tempDir(), 'export');
  for (const [rel, text] of Object.entries(FILES)) {
    const path = join(root, rel);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    utimesSync(path, OLD, OLD);
  }
  const real = join(root, 'EXCH02', 'SmtpReceive', 'RECV2023011116-1.LOG'); // a real sample (artefacts.help, CC0)
  mkdirSync(join(real, '..'), { recursive: true });
  copyFileSync(join(ROOT, 'test', 'fixtures', 'exchange', 'artefacts-RECV2023011116-1.LOG'), real);
  utimesSync(real, OLD, OLD);
  return root;
}

const cli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('tls-census scan of a mixed IIS + Exchange folder', () => {
  it('puts IIS, SMTP, IMAP4 and HTTP.sys rows in one database; legacy_clients lists every client below TLS 1.2', () => {
    const root = folder();
    const db = join(root, '..', 'census.db');
    const r = cli(['scan', root, '--db', db]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/smtp-receive\s+TLS 1\.0/);
    expect(r.stdout).toMatch(/Exchange Server \(SMTP, POP3\/IMAP4, HTTP\.sys\)/);
    expect(r.stdout).toMatch(/POP3\/IMAP4: 1 sessions from 1 addresses with no TLS version/);
    expect(r.stdout).toMatch(/198\.51\.100\.7 +1 +0 {2}2024-03-11/);
    const conn = new Database(db, { readonly: true });
    const legacy = conn
      .prepare(`SELECT source, client_ip, username, user_agent, tls10_hits, tls11_hits, internal FROM legacy_clients ORDER BY source`)
      .all();
    expect(legacy).toEqual([
      { source: 'iis', client_ip: '198.51.100.7', username: 'jdoe', user_agent: 'Android-EAS/4.2', tls10_hits: 1, tls11_hits: 0, internal: 0 },
      { source: 'smtp-receive', client_ip: '192.0.2.44', username: 'CONTOSO\\svc-scan', user_agent: 'MFP-3F.contoso.com', tls10_hits: 1, tls11_hits: 0, internal: 0 },
      { source: 'smtp-send', client_ip: '198.51.100.25', username: null, user_agent: 'mx.partner.example', tls10_hits: 0, tls11_hits: 1, internal: 0 },
    ]);
    const formats = conn.prepare(`SELECT format, count(*) AS n FROM files WHERE status = 'read' GROUP BY format ORDER BY format`).all();
    expect(formats).toEqual([
      { format: 'exchange-pop-imap', n: 1 }, { format: 'exchange-smtp', n: 3 }, { format: 'httperr', n: 1 }, { format: 'iis-w3c', n: 1 },
    ]);
    const real = conn.prepare(`SELECT server, protocol, cipher FROM usage WHERE client_ip = '95.10.20.33'`).all();
    expect(real).toEqual([{ server: 'SERVER-HOSTNAME', protocol: 'TLS 1.2', cipher: 'AES-128' }]);
    conn.close();
    const again = cli(['scan', root, '--db', db]);
    expect(again.status).toBe(0);
    const c2 = new Database(db, { readonly: true });
    expect(c2.prepare(`SELECT sum(hits) AS n FROM usage WHERE source LIKE 'smtp-%'`).get()).toEqual({ n: 3 }); // two composed sessions and the artefacts.help one, not again
    c2.close();
  });
});
