// Runs a command that writes the database (scan, merge, prune, rename-server) under the scan lock and a run record:
// lock, 'running' row, the work, then 'done' (with the legacy clients first seen) or 'failed'; lock released.
import { Runs } from '../store/runs.js';
import type { Db } from '../store/open-database.js';
import { acquireScanLock } from '../store/scan-lock.js';
import { invalid } from './options.js';

export interface WriteRun<T> {
  readonly result: T;
  readonly runId: number;
  readonly newLegacyClients: number;
}

export async function withWriteRun<T>(
  dbPath: string,
  db: Db,
  spec: {
    command: string;
    paths: readonly string[];
    waitSeconds: number;
    /** Every day the run wrote usage rows on, when it only added and updated rows (Runs.finish). */
    writtenDays?: () => ReadonlySet<string> | undefined;
  },
  body: (runId: number) => Promise<T> | T,
): Promise<WriteRun<T>> {
  const lock = acquireScanLock(dbPath, db, spec.waitSeconds);
  try {
    const runs = new Runs(db);
    const runId = runs.start(spec.command, spec.paths, new Date());
    let result: T;
    try {
      result = await body(runId);
    } catch (err) {
      runs.finish(runId, 'failed', new Date(), (err as Error).message ?? String(err));
      throw err;
    }
    const newLegacyClients = runs.finish(runId, 'done', new Date(), null, spec.writtenDays?.());
    return { result, runId, newLegacyClients };
  } finally {
    lock.release();
  }
}

/** --wait SECONDS: how long to wait for another scan, merge or prune of the same database. */
export const WAIT_OPTION = {
  type: 'number',
  default: 0,
  describe: 'Wait up to SECONDS for another scan, merge or prune of the database (default: stop at once, exit 2)',
} as const;

export function waitSeconds(v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw invalid('--wait', 'seconds ≥ 0', v);
  }
  return v;
}
