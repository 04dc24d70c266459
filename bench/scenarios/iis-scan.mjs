// Scenario "iis-scan": `tls-census scan` over ≥ 2,000,000 synthetic IIS lines, again over twice that (memory flatness),
// and a mawk one-liner over the same files as a floor. It measures and tabulates; it does not build or tune anything.
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ensureIisDataset } from '../lib/iis-dataset.mjs';
import { fmt, hasGnuTime, measure, spread } from '../lib/measure.mjs';
import { addDays, findAwk, interleave, medianRss, removeDb, repeat, row, scanCommand, warmPageCache } from '../lib/scan-runs.mjs';

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
  const command = (label, argv) => ({ label, once: () => measure(argv, { useTime, cwd: ctx.root }) });
  const awk = findAwk();
  // The 1× scans, the one-core scans and the awk floor take turns, round after round (see interleave)
  const [census1, single, baselineRuns] = interleave(ctx, [
    command('tls-census 1×', scan(once)),
    command('tls-census 1× --jobs 1', [...scan(once), '--jobs', '1']),
    ...(awk ? [command(`${awk.name} 1×`, [awk.path, AWK_PROGRAM, ...once.files])] : []),
  ], () => removeDb(db));
  const baseline = awk ? baselineRuns : null;
  const census2 = repeat(ctx, 'tls-census 2×', () => measure(scan(twice), { useTime, cwd: ctx.root }), () => removeDb(db));
  removeDb(db);
  measure(scan(once), { useTime, cwd: ctx.root });
  const dbBytes = statSync(db).size;
  removeDb(db);

  const lines = [
    '| command | input | runs | wall s, median (min–max) | lines/s, median (min–max) | MB/s, median (min–max) | peak RSS MB, median (max) |',
    '|---|---|---|---|---|---|---|',
    row(census.label, once, census1),
    row(`${census.label}, 2× input`, twice, census2),
    row(`${census.label} --jobs 1 (one core)`, once, single),
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
    const rounds = spread(census1.map((s, i) => s.wallS / baseline[i].wallS));
    lines.push(`- Scan wall / ${awk.name} wall (medians, 1× input): **${fmt.two(ratio)}×**; ` +
      `per round (the two ran one after the other): ${fmt.spread(rounds, fmt.two)}`);
  }
  lines.push(`- Database size: ${fmt.one(dbBytes / 1e6)} MB for ${fmt.int(once.lines)} requests = **${fmt.two(dbBytes / 1e6 / (once.lines / 1e6))} MB per million requests** (target ≤ 2 MB)`);
  lines.push(`- Default options: as many parse workers as cores (${availableParallelism()}); the main thread writes SQLite.`);
  lines.push(`- Lines = request lines (directives not counted); MB = 10^6 bytes; warm page cache; a fresh database per run.`);
  if (ctx.smoke) lines.push('- Smoke size: numbers only show that the harness works.');
  return { markdown: lines.join('\n') };
}

