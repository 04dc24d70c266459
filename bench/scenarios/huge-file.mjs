// Scenario "huge-file": one single large IIS log (the iis-scan folder's files joined into one, header blocks and
// all), scanned with the default workers (the file is cut into byte ranges) and with --jobs 1. Measures only.
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ensureIisDataset } from '../lib/iis-dataset.mjs';
import { fmt, hasGnuTime, measure, spread } from '../lib/measure.mjs';
import { findAwk, interleave, removeDb, row, scanCommand, warmPageCache } from '../lib/scan-runs.mjs';

export const description = 'one file of 2,000,000 IIS lines (smoke: 20,000): default workers vs --jobs 1, vs mawk';

const FULL = { servers: ['EXCH01', 'EXCH02', 'EXCH03', 'EXCH04'], days: 5, linesPerServerPerDay: 100_000 };
const SMOKE = { servers: ['EXCH01', 'EXCH02'], days: 1, linesPerServerPerDay: 10_000 };
const AWK_PROGRAM = '{c[$9]++} END{for(k in c) n++; print n}';

export async function run(ctx) {
  const size = ctx.smoke ? SMOKE : FULL;
  const data = await ensureIisDataset(ctx, { ...size, seed: 1, backEnd: false, startDate: '2024-03-11' });
  const big = join(ctx.workDir, `huge-${size.servers.length}x${size.days}x${size.linesPerServerPerDay}.log`);
  if (!existsSync(big) || statSync(big).size !== data.bytes) joinFiles(data.files, big);
  const input = { dirs: [big], files: [big], lines: data.lines, bytes: data.bytes };
  warmPageCache([big]);
  const useTime = hasGnuTime();
  const census = scanCommand(ctx.root);
  const db = join(ctx.workDir, `huge-${process.pid}.db`);
  const command = (label, argv) => ({ label, once: () => measure(argv, { useTime, cwd: ctx.root }) });
  const scan = [...census.argv, 'scan', big, '--db', db, '--quiet'];
  const awk = findAwk();
  // round after round, so that a slow spell of a shared machine falls on all three alike
  const [ranged, single, baselineRuns] = interleave(ctx, [
    command('huge file, default', scan),
    command('huge file, --jobs 1', [...scan, '--jobs', '1']),
    ...(awk ? [command(`${awk.name} huge file`, [awk.path, AWK_PROGRAM, big])] : []),
  ], () => removeDb(db));
  const baseline = awk ? baselineRuns : null;
  const median = (samples) => spread(samples.map((s) => s.wallS)).median;
  const lines = [
    '| command | input | runs | wall s, median (min–max) | lines/s, median (min–max) | MB/s, median (min–max) | peak RSS MB, median (max) |',
    '|---|---|---|---|---|---|---|',
    row(`${census.label} (${availableParallelism()} workers, byte ranges)`, input, ranged),
    row(`${census.label} --jobs 1`, input, single),
    baseline ? row(`\`${awk.name} '${AWK_PROGRAM}'\``, input, baseline) : '| awk baseline | skipped: no awk | | | | | |',
    '',
    `- Speed-up of the byte ranges over one worker: **${fmt.two(median(single) / median(ranged))}×**`,
    baseline ? `- Scan wall / ${awk.name} wall (medians): **${fmt.two(median(ranged) / median(baseline))}×**; per round: ` +
      `${fmt.spread(spread(ranged.map((s, i) => s.wallS / baseline[i].wallS)), fmt.two)}` : '',
    `- One file of ${fmt.one(data.bytes / 1e6)} MB with ${size.servers.length * size.days} header blocks; warm page cache; fresh database per run.`,
  ];
  rmSync(db, { force: true });
  return { markdown: lines.filter((l) => l !== '').join('\n') };
}

function joinFiles(files, target) {
  const fd = openSync(target, 'w');
  try {
    for (const f of files) writeSync(fd, readFileSync(f));
  } finally {
    closeSync(fd);
  }
}
