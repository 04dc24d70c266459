// Exchange SMTP Receive and Send protocol logs (RECV*.LOG, SEND*.LOG): CSV rows grouped into sessions, one usage
// row hit per session, with the TLS version of its "TLS protocol … negotiation succeeded" line. Detected by the
// #Log-type / #Fields directives, never by name; files without any directive by their lines (default-layouts.ts).
import { parseCsvLine, parseFieldNames } from './exchange-csv.js';
import { smtpDirectionFromFolders, transportRole } from './exchange-layout.js';
import { looksLikeIp, stripPort } from './ip.js';
import {
  applySmtpEvent, isSmtpSession, newSmtpSession, smtpAuthFailures, smtpDims, smtpReadsData, Tls, type SmtpSession,
} from './smtp-session.js';
import { SessionLogParser, type SessionLogState } from './session-log-parser.js';
import type { FormatDef, ParseContext } from './types.js';
import { w3cDirectives } from './w3c-line.js';

const REQUIRED = ['date-time', 'connector-id', 'session-id', 'sequence-number', 'remote-endpoint', 'event', 'data', 'context'];

/**
 * Connectors Exchange creates for its own hops between servers (frontend ↔ mailbox transport), also as localized
 * Exchange logs them: `组织内 SMTP 发送连接器` is the intra-organization send connector of a Chinese (Simplified)
 * installation (a real Send log, test/fixtures/exchange/css-docsite-SEND20191104-excerpt.LOG).
 */
const INTERNAL_CONNECTOR = /^(?:Intra-Organization SMTP Send Connector|组织内 SMTP 发送连接器|Inbound Proxy Internal Send Connector|Client Proxy Send Connector|Outbound Proxy Frontend .*)$/i;

interface Binding {
  readonly n: number;
  readonly time: number;
  readonly connector: number;
  readonly session: number;
  readonly seq: number;
  readonly remote: number;
  readonly event: number;
  readonly data: number;
  readonly context: number;
}

function bind(names: readonly string[]): Binding | null {
  if (!REQUIRED.every((r) => names.includes(r))) return null;
  const at = (name: string): number => names.indexOf(name);
  return {
    n: names.length, time: at('date-time'), connector: at('connector-id'), session: at('session-id'),
    seq: at('sequence-number'), remote: at('remote-endpoint'), event: at('event'), data: at('data'), context: at('context'),
  };
}

function logTypeDirection(value: string): 'receive' | 'send' | null {
  if (/^SMTP Receive Protocol Log/i.test(value)) return 'receive';
  if (/^SMTP Send Protocol Log/i.test(value)) return 'send';
  return null;
}

type Direction = 'receive' | 'send';

class SmtpParser extends SessionLogParser<SmtpSession, Binding, Direction> {
  protected readonly missingColumns = `#Fields lacks one of ${REQUIRED.join(',')}`;
  private readonly folderServer: string | null;
  private readonly folderDir: Direction | null;
  private readonly role: ReturnType<typeof transportRole>;

  constructor(ctx: ParseContext, state: SessionLogState<SmtpSession, Direction> | null) {
    super(ctx, state, {
      dims: smtpDims, authFailures: smtpAuthFailures, errors: (s) => s.errors, valid: isSmtpSession,
      blank: () => newSmtpSession('', 'receive', '', null, false),
    });
    const folders = ctx.hints.folders;
    this.folderServer = ctx.hints.server;
    this.folderDir = smtpDirectionFromFolders(folders);
    this.role = transportRole(folders);
  }

  protected bind(names: readonly string[]): Binding | null {
    return bind(names);
  }

  protected logType(value: string): Direction | null {
    return logTypeDirection(value);
  }

  protected keyColumns(b: Binding): { parts: readonly number[]; id: number; time: number } {
    return { parts: [b.connector, b.session], id: b.session, time: b.time }; // connector\u001fid
  }

  protected row(lineNo: number): void {
    const b = this.b;
    const v = this.values;
    const diags = this.ctx.diags;
    if (b === null) return; // cannot happen: line() reads data lines only under a binding
    if (v.count !== b.n) {
      const guess = v.count === 12 || v.count === 13 ? ' (a POP3/IMAP4 line?)' : '';
      return diags.add('field_count', lineNo, `${v.count} values where #Fields names ${b.n}${guess}`);
    }
    const at = v.time(b.time);
    if (at === -1) return diags.add('bad_timestamp', lineNo, `date-time ${JSON.stringify(v.get(b.time).slice(0, 40))}`);
    if (v.isEmpty(b.session)) return diags.add('bad_record', lineNo, 'no session-id');
    const seq = v.sequence(b.seq);
    const s = this.table.get(this.key, seq, at, lineNo);
    if (s === null) return;
    this.records++;
    if (s.ip === null) this.setAddress(s, v.get(b.remote), lineNo);
    if (seq === 0) s.started = true;
    const event = v.get(b.event);
    // Only `*` lines read both data and context, `<` and `>` data (when smtpReadsData), `-` context (applySmtpEvent),
    // `+` neither
    const data = event === '*' || ((event === '<' || event === '>') && smtpReadsData(s, event, v.firstCode(b.data)))
      ? v.get(b.data) : '';
    const context = event === '*' || event === '-' ? v.get(b.context) : '';
    applySmtpEvent(s, event, data, context, seq);
    if (s.tls === Tls.Done) this.tlsFields = true;
    if (event === '-') this.table.ended(s, true);
    this.table.sweep(this.key, at);
  }

  protected create(ts: string): SmtpSession {
    const connector = this.values.get((this.b as Binding).connector);
    const dir = this.kind ?? this.folderDir ?? 'receive';
    const slash = connector.indexOf('\\');
    const server = slash > 0 ? connector.slice(0, slash) : this.folderServer;
    const name = slash > 0 ? connector.slice(connector.lastIndexOf('\\') + 1) : connector;
    const internal =
      INTERNAL_CONNECTOR.test(name) ||
      (dir === 'receive' && (this.role === 'hub' || this.role === 'mailbox')) ||
      (dir === 'send' && this.role === 'mailbox');
    return newSmtpSession(ts, dir, connector, server, internal);
  }

  private setAddress(s: SmtpSession, remote: string, lineNo: number): void {
    if (remote === '') return; // "attempting to connect" lines of Send logs carry no endpoint yet
    const ip = stripPort(remote);
    s.ip = ip;
    if (!looksLikeIp(ip)) this.ctx.diags.note('bad_address', lineNo, `session ${this.key.id()}: remote endpoint ${JSON.stringify(remote.slice(0, 60))} is not an IP address; kept as logged`);
  }
}

/**
 * The chain of files an SMTP log's sessions can continue in, from the whole lines of its head (its first header block):
 * - a Receive log: its server (`receive:exch01`): Exchange names receive connectors `SERVER\name` and a server's
 *   Receive sessions are all in its own logs, so two servers' Receive logs never share a session (their keys start
 *   with the server);
 * - a Send log: `send` (Send connectors are named for the organization, so all Send logs are one chain; their keys,
 *   connector names without a server, are not those of Receive sessions);
 * - null whenever the head does not say: no #Log-type, no connector-id in #Fields, no whole data line before the head
 *   ends, or a Receive connector id without its server.
 */
export function smtpChain(head: readonly string[]): string | null {
  let direction: Direction | null = null;
  let connector = -1;
  for (const line of head) {
    if (line.charCodeAt(0) === 35) {
      for (const d of w3cDirectives([line])) {
        if (d.name === 'log-type') direction = logTypeDirection(d.value);
        else if (d.name === 'fields') connector = parseFieldNames(d.value).indexOf('connector-id');
      }
      continue;
    }
    if (line === '') continue;
    if (direction === null || connector < 0) return null;
    if (direction === 'send') return 'send';
    const v = parseCsvLine(line);
    const id = typeof v === 'string' ? undefined : v[connector];
    const slash = id === undefined ? -1 : id.indexOf('\\');
    return id === undefined || slash <= 0 ? null : `receive:${id.slice(0, slash).toLowerCase()}`;
  }
  return null;
}

export const exchangeSmtpFormat: FormatDef = {
  name: 'exchange-smtp',
  sharedSessions: true,
  sniff(head) {
    let fields = false;
    for (const d of w3cDirectives(head)) {
      if (d.name === 'log-type') return logTypeDirection(d.value) !== null;
      if (d.name === 'fields' && d.value.toLowerCase().startsWith('date-time,connector-id,session-id,')) fields = true;
    }
    return fields;
  },
  sessionChain: smtpChain,
  create(ctx, state) {
    return new SmtpParser(ctx, (state as SessionLogState<SmtpSession, Direction> | null) ?? null);
  },
};
