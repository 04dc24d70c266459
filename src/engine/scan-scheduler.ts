// Where an input is read: in this thread, on a parse worker, or cut into byte ranges read by several workers at
// once. It starts the pool on the first input worth a worker, bounds the jobs under way, keeps the files of a format
// whose sessions continue across files (Exchange SMTP, POP3/IMAP4) one at a time and in order, and knows which stored
// files are being read (another path to the same content waits for them). The batches go to the committer.
import { pendingTable } from '../store/pending-sessions.js';
import type { ScanOptions } from './scan-options.js';
import type { ReadTarget, ScanCommitter, Tick } from './scan-commit.js';
import { readInput, sessionLimits } from './read-input.js';
import { ThreadEngines } from './session-parser.js';
import { planRanges, RangeSequencer, SPLIT_BYTES } from './split-file.js';
import { WORKER_FORMATS } from './worker-formats.js';
import { ParsePool } from './worker-pool.js';

/** Plain logs with less than this left to read are parsed in the main thread (a worker's start costs ~0.1 s). */
export const WORKER_MIN_BYTES = 4 << 20;

/**
 * A format whose files are read one at a time (sessions shared across files) gets a worker only from this many
 * workers on: with two, the main thread reads such files as fast while the workers read IIS logs (bench/RESULTS.md,
 * smtp-receive: a worker added CPU time and no speed).
 */
export const SHARED_SESSIONS_MIN_JOBS = 3;

export class ScanScheduler {
  /** Started on the first file worth a worker: a re-scan that finds nothing new starts none. */
  private pool: ParsePool | null = null;
  private readonly inflight = new Set<Promise<void>>();
  /** Stored file id → the job reading it. */
  private readonly busy = new Map<number, Promise<void>>();
  /** Format → its last job on a worker, for formats with sessions shared across files: the next file waits for it. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly jobs: number;
  /** The engines of the sessions read in this thread. */
  private readonly engines = new ThreadEngines();

  constructor(
    private readonly opts: ScanOptions,
    private readonly committer: ScanCommitter,
  ) {
    this.jobs = opts.jobs ?? 1;
  }

  /** The job reading the stored file `id` right now, if any. */
  running(id: number): Promise<void> | undefined {
    return this.busy.get(id);
  }

  /** Reads the input: inline it is done when this resolves; on workers, once it is queued. */
  async schedule(target: ReadTarget, tick: Tick): Promise<void> {
    const { opts, committer } = this;
    const { input, format, record } = target;
    const left = (input.size ?? 0) - record.consumed;
    const file = input.plain;
    const shared = format.sharedSessions === true;
    const worthWorker = this.jobs >= (shared ? SHARED_SESSIONS_MIN_JOBS : 2) && file !== undefined &&
      WORKER_FORMATS.has(format.name) && left >= (opts.workerMinBytes ?? WORKER_MIN_BYTES);
    if (!worthWorker || file === undefined) {
      if (shared) await this.chains.get(format.name); // its earlier files first, and their sessions
      return readInput(committer.store, opts, target, committer.batches(target, tick), this.engines);
    }
    const pool = (this.pool ??= new ParsePool(this.jobs));
    // One job waiting per worker besides the one it runs: a worker that finishes starts the next file at once,
    // without waiting for this thread to identify it.
    while (this.inflight.size >= 2 * pool.size) await Promise.race(this.inflight);
    const { commit, progress } = committer.batches(target, tick);
    const limits = sessionLimits(opts);
    let parts: Promise<unknown>;
    if (shared) {
      // After the format's previous file has been committed, with its pending sessions as they then are; once read,
      // the sessions in this thread are stale (the worker changed them) and are read from the database again.
      const pending = pendingTable(committer.store);
      const run = async (): Promise<void> => {
        const sessions = pending.scope(format.name).entries();
        try {
          await pool.run({ file, format: format.name, record, limits, pending: sessions }, { onBatch: commit, onTick: progress });
        } finally {
          pending.forget(format.name);
        }
      };
      const job = (this.chains.get(format.name) ?? Promise.resolve()).then(run);
      this.chains.set(format.name, job.catch(() => undefined));
      parts = job;
    } else {
      const ranges = await planRanges(file, record, format, pool, opts.fieldMap, opts.splitBytes ?? SPLIT_BYTES).catch(() => null);
      if (ranges === null) {
        parts = pool.run({ file, format: format.name, record, limits }, { onBatch: commit, onTick: progress });
      } else {
        const order = new RangeSequencer(ranges.length, commit);
        parts = Promise.all(
          ranges.map((r, i) => {
            const part = i === 0 ? record : { ...record, consumed: r.start, lines: 0, records: 0, badLines: 0, tailHash: null, state: r.state };
            return pool.run(
              { file, format: format.name, record: part, limits, end: r.end },
              { onBatch: (b) => order.push(i, b), onTick: i === 0 ? progress : () => undefined }, // later ranges run ahead
            );
          }),
        );
      }
    }
    const job: Promise<void> = parts
      // While the workers parse, this thread is mostly idle: classify the user agents seen so far now rather than
      // all at the end of the scan.
      .then(() => committer.classify())
      .catch((err: unknown) => committer.failed(input.path, `cannot read: ${(err as Error).message}`, input.size ?? 0))
      .finally(() => {
        this.inflight.delete(job);
        this.busy.delete(record.id);
      });
    this.inflight.add(job);
    this.busy.set(record.id, job);
  }

  /** Waits for every job under way, then stops the workers. */
  async finish(): Promise<void> {
    try {
      await Promise.all(this.inflight);
    } finally {
      await this.pool?.close();
    }
  }
}
