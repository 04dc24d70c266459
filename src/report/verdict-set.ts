// The verdicts of a window in one read: per source/server/site, per machine, and the tally of legacy hits by share
// (real clients, the server's own traffic, noise, known exceptions). Reports and thresholds both read them here, so
// what --fail-on-legacy counts is what the verdicts count.
import { matcherOf, type ExceptionMatcher, type KnownException } from '../exceptions/exceptions.js';
import type { Db } from '../store/open-database.js';
import { readVerdicts } from './breakdowns.js';
import type { ReportFilter } from './filter.js';
import { LegacyWindow } from './legacy-query.js';
import { DEFAULT_MIN_DAYS, machineVerdicts, readMachineDays } from './machine-verdict.js';
import type { LegacyTally, MachineVerdict, SiteVerdict } from './model.js';

export interface VerdictSet {
  readonly verdicts: readonly SiteVerdict[];
  readonly machines: readonly MachineVerdict[];
  readonly tally: LegacyTally;
}

/** From a window already open (the summary reads its legacy clients from the same one). */
export function verdictsOf(db: Db, filter: ReportFilter, window: LegacyWindow, match: ExceptionMatcher | null, minDays?: number): VerdictSet {
  const { sites, tally } = window.sites(match);
  const verdicts = readVerdicts(db, filter, sites);
  return { verdicts, machines: machineVerdicts(verdicts, readMachineDays(db, filter), minDays ?? DEFAULT_MIN_DAYS), tally };
}

/** Opens the window, reads the verdicts with the exceptions in force, closes it. */
export function readVerdictSet(db: Db, filter: ReportFilter, exceptions: readonly KnownException[], minDays?: number): VerdictSet {
  const window = LegacyWindow.open(db, filter);
  try {
    return verdictsOf(db, filter, window, exceptions.length > 0 ? matcherOf(exceptions) : null, minDays);
  } finally {
    window.close();
  }
}
