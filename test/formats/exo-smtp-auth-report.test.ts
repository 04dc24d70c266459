// The SMTP AUTH clients report format on composed fixtures (no public export exists): every documented layout and
// cell spelling, detection by header, helpful diagnostics, and identical rows at every chunk size and resume point.
import { describe, expect, it } from 'vitest';
import type { SmtpAuthReportRow } from '../../src/aggregate/report-rows.js';
import { headLines } from '../../src/engine/sniff.js';
import { exoConnectorReportFormat } from '../../src/formats/exo-connector-report.js';
import { exoSmtpAuthReportFormat as format } from '../../src/formats/exo-smtp-auth-report.js';
import { iisW3cFormat } from '../../src/formats/iis-w3c.js';
import { exoFixture, plain, runReport } from './exo-run.js';

const WEEK = { start: '2024-03-04', end: '2024-03-10' };
const FIXTURES = [
  'smtp-auth-new-eac.csv',
  'smtp-auth-old-portal.csv',
  'smtp-auth-tls13.csv',
  'smtp-auth-bom-semicolon.csv',
  'smtp-auth-quoted.csv',
  'smtp-auth-bad-cell.csv',
];

const run = (name: string) => runReport(format, exoFixture(name), { period: WEEK });
const rows = (name: string) => run(name).rows as SmtpAuthReportRow[];
/** sender → [tls10, tls11, tls12, tls13, unknown, messages, estimated] */
const table = (rs: readonly SmtpAuthReportRow[]) =>
  Object.fromEntries(rs.map((r) => [r.sender, [r.counts.tls10, r.counts.tls11, r.counts.tls12, r.counts.tls13, r.counts.unknown, r.messages, r.estimated]]));

describe('detection by header row', () => {
  it.each(FIXTURES.concat('smtp-auth-missing-column.csv'))('%s is claimed by this format only', (name) => {
    const head = headLines(exoFixture(name));
    expect(format.sniff(head)).toBe(true);
    expect(exoConnectorReportFormat.sniff(head)).toBe(false);
    expect(iisW3cFormat.sniff(head)).toBe(false);
  });

  it('not by name, and not for other CSVs or logs', () => {
    expect(format.sniff(['Name,Address,Phone', 'x,y,z'])).toBe(false);
    expect(format.sniff(['#Software: Microsoft Exchange Server', '#Fields: date-time,sender-address,TLS 1.0'])).toBe(false);
    expect(format.sniff(['sep=;', 'Sender address;TLS 1.0;TLS 1.1;TLS 1.2;Messages sent'])).toBe(true);
  });
});

describe('layouts and cell formats', () => {
  it('new EAC: percentages become estimated counts that add up to "Messages sent"', () => {
    const r = rows('smtp-auth-new-eac.csv');
    expect(table(r)).toEqual({
      'scan-3rdfloor@contoso.com': [412, 0, 0, null, 0, 412, 1],
      'erp-notify@contoso.com': [148, 0, 1036, null, 0, 1184, 1],
      'jdoe@contoso.com': [0, 0, 9, null, 0, 9, 1],
      'printer-2f@contoso.com': [4, 3, 3, null, 0, 10, 1],
      'alerts@fabrikam.com': [1, 0, 499, null, 0, 500, 1],
      'backup@contoso.com': [1, 0, 999, null, 0, 1000, 1],
    });
    expect(r[1]).toMatchObject({ domain: 'contoso.com', percents: { tls10: 12.5, tls11: 0, tls12: 87.5, tls13: null }, line: 3 });
    expect(r[1]).toMatchObject({ period: WEEK, periodSource: 'option' });
  });

  it('old portal: "44% (12)" cells carry the counts, so nothing is estimated', () => {
    expect(table(rows('smtp-auth-old-portal.csv'))).toEqual({
      'scanner@contoso.com': [12, 0, 15, null, 0, 27, 0],
      'legacy-app@contoso.com': [40, 0, 0, null, 0, 40, 0],
      'mixed@contoso.com': [0, 3, 9, null, 0, 12, 0],
    });
    expect(rows('smtp-auth-old-portal.csv')[0].domain).toBe('contoso.com'); // from the address: no Domain column
  });

  it('an optional TLS 1.3 column', () => {
    expect(table(rows('smtp-auth-tls13.csv'))).toEqual({
      'newer-relay@contoso.com': [0, 0, 100, 150, 0, 250, 1],
      'old-copier@contoso.com': [3, 0, 27, 0, 0, 30, 1],
    });
  });

  it('BOM, ";" delimiter, CRLF, decimal commas and "1.184" as a count give the same figures as the EAC file', () => {
    const eac = table(rows('smtp-auth-new-eac.csv'));
    const bom = table(rows('smtp-auth-bom-semicolon.csv'));
    expect(bom['erp-notify@contoso.com']).toEqual(eac['erp-notify@contoso.com']);
    expect(bom['scan-3rdfloor@contoso.com']).toEqual(eac['scan-3rdfloor@contoso.com']);
  });

  it('quoted cells: "12,5%" and "1,184" inside quotes, doubled quotes in a cell', () => {
    const q = table(rows('smtp-auth-quoted.csv'));
    expect(q['erp-notify@contoso.com']).toEqual([148, 0, 1036, null, 0, 1184, 1]);
    expect(q['"quoted"@contoso.com']).toEqual([0, 0, 3, null, 0, 3, 1]);
  });
});

describe('diagnostics', () => {
  it('a missing column: one diagnostic naming the columns found and expected, no rows', () => {
    const r = run('smtp-auth-missing-column.csv');
    expect(r.rows).toEqual([]);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'missing_column', count: 1, firstLine: 1 });
    expect(r.diagnostics[0].message).toBe(
      'looks like an Exchange Online SMTP AUTH clients report but has no column "Messages sent"; ' +
        'columns found: "Sender address", "Domain", "TLS 1.0", "TLS 1.1", "TLS 1.2"; ' +
        'expected: Sender address, Domain (optional), TLS 1.0, TLS 1.1, TLS 1.2, TLS 1.3 (optional), Messages sent',
    );
  });

  it('a cell that is not a number: row and column named, the row skipped, the rest read', () => {
    const r = run('smtp-auth-bad-cell.csv');
    expect(r.rows.map((x) => (x as SmtpAuthReportRow).sender)).toEqual(['scan-3rdfloor@contoso.com', 'alerts@fabrikam.com']);
    expect(r.diagnostics).toEqual([
      { code: 'bad_cell', count: 2, firstLine: 3, message: 'row 2, column "TLS 1.0": "high" is not a percentage or "45% (12)"; row skipped' },
    ]);
  });

  it('short rows, empty senders and counts that exceed the total', () => {
    const text = [
      'Sender address,TLS 1.0,TLS 1.1,TLS 1.2,Messages sent',
      'short@contoso.com,10%',
      ',0%,0%,100%,3',
      'over@contoso.com,5% (8),0% (0),95% (5),10',
      'ok@contoso.com,0%,0%,100%,1',
    ].join('\n');
    const r = runReport(format, Buffer.from(text), { period: WEEK });
    expect(r.rows.map((x) => (x as SmtpAuthReportRow).sender)).toEqual(['over@contoso.com', 'ok@contoso.com']);
    expect(r.diagnostics.map((d) => [d.code, d.firstLine, d.message])).toEqual([
      ['field_count', 2, 'row 1 has 2 cells where the header names 5'],
      ['bad_record', 3, 'row 2 has no sender address; row skipped'],
      ['count_mismatch', 4, 'row 3 (over@contoso.com): TLS counts add up to 13, more than the total 10'],
    ]);
  });

  it('garbage never throws', () => {
    const junk = Buffer.from('Sender address,TLS 1.0,TLS 1.1,TLS 1.2,Messages sent\n\u0000\u0000,"\n"a""b,,,\n\uffff;;;\n,,,,,,,,\n');
    expect(() => runReport(format, junk, { period: WEEK })).not.toThrow();
  });
});

describe('streaming', () => {
  it.each(FIXTURES)('%s: the same rows at every chunk size and resume point', (name) => {
    const bytes = exoFixture(name);
    const whole = runReport(format, bytes, { period: WEEK });
    for (const chunk of [1, 2, 3, 7, 64, 4096]) {
      expect(plain(runReport(format, bytes, { period: WEEK, chunk }).rows)).toEqual(plain(whole.rows));
    }
    for (const resumeEvery of [1, 2, 3]) {
      const resumed = runReport(format, bytes, { period: WEEK, resumeEvery });
      expect(plain(resumed.rows)).toEqual(plain(whole.rows));
      expect(resumed.records).toBe(whole.records);
    }
  });

  it('a resumed file keeps the period it started with', () => {
    const bytes = exoFixture('smtp-auth-new-eac.csv');
    const r = runReport(format, bytes, { file: 'smtp_2024-01-01_2024-01-07.csv', resumeEvery: 1 });
    expect(new Set(r.rows.map((x) => JSON.stringify((x as SmtpAuthReportRow).period)))).toEqual(
      new Set([JSON.stringify({ start: '2024-01-01', end: '2024-01-07' })]),
    );
    expect((r.rows[0] as SmtpAuthReportRow).periodSource).toBe('file name');
  });

  it('does not touch the usage aggregator: report rows are stored by identity instead', () => {
    expect(run('smtp-auth-new-eac.csv').usageRows).toBe(0);
  });
});
