// One SMTP session's state, built from its protocol-log events (domain.md §4.2, §4.3), and the usage row it becomes:
// EHLO name, STARTTLS and its outcome, the TLS line, the authenticated account, failed logins and error replies.
// It does not parse CSV or group lines; exchange-smtp.ts feeds it one event at a time.
import { usageDims, type UsageDims } from '../aggregate/usage.js';
import type { ProtocolLabel } from '../tls/decode.js';
import { parseExchangeTlsFailure, parseExchangeTlsLine } from '../tls/exchange-tls-line.js';
import { IN_TABLE, type SessionBase } from './exchange-session.js';

/** Where the TLS negotiation stands (numbers, so the state stays small in pending_sessions). */
export const Tls = {
  None: 0, // no STARTTLS seen
  Asked: 1, // STARTTLS or X-ANONYMOUSTLS sent, no reply yet
  Handshake: 2, // "220 2.0.0 SMTP server ready": the handshake runs
  Done: 3, // the "TLS protocol … negotiation succeeded" line
  Failed: 4, // refused, "TLS negotiation failed with error …", or the connection ended mid-handshake
  NotLogged: 5, // commands went on after the handshake, but no TLS line says which version (older Exchange)
} as const;
export type Tls = (typeof Tls)[keyof typeof Tls];

export interface SmtpSession extends SessionBase {
  readonly dir: 'receive' | 'send';
  readonly connector: string;
  readonly server: string | null;
  /** From the folder or a built-in connector: a hop between Exchange servers whatever the client says. */
  readonly internalPlace: boolean;
  ip: string | null;
  ehlo: string | null;
  /** Send logs: the remote server's name from its greeting (`220 name …`, `250-name Hello […]`). */
  remote?: string | null;
  user: string | null;
  tls: Tls;
  /** Decoded label, cipher, MAC hash, key exchange and their names as logged, once tls is Done. */
  proto: ProtocolLabel | null;
  protoCode: string | null;
  cipher: string | null;
  cipherCode: string | null;
  mac: string | null;
  macCode: string | null;
  kex: string | null;
  kexCode: string | null;
  err: string | null;
  /** The client issued X-ANONYMOUSTLS: another Exchange server. */
  anon: boolean;
  /** "Inbound AUTH … failed" / "Outbound Authentication failed" lines (one per sequence number) and 5xx AUTH replies. */
  authLines: number;
  authReplies: number;
  authSeq: number;
  /** Other 4xx/5xx replies. */
  errors: number;
}

export function newSmtpSession(
  ts: string,
  dir: 'receive' | 'send',
  connector: string,
  server: string | null,
  internalPlace: boolean,
): SmtpSession {
  return {
    first: ts, last: ts, lastSeq: -1, lastHash: 0, started: false, ended: false,
    dir, connector, server, internalPlace, ip: null, ehlo: null, user: null, tls: Tls.None,
    proto: null, protoCode: null, cipher: null, cipherCode: null, mac: null, macCode: null, kex: null, kexCode: null,
    err: null, anon: false, authLines: 0, authReplies: 0, authSeq: -1, errors: 0,
    [IN_TABLE]: undefined,
  };
}

export function isSmtpSession(v: unknown): v is SmtpSession {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Partial<SmtpSession>;
  return typeof s.first === 'string' && typeof s.last === 'string' && typeof s.connector === 'string' &&
    (s.dir === 'receive' || s.dir === 'send') && typeof s.tls === 'number' && typeof s.authLines === 'number';
}

// Replies that mean a login failed: bad credentials (535, 534, 538), unknown mechanism (504 5.7.4), temporary (454 4.7.0).
const AUTH_FAILURE = /^(?:535|534|538|504 5\.7\.4|454 4\.7\.0)\b/;
const ERROR_REPLY = /^[45]\d\d\b/;
const AUTH_FAILURE_LINE = /^(?:Inbound AUTH \S+ failed|Outbound Authentication failed)/;

/** Applies one event (`+`, `-`, `<`, `>`, `*`) to the session. In Send logs Exchange is the client: `>` are commands. */
export function applySmtpEvent(s: SmtpSession, event: string, data: string, context: string, seq: number): void {
  switch (event) {
    case '+':
      s.started = true;
      return;
    case '-':
      if (s.tls === Tls.Asked || s.tls === Tls.Handshake) failTls(s, context === '' ? 'disconnected during TLS negotiation' : context);
      return;
    case '*':
      return info(s, data, context, seq);
    case '<':
      return s.dir === 'receive' ? command(s, data) : reply(s, data);
    case '>':
      return s.dir === 'receive' ? reply(s, data) : command(s, data);
    default:
      return; // not an event Exchange writes; nothing to learn from it
  }
}

/**
 * Whether applySmtpEvent reads the data of a `<` or `>` event whose data starts with character code `c` (NaN when
 * empty). When not, applySmtpEvent(s, event, '', context, seq) has the same effect, and the line's data need not be cut
 * out: a command other than EHLO/HELO/LHLO, STARTTLS or X-ANONYMOUSTLS, or a reply that is no 4xx/5xx, answers no
 * STARTTLS and is no Send log's first greeting (most lines of a session).
 */
export function smtpReadsData(s: SmtpSession, event: '<' | '>', c: number): boolean {
  if ((event === '<') === (s.dir === 'receive')) {
    const l = c | 0x20; // lower case
    return l === 101 || l === 104 || l === 108 || l === 115 || l === 120; // e(hlo) h(elo) l(hlo) s(tarttls) x(-anonymoustls)
  }
  return s.tls === Tls.Asked || c === 52 || c === 53 || (s.dir === 'send' && (s.remote ?? null) === null);
}

function failTls(s: SmtpSession, error: string): void {
  s.tls = Tls.Failed;
  s.err ??= error;
}

function command(s: SmtpSession, data: string): void {
  if (s.tls === Tls.Handshake) s.tls = Tls.NotLogged; // the client talks again: the handshake completed
  const space = data.indexOf(' ');
  const verb = (space < 0 ? data : data.slice(0, space)).toUpperCase();
  if (verb === 'EHLO' || verb === 'HELO' || verb === 'LHLO') {
    if (s.ehlo === null && space > 0) s.ehlo = data.slice(space + 1).trim() || null;
  } else if (verb === 'STARTTLS' || verb === 'X-ANONYMOUSTLS') {
    if (verb === 'X-ANONYMOUSTLS') s.anon = true;
    if (s.tls === Tls.None || s.tls === Tls.Failed) {
      s.tls = Tls.Asked;
      s.err = null;
    }
  }
}

/** The host name a server's greeting or EHLO reply starts with (`220 mx.contoso.com Microsoft ESMTP …`, `250-mx Hello`). */
const GREETING = /^(?:220[ -]([^\s\d][^\s]*)|250[ -](\S+) Hello\b)/;

function reply(s: SmtpSession, data: string): void {
  if (s.dir === 'send' && (s.remote ?? null) === null) {
    const m = GREETING.exec(data);
    if (m !== null) s.remote = m[1] ?? m[2];
  }
  if (s.tls === Tls.Asked) {
    if (data.startsWith('220')) s.tls = Tls.Handshake;
    else failTls(s, data.trim() || 'STARTTLS refused');
    return;
  }
  const c = data.charCodeAt(0);
  if (c !== 52 && c !== 53) return; // neither 4xx nor 5xx: no failure (most replies; no regular expression run)
  if (AUTH_FAILURE.test(data)) s.authReplies++;
  else if (ERROR_REPLY.test(data)) s.errors++;
}

function info(s: SmtpSession, data: string, context: string, seq: number): void {
  if (s.tls !== Tls.Done) {
    const tls = parseExchangeTlsLine(context) ?? (data === '' ? null : parseExchangeTlsLine(data));
    if (tls !== null) {
      s.tls = Tls.Done;
      s.err = null;
      s.proto = tls.protocol;
      s.protoCode = tls.protocolCode;
      s.cipher = tls.cipher;
      s.cipherCode = tls.cipherCode;
      s.mac = tls.hash;
      s.macCode = tls.hashCode;
      s.kex = tls.keyExchange;
      s.kexCode = tls.keyExchangeCode;
      return;
    }
    const failure = parseExchangeTlsFailure(context) ?? (data === '' ? null : parseExchangeTlsFailure(data));
    if (failure !== null) {
      s.tls = Tls.Failed;
      s.err = failure;
      return;
    }
  }
  if (context === 'authenticated') {
    s.user = data.trim() || s.user;
  } else if (context.charCodeAt(0) === 73 || context.charCodeAt(0) === 79) {
    // "Inbound AUTH … failed" / "Outbound Authentication failed": the expression runs only on lines starting I or O
    if (!AUTH_FAILURE_LINE.test(context) || seq === s.authSeq) return;
    s.authLines++;
    s.authSeq = seq;
  }
}

export function smtpProtocol(s: SmtpSession): ProtocolLabel {
  switch (s.tls) {
    case Tls.None:
      return s.started ? 'none' : 'unknown'; // without its start, a STARTTLS may have gone unseen
    case Tls.Done:
      return s.proto ?? 'unknown';
    case Tls.NotLogged:
      return 'unknown';
    default:
      return 'failed';
  }
}

export function smtpDims(s: SmtpSession): UsageDims {
  const protocol = smtpProtocol(s);
  const done = s.tls === Tls.Done;
  return usageDims({
    day: s.first.slice(0, 10),
    source: s.dir === 'send' ? 'smtp-send' : 'smtp-receive',
    server: s.server,
    site: s.connector,
    clientIp: s.ip,
    username: s.user,
    // the legacy party's name: the client's EHLO, or in Send logs the remote server's greeting (Exchange's own EHLO
    // there names this server, not the one that needs TLS 1.0/1.1)
    userAgent: s.dir === 'send' ? s.remote ?? null : s.ehlo,
    endpoint: 'SMTP',
    protocol,
    protocolCode: done ? s.protoCode : null,
    cipher: done ? s.cipher : null,
    cipherCode: done ? s.cipherCode : null,
    hash: done ? s.mac : null,
    hashCode: done ? s.macCode : null,
    keyExchange: done ? s.kex : null,
    keyExchangeCode: done ? s.kexCode : null,
    detail: protocol === 'failed' ? s.err ?? 'no TLS result logged' : null,
    internal: s.anon || s.internalPlace ? 1 : 0,
  });
}

export const smtpAuthFailures = (s: SmtpSession): number => Math.max(s.authLines, s.authReplies);
