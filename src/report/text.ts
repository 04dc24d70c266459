// The summary as plain terminal text, at most 100 columns wide. A pure function of the Summary.
// It prints log-derived strings as they are, cut to width, with control characters made visible.
import type { LegacyClient, Summary } from './summary.js';

const WIDTH = 100;

const APPCMD = [
  `appcmd.exe set config -section:system.applicationHost/sites /+"siteDefaults.logFile.customFields.[logFieldName='crypt-protocol',sourceName='CRYPT_PROTOCOL',sourceType='ServerVariable']" /commit:apphost`,
  `appcmd.exe set config -section:system.applicationHost/sites /+"siteDefaults.logFile.customFields.[logFieldName='crypt-cipher',sourceName='CRYPT_CIPHER_ALG_ID',sourceType='ServerVariable']" /commit:apphost`,
  `appcmd.exe set config -section:system.applicationHost/sites /+"siteDefaults.logFile.customFields.[logFieldName='crypt-hash',sourceName='CRYPT_HASH_ALG_ID',sourceType='ServerVariable']" /commit:apphost`,
  `appcmd.exe set config -section:system.applicationHost/sites /+"siteDefaults.logFile.customFields.[logFieldName='crypt-keyexchange',sourceName='CRYPT_KEYEXCHANGE_ALG_ID',sourceType='ServerVariable']" /commit:apphost`,
];

export const num = (n: number): string => n.toLocaleString('en-US');
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** Log strings may hold control characters (terminal escapes): show them as "?". */
export function clean(s: string | null, max: number): string {
  const v = (s ?? '-').replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return v.length > max ? v.slice(0, Math.max(1, max - 1)) + '…' : v;
}

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const padL = (s: string, n: number): string => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

function protocolsOf(c: LegacyClient): string {
  const parts: string[] = [];
  if (c.ssl2Hits) parts.push('SSL2');
  if (c.ssl3Hits) parts.push('SSL3');
  if (c.tls10Hits) parts.push('1.0');
  if (c.tls11Hits) parts.push('1.1');
  return parts.join('+');
}

export function formatText(s: Summary, opts: { db: string; top: number }): string {
  const out: string[] = [];
  const f = s.files;
  out.push(`tls-census summary of ${opts.db}`);
  out.push(
    `Files: ${num(f.read)} read, ${num(f.skipped)} skipped, ${num(f.failed)} unreadable; ` +
      `${num(f.lines)} lines, ${num(f.badLines)} bad lines` + (s.newestSeen ? `; newest event ${s.newestSeen}` : ''),
  );
  out.push('');
  if (s.totals.length === 0) {
    out.push('No log events stored yet.');
  } else {
    out.push('Hits by protocol');
    out.push(`  ${pad('source', 14)}${pad('protocol', 10)}${padL('hits', 14)}${padL('share', 8)}${padL('clients', 10)}`);
    for (const t of s.totals) {
      out.push(`  ${pad(t.source, 14)}${pad(t.protocol, 10)}${padL(num(t.hits), 14)}${padL(pct(t.share), 8)}${padL(num(t.clients), 10)}`);
    }
  }
  out.push('');
  if (s.legacyClients === 0) {
    out.push('Legacy clients (SSL 2.0/3.0, TLS 1.0/1.1): none found.');
  } else {
    out.push(
      `Legacy clients (SSL 2.0/3.0, TLS 1.0/1.1): ${num(s.legacyClients)} clients, ${num(s.legacyHits)} hits` +
        (s.legacyClients > s.legacy.length ? ` (top ${s.legacy.length} by hits; --top N for more)` : ''),
    );
    out.push(`  ${padL('hits', 8)} ${pad('tls', 7)} ${pad('client', 24)} ${pad('user', 18)} ${pad('last seen', 10)} endpoints`);
    for (const c of s.legacy) {
      const where = `${c.source}${c.internal ? ' internal' : ''}: ${c.endpoints ?? '-'} on ${c.servers ?? '-'}`;
      out.push(
        `  ${padL(num(c.legacyHits), 8)} ${pad(protocolsOf(c), 7)} ${pad(clean(c.clientIp, 24), 24)} ` +
          `${pad(clean(c.username, 18), 18)} ${pad(c.lastSeen.slice(0, 10), 10)} ${clean(where, WIDTH - 73)}`,
      );
      out.push(`           ${clean(c.userAgent, WIDTH - 11)}${c.modernHits ? `  (also ${num(c.modernHits)} hits on TLS 1.2+)` : ''}`);
    }
  }
  out.push('');
  out.push(`Plain HTTP (no TLS): ${num(s.plain.hits)} hits from ${num(s.plain.clients)} clients.`);
  if (s.unknown.hits > 0) {
    const codes = s.unknown.codes.map((c) => `${c.code ?? 'no crypt fields'} ×${num(c.hits)}`).join(', ');
    out.push(clean(`Unknown protocol: ${num(s.unknown.hits)} hits (${codes}).`, WIDTH));
  }
  if (s.withoutTlsFields.files > 0) {
    out.push('');
    out.push(
      `WARNING: ${num(s.withoutTlsFields.files)} IIS log file(s) (${num(s.withoutTlsFields.hits)} hits) have no crypt-protocol field, ` +
        'so their TLS versions are unknown,',
    );
    out.push(`e.g. ${clean(s.withoutTlsFields.examples.join(', '), WIDTH - 5)}`);
    out.push('Enable the TLS fields on each IIS server (elevated prompt, in %windir%\\system32\\inetsrv), then scan');
    out.push('the new logs (or map your own field names with --field-map crypt-protocol=NAME,…):');
    for (const line of APPCMD) out.push('  ' + line);
  }
  if (f.problems.length > 0) {
    out.push('');
    out.push('Bad lines (skipped, the rest of each file was read):');
    for (const p of f.problems.slice(0, 10)) {
      out.push(clean(`  ${p.code} ×${num(p.count)}: ${p.path}:${p.firstLine}: ${p.message}`, WIDTH));
    }
    if (f.problems.length > 10) out.push(`  … ${f.problems.length - 10} more: SELECT * FROM diagnostics`);
  }
  if (f.unread.length > 0) {
    out.push('');
    out.push('Files not read:');
    for (const u of f.unread.slice(0, 10)) out.push(clean(`  ${u.status}: ${u.path}: ${u.reason ?? ''}`, WIDTH));
    if (f.unread.length > 10) out.push(`  … ${f.unread.length - 10} more: SELECT path, reason FROM files WHERE status != 'read'`);
  }
  return out.join('\n') + '\n';
}
