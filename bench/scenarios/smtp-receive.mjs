// Scenario "smtp-receive": `tls-census scan` of Exchange SMTP Receive protocol logs only (2 servers × 24 hourly files,
// 120,000 sessions, ~1.5 M lines), in rounds with mawk counting one column, and a check that every session is counted
// once; then the same number of sessions from 3 servers × 16 hourly files (three chains on two workers). It measures
// and tabulates; it does not tune anything.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ensureExchangeDataset } from '../lib/exchange-dataset.mjs';
import { fmt, hasGnuTime, measure, spread } from '../lib/measure.mjs';
import { findAwk, floorCells, interleave, medianRss, removeDb, scanCommand, warmPageCache } from '../lib/scan-runs.mjs';

export const description = 'scan Exchange SMTP Receive logs (2 servers × 24 hourly files, 120,000 sessions) in rounds with mawk';

const FULL = { servers: ['EXCH01', 'EXCH02'], hours: 24, startDate: '2024-03-11', smtpPerHour: 2500, popImapPerHour: 1, seed: 1 };
const SMOKE = { servers: ['EXCH01'], hours: 2, startDate: '2024-03-11', smtpPerHour: 100, popImapPerHour: 1, seed: 1 };
/** As many sessions from three servers: one worker reads two chains, and a chain moves when the other runs out. */
const THREE = { ...FULL, servers: ['EXCH01', 'EXCH02', 'EXCH03'], hours: 16 };
const THREE_SMOKE = { ...SMOKE, servers: ['EXCH01', 'EXCH02', 'EXCH03'] };
/** The Exchange floor: a one-column count (the event column) that splits every line at commas. */
const AWK_PROGRAM = '!/^#/ {c[$7]++} END{for(k in c) n++; print n}';

/** The SmtpReceive folders under `dir` (the generator writes Exchange's own layout). */
function receiveDirs(dir) {
  const out = [];
  const visit = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      if (e.name === 'SmtpReceive') out.push(join(d, e.name));
      else visit(join(d, e.name));
    }
  };
  visit(dir);
  return out.sort();
}

export async function run(ctx) {
  const data = await ensureExchangeDataset(ctx, ctx.smoke ? SMOKE : FULL);
  const dirs = receiveDirs(data.dir);
  const files = data.files.filter((f) => dirs.some((d) => f.startsWith(d))).sort();
  const bytes = files.reduce((a, f) => a + statSync(f).size, 0);
  warmPageCache(files);
  const census = scanCommand(ctx.root);
  const awk = findAwk();
  const useTime = hasGnuTime();
  const db = join(ctx.workDir, `smtp-receive-${process.pid}.db`);
  const argv = [...census.argv, 'scan', ...dirs, '--db', db, '--quiet'];
  const commands = [
    { label: 'smtp-receive tls-census', once: () => measure(argv, { useTime, cwd: ctx.root }) },
    { label: 'smtp-receive tls-census --jobs 1', once: () => measure([...argv, '--jobs', '1'], { useTime, cwd: ctx.root }) },
  ];
  if (awk) {
    commands.push({ label: `smtp-receive ${awk.name}`, once: () => measure([awk.path, '-F,', AWK_PROGRAM, ...files], { useTime, cwd: ctx.root }) });
  }
  const [scans, oneThread, floor] = interleave(ctx, commands, () => removeDb(db));
  removeDb(db);
  measure(argv, { useTime, cwd: ctx.root });
  const conn = new Database(db, { readonly: true });
  const hits = conn.prepare(`SELECT sum(hits) AS n FROM usage WHERE source = 'smtp-receive'`).get().n;
  const rows = conn.prepare(`SELECT count(*) AS n FROM usage`).get().n;
  const pending = conn.prepare(`SELECT count(*) AS n FROM pending_sessions`).get().n;
  conn.close();
  removeDb(db);
  const expected = data.sessions['smtp-receive'];
  const wall = spread(scans.map((s) => s.wallS));
  const awkWall = floor ? spread(floor.map((s) => s.wallS)) : null;
  const perRound = floor ? spread(scans.map((s, i) => s.wallS / floor[i].wallS)) : null;
  const cpu = (samples) => (samples.every((s) => s.cpuS !== null) ? fmt.spread(spread(samples.map((s) => s.cpuS)), fmt.two) : 'n/a');
  const scanRow = (label, samples) => {
    const w = spread(samples.map((s) => s.wallS));
    const rss = medianRss(samples);
    return `| ${label} | ${fmt.int(expected)} sessions, ${fmt.one(bytes / 1e6)} MB, ${files.length} files | ${samples.length} | ` +
      `${fmt.spread(w, fmt.two)} | ${cpu(samples)} | ${fmt.int(expected / w.median)} | ${fmt.one(bytes / 1e6 / w.median)} | ` +
      `${rss === null ? 'n/a' : fmt.int(rss / 1024)} |`;
  };
  const out = [
    '| command | input | runs | wall s, median (min–max) | CPU s (user + sys), median (min–max) | sessions/s, median | MB/s, median | peak RSS MB, median |',
    '|---|---|---|---|---|---|---|---|',
    scanRow(census.label, scans),
    scanRow(`${census.label} --jobs 1`, oneThread),
  ];
  if (awkWall) {
    out.push(`| \`${awk.name} -F, '${AWK_PROGRAM}'\` | same files | ${floor.length} | ${fmt.spread(awkWall, fmt.two)} | ${cpu(floor)} | – | ` +
      `${fmt.one(bytes / 1e6 / awkWall.median)} | ${fmt.int((medianRss(floor) ?? 0) / 1024)} |`);
  }
  out.push('');
  if (awkWall) out.push(`- Scan wall / ${awk.name} wall: **${fmt.two(wall.median / awkWall.median)}×** by medians; per round ${fmt.spread(perRound, fmt.two)} (target ≤ 3×)`);
  out.push(`- Exact: ${hits === expected ? 'yes' : 'NO'}: smtp-receive hits ${fmt.int(hits)} for ${fmt.int(expected)} sessions generated, ${pending} pending, ${fmt.int(rows)} usage rows.`);
  out.push('- Default options (as many parse workers as cores: each server\'s Receive logs are a chain, the chains read at once) and `--jobs 1` (everything in the main thread); warm page cache; a fresh database per run; the commands take turns, round after round.');
  out.push('', await threeServers(ctx, census, awk, useTime, db), '');
  if (ctx.smoke) out.push('- Smoke size: numbers only show that the harness works.');
  return { markdown: out.join('\n') };
}

/** The table of the three-server folder: default options against mawk, in rounds. */
async function threeServers(ctx, census, awk, useTime, db) {
  const data = await ensureExchangeDataset(ctx, ctx.smoke ? THREE_SMOKE : THREE);
  const dirs = receiveDirs(data.dir);
  const files = data.files.filter((f) => dirs.some((d) => f.startsWith(d))).sort();
  const bytes = files.reduce((a, f) => a + statSync(f).size, 0);
  warmPageCache(files);
  const argv = [...census.argv, 'scan', ...dirs, '--db', db, '--quiet'];
  const commands = [{ label: 'smtp-receive 3 servers tls-census', once: () => measure(argv, { useTime, cwd: ctx.root }) }];
  if (awk) commands.push({ label: `smtp-receive 3 servers ${awk.name}`, once: () => measure([awk.path, '-F,', AWK_PROGRAM, ...files], { useTime, cwd: ctx.root }) });
  const [scans, floor] = interleave(ctx, commands, () => removeDb(db));
  removeDb(db);
  measure(argv, { useTime, cwd: ctx.root });
  const conn = new Database(db, { readonly: true });
  const hits = conn.prepare(`SELECT sum(hits) AS n FROM usage WHERE source = 'smtp-receive'`).get().n;
  conn.close();
  removeDb(db);
  const expected = data.sessions['smtp-receive'];
  const wall = spread(scans.map((s) => s.wallS));
  const cpu = scans.every((s) => s.cpuS !== null) ? fmt.two(spread(scans.map((s) => s.cpuS)).median) : 'n/a';
  const { floorWall, ratio } = floorCells(scans, floor);
  const rss = medianRss(scans);
  return [
    `Three servers × ${ctx.smoke ? THREE_SMOKE.hours : THREE.hours} hourly files (${fmt.int(expected)} sessions, ${fmt.one(bytes / 1e6)} MB, ${files.length} files; ` +
      'three chains on two workers):',
    '',
    `| command | runs | wall s, median (min–max) | CPU s, median | ${awk?.name ?? 'awk'} s, median | ratio of medians (per round) | peak RSS MB, median |`,
    '|---|---|---|---|---|---|---|',
    `| ${census.label} | ${scans.length} | ${fmt.spread(wall, fmt.two)} | ${cpu} | ${floorWall} | ` +
      `${ratio} | ${rss === null ? 'n/a' : fmt.int(rss / 1024)} |`,
    '',
    `- Exact: ${hits === expected ? 'yes' : 'NO'}: smtp-receive hits ${fmt.int(hits)} for ${fmt.int(expected)} sessions generated.`,
  ].join('\n');
}
