// Scenario "hourly": a folder of many small files, as IIS writes with hourly rollover (or as Exchange protocol logs
// roll every hour): the same traffic as a daily folder, each day's log cut into 24 hourly files with their own
// directives. The first scan of each, and the nightly re-scan of the hourly folder with nothing changed, in rounds;
// mawk's one-column count over the hourly files for reference. Whatever grows with the number of files shows here.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureIisDataset } from '../lib/iis-dataset.mjs';
import { fmt, hasGnuTime, loadNote, measure, spread } from '../lib/measure.mjs';
import { removeDb, scanCommand } from '../lib/scan-runs.mjs';
import { loadavg } from 'node:os';

export const description = 'first scan and re-scan of 14,400 hourly IIS logs (10 servers × 60 days) against the same traffic in daily files (smoke: 2 servers × 2 days)';

const FULL = { servers: Array.from({ length: 10 }, (_, i) => `S${String(i + 1).padStart(2, '0')}`), days: 60, linesPerServerPerDay: 2400 };
const SMOKE = { servers: ['S01', 'S02'], days: 2, linesPerServerPerDay: 480 };

/** Cuts each daily log of `daily` into one file per hour under `dir` (kept while the daily folder is unchanged). */
function hourlyCopy(daily, dir) {
  const stamp = join(`${dir}.done`);
  const want = `${daily.dir} ${daily.bytes}`;
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return countFiles(dir);
  rmSync(dir, { recursive: true, force: true });
  let files = 0;
  for (const file of daily.files) {
    const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l !== '');
    const head = lines.filter((l) => l.startsWith('#') && !l.startsWith('#Date'));
    const byHour = new Map();
    for (const l of lines) {
      if (l.startsWith('#')) continue;
      const hour = l.slice(11, 13);
      if (!byHour.has(hour)) byHour.set(hour, []);
      byHour.get(hour).push(l);
    }
    const out = join(dir, relative(daily.dir, file));
    mkdirSync(join(out, '..'), { recursive: true });
    for (const [hour, data] of byHour) {
      const day = data[0].slice(0, 10);
      const text = [...head.slice(0, 2), `#Date: ${day} ${hour}:00:00`, ...head.slice(2), ...data, ''].join('\r\n');
      writeFileSync(out.replace(/(_x)?\.log$/, (m) => `${hour}${m}`), text);
      files++;
    }
  }
  writeFileSync(stamp, want);
  return files;
}

function countFiles(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) n++;
  return n;
}

const folderBytes = (dir) =>
  readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile())
    .reduce((n, e) => n + statSync(join(e.parentPath ?? e.path, e.name)).size, 0);

export async function run(ctx) {
  const size = ctx.smoke ? SMOKE : FULL;
  const daily = await ensureIisDataset(ctx, { ...size, seed: 1, backEnd: false, startDate: '2024-03-11' });
  const hourly = join(ctx.workDir, `hourly-of-${daily.dir.split(/[\\/]/).pop()}`);
  ctx.log(`hourly: cutting ${daily.files.length} daily logs into hourly files in ${hourly} (kept for later runs)`);
  const files = hourlyCopy(daily, hourly);
  const bytes = folderBytes(hourly);
  const { argv: cli, label } = scanCommand(ctx.root);
  const useTime = hasGnuTime();
  const db = join(ctx.workDir, `hourly-${process.pid}.db`);
  const scan = (dir, quiet = true) => [...cli, 'scan', dir, '--db', db, ...(quiet ? ['--quiet'] : [])];
  const mawk = ['mawk', '!/^#/ && NF>4 {c[$(NF-3)]++} END{for(k in c) n++; print n}'];
  const hourlyFiles = [];
  for (const e of readdirSync(hourly, { withFileTypes: true, recursive: true })) if (e.isFile()) hourlyFiles.push(join(e.parentPath ?? e.path, e.name));
  const loadBefore = loadavg()[0];
  const rows = { daily: [], hourly: [], rescan: [], mawk: [] };
  for (let i = 1; i <= ctx.runs; i++) {
    removeDb(db);
    rows.daily.push(measure(scan(daily.dir), { useTime, cwd: ctx.root }));
    removeDb(db);
    rows.hourly.push(measure(scan(hourly), { useTime, cwd: ctx.root }));
    rows.rescan.push(measure(scan(hourly), { useTime, cwd: ctx.root }));
    rows.mawk.push(measureMawk(mawk, hourlyFiles, useTime, ctx.root));
    ctx.log(`hourly: round ${i}/${ctx.runs}: daily ${fmt.two(rows.daily.at(-1).wallS)} s, hourly ${fmt.two(rows.hourly.at(-1).wallS)} s, ` +
      `re-scan ${fmt.two(rows.rescan.at(-1).wallS)} s, mawk ${fmt.two(rows.mawk.at(-1).wallS)} s`);
  }
  removeDb(db);
  const line = (what, input, samples) => {
    const wall = spread(samples.map((s) => Math.max(s.wallS, 0.01)));
    const cpu = samples.every((s) => s.cpuS != null) ? fmt.two(spread(samples.map((s) => s.cpuS)).median) : 'n/a';
    const rss = samples.every((s) => s.rssKb !== null) ? spread(samples.map((s) => s.rssKb / 1024)) : null;
    return `| ${what} | ${input} | ${fmt.spread(wall, fmt.two)} | ${cpu} | ${rss ? `${fmt.int(rss.median)} (${fmt.int(rss.max)})` : 'n/a'} |`;
  };
  const dailyIn = `${fmt.int(daily.files.length)} files, ${fmt.one(daily.bytes / 1e6)} MB`;
  const hourlyIn = `${fmt.int(files)} files, ${fmt.one(bytes / 1e6)} MB`;
  const lines = [
    '| command | input | wall s, median (min–max) | CPU s, median | peak RSS MB, median (max) |',
    '|---|---|---|---|---|',
    line('first scan of the daily logs (for reference)', dailyIn, rows.daily),
    line('first scan of the hourly logs', hourlyIn, rows.hourly),
    line('re-scan of the hourly logs, nothing changed (`--quiet`, the nightly task)', hourlyIn, rows.rescan),
    line('mawk counting one column of the hourly logs', hourlyIn, rows.mawk),
    '',
    `- ${fmt.int(daily.lines)} lines of the iis-scan traffic (${size.servers.length} servers × ${size.days} days × ` +
      `${fmt.int(size.linesPerServerPerDay)} lines a day); the hourly files hold the same lines, each with its directives. ` +
      `Command: ${label}. A fresh database for each first scan; ${ctx.runs} rounds, the commands in turn; warm page cache.`,
    loadNote(loadBefore),
  ];
  if (ctx.smoke) lines.push('- Smoke size: numbers only show that the harness works.');
  return { markdown: lines.join('\n') };
}

/** mawk over many files: in one process, the file list on its command line (split in parts under the argument limit). */
function measureMawk(mawk, files, useTime, cwd) {
  const parts = [];
  for (let i = 0; i < files.length; i += 2000) parts.push(files.slice(i, i + 2000));
  let wallS = 0;
  let cpuS = 0;
  let rssKb = 0;
  for (const p of parts) {
    const s = measure([...mawk, ...p], { useTime, cwd });
    wallS += s.wallS;
    cpuS += s.cpuS ?? 0;
    rssKb = s.rssKb === null ? null : Math.max(rssKb ?? 0, s.rssKb);
  }
  return { wallS, cpuS, rssKb };
}
