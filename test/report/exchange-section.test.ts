// The Exchange Server section of the summary, read from a database filled by a real scan of composed logs:
// failed SMTP handshakes, POP3/IMAP4 clients to check by other means, HTTP.sys drops next to IIS TLS 1.0 use.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCAN, scan } from '../../src/engine/scan.js';
import { DEFAULT_FIELD_MAP } from '../../src/formats/iis-w3c.js';
import { formatExchangeSection, readExchangeSection, redactExchangeSection, type ExchangeWindow } from '../../src/report/sections/exchange.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { Store } from '../../src/store/store.js';
import { tempDir } from '../helpers.js';

const ALL: ExchangeWindow = { since: null, until: null, servers: [], sources: [] };
const OLD = new Date('2024-04-01T00:00:00Z');

const IIS =
  '#Software: Microsoft Internet Information Services 10.0\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken crypt-protocol crypt-cipher crypt-hash crypt-keyexchange\n' +
  '2024-03-10 07:00:00 10.20.0.15 POST /Microsoft-Server-ActiveSync/default.eas - 443 jdoe 198.51.100.7 Android-EAS/4.2 - 200 0 0 31 40 6610 8004 a400\n' +
  '2024-03-12 07:00:00 10.20.0.15 GET /owa/ - 443 - 198.51.100.8 Mozilla/5.0 - 200 0 0 31 400 6610 800d ae06\n';
const HTTPERR =
  '#Software: Microsoft HTTP API 2.0\n#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename\n' +
  '2024-03-11 09:00:00 198.51.100.7 5000 10.20.0.15 443 - - - - - Timer_ConnectionIdle -\n' +
  '2024-03-11 09:00:05 198.51.100.7 5001 10.20.0.15 443 - - - - - Timer_ConnectionIdle -\n' +
  '2024-03-11 09:01:00 198.51.100.7 5002 10.20.0.15 443 HTTP/1.1 POST /Microsoft-Server-ActiveSync - 1 Connection_Dropped MSExchangeSyncAppPool\n' +
  '2024-03-11 09:02:00 198.51.100.8 6000 10.20.0.15 443 - - - - - Timer_ConnectionIdle -\n' +
  '2024-03-11 09:03:00 198.51.100.9 7000 10.20.0.15 443 HTTP/1.1 GET /nope 404 1 NotFound -\n';
const RECV =
  '#Software: Microsoft Exchange Server\n#Log-type: SMTP Receive Protocol Log\n#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\n' +
  '2024-03-11T08:00:00.000Z,EX01\\Default Frontend EX01,08DC000000000001,0,10.20.0.15:25,192.0.2.44:4000,+,,\n' +
  '2024-03-11T08:00:01.000Z,EX01\\Default Frontend EX01,08DC000000000001,1,10.20.0.15:25,192.0.2.44:4000,<,EHLO MFP-Lobby,\n' +
  '2024-03-11T08:00:02.000Z,EX01\\Default Frontend EX01,08DC000000000001,2,10.20.0.15:25,192.0.2.44:4000,<,STARTTLS,\n' +
  '2024-03-11T08:00:03.000Z,EX01\\Default Frontend EX01,08DC000000000001,3,10.20.0.15:25,192.0.2.44:4000,>,220 2.0.0 SMTP server ready,\n' +
  '2024-03-11T08:00:04.000Z,EX01\\Default Frontend EX01,08DC000000000001,4,10.20.0.15:25,192.0.2.44:4000,*,,TLS negotiation failed with error SocketError\n' +
  '2024-03-11T08:00:05.000Z,EX01\\Default Frontend EX01,08DC000000000001,5,10.20.0.15:25,192.0.2.44:4000,-,,Local\n';
const IMAP =
  '#Software: Microsoft Exchange Server\n#Log-type: IMAP4 Protocol Log\n#Fields: dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context\n' +
  '2024-03-11T08:05:10.552Z,0000000000001A2B,0,10.20.0.15:993,203.0.113.61:50312,,2,0,53,OpenSession,,\n' +
  '2024-03-11T08:05:10.701Z,0000000000001A2B,1,10.20.0.15:993,203.0.113.61:50312,jdoe@contoso.com,31,24,21,login,jdoe@contoso.com *****,R=ok\n' +
  '2024-03-11T08:05:11.000Z,0000000000001A2B,2,10.20.0.15:993,203.0.113.61:50312,,0,0,0,CloseSession,,\n';

async function database(): Promise<Db> {
  const root = tempDir();
  const put = (rel: string, text: string) => {
    const path = join(root, rel);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    utimesSync(path, OLD, OLD);
  };
  put('EX01/W3SVC1/u_ex240310_x.log', IIS);
  put('EX01/HTTPERR/httperr1.log', HTTPERR);
  put('EX01/SmtpReceive/RECV2024031108-1.LOG', RECV);
  put('EX01/Imap4/IMAP4BE20240311-1.LOG', IMAP);
  const db = openDatabase(join(root, 'census.db'));
  await scan(new Store(db), { ...DEFAULT_SCAN, paths: [root], exclude: [db.name], fieldMap: DEFAULT_FIELD_MAP, now: new Date() });
  return db;
}

describe('Exchange section of the summary', () => {
  it('lists failed SMTP handshakes, POP3/IMAP4 clients to check, and HTTP.sys drops with the IIS TLS 1.0 day', async () => {
    const db = await database();
    const s = readExchangeSection(db, ALL, 20);
    expect(s?.failed).toEqual({
      sessions: 1, clients: 1,
      listed: [{ source: 'smtp-receive', clientIp: '192.0.2.44', ehlo: 'MFP-Lobby', connector: 'EX01\\Default Frontend EX01', error: 'SocketError', sessions: 1, lastSeen: '2024-03-11T08:00:05Z', internal: 0 }],
    });
    expect(s?.unknownMail).toEqual({
      sessions: 1, clients: 1,
      listed: [{ source: 'imap4', clientIp: '203.0.113.61', username: 'jdoe@contoso.com', sessions: 1, lastSeen: '2024-03-11T08:05:11Z' }],
    });
    expect(s?.httpErr).toEqual({
      rows: 2, clients: 2,
      listed: [
        { day: '2024-03-11', clientIp: '198.51.100.7', timeouts: 2, dropped: 1, legacyIisDay: '2024-03-10' },
        { day: '2024-03-11', clientIp: '198.51.100.8', timeouts: 1, dropped: 0, legacyIisDay: null },
      ],
    });
    expect(s?.pending).toBeNull();
    const text = formatExchangeSection(s);
    expect(text.join('\n')).toMatch(/Check these clients by other means/);
    expect(text.find((l) => l.includes('198.51.100.7'))).toMatch(/2024-03-11 +198\.51\.100\.7 +2 +1 +2024-03-10$/);
    expect(text.find((l) => l.includes('198.51.100.8'))).toMatch(/not seen$/);
    expect(text.find((l) => l.includes('MFP-Lobby'))).toMatch(/SocketError \(Default Frontend EX01\)$/);
    for (const l of text) expect(l.length).toBeLessThanOrEqual(100);
    db.close();
  });

  it('follows the report window and --source, and is null without Exchange rows', async () => {
    const db = await database();
    expect(readExchangeSection(db, { ...ALL, since: '2024-03-12' }, 20)).toBeNull();
    const onlyHttp = readExchangeSection(db, { ...ALL, sources: ['httperr'] }, 1);
    expect([onlyHttp?.failed, onlyHttp?.unknownMail, onlyHttp?.httpErr?.listed.length]).toEqual([null, null, 1]);
    expect(formatExchangeSection(onlyHttp).join('\n')).toMatch(/top 1; --top N for more/);
    expect(readExchangeSection(db, { ...ALL, servers: ['other'] }, 20)).toBeNull();
    expect(formatExchangeSection(null)).toEqual([]);
    db.close();
  });

  it('shows pending sessions, and hides addresses and users under --redact', async () => {
    const db = await database();
    db.prepare(`INSERT INTO pending_sessions (format, session_key, last_seen, counted, state) VALUES ('exchange-smtp', 'k', '2024-03-11T09:59:00.000Z', 0, '{}')`).run();
    const s = readExchangeSection(db, ALL, 20);
    expect(s?.pending).toEqual({ sessions: 1, oldest: '2024-03-11T09:59:00.000Z' });
    expect(formatExchangeSection(s).join('\n')).toMatch(/Pending: 1 SMTP\/POP3\/IMAP4 sessions/);
    const hidden = redactExchangeSection(s, (kind, v) => (v === null ? null : `${kind}-x`));
    expect(hidden?.unknownMail?.listed[0]).toMatchObject({ clientIp: 'ip-x', username: 'user-x' });
    expect(hidden?.httpErr?.listed.map((d) => d.clientIp)).toEqual(['ip-x', 'ip-x']);
    expect(hidden?.failed?.listed[0]).toMatchObject({ clientIp: 'ip-x', ehlo: 'MFP-Lobby' });
    db.close();
  });
});
