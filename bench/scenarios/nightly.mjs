// Scenario "nightly": the scheduled scan the day after. A folder of four servers' IIS logs whose first days are
// already in the database gets one more day per server; `scan` over the whole folder reads only the new files, and
// writes rows whose keys are mostly stored already (the same clients as the days before). Two traffic shapes: the
// Exchange population of iis-scan and the internet-facing mix of iis-keys. Each run starts from a copy of the
// database of the earlier days, in rounds with mawk over the new files.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ensureIisDataset } from '../lib/iis-dataset.mjs';
import { fmt, hasGnuTime, measure, spread } from '../lib/measure.mjs';
import { copyDb, findAwk, floorCells, interleave, medianRss, removeDb, scanCommand, splitLastDay, warmPageCache } from '../lib/scan-runs.mjs';
import { AWK_IIS } from './iis-keys.mjs';

export const description = 'the day after: one new day of four IIS servers scanned onto a database of the days before (Exchange population, internet mix), in rounds with mawk';

const FULL = { servers: ['EXCH01', 'EXCH02', 'EXCH03', 'EXCH04'], days: 5, linesPerServerPerDay: 100_000 };
const SMOKE = { servers: ['EXCH01'], days: 2, linesPerServerPerDay: 5_000 };
const START = '2024-03-11';
const SHAPES = [
  { name: 'Exchange population', shape: undefined },
  { name: 'internet mix', shape: { clients: 4000, agents: 400, spread: 4, share: 0.2 } },
];

export async function run(ctx) {
  const size = ctx.smoke ? SMOKE : FULL;
  const census = scanCommand(ctx.root);
  const awk = findAwk();
  const useTime = hasGnuTime();
  const results = [];
  for (const { name, shape } of SHAPES) {
    const data = await ensureIisDataset(ctx, { ...size, seed: 1, backEnd: false, startDate: START, shape });
    const { fresh, earlier } = splitLastDay(data.files);
    const before = join(ctx.workDir, `nightly-before-${process.pid}.db`);
    const db = join(ctx.workDir, `nightly-${process.pid}.db`);
    removeDb(before);
    ctx.log(`nightly: ${name}: scanning the ${earlier.length} earlier files (not measured) …`);
    measure([...census.argv, 'scan', ...earlier, '--db', before, '--quiet'], { useTime, cwd: ctx.root });
    const stored = count(before);
    warmPageCache(data.files);
    const start = () => copyDb(before, db);
    const argv = [...census.argv, 'scan', data.dir, '--db', db, '--quiet'];
    const commands = [{ label: `nightly ${name} tls-census`, once: () => (start(), measure(argv, { useTime, cwd: ctx.root })) }];
    if (awk) commands.push({ label: `nightly ${name} ${awk.name}`, once: () => measure([awk.path, AWK_IIS, ...fresh], { useTime, cwd: ctx.root }) });
    const [scans, floor] = interleave(ctx, commands, () => undefined);
    const after = count(db);
    removeDb(db);
    removeDb(before);
    results.push({ name, fresh, lines: size.linesPerServerPerDay * fresh.length, stored, after, scans, floor });
  }

  const table = [
    `| traffic | stored before | new files, lines | usage rows added (keys added) | tls-census s, median (min–max) | CPU s, median | ` +
      `${awk?.name ?? 'awk'} s, median | ratio of medians (per round) | peak RSS MB, median (max) |`,
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const wall = spread(r.scans.map((s) => s.wallS));
    const cpu = r.scans.every((s) => s.cpuS !== null) ? spread(r.scans.map((s) => s.cpuS)).median : null;
    const { floorWall, ratio } = floorCells(r.scans, r.floor);
    const rss = medianRss(r.scans);
    const rssMax = Math.max(...r.scans.map((s) => s.rssKb ?? 0));
    table.push(`| ${r.name} | ${fmt.int(r.stored.rows)} usage rows, ${fmt.int(r.stored.keys)} keys | ${r.fresh.length}, ${fmt.int(r.lines)} | ` +
      `${fmt.int(r.after.rows - r.stored.rows)} (${fmt.int(r.after.keys - r.stored.keys)}) | ${fmt.spread(wall, fmt.two)} | ${cpu === null ? 'n/a' : fmt.two(cpu)} | ` +
      `${floorWall} | ${ratio} | ` +
      `${rss === null ? 'n/a' : `${fmt.int(rss / 1024)} (${fmt.int(rssMax / 1024)})`} |`);
  }
  table.push('');
  table.push(`- Each run: a copy of the database of the first ${size.days - 1} days, then \`scan\` over the whole folder (the earlier ` +
    `files are unchanged and skipped); ${awk ? `\`${awk.name} '${AWK_IIS}'\` over the new files` : 'no awk found'}; the two take turns. ` +
    'Default options; warm page cache.');
  if (ctx.smoke) table.push('- Smoke size: numbers only show that the harness works.');
  return { markdown: table.join('\n') };
}

/** Usage rows and keys of a database. */
function count(path) {
  const conn = new Database(path, { readonly: true });
  const rows = conn.prepare('SELECT count(*) FROM usage_rows').pluck().get();
  const keys = conn.prepare('SELECT count(*) FROM usage_keys').pluck().get();
  conn.close();
  return { rows, keys };
}
