// The sessions of the synthetic Exchange logs: a fixed client population (scanners on TLS 1.0, apps on TLS 1.2,
// Internet senders, relays refusing TLS, brute forcers, other Exchange servers) and the protocol-log lines one
// session writes, as Exchange 2016/2019 writes them (domain.md §4.2–4.4). Nothing here touches files or clocks.
import { createRandom, weightedPicker, type Random } from './random.js';

/** One log line of a session, without its timestamp (added when the line is written, in time order). */
export interface SessionLine {
  readonly ms: number;
  readonly text: string;
}

type Kind = 'scanner' | 'app' | 'internet' | 'tls11-relay' | 'plain' | 'broken-tls' | 'peer' | 'brute';

interface SmtpClient {
  readonly kind: Kind;
  readonly ip: string;
  readonly ehlo: string;
  readonly user: string | null;
}

const SUITE = {
  tls10: ['SP_PROT_TLS1_0_SERVER', 'CALG_AES_256', 256, 'CALG_SHA1', 160, 'CALG_ECDH_EPHEM', 256],
  tls10rsa: ['SP_PROT_TLS1_SERVER', 'CALG_3DES', 168, 'CALG_SHA1', 160, 'CALG_RSA_KEYX', 2048],
  tls11: ['SP_PROT_TLS1_1_SERVER', 'CALG_AES_128', 128, 'CALG_SHA1', 160, 'CALG_ECDHE', 256],
  tls12: ['SP_PROT_TLS1_2_SERVER', 'CALG_AES_256', 256, 'CALG_SHA_384', 0, 'CALG_ECDH_EPHEM', 384],
  tls12b: ['SP_PROT_TLS1_2_SERVER', 'CALG_AES_128', 128, 'CALG_SHA_256', 0, 'CALG_ECDH_EPHEM', 255],
} as const;

function tlsText(s: (typeof SUITE)[keyof typeof SUITE], client: boolean): string {
  const proto = client ? s[0].replace('_SERVER', '_CLIENT') : s[0];
  return `"TLS protocol ${proto} negotiation succeeded using bulk encryption algorithm ${s[1]} with strength ${s[2]} bits, ` +
    `MAC hash algorithm ${s[3]} with strength ${s[4]} bits and key exchange algorithm ${s[5]} with strength ${s[6]} bits"`;
}

const KINDS: readonly (readonly [Kind, number])[] = [
  ['internet', 50], ['app', 18], ['scanner', 9], ['peer', 8], ['plain', 7], ['brute', 4], ['tls11-relay', 2], ['broken-tls', 2],
];

/** 600 SMTP clients, the same for every seed: kinds by weight, addresses and names derived from the index. */
export function smtpClients(): readonly SmtpClient[] {
  const pickKind = weightedPicker(KINDS, ([, w]) => w);
  const rnd = createRandom(12345);
  const out: SmtpClient[] = [];
  for (let i = 0; i < 600; i++) {
    const [kind] = pickKind(rnd);
    const internal = kind === 'scanner' || kind === 'app' || kind === 'peer';
    const ip = internal ? `10.20.${5 + (i >> 8)}.${i & 255}` : `${[192, 198, 203][i % 3]}.${[0, 51, 0][i % 3]}.${[2, 100, 113][i % 3]}.${i % 250}`;
    const ehlo = kind === 'scanner' ? `MFP-${i}.contoso.com` : kind === 'app' ? `app${i}` : kind === 'peer' ? `EXCH${(i % 4) + 1}.contoso.com`
      : kind === 'brute' ? 'User' : `mail${i}.fabrikam${i % 40}.example`;
    const user = kind === 'scanner' ? `CONTOSO\\svc-scan${i % 12}` : kind === 'app' ? `app${i}@contoso.com` : kind === 'brute' ? `admin${i}` : null;
    out.push({ kind, ip, ehlo, user });
  }
  return out;
}

/** A session's lines, events a few ms apart (5 s tarpit after a failed login), from `start` (ms). */
class Script {
  readonly lines: SessionLine[] = [];
  private seq = 0;
  /** `local-endpoint,remote-endpoint` of the lines that follow. */
  endpoints = '';

  constructor(
    private ms: number,
    private readonly prefix: string,
    private readonly random: Random,
  ) {}

  add(event: string, data: string, context: string, gap = 1 + this.random.int(40)): void {
    this.ms += gap;
    this.lines.push({ ms: this.ms, text: `${this.prefix}${this.seq++},${this.endpoints},${event},${data},${context}` });
  }
}

export function smtpReceiveSession(c: SmtpClient, server: string, id: string, start: number, random: Random): SessionLine[] {
  const port = 40000 + random.int(25000);
  const s = new Script(start, `,${server}\\Default Frontend ${server},${id},`, random);
  s.endpoints = `10.20.0.15:25,${c.ip}:${port}`;
  const host = `${server}.contoso.com`;
  s.add('+', '', '', 0);
  s.add('>', `"220 ${host} Microsoft ESMTP MAIL Service ready at Mon, 11 Mar 2024 08:00:02 +0000"`, '');
  s.add('<', `EHLO ${c.ehlo}`, '');
  s.add('>', `250  ${host} Hello [${c.ip}] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES STARTTLS X-ANONYMOUSTLS AUTH NTLM LOGIN 8BITMIME BINARYMIME CHUNKING`, '');
  if (c.kind !== 'plain') {
    s.add('<', c.kind === 'peer' ? 'X-ANONYMOUSTLS' : 'STARTTLS', '');
    s.add('>', '220 2.0.0 SMTP server ready', '');
    s.add('*', `" CN=${host}, OU=IT, O=Contoso CN=Contoso CA 0404C0F032C2 EC5A76488FE0A501 ${host};mail.contoso.com"`, 'Sending certificate Subject Issuer name Serial number Thumbprint Not before Not after Subject alternate names');
    if (c.kind === 'broken-tls') {
      s.add('*', '', 'TLS negotiation failed with error UnknownCredentials', 30);
      s.add('-', '', 'Remote(SocketError)');
      return s.lines;
    }
    const suite = c.kind === 'scanner' ? (random.chance(0.5) ? SUITE.tls10 : SUITE.tls10rsa) : c.kind === 'tls11-relay' ? SUITE.tls11
      : random.chance(0.7) ? SUITE.tls12 : SUITE.tls12b;
    s.add('*', '', tlsText(suite, false), 20 + random.int(60));
    s.add('<', `EHLO ${c.ehlo}`, '');
    s.add('*', '', "Client certificate chain validation status: 'EmptyCertificate'", 0);
    s.add('>', `250  ${host} Hello [${c.ip}] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES AUTH NTLM LOGIN 8BITMIME BINARYMIME CHUNKING`, '', 0);
  }
  if (c.user !== null) {
    s.add('<', 'AUTH LOGIN', '');
    s.add('>', '334 <authentication response>', '', 0);
    s.add('>', '334 <authentication response>', '');
    if (c.kind === 'brute') {
      s.add('*', '', 'Inbound AUTH LOGIN failed because of LogonDenied', 80);
      s.add('*', '', `User Name: ${c.user}`, 0);
      s.add('*', "Tarpit for '0.00:00:05' due to '535 5.7.3 Authentication unsuccessful'", '', 0);
      s.add('>', '535 5.7.3 Authentication unsuccessful', '', 5000);
      s.add('-', '', 'Remote(ConnectionReset)');
      return s.lines;
    }
    s.add('*', 'SMTPSubmit SMTPAcceptAnySender SMTPAcceptAuthoritativeDomainSender AcceptRoutingHeaders', 'Set Session Permissions', 60);
    s.add('*', c.user, 'authenticated', 0);
    s.add('>', '235 2.7.0 Authentication successful', '', 0);
  }
  const size = 2000 + random.int(200000);
  s.add('<', `MAIL FROM:<${c.user === null ? 'news' : 'scan'}@${c.kind === 'internet' ? 'fabrikam.example' : 'contoso.com'}> SIZE=${size}`, '');
  s.add('*', '08DC41A2B7C3D001;2024-03-11T08:00:02.117Z;1', 'receiving message', 0);
  s.add('>', '250 2.1.0 Sender OK', '', 0);
  s.add('<', `RCPT TO:<user${random.int(5000)}@contoso.com>`, '');
  s.add('>', '250 2.1.5 Recipient OK', '', 0);
  s.add('<', `BDAT ${size} LAST`, '', 20 + random.int(200));
  s.add('>', `"250 2.6.0 <${id}@${c.ehlo}> [InternalId=${random.int(1e9)}, Hostname=${host}] ${size} bytes in 0.${random.int(900)}, 1,${random.int(999)} KB/sec Queued mail for delivery"`, '');
  s.add('<', 'QUIT', '');
  s.add('>', '221 2.0.0 Service closing transmission channel', '', 0);
  s.add('-', '', 'Local');
  return s.lines;
}

export function smtpSendSession(partner: number, server: string, id: string, start: number, random: Random): SessionLine[] {
  const ip = `198.51.100.${partner % 250}`;
  const s = new Script(start, `,Internet Send Connector,${id},`, random);
  s.endpoints = `,${ip}:25`;
  s.add('*', '', 'attempting to connect', 0);
  s.endpoints = `10.20.0.15:${20000 + random.int(40000)},${ip}:25`;
  s.add('+', '', '', 30);
  s.add('<', `220 mx${partner}.partner${partner % 90}.example ESMTP`, '', 50);
  s.add('>', `EHLO ${server}.contoso.com`, '');
  s.add('<', `250-mx${partner}.partner${partner % 90}.example Hello`, '');
  if (partner % 20 !== 7) {
    s.add('>', 'STARTTLS', '');
    s.add('<', '220 2.0.0 Ready to start TLS', '');
    s.add('*', '', tlsText(partner % 10 === 3 ? SUITE.tls10 : SUITE.tls12, true), 40);
    s.add('>', `EHLO ${server}.contoso.com`, '');
    s.add('<', '250 8BITMIME', '');
  }
  s.add('>', 'MAIL FROM:<user@contoso.com> SIZE=4512', '');
  s.add('<', '250 2.1.0 Ok', '', 30);
  s.add('>', `RCPT TO:<someone${random.int(100)}@partner${partner % 90}.example>`, '');
  s.add('<', partner % 31 === 5 ? '550 5.1.1 User unknown' : '250 2.1.5 Ok', '', 30);
  s.add('>', 'QUIT', '');
  s.add('<', '221 2.0.0 Bye', '', 20);
  s.add('-', '', 'Local');
  return s.lines;
}

/** One POP3 or IMAP4 session (12 named columns; Exchange's trailing 13th value left empty). */
export function popImapSession(kind: 'pop3' | 'imap4', serverIp: string, user: number, id: string, start: number, random: Random): SessionLine[] {
  const lines: SessionLine[] = [];
  let ms = start;
  let seq = 0;
  const port = kind === 'pop3' ? 995 : 993;
  const ep = `${serverIp}:${port},203.0.113.${user % 250}:${10000 + random.int(50000)}`;
  const name = `user${user}@contoso.com`;
  const add = (u: string, command: string, params: string, context: string, gap = 1 + random.int(200)) => {
    ms += gap;
    lines.push({ ms, text: `,${id},${seq++},${ep},${u},${random.int(300)},${random.int(90)},${random.int(400)},${command},${params},${context},` });
  };
  add('', 'OpenSession', '', '', 0);
  const failed = user % 23 === 4;
  const auth = failed
    ? `"R=""${kind === 'pop3' ? '-ERR Logon failure' : '2 NO AUTHENTICATE failed.'}"";Msg=""AuthFailed:LogonDenied,User: ${name}"";ErrMsg=AuthFailed:LogonDenied"`
    : `"R=OK;Msg=""Proxy:MBX01.contoso.com:${port + 1000}:SSL;ProxySuccess"";ActivityContextData=0cb2fd35-94c0-44de-9860-134d27654078"`;
  if (kind === 'pop3') {
    add(name, 'user', name, 'R=OK');
    add(name, 'pass', '*****', auth);
    if (!failed) {
      add(name, 'stat', '', 'R=OK');
      add(name, 'retr', String(1 + random.int(20)), 'R=OK');
      add(name, 'quit', '', 'R=OK');
    }
  } else {
    add('', 'capability', '', 'R=OK');
    add(name, 'authenticate', 'PLAIN', auth);
    if (!failed) {
      add(name, 'select', 'INBOX', `"R=OK;Rows=0;UidValidity=14;ActivityContextData=""Dbl:ST.T[MBX01]=3,I32:MB.C[MBX01]=13"""`);
      add(name, 'fetch', `1:${1 + random.int(40)} (FLAGS)`, 'R=OK');
      add(name, 'logout', '', 'R=OK');
    }
  }
  add('', 'CloseSession', '', '');
  return lines;
}
