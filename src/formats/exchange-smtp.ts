// Exchange SMTP Receive and Send protocol logs (RECV*.LOG, SEND*.LOG): CSV rows grouped into sessions, one usage
// row hit per session, with the TLS version of its "TLS protocol … negotiation succeeded" line. Detected by the
// #Log-type / #Fields directives, never by name; lines without directives are not read.
import { touch } from '../aggregate/usage.js';
import { CsvBlock, isExchangeTime, lineHash, parseFieldNames, sequenceOf, toSecond } from './exchange-csv.js';
import { serverFromFolders, smtpDirectionFromFolders, transportRole } from './exchange-layout.js';
import { memoryPending, SessionTable, type SessionTableState } from './exchange-session.js';
import { looksLikeIp, stripPort } from './ip.js';
import {
  applySmtpEvent, isSmtpSession, newSmtpSession, smtpAuthFailures, smtpDims, Tls, type SmtpSession,
} from './smtp-session.js';
import type { FormatDef, LineParser, ParseContext } from './types.js';
import { parseW3cDirective } from './w3c-line.js';

const REQUIRED = ['date-time', 'connector-id', 'session-id', 'sequence-number', 'remote-endpoint', 'event', 'data', 'context'];

/** Connectors Exchange creates for its own hops between servers (frontend ↔ mailbox transport). */
const INTERNAL_CONNECTOR = /^(?:Intra-Organization SMTP Send Connector|Inbound Proxy Internal Send Connector|Client Proxy Send Connector|Outbound Proxy Frontend .*)$/i;

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

interface SmtpState {
  fields: string | null;
  dir: 'receive' | 'send' | null;
  sessions: SessionTableState<SmtpSession> | null;
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

class SmtpParser implements LineParser {
  records = 0;
  tlsFields = false;
  private b: Binding | null = null;
  private fields: string | null = null;
  private dir: 'receive' | 'send' | null = null;
  private readonly table: SessionTable<SmtpSession>;
  private readonly folderServer: string | null;
  private readonly folderDir: 'receive' | 'send' | null;
  private readonly role: ReturnType<typeof transportRole>;
  private readonly block = new CsvBlock((v, text, lineNo) => this.row(v, text, lineNo));

  constructor(
    private readonly ctx: ParseContext,
    state: SmtpState | null,
  ) {
    const folders = ctx.hints.folders;
    this.folderServer = serverFromFolders(folders);
    this.folderDir = smtpDirectionFromFolders(folders);
    this.role = transportRole(folders);
    const sink = {
      emit: (s: SmtpSession, sign: 1 | -1) => {
        const row = ctx.agg.add(smtpDims(s), toSecond(s.first), sign, sign * smtpAuthFailures(s), sign * s.errors);
        touch(row, toSecond(s.last));
      },
      valid: isSmtpSession,
    };
    this.table = new SessionTable(sink, ctx.pending ?? memoryPending(), ctx.diags, state?.sessions ?? null);
    if (state) {
      this.dir = state.dir;
      if (state.fields !== null) this.setFields(state.fields);
    }
  }

  saveState(): SmtpState {
    this.block.flush();
    return { fields: this.fields, dir: this.dir, sessions: this.table.save() };
  }

  flush(): void {
    this.block.flush();
  }

  end(now: Date): void {
    this.block.flush();
    this.table.finish(now);
  }

  private setFields(value: string): boolean {
    this.fields = value;
    this.b = bind(parseFieldNames(value));
    return this.b !== null;
  }

  private directive(text: string, lineNo: number): void {
    const d = parseW3cDirective(text);
    if (d === null) return;
    if (d.name === 'fields') {
      if (!this.setFields(d.value)) {
        this.ctx.diags.add('bad_record', lineNo, `#Fields lacks one of ${REQUIRED.join(',')}: lines up to the next #Fields are skipped`);
      }
    } else if (d.name === 'log-type') {
      this.dir = logTypeDirection(d.value) ?? this.dir;
    }
  }

  line(text: string, lineNo: number): void {
    if (text.length === 0) return; // blank lines between concatenated logs
    if (text.charCodeAt(0) === 35) {
      this.block.flush(); // the lines before a directive are read under the columns they were written with
      return this.directive(text, lineNo);
    }
    if (this.b === null) return this.ctx.diags.add('no_fields', lineNo, 'data line before any usable #Fields directive');
    this.block.add(text, lineNo);
  }

  private row(v: string[] | string, text: string, lineNo: number): void {
    const b = this.b;
    const diags = this.ctx.diags;
    if (b === null) return; // cannot happen: lines are held only under a binding, and directives flush first
    if (typeof v === 'string') return diags.add('bad_record', lineNo, v);
    if (v.length !== b.n) {
      const guess = v.length === 12 || v.length === 13 ? ' (a POP3/IMAP4 line?)' : '';
      return diags.add('field_count', lineNo, `${v.length} values where #Fields names ${b.n}${guess}`);
    }
    const ts = v[b.time];
    if (!isExchangeTime(ts)) return diags.add('bad_timestamp', lineNo, `date-time ${JSON.stringify(ts.slice(0, 40))}`);
    const id = v[b.session];
    if (id === '') return diags.add('bad_record', lineNo, 'no session-id');
    const connector = v[b.connector];
    const seq = sequenceOf(v[b.seq]);
    const key = connector + '\u001f' + id;
    const s = this.table.get(key, id, seq, lineHash(text), ts, lineNo, () => this.create(ts, connector));
    if (s === null) return;
    this.records++;
    if (s.ip === null) this.setAddress(s, v[b.remote], id, lineNo);
    if (seq === 0) s.started = true;
    const event = v[b.event];
    applySmtpEvent(s, event, v[b.data], v[b.context], seq);
    if (s.tls === Tls.Done) this.tlsFields = true;
    if (event === '-') this.table.ended(key, s, true);
    this.table.sweep(ts);
  }

  private create(ts: string, connector: string): SmtpSession {
    const dir = this.dir ?? this.folderDir ?? 'receive';
    const slash = connector.indexOf('\\');
    const server = slash > 0 ? connector.slice(0, slash) : this.folderServer;
    const name = slash > 0 ? connector.slice(connector.lastIndexOf('\\') + 1) : connector;
    const internal =
      INTERNAL_CONNECTOR.test(name) ||
      (dir === 'receive' && (this.role === 'hub' || this.role === 'mailbox')) ||
      (dir === 'send' && this.role === 'mailbox');
    return newSmtpSession(ts, dir, connector, server, internal);
  }

  private setAddress(s: SmtpSession, remote: string, id: string, lineNo: number): void {
    if (remote === '') return; // "attempting to connect" lines of Send logs carry no endpoint yet
    const ip = stripPort(remote);
    s.ip = ip;
    if (!looksLikeIp(ip)) this.ctx.diags.note('bad_address', lineNo, `session ${id}: remote endpoint ${JSON.stringify(remote.slice(0, 60))} is not an IP address; kept as logged`);
  }
}

export const exchangeSmtpFormat: FormatDef = {
  name: 'exchange-smtp',
  sniff(head) {
    let fields = false;
    for (const line of head) {
      const d = line.charCodeAt(0) === 35 ? parseW3cDirective(line) : null;
      if (d === null) continue;
      if (d.name === 'log-type') return logTypeDirection(d.value) !== null;
      if (d.name === 'fields' && d.value.toLowerCase().startsWith('date-time,connector-id,session-id,')) fields = true;
    }
    return fields;
  },
  create(ctx, state) {
    return new SmtpParser(ctx, (state as SmtpState | null) ?? null);
  },
};
