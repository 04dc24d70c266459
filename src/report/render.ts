// One report from an open database: resolve the window, read the Summary, redact if asked, format by name.
// The CLI and the golden tests both come through here, so what is tested is what is printed.
import type { KnownException } from '../exceptions/exceptions.js';
import type { Db } from '../store/open-database.js';
import { resolveFilter, type FilterSpec } from './filter.js';
import { withKeyedUsage } from './keyed-usage.js';
import { DEFAULT_TOP, FORMATTERS, type ReportFormat } from './formatters.js';
import { redact, type Pseudonymizer } from './redact.js';
import { readSummary } from './summary.js';

export interface RenderOptions {
  readonly format: ReportFormat;
  readonly filter: FilterSpec;
  /** Legacy clients to list; undefined takes the format's default (text/markdown 20, others all). */
  readonly top?: number;
  /** Replace user names and addresses with pseudonyms from this function (see redact.ts). */
  readonly redact?: Pseudonymizer;
  /** The database as the user named it, for headings. */
  readonly db: string;
  readonly color: boolean;
  /** Known exceptions in force today (stored and --exceptions FILE): marked in reports, aside in the verdicts. */
  readonly exceptions?: readonly KnownException[];
  /** --min-days: a machine's yes over fewer observed days says so. */
  readonly minDays?: number;
}

export function renderReport(db: Db, o: RenderOptions): string {
  const filter = resolveFilter(db, o.filter);
  const summary = withKeyedUsage(db, () =>
    readSummary(db, { top: o.top ?? DEFAULT_TOP[o.format], filter, exceptions: o.exceptions, minDays: o.minDays }));
  const shown = o.redact ? redact(summary, o.redact) : summary;
  return FORMATTERS[o.format](shown, { db: o.db, color: o.color });
}
