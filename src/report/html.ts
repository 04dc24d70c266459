// The report as one self-contained HTML file: per-site verdicts, charts (Chart.js inlined, no network), endpoint
// breakdown, a sortable/filterable client table. Every log string is HTML-escaped; embedded JSON escapes "<".
import { createHash } from 'node:crypto';
import { CHART_JS } from './chart-library.js';
import { HTML_SCRIPT, HTML_STYLE } from './html-assets.js';
import { planSection } from './html-plan.js';
import { escapeHtml, jsonForScript } from './html-escape.js';
import { clientSection, endpointTable, findingsSection, mailSection, otherSection, peopleSection } from './html-sections.js';
import { LEGACY_PROTOCOLS, type FormatOptions, type Summary } from './model.js';
import { windowText } from './strings.js';
import { TREND_NOTE, TREND_TITLE } from './trend.js';

/** Chart.js 4's UMD build, taken from node_modules at build time (scripts/build-chart.mjs), never read here. */
export const chartLibrary = (): string => CHART_JS;

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
      people: s.daily.map((d) => d.legacyPeople),
    },
    endpoints: {
      labels: legacyEndpoints.map((e) => `${e.endpoint ?? '-'} (${e.source})`),
      protocols: [...LEGACY_PROTOCOLS],
      hits: Object.fromEntries(LEGACY_PROTOCOLS.map((p) => [p, legacyEndpoints.map((e) => e.protocols[p] ?? 0)])),
    },
    sites: {
      labels: siteRows.map((v) => `${v.server ?? '-'} ${v.site ?? '-'} (${v.source})`),
      real: siteRows.map((v) => v.legacyHits - v.noiseHits - v.exceptedHits),
      excepted: siteRows.map((v) => v.exceptedHits),
      noise: siteRows.map((v) => v.noiseHits),
    },
  };
}

const BADGE = { yes: 'YES', no: 'NO', unknown: '?' } as const;

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
  out.push(
    '<p class="note">Per machine, over all its sources: yes when neither a real client (noise and known exceptions ' +
      "aside) nor the server's own components used SSL 3.0, TLS 1.0 or TLS 1.1 in the window and every source tells " +
      'the version. The per-source verdicts beneath each machine are its evidence.</p>',
  );
  out.push('<div class="verdicts">');
  for (const m of s.machines) {
    const notes = [...m.blockers.filter((b) => b.kind === 'server-own').map((b) => b.text), ...m.unknowns.map((u) => u.text)];
    out.push(
      `<div class="verdict machine ${m.verdict}"><div class="badge">${BADGE[m.verdict]}</div>` +
        `<div><div class="where">${escapeHtml(m.server ?? '(no server name)')}</div>` +
        `<p class="evidence"><strong>${escapeHtml(m.headline)}</strong></p>` +
        notes.map((n) => `<p class="evidence">${escapeHtml(n)}</p>`).join('') +
        '<ul class="sources">' +
        m.sources
          .map((v) => `<li><b class="${v.verdict}">${BADGE[v.verdict]}</b> ${escapeHtml(`${v.source} ${v.site ?? '-'}`)}: ${escapeHtml(v.evidence)}</li>`)
          .join('') +
        '</ul></div></div>',
    );
  }
  out.push('</div>');
  if (s.verdicts.some((v) => v.legacyHits > 0)) out.push('<div class="chart"><canvas id="site-chart"></canvas></div>');
  out.push('</section>');
  out.push(`<section id="daily"><h2>Hits by protocol and ${escapeHtml(TREND_TITLE.toLowerCase())}</h2>`);
  out.push('<p class="note">Stacked hits per day; the lines are the legacy share of the TLS hits (right axis) and the ' +
    `legacy people and devices (left axis, dashed). ${escapeHtml(TREND_NOTE)}</p>`);
  out.push('<div class="chart"><canvas id="daily-chart"></canvas></div></section>');
  out.push('<section id="endpoints"><h2>Endpoints</h2>');
  if (s.endpoints.some((e) => e.legacyHits > 0)) out.push('<div class="chart"><canvas id="endpoint-chart"></canvas></div>');
  out.push(endpointTable(s), '</section>');
  const plan = planSection(s);
  if (plan !== '') out.push(plan);
  const people = peopleSection(s);
  if (people !== '') out.push(people);
  out.push(clientSection(s));
  const mail = mailSection(s);
  if (mail !== '') out.push(mail);
  out.push(findingsSection(s));
  out.push(otherSection(s));
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
