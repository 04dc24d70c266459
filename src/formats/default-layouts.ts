// Logs without directives (excerpts pasted into documents, exports that dropped the header): Exchange's protocol logs
// have fixed default field lists (domain.md §4.2, §4.4), and W3C logs can be given theirs with `scan --fields`. From a
// file's first lines this decides whether one of them fits, which log it is, and the parser state to start from; the
// `layout` text says how it was known and is stored in files.layout.
import { isExchangeTime, parseCsvLine } from './exchange-csv.js';
import { popImapKindFromFolders, smtpDirectionFromFolders } from './exchange-layout.js';

/** SMTP Receive and Send logs share this list; POP3 and IMAP4 logs the other (a 13th column may follow). */
export const SMTP_DEFAULT_FIELDS =
  'date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context';
export const POP_IMAP_DEFAULT_FIELDS = 'dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context';

/** `scan --log-type`: which Exchange log a file without directives is, when neither its folder nor its lines tell. */
export const LOG_TYPES = ['smtp-receive', 'smtp-send', 'pop3', 'imap4'] as const;
export type LogType = (typeof LOG_TYPES)[number];

export interface InferredLayout {
  /** The format (files.format) that reads the file. */
  readonly format: string;
  /** The parser state to start from: the default #Fields (and log kind) as if the directives had been there. */
  readonly state: unknown;
  /** For files.layout and the summary, e.g. "SMTP Send default fields, inferred from the TLS line". */
  readonly layout: string;
}

export type LayoutDecision = InferredLayout | { readonly skip: string } | null;

const HEAD_SAMPLE = 20;

/** Does a line read as a record of the SMTP (9 values) or POP3/IMAP4 (12 or 13) default layout? */
function fits(line: string, layout: 'smtp' | 'pop-imap'): boolean {
  const v = parseCsvLine(line);
  if (typeof v === 'string' || !isExchangeTime(v[0])) return false;
  if (layout === 'smtp') return v.length === 9 && /^\d+$/.test(v[3]) && /^[-+<>*]$/.test(v[6]);
  return (v.length === 12 || v.length === 13) && /^\d+$/.test(v[2]);
}

/** More than half of the first data lines fit the layout. */
function mostFit(data: readonly string[], layout: 'smtp' | 'pop-imap'): boolean {
  return data.length > 0 && data.filter((l) => fits(l, layout)).length * 2 > data.length;
}

/** `SP_PROT_TLS1_0_CLIENT` (also `SP_PROT-TLS1_2_CLIENT`): Exchange was the client, a Send log; `_SERVER` a Receive log. */
function directionFromTlsLine(data: readonly string[]): 'send' | 'receive' | null {
  for (const line of data) {
    const m = /TLS protocol SP_PROT[_-]\w*?_(CLIENT|SERVER)\b/.exec(line);
    if (m) return m[1] === 'CLIENT' ? 'send' : 'receive';
  }
  return null;
}

const SMTP_NAMES = { send: 'SMTP Send', receive: 'SMTP Receive' } as const;

/**
 * For a file without any directive: the Exchange default layout its lines fit, with the log it is (from the folder,
 * for SMTP the TLS line, else --log-type), or a skip reason naming --log-type when nothing tells; null when no
 * Exchange layout fits.
 */
export function inferExchangeLayout(head: readonly string[], folders: readonly string[], logType: LogType | null): LayoutDecision {
  const data = head.filter((l) => l.length > 0 && l.charCodeAt(0) !== 35).slice(0, HEAD_SAMPLE);
  if (mostFit(data, 'smtp')) {
    const fromFolder = smtpDirectionFromFolders(folders);
    const fromTls = fromFolder === null ? directionFromTlsLine(head) : null;
    const fromOption = logType === 'smtp-send' ? 'send' : logType === 'smtp-receive' ? 'receive' : null;
    const dir = fromFolder ?? fromTls ?? fromOption;
    if (dir === null) {
      return { skip: 'SMTP protocol log lines without directives: neither the folder (SmtpSend, SmtpReceive) nor a TLS line tells Send from Receive; give --log-type smtp-send or --log-type smtp-receive' };
    }
    const how = fromFolder !== null ? 'the folder' : fromTls !== null ? 'the TLS line' : '--log-type';
    return {
      format: 'exchange-smtp',
      state: { fields: SMTP_DEFAULT_FIELDS, kind: dir, sessions: null },
      layout: `${SMTP_NAMES[dir]} default fields, inferred from ${how}`,
    };
  }
  if (mostFit(data, 'pop-imap')) {
    const fromFolder = popImapKindFromFolders(folders);
    const fromOption = logType === 'pop3' || logType === 'imap4' ? logType : null;
    const kind = fromFolder ?? fromOption;
    if (kind === null) {
      return { skip: 'POP3/IMAP4 protocol log lines without directives: the folder (Pop3, Imap4) does not tell which; give --log-type pop3 or --log-type imap4' };
    }
    return {
      format: 'exchange-pop-imap',
      state: { fields: POP_IMAP_DEFAULT_FIELDS, kind, sessions: null },
      layout: `${kind === 'pop3' ? 'POP3' : 'IMAP4'} default fields, inferred from ${fromFolder !== null ? 'the folder' : '--log-type'}`,
    };
  }
  return null;
}
