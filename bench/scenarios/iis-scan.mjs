// Scenario "iis-scan": `tls-census scan` over ≥ 2,000,000 synthetic IIS lines, again over twice that (memory flatness),
// and a mawk one-liner over the same files as a floor. It measures and tabulates; it does not build or tune anything.
import { existsSync, readSync, openSync, closeSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureIisDataset } from '../lib/iis-dataset.mjs';
import { fmt, hasGnuTime, measure, spread } from '../lib/measure.mjs';

export const description = 'scan 4 servers × 5 days × 100,000 IIS lines (smoke: 2 × 1 × 10,000), then 2× the days, vs mawk';

const FULL = { servers: ['EXCH01', 'EXCH02', 'EXCH03', 'EXCH04'], days: 5, linesPerServerPerDay: 100_000 };
const SMOKE = { servers: ['EXCH01', 'EXCH02'], days: 1, linesPerServerPerDay: 10_000 };
const START = '2024-03-11';
const RSS_RATIO_TARGET = 1.1;
/** Distinct c-ip (field 9 of the default IIS fields): a single pass that splits every line, nothing more. */
const AWK_PROGRAM = '{c[$9]++} END{for(k in c) n++; print n}';

export async function run(ctx) {
  const size = ctx.smoke ? SMOKE : FULL;
  const base = { ...size, seed: 1, backEnd: false };
  // The 2× input is this folder plus the next `days` days: the generator seeds each file by its date, so the
  // first half of 2× is byte-identical to 1× and only the amount of data differs.
  const first = await ensureIisDataset(ctx, { ...base, startDate: START });
  const second = await ensureIisDataset(ctx, { ...base, startDate: addDays(START, size.days) });
  const once = { dirs: [first.dir], files: first.files, lines: first.lines, bytes: first.bytes };
  const twice = {
    dirs: [first.dir, second.dir], files: [...first.files, ...second.files],
    lines: first.lines + second.lines, bytes: first.bytes + second.bytes,
  };
  warmPageCache(twice.files);

  const useTime = hasGnuTime();
  const census = scanCommand(ctx.root);
  const db = join(ctx.workDir, `scan-${process.pid}.db`);
  const scan = (input) => [...census.argv, 'scan', ...input.dirs, '--db', db, '--quiet'];
  const runs = (label, argv) => repeat(ctx, label, () => measure(argv, { useTime, cwd: ctx.root }), () => removeDb(db));
  const census1 = runs('tls-census 1×', scan(once));
  const census2 = runs('tls-census 2×', scan(twice));
  const awk = findAwk();
  const baseline = awk ? runs(`${awk.name} 1×`, [awk.path, AWK_PROGRAM, ...once.files]) : null;

  const lines = [
    '| command | input | runs | wall s, median (min–max) | lines/s, median (min–max) | MB/s, median (min–max) | peak RSS MB, median (max) |',
    '|---|---|---|---|---|---|---|',
    row(census.label, once, census1),
    row(`${census.label}, 2× input`, twice, census2),
    baseline ? row(`\`${awk.name} '${AWK_PROGRAM}'\``, once, baseline) : `| awk baseline | skipped: neither mawk nor awk found | | | | | |`,
    '',
  ];
  const rss1 = medianRss(census1);
  const rss2 = medianRss(census2);
  if (rss1 !== null && rss2 !== null) {
    const ratio = rss2 / rss1;
    lines.push(`- Peak RSS 2× / 1× (medians): **${fmt.two(ratio)}** (target < ${fmt.two(RSS_RATIO_TARGET)}: ${ratio < RSS_RATIO_TARGET ? 'met' : 'NOT met'})`);
  } else {
    lines.push('- Peak RSS: n/a (no GNU /usr/bin/time; wall time measured in JS)');
  }
  if (baseline) {
    const ratio = spread(census1.map((s) => s.wallS)).median / spread(baseline.map((s) => s.wallS)).median;
    lines.push(`- Scan wall / ${awk.name} wall (medians, 1× input): **${fmt.one(ratio)}×**`);
  }
  lines.push(`- Lines = request lines (directives not counted); MB = 10^6 bytes; warm page cache; a fresh database per run.`);
  if (ctx.smoke) lines.push('- Smoke size: numbers only show that the harness works.');
  return { markdown: lines.join('\n') };
}

function scanCommand(root) {
  const custom = process.env.TLS_CENSUS_BENCH_CMD?.trim();
  if (custom) return { argv: custom.split(/\s+/), label: `\`${custom}\` (TLS_CENSUS_BENCH_CMD)` };
  const bin = join(root, 'bin', 'tls-census.js');
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('dist/cli/main.js is missing: run `npm run build` first');
  return { argv: [process.execPath, bin], label: 'tls-census scan' };
}

function repeat(ctx, label, once, cleanup) {
  const samples = [];
  for (let i = 1; i <= ctx.runs; i++) {
    cleanup();
    const sample = once();
    cleanup();
    // /usr/bin/time's %e has 10 ms resolution: never divide by zero on tiny inputs
    samples.push({ ...sample, wallS: Math.max(sample.wallS, 0.01) });
    const rss = sample.rssKb === null ? 'RSS n/a' : `${fmt.int(sample.rssKb / 1024)} MB`;
    ctx.log(`iis-scan: ${label} run ${i}/${ctx.runs}: ${fmt.two(sample.wallS)} s, ${rss}`);
  }
  return samples;
}

function row(label, input, samples) {
  const wall = spread(samples.map((s) => s.wallS));
  const linesPerS = spread(samples.map((s) => input.lines / s.wallS));
  const mbPerS = spread(samples.map((s) => input.bytes / 1e6 / s.wallS));
  const rss = samples.every((s) => s.rssKb !== null) ? spread(samples.map((s) => s.rssKb / 1024)) : null;
  const what = `${fmt.int(input.lines)} lines, ${fmt.one(input.bytes / 1e6)} MB, ${input.files.length} files`;
  return `| ${label} | ${what} | ${samples.length} | ${fmt.spread(wall, fmt.two)} | ${fmt.spread(linesPerS, fmt.int)} | ` +
    `${fmt.spread(mbPerS, fmt.one)} | ${rss ? `${fmt.int(rss.median)} (${fmt.int(rss.max)})` : 'n/a'} |`;
}

function medianRss(samples) {
  return samples.every((s) => s.rssKb !== null) ? spread(samples.map((s) => s.rssKb)).median : null;
}

function findAwk() {
  for (const candidate of ['/usr/bin/mawk', '/usr/local/bin/mawk', '/usr/bin/awk', '/bin/awk']) {
    if (existsSync(candidate)) return { path: candidate, name: candidate.slice(candidate.lastIndexOf('/') + 1) };
  }
  return null;
}

/** Reads every file once so that no measured run pays for cold disk reads. */
function warmPageCache(files) {
  const buffer = Buffer.allocUnsafe(1 << 20);
  for (const file of files) {
    const fd = openSync(file, 'r');
    while (readSync(fd, buffer, 0, buffer.length, null) > 0);
    closeSync(fd);
  }
}

function removeDb(db) {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(db + suffix, { force: true });
}

function addDays(isoDate, days) {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
