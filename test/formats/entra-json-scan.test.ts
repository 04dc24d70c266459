// The byte scan of sign-in documents (json-spans.ts) against stream-json reading the same bytes: the same rows, counts
// and diagnostics for every fixture and for composed documents (strings holding brackets, quotes and escapes, nested
// values, pages with members after their array, objects one after another, a byte order mark split over chunks), at
// many chunk sizes. Documents the scan does not take (an element that is no object, an escaped `value` key, a scalar
// at the top) are handed to stream-json whole; well-formed ones never are.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticCounter } from '../../src/aggregate/diagnostics.js';
import { UsageAggregator } from '../../src/aggregate/usage.js';
import { entraJsonFormat } from '../../src/formats/entra/document.js';
import { DEFAULT_FIELD_MAP } from '../../src/formats/iis-w3c.js';
import { NO_HINTS } from '../helpers.js';

async function* pieces(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield Buffer.from(bytes.subarray(i, i + size));
}

/** Reads `bytes` with the byte scan (given a way to read again) or with stream-json alone (without). */
async function read(bytes: Buffer, size: number, scan: boolean) {
  const agg = new UsageAggregator();
  const diags = new DiagnosticCounter('test.json');
  const reader = entraJsonFormat.document!({ file: 'test.json', hints: NO_HINTS, fieldMap: DEFAULT_FIELD_MAP, agg, diags });
  let reread = 0;
  const again = (start: number): AsyncGenerator<Buffer> => {
    reread++;
    return pieces(bytes.subarray(start), size);
  };
  await reader.read(pieces(bytes, size), () => undefined, () => undefined, scan ? again : undefined);
  const rows = agg.drain().map((r) => ({ ...r.dims, hits: r.hits, authFailures: r.authFailures, firstSeen: r.firstSeen, lastSeen: r.lastSeen }));
  rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const diagnostics = diags.drain().map((d) => [d.code, d.count]);
  return { rows, records: reader.records, lines: reader.lines, diagnostics, bad: diags.total, reread };
}

const SIZES = [1, 2, 3, 7, 64, 4096, 1 << 20];

async function same(text: string | Buffer, rereads: 'never' | 'always'): Promise<Awaited<ReturnType<typeof read>>> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const want = await read(bytes, 1 << 20, false);
  for (const size of SIZES) {
    const got = await read(bytes, size, true);
    expect({ ...got, reread: 0 }, `chunk ${size}`).toEqual({ ...want, reread: 0 });
    if (rereads === 'never') expect(got.reread, `chunk ${size}`).toBe(0);
    else expect(got.reread, `chunk ${size}`).toBeGreaterThan(0);
  }
  return want;
}

const signIn = (n: number, extra = ''): Record<string, unknown> => ({
  id: `0000000${n}-aaaa-4bbb-8ccc-00000000000${n}`,
  createdDateTime: `2026-11-10T06:0${n}:00Z`,
  userPrincipalName: `user${n}@contoso.com`,
  ipAddress: `192.0.2.${n}`,
  userAgent: `Agent ${n} says "}" and "[", then \\ and \\" ${extra}`,
  status: { errorCode: n % 2 === 0 ? 50126 : 0, failureReason: 'Other.', additionalDetails: null },
  deviceDetail: { operatingSystem: 'Windows 7', browser: 'Zürich Browser 🦊' },
  location: { geoCoordinates: { latitude: 47.37, longitude: -8.5e-1 } },
  authenticationProcessingDetails: [
    { key: 'Root Key Type', value: 'Unknown' },
    ...(n % 3 === 0 ? [{ key: 'Legacy TLS (TLS 1.0, 1.1, 3DES)', value: 'True' }] : []),
  ],
});

const objects = (n: number): Record<string, unknown>[] => Array.from({ length: n }, (_, i) => signIn(i + 1));

describe('the byte scan of sign-in documents reads what stream-json reads', () => {
  const dirs = ['main', 'blind'].map((d) => join('test/fixtures/entra', d));
  for (const dir of dirs) {
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      it(`fixture ${name}`, async () => {
        const r = await same(readFileSync(join(dir, name)), 'never');
        expect(r.records).toBeGreaterThan(0);
      });
    }
  }

  it('broken fixtures are read by stream-json again, with its diagnostics', async () => {
    for (const name of readdirSync('test/fixtures/entra/broken')) {
      const bytes = readFileSync(join('test/fixtures/entra/broken', name));
      const r = await read(bytes, 64, true);
      expect(r.reread, name).toBeGreaterThan(0);
      expect(r.diagnostics.length, name).toBeGreaterThan(0);
    }
  });

  it('a pretty-printed portal array with a byte order mark, CRLF line ends', async () => {
    const text = '\ufeff' + JSON.stringify(objects(7), null, 2).replace(/\n/g, '\r\n') + '\r\n';
    const r = await same(text, 'never');
    expect(r.records).toBe(7);
    expect(r.lines).toBe(text.split('\n').length);
  });

  it('a minified array, an empty array, and two arrays one after another', async () => {
    expect((await same(JSON.stringify(objects(5)), 'never')).records).toBe(5);
    expect((await same(' [ ] \n', 'never')).records).toBe(0);
    expect((await same(`${JSON.stringify(objects(2))}\n${JSON.stringify([signIn(8)])}`, 'never')).records).toBe(3);
  });

  it('Graph pages: members before and after the array, a nested value member, an empty page, two pages', async () => {
    const page = (list: unknown[], extra = {}) => JSON.stringify({
      '@odata.context': 'https://graph.microsoft.com/beta/$metadata#auditLogs/signIns',
      meta: { value: [1, { value: '[' }], note: 'a "value": [ inside a string' },
      ...extra,
      value: list,
      '@odata.nextLink': 'https://graph.microsoft.com/beta/auditLogs/signIns?$skiptoken=x]}',
      count: 3, ok: true, none: null,
    }, null, 1);
    expect((await same(page(objects(4)), 'never')).records).toBe(4);
    expect((await same(page([]), 'never')).records).toBe(0);
    expect((await same(`${page(objects(2))}\n${page([signIn(9)], { Value0: 'x' })}\n`, 'never')).records).toBe(3);
    expect((await same(page(objects(2)).replace('"value": [', '"Value": ['), 'never')).records).toBe(2);
  });

  it('sign-in objects one after another, pretty-printed', async () => {
    const text = objects(4).map((o) => JSON.stringify(o, null, 4)).join('\n');
    expect((await same(text, 'never')).records).toBe(4);
  });

  it('what the scan leaves to stream-json: read the same', async () => {
    // an element that is no sign-in object, a scalar at the top, an object neither page nor sign-in, an escaped key
    const list = JSON.stringify([signIn(1), 'text', signIn(2)]);
    expect((await same(list, 'always')).diagnostics).toEqual([['bad_record', 1]]);
    expect((await same(`${JSON.stringify(signIn(1))}\n42\n${JSON.stringify(signIn(2))}`, 'always')).records).toBe(2);
    const other = `${JSON.stringify(signIn(1))}\n{"hello": "world"}\n${JSON.stringify(signIn(2))}`;
    expect((await same(other, 'always')).diagnostics).toEqual([['bad_record', 1]]);
    const escaped = JSON.stringify({ '@odata.context': 'x', value: objects(2) }).replace('"value"', '"v\\u0061lue"');
    expect((await same(escaped, 'always')).records).toBe(2);
    // an escaped key before a text is no page's array: still the byte scan's
    const plain = JSON.stringify({ 'a"b': 'x', 'c\\': { value: [1] }, value: objects(2) });
    expect((await same(plain, 'never')).records).toBe(2);
  });

  it('a page whose members before or after its array are not JSON: left to stream-json, which reports them', async () => {
    const text = JSON.stringify({ '@odata.context': 'x', value: objects(2), '@odata.nextLink': 'y' });
    for (const broken of [text.replace('"x"', 'tru'), text.replace('"y"', 'y')]) {
      for (const size of SIZES) {
        const r = await read(Buffer.from(broken), size, true);
        expect(r.reread, broken).toBeGreaterThan(0);
        expect(r.diagnostics.map((d) => d[0]), broken).toContain('bad_json');
      }
    }
  });

  it('random documents: random texts (quotes, backslashes, brackets, line ends, beyond the BMP), shapes and chunk sizes', async () => {
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const ALPHABET = ['a', '"', '\\', '\\\\', '{', '}', '[', ']', ',', ':', ' ', 'é', '🦊', '\n', '\t', '\u0001', '\\"'];
    const str = (): string => Array.from({ length: rnd(12) }, () => ALPHABET[rnd(ALPHABET.length)]).join('');
    const value = (depth: number): unknown => {
      const k = rnd(depth > 2 ? 4 : 6);
      return k === 0 ? str() : k === 1 ? rnd(1000) - 500 : k === 2 ? rnd(2) === 0 : k === 3 ? null
        : k === 4 ? Array.from({ length: rnd(3) }, () => value(depth + 1))
        : Object.fromEntries(Array.from({ length: rnd(3) }, () => [str(), value(depth + 1)]));
    };
    for (let doc = 0; doc < 40; doc++) {
      // random keys inside the sign-ins; at their own level (where `value` is looked for) plain keys with random values
      const list = Array.from({ length: 1 + rnd(5) }, (_, i) => ({ ...signIn(i + 1, str()), extra: { [str()]: value(0) }, more: value(0) }));
      const indent = rnd(3) === 0 ? undefined : rnd(4);
      const text = rnd(3) === 0
        ? JSON.stringify({ '@odata.context': value(0), [`${str()}#`]: str(), value: list, '@odata.nextLink': value(0) }, null, indent)
        : rnd(2) === 0 ? JSON.stringify(list, null, indent) : list.map((o) => JSON.stringify(o, null, indent)).join('\n');
      const bytes = Buffer.from(text);
      const want = await read(bytes, 1 << 20, false);
      const size = 1 + rnd(200);
      const got = await read(bytes, size, true);
      expect({ ...got, reread: 0 }, `document ${doc}, chunk ${size}`).toEqual({ ...want, reread: 0 });
      expect(got.reread, `document ${doc}`).toBe(0);
      expect(got.records).toBe(list.length);
    }
  });

  it('a sign-in with no usable time is reported at the line where it starts', async () => {
    const list = objects(3);
    list[1] = { ...list[1], createdDateTime: 'yesterday' };
    const text = JSON.stringify(list, null, 2);
    const r = await read(Buffer.from(text), 7, true);
    expect(r.reread).toBe(0);
    expect(r.diagnostics).toEqual([['bad_timestamp', 1]]);
    const agg = new UsageAggregator();
    const diags = new DiagnosticCounter('test.json');
    const reader = entraJsonFormat.document!({ file: 'test.json', hints: NO_HINTS, fieldMap: DEFAULT_FIELD_MAP, agg, diags });
    await reader.read(pieces(Buffer.from(text), 7), () => undefined, () => undefined, (s) => pieces(Buffer.from(text).subarray(s), 7));
    const second = text.lastIndexOf('{', text.indexOf('"00000002-'));
    expect(diags.drain()[0].firstLine).toBe(text.slice(0, second).split('\n').length);
  });
});
