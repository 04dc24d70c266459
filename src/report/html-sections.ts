// The HTML report's tables: legacy clients (sortable, filterable by the page script), endpoints, noise, findings,
// protocol totals and files. Strings from logs only ever reach the page through escapeHtml.
import { escapeHtml } from './html-escape.js';
import { APPCMD, protocolsOf, type LegacyClient, type Summary } from './model.js';
import { exchangeTables, exoTables } from './sections/mail-tables.js';
import { num, pct } from './strings.js';

const td = (v: string | null, cls?: string): string => `<td${cls ? ` class="${cls}"` : ''}>${escapeHtml(v)}</td>`;
const tdNum = (n: number): string => `<td class="n" data-v="${n}">${num(n)}</td>`;
const when = (iso: string): string => iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, '');

interface Column {
  readonly name: string;
  readonly numeric: boolean;
  readonly cell: (c: LegacyClient) => string;
}

function clientColumns(list: readonly LegacyClient[]): Column[] {
  const ident = list.some((c) => c.client !== null || c.tls12Capable !== null || c.hint !== null);
  const noise = list.some((c) => c.noise !== null);
  const excepted = list.some((c) => c.exception !== null);
  const col = (name: string, cell: (c: LegacyClient) => string, numeric = false): Column => ({ name, numeric, cell });
  return [
    col('legacy hits', (c) => tdNum(c.legacyHits), true),
    col('protocols', (c) => td(protocolsOf(c).join(', '))),
    col('address', (c) => td(c.clientIp)),
    col('user', (c) => td(c.username)),
    ...(ident
      ? [
          col('client', (c) => td(c.client)),
          col('TLS 1.2?', (c) => (c.tls12Capable === null ? td(null) : `<td><span class="tag ${c.tls12Capable}">${escapeHtml(c.tls12Capable)}</span></td>`)),
          col('fix', (c) => td(c.hint, 'hint')),
        ]
      : []),
    ...(noise ? [col('noise', (c) => td(c.noise))] : []),
    ...(excepted ? [col('known exception', (c) => td(c.exception && `until ${c.exception.expires}: ${c.exception.reason}`))] : []),
    col('user agent', (c) => td(c.userAgent, 'ua')),
    col('endpoints', (c) => td(c.endpoints.join(', '))),
    col('servers', (c) => td(c.servers.join(', ') + (c.internal ? ' (internal)' : ''))),
    col('TLS 1.2+ hits', (c) => tdNum(c.modernHits), true),
    col('first seen', (c) => td(when(c.firstSeen), 'date')),
    col('last seen', (c) => td(when(c.lastSeen), 'date')),
  ];
}

/** People and devices: one row per (user, address), its clients (user agents) with their fixes listed inside. */
export function peopleSection(s: Summary): string {
  if (s.people.length === 0) return '';
  const real = s.legacyClients - s.noise.reduce((n, g) => n + g.clients, 0);
  const out = [`<section id="people"><h2>Legacy people and devices (${num(s.legacyPeople)}, from ${num(real)} clients)</h2>`];
  out.push('<p class="note">One row per user and address: a person or a device; its clients (user agents) beneath. Noise aside.');
  if (s.people.length < s.legacyPeople) out.push(` The top ${num(s.people.length)} by hits (--top).`);
  out.push('</p><div class="wide"><table id="people-table"><thead><tr><th class="n">legacy hits</th><th>protocols</th>');
  out.push('<th>address</th><th>user</th><th>clients and what to do</th><th>endpoints</th><th>servers</th><th>last seen</th></tr></thead><tbody>');
  for (const p of s.people) {
    const agents = p.agents.map((c) => {
      const what = `${num(c.legacyHits)} on ${protocolsOf(c).join(', ')}: ${c.client ?? c.userAgent ?? '(no user agent)'}` +
        (c.tls12Capable !== null ? ` (TLS 1.2: ${c.tls12Capable})` : '');
      const fix = c.hint !== null ? ` → ${c.hint}` : '';
      const exception = c.exception !== null ? ` [known exception until ${c.exception.expires}: ${c.exception.reason}]` : '';
      return `<li>${escapeHtml(what + fix + exception)}<br><span class="ua">${escapeHtml(c.userAgent)}</span></li>`;
    });
    out.push(
      `<tr>${tdNum(p.legacyHits)}${td(protocolsOf(p).join(', '))}${td(p.clientIp)}` +
        `${td(p.sameUserAsAbove ? `${p.username ?? ''} (same user as above)` : p.username)}` +
        `<td class="agents"><ul>${agents.join('')}</ul></td>${td(p.endpoints.join(', '))}` +
        `${td(p.servers.join(', ') + (p.internal ? ' (internal)' : ''))}${td(when(p.lastSeen), 'date')}</tr>`,
    );
  }
  out.push('</tbody></table></div></section>');
  return out.join('\n');
}

export function clientSection(s: Summary): string {
  const out: string[] = [`<section id="clients"><h2>Legacy clients by user agent (${num(s.legacyClients)} clients, ${num(s.legacyHits)} hits)</h2>`];
  if (s.legacy.length < s.legacyClients) out.push(`<p class="note">The top ${num(s.legacy.length)} by hits (--top).</p>`);
  out.push('<div class="controls"><input type="search" id="client-filter" placeholder="Filter: address, user, client, agent…">');
  out.push('<label><input type="checkbox" id="hide-noise"> hide noise</label><span id="client-count"></span></div>');
  const columns = clientColumns(s.legacy);
  out.push('<div class="wide"><table id="client-table"><thead><tr>');
  out.push(columns.map((c) => `<th class="sortable${c.numeric ? ' n' : ''}">${escapeHtml(c.name)}</th>`).join(''));
  out.push('</tr></thead><tbody>');
  for (const c of s.legacy) {
    const cls = [c.noise !== null ? 'noise' : '', c.exception !== null ? 'excepted' : ''].filter(Boolean).join(' ');
    out.push(`<tr${cls ? ` class="${cls}"` : ''}>${columns.map((col) => col.cell(c)).join('')}</tr>`);
  }
  out.push('</tbody></table></div></section>');
  if (s.noise.length > 0) {
    out.push('<section id="noise"><h2>Noise</h2><p class="note">Probes, health checks, challenge-only clients and scanners;');
    out.push('they do not count in the verdicts.</p><table><thead><tr><th>class</th><th class="n">clients</th>');
    out.push('<th class="n">hits</th><th>addresses</th></tr></thead><tbody>');
    for (const g of s.noise) out.push(`<tr>${td(g.noise)}${tdNum(g.clients)}${tdNum(g.hits)}${td(g.addresses.join(', '))}</tr>`);
    out.push('</tbody></table></section>');
  }
  return out.join('\n');
}

export function endpointTable(s: Summary): string {
  const out = ['<table><thead><tr><th>source</th><th>endpoint</th><th class="n">hits</th><th class="n">legacy hits</th>'];
  out.push('<th class="n">legacy share</th><th class="n">legacy clients</th></tr></thead><tbody>');
  for (const e of s.endpoints) {
    out.push(
      `<tr>${td(e.source)}${td(e.endpoint)}${tdNum(e.hits)}${tdNum(e.legacyHits)}` +
        `<td class="n">${pct(e.hits ? e.legacyHits / e.hits : 0)}</td>${tdNum(e.legacyClients)}</tr>`,
    );
  }
  out.push('</tbody></table>');
  return out.join('\n');
}

/** The Exchange Online and Exchange Server sections, when the database has such data. */
export function mailSection(s: Summary): string {
  const tables = [...exoTables(s.exo), ...exchangeTables(s.exchange)];
  if (tables.length === 0) return '';
  const out = ['<section id="mail"><h2>Mail: Exchange Online and Exchange Server</h2>'];
  for (const t of tables) {
    out.push(`<h3>${escapeHtml(t.title)}</h3>`);
    for (const n of t.notes) out.push(`<p class="note">${escapeHtml(n)}</p>`);
    if (t.columns.length === 0 || t.rows.length === 0) continue;
    const numeric = t.columns.map((c) => c.startsWith('#'));
    out.push('<table><thead><tr>' + t.columns.map((c, i) => `<th${numeric[i] ? ' class="n"' : ''}>${escapeHtml(c.replace(/^#/, ''))}</th>`).join('') + '</tr></thead><tbody>');
    for (const r of t.rows) out.push('<tr>' + r.map((v, i) => td(v ?? '-', numeric[i] ? 'n' : undefined)).join('') + '</tr>');
    out.push('</tbody></table>');
  }
  out.push('</section>');
  return out.join('\n');
}

/** Weak cryptography and blind spots (whole database), when the database has them. */
export function findingsSection(s: Summary): string {
  const f = s.findings;
  if (!f) return '';
  const out: string[] = [];
  const w = f.weakCrypto;
  if (w !== null && (w.byWeakness.length > 0 || w.tls12NotO365.clients > 0)) {
    out.push('<h3>Weak cryptography, on any TLS version</h3><table><thead><tr><th>weakness</th><th class="n">clients</th>');
    out.push('<th class="n">hits</th></tr></thead><tbody>');
    for (const g of w.byWeakness) out.push(`<tr>${td(g.weakness)}${tdNum(g.clients)}${tdNum(g.hits)}</tr>`);
    if (w.tls12NotO365.clients > 0) {
      out.push(`<tr>${td('TLS 1.2 with a suite Office 365 does not accept')}${tdNum(w.tls12NotO365.clients)}${tdNum(w.tls12NotO365.hits)}</tr>`);
    }
    out.push('</tbody></table>');
  }
  const spots = f.blindSpotFindings;
  if (spots.length > 0) {
    out.push('<h3>Blind spots</h3><ul>');
    for (const x of spots) {
      out.push(`<li>${escapeHtml(x.text)}` + (x.items.length > 0 ? `<ul>${x.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>` : '') + '</li>');
    }
    out.push('</ul>');
  }
  if (out.length === 0) return '';
  return `<section id="findings"><h2>Findings (whole database)</h2>\n${out.join('\n')}\n</section>`;
}

export function otherSection(s: Summary): string {
  const f = s.files;
  const out: string[] = ['<section id="totals"><h2>Hits by protocol</h2><table><thead><tr><th>source</th><th>protocol</th>'];
  out.push('<th class="n">hits</th><th class="n">share</th><th class="n">clients</th></tr></thead><tbody>');
  for (const t of s.totals) out.push(`<tr>${td(t.source)}${td(t.protocol)}${tdNum(t.hits)}<td class="n">${pct(t.share)}</td>${tdNum(t.clients)}</tr>`);
  out.push('</tbody></table>');
  out.push(`<p>Plain HTTP (no TLS): ${num(s.plain.hits)} hits from ${num(s.plain.clients)} clients.</p>`);
  if (s.unknown.hits > 0) {
    const codes = s.unknown.codes.map((c) => `${c.code ?? 'no crypt fields'} ×${num(c.hits)}`).join(', ');
    out.push(`<p>IIS requests with an unknown protocol: ${num(s.unknown.hits)} hits (${escapeHtml(codes)}).</p>`);
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
