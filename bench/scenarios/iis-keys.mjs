// Scenario "iis-keys": the IIS scan against the number of distinct usage rows. A sweep of four traffic shapes
// (about 1k, 10k, 100k and 1M distinct rows per 2M lines) and the internet-facing mix of issue 12 (about 4,000
// client addresses, ~120k rows per million requests) at 1× and 2×, each in rounds with mawk; an SVG chart.
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sweepChart } from '../lib/chart.mjs';
import { ensureIisDataset } from '../lib/iis-dataset.mjs';
import { fmt, hasGnuTime, measure, spread } from '../lib/measure.mjs';
import { addDays, findAwk, floorCells, interleave, medianRss, removeDb, scanCommand, warmPageCache } from '../lib/scan-runs.mjs';

export const description = 'IIS scan vs distinct usage rows: a 1k–1M sweep and the internet-facing mix (1×, 2×), in rounds with mawk; SVG chart';

const FULL = { servers: ['EXCH01', 'EXCH02', 'EXCH03', 'EXCH04'], days: 5, linesPerServerPerDay: 100_000 };
const SMOKE = { servers: ['EXCH01'], days: 2, linesPerServerPerDay: 5_000 };
const START = '2024-03-11';
/** share 1: only the crowd, so its clients × spread (per server and day) sets the number of distinct rows. */
const SWEEP = [
  { name: '≈1k', shape: { clients: 10, agents: 8, spread: 5, share: 1 } },
  { name: '≈10k', shape: { clients: 100, agents: 40, spread: 5, share: 1 } },
  { name: '≈100k', shape: { clients: 1000, agents: 400, spread: 5, share: 1 } },
  { name: '≈1M', shape: { clients: 8000, agents: 2000, spread: 8, share: 1 } },
];
/** The Exchange population plus 4,000 internet addresses making a fifth of the requests. */
const CROWD = { clients: 4000, agents: 400, spread: 4, share: 0.2 };
/** The issue's IIS floor: a one-column count that splits every line. */
export const AWK_IIS = '!/^#/ && NF>4 {c[$(NF-3)]++} END{for(k in c) n++; print n}';
const CHART = 'iis-keys.svg';

export async function run(ctx) {
  const size = ctx.smoke ? SMOKE : FULL;
  const base = { ...size, seed: 1, backEnd: false, startDate: START };
  const census = scanCommand(ctx.root);
  const awk = findAwk();
  const useTime = hasGnuTime();
  const db = join(ctx.workDir, `keys-${process.pid}.db`);
  const results = [];
  const measureSet = async (name, sets) => {
    const parts = [];
    for (const options of sets) parts.push(await ensureIisDataset(ctx, options));
    const input = {
      dirs: parts.map((p) => p.dir), files: parts.flatMap((p) => p.files),
      lines: parts.reduce((a, p) => a + p.lines, 0), bytes: parts.reduce((a, p) => a + p.bytes, 0),
    };
    warmPageCache(input.files);
    const argv = [...census.argv, 'scan', ...input.dirs, '--db', db, '--quiet'];
    const commands = [{ label: `${name} tls-census`, once: () => measure(argv, { useTime, cwd: ctx.root }) }];
    if (awk) commands.push({ label: `${name} ${awk.name}`, once: () => measure([awk.path, AWK_IIS, ...input.files], { useTime, cwd: ctx.root }) });
    const [scans, floor] = interleave(ctx, commands, () => removeDb(db));
    removeDb(db);
    measure(argv, { useTime, cwd: ctx.root });
    const dbBytes = statSync(db).size;
    const conn = new Database(db, { readonly: true });
    const keys = conn.prepare('SELECT count(*) AS n FROM usage').get().n;
    conn.close();
    removeDb(db);
    results.push({ name, input, scans, floor, dbBytes, keys });
    ctx.log(`${name}: ${fmt.int(keys)} distinct usage rows, ${fmt.one(dbBytes / 1e6)} MB`);
  };
  // IIS_KEYS_POINTS (e.g. "≈1k,≈10k,mix") measures only those points: the ≈1M point alone takes many minutes
  const only = process.env.IIS_KEYS_POINTS?.split(',').map((p) => p.trim());
  const wanted = (name) => only === undefined || only.includes(name);
  for (const point of SWEEP) if (wanted(point.name)) await measureSet(point.name, [{ ...base, shape: point.shape }]);
  if (wanted('mix')) {
    await measureSet('internet mix 1×', [{ ...base, shape: CROWD }]);
    await measureSet('internet mix 2×', [{ ...base, shape: CROWD }, { ...base, shape: CROWD, startDate: addDays(START, size.days) }]);
  }

  const lines = [
    `| input | distinct usage rows | lines | tls-census s, median (min–max) | lines/s | ${awk?.name ?? 'awk'} s, median | ` +
      'ratio of medians (per round) | peak RSS MB, median (max) | DB bytes per usage row | DB MB per M requests |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const wall = spread(r.scans.map((s) => s.wallS));
    const { floorWall, ratio } = floorCells(r.scans, r.floor);
    const rss = medianRss(r.scans);
    const rssMax = Math.max(...r.scans.map((s) => s.rssKb ?? 0));
    lines.push(`| ${r.name} | ${fmt.int(r.keys)} | ${fmt.int(r.input.lines)} | ${fmt.spread(wall, fmt.two)} | ${fmt.int(r.input.lines / wall.median)} | ` +
      `${floorWall} | ${ratio} | ` +
      `${rss === null ? 'n/a' : `${fmt.int(rss / 1024)} (${fmt.int(rssMax / 1024)})`} | ${fmt.int(r.dbBytes / Math.max(1, r.keys))} | ` +
      `${fmt.two(r.dbBytes / 1e6 / (r.input.lines / 1e6))} |`);
  }
  lines.push('');
  const one = results.find((r) => r.name === 'internet mix 1×');
  const two = results.find((r) => r.name === 'internet mix 2×');
  if (one && two && medianRss(one.scans) !== null) {
    lines.push(`- Internet mix, peak RSS 2× / 1× (twice the lines and keys; medians): **${fmt.two(medianRss(two.scans) / medianRss(one.scans))}** (target < 1.15)`);
  }
  const sweep = results.filter((r) => SWEEP.some((p) => p.name === r.name));
  const maxRss = Math.max(...results.flatMap((r) => r.scans.map((s) => s.rssKb ?? 0))) / 1024;
  lines.push(`- Highest peak RSS of any run: ${fmt.int(maxRss)} MB (target ≤ 300 MB at any key count)`);
  if (sweep.length === 0) return { markdown: lines.join('\n') };
  const chart = sweepChart({
    speed: [
      { name: 'tls-census', points: sweep.map((r) => ({ x: r.keys, y: r.input.lines / spread(r.scans.map((s) => s.wallS)).median })) },
      ...(awk ? [{ name: awk.name, points: sweep.map((r) => ({ x: r.keys, y: r.input.lines / spread(r.floor.map((s) => s.wallS)).median })) }] : []),
    ],
    rss: [
      { name: 'tls-census', points: sweep.map((r) => ({ x: r.keys, y: (medianRss(r.scans) ?? 0) / 1024 })) },
      ...(awk ? [{ name: awk.name, points: sweep.map((r) => ({ x: r.keys, y: (medianRss(r.floor) ?? 0) / 1024 })) }] : []),
    ],
    caption: `IIS scan, ${fmt.int(sweep[0]?.input.lines ?? 0)} lines per point, default options, ${ctx.runs} rounds; ${new Date().toISOString().slice(0, 10)}`,
  });
  const chartPath = ctx.write ? join(ctx.root, 'bench', CHART) : join(ctx.workDir, CHART);
  writeFileSync(chartPath, chart);
  lines.push(`- Chart: [${CHART}](${CHART}) (lines/s and peak RSS against distinct usage rows, tls-census and ${awk?.name ?? 'awk'}; the sweep's points)`);
  lines.push(`- Floor: \`${awk?.name ?? 'awk'} '${AWK_IIS}'\`; the two take turns, round after round. Default options (parse workers = cores); warm page cache; a fresh database per run.`);
  lines.push('- Sweep: only the crowd of `src/synth/traffic-shape.ts` (clients × spread combinations per server and day); internet mix: the Exchange population plus 4,000 addresses making a fifth of the requests.');
  if (ctx.smoke) lines.push('- Smoke size: numbers only show that the harness works.');
  return { markdown: lines.join('\n') };
}
