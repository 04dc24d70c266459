// Worker thread: parses plain log files of the formats in worker-formats.ts (or byte ranges of IIS logs) handed over
// by the ParsePool and posts their batches back, or lists a range's directive lines. It never opens the database;
// the main thread commits.
import { parentPort } from 'node:worker_threads';
import { fileChunks, fileStream, linesStartingWith } from '../sources/file-reader.js';
import { plainInput, type ScanInput } from '../sources/plain-input.js';
import { KeyIndex, packedBuffers, packRows, splitTuples } from '../aggregate/packed-rows.js';
import { PendingScope } from '../store/pending-sessions.js';
import { runSession } from './parse-session.js';
import { ThreadEngines } from './session-parser.js';
import { CHAIN_BROKEN, WORKER_FORMATS } from './worker-formats.js';
import type { BatchAck, ChainMoved, ParseJob, WorkerJob, WorkerReply } from './worker-pool.js';

/** Progress is posted at most every this many bytes. */
const TICK_BYTES = 8 << 20;

/** The engines of this thread's sessions (one IIS line engine, used by its parsers in turn). */
const engines = new ThreadEngines();
/** The tuples this thread has sent, by local id: each is sent once per epoch (packed-rows.ts). */
const keys = new KeyIndex();

const port = parentPort;
if (port === null) throw new Error('parse-worker.js runs as a worker thread');
const post = (reply: WorkerReply): void => port.postMessage(reply);
const postMoving = (reply: WorkerReply, move: ArrayBuffer[]): void => port.postMessage(reply, move);

/**
 * Chain (ParseJob.chain) → the pending sessions its last job here left: the chain's next file starts from them
 * without waiting for the main thread to commit that job and read them back. Dropped when a job of the chain fails,
 * and when the chain moves to another worker (ChainMoved).
 */
const chains = new Map<string, PendingScope>();

/**
 * Batches posted and not yet taken by the main thread. Past MAX_UNACKED the session waits at its next chunk: a
 * worker never runs further ahead of the commits than that, so memory stays bounded at any number of keys.
 */
const MAX_UNACKED = 2;
let unacked = 0;
let resume: (() => void) | null = null;
const caughtUp = (): Promise<void> | undefined =>
  unacked < MAX_UNACKED ? undefined : new Promise<void>((r) => (resume = r));

// Jobs run one after the other: the pool sends the next one before this one ends, so no time is lost between them.
let queue: Promise<void> = Promise.resolve();
port.on('message', (job: WorkerJob | BatchAck | ChainMoved) => {
  if (job.kind === 'drop') {
    const chain = job.chain;
    queue = queue.then(() => void chains.delete(chain)); // after the jobs sent before (one may still run after a failed commit)
    return;
  }
  if (job.kind === 'ack') {
    unacked--;
    if (unacked < MAX_UNACKED && resume !== null) {
      const r = resume;
      resume = null;
      r();
    }
    return;
  }
  queue = queue.then(async () => {
    try {
      if (job.kind === 'parse') await parse(job);
      else post({ id: job.id, kind: 'directives', list: linesStartingWith(job.file.path, 35, job.start, job.end) });
      post({ id: job.id, kind: 'done' });
    } catch (err) {
      post({ id: job.id, kind: 'error', message: (err as Error).message });
    }
  });
});

/** The file, cut at `end` for a byte range (the range ends just after a newline). */
function rangeInput(job: ParseJob): ScanInput {
  const whole = plainInput(job.file);
  const end = job.end;
  const chunks = (start: number): AsyncIterable<Buffer> => fileChunks(job.file.path, start, end);
  if (end === undefined) return { ...whole, chunks };
  return {
    ...whole,
    size: end,
    open: async (start) => fileStream(job.file.path, start, end),
    chunks,
  };
}

async function parse(job: ParseJob): Promise<void> {
  const format = WORKER_FORMATS.get(job.format);
  if (format === undefined) throw new Error(`unknown format ${job.format}`);
  // the format's sessions left open by earlier files: as the main thread had them when the job started, or as the
  // chain's previous job here left them
  const pending = job.pending !== undefined ? new PendingScope(format.name, () => new Map(job.pending))
    : job.chain !== undefined ? chains.get(job.chain) : undefined;
  if (job.chain !== undefined) {
    if (pending === undefined) throw new Error(CHAIN_BROKEN);
    chains.delete(job.chain); // until this job has read the whole file
  }
  let lastTick = job.record.consumed;
  await runSession(
    rangeInput(job),
    format,
    job.record,
    job.limits,
    (batch) => {
      const { runs, rows } = splitTuples(packRows(batch.rows, keys));
      for (const run of runs) post({ id: job.id, kind: 'tuples', run });
      unacked++;
      // the ids' and counters' buffers move to the main thread instead of being copied
      postMoving({ id: job.id, kind: 'batch', batch: { ...batch, rows: [] }, rows }, packedBuffers(rows));
    },
    (consumed, lines) => {
      if (consumed - lastTick >= TICK_BYTES) {
        lastTick = consumed;
        post({ id: job.id, kind: 'tick', consumed, lines });
      }
      return caughtUp();
    },
    pending,
    undefined,
    engines,
  );
  if (job.chain !== undefined && pending !== undefined) chains.set(job.chain, pending);
}
