// The report as one self-contained HTML file: per-site verdicts, charts (Chart.js inlined, no network), endpoint
// breakdown, a sortable/filterable client table. Every log string is HTML-escaped; embedded JSON escapes "<".
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { HTML_SCRIPT, HTML_STYLE } from './html-assets.js';
import { APPCMD, LEGACY_PROTOCOLS, protocolsOf, type FormatOptions, type LegacyClient, type Summary } from './model.js';
import { num, pct, windowText } from './strings.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text and attribute values: the five HTML specials become entities; control characters become U+FFFD. */
export function escapeHtml(s: string | null): string {
  return (s ?? '-').replace(/[&<>"']/g, (c) => ENTITIES[c]).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd');
}

/** JSON inside <script>: "<", ">", "&" and the JS line separators as \u escapes, so no "</script>" or "<!--" survives. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

let chartJs: string | undefined;

/** Chart.js 4's UMD build from node_modules, read once; its source-map comment is dropped (no fetch from a file). */
export function chartLibrary(): string {
  if (chartJs === undefined) {
    const main = createRequire(import.meta.url).resolve('chart.js'); // …/chart.js/dist/chart.cjs
    const text = readFileSync(join(dirname(main), 'chart.umd.min.js'), 'utf8').replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n');
    if (/<\/script|<!--/i.test(text)) throw new Error('chart.umd.min.js holds "</script" or "<!--" and cannot be inlined');
    chartJs = text;
  }
  return chartJs;
}

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

const PROTOCOL_ORDER = ['SSL 2.0', 'SSL 3.0', 'TLS 1.0', 'TLS 1.1', 'TLS 1.2', 'TLS 1.3', 'none', 'failed', 'unknown'];
const order = (a: string, b: string): number => {
  const x = PROTOCOL_ORDER.indexOf(a);
  const y = PROTOCOL_ORDER.indexOf(b);
  return (x < 0 ? 99 : x) - (y < 0 ? 99 : y) || a.localeCompare(b, 'en');
};

/** The numbers the charts draw; labels that come from logs (servers, sites, endpoints) are escaped by jsonForScript. */
function chartData(s: Summary) {
  const protocols = [...new Set(s.daily.flatMap((d) => Object.keys(d.hits)))].sort(order);
  const legacyEndpoints = s.endpoints.filter((e) => e.legacyHits > 0);
  const siteRows = s.verdicts.filter((v) => v.legacyHits > 0);
  return {
    daily: {
      days: s.daily.map((d) => d.day),
      protocols,
      hits: Object.fromEntries(protocols.map((p) => [p, s.daily.map((d) => d.hits[p] ?? 0)])),
      legacyShare: s.daily.map((d) => Math.round(d.legacyShare * 10000) / 100),
    },
    endpoints: {
      labels: legacyEndpoints.map((e) => `${e.endpoint ?? '-'} (${e.source})`),
      protocols: [...LEGACY_PROTOCOLS],
      hits: Object.fromEntries(LEGACY_PROTOCOLS.map((p) => [p, legacyEndpoints.map((e) => e.protocols[p] ?? 0)])),
    },
    sites: {
      labels: siteRows.map((v) => `${v.server ?? '-'} ${v.site ?? '-'} (${v.source})`),
      real: siteRows.map((v) => v.legacyHits - v.noiseHits),
      noise: siteRows.map((v) => v.noiseHits),
    },
  };
}

const td = (v: string | null, cls?: string): string => `<td${cls ? ` class="${cls}"` : ''}>${escapeHtml(v)}</td>`;
const tdNum = (n: number): string => `<td class="n" data-v="${n}">${num(n)}</td>`;

function clientRow(c: LegacyClient): string {
  const capable = c.tls12Capable === null ? td(null) : `<td><span class="tag ${c.tls12Capable}">${escapeHtml(c.tls12Capable)}</span></td>`;
  return (
    `<tr${c.noise !== null ? ' class="noise"' : ''}>` +
    tdNum(c.legacyHits) + td(protocolsOf(c).join(', ')) + td(c.clientIp) + td(c.username) + td(c.client) + capable +
    td(c.noise) + td(c.hint) + td(c.userAgent, 'ua') + td(c.endpoints.join(', ')) +
    td(c.servers.join(', ') + (c.internal ? ' (internal)' : '')) + tdNum(c.modernHits) + td(c.firstSeen) + td(c.lastSeen) +
    '</tr>'
  );
}

const CLIENT_HEAD: readonly [string, boolean][] = [
  ['legacy hits', true], ['protocols', false], ['address', false], ['user', false], ['client', false], ['TLS 1.2?', false],
  ['noise', false], ['fix', false], ['user agent', false], ['endpoints', false], ['servers', false], ['TLS 1.2+ hits', true],
  ['first seen', false], ['last seen', false],
];

function body(s: Summary, opts: FormatOptions): string {
  const out: string[] = [];
  const window = windowText(s.filter);
  out.push('<header><h1>tls-census report</h1>');
  out.push(
    `<p class="meta">Database ${escapeHtml(opts.db)}` +
      (s.firstDay ? `; data from ${escapeHtml(s.firstDay)} to ${escapeHtml(s.lastDay)}` : '; no data in the window') +
      (window !== null ? `; window ${escapeHtml(window)}` : '') +
      (s.redacted ? '; user names and addresses are pseudonyms' : '') +
      '.</p></header>',
  );
  out.push('<section id="verdicts"><h2>Safe to disable TLS 1.0/1.1?</h2>');
  out.push('<p class="note">Per server and site: yes when no real client (noise aside) used SSL 3.0, TLS 1.0 or TLS 1.1 in the window.</p>');
  out.push('<div class="verdicts">');
  for (const v of s.verdicts) {
    out.push(
      `<div class="verdict ${v.verdict}"><div class="badge">${{ yes: 'YES', no: 'NO', unknown: '?' }[v.verdict]}</div>` +
        `<div><div class="where">${escapeHtml(`${v.server ?? '-'} · ${v.site ?? '-'} · ${v.source}`)}</div>` +
        `<p class="evidence">${escapeHtml(v.evidence)}</p></div></div>`,
    );
  }
  out.push('</div>');
  if (s.verdicts.some((v) => v.legacyHits > 0)) out.push('<div class="chart"><canvas id="site-chart"></canvas></div>');
  out.push('</section>');
  out.push('<section id="daily"><h2>Daily hits by protocol</h2>');
  out.push('<p class="note">Stacked hits per day; the line is the legacy share of the TLS hits (right axis).</p>');
  out.push('<div class="chart"><canvas id="daily-chart"></canvas></div></section>');
  out.push('<section id="endpoints"><h2>Endpoints</h2>');
  if (s.endpoints.some((e) => e.legacyHits > 0)) out.push('<div class="chart"><canvas id="endpoint-chart"></canvas></div>');
  out.push('<table><thead><tr><th>source</th><th>endpoint</th><th class="n">hits</th><th class="n">legacy hits</th>');
  out.push('<th class="n">legacy share</th><th class="n">legacy clients</th></tr></thead><tbody>');
  for (const e of s.endpoints) {
    out.push(
      `<tr>${td(e.source)}${td(e.endpoint)}${tdNum(e.hits)}${tdNum(e.legacyHits)}` +
        `<td class="n">${pct(e.hits ? e.legacyHits / e.hits : 0)}</td>${tdNum(e.legacyClients)}</tr>`,
    );
  }
  out.push('</tbody></table></section>');
  out.push(`<section id="clients"><h2>Legacy clients (${num(s.legacyClients)} clients, ${num(s.legacyHits)} hits)</h2>`);
  if (s.legacy.length < s.legacyClients) out.push(`<p class="note">The top ${num(s.legacy.length)} by hits (--top).</p>`);
  out.push('<div class="controls"><input type="search" id="client-filter" placeholder="Filter: address, user, client, agent…">');
  out.push('<label><input type="checkbox" id="hide-noise"> hide noise</label><span id="client-count"></span></div>');
  out.push('<table id="client-table"><thead><tr>');
  out.push(CLIENT_HEAD.map(([name, n]) => `<th class="sortable${n ? ' n' : ''}">${escapeHtml(name)}</th>`).join(''));
  out.push('</tr></thead><tbody>');
  for (const c of s.legacy) out.push(clientRow(c));
  out.push('</tbody></table></section>');
  if (s.noise.length > 0) {
    out.push('<section id="noise"><h2>Noise</h2><p class="note">Probes, health checks, challenge-only clients and scanners;');
    out.push('they do not count in the verdicts.</p><table><thead><tr><th>class</th><th class="n">clients</th>');
    out.push('<th class="n">hits</th><th>addresses</th></tr></thead><tbody>');
    for (const g of s.noise) out.push(`<tr>${td(g.noise)}${tdNum(g.clients)}${tdNum(g.hits)}${td(g.addresses.join(', '))}</tr>`);
    out.push('</tbody></table></section>');
  }
  out.push(otherSection(s));
  return out.join('\n');
}

function otherSection(s: Summary): string {
  const f = s.files;
  const out: string[] = ['<section id="totals"><h2>Hits by protocol</h2><table><thead><tr><th>source</th><th>protocol</th>'];
  out.push('<th class="n">hits</th><th class="n">share</th><th class="n">clients</th></tr></thead><tbody>');
  for (const t of s.totals) out.push(`<tr>${td(t.source)}${td(t.protocol)}${tdNum(t.hits)}<td class="n">${pct(t.share)}</td>${tdNum(t.clients)}</tr>`);
  out.push('</tbody></table>');
  out.push(`<p>Plain HTTP (no TLS): ${num(s.plain.hits)} hits from ${num(s.plain.clients)} clients.</p>`);
  if (s.unknown.hits > 0) {
    const codes = s.unknown.codes.map((c) => `${c.code ?? 'no crypt fields'} ×${num(c.hits)}`).join(', ');
    out.push(`<p>Unknown protocol: ${num(s.unknown.hits)} hits (${escapeHtml(codes)}).</p>`);
  }
  out.push(
    `<p>Files (whole database): ${num(f.read)} read, ${num(f.skipped)} skipped, ${num(f.failed)} unreadable; ` +
      `${num(f.lines)} lines, ${num(f.badLines)} bad lines.</p>`,
  );
  if (f.problems.length > 0 || f.unread.length > 0) {
    out.push('<ul>');
    for (const p of f.problems) out.push(`<li>${escapeHtml(`${p.code} ×${p.count}: ${p.path}:${p.firstLine}: ${p.message}`)}</li>`);
    for (const u of f.unread) out.push(`<li>${escapeHtml(`${u.status}: ${u.path}: ${u.reason ?? ''}`)}</li>`);
    out.push('</ul>');
  }
  if (s.withoutTlsFields.files > 0) {
    out.push(
      `<div class="warning"><p><b>Warning:</b> ${num(s.withoutTlsFields.files)} IIS log file(s) ` +
        `(${num(s.withoutTlsFields.hits)} hits) have no crypt-protocol field, so their TLS versions are unknown ` +
        `(e.g. ${escapeHtml(s.withoutTlsFields.examples.join(', '))}). Enable the TLS fields on each IIS server ` +
        '(elevated prompt, in %windir%\\system32\\inetsrv):</p>' +
        `<pre>${escapeHtml(APPCMD.join('\n'))}</pre></div>`,
    );
  }
  out.push('</section>');
  return out.join('\n');
}

export function formatHtml(s: Summary, opts: FormatOptions): string {
  const data = jsonForScript(chartData(s));
  const library = chartLibrary();
  // Only the page's own style and scripts may run: a second wall behind the escaping, and no network at all.
  const csp =
    `default-src 'none'; script-src ${sha256(library)} ${sha256(HTML_SCRIPT)}; style-src ${sha256(HTML_STYLE)}; ` +
    `img-src data:; base-uri 'none'; form-action 'none'`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="referrer" content="no-referrer"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>tls-census report</title>`,
    `<style>${HTML_STYLE}</style>`,
    '</head><body>',
    body(s, opts),
    `<script type="application/json" id="report-data">${data}</script>`,
    `<script>${library}</script>`,
    `<script>${HTML_SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
