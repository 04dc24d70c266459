// The WebAssembly engine of the IIS byte path: the committed bytes are those of iis-lines.wat, and the engine's
// limits (entries, key arena, field count) hand lines to the text path without changing any result.
import { describe, expect, it } from 'vitest';
import { ENDPOINTS_BY_SEGMENT } from '../../src/formats/iis-endpoint.js';
import { IIS_LINES_WASM } from '../../src/formats/iis-lines-wasm.js';
import { UsageAggregator } from '../../src/aggregate/usage.js';
import { DiagnosticCounter } from '../../src/aggregate/diagnostics.js';
import { DEFAULT_FIELD_MAP, iisW3cFormat } from '../../src/formats/iis-w3c.js';
import { NO_HINTS, openTestParser, parseBytes } from '../helpers.js';
import * as layout from '../../src/formats/iis-lines-layout.js';
// @ts-expect-error: a plain JavaScript build script without type declarations
import { compileEngine, MEMORY_PAGES } from '../../scripts/build-wasm.mjs';

const header = (extra = '') =>
  '#Software: Microsoft Internet Information Services 10.0\n' +
  `#Fields: date time cs-uri-stem c-ip cs-username cs(User-Agent) sc-status crypt-protocol${extra}\n`;

const both = (text: string) => {
  const bytes = Buffer.from(text);
  const fast = parseBytes(bytes, 1 << 20);
  expect(fast).toEqual(parseBytes(bytes, 1 << 20, { textOnly: true }));
  return fast;
};

describe('IIS byte path engine (iis-lines.as.ts)', () => {
  it('is built from the committed AssemblyScript and layout (npm run build:wasm)', async () => {
    const bytes: Buffer = await compileEngine();
    expect(bytes.toString('base64')).toBe(IIS_LINES_WASM);
  });

  it('has a memory layout whose areas follow one another without overlapping', () => {
    const L = layout;
    const areas: [string, number, number][] = [
      ['kinds', L.KINDS, L.MAX_FIELDS + 1],
      ['runs', L.RUNS, 4 + 8 * L.MAX_RUNS],
      ['pos', L.POS, 4 * (L.MAX_FIELDS + 1)],
      ['last date', L.LAST_DATE, 16],
      ['globals', L.G_DAY, L.O_START + 4 - L.G_DAY],
      ['segments', L.SEGMENTS, 4 + L.SEGMENT_BYTES * ENDPOINTS_BY_SEGMENT.length],
      ['slots', L.SLOTS, 4 * (L.SLOT_MASK + 1)],
      ['entries', L.ENTRIES, L.MAX_ENTRIES * L.ENTRY_BYTES],
      ['input', L.INPUT, L.INPUT_BYTES],
    ];
    for (let i = 1; i < areas.length; i++) expect(areas[i][1], areas[i][0]).toBeGreaterThanOrEqual(areas[i - 1][1] + areas[i - 1][2]);
    expect(L.ARENA).toBe(L.INPUT + L.INPUT_BYTES);
    expect(L.ARENA).toBeLessThan(L.MEMORY_PAGES * 65536);
    expect(MEMORY_PAGES).toBe(L.MEMORY_PAGES);
    expect(L.SLOT_MASK & (L.SLOT_MASK + 1)).toBe(0); // a power of two less one
    expect(Math.max(...ENDPOINTS_BY_SEGMENT.map(([s]) => s.length))).toBeLessThanOrEqual(L.SEGMENT_BYTES - L.SEGMENT_NAME);
  });

  it('counts more distinct keys than its entries hold: the rest goes through the text path', () => {
    let text = header();
    for (let i = 0; i < 70_000; i++) text += `2024-03-11 07:00:00 /owa/ 10.${i >> 16}.${(i >> 8) & 255}.${i & 255} - UA 200 40\n`;
    for (let i = 0; i < 70_000; i += 7) text += `2024-03-11 08:00:00 /owa/ 10.${i >> 16}.${(i >> 8) & 255}.${i & 255} - UA 401 40\n`;
    const r = both(text);
    expect(r.rows.length).toBe(70_000);
    expect(r.rows.reduce((s, x) => s + x.hits, 0)).toBe(80_000);
    expect(r.rows.reduce((s, x) => s + x.authFailures, 0)).toBe(10_000);
  });

  it('grows its key arena for long user agents', () => {
    let text = header();
    for (let i = 0; i < 3000; i++) text += `2024-03-11 07:00:01 /ews/ 198.51.100.7 u${i} ${'A'.repeat(3000)}${i} 503 40\n`;
    for (let i = 0; i < 3000; i += 3) text += `2024-03-11 07:00:02 /ews/ 198.51.100.7 u${i} ${'A'.repeat(3000)}${i} 200 40\n`;
    const r = both(text);
    expect([r.rows.length, r.rows.reduce((s, x) => s + x.hits, 0), r.rows.reduce((s, x) => s + x.errors, 0)]).toEqual([3000, 4000, 3000]);
    expect(r.rows.find((x) => x.dims.username === 'u3')?.lastSeen).toBe('2024-03-11T07:00:02Z');
  });

  it('is shared by parsers in turn: each keeps what it counted when another takes the engine', () => {
    const input = (ip: string, n: number) => {
      let text = header();
      for (let i = 0; i < n; i++) text += `2024-03-1${1 + (i % 3)} 07:00:${String(i % 60).padStart(2, '0')} /owa/ ${ip} u${i % 7} UA ${i % 5 ? 200 : 503} 40\n`;
      return Buffer.from(text);
    };
    const a = input('198.51.100.1', 900);
    const b = input('198.51.100.2', 700);
    const alone = [parseBytes(a, 0), parseBytes(b, 0)];
    // the same two inputs, read in turns of 100 bytes: the engine changes hands at nearly every chunk
    const [pa, pb] = [a, b].map((bytes) => {
      const agg = new UsageAggregator();
      const ctx = { file: 't', hints: NO_HINTS, fieldMap: DEFAULT_FIELD_MAP, agg, diags: new DiagnosticCounter('t') };
      return { bytes, agg, ...openTestParser(iisW3cFormat, ctx) };
    });
    for (let at = 0; at < Math.max(a.length, b.length); at += 100) {
      for (const p of [pa, pb]) if (at < p.bytes.length) p.splitter.push(p.bytes.subarray(at, at + 100));
    }
    const turns = [pa, pb].map((p) => {
      p.splitter.end(true);
      p.parser.flush?.();
      return p.agg.drain().sort((x, y) => JSON.stringify(x.dims).localeCompare(JSON.stringify(y.dims)));
    });
    expect(turns).toEqual(alone.map((r) => r.rows));
    expect(turns[0].reduce((s, r) => s + r.hits, 0)).toBe(900);
  });

  it('leaves a layout of more fields than it takes to the text path', () => {
    const extra = Array.from({ length: 600 }, (_, i) => ` x-${i}`).join('');
    const values = Array.from({ length: 600 }, (_, i) => ` v${i}`).join('');
    const r = both(`${header(extra)}2024-03-11 07:00:01 /owa/ 198.51.100.7 - UA 200 40${values}\n`);
    expect([r.records, r.rows[0]?.dims.protocol]).toEqual([1, 'TLS 1.0']);
  });
});
