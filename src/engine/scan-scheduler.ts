// Where an input is read: in this thread, on a parse worker, or cut into byte ranges read by several workers at
// once. It starts a pool on the first input worth a worker (one for formats read line by line, one for those whose
// sessions span files: their workers' heaps differ), bounds the jobs under way, keeps the files of a session
// chain (FormatDef.sessionChain: Exchange SMTP, POP3/IMAP4) one at a time and in order (on a worker, one after the
// other on the same worker, each starting from the sessions the one before left there; a chain moves to a worker that
// ran out of work from its sessions as committed), and knows which stored files
// are being read (another path to the same content waits for them). The batches go to the committer.
import type { FormatDef } from '../formats/types.js';
import type { ScanInput } from '../sources/plain-input.js';
import { pendingTable } from '../store/pending-sessions.js';
import type { ScanOptions } from './scan-options.js';
import type { ReadTarget, ScanCommitter, Tick } from './scan-commit.js';
import type { Batch } from './parse-session.js';
import { readInput, sessionLimits } from './read-input.js';
import { wholeHeadLines } from './sniff.js';
import { ThreadEngines } from './session-parser.js';
import { planRanges, RangeSequencer, SPLIT_BYTES } from './split-file.js';
import { CHAIN_BROKEN, WORKER_FORMATS } from './worker-formats.js';
import { ParsePool, WORKER_YOUNG_MB } from './worker-pool.js';

/** Plain logs with less than this left to read are parsed in the main thread (a worker's start costs ~0.1 s). */
export const WORKER_MIN_BYTES = 4 << 20;

/**
 * A format whose files are read in chains (sessions shared across files) gets workers from this many on: two servers'
 * SMTP Receive logs are two chains read at once (bench/RESULTS.md, smtp-receive).
 */
export const SHARED_SESSIONS_MIN_JOBS = 2;

/**
 * Files queued behind their chains at most (each holds its record and a few closures, ~1 KiB): enough to reach the
 * next server's logs while the first server's chain runs (a month of hourly files of one kind is 720), bounded
 * whatever the folder holds.
 */
export const MAX_CHAINED = 2048;

export class ScanScheduler {
  /**
   * Workers for formats read line by line, and for those whose sessions span files (WORKER_YOUNG_MB), each started on
   * the first file worth one: a re-scan that finds nothing new starts none.
   */
  private pool: ParsePool | null = null;
  private sessionPool: ParsePool | null = null;
  private readonly inflight = new Set<Promise<void>>();
  /** Jobs of files with sessions shared across files, queued behind their chain. */
  private readonly chained = new Set<Promise<void>>();
  /** Stored file id → the job reading it. */
  private readonly busy = new Map<number, Promise<void>>();
  /**
   * For formats with sessions shared across files: chain (format and FormatDef.sessionChain) → its last job on a
   * worker, which the chain's next file waits for; and format → its last file of no known chain, which waits for
   * every chain of the format and which every later file of the format waits for.
   */
  private readonly chains = new Map<string, Map<string, Promise<void>>>();
  private readonly barriers = new Map<string, Promise<void>>();
  /**
   * Format → chain → its last job on a worker: the chain's next file goes to the same worker as soon as that job has
   * been handed over, and starts from the sessions it leaves there (ParseJob.chain) instead of waiting for its commit.
   */
  private readonly onWorker = new Map<string, Map<string, ChainJob>>();
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

  /** Whether an input with `left` bytes to read goes to a parse worker. */
  private toWorker(input: ScanInput, format: FormatDef, left: number): boolean {
    const shared = format.sharedSessions === true;
    return this.jobs >= (shared ? SHARED_SESSIONS_MIN_JOBS : 2) && input.plain !== undefined &&
      WORKER_FORMATS.has(format.name) && left >= (this.opts.workerMinBytes ?? WORKER_MIN_BYTES);
  }

  /**
   * Read in this thread, a plain file of a format that reads nothing from the database: its record may be made and its
   * last commit written with other files' later (store/held-commits.ts).
   */
  holdable(input: ScanInput, format: FormatDef, left: number): boolean {
    return !this.toWorker(input, format, left) && input.plain !== undefined && format.sharedSessions !== true &&
      WORKER_FORMATS.has(format.name);
  }

  /** Reads the input: inline it is done when this resolves; on workers, once it is queued. */
  async schedule(target: ReadTarget, tick: Tick): Promise<void> {
    const { opts, committer } = this;
    const { input, format, record } = target;
    const left = (input.size ?? 0) - record.consumed;
    const file = input.plain;
    const shared = format.sharedSessions === true;
    const chain = shared && format.sessionChain ? format.sessionChain(wholeHeadLines(target.head)) : null;
    if (!this.toWorker(input, format, left) || file === undefined) {
      if (shared) {
        await this.after(format.name, chain); // its earlier files first, and their sessions
        this.chainJobs(format.name, chain)?.delete(chain as string); // read here: the chain's next file starts afresh
      }
      const holdable = this.holdable(input, format, left);
      return readInput(committer.store, opts, target, committer.batches(target, tick, holdable), this.engines);
    }
    const pool = shared
      ? (this.sessionPool ??= new ParsePool(this.jobs, WORKER_YOUNG_MB.sessions))
      : (this.pool ??= new ParsePool(this.jobs));
    // One job waiting per worker besides the one it runs: a worker that finishes starts the next file at once,
    // without waiting for this thread to identify it. Files of a chain wait for the chain, not for this bound: the
    // next server's files must be queued while the first server's chain still runs (then both run at once).
    while (!shared && this.inflight.size >= 2 * pool.size) await Promise.race(this.inflight);
    while (shared && this.chained.size >= (opts.maxChained ?? MAX_CHAINED)) await Promise.race(this.chained);
    const { commit, progress } = committer.batches(target, tick);
    const limits = sessionLimits(opts);
    let parts: Promise<unknown>;
    if (shared) {
      // Once read, the sessions in this thread are stale (the worker changed them) and are read from the database again.
      const pending = pendingTable(committer.store);
      const jobs = this.chainJobs(format.name, chain);
      const prev = jobs?.get(chain as string);
      const token = chain === null ? undefined : `${format.name}\u0000${chain}`;
      const self = new ChainJob();
      let job: Promise<void>;
      // the file's sessions as stored once the format's (or the chain's) previous file has been committed
      const fromStore = async (): Promise<void> => {
        const sessions = pending.scope(format.name).entries();
        try {
          await pool.run(
            { file, format: format.name, record, limits, pending: sessions, chain: token },
            { onBatch: commit, onTick: progress, onPosted: self.handed },
          );
        } finally {
          pending.forget(format.name);
        }
      };
      if (prev !== undefined && !prev.failed && token !== undefined) {
        // the chain's next file: on the same worker, right after the previous one, from the sessions it leaves there.
        // Its batches commit after that job's (one worker, in order); if that job fails, so does this one.
        const onBatch = (b: Batch): void => {
          if (prev.failed) throw new Error(CHAIN_BROKEN);
          commit(b);
        };
        job = prev.posted
          .then(async () => {
            const ran = await pool.continueChain({ file, format: format.name, record, limits, chain: token }, { onBatch, onTick: progress, onPosted: self.handed });
            if (ran) return;
            opts.onChainMove?.(chain as string);
            // the chain moves to a worker that ran out of work: from its sessions as stored once that job is committed
            try {
              await prev.settled;
              if (prev.failed) throw new Error(CHAIN_BROKEN);
              await fromStore();
            } finally {
              pool.moved(token);
            }
          })
          .finally(() => pending.forget(format.name));
      } else {
        // after the format's previous file has been committed, with its pending sessions as they then are
        job = this.after(format.name, chain).then(fromStore);
      }
      job.catch(() => self.fail());
      self.settled = job.then(() => undefined, () => undefined); // after `failed` is set
      if (jobs !== undefined) jobs.set(chain as string, self);
      this.link(format.name, chain, job.catch(() => undefined));
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
      // all at the end of the scan. On a later turn of the event loop: the next file of a chain, which waits for this
      // one, goes to its worker first (classifying can take tens of milliseconds the worker would spend waiting).
      .then(laterTurn)
      .then(() => committer.classify())
      .catch((err: unknown) => committer.failed(input.path, `cannot read: ${(err as Error).message}`, input.size ?? 0))
      .finally(() => {
        this.inflight.delete(job);
        this.chained.delete(job);
        this.busy.delete(record.id);
      });
    (shared ? this.chained : this.inflight).add(job);
    this.busy.set(record.id, job);
  }

  /** What a file with sessions shared across files waits for: its chain's last file, or every earlier file. */
  private after(format: string, chain: string | null): Promise<unknown> {
    const chains = this.chains.get(format);
    const barrier = this.barriers.get(format) ?? Promise.resolve();
    if (chain !== null) return chains?.get(chain) ?? barrier;
    return Promise.all([barrier, ...(chains?.values() ?? [])]);
  }

  /** The format's chains' last jobs on a worker; undefined for a file of no known chain. */
  private chainJobs(format: string, chain: string | null): Map<string, ChainJob> | undefined {
    if (chain === null) return undefined;
    let jobs = this.onWorker.get(format);
    if (jobs === undefined) this.onWorker.set(format, (jobs = new Map()));
    return jobs;
  }

  /** `job` is now the last file of its chain (or, of no known chain, what every later file waits for). */
  private link(format: string, chain: string | null, job: Promise<void>): void {
    let chains = this.chains.get(format);
    if (chain === null) {
      this.barriers.set(format, job);
      chains?.clear(); // the barrier waits for them; later files wait for it
      this.onWorker.get(format)?.clear(); // and start afresh after it
      return;
    }
    if (chains === undefined) this.chains.set(format, (chains = new Map()));
    chains.set(chain, job);
  }

  /** Waits for every job under way, then stops the workers. */
  async finish(): Promise<void> {
    try {
      await Promise.all([...this.inflight, ...this.chained]);
    } finally {
      await Promise.all([this.pool?.close(), this.sessionPool?.close()]);
    }
  }
}

/** A job of a chain on a worker, as the chain's next file sees it. */
class ChainJob {
  /** Handed to its worker (or failed before). */
  readonly posted: Promise<void>;
  readonly handed: () => void;
  /** Done: committed, or failed. */
  settled: Promise<void> = Promise.resolve();
  /** It failed (on its worker, or committing): the chain's next file cannot start from what it leaves. */
  failed = false;

  constructor() {
    let handed = (): void => undefined;
    this.posted = new Promise<void>((resolve) => (handed = resolve));
    this.handed = handed;
  }

  fail(): void {
    this.failed = true;
    this.handed();
  }
}

/** Resolves on a later turn of the event loop, after the jobs that promise reactions have started. */
function laterTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
