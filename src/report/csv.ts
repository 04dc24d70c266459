// The legacy clients as CSV (one row per client, header first) for spreadsheets, through csv-stringify.
// Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) are neutralized with a leading "'".
import { stringify } from 'csv-stringify/sync';
import { protocolsOf, type FormatOptions, type LegacyClient, type Summary } from './model.js';

export const CSV_COLUMNS = [
  'source', 'client_ip', 'username', 'user_agent', 'client', 'tls12_capable', 'noise', 'hint', 'protocols',
  'legacy_hits', 'ssl2_hits', 'ssl3_hits', 'tls10_hits', 'tls11_hits', 'modern_hits', 'auth_failures', 'errors',
  'first_seen', 'last_seen', 'servers', 'endpoints', 'internal', 'exception', 'exception_expires',
] as const;

/** OWASP "CSV injection": a text cell must not start with a formula trigger once a spreadsheet reads it. */
export function neutralize(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

function cells(c: LegacyClient): (string | number)[] {
  const text = (v: string | null): string => neutralize(v ?? '');
  return [
    text(c.source), text(c.clientIp), text(c.username), text(c.userAgent), text(c.client), text(c.tls12Capable),
    text(c.noise), text(c.hint), text(protocolsOf(c).join(' ')),
    c.legacyHits, c.ssl2Hits, c.ssl3Hits, c.tls10Hits, c.tls11Hits, c.modernHits, c.authFailures, c.errors,
    text(c.firstSeen), text(c.lastSeen), text(c.servers.join(' ')), text(c.endpoints.join(' ')), c.internal ? 1 : 0,
    text(c.exception?.reason ?? null), text(c.exception?.expires ?? null),
  ];
}

export function formatCsv(s: Summary, _opts: FormatOptions): string {
  return stringify([[...CSV_COLUMNS], ...s.legacy.map(cells)], { record_delimiter: 'windows' });
}
