// Scenario "rescan": `tls-census scan` again over an unchanged folder already scanned (the nightly case):
// wall time including process start, and how many bytes the process read compared with the folder's size.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureIisDataset } from '../lib/iis-dataset.mjs';
import { fmt, hasGnuTime, measure, spread } from '../lib/measure.mjs';
import { removeDb } from '../lib/scan-runs.mjs';

export const description = 're-scan of an unchanged, already scanned IIS folder (the iis-scan 1× folder, ~590 MB): target < 0.5 s wall';

const FULL = { servers: ['EXCH01', 'EXCH02', 'EXCH03', 'EXCH04'], days: 5, linesPerServerPerDay: 100_000 };
const SMOKE = { servers: ['EXCH01', 'EXCH02'], days: 1, linesPerServerPerDay: 10_000 };
const TARGET_S = 0.5;

export async function run(ctx) {
  const size = ctx.smoke ? SMOKE : FULL;
  const data = await ensureIisDataset(ctx, { ...size, seed: 1, backEnd: false, startDate: '2024-03-11' });
  const bin = join(ctx.root, 'bin', 'tls-census.js');
  if (!existsSync(join(ctx.root, 'dist', 'cli', 'main.js'))) throw new Error('dist/cli/main.js is missing: run `npm run build` first');
  const db = join(ctx.workDir, `rescan-${process.pid}.db`);
  removeDb(db);
  const useTime = hasGnuTime();
  const argv = [process.execPath, bin, 'scan', data.dir, '--db', db, '--quiet'];
  ctx.log('rescan: first scan (not measured) …');
  const first = measure(argv, { useTime, cwd: ctx.root });
  const samples = [];
  for (let i = 1; i <= ctx.runs; i++) {
    const s = measure(argv, { useTime, cwd: ctx.root });
    samples.push({ ...s, wallS: Math.max(s.wallS, 0.01) });
    ctx.log(`rescan: run ${i}/${ctx.runs}: ${fmt.two(s.wallS)} s`);
  }
  const loud = [];
  for (let i = 1; i <= ctx.runs; i++) {
    const s = measure(argv.filter((a) => a !== '--quiet'), { useTime, cwd: ctx.root });
    loud.push({ ...s, wallS: Math.max(s.wallS, 0.01) });
    ctx.log(`rescan: with summary, run ${i}/${ctx.runs}: ${fmt.two(s.wallS)} s`);
  }
  const version = measure([process.execPath, bin, '--version'], { useTime, cwd: ctx.root });
  const rescanRead = rchar(ctx.root, ['scan', data.dir, '--db', db, '--quiet']);
  const versionRead = rchar(ctx.root, ['--version']);
  const logRead = logBytesRead(ctx, [process.execPath, bin, 'scan', data.dir, '--db', db, '--quiet'], data.dir);
  removeDb(db);

  const wall = spread(samples.map((s) => s.wallS));
  const rss = samples.every((s) => s.rssKb !== null) ? spread(samples.map((s) => s.rssKb / 1024)) : null;
  const what = `${fmt.one(data.bytes / 1e6)} MB, ${data.files.length} files, ${fmt.int(data.lines)} lines`;
  const lines = [
    '| command | input | runs | wall s, median (min–max) | peak RSS MB, median (max) |',
    '|---|---|---|---|---|',
    `| first scan (for reference) | ${what} | 1 | ${fmt.two(first.wallS)} | ${first.rssKb === null ? 'n/a' : fmt.int(first.rssKb / 1024)} |`,
    `| re-scan, nothing changed | ${what} | ${samples.length} | ${fmt.spread(wall, fmt.two)} | ${rss ? `${fmt.int(rss.median)} (${fmt.int(rss.max)})` : 'n/a'} |`,
    `| re-scan, nothing changed, printing the summary (no \`--quiet\`) | ${what} | ${loud.length} | ` +
      `${fmt.spread(spread(loud.map((s) => s.wallS)), fmt.two)} | ${loud[0].rssKb === null ? 'n/a' : fmt.int(spread(loud.map((s) => s.rssKb / 1024)).median)} |`,
    `| \`tls-census --version\` (process start alone) | – | 1 | ${fmt.two(version.wallS)} | ${version.rssKb === null ? 'n/a' : fmt.int(version.rssKb / 1024)} |`,
    '',
    `- Re-scan wall time (\`--quiet\`, as a scheduled job runs it), median: **${fmt.two(wall.median)} s** (target < ${TARGET_S} s including process start: ` +
      `${wall.median < TARGET_S ? 'met' : 'NOT met'}).`,
  ];
  if (rescanRead !== null && versionRead !== null) {
    const extra = rescanRead - versionRead;
    lines.push(`- Bytes read by the re-scan process (/proc/self/io rchar): ${fmt.int(rescanRead)}; by \`--version\`: ` +
      `${fmt.int(versionRead)}; difference ${fmt.one(extra / 1024)} KiB = ${fmt.two((100 * extra) / data.bytes)}% of the folder ` +
      '(mostly the database pages; the log bytes alone are counted below).');
  }
  if (logRead !== null) {
    const expected = data.files.length * (4096 + 4096);
    lines.push(`- Bytes of the log files read by the re-scan (strace, read/pread64 on files under the folder): ` +
      `**${fmt.int(logRead)}** of ${fmt.int(data.bytes)} (${data.files.length} files × (4,096 head, which also tells ` +
      `the kind of file + 4,096 before the read position) = ${fmt.int(expected)}).`);
  }
  lines.push('- Warm page cache (the first scan just read every file); default options apart from `--quiet`.');
  if (ctx.smoke) lines.push('- Smoke size: numbers only show that the harness works.');
  return { markdown: lines.join('\n') };
}

/** rchar of the CLI run in-process by lib/rchar-child.mjs, or null where /proc/self/io is missing. */
function rchar(root, args) {
  if (!existsSync('/proc/self/io')) return null;
  const r = spawnSync(process.execPath, [join(root, 'bench', 'lib', 'rchar-child.mjs'), ...args], { encoding: 'utf8' });
  const m = /rchar (\d+)/.exec(r.stderr ?? '');
  return m ? Number(m[1]) : null;
}

/** Bytes read(2)/pread64(2) from files under `dir` by the command and its threads, or null without strace. */
function logBytesRead(ctx, argv, dir) {
  const trace = join(ctx.workDir, `rescan-strace-${process.pid}.txt`);
  const r = spawnSync('strace', ['-f', '-y', '-e', 'trace=read,pread64', '-o', trace, ...argv], { stdio: 'ignore' });
  if (r.error || r.status !== 0 || !existsSync(trace)) return null;
  let total = 0;
  // A call that another thread's output interrupts is printed in two lines, "<unfinished ...>" then "resumed":
  // its file is remembered per thread id until its result comes.
  const open = new Map();
  for (const line of readFileSync(trace, 'utf8').split('\n')) {
    const whole = /(?:read|pread64)\(\d+<([^>]*)>.*= (\d+)$/.exec(line);
    if (whole) {
      if (whole[1].startsWith(dir)) total += Number(whole[2]);
      continue;
    }
    const started = /^(\d+)\s+(?:read|pread64)\(\d+<([^>]*)>.*<unfinished \.\.\.>$/.exec(line);
    if (started) {
      open.set(started[1], started[2]);
      continue;
    }
    const resumed = /^(\d+)\s+<\.\.\. (?:read|pread64) resumed>.*= (\d+)$/.exec(line);
    if (resumed && open.get(resumed[1])?.startsWith(dir)) total += Number(resumed[2]);
    if (resumed) open.delete(resumed[1]);
  }
  rmSync(trace, { force: true });
  return total;
}
