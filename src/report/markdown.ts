// The report as GitHub-flavoured Markdown for tickets and wikis: verdicts, protocol shares, legacy clients, noise,
// endpoints, file problems. A pure function of the Summary; every log string is escaped so it stays plain text.
import { APPCMD, protocolsOf, type FormatOptions, type LegacyClient, type LegacyPerson, type Summary } from './model.js';
import { exchangeTables, exoTables, type MailTable } from './sections/mail-tables.js';
import { clean, num, pct, windowText } from './strings.js';
import { actionTitle, byHeading, machineTitle, namesOf, PLAN_NOTE, PLAN_TITLE } from './plan-text.js';
import { omittedNote, TREND_COLUMNS, TREND_NOTE, TREND_TITLE, trendOf } from './trend.js';

/** Plain text in Markdown: no emphasis, links, code, HTML or table breaks can come from the data. */
export function mdText(s: string | null): string {
  return clean(s)
    .replace(/[\\`*_[\]|~#!]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

function table(head: readonly string[], align: string, rows: readonly (readonly string[])[]): string[] {
  if (align.length !== head.length) throw new Error(`markdown table: ${head.length} columns, ${align.length} alignments`);
  return [row(head), row(align.split('').map((a) => (a === 'r' ? '---:' : '---'))), ...rows.map(row)];
}

export function formatMarkdown(s: Summary, opts: FormatOptions): string {
  const out: string[] = [];
  const f = s.files;
  out.push('# tls-census report', '');
  const window = windowText(s.filter);
  out.push(
    `Database ${mdText(opts.db)}` +
      (s.firstDay ? `; data from ${s.firstDay} to ${s.lastDay}` : '; no data in the window') +
      (window !== null ? `; window ${mdText(window)}` : '') +
      (s.redacted ? '; user names and addresses are pseudonyms' : '') +
      '.',
    '',
  );
  out.push('## Safe to disable TLS 1.0/1.1?', '');
  if (s.verdicts.length === 0) out.push('No log events in this window.');
  else {
    out.push(
      'Per machine, over all its sources: *yes* when neither a real client (noise and known exceptions aside) nor ' +
        "the server's own components used SSL 3.0, TLS 1.0 or TLS 1.1 in the window and every source tells the version.",
      '',
    );
    out.push(
      ...table(
        ['server', 'safe?', 'days', 'why'],
        'llrl',
        s.machines.map((m) => [
          mdText(m.server ?? '(no server name)'),
          `**${m.verdict}**`,
          num(m.days),
          [m.headline, ...m.blockers.filter((b) => b.kind === 'server-own').map((b) => b.text), ...m.unknowns.map((u) => u.text)]
            .map(mdText).join('<br>'),
        ]),
      ),
    );
    out.push('', 'Per source (the evidence):', '');
    out.push(
      ...table(
        ['server', 'source', 'site', 'safe?', 'evidence'],
        'lllll',
        s.verdicts.map((v) => [mdText(v.server), mdText(v.source), mdText(v.site), `**${v.verdict}**`, mdText(v.evidence)]),
      ),
    );
  }
  out.push('', '## Hits by protocol', '');
  out.push(
    ...table(
      ['source', 'protocol', 'hits', 'share', 'clients'],
      'llrrr',
      s.totals.map((t) => [mdText(t.source), mdText(t.protocol), num(t.hits), pct(t.share), num(t.clients)]),
    ),
  );
  out.push(...peopleLines(s));
  if (s.noise.length > 0) {
    out.push('', '### Noise', '', 'Probes, health checks, challenge-only clients and scanners; they do not count in the verdicts.', '');
    out.push(
      ...table(
        ['class', 'clients', 'hits', 'addresses'],
        'lrrl',
        s.noise.map((g) => [mdText(g.noise), num(g.clients), num(g.hits), mdText(g.addresses.join(', '))]),
      ),
    );
  }
  if (s.plans.length > 0) out.push('', `## ${PLAN_TITLE}`, '', mdText(PLAN_NOTE), ...planMarkdown(s, 3));
  out.push(...trendMarkdown(s));
  out.push('', '## Endpoints', '');
  out.push(
    ...table(
      ['source', 'endpoint', 'hits', 'legacy hits', 'legacy share', 'legacy clients'],
      'llrrrr',
      s.endpoints.map((e) => [
        mdText(e.source), mdText(e.endpoint), num(e.hits), num(e.legacyHits), pct(e.hits ? e.legacyHits / e.hits : 0), num(e.legacyClients),
      ]),
    ),
  );
  out.push(...mailLines([...exoTables(s.exo), ...exchangeTables(s.exchange)]));
  out.push(...findingsLines(s));
  out.push('', '## Other traffic and files', '');
  out.push(`- Plain HTTP (no TLS): ${num(s.plain.hits)} hits from ${num(s.plain.clients)} clients.`);
  if (s.unknown.hits > 0) {
    const codes = s.unknown.codes.map((c) => `${mdText(c.code ?? 'no crypt fields')} ×${num(c.hits)}`).join(', ');
    out.push(`- IIS requests with an unknown protocol: ${num(s.unknown.hits)} hits (${codes}).`);
  }
  out.push(
    `- Files (whole database): ${num(f.read)} read, ${num(f.skipped)} skipped, ${num(f.failed)} unreadable; ` +
      `${num(f.lines)} lines, ${num(f.badLines)} bad lines.`,
  );
  for (const p of f.problems.slice(0, 10)) {
    out.push(`  - ${mdText(p.code)} ×${num(p.count)}: ${mdText(`${p.path}:${p.firstLine}: ${p.message}`)}`);
  }
  for (const u of f.unread.slice(0, 10)) out.push(`  - ${mdText(u.status)}: ${mdText(`${u.path}: ${u.reason ?? ''}`)}`);
  if (s.withoutTlsFields.files > 0) {
    out.push(
      '',
      `**Warning:** ${num(s.withoutTlsFields.files)} IIS log file(s) (${num(s.withoutTlsFields.hits)} hits) have no ` +
        `crypt-protocol field, so their TLS versions are unknown (e.g. ${mdText(s.withoutTlsFields.examples.join(', '))}). ` +
        'Enable the TLS fields on each IIS server (elevated prompt, in `%windir%\\system32\\inetsrv`):',
      '',
      '```',
      ...APPCMD,
      '```',
    );
  }
  return out.join('\n') + '\n';
}

/** The legacy clients as people and devices, one table row each, their clients (user agents) in the cells. */
function peopleLines(s: Summary): string[] {
  const out = ['', '## Legacy clients (SSL 2.0/3.0, TLS 1.0/1.1)', ''];
  const noiseClients = s.noise.reduce((n, g) => n + g.clients, 0);
  const realTotal = s.legacyClients - noiseClients;
  out.push(
    `${num(s.legacyClients)} clients, ${num(s.legacyHits)} hits` +
      (noiseClients > 0 ? `; ${num(noiseClients)} of them noise (below)` : '') +
      (realTotal > 0 ? `; ${noiseClients > 0 ? 'the other ' : ''}${num(realTotal)} are ${num(s.legacyPeople)} people or devices` : '') +
      (s.legacyPeople > s.people.length ? `; the top ${num(s.people.length)} by hits:` : '.'),
    '',
  );
  if (s.people.length === 0) return out;
  const agents = s.people.flatMap((p) => p.agents);
  const ident = agents.some((c) => c.client !== null || c.tls12Capable !== null || c.hint !== null);
  const excepted = agents.some((c) => c.exception !== null);
  // Several clients of one person share a cell, one per line (<br>: the only line break a table cell has).
  const lines = (p: LegacyPerson, f: (c: LegacyClient) => string): string => p.agents.map(f).join('<br>');
  const head = ['hits', 'protocols', 'address', 'user', ...(ident ? ['clients', 'TLS 1.2?', 'fix'] : []), 'user agents'];
  out.push(
    ...table(
      [...head, 'endpoints', 'servers', 'last seen', 'TLS 1.2+ hits', ...(excepted ? ['known exception'] : [])],
      `rlll${ident ? 'lll' : ''}llllr${excepted ? 'l' : ''}`,
      s.people.map((p) => [
        num(p.legacyHits),
        protocolsOf(p).join(', '),
        mdText(p.clientIp),
        mdText(p.username) + (p.sameUserAsAbove ? ' (same user as above)' : ''),
        ...(ident
          ? [
              lines(p, (c) => (p.agents.length > 1 ? `${num(c.legacyHits)}: ` : '') + mdText(c.client)),
              lines(p, (c) => mdText(c.tls12Capable)),
              lines(p, (c) => mdText(c.hint)),
            ]
          : []),
        lines(p, (c) => mdText(c.userAgent)),
        mdText(p.endpoints.join(', ')),
        mdText(p.servers.join(', ') + (p.internal ? ' (internal)' : '')),
        p.lastSeen.slice(0, 10),
        num(p.modernHits),
        ...(excepted ? [lines(p, (c) => (c.exception ? mdText(`until ${c.exception.expires}: ${c.exception.reason}`) : '-'))] : []),
      ]),
    ),
  );
  return out;
}

function trendMarkdown(s: Summary): string[] {
  if (s.daily.length === 0) return [];
  const t = trendOf(s);
  const out = ['', `## ${TREND_TITLE}`, '', TREND_NOTE, ''];
  out.push(
    ...table(
      TREND_COLUMNS,
      'lrrrr',
      t.days.map((d) => [d.day, num(d.legacyPeople), num(d.legacyHits), num(d.legacyHits - d.realLegacyHits), pct(d.legacyShare)]),
    ),
  );
  if (t.omitted > 0) out.push('', omittedNote(t.omitted));
  return out;
}

/** The Exchange Online and Exchange Server sections, one sub-heading and table each. */
function mailLines(tables: readonly MailTable[]): string[] {
  if (tables.length === 0) return [];
  const out = ['', '## Mail: Exchange Online and Exchange Server'];
  for (const t of tables) {
    out.push('', `### ${mdText(t.title)}`, '');
    for (const n of t.notes) out.push(`- ${mdText(n)}`);
    if (t.columns.length === 0 || t.rows.length === 0) continue;
    const head = t.columns.map((c) => mdText(c.replace(/^#/, '')));
    const align = t.columns.map((c) => (c.startsWith('#') ? 'r' : 'l')).join('');
    out.push('', ...table(head, align, t.rows.map((r) => r.map((v) => mdText(v ?? '-')))));
  }
  return out;
}

/** Weak cryptography and blind spots (whole database), when the database has them. */
function findingsLines(s: Summary): string[] {
  const f = s.findings;
  if (!f) return [];
  const out: string[] = [];
  const w = f.weakCrypto;
  if (w !== null && (w.byWeakness.length > 0 || w.tls12NotO365.clients > 0)) {
    out.push('', '### Weak cryptography, on any TLS version', '');
    const rows = w.byWeakness.map((g) => [mdText(g.weakness), num(g.clients), num(g.hits)]);
    if (w.tls12NotO365.clients > 0) {
      rows.push(['TLS 1.2 with a suite Office 365 does not accept', num(w.tls12NotO365.clients), num(w.tls12NotO365.hits)]);
    }
    out.push(...table(['weakness', 'clients', 'hits'], 'lrr', rows));
  }
  const spots = f.blindSpotFindings;
  if (spots.length > 0) {
    out.push('', '### Blind spots', '');
    for (const x of spots) {
      out.push(`- ${mdText(x.text)}`);
      for (const item of x.items) out.push(`  - ${mdText(item)}`);
    }
  }
  return out.length > 0 ? ['', '## Findings (whole database)', ...out] : [];
}

/** The plans as Markdown: one heading per machine, a task list per kind of work, the change in code blocks. */
export function planMarkdown(s: Summary, level: number): string[] {
  const h = '#'.repeat(level);
  const out: string[] = [];
  for (const p of s.plans) {
    out.push('', `${h} ${mdText(machineTitle(p))}`, '');
    for (const w of p.waitingFor) out.push(`- Waiting for: ${mdText(w)}`);
    for (const g of byHeading(p)) {
      out.push('', `**${mdText(g.title)}**`, '');
      for (const a of g.actions) {
        out.push(`- [ ] ${mdText(actionTitle(a))}, owner: \\_\\_\\_\\_`);
        if (a.hint !== null) out.push(`  - ${mdText(a.hint)}`);
        out.push(`  - ${mdText(namesOf(a))}`);
      }
    }
    const c = p.change;
    if (c === null) continue;
    out.push('', '**Server-side change** (printed for review; tls-census never runs it)', '');
    for (const b of c.before) out.push(`- First: ${mdText(b)}`);
    out.push(`- ${mdText(c.clientKeys)}`, '', 'PowerShell (elevated):', '', '```powershell', c.powershell, '```', '');
    out.push('Or as .reg file text:', '', '```', c.reg, '```', '', `- Then: ${mdText(c.reboot)}`);
    for (const v of c.verify) out.push(`- Check: ${mdText(v)}`);
  }
  return out;
}

/** `report --format plan`: the plans alone, as Markdown to paste into a ticket. */
export function formatPlan(s: Summary, opts: FormatOptions): string {
  const head = [`# ${PLAN_TITLE}: TLS 1.0/1.1 (${mdText(opts.db)})`, '', mdText(PLAN_NOTE)];
  return [...head, ...(s.plans.length === 0 ? ['', 'No log events in this window.'] : planMarkdown(s, 2))].join('\n') + '\n';
}
