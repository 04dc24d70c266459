// Runs a command as a child process and measures wall seconds and peak RSS with GNU time (`-f '%e %M'`);
// without /usr/bin/time it times the child in JS and reports RSS as null. It does not interpret the results.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg, tmpdir } from 'node:os';

const GNU_TIME = '/usr/bin/time';

/** True when /usr/bin/time understands GNU's -f/-o (busybox and BSD time do not). */
export function hasGnuTime() {
  if (!existsSync(GNU_TIME)) return false;
  const probe = join(tmpdir(), `tls-census-bench-time-${process.pid}.txt`);
  const result = spawnSync(GNU_TIME, ['-f', '%e %M', '-o', probe, 'true'], { stdio: 'ignore' });
  const ok = result.status === 0 && existsSync(probe) && /^\d+(\.\d+)? \d+\s*$/.test(readFileSync(probe, 'utf8'));
  rmSync(probe, { force: true });
  return ok;
}

/**
 * Runs argv[0] with argv[1..]; returns { wallS, rssKb, stdout }. Throws with the tail of stderr on a non-zero exit.
 * `useTime`: measure through /usr/bin/time (its %e has 10 ms resolution) or in JS.
 */
export function measure(argv, { useTime, cwd }) {
  const out = join(tmpdir(), `tls-census-bench-time-${process.pid}.txt`);
  rmSync(out, { force: true });
  const [cmd, ...args] = useTime ? [GNU_TIME, '-f', '%e %M %U %S', '-o', out, ...argv] : argv;
  const started = process.hrtime.bigint();
  const result = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  const jsWallS = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.error) throw new Error(`cannot run ${argv.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) {
    const tail = (result.stderr ?? '').trim().split('\n').slice(-10).join('\n');
    throw new Error(`${argv.join(' ')} exited with ${result.status ?? result.signal}\n${tail}`);
  }
  if (!useTime) return { wallS: jsWallS, rssKb: null, cpuS: null, stdout: result.stdout };
  // GNU time writes "%e %M %U %S" as the last line of -o (after "Command exited…" lines, if any)
  const last = readFileSync(out, 'utf8').trim().split('\n').at(-1) ?? '';
  rmSync(out, { force: true });
  const [wall, rss, user, sys] = last.split(' ').map(Number);
  if (!Number.isFinite(wall) || !Number.isFinite(rss)) throw new Error(`unexpected /usr/bin/time output: ${last}`);
  // CPU seconds (user + system, all threads): what a run cost whatever else the machine was doing
  const cpuS = Number.isFinite(user) && Number.isFinite(sys) ? user + sys : null;
  return { wallS: wall, rssKb: rss, cpuS, stdout: result.stdout };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** { median, min, max } of a non-empty list. */
export function spread(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const fmt = {
  int: (n) => integer.format(n),
  one: (n) => oneDecimal.format(n),
  two: (n) => twoDecimals.format(n),
  /** "median (min–max)" with one formatter; a single run prints just the value. */
  spread: (s, f) => (s.min === s.max ? f(s.median) : `${f(s.median)} (${f(s.min)}–${f(s.max)})`),
};

/** Deterministic 32-bit LCG in [0, 1): the generators of the EXO and Entra scenarios (their inputs depend on it). */
export function lcg(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** The results line on the machine's load: the 1-minute load average before the runs (given) and now. */
export function loadNote(loadBefore) {
  const after = loadavg()[0];
  const cores = cpus().length;
  return `- 1-minute load average ${fmt.one(loadBefore)} before and ${fmt.one(after)} after the runs on ${cores} cores` +
    (Math.max(loadBefore, after) > cores ? ': above the core count, wall times include waiting for a CPU.' : '.');
}
