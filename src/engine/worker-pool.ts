// A fixed set of parse workers. A job is a plain file (or a byte range of one) in one of the formats of
// worker-formats.ts, read from its stored position; its batches come back in order through `onBatch`, on the main
// thread, where they are committed. Jobs wait for a worker.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerUrl } from '../bundle-info.js';
import type { FileRecord } from '../store/store.js';
import type { FoundFile } from '../sources/walk.js';
import { KeyTable, type PackedRows, type ReceivedRows, type TupleRun } from '../aggregate/packed-rows.js';
import type { PendingSession } from '../aggregate/pending-session.js';
import type { Batch, SessionLimits } from './parse-session.js';

/** Parse a plain file from `record.consumed` to its end, or to `end` (a line start) for a byte range. */
export interface ParseJob {
  readonly kind: 'parse';
  readonly id: number;
  readonly file: FoundFile;
  readonly format: string;
  readonly record: FileRecord;
  readonly limits: SessionLimits;
  readonly end?: number;
  /** For a format whose sessions continue across files: its pending sessions as the job starts (pending-sessions.ts). */
  readonly pending?: readonly (readonly [string, PendingSession])[];
  /**
   * The chain of files (FormatDef.sessionChain) the file is read in. With `pending`, the worker keeps the sessions as
   * this job leaves them for the chain's next file; without, the job starts from those the chain's previous job (on
   * this worker, just before it) left, and fails when that job did.
   */
  readonly chain?: string;
}

/** List the directive lines ("#…") of the byte range [start, end), both line starts. */
export interface DirectivesJob {
  readonly kind: 'directives';
  readonly id: number;
  readonly file: FoundFile;
  readonly start: number;
  readonly end: number;
}

export type WorkerJob = ParseJob | DirectivesJob;

/** The main thread has taken a batch of job `id` off the queue: the worker may send more (see parse-worker.ts). */
export interface BatchAck {
  readonly kind: 'ack';
  readonly id: number;
}

/** The chain's files go to another worker from now on: the sessions its last job here left are dropped. */
export interface ChainMoved {
  readonly kind: 'drop';
  readonly chain: string;
}

export interface Directive {
  readonly offset: number;
  readonly text: string;
}

export type WorkerReply =
  /** A batch whose usage rows travel packed (packed-rows.ts): `batch.rows` is empty. */
  | { readonly id: number; readonly kind: 'batch'; readonly batch: Batch; readonly rows: PackedRows }
  /** New tuples of the batch that follows, sent ahead in runs of bounded size (packed-rows.ts, splitTuples). */
  | { readonly id: number; readonly kind: 'tuples'; readonly run: TupleRun }
  | { readonly id: number; readonly kind: 'directives'; readonly list: Directive[] }
  | { readonly id: number; readonly kind: 'tick'; readonly consumed: number; readonly lines: number }
  | { readonly id: number; readonly kind: 'done' }
  | { readonly id: number; readonly kind: 'error'; readonly message: string };

export interface JobHandlers {
  readonly onBatch: (batch: Batch) => void;
  readonly onTick: (consumed: number, lines: number) => void;
  /** The job has been handed to its worker (jobs of one chain are handed over in order). */
  readonly onPosted?: () => void;
}

/** The bundled worker (dist/parse-worker.mjs); under the test runner too, so `npm run build` comes first. */
const WORKER_URL = workerUrl();

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

interface Running extends JobHandlers {
  readonly onDirectives?: (list: Directive[]) => void;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
  readonly worker: Worker;
  readonly chain?: string;
}

/**
 * The young generation of a pool's workers, in MB. A worker holds at most a batch of rows of BATCH_BYTES
 * (aggregate/usage.ts) and its parser's caches, whatever the number of keys; without a cap V8 let each worker's old
 * generation grow past 130 MB of mostly dead rows before collecting (the old generation is capped at 64 MB).
 * - rows: formats read line by line (IIS, HTTP.sys, …), where memory goes with the number of keys. Capped (and a
 *   smaller young generation), the internet mix of bench/RESULTS.md peaks at 280–300 MB instead of 410–445 MB, at no
 *   measured cost in time. 6 MB rather than 8 takes the ≈1M point from 303–316 to 291–295 MB for 2–5% more time (4 MB:
 *   no less memory, slower; 12 MB: 311 MB).
 * - sessions: Exchange protocol logs (FormatDef.sharedSessions), whose sessions live across thousands of lines and
 *   whose rows are few: 12 MB took the SMTP bench from 1.73 to 1.60 s for 15 MB more (16 MB: no faster, 60 MB more).
 */
export const WORKER_YOUNG_MB = { rows: 6, sessions: 12 } as const;

/**
 * How a job finds its worker: 'own', the chain's worker if it has one (else the least loaded); 'place', the least
 * loaded, and the chain follows it; 'movable', the chain's worker, or none (see continueChain).
 */
type Placing = 'own' | 'place' | 'movable';

/** Jobs a worker holds at once: the one it parses and the next, sent ahead so that it never waits for this thread. */
const JOBS_PER_WORKER = 2;

export class ParsePool {
  /** Each worker and the number of its jobs not done yet. */
  private readonly load = new Map<Worker, number>();
  /** The tuples each worker has sent (packed-rows.ts). */
  private readonly keys = new Map<Worker, KeyTable>();
  private readonly waiting: (() => void)[] = [];
  private readonly running = new Map<number, Running>();
  /** Chain (ParseJob.chain) → the worker its jobs go to. */
  private readonly affinity = new Map<string, Worker>();
  /** The chain moving to another worker (continueChain), if any: one at a time, so that two do not go to one idle worker. */
  private moving: string | null = null;
  private nextId = 1;

  /** `youngMb`: each worker's young generation (WORKER_YOUNG_MB). */
  constructor(readonly size: number, private readonly youngMb: number = WORKER_YOUNG_MB.rows) {
    for (let i = 0; i < size; i++) this.spawn();
  }

  private spawn(): void {
    const w = new Worker(WORKER_URL, { resourceLimits: { maxYoungGenerationSizeMb: this.youngMb, maxOldGenerationSizeMb: 64 } });
    const keys = new KeyTable();
    this.keys.set(w, keys);
    w.on('message', (m: WorkerReply) => {
      if (m.kind === 'tuples') keys.take(m.run);
      else this.reply(w, m, m.kind === 'batch' ? keys.receive(m.rows) : undefined);
    });
    w.on('error', (err) => this.fail(w, err));
    this.load.set(w, 0);
    this.wake();
  }

  /**
   * Parses one file (or range) on a worker; resolves when its last batch has been handed to `onBatch`. A job of a
   * chain (`job.chain`) with its `pending` sessions goes to the worker with the fewest jobs, and the chain's next jobs
   * (continueChain) follow it there.
   */
  async run(job: Omit<ParseJob, 'id' | 'kind'>, handlers: JobHandlers): Promise<void> {
    await this.submit({ ...job, kind: 'parse' }, handlers, job.chain, job.pending === undefined ? 'own' : 'place');
  }

  /**
   * The next job of a chain, without `pending`: it starts on the chain's worker from the sessions the chain's previous
   * job leaves there. Resolves true once its last batch has been handed to `onBatch`; false, without running it, when
   * the chain should move: its worker has as many jobs as it takes and another worker has none (a worker that ran out
   * of chains would otherwise idle until the end while the other reads two chains in turn). The caller then runs it
   * with `run` and the sessions as stored once the previous job has been committed, and calls `moved`.
   */
  continueChain(job: Omit<ParseJob, 'id' | 'kind' | 'pending'> & { readonly chain: string }, handlers: JobHandlers): Promise<boolean> {
    return this.submit({ ...job, kind: 'parse' }, handlers, job.chain, 'movable');
  }

  /** The chain's move (continueChain resolving false) is over, run or failed: another chain may move. */
  moved(chain: string): void {
    if (this.moving === chain) this.moving = null;
  }

  /** The directive lines of a byte range, read on a worker. */
  async directives(file: FoundFile, start: number, end: number): Promise<Directive[]> {
    let list: Directive[] = [];
    const ignore = (): void => undefined;
    await this.submit({ kind: 'directives', file, start, end }, { onBatch: ignore, onTick: ignore, onDirectives: (l) => (list = l) });
    return list;
  }

  /**
   * Where a job goes: the chain's own worker, if it has one ('own', 'movable'), or the worker with the fewest jobs;
   * undefined while none can take another; 'move' when a chain's job should move (continueChain).
   */
  private place(chain: string | undefined, mode: Placing): Worker | 'move' | undefined {
    const own = chain === undefined || mode === 'place' ? undefined : this.affinity.get(chain);
    if (own === undefined) return this.leastLoaded();
    if ((this.load.get(own) ?? JOBS_PER_WORKER) < JOBS_PER_WORKER) return own;
    if (mode === 'movable' && this.moving === null && [...this.load.values()].includes(0) && this.shared(own, chain as string)) {
      this.moving = chain as string;
      return 'move';
    }
    return undefined;
  }

  /** The worker holds a job of another chain than `chain` (or of none): moving `chain` elsewhere lets both run at once. */
  private shared(worker: Worker, chain: string): boolean {
    for (const job of this.running.values()) if (job.worker === worker && job.chain !== chain) return true;
    return false;
  }

  /** The worker with the fewest jobs, if it can take another. */
  private leastLoaded(): Worker | undefined {
    let best: Worker | undefined;
    let fewest = JOBS_PER_WORKER;
    for (const [w, n] of this.load) {
      if (n < fewest) {
        best = w;
        fewest = n;
      }
    }
    return best;
  }

  /** Resolves true once the job is done; false when it was not run: a chain's job to move (see place). */
  private async submit(
    job: Omit<ParseJob, 'id'> | Omit<DirectivesJob, 'id'>,
    handlers: JobHandlers & { onDirectives?: (list: Directive[]) => void },
    chain?: string,
    mode: Placing = 'own',
  ): Promise<boolean> {
    let worker = this.place(chain, mode);
    while (worker === undefined) {
      await new Promise<void>((r) => this.waiting.push(r));
      worker = this.place(chain, mode);
    }
    if (worker === 'move') return false;
    const w = worker;
    if (chain !== undefined) {
      const before = this.affinity.get(chain);
      if (before !== undefined && before !== w) before.postMessage({ kind: 'drop', chain } satisfies ChainMoved);
      this.affinity.set(chain, w);
      this.moved(chain);
    }
    this.load.set(w, (this.load.get(w) ?? 0) + 1);
    const id = this.nextId++;
    await new Promise<void>((resolve, reject) => {
      this.running.set(id, { ...handlers, resolve, reject, worker: w, chain });
      w.postMessage({ ...job, id } as WorkerJob);
      handlers.onPosted?.();
    });
    return true;
  }

  /** A worker can take a job: every waiting job looks again, in the order they came (one may need another worker). */
  private wake(): void {
    for (const r of this.waiting.splice(0)) r();
  }

  async close(): Promise<void> {
    await Promise.all([...this.load.keys()].map((w) => w.terminate()));
  }

  /** `packed`: a batch's rows, received (their new tuples recorded) even when the job is gone. */
  private reply(from: Worker, m: Exclude<WorkerReply, { kind: 'tuples' }>, packed: ReceivedRows | undefined): void {
    const job = this.running.get(m.id);
    if (job === undefined) {
      // a batch of a job that failed committing: not committed, but taken (the worker waits for its acks)
      if (m.kind === 'batch') from.postMessage({ kind: 'ack', id: m.id } satisfies BatchAck);
      return;
    }
    try {
      if (m.kind === 'batch') {
        try {
          return job.onBatch({ ...m.batch, packed });
        } finally {
          job.worker.postMessage({ kind: 'ack', id: m.id } satisfies BatchAck); // also after a failed commit
        }
      }
      if (m.kind === 'tick') return job.onTick(m.consumed, m.lines);
      if (m.kind === 'directives') return job.onDirectives?.(m.list);
    } catch (err) {
      // A commit failed: the job is lost for this scan (its committed batches stand); the worker goes on.
      this.finish(m.id, job);
      return job.reject(err as Error);
    }
    this.finish(m.id, job);
    if (m.kind === 'done') job.resolve();
    else job.reject(new Error(m.message));
  }

  private finish(id: number, job: Running): void {
    if (!this.running.delete(id)) return;
    const n = this.load.get(job.worker);
    if (n !== undefined) this.load.set(job.worker, n - 1);
    this.wake();
  }

  /** A worker died (out of memory, a bug): its jobs fail, a fresh worker takes its place. */
  private fail(worker: Worker, err: Error): void {
    this.load.delete(worker);
    this.keys.delete(worker);
    for (const [chain, w] of this.affinity) if (w === worker) this.affinity.delete(chain);
    const lost = [...this.running].filter(([, job]) => job.worker === worker);
    for (const [id] of lost) this.running.delete(id);
    this.spawn();
    for (const [, job] of lost) job.reject(err);
  }
}
