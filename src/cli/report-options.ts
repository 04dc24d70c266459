// Report flags → a FilterSpec, validated once: --since/--until dates, --days, --server/--source lists, --top.
// Messages name the flag, what it expects and what it got; nothing here touches the database.
import type { FilterSpec } from '../report/filter.js';
import { invalid, positiveInt } from './options.js';

export interface ReportFlags {
  since?: string;
  until?: string;
  days?: number;
  server?: string[];
  source?: string[];
  top?: number;
}

/** "2024-03-11", or an ISO date-time ("2024-03-11T08:00:00Z", "…+02:00") taken as its UTC day. */
export function parseDay(flag: string, value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : '';
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  const ok = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(day) && !Number.isNaN(Date.parse(day));
  if (!ok) throw invalid(flag, 'a date YYYY-MM-DD or an ISO date-time', value);
  const iso = new Date(Date.parse(day)).toISOString();
  // Date.parse rolls 2024-02-31 over to March: a date that does not round-trip is not a date.
  if (/^\d{4}-\d{2}-\d{2}$/.test(text) && iso.slice(0, 10) !== text) throw invalid(flag, 'a real calendar date', value);
  return iso.slice(0, 10);
}

/** Repeatable flags that also take comma lists: --server EXCH01,EXCH02 --server EXCH03. */
export function nameList(flag: string, values: readonly string[] | undefined): string[] {
  const names = (values ?? []).flatMap((v) => String(v).split(',')).map((v) => v.trim());
  if (names.some((n) => n === '')) throw invalid(flag, 'names separated by commas', (values ?? []).join(','));
  return names;
}

export function filterSpec(f: ReportFlags): FilterSpec {
  if (f.days !== undefined && (f.since !== undefined || f.until !== undefined)) {
    throw invalid('--days', 'no --since or --until with it (it counts back from the newest day stored)', f.days);
  }
  const since = f.since === undefined ? undefined : parseDay('--since', f.since);
  const until = f.until === undefined ? undefined : parseDay('--until', f.until);
  if (since !== undefined && until !== undefined && since > until) {
    throw invalid('--until', `a day on or after --since ${since}`, f.until);
  }
  return {
    since,
    until,
    days: f.days === undefined ? undefined : positiveInt('--days', f.days),
    servers: nameList('--server', f.server),
    sources: nameList('--source', f.source),
  };
}

/** yargs builder options shared by every command that reads a report window. */
export const FILTER_OPTIONS = {
  since: { type: 'string', describe: 'First day of the window (YYYY-MM-DD, UTC)' },
  until: { type: 'string', describe: 'Last day of the window (YYYY-MM-DD, UTC)' },
  days: { type: 'number', describe: 'The last N days of data, counted back from the newest log event stored' },
  server: { type: 'string', array: true, describe: 'Only these servers (repeat or comma-separate)' },
  source: { type: 'string', array: true, describe: 'Only these sources (iis, …)' },
} as const;

const forThresholds = (describe: string): string =>
  `${describe}: the window --fail-on-legacy looks at (the scan still reads every path; its summary shows all data)`;

/** The same flags on `scan`, where they only choose the window of the thresholds: their help says so. */
export const THRESHOLD_FILTER_OPTIONS = {
  since: { ...FILTER_OPTIONS.since, describe: forThresholds(FILTER_OPTIONS.since.describe) },
  until: { ...FILTER_OPTIONS.until, describe: forThresholds(FILTER_OPTIONS.until.describe) },
  days: { ...FILTER_OPTIONS.days, describe: forThresholds(FILTER_OPTIONS.days.describe) },
  server: { ...FILTER_OPTIONS.server, describe: forThresholds(FILTER_OPTIONS.server.describe) },
  source: { ...FILTER_OPTIONS.source, describe: forThresholds(FILTER_OPTIONS.source.describe) },
} as const;
