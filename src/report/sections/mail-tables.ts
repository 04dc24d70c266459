// The Exchange Server and Exchange Online sections as plain tables (title, notes, columns, rows of text), so the
// Markdown and HTML reports render what the text report shows. Values stay raw here; each formatter escapes them.
import { num, pct } from '../strings.js';
import type { ExchangeSection } from './exchange.js';
import { periodText, type ExoSection } from './exo.js';

export interface MailTable {
  readonly title: string;
  readonly notes: readonly string[];
  /** Column names; a leading "#" marks a numeric column (right-aligned). */
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | null)[])[];
}

const tilde = (n: number, estimated: boolean): string => `${estimated ? '~' : ''}${num(n)}`;
const versions = (tls10: number, tls11: number): string => [tls10 ? 'TLS 1.0' : '', tls11 ? 'TLS 1.1' : ''].filter(Boolean).join(', ');

export function exchangeTables(s: ExchangeSection | null | undefined): MailTable[] {
  if (!s) return [];
  const out: MailTable[] = [];
  if (s.failed) {
    out.push({
      title: 'Failed SMTP TLS handshakes',
      notes: [`${num(s.failed.sessions)} sessions from ${num(s.failed.clients)} addresses: STARTTLS began and no TLS session followed.`],
      columns: ['#sessions', 'address', 'EHLO name', 'last seen', 'error', 'connector', 'internal'],
      rows: s.failed.listed.map((f) => [
        num(f.sessions), f.clientIp, f.ehlo, f.lastSeen.slice(0, 10), f.error, f.connector, f.internal ? 'yes' : 'no',
      ]),
    });
  }
  if (s.unknownMail) {
    out.push({
      title: 'POP3/IMAP4 clients with no TLS version in the log',
      notes: [
        `${num(s.unknownMail.sessions)} sessions from ${num(s.unknownMail.clients)} addresses. Check these clients by other means ` +
          'before disabling TLS 1.0/1.1 (their versions, a packet capture, or Schannel event logging on the server).',
      ],
      columns: ['#sessions', 'protocol', 'address', 'user', 'last seen'],
      rows: s.unknownMail.listed.map((c) => [num(c.sessions), c.source, c.clientIp, c.username, c.lastSeen.slice(0, 10)]),
    });
  }
  if (s.httpErr) {
    out.push({
      title: 'HTTP.sys timeouts and dropped connections by address and day',
      notes: [
        `${num(s.httpErr.clients)} addresses on ${num(s.httpErr.rows)} address-days. The last column is the last day, up to that ` +
          'day, the address used TLS 1.0/1.1 in the IIS logs.',
      ],
      columns: ['day', 'address', '#timeouts', '#dropped', 'TLS 1.0/1.1 in IIS'],
      rows: s.httpErr.listed.map((d) => [d.day, d.clientIp, num(d.timeouts), num(d.dropped), d.legacyIisDay ?? 'not seen']),
    });
  }
  if (s.pending) {
    out.push({
      title: 'Sessions still open',
      notes: [
        `${num(s.pending.sessions)} SMTP/POP3/IMAP4 sessions are open where the logs end (oldest event ${s.pending.oldest.slice(0, 16)}); ` +
          'they are counted once they end or after an hour without events.',
      ],
      columns: [],
      rows: [],
    });
  }
  return out;
}

export function exoTables(s: ExoSection | null | undefined): MailTable[] {
  if (!s) return [];
  const out: MailTable[] = [];
  const a = s.smtpAuth;
  if (a !== null) {
    out.push({
      title: 'Exchange Online SMTP AUTH senders on TLS 1.0/1.1',
      notes: [
        `${num(a.legacySenders)} of ${num(a.senders)} senders, ${tilde(a.legacyMessages, a.estimated)} of ${num(a.messages)} messages.`,
        ...a.periods.map((p) => `Period ${periodText(p)}.`),
        ...(a.overlapping > 0 ? [`${num(a.overlapping)} sender(s) appear in overlapping periods: their messages count once per period.`] : []),
        ...(a.estimated ? ['~ estimated: derived from the percentages of the export (rounded to add up to the total).'] : []),
      ],
      columns: ['#legacy', '#share', 'TLS', '#messages', 'sender'],
      rows: a.listed.map((x) => [tilde(x.tls10 + x.tls11, x.estimated), pct(x.share), versions(x.tls10, x.tls11), num(x.messages), x.sender]),
    });
  }
  const c = s.connectors;
  if (c !== null) {
    out.push({
      title: 'Exchange Online connectors on TLS 1.0/1.1',
      notes: [
        `${num(c.legacyConnectors)} of ${num(c.connectors)} connectors, ${tilde(c.legacyMessages, c.estimated)} of ${num(c.messages)} ` +
          `messages, ${c.firstDay === c.lastDay ? c.firstDay : `${c.firstDay}..${c.lastDay}`}.`,
        ...(c.estimated ? ['~ estimated: derived from the percentages of the export (rounded to add up to the volume).'] : []),
      ],
      columns: ['#legacy', '#share', 'TLS', 'direction', 'type', 'connector'],
      rows: c.listed.map((x) => [tilde(x.tls10 + x.tls11, x.estimated), pct(x.share), versions(x.tls10, x.tls11), x.direction, x.type, x.connector]),
    });
  }
  if (s.unusable.length > 0) {
    out.push({
      title: 'Exchange Online exports not used (a needed column is missing)',
      notes: [],
      columns: ['file', 'problem'],
      rows: s.unusable.map((u) => [u.path, u.message]),
    });
  }
  return out;
}
