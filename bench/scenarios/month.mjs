// Scenario "month": a database that has grown. Four servers' IIS logs of the internet mix over 31 days (30 already
// stored, about a million usage rows); the night's scan of day 31 as a scheduled task runs it (quiet, and printing
// its summary), `report` on the whole month, and `merge` of that server database into a central one that merged it the
// night before (days read since, and --full). What grows with the database here (the list of new legacy clients, the
// report's groupings, a merge's reading) shows in these numbers and not in the first scan's.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ensureIisDataset } from '../lib/iis-dataset.mjs';
import { fmt, hasGnuTime, measure, spread } from '../lib/measure.mjs';
import { copyDb, interleave, medianRss, removeDb, scanCommand, splitLastDay, warmPageCache } from '../lib/scan-runs.mjs';

export const description = 'a month stored: the night scan of day 31 (quiet and with its summary), report over 31 days of the internet mix, and merge after the night';

const FULL = { servers: ['EXCH01', 'EXCH02', 'EXCH03', 'EXCH04'], days: 31, linesPerServerPerDay: 50_000 };
const SMOKE = { servers: ['EXCH01'], days: 3, linesPerServerPerDay: 2_000 };
const SHAPE = { clients: 4000, agents: 400, spread: 4, share: 0.2 };

export async function run(ctx) {
  const size = ctx.smoke ? SMOKE : FULL;
  const census = scanCommand(ctx.root);
  const useTime = hasGnuTime();
  const data = await ensureIisDataset(ctx, { ...size, seed: 1, backEnd: false, startDate: '2024-03-01', shape: SHAPE });
  const { fresh, earlier } = splitLastDay(data.files);
  // the days before the last night's, then the last night's: the central database merges it after that night
  const { fresh: lastNight, earlier: first } = splitLastDay(earlier);
  const before = join(ctx.workDir, `month-before-${process.pid}.db`);
  const db = join(ctx.workDir, `month-${process.pid}.db`);
  const central = join(ctx.workDir, `month-central-${process.pid}.db`);
  const centralCopy = join(ctx.workDir, `month-central-copy-${process.pid}.db`);
  for (const d of [before, central]) removeDb(d);
  ctx.log(`month: scanning the ${earlier.length} files of the first ${size.days - 1} days, merging them (not measured) …`);
  measure([...census.argv, 'scan', ...first, '--db', before, '--quiet'], { useTime, cwd: ctx.root });
  measure([...census.argv, 'scan', ...lastNight, '--db', before, '--quiet'], { useTime, cwd: ctx.root });
  measure([...census.argv, 'merge', '--db', central, before, '--quiet'], { useTime, cwd: ctx.root });
  const stored = count(before);
  warmPageCache(data.files);
  const month = join(ctx.workDir, `month-all-${process.pid}.db`);
  copyDb(before, month);
  measure([...census.argv, 'scan', ...fresh, '--db', month, '--quiet'], { useTime, cwd: ctx.root });
  const after = count(month);
  const merge = (extra) => () =>
    (copyDb(central, centralCopy), measure([...census.argv, 'merge', '--db', centralCopy, month, '--quiet', ...extra], { useTime, cwd: ctx.root }));
  const night = (extra) => () => (copyDb(before, db), measure([...census.argv, 'scan', ...fresh, '--db', db, ...extra], { useTime, cwd: ctx.root }));
  const commands = [
    { label: 'month: night scan --quiet', what: `the night: \`scan\` of day ${size.days} (${fresh.length} files), \`--quiet\``, once: night(['--quiet']) },
    { label: 'month: night scan with its summary', what: `the night: \`scan\` of day ${size.days}, printing its summary (the whole database)`, once: night([]) },
    { label: 'month: report', what: `\`report\` (text) on the ${size.days} days`, once: () => measure([...census.argv, 'report', '--db', month], { useTime, cwd: ctx.root }) },
    { label: 'month: report --format json', what: `\`report --format json\` on the ${size.days} days`, once: () => measure([...census.argv, 'report', '--db', month, '--format', 'json'], { useTime, cwd: ctx.root }) },
    { label: 'month: merge after the night', what: `\`merge\` of the server database after the night (the ${size.days} days) into a central one that merged it the night before`, once: merge([]) },
    { label: 'month: merge after the night --full', what: 'the same `merge --full` (every row read)', once: merge(['--full']) },
  ];
  const samples = interleave(ctx, commands, () => undefined);
  for (const d of [db, before, month, central, centralCopy]) removeDb(d);

  const table = [
    '| command | wall s, median (min–max) | CPU s, median | peak RSS MB, median (max) |',
    '|---|---|---|---|',
  ];
  commands.forEach((c, i) => {
    const s = samples[i];
    const wall = spread(s.map((x) => x.wallS));
    const cpu = s.every((x) => x.cpuS !== null) ? fmt.two(spread(s.map((x) => x.cpuS)).median) : 'n/a';
    const rss = medianRss(s);
    const rssMax = Math.max(...s.map((x) => x.rssKb ?? 0));
    table.push(`| ${c.what} | ${fmt.spread(wall, fmt.two)} | ${cpu} | ${rss === null ? 'n/a' : `${fmt.int(rss / 1024)} (${fmt.int(rssMax / 1024)})`} |`);
  });
  table.push('');
  table.push(`- Stored before the night: ${fmt.int(stored.rows)} usage rows, ${fmt.int(stored.keys)} keys, ${fmt.int(stored.seen)} legacy clients ` +
    `(${size.servers.length} servers × ${size.days - 1} days × ${fmt.int(size.linesPerServerPerDay)} lines of the internet mix); after it ` +
    `${fmt.int(after.rows)} usage rows, ${fmt.int(after.keys)} keys.`);
  table.push(`- The first ${size.days - 1} days are stored by two scans (the days before the last night's, then that night's), and a central ` +
    'database merges that; each merge then starts from a copy of it. Each night run starts from a copy of the database of the first days; ' +
    'the reports and the merges read the database after the night. The commands take turns, round after round. Default options; warm page cache.');
  if (ctx.smoke) table.push('- Smoke size: numbers only show that the harness works.');
  return { markdown: table.join('\n') };
}

function count(path) {
  const d = new Database(path, { readonly: true });
  try {
    const one = (sql) => d.prepare(sql).pluck().get();
    return { rows: one('SELECT count(*) FROM usage_rows'), keys: one('SELECT count(*) FROM usage_keys'), seen: one('SELECT count(*) FROM legacy_seen') };
  } finally {
    d.close();
  }
}
