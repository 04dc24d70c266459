// The report as plain terminal text, at most 100 columns wide (the copyable appcmd lines excepted).
// A pure function of the Summary; log strings are printed as they are, cut to width, control characters made visible.
import {
  APPCMD, protocolsOf, type FormatOptions, type LegacyClient, type LegacyPerson, type MachineVerdict, type SiteVerdict,
  type Summary, type Verdict,
} from './model.js';
import { formatExchangeSection } from './sections/exchange.js';
import { formatExoSection } from './sections/exo.js';
import { formatFindingsText } from './sections/findings.js';
import { clean, num, pad, padL, pct, shortProtocol, windowText, wrapWords } from './strings.js';
import { planTextLines } from './plan-text.js';
import { omittedNote, TREND_COLUMNS, TREND_NOTE, TREND_TITLE, trendOf } from './trend.js';

export { clean, num } from './strings.js';

const WIDTH = 100;

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow';
const SGR: Record<Style, [number, number]> = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39] };

const wrap = (text: string, first: string, rest: string): string[] => wrapWords(text, WIDTH, first, rest);

export function formatText(s: Summary, opts: FormatOptions): string {
  const paint = (style: Style, text: string): string =>
    opts.color ? `\u001b[${SGR[style][0]}m${text}\u001b[${SGR[style][1]}m` : text;
  const out: string[] = [];
  const f = s.files;
  out.push(paint('bold', clean(`tls-census summary of ${opts.db}`, WIDTH)));
  const window = windowText(s.filter);
  if (window !== null) out.push(clean(`Window: ${window}`, WIDTH));
  out.push(
    `Files: ${num(f.read)} read, ${num(f.skipped)} skipped, ${num(f.failed)} unreadable; ` +
      `${num(f.lines)} lines, ${num(f.badLines)} bad lines` + (s.newestSeen ? `; newest event ${s.newestSeen}` : ''),
  );
  for (const x of f.inferred.slice(0, 5)) out.push(clean(`  read without directives: ${x.path}: ${x.layout}`, WIDTH));
  if (f.inferred.length > 5) out.push(`  … ${num(f.inferred.length - 5)} more read without directives: SELECT path, layout FROM files WHERE layout IS NOT NULL`);
  out.push('');
  if (s.totals.length === 0) {
    out.push(window === null ? 'No log events stored yet.' : 'No log events in this window.');
  } else {
    out.push(paint('bold', 'Hits by protocol'));
    out.push(`  ${pad('source', 14)}${pad('protocol', 10)}${padL('hits', 14)}${padL('share', 8)}${padL('clients', 10)}`);
    for (const t of s.totals) {
      out.push(`  ${pad(clean(t.source, 13), 14)}${pad(t.protocol, 10)}${padL(num(t.hits), 14)}${padL(pct(t.share), 8)}${padL(num(t.clients), 10)}`);
    }
    out.push('');
    out.push(paint('bold', 'Safe to disable TLS 1.0/1.1? (per machine, over all its sources; noise does not count)'));
    for (const m of s.machines) out.push(...machineLines(m, paint));
  }
  out.push('');
  out.push(...legacyLines(s, paint));
  out.push(...planTextLines(s, (t) => paint('bold', t)));
  out.push(...trendLines(s, paint));
  out.push(...endpointLines(s, paint));
  out.push(...formatExoSection(s.exo));
  out.push(...formatExchangeSection(s.exchange));
  out.push(...formatFindingsText(s.findings));
  out.push('');
  out.push(`Plain HTTP (no TLS): ${num(s.plain.hits)} hits from ${num(s.plain.clients)} clients.`);
  if (s.unknown.hits > 0) {
    const codes = s.unknown.codes.map((c) => `${c.code ?? 'no crypt fields'} ×${num(c.hits)}`).join(', ');
    out.push(clean(`IIS requests with an unknown protocol: ${num(s.unknown.hits)} hits (${codes}).`, WIDTH));
  }
  if (s.withoutTlsFields.files > 0) {
    out.push('');
    out.push(
      paint('yellow', 'WARNING:') + ` ${num(s.withoutTlsFields.files)} IIS log file(s) (${num(s.withoutTlsFields.hits)} hits) ` +
        'have no crypt-protocol field, so their TLS versions are unknown,',
    );
    out.push(`e.g. ${clean(s.withoutTlsFields.examples.join(', '), WIDTH - 5)}`);
    out.push('Enable the TLS fields on each IIS server (elevated prompt, in %windir%\\system32\\inetsrv), then scan');
    out.push('the new logs (or map your own field names with --field-map crypt-protocol=NAME,…):');
    for (const line of APPCMD) out.push('  ' + line);
  }
  if (f.problems.length > 0) {
    out.push('');
    out.push('Problems in the logs (bad lines were skipped; lines kept say so in their message):');
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

const LABEL: Record<Verdict, string> = { yes: 'YES', no: 'NO', unknown: '?' };
const STYLE: Record<Verdict, Style> = { yes: 'green', no: 'red', unknown: 'yellow' };

/** The machine's verdict, what blocks it or leaves it unknown, then its per-source rows as evidence. */
function machineLines(m: MachineVerdict, paint: (style: Style, text: string) => string): string[] {
  const label = LABEL[m.verdict];
  const head = wrap(`${clean(m.server ?? '(no server name)', 40)}: ${clean(m.headline)}`, `  ${pad(label, 4)}`, '       ');
  const out = head.map((l, i) => (i === 0 ? `  ${paint(STYLE[m.verdict], pad(label, 4))}${paint('bold', l.slice(6))}` : l));
  // The per-source rows say what blocks or is unknown; the server-side fix of own traffic is said once here
  for (const b of m.blockers.filter((x) => x.kind === 'server-own')) out.push(...wrap(clean(b.text), '       fix first: ', '         '));
  for (const v of m.sources) out.push(...verdictLines(v, paint));
  return out;
}

function verdictLines(v: SiteVerdict, paint: (style: Style, text: string) => string): string[] {
  const label = LABEL[v.verdict];
  const where = clean(`${v.source} ${v.site ?? '-'}:`, 40);
  const lines = wrap(`${where} ${clean(v.evidence)}`, `       ${pad(label, 4)}`, '            ');
  return lines.map((l, i) => (i === 0 ? `       ${paint(STYLE[v.verdict], pad(label, 4))}${l.slice(11)}` : l));
}

function legacyLines(s: Summary, paint: (style: Style, text: string) => string): string[] {
  const out: string[] = [];
  if (s.legacyClients === 0) {
    const unknown = s.machines.filter((m) => m.verdict === 'unknown').length;
    // Never good news when some logs cannot tell: say what "none" covers
    return [
      unknown === 0
        ? 'Legacy clients (SSL 2.0/3.0, TLS 1.0/1.1): none found.'
        : `Legacy clients (SSL 2.0/3.0, TLS 1.0/1.1): none in the logs that tell the TLS version; ${num(unknown)} ` +
          `server${unknown === 1 ? '' : 's'} unknown (above).`,
    ];
  }
  const noiseClients = s.noise.reduce((n, g) => n + g.clients, 0);
  const realTotal = s.legacyClients - noiseClients;
  out.push(
    ...wrap(
      `${paint('bold', 'Legacy clients (SSL 2.0/3.0, TLS 1.0/1.1):')} ${num(s.legacyClients)} clients, ${num(s.legacyHits)} hits` +
        (noiseClients > 0 ? `; ${num(noiseClients)} of them noise, listed apart` : '') +
        (realTotal > 0 ? `; ${noiseClients > 0 ? 'the other ' : ''}${num(realTotal)} are ${peopleText(s.legacyPeople)}` : '') +
        (s.excepted.clients > 0 ? `; ${num(s.excepted.clients)} clients under known exceptions` : '') +
        (s.legacyPeople > s.people.length ? ` (top ${s.people.length} by hits; --top N for more)` : ''),
      '',
      '  ',
    ),
  );
  if (s.people.length > 0) {
    out.push(`  ${padL('hits', 8)} ${pad('tls', 8)} ${pad('address', 24)} ${pad('user', 18)} ${pad('last seen', 10)} endpoints`);
    for (const p of s.people) out.push(...personLines(p, paint));
  }
  if (s.noise.length > 0) {
    out.push('');
    out.push(paint('bold', 'Noise') + ' (probes, health checks, challenge-only, scanners; not counted in the verdicts):');
    for (const g of s.noise) {
      const head = `  ${pad(clean(g.noise, 22), 22)} ${padL(num(g.clients), 5)} clients ${padL(num(g.hits), 8)} hits: `;
      out.push(head + clean(g.addresses.join(', '), WIDTH - head.length));
    }
  }
  return out;
}

function trendLines(s: Summary, paint: (style: Style, text: string) => string): string[] {
  if (s.daily.length === 0) return [];
  const t = trendOf(s);
  const widths = [12, 16, 13, 15, 14];
  const row = (cells: readonly string[]): string => '  ' + cells.map((c, i) => (i === 0 ? pad(c, widths[i]) : padL(c, widths[i]))).join('');
  const out = ['', paint('bold', TREND_TITLE), ...wrap(TREND_NOTE, '  ', '  '), row(TREND_COLUMNS)];
  for (const d of t.days) {
    out.push(row([d.day, num(d.legacyPeople), num(d.legacyHits), num(d.legacyHits - d.realLegacyHits), pct(d.legacyShare)]));
  }
  if (t.omitted > 0) out.push(`  ${omittedNote(t.omitted)}`);
  return out;
}

function endpointLines(s: Summary, paint: (style: Style, text: string) => string): string[] {
  if (s.endpoints.length === 0) return [];
  const out = ['', paint('bold', 'Endpoints') + ' (legacy clients: distinct addresses)'];
  out.push(`  ${pad('source', 14)}${pad('endpoint', 16)}${padL('hits', 12)}${padL('legacy hits', 13)}${padL('share', 8)}${padL('legacy clients', 16)}`);
  for (const e of s.endpoints) {
    out.push(
      `  ${pad(clean(e.source, 13), 14)}${pad(clean(e.endpoint, 15), 16)}${padL(num(e.hits), 12)}${padL(num(e.legacyHits), 13)}` +
        `${padL(pct(e.hits ? e.legacyHits / e.hits : 0), 8)}${padL(num(e.legacyClients), 16)}`,
    );
  }
  return out;
}

const peopleText = (n: number): string => `${num(n)} ${n === 1 ? 'person or device' : 'people or devices'}`;

/** A person or device: one line for the address and user, then each of its clients (user agents) beneath. */
function personLines(p: LegacyPerson, paint: (style: Style, text: string) => string): string[] {
  const tls = protocolsOf(p).map(shortProtocol).join('+');
  const where = `${p.sameUserAsAbove ? 'same user as above, ' : ''}${p.source}${p.internal ? ' internal' : ''}: ` +
    `${p.endpoints.join(',') || '-'} on ${p.servers.join(',') || '-'}`;
  const lines = [
    `  ${padL(num(p.legacyHits), 8)} ${paint('red', pad(tls, 8))} ${pad(clean(p.clientIp, 24), 24)} ` +
      `${pad(clean(p.username, 18), 18)} ${pad(p.lastSeen.slice(0, 10), 10)} ${clean(where, WIDTH - 75)}`,
  ];
  for (const c of p.agents) lines.push(...agentLines(c, p.agents.length > 1, paint));
  return lines;
}

function agentLines(c: LegacyClient, several: boolean, paint: (style: Style, text: string) => string): string[] {
  // With several agents, each says its share of the hits and protocols; the person's line has the sum.
  const share = several ? `${num(c.legacyHits)} on ${protocolsOf(c).map(shortProtocol).join('+')}: ` : '';
  const lines: string[] = [];
  const also = c.modernHits ? `  (also ${num(c.modernHits)} hits on TLS 1.2+)` : '';
  if (c.client !== null || c.hint !== null) {
    // What it is and what to do, wrapped (the fix is the point); then the user agent as evidence.
    const capable = c.tls12Capable !== null ? ` [TLS 1.2: ${c.tls12Capable}]` : '';
    const hint = c.hint !== null ? ` → ${c.hint}` : '';
    lines.push(...wrap(clean(`${share}${c.client ?? 'unidentified'}${capable}${hint}`), '           ', '             ').slice(0, 3));
    lines.push(`           ${paint('dim', clean(c.userAgent, WIDTH - 11 - also.length))}${also}`);
  } else {
    lines.push(`           ${clean(`${share}${c.userAgent ?? '-'}`, WIDTH - 11 - also.length)}${also}`);
  }
  if (c.exception !== null) {
    lines.push(`           ${paint('yellow', clean(`known exception until ${c.exception.expires}: ${c.exception.reason}`, WIDTH - 11))}`);
  }
  return lines;
}
