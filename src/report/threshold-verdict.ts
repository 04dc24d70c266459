// The nightly verdict: --fail-on-legacy and --fail-on-bad-lines applied to the window (exit code and the lines
// saying what tripped), and what changed since the previous run. Reads the database; the CLI only wires it.
import { activeExceptions } from '../exceptions/exception-store.js';
import type { Db } from '../store/open-database.js';
import { readChanges } from './changes.js';
import type { ReportFilter } from './filter.js';
import { formatChanges } from './nightly-text.js';
import { withKeyedUsage } from './keyed-usage.js';
import { num } from './strings.js';
import { legacyThresholdLines } from './thresholds.js';
import { readVerdictSet } from './verdict-set.js';

/** The thresholds asked for (null: none), as the CLI validated them. */
export interface ThresholdOptions {
  readonly failOnLegacy: number | null;
  /** Noise counts against --fail-on-legacy too. */
  readonly countNoise: boolean;
  /** A machine whose verdict is unknown does not trip --fail-on-legacy. */
  readonly allowUnknown: boolean;
  /** A machine's yes over fewer observed days says so. */
  readonly minDays: number;
  readonly failOnBadLines: number | null;
  readonly exceptionsFile: string | null;
  readonly staleDays: number;
}

export interface ThresholdVerdict {
  /** 0, or 1 when a threshold tripped. */
  readonly code: 0 | 1;
  /** One line per threshold that tripped, for stderr (printed even with --quiet). */
  readonly tripped: readonly string[];
  /** What changed since the previous run, to print after the summary (empty unless asked). */
  readonly text: string;
}

/** Applies the thresholds to the window and renders what changed since the previous run. */
export function nightlyVerdict(
  db: Db,
  opts: ThresholdOptions,
  ctx: {
    filter: ReportFilter;
    badLines: { lines: number; badLines: number; percent: number };
    now: Date;
    top: number;
    /** Render what changed since the previous run (not with --quiet). */
    text: boolean;
  },
): ThresholdVerdict {
  return withKeyedUsage(db, () => verdictOf(db, opts, ctx));
}

function verdictOf(db: Db, opts: ThresholdOptions, ctx: Parameters<typeof nightlyVerdict>[2]): ThresholdVerdict {
  const tripped: string[] = [];
  if (opts.failOnLegacy !== null) {
    const set = readVerdictSet(db, ctx.filter, activeExceptions(db, opts.exceptionsFile, ctx.now), opts.minDays);
    tripped.push(
      ...legacyThresholdLines(set, { max: opts.failOnLegacy, countNoise: opts.countNoise, allowUnknown: opts.allowUnknown }),
    );
  }
  const b = ctx.badLines;
  if (opts.failOnBadLines !== null && b.percent > opts.failOnBadLines) {
    tripped.push(
      `--fail-on-bad-lines ${opts.failOnBadLines}: ${num(b.badLines)} bad lines of ${num(b.lines)} (${b.percent.toFixed(2)}%)`,
    );
  }
  const text = ctx.text ? formatChanges(readChanges(db, { staleDays: opts.staleDays }), ctx.top) : '';
  return { code: tripped.length > 0 ? 1 : 0, tripped, text };
}
