// The nightly flags shared by `scan` and `report` (--fail-on-legacy [N], --fail-on-bad-lines PERCENT,
// --exceptions FILE, --stale-days N) → validated options. The verdict they ask for is report/threshold-verdict.ts.
import { DEFAULT_MIN_DAYS } from '../report/machine-verdict.js';
import { invalid, positiveInt } from './options.js';

export interface NightlyFlags {
  'fail-on-legacy'?: number;
  'count-noise': boolean;
  'allow-unknown': boolean;
  'fail-on-bad-lines'?: number;
  exceptions?: string;
  'stale-days': number;
  'min-days': number;
}

export interface NightlyOptions {
  /** Trip when more than this many legacy hits that the verdicts count fall in the window; null: no threshold. */
  readonly failOnLegacy: number | null;
  /** --count-noise: noise counts against --fail-on-legacy too. */
  readonly countNoise: boolean;
  /** --allow-unknown: a machine whose verdict is unknown does not trip --fail-on-legacy. */
  readonly allowUnknown: boolean;
  /** Trip when more than this percentage of lines are bad; null: no threshold. */
  readonly failOnBadLines: number | null;
  readonly exceptionsFile: string | null;
  readonly staleDays: number;
  /** A machine's yes over fewer observed days says "yes, but only N days observed". */
  readonly minDays: number;
}

export const NIGHTLY_OPTIONS = {
  'fail-on-legacy': {
    type: 'number',
    describe: 'Exit 1 when more than N legacy hits (default 0) fall in the window, counting what the verdicts count: ' +
      "real clients and the servers' own components, not noise, not clients under a known exception in force; " +
      'also exit 1 when a server\'s verdict is unknown',
  },
  'count-noise': {
    type: 'boolean',
    default: false,
    describe: 'With --fail-on-legacy: count noise too (health checks, challenge-only clients, scanners)',
  },
  'allow-unknown': {
    type: 'boolean',
    default: false,
    describe: 'With --fail-on-legacy: a server whose verdict is unknown (logs that cannot tell the TLS version) does not trip it',
  },
  'fail-on-bad-lines': { type: 'number', describe: 'Exit 1 when more than PERCENT of the lines read are bad' },
  exceptions: { type: 'string', describe: 'CSV of known exceptions (match,value,expires,reason), with the stored ones' },
  'stale-days': { type: 'number', default: 7, describe: 'A legacy client not seen for N days is listed as gone' },
  'min-days': {
    type: 'number',
    default: DEFAULT_MIN_DAYS,
    describe: 'A machine verdict of yes over fewer days of data says "yes, but only N days observed"',
  },
} as const;

/** Flags whose value is optional: "--fail-on-legacy" alone (or before a path) means "--fail-on-legacy=0". */
const OPTIONAL_VALUE_FLAGS = ['--fail-on-legacy'];

export function withOptionalValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (OPTIONAL_VALUE_FLAGS.includes(a) && !/^-?\d+(\.\d+)?$/.test(argv[i + 1] ?? '')) out.push(`${a}=0`);
    else out.push(a);
  }
  return out;
}

export function nightlyOptions(f: NightlyFlags): NightlyOptions {
  const legacy = f['fail-on-legacy'];
  if (legacy !== undefined && (!Number.isInteger(legacy) || legacy < 0)) {
    throw invalid('--fail-on-legacy', 'a whole number of hits ≥ 0 (or no value for 0)', legacy);
  }
  const bad = f['fail-on-bad-lines'];
  if (bad !== undefined && (typeof bad !== 'number' || !Number.isFinite(bad) || bad < 0 || bad > 100)) {
    throw invalid('--fail-on-bad-lines', 'a percentage from 0 to 100', bad);
  }
  return {
    failOnLegacy: legacy ?? null,
    countNoise: f['count-noise'] ?? false,
    allowUnknown: f['allow-unknown'] ?? false,
    failOnBadLines: bad ?? null,
    exceptionsFile: f.exceptions ?? null,
    staleDays: positiveInt('--stale-days', f['stale-days']),
    minDays: positiveInt('--min-days', f['min-days']),
  };
}
