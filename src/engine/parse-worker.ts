// Worker thread: parses plain log files (or byte ranges of them) handed over by the ParsePool and posts their
// batches back, or lists a range's directive lines. It never opens the database; the main thread commits.
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { iisW3cFormat } from '../formats/iis-w3c.js';
import { fileChunks, plainInput, type ScanInput } from '../sources/plain-input.js';
import { packRows } from '../aggregate/packed-rows.js';
import { runSession } from './parse-session.js';
import { ThreadEngines } from './session-parser.js';
import type { BatchAck, Directive, DirectivesJob, ParseJob, WorkerJob, WorkerReply } from './worker-pool.js';

/** Progress is posted at most every this many bytes. */
const TICK_BYTES = 8 << 20;
const READ_BYTES = 4 << 20;

/** The engines of this thread's sessions (one IIS line engine, used by its parsers in turn). */
const engines = new ThreadEngines();

const port = parentPort;
if (port === null) throw new Error('parse-worker.js runs as a worker thread');
const post = (reply: WorkerReply): void => port.postMessage(reply);
const postMoving = (reply: WorkerReply, move: ArrayBuffer[]): void => port.postMessage(reply, move);

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
port.on('message', (job: WorkerJob | BatchAck) => {
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
      else post({ id: job.id, kind: 'directives', list: await directives(job) });
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
    open: async (start) => createReadStream(job.file.path, { start, end: end - 1, highWaterMark: 1 << 20 }),
    chunks,
  };
}

async function parse(job: ParseJob): Promise<void> {
  // Only plain IIS logs are given to workers (scan.ts); the worker loads no other format.
  const format = job.format === iisW3cFormat.name ? iisW3cFormat : undefined;
  if (format === undefined) throw new Error(`unknown format ${job.format}`);
  let lastTick = job.record.consumed;
  await runSession(
    rangeInput(job),
    format,
    job.record,
    job.limits,
    (batch) => {
      const rows = packRows(batch.rows);
      unacked++;
      // the counters' buffer moves to the main thread instead of being copied
      postMoving({ id: job.id, kind: 'batch', batch: { ...batch, rows: [] }, rows }, [rows.cells.buffer as ArrayBuffer]);
    },
    (consumed, lines) => {
      if (consumed - lastTick >= TICK_BYTES) {
        lastTick = consumed;
        post({ id: job.id, kind: 'tick', consumed, lines });
      }
      return caughtUp();
    },
    undefined,
    undefined,
    engines,
  );
}

/**
 * Lines starting with "#" in [start, end); `start` is a line start. Only the bytes are searched, nothing parsed:
 * blocking reads into one buffer, the unfinished last line moved to its front before the next read.
 */
async function directives(job: DirectivesJob): Promise<Directive[]> {
  const out: Directive[] = [];
  const fd = openSync(job.file.path, 'r');
  try {
    const buf = Buffer.allocUnsafeSlow(READ_BYTES + (1 << 20));
    let held = 0; // bytes of an unfinished line at the front of buf
    let base = job.start; // file offset of buf[0]
    let lineStart = true; // buf[0] starts a line (not after part of an over-long line was dropped)
    for (let pos = job.start; pos < job.end; ) {
      if (held >= buf.length - (1 << 16)) {
        // a line longer than the buffer: an over-long line, never a directive anyone reads; drop what is held
        base += held;
        held = 0;
        lineStart = false;
      }
      const want = Math.min(buf.length - held, job.end - pos);
      const bytesRead = readSync(fd, buf, held, want, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      const filled = held + bytesRead;
      const last = pos >= job.end ? filled - 1 : buf.lastIndexOf(10, filled - 1);
      if (last < 0) {
        held = filled;
        continue;
      }
      for (let at = lineStart && buf[0] === 35 ? 0 : buf.indexOf('\n#'); at >= 0 && at <= last; at = buf.indexOf('\n#', at + 1)) {
        const from = at === 0 && lineStart && buf[0] === 35 ? 0 : at + 1;
        if (from > last) break; // the line after the last newline is read with the next chunk
        const nl = buf.indexOf(10, from);
        const to = nl < 0 || nl >= filled ? filled : nl;
        out.push({ offset: base + from, text: buf.toString('utf8', from, to > from && buf[to - 1] === 13 ? to - 1 : to) });
        if (nl < 0 || nl >= filled) break;
      }
      held = filled - (last + 1);
      buf.copyWithin(0, last + 1, filled);
      base += last + 1;
      lineStart = true;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}
