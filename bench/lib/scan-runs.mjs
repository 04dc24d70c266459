// Shared by the scan scenarios: the command under test, repeated measured runs, table rows, page-cache warming.
// It measures and formats; it does not build or tune anything.
import { closeSync, copyFileSync, existsSync, openSync, readSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, spread } from './measure.mjs';

export function scanCommand(root) {
  const custom = process.env.TLS_CENSUS_BENCH_CMD?.trim();
  if (custom) return { argv: custom.split(/\s+/), label: `\`${custom}\` (TLS_CENSUS_BENCH_CMD)` };
  const bin = join(root, 'bin', 'tls-census.js');
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('dist/cli/main.js is missing: run `npm run build` first');
  return { argv: [process.execPath, bin], label: 'tls-census scan' };
}

export function repeat(ctx, label, once, cleanup) {
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

/**
 * Several commands measured in rounds, each once per round in the given order, so that a slower spell of a shared
 * machine falls on all of them alike. `commands`: [{ label, once }]; returns the samples of each, in that order.
 */
export function interleave(ctx, commands, cleanup) {
  const samples = commands.map(() => []);
  for (let i = 1; i <= ctx.runs; i++) {
    commands.forEach((c, k) => {
      cleanup();
      const sample = c.once();
      cleanup();
      samples[k].push({ ...sample, wallS: Math.max(sample.wallS, 0.01) });
      const rss = sample.rssKb === null ? 'RSS n/a' : `${fmt.int(sample.rssKb / 1024)} MB`;
      ctx.log(`${c.label} round ${i}/${ctx.runs}: ${fmt.two(sample.wallS)} s, ${rss}`);
    });
  }
  return samples;
}

export function row(label, input, samples) {
  const wall = spread(samples.map((s) => s.wallS));
  const linesPerS = spread(samples.map((s) => input.lines / s.wallS));
  const mbPerS = spread(samples.map((s) => input.bytes / 1e6 / s.wallS));
  const rss = samples.every((s) => s.rssKb !== null) ? spread(samples.map((s) => s.rssKb / 1024)) : null;
  const what = `${fmt.int(input.lines)} lines, ${fmt.one(input.bytes / 1e6)} MB, ${input.files.length} files`;
  return `| ${label} | ${what} | ${samples.length} | ${fmt.spread(wall, fmt.two)} | ${fmt.spread(linesPerS, fmt.int)} | ` +
    `${fmt.spread(mbPerS, fmt.one)} | ${rss ? `${fmt.int(rss.median)} (${fmt.int(rss.max)})` : 'n/a'} |`;
}

/**
 * The floor's median wall time and the "ratio of medians (per round)" cell of `scans` taken in rounds with `floor`
 * (interleave), as the tables print them; 'n/a' for both without a floor.
 */
export function floorCells(scans, floor) {
  if (!floor) return { floorWall: 'n/a', ratio: 'n/a' };
  const wall = spread(scans.map((s) => s.wallS)).median;
  const floorWall = spread(floor.map((s) => s.wallS)).median;
  const perRound = spread(scans.map((s, i) => s.wallS / floor[i].wallS));
  return { floorWall: fmt.two(floorWall), ratio: `${fmt.two(wall / floorWall)}× (${fmt.spread(perRound, fmt.two)})` };
}

export function medianRss(samples) {
  return samples.every((s) => s.rssKb !== null) ? spread(samples.map((s) => s.rssKb)).median : null;
}

export function findAwk() {
  for (const candidate of ['/usr/bin/mawk', '/usr/local/bin/mawk', '/usr/bin/awk', '/bin/awk']) {
    if (existsSync(candidate)) return { path: candidate, name: candidate.slice(candidate.lastIndexOf('/') + 1) };
  }
  return null;
}

/** Reads every file once so that no measured run pays for cold disk reads. */
export function warmPageCache(files) {
  const buffer = Buffer.allocUnsafe(1 << 20);
  for (const file of files) {
    const fd = openSync(file, 'r');
    while (readSync(fd, buffer, 0, buffer.length, null) > 0);
    closeSync(fd);
  }
}

/** A bench database and every file beside it: -wal, -shm, -journal, and the scan lock with its own journal. */
export function removeDb(db) {
  for (const suffix of ['', '-wal', '-shm', '-journal', '-lock', '-lock-journal']) rmSync(db + suffix, { force: true });
}

/** Replaces database `to` with a copy of `from` (its -wal and -shm too). */
export function copyDb(from, to) {
  removeDb(to);
  copyFileSync(from, to);
  for (const suffix of ['-wal', '-shm']) if (existsSync(from + suffix)) copyFileSync(from + suffix, to + suffix);
}

/** A folder's files split into the last day's (u_exYYMMDD of the latest date: a night's new files) and the earlier. */
export function splitLastDay(files) {
  const lastDay = [...new Set(files.map((f) => /u_ex(\d{6})/.exec(f)?.[1]))].sort().at(-1);
  const fresh = files.filter((f) => f.includes(`u_ex${lastDay}`));
  return { fresh, earlier: files.filter((f) => !fresh.includes(f)) };
}

export function addDays(isoDate, days) {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
