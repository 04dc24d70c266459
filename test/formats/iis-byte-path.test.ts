// The IIS byte path (lines read from undecoded bytes) must give exactly what the text path gives, line for line:
// same rows, counts, times, diagnostics and read positions, on every IIS fixture and at any chunk size.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tupleKey, UsageAggregator } from '../../src/aggregate/usage.js';
import { DiagnosticCounter } from '../../src/aggregate/diagnostics.js';
import { DEFAULT_FIELD_MAP, iisW3cFormat } from '../../src/formats/iis-w3c.js';
import { createRandom } from '../../src/synth/random.js';
import { NO_HINTS, parseBytes, readFixture, TEST_ENGINES } from '../helpers.js';

const fixtures = readdirSync(new URL('../fixtures/iis/', import.meta.url)).filter((f) => f.endsWith('.log'));

/** The byte path's result and the text path's. */
const both = (bytes: Buffer, chunk = 0) => [parseBytes(bytes, chunk), parseBytes(bytes, chunk, { textOnly: true })];

describe('IIS byte path = text path', () => {
  it.each(fixtures)('%s', (name) => {
    const bytes = readFixture(`iis/${name}`);
    for (const chunk of [0, 7, 4096]) {
      const [fast, text] = both(bytes, chunk);
      expect(fast).toEqual(text);
    }
  });

  const header =
    '#Software: Microsoft Internet Information Services 10.0\r\n' +
    '#Fields: date time s-ip cs-method cs-uri-stem s-port cs-username c-ip cs(User-Agent) sc-status crypt-protocol crypt-cipher crypt-hash crypt-keyexchange\r\n';
  const line = (time: string, stem: string, ua: string, status = '200', ip = '198.51.100.7', date = '2024-03-11') =>
    `${date} ${time} 10.0.0.1 GET ${stem} 443 - ${ip} ${ua} ${status} 40 6610 8004 a400\r\n`;

  it('takes the usual lines and declines the others without counting them', () => {
    const agg = new UsageAggregator();
    const diags = new DiagnosticCounter('test');
    const createChunked = iisW3cFormat.createChunked;
    if (createChunked === undefined) throw new Error('the IIS format has no byte path');
    const parser = createChunked({ file: 'test', hints: NO_HINTS, fieldMap: DEFAULT_FIELD_MAP, agg, diags }, null, TEST_ENGINES);
    // one line as a run of its own: taken (1 line) or declined (0)
    const take = (text: string) => {
      const buf = Buffer.from(`${text}\n`);
      const run = parser.readChunk(buf, 0, buf.length, 1e9, 1e9);
      return run.lines === 1 && run.end === buf.length && !run.declined;
    };
    expect(take(line('07:00:01', '/owa/', 'A'))).toBe(false); // before #Fields
    for (const directive of header.split('\r\n').filter(Boolean)) {
      expect(take(directive)).toBe(false);
      parser.line(directive, 1);
    }
    const usual = line('07:00:01', '/owa/', 'A').slice(0, -2);
    expect([take(usual), take(usual), take(usual.replace('07:00:01', '07:00:1'))]).toEqual([true, true, false]);
    expect([take(usual.replace(' A ', '  A ')), take(usual + ' extra'), take(usual.slice(0, usual.lastIndexOf(' ')))]).toEqual([false, false, false]);
    expect(parser.records).toBe(2);
    parser.flush?.();
    expect(agg.drain().map((r) => [r.hits, r.firstSeen, r.lastSeen])).toEqual([[2, '2024-03-11T07:00:01Z', '2024-03-11T07:00:01Z']]);
  });

  it('merges endpoints of any case and keys that differ only in bytes that decode alike into one row', () => {
    const bytes = Buffer.from(
      header +
        line('07:00:01', '/OWA/', 'A+b') +
        line('07:00:02', '/owa/x', 'A+b', '401') +
        line('07:00:00', '/Owa', 'A+b', '503') +
        line('06:59:59', '/owa2/', 'A+b') +
        line('08:00:00', '/Microsoft-Server-ActiveSync', 'A+b') +
        line('09:00:00', '/owa/', 'A+b', '200', '198.51.100.7', '2024-03-12') +
        line('09:00:01', '/owa/', 'A+b', '200', '198.51.100.7', '2024-03-11'),
    );
    const [fast, text] = both(bytes);
    expect(fast).toEqual(text);
    const owa = fast.rows.filter((r) => r.dims.endpoint === 'OWA');
    expect(owa.map((r) => [r.dims.day, r.hits, r.authFailures, r.errors, r.firstSeen, r.lastSeen])).toEqual([
      ['2024-03-11', 4, 1, 1, '2024-03-11T07:00:00Z', '2024-03-11T09:00:01Z'],
      ['2024-03-12', 1, 0, 0, '2024-03-12T09:00:00Z', '2024-03-12T09:00:00Z'],
    ]);
    expect(owa[0].dims.userAgent).toBe('A b');
    expect(fast.rows.find((r) => r.dims.endpoint === 'other')?.hits).toBe(1);
    expect(fast.rows.find((r) => r.dims.endpoint === 'ActiveSync')?.hits).toBe(1);
  });

  it('hands lines it cannot read to the text path: tabs, runs of spaces, odd times, UTF-8 and windows-1252', () => {
    const bytes = Buffer.concat([
      Buffer.from(header),
      Buffer.from(line('07:00:01', '/owa/', 'A\tB')),
      Buffer.from(line('07:00:02', '/owa/', 'A').replace(' GET ', '  GET ')),
      Buffer.from(line('07:00:03.123', '/owa/', 'A')),
      Buffer.from(line('7:00:04', '/owa/', 'A')),
      Buffer.from(line('07:00:05', '/owa/', 'caf\u00e9')),
      Buffer.concat([Buffer.from(line('07:00:06', '/owa/', 'caf').slice(0, -2)), Buffer.from([0xe9]), Buffer.from('\r\n')]),
      Buffer.from(line('07:00:07', '/owa/', 'A', '200', '198.51.100.7', '2024-3-11')),
      Buffer.from('2024-03-11 07:00:08 10.0.0.1 GET /owa/ 443\r\n'),
    ]);
    for (const chunk of [0, 5, 64]) {
      const [fast, text] = both(bytes, chunk);
      expect(fast).toEqual(text);
      expect(fast.records).toBe(fast.lines - 2 - fast.badLines);
    }
  });

  it('reads a new key from the key fields alone: other fields in UTF-8 or windows-1252 change nothing', () => {
    const query = '#Fields: date time cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status crypt-protocol\r\n';
    const row = (time: string, q: Buffer, user: string, ua: string) =>
      Buffer.concat([Buffer.from(`2024-03-11 ${time} /owa/ `), q, Buffer.from(` 444 ${user} 198.51.100.7:5000 ${ua} 200 40\r\n`)]);
    const bytes = Buffer.concat([
      Buffer.from(query),
      row('07:00:01', Buffer.from('q=caf\u00e9'), 'jane@contoso.com', 'A+b'),
      row('07:00:02', Buffer.from([0x71, 0x3d, 0xe9]), 'jane@contoso.com', 'A+b'), // invalid UTF-8: windows-1252
      row('07:00:03', Buffer.from('q'), 'CONTOSO\\j\u00f6rg', 'A+b'),
      row('07:00:04', Buffer.from('q'), '"jane@contoso.com"', 'A+b'),
      row('07:00:05', Buffer.from('q'), Buffer.from([0x6a, 0xf6]).toString('latin1'), 'A+b'),
    ]);
    for (const chunk of [0, 13]) {
      const [fast, text] = both(bytes, chunk);
      expect(fast).toEqual(text);
      expect(fast.rows.map((r) => [r.dims.username, r.dims.clientIp, r.dims.userAgent, r.dims.protocol, r.dims.internal, r.hits])).toEqual([
        ['CONTOSO\\j\u00f6rg', '198.51.100.7', 'A b', 'TLS 1.0', 1, 1],
        ['jane@contoso.com', '198.51.100.7', 'A b', 'TLS 1.0', 1, 3],
        ['j\u00f6', '198.51.100.7', 'A b', 'TLS 1.0', 1, 1],
      ]);
      for (const r of fast.rows) expect(r.key).toBe(tupleKey(r.dims));
    }
  });

  it('reads long fields up to the next space, also as the last field of the line', () => {
    const last = '#Fields: date time cs-uri-stem c-ip cs(User-Agent) sc-status crypt-protocol cs-uri-query\r\n';
    const bytes = Buffer.from(
      last +
        '2024-03-11 07:00:01 /owa/ 198.51.100.7 A 200 40 a=1&b=2\r\n' +
        '2024-03-11 07:00:02 /owa/ 198.51.100.7 A 200 40 x\ty\r\n' +
        '2024-03-11 07:00:03 /owa/ 198.51.100.7 A 200 40 -\n' +
        '2024-03-11 07:00:04 /owa/ 198.51.100.7 A 200 40 two words\r\n',
    );
    for (const chunk of [0, 9]) {
      const [fast, text] = both(bytes, chunk);
      expect(fast).toEqual(text);
      expect([fast.records, fast.badLines, fast.rows[0]?.hits, fast.rows[0]?.lastSeen]).toEqual([3, 1, 3, '2024-03-11T07:00:03Z']);
    }
  });

  it('starts new rows after a mid-file #Fields and keeps counting into rows not yet handed on', () => {
    const other = '#Fields: date time cs-uri-stem c-ip cs(User-Agent) sc-status crypt-protocol\r\n';
    const bytes = Buffer.from(
      header + line('07:00:01', '/owa/', 'A') + other + '2024-03-11 07:00:02 /owa/ 198.51.100.7 A 200 40\r\n' +
        header + line('06:00:00', '/owa/', 'A'),
    );
    const [fast, text] = both(bytes, 11);
    expect(fast).toEqual(text);
    expect(fast.rows.map((r) => [r.dims.cipher, r.hits, r.firstSeen, r.lastSeen])).toEqual([
      ['AES-256', 2, '2024-03-11T06:00:00Z', '2024-03-11T07:00:01Z'],
      [null, 1, '2024-03-11T07:00:02Z', '2024-03-11T07:00:02Z'],
    ]);
  });
});

describe('IIS byte path = text path on generated odd lines', () => {
  /** Seeded: the same lines on every run. */
  const random = (seed: number): (() => number) => createRandom(seed).next;
  const fields = [
    '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status crypt-protocol crypt-cipher crypt-hash crypt-keyexchange',
    '#Fields: date time cs-uri-stem c-ip cs-username cs(User-Agent) sc-status crypt-protocol cs-uri-query',
  ];

  it.each([1, 2, 3])('seed %i: 3,000 lines with odd bytes, fields and times read alike at any chunk size', (seed) => {
    const next = random(seed);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
    const odd = ['', ' ', '\t', '\r', '#', '"', 'é', '\u00e9', '😀', '\u0000', '-', '+', 'x'.repeat(40)];
    const value = (base: string): string => (next() < 0.06 ? base + pick(odd) : next() < 0.02 ? pick(odd) : base);
    const parts: Buffer[] = [Buffer.from('#Software: Microsoft Internet Information Services 10.0\r\n')];
    let layout = 0;
    parts.push(Buffer.from(`${fields[layout]}\r\n`));
    for (let i = 0; i < 3000; i++) {
      if (next() < 0.005) {
        layout = 1 - layout;
        parts.push(Buffer.from(`${fields[layout]}\r\n`));
      }
      const day = `2024-03-${pick(['11', '12', '13', '1x'])}`;
      const time = pick(['07:00:01', '23:59:59', '00:00:00', '7:00:01', '07:00:01.5', '07:00']);
      const stem = pick(['/owa/', '/OWA/x', '/EWS/Exchange.asmx', '/Microsoft-Server-ActiveSync', '/mapi/', '/', '-', '/owa2']);
      const ip = `198.51.100.${Math.floor(next() * 6)}`;
      const user = pick(['-', 'CONTOSO\\jdoe', 'jane@contoso.com', 'HealthMailbox0123']);
      const ua = pick(['Mozilla/5.0+(Windows+NT+10.0)', 'Outlook-iOS/709.1', '-', 'Java/1.7.0_80']);
      const status = pick(['200', '401', '403', '500', '2', 'abc']);
      const proto = pick(['40', '400', '1000', '-', '0x40', 'zz']);
      const line = layout === 0
        ? [day, time, '10.0.0.1', 'GET', stem, value('a=1'), pick(['443', '444']), value(user), ip, value(ua), status, proto, '660e', '800c', 'ae06']
        : [day, time, stem, ip, value(user), value(ua), status, proto, value('q=1')];
      let text = line.join(next() < 0.02 ? '  ' : ' ');
      if (next() < 0.02) text += ' extra';
      const bytes = Buffer.from(text, 'utf8');
      const end = next() < 0.2 ? '\n' : '\r\n';
      parts.push(next() < 0.01 ? Buffer.concat([bytes, Buffer.from([0xe9, 0x80])]) : bytes, Buffer.from(end));
    }
    const all = Buffer.concat(parts);
    for (const chunk of [0, 97, 4096]) {
      const [fast, text] = both(all, chunk);
      expect(fast).toEqual(text);
    }
    expect(parseBytes(all).records).toBeGreaterThan(1000);
  });
});
