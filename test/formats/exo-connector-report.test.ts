// The inbound/outbound messages (connector) report format on composed fixtures: counts or percentages per TLS
// column, "No TLS", direction, forced TLS, dates in several locales, diagnostics, chunking and resume.
import { describe, expect, it } from 'vitest';
import type { ConnectorReportRow } from '../../src/aggregate/report-rows.js';
import { headLines } from '../../src/engine/sniff.js';
import { exoConnectorReportFormat as format } from '../../src/formats/exo-connector-report.js';
import { exoSmtpAuthReportFormat } from '../../src/formats/exo-smtp-auth-report.js';
import { exoFixture, plain, runReport } from './exo-run.js';

const FIXTURES = ['connector-inbound.csv', 'connector-outbound-semicolon-percent.csv'];
const rows = (name: string, file?: string) => runReport(format, exoFixture(name), { file }).rows as ConnectorReportRow[];
const brief = (r: ConnectorReportRow) => [r.day, r.connector, r.connectorType, r.direction, r.forcedTls, r.counts.none, r.counts.tls10, r.counts.tls11, r.counts.tls12, r.counts.unknown, r.volume, r.estimated];
const HEAD = 'Date,Connector direction and name,Connector type,Forced TLS?,No TLS,TLS 1.0,TLS 1.1,TLS 1.2,Volume';

describe('connector report', () => {
  it.each(FIXTURES.concat('connector-missing-column.csv'))('%s is detected by its header', (name) => {
    const head = headLines(exoFixture(name));
    expect(format.sniff(head)).toBe(true);
    expect(exoSmtpAuthReportFormat.sniff(head)).toBe(false);
  });

  it('counts per TLS column, "No TLS" kept apart, direction from the name, forced TLS', () => {
    expect(rows('connector-inbound.csv').map(brief)).toEqual([
      ['2024-03-04', 'Inbound - Contoso on-premises', 'OnPremises', 'inbound', 1, 0, 120, 0, 4380, 0, 4500, 0],
      ['2024-03-04', 'Inbound - Fabrikam partner', 'Partner', 'inbound', 0, 15, 0, 3, 982, 0, 1000, 0],
      ['2024-03-05', 'Inbound - Contoso on-premises', 'OnPremises', 'inbound', 1, 0, 95, 0, 4105, 0, 4200, 0],
      ['2024-03-05', 'Inbound - Fabrikam partner', 'Partner', 'inbound', 0, 0, 0, 0, 1200, 0, 1200, 0],
    ]);
  });

  it('percentages with decimal commas and ";": estimated counts that add up to the volume; day-first dates', () => {
    expect(rows('connector-outbound-semicolon-percent.csv').map(brief)).toEqual([
      ['2024-03-04', 'Outbound to Woodgrove', 'Partner', 'outbound', 0, 0, 10, 0, 390, 0, 400, 1],
      ['2024-03-13', 'Outbound to Woodgrove', 'Partner', 'outbound', 0, 1, 0, 0, 99, 0, 100, 1],
    ]);
  });

  it('direction from the file name when the row does not say; counts short of the volume are unknown', () => {
    const text = `${HEAD}\n2024-03-04,Contoso relay,OnPremises,,1,2,0,90,100\n`;
    const r = runReport(format, Buffer.from(text), { file: 'exports/OutboundMessages_2024.csv' }).rows as ConnectorReportRow[];
    expect(r.map(brief)).toEqual([['2024-03-04', 'Contoso relay', 'OnPremises', 'outbound', null, 1, 2, 0, 90, 7, 100, 0]]);
  });

  it('a month-first date after ambiguous ones read day-first is reported', () => {
    const text = `Date;Connector direction and name;No TLS;TLS 1.0;TLS 1.1;TLS 1.2;Volume\n03/04/2024;A;0;0;0;1;1\n03/14/2024;A;0;0;0;1;1\n`;
    const r = runReport(format, Buffer.from(text));
    expect((r.rows as ConnectorReportRow[]).map((x) => x.day)).toEqual(['2024-04-03', '2024-03-14']);
    expect(r.diagnostics.map((d) => [d.code, d.firstLine])).toEqual([['ambiguous_date', 3]]);
  });

  it('a file no date of which shows the order says it was guessed (a note, every row read)', () => {
    const text = `Date;Connector direction and name;No TLS;TLS 1.0;TLS 1.1;TLS 1.2;Volume\n03/04/2024;A;0;0;0;1;1\n05/04/2024;A;0;0;0;1;1\n`;
    const r = runReport(format, Buffer.from(text));
    expect((r.rows as ConnectorReportRow[]).map((x) => x.day)).toEqual(['2024-04-03', '2024-04-05']);
    expect(r.diagnostics.map((d) => [d.code, d.firstLine])).toEqual([['guessed_date_order', 2]]);
    expect(r.diagnostics[0].message).toMatch(/read day first, as its semicolons suggest/);
    const proven = runReport(format, Buffer.from(`${text}13/04/2024;A;0;0;0;1;1\n`));
    expect(proven.diagnostics).toEqual([]);
  });

  it('a missing "Volume" column and a non-numeric cell are diagnostics, not crashes', () => {
    const missing = runReport(format, exoFixture('connector-missing-column.csv'));
    expect(missing.rows).toEqual([]);
    expect(missing.diagnostics[0].code).toBe('missing_column');
    expect(missing.diagnostics[0].message).toMatch(/no column "Volume"; columns found: "Date", "Connector direction and name", .*"TLS 1\.2"; expected: .*Volume$/);
    const bad = runReport(format, Buffer.from(`${HEAD}\n2024-03-04,A,Partner,No,0,x,0,1,1\nsoon,A,Partner,No,0,0,0,1,1\n2024-03-05,A,Partner,No,0,0,0,1,1\n`));
    expect(bad.rows).toHaveLength(1);
    expect(bad.diagnostics.map((d) => [d.code, d.count, d.firstLine, d.message])).toEqual([
      ['bad_cell', 2, 2, 'row 1, column "TLS 1.0": "x" is not a count or percentage; row skipped'],
    ]);
  });

  it.each(FIXTURES)('%s: the same rows at every chunk size and resume point', (name) => {
    const bytes = exoFixture(name);
    const whole = plain(runReport(format, bytes).rows);
    for (const chunk of [1, 2, 3, 7, 64]) expect(plain(runReport(format, bytes, { chunk }).rows)).toEqual(whole);
    for (const resumeEvery of [1, 2]) expect(plain(runReport(format, bytes, { resumeEvery }).rows)).toEqual(whole);
  });
});
