// The legacy clients as CSV (one row per client, header first) for spreadsheets, through csv-stringify.
// Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) are neutralized with a leading "'".
import { stringify, type Options } from 'csv-stringify/sync';
import { machineKey } from './machine-verdict.js';
import { protocolsOf, type FormatOptions, type LegacyClient, type Summary } from './model.js';
import { accountOf } from './people.js';

export const CSV_COLUMNS = [
  'source', 'client_ip', 'username', 'user_agent', 'client', 'tls12_capable', 'noise', 'hint', 'protocols',
  'legacy_hits', 'ssl2_hits', 'ssl3_hits', 'tls10_hits', 'tls11_hits', 'modern_hits', 'auth_failures', 'errors',
  'first_seen', 'last_seen', 'servers', 'endpoints', 'internal', 'exception', 'exception_expires', 'server_verdicts', 'account',
] as const;

/**
 * Every CSV written (this report, `query --format csv`): CRLF records as Excel on Windows expects, whatever system
 * writes them, and a cell holding a line break in quotes: csv-stringify quotes only the record delimiter itself, so a
 * lone LF or CR from a log would otherwise start a new row in a spreadsheet.
 */
export const CSV_OPTIONS = { record_delimiter: 'windows', quoted_match: /[\r\n]/ } as const satisfies Options;

/** OWASP "CSV injection": a text cell must not start with a formula trigger once a spreadsheet reads it. */
export function neutralize(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** "EXCH01=no EXCH02=unknown": the machine verdict of each server the client was seen on. */
function serverVerdicts(c: LegacyClient, machines: ReadonlyMap<string, string>): string {
  return c.servers.map((name) => `${name}=${machines.get(machineKey(name)) ?? 'unknown'}`).join(' ');
}

function cells(c: LegacyClient, machines: ReadonlyMap<string, string>): (string | number)[] {
  const text = (v: string | null): string => neutralize(v ?? '');
  return [
    text(c.source), text(c.clientIp), text(c.username), text(c.userAgent), text(c.client), text(c.tls12Capable),
    text(c.noise), text(c.hint), text(protocolsOf(c).join(' ')),
    c.legacyHits, c.ssl2Hits, c.ssl3Hits, c.tls10Hits, c.tls11Hits, c.modernHits, c.authFailures, c.errors,
    text(c.firstSeen), text(c.lastSeen), text(c.servers.join(' ')), text(c.endpoints.join(' ')), c.internal ? 1 : 0,
    text(c.exception?.reason ?? null), text(c.exception?.expires ?? null), text(serverVerdicts(c, machines)),
    text(accountOf(c.username)),
  ];
}

export function formatCsv(s: Summary, _opts: FormatOptions): string {
  const machines = new Map(s.machines.map((m) => [machineKey(m.server), m.verdict]));
  return stringify([[...CSV_COLUMNS], ...s.legacy.map((c) => cells(c, machines))], CSV_OPTIONS);
}
