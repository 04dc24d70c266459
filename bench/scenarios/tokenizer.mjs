// Scenario "tokenizer": the hand-written W3C paths against the library alternative, in one process on the same
// lines: tls-census's IIS parser (line splitter + parser + aggregation) as scans run it (the byte path, its loop in
// WebAssembly) and with the text path alone (JavaScript strings), csv-parse used as a space-separated splitter feeding
// the same kind of aggregation, and a bare split-and-count loop as a floor. Measures only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { ensureIisDataset } from '../lib/iis-dataset.mjs';
import { fmt, spread } from '../lib/measure.mjs';

export const description = 'one 100,000-line IIS file parsed in-process: tls-census parser vs csv-parse vs String.split';

export async function run(ctx) {
  const size = ctx.smoke ? 10_000 : 100_000;
  const data = await ensureIisDataset(ctx, { servers: ['EXCH01'], days: 1, linesPerServerPerDay: size, seed: 1, backEnd: false, startDate: '2024-03-11' });
  const bytes = readFileSync(data.files[0]);
  const dist = (p) => import(pathToFileURL(join(ctx.root, 'dist', p)).href);
  const { openParser, ThreadEngines } = await dist('engine/session-parser.js');
  const { iisW3cFormat, DEFAULT_FIELD_MAP } = await dist('formats/iis-w3c.js');
  const { UsageAggregator } = await dist('aggregate/usage.js');
  const { DiagnosticCounter } = await dist('aggregate/diagnostics.js');

  const engines = new ThreadEngines();
  const ours = (bytePath) => () => {
    const agg = new UsageAggregator();
    const ctx = { file: 'x', hints: { server: 'S', site: null, folders: [] }, fieldMap: DEFAULT_FIELD_MAP, agg, diags: new DiagnosticCounter('x') };
    // as src/engine/parse-session.ts wires it, without batch limits; without engines, the text path alone
    const lines = (parser) => ({
      line: (t, n) => parser.line(t, n), tooLong: () => undefined,
      maxLines: () => Number.MAX_SAFE_INTEGER, maxRows: () => Number.MAX_SAFE_INTEGER, afterChunk: () => undefined,
    });
    const { parser, splitter } = openParser(iisW3cFormat, ctx, null, lines, bytePath ? engines : undefined);
    for (let i = 0; i < bytes.length; i += 1 << 20) splitter.push(bytes.subarray(i, i + (1 << 20)));
    splitter.end(true);
    parser.flush();
    return agg.size;
  };
  // The same work with csv-parse doing the splitting: records of the data lines, a key of the client columns.
  const text = bytes.toString('latin1');
  const csvParse = () => {
    const records = parse(text, { delimiter: ' ', comment: '#', relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
    const counts = new Map();
    for (const r of records) {
      const key = `${r[0]} ${r[4]} ${r[6]} ${r[7]} ${r[8]} ${r[9]} ${r[15]} ${r[16]} ${r[17]} ${r[18]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts.size;
  };
  const bare = () => {
    const counts = new Map();
    for (const line of text.split('\n')) {
      if (line === '' || line[0] === '#') continue;
      const f = line.split(' ');
      counts.set(f[8], (counts.get(f[8]) ?? 0) + 1);
    }
    return counts.size;
  };
  const rows = [];
  const parsers = [
    ['tls-census IIS parser as scans run it (byte path: WebAssembly line engine; full decoding and aggregation)', ours(true)],
    ['tls-census IIS parser, text path only (hand-written JavaScript on strings)', ours(false)],
    ['csv-parse as the W3C splitter, same aggregation', csvParse],
    ['bare `split` + count one column (floor)', bare],
  ];
  for (const [label, fn] of parsers) {
    fn(); // warm-up
    const times = [];
    for (let i = 0; i < ctx.runs; i++) {
      const t = process.hrtime.bigint();
      fn();
      times.push(Number(process.hrtime.bigint() - t) / 1e9);
    }
    const rate = spread(times.map((s) => data.lines / s));
    ctx.log(`tokenizer: ${label}: ${fmt.int(rate.median)} lines/s`);
    rows.push(`| ${label} | ${fmt.int(data.lines)} | ${times.length} | ${fmt.spread(rate, fmt.int)} |`);
  }
  return {
    markdown: ['| parser | lines | runs | lines/s, median (min–max) |', '|---|---|---|---|', ...rows, '',
      '- One thread, in-process (no process start, no SQLite); the file is in memory.'].join('\n'),
  };
}
