// The figures the thresholds compare, and the lines a tripped one prints: --fail-on-legacy counts the legacy hits
// the verdicts count (real clients and the server's own traffic; noise only with --count-noise; known exceptions in
// force never), and a machine whose verdict is unknown trips it unless --allow-unknown. Read-only.
import type { Db } from '../store/open-database.js';
import type { VerdictSet } from './verdict-set.js';
import { num } from './strings.js';

export interface LegacyThreshold {
  /** More than this many counted legacy hits trip it. */
  readonly max: number;
  /** Count noise (health checks, challenge-only clients, scanners) too. */
  readonly countNoise: boolean;
  /** A machine whose verdict is unknown does not trip it. */
  readonly allowUnknown: boolean;
}

/** The counted legacy hits and clients of a verdict set under these options. */
export function countedLegacy(set: VerdictSet, t: Pick<LegacyThreshold, 'countNoise'>): { hits: number; clients: number } {
  const { real, own, noise } = set.tally;
  const parts = t.countNoise ? [real, own, noise] : [real, own];
  return { hits: parts.reduce((n, p) => n + p.hits, 0), clients: parts.reduce((n, p) => n + p.clients, 0) };
}

/** One line per way the threshold tripped (none when it did not). */
export function legacyThresholdLines(set: VerdictSet, t: LegacyThreshold): string[] {
  const out: string[] = [];
  const flag = `--fail-on-legacy ${t.max}`;
  const counted = countedLegacy(set, t);
  if (counted.hits > t.max) {
    const { own, noise, excepted } = set.tally;
    const asides = [
      ...(own.hits > 0 ? [`${num(own.hits)} of them from the servers' own components`] : []),
      ...(!t.countNoise && noise.hits > 0 ? [`${num(noise.hits)} more from noise, not counted`] : []),
      ...(excepted.hits > 0 ? [`${num(excepted.hits)} more covered by known exceptions`] : []),
    ];
    out.push(
      `${flag}: ${num(counted.hits)} legacy hits from ${num(counted.clients)} clients in the window` +
        (asides.length > 0 ? ` (${asides.join('; ')})` : ''),
    );
  }
  const unknown = set.machines.filter((m) => m.verdict === 'unknown');
  if (!t.allowUnknown && unknown.length > 0) {
    const which = unknown.map((m) => `${m.server ?? '(no server name)'}: ${m.unknowns.map((u) => (u.site === null ? u.source : `${u.source} ${u.site}`)).join(', ')}`);
    out.push(
      `${flag}: verdict unknown for ${num(unknown.length)} server${unknown.length === 1 ? '' : 's'} ` +
        `(${which.join('; ')}): their logs cannot tell the TLS version of some traffic; --allow-unknown accepts that`,
    );
  }
  return out;
}

/** Bad lines per 100 lines read, over every file in the database (bad lines carry no date: no window). */
export function badLinePercentStored(db: Db): { lines: number; badLines: number; percent: number } {
  const r = db
    .prepare<[], { lines: number | null; bad: number | null }>(
      `SELECT sum(lines) AS lines, sum(bad_lines) AS bad FROM files WHERE status = 'read'`,
    )
    .get();
  return percentOf(r?.lines ?? 0, r?.bad ?? 0);
}

export function percentOf(lines: number, badLines: number): { lines: number; badLines: number; percent: number } {
  return { lines, badLines, percent: lines === 0 ? 0 : (100 * badLines) / lines };
}
