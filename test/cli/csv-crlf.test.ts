// CSV as Excel on Windows expects it, whatever system writes it: every record ends in CRLF, no bare LF, also a
// value holding a line break stays inside its quotes; `--out FILE` writes the same bytes as stdout.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { buildDb } from '../report/report-db.js';
import { runCli } from './run-cli.js';

/** The records of a CSV text, each checked to end in CRLF outside quoted values. */
function crlfRecords(csv: string): string[][] {
  expect(csv.endsWith('\r\n')).toBe(true);
  const records = parse(csv, { record_delimiter: '\r\n' }) as string[][];
  expect(records.length).toBeGreaterThan(1);
  return records;
}

describe('CSV written by tls-census', () => {
  const db = buildDb([
    { day: '2024-03-11', client_ip: '10.1.1.1', user_agent: 'Line\nBreak Agent', protocol: 'TLS 1.0', hits: 7 },
    { day: '2024-03-11', client_ip: '10.1.1.2', user_agent: 'Mozilla/4.0 (compatible; MSIE 8.0)', protocol: 'TLS 1.1', hits: 3 },
    { day: '2024-03-12', hits: 50 },
  ]);

  it('report --format csv: CRLF records on stdout, the same bytes in --out FILE', async () => {
    const out = await runCli(['report', '--db', db, '--format', 'csv']);
    expect(out.code).toBe(0);
    const records = crlfRecords(out.out);
    expect(out.out.replace(/"[^"]*"/g, '').match(/(?<!\r)\n/g)).toBeNull(); // no bare LF outside quoted values
    expect(records.flat()).toContain('Line\nBreak Agent');
    const file = join(tempDir(), 'clients.csv');
    expect((await runCli(['report', '--db', db, '--format', 'csv', '--out', file])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(out.out);
  });

  it('query --format csv: CRLF records', async () => {
    const r = await runCli(['query', '--db', db, '--format', 'csv', 'SELECT client_ip, user_agent, hits FROM usage ORDER BY client_ip']);
    expect(r.code).toBe(0);
    expect(r.out.replace(/"[^"]*"/g, '').match(/(?<!\r)\n/g)).toBeNull();
    expect(crlfRecords(r.out)[0]).toEqual(['client_ip', 'user_agent', 'hits']);
  });
});
