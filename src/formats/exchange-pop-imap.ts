// Exchange POP3 and IMAP4 protocol logs: CSV rows grouped into sessions (one hit each) with client IP and user.
// These logs normally carry no TLS version, so the protocol is `unknown` unless a SP_PROT_* token or an Exchange
// TLS line shows up in `context`/`parameters`. Detected by #Log-type or the #Fields list, never by name.
import { usageDims, type UsageDims } from '../aggregate/usage.js';
import { decodeSchannelProtocolName, type ProtocolLabel } from '../tls/decode.js';
import { parseExchangeTlsLine } from '../tls/exchange-tls-line.js';
import { popImapKindFromFolders } from './exchange-layout.js';
import { IN_TABLE, type SessionBase } from './exchange-session.js';
import { looksLikeIp, stripPort } from './ip.js';
import { SessionLogParser, type SessionLogState } from './session-log-parser.js';
import type { FormatDef, ParseContext } from './types.js';
import { w3cDirectives } from './w3c-line.js';

type Kind = 'pop3' | 'imap4';

/** Column names of Exchange 2013+ (first) and of Exchange 2010's SMTP-like layout (second). */
const COLUMNS = {
  time: ['datetime', 'date-time'],
  session: ['sessionid', 'session-id'],
  seq: ['seqnumber', 'sequence-number'],
  local: ['sip', 'local-endpoint'],
  remote: ['cip', 'remote-endpoint'],
  user: ['user'],
  command: ['command'],
  parameters: ['parameters', 'data'],
  context: ['context'],
  event: ['event'],
} as const;

type Binding = { readonly n: number } & { readonly [K in keyof typeof COLUMNS]: number };

/** Back-end ports: the front end proxying a client to the mailbox server, an internal hop. */
const BACK_END_PORTS = new Set([1110, 1995, 1143, 1993]);
const POP_PORTS = new Set([110, 995, 1110, 1995]);

interface PopImapSession extends SessionBase {
  kind: Kind;
  server: string | null;
  port: number | null;
  ip: string | null;
  user: string | null;
  proto: ProtocolLabel | null;
  protoCode: string | null;
  authFailures: number;
  errors: number;
}

function newSession(ts: string, kind: Kind, server: string | null, port: number | null, ip: string | null): PopImapSession {
  return {
    first: ts, last: ts, lastSeq: -1, lastHash: 0, started: false, ended: false, kind, server, port, ip,
    user: null, proto: null, protoCode: null, authFailures: 0, errors: 0,
    [IN_TABLE]: undefined,
  };
}

function isSession(v: unknown): v is PopImapSession {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Partial<PopImapSession>;
  return typeof s.first === 'string' && typeof s.last === 'string' && (s.kind === 'pop3' || s.kind === 'imap4') &&
    typeof s.authFailures === 'number';
}

function bind(names: readonly string[]): Binding | null {
  const at = (aliases: readonly string[]): number => {
    for (const a of aliases) if (names.includes(a)) return names.indexOf(a);
    return -1;
  };
  const b = { n: names.length } as { n: number } & Record<keyof typeof COLUMNS, number>;
  for (const k of Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]) b[k] = at(COLUMNS[k]);
  return b.time < 0 || b.session < 0 || b.remote < 0 ? null : b;
}

function logTypeKind(value: string): Kind | null {
  if (/^POP3 Protocol Log/i.test(value)) return 'pop3';
  if (/^IMAP4 Protocol Log/i.test(value)) return 'imap4';
  return null;
}

/** A TLS version in the free text, when Exchange wrote one (no public sample shows it; domain.md §4.4). */
function tlsIn(text: string): { proto: ProtocolLabel; code: string } | null {
  if (!text.includes('SP_PROT_')) return null;
  const line = parseExchangeTlsLine(text);
  if (line !== null) return { proto: line.protocol, code: line.protocolCode };
  const m = /SP_PROT_[A-Z0-9_]+/.exec(text);
  return m ? { proto: decodeSchannelProtocolName(m[0]), code: m[0] } : null;
}

function dims(s: PopImapSession): UsageDims {
  return usageDims({
    day: s.first.slice(0, 10), source: s.kind, server: s.server, clientIp: s.ip, username: s.user,
    endpoint: s.kind === 'pop3' ? 'POP3' : 'IMAP4', protocol: s.proto ?? 'unknown', protocolCode: s.protoCode,
    internal: s.port !== null && BACK_END_PORTS.has(s.port) ? 1 : 0,
  });
}

// IMAP "<tag> NO …"/"<tag> BAD …" and POP "-ERR …" results in context's R= part.
const ERROR_RESULT = /^R="?(?:-ERR|(?:\S+ )?(?:NO|BAD)\b)/;

class PopImapParser extends SessionLogParser<PopImapSession, Binding, Kind> {
  protected readonly missingColumns = '#Fields lacks dateTime, sessionId or cIp';
  private readonly folderServer: string | null;
  private readonly folderKind: Kind | null;

  constructor(ctx: ParseContext, state: SessionLogState<PopImapSession, Kind> | null) {
    super(ctx, state, {
      dims, authFailures: (s) => s.authFailures, errors: (s) => s.errors, valid: isSession,
      blank: () => newSession('', 'pop3', null, null, null),
    });
    this.folderServer = ctx.hints.server;
    this.folderKind = popImapKindFromFolders(ctx.hints.folders);
  }

  protected bind(names: readonly string[]): Binding | null {
    return bind(names);
  }

  protected logType(value: string): Kind | null {
    return logTypeKind(value);
  }

  protected keyColumns(b: Binding): { parts: readonly number[]; id: number; time: number } {
    // Session ids restart with the service, so the connection's two endpoints are part of the key: id\u001flocal\u001fremote
    return { parts: [b.session, b.local, b.remote], id: b.session, time: b.time };
  }

  protected row(lineNo: number): void {
    const b = this.b;
    const v = this.values;
    const diags = this.ctx.diags;
    if (b === null) return; // cannot happen: line() reads data lines only under a binding
    // Newer builds add a trailing column (domain.md §4.4): one extra empty value is not an error.
    if (v.count !== b.n && !(v.count === b.n + 1 && v.isEmpty(b.n))) {
      return diags.add('field_count', lineNo, `${v.count} values where #Fields names ${b.n}`);
    }
    const at = v.time(b.time);
    if (at === -1) return diags.add('bad_timestamp', lineNo, `dateTime ${JSON.stringify(v.get(b.time).slice(0, 40))}`);
    if (v.isEmpty(b.session)) return diags.add('bad_record', lineNo, 'no sessionId');
    const seq = v.sequence(b.seq);
    const s = this.table.get(this.key, seq, at, lineNo);
    if (s === null) return;
    this.records++;
    const command = v.get(b.command).toLowerCase();
    const event = v.get(b.event);
    const context = v.get(b.context);
    if (s.user === null && !v.isEmpty(b.user)) s.user = v.get(b.user);
    if (seq === 0 || command === 'opensession' || event === '+') s.started = true;
    if (s.proto === null) {
      const tls = tlsIn(context) ?? tlsIn(v.get(b.parameters));
      if (tls !== null) {
        s.proto = tls.proto;
        s.protoCode = tls.code;
        this.tlsFields = true;
      }
    }
    if (context.includes('AuthFailed')) s.authFailures++;
    else if (ERROR_RESULT.test(context)) s.errors++;
    // Whether every real session logs OpenSession or a sequence number 0 is not known: the end alone counts it.
    if (command === 'closesession' || event === '-') this.table.ended(s, false);
    this.table.sweep(this.key, at);
  }

  protected create(ts: string, lineNo: number): PopImapSession {
    const b = this.b as Binding;
    const local = this.values.get(b.local);
    const remote = this.values.get(b.remote);
    const portText = /:(\d{1,5})$/.exec(local)?.[1];
    const port = portText === undefined ? null : Number(portText);
    const kind = this.kind ?? this.folderKind ?? (port !== null && POP_PORTS.has(port) ? 'pop3' : 'imap4');
    const ip = remote === '' ? null : stripPort(remote);
    if (ip !== null && !looksLikeIp(ip)) {
      this.ctx.diags.note('bad_address', lineNo, `session ${this.key.id()}: cIp ${JSON.stringify(remote.slice(0, 60))} is not an IP address; kept as logged`);
    }
    return newSession(ts, kind, this.folderServer, port, ip);
  }
}

/**
 * The chain of files a POP3 or IMAP4 log's sessions can continue in: its kind, from the #Log-type of its first header
 * block (the two services' sessions never meet: their keys hold the server's endpoint, whose ports differ); null when
 * the head names none. Not by server: a server's sessions are keyed by whichever of its addresses took them.
 */
export function popImapChain(head: readonly string[]): string | null {
  for (const line of head) {
    if (line.charCodeAt(0) !== 35) return null; // a data line
    for (const d of w3cDirectives([line])) if (d.name === 'log-type') return logTypeKind(d.value);
  }
  return null;
}

export const exchangePopImapFormat: FormatDef = {
  name: 'exchange-pop-imap',
  sharedSessions: true,
  sniff(head) {
    let fields = false;
    for (const d of w3cDirectives(head)) {
      if (d.name === 'log-type') return logTypeKind(d.value) !== null;
      if (d.name === 'fields' && d.value.toLowerCase().startsWith('datetime,sessionid,seqnumber,')) fields = true;
    }
    return fields;
  },
  sessionChain: popImapChain,
  create(ctx, state) {
    return new PopImapParser(ctx, (state as SessionLogState<PopImapSession, Kind> | null) ?? null);
  },
};
