// Where an input is read: in this thread, on a parse worker, or cut into byte ranges read by several workers at
// once. It starts the pool on the first input worth a worker, bounds the jobs under way, and knows which stored
// files are being read (another path to the same content waits for them). The batches go to the committer.
import type { ScanOptions } from './scan-options.js';
import type { ReadTarget, ScanCommitter, Tick } from './scan-commit.js';
import { readInput, sessionLimits } from './read-input.js';
import { ThreadEngines } from './session-parser.js';
import { planRanges, RangeSequencer, SPLIT_BYTES } from './split-file.js';
import { ParsePool } from './worker-pool.js';

/** Plain IIS logs with less than this left to read are parsed in the main thread (a worker's start costs ~0.1 s). */
export const WORKER_MIN_BYTES = 4 << 20;

export class ScanScheduler {
  /** Started on the first file worth a worker: a re-scan that finds nothing new starts none. */
  private pool: ParsePool | null = null;
  private readonly inflight = new Set<Promise<void>>();
  /** Stored file id → the job reading it. */
  private readonly busy = new Map<number, Promise<void>>();
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
    const worthWorker = this.jobs > 1 && file !== undefined && format.name === 'iis-w3c' &&
      left >= (opts.workerMinBytes ?? WORKER_MIN_BYTES);
    if (!worthWorker || file === undefined) return readInput(committer.store, opts, target, committer.batches(target, tick), this.engines);
    const pool = (this.pool ??= new ParsePool(this.jobs));
    // One job waiting per worker besides the one it runs: a worker that finishes starts the next file at once,
    // without waiting for this thread to identify it.
    while (this.inflight.size >= 2 * pool.size) await Promise.race(this.inflight);
    const { commit, progress } = committer.batches(target, tick);
    const limits = sessionLimits(opts);
    const ranges = await planRanges(file, record, format, pool, opts.fieldMap, opts.splitBytes ?? SPLIT_BYTES).catch(() => null);
    let parts: Promise<unknown>;
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
