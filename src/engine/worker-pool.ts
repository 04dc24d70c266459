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
   * Parses one file (or range) on a worker; resolves when its last batch has been handed to `onBatch`. The jobs of a
   * chain (`job.chain`) all go to the worker that took its first.
   */
  run(job: Omit<ParseJob, 'id' | 'kind'>, handlers: JobHandlers): Promise<void> {
    return this.submit({ ...job, kind: 'parse' }, handlers, job.chain);
  }

  /** The directive lines of a byte range, read on a worker. */
  async directives(file: FoundFile, start: number, end: number): Promise<Directive[]> {
    let list: Directive[] = [];
    const ignore = (): void => undefined;
    await this.submit({ kind: 'directives', file, start, end }, { onBatch: ignore, onTick: ignore, onDirectives: (l) => (list = l) });
    return list;
  }

  /** The worker with the fewest jobs (the chain's own worker, if it has one), if it can take another. */
  private leastLoaded(chain?: string): Worker | undefined {
    const own = chain === undefined ? undefined : this.affinity.get(chain);
    if (own !== undefined) return (this.load.get(own) ?? JOBS_PER_WORKER) < JOBS_PER_WORKER ? own : undefined;
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

  private async submit(
    job: Omit<ParseJob, 'id'> | Omit<DirectivesJob, 'id'>,
    handlers: JobHandlers & { onDirectives?: (list: Directive[]) => void },
    chain?: string,
  ): Promise<void> {
    let worker = this.leastLoaded(chain);
    while (worker === undefined) {
      await new Promise<void>((r) => this.waiting.push(r));
      worker = this.leastLoaded(chain);
    }
    const w = worker;
    if (chain !== undefined) this.affinity.set(chain, w);
    this.load.set(w, (this.load.get(w) ?? 0) + 1);
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.running.set(id, { ...handlers, resolve, reject, worker: w });
      w.postMessage({ ...job, id } as WorkerJob);
      handlers.onPosted?.();
    });
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
