// Where an Exchange Online report's dates come from: --period, the file name, the modification day; and the
// day of a connector report row in the spellings locales write.
import { describe, expect, it } from 'vitest';
import { parsePeriodOption, parseReportDay, periodFromFileName, resolvePeriod } from '../../src/formats/exo-period.js';

describe('parsePeriodOption', () => {
  it('reads START..END as inclusive days', () => {
    expect(parsePeriodOption('2024-03-04..2024-03-10')).toEqual({ start: '2024-03-04', end: '2024-03-10' });
    expect(parsePeriodOption('2024-03-04..2024-03-04')).toEqual({ start: '2024-03-04', end: '2024-03-04' });
  });

  it.each(['2024-03-10..2024-03-04', '2024-03-04', '2024-02-30..2024-03-01', '2024-3-4..2024-3-10', 'last week', '2024-03-04...2024-03-10'])(
    'rejects %j',
    (text) => expect(parsePeriodOption(text)).toBeNull(),
  );
});

describe('periodFromFileName', () => {
  it.each([
    ['SMTPAuthClients_2024-03-04_2024-03-10.csv', { start: '2024-03-04', end: '2024-03-10' }],
    ['smtp auth 20240310-20240304.csv', { start: '2024-03-04', end: '2024-03-10' }],
    ['report_2024.03.10.csv', { start: '2024-03-10', end: '2024-03-10' }],
    ['exports/2023-01-01/report 2024_03_10.csv', { start: '2024-03-10', end: '2024-03-10' }],
    ['a.zip!inner/SMTP 2024-03-04 to 2024-03-10.csv', { start: '2024-03-04', end: '2024-03-10' }],
  ])('%s', (name, period) => expect(periodFromFileName(name)).toEqual(period));

  it.each(['SMTP AUTH clients report.csv', 'export-202403101200.csv', 'x_2024-13-01.csv', '2024-01-01_2024-02-01_2024-03-01.csv'])(
    'no period in %s',
    (name) => expect(periodFromFileName(name)).toBeNull(),
  );
});

describe('resolvePeriod', () => {
  const mtime = Date.UTC(2024, 4, 6, 23, 30);
  it('prefers --period, then the file name, then the modification day (UTC)', () => {
    const option = { start: '2024-01-01', end: '2024-01-07' };
    expect(resolvePeriod(option, 'r_2024-03-10.csv', mtime)).toEqual({ period: option, source: 'option' });
    expect(resolvePeriod(undefined, 'r_2024-03-10.csv', mtime)).toEqual({ period: { start: '2024-03-10', end: '2024-03-10' }, source: 'file name' });
    expect(resolvePeriod(undefined, 'report.csv', mtime)).toEqual({ period: { start: '2024-05-06', end: '2024-05-06' }, source: 'file modified' });
  });
});

describe('parseReportDay', () => {
  it.each([
    ['2024-03-10', false, '2024-03-10', null],
    ['2024-03-10T00:00:00Z', false, '2024-03-10', null],
    ['2024/3/10', false, '2024-03-10', null],
    ['10.03.2024', false, '2024-03-10', null],
    ['3/10/2024', false, '2024-03-10', null],
    ['3/10/2024', true, '2024-10-03', null],
    ['13/03/2024', false, '2024-03-13', true],
    ['03/13/2024 12:00:00 AM', true, '2024-03-13', false],
    ['10 Mar 2024', false, '2024-03-10', null],
    ['March 10, 2024', false, '2024-03-10', null],
    ['Sunday, March 10, 2024', false, '2024-03-10', null],
  ] as const)('%j (day first: %s) → %s', (text, dayFirst, day, proves) => {
    expect(parseReportDay(text, dayFirst)).toEqual({ day, dayFirst: proves });
  });

  it.each(['', 'yesterday', '2024-02-30', '13/13/2024', '32.01.2024', 'Foo 10, 2024'])('rejects %j', (text) => {
    expect(parseReportDay(text, false)).toBeNull();
  });
});
