// Worker thread: parses plain log files (or byte ranges of them) handed over by the ParsePool and posts their
// batches back, or lists a range's directive lines. It never opens the database; the main thread commits.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { iisW3cFormat } from '../formats/iis-w3c.js';
import { fileChunksSync, plainInput, type ScanInput } from '../sources/plain-input.js';
import { runSession } from './parse-session.js';
import type { Directive, DirectivesJob, ParseJob, WorkerJob, WorkerReply } from './worker-pool.js';

/** Progress is posted at most every this many bytes. */
const TICK_BYTES = 8 << 20;
const READ_BYTES = 4 << 20;

const port = parentPort;
if (port === null) throw new Error('parse-worker.js runs as a worker thread');
const post = (reply: WorkerReply): void => port.postMessage(reply);

// Jobs run one after the other: the pool sends the next one before this one ends, so no time is lost between them.
let queue: Promise<void> = Promise.resolve();
port.on('message', (job: WorkerJob) => {
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
  const chunks = (start: number): AsyncIterable<Buffer> => toAsync(fileChunksSync(job.file.path, start, end));
  if (end === undefined) return { ...whole, chunks };
  return {
    ...whole,
    size: end,
    open: async (start) => createReadStream(job.file.path, { start, end: end - 1, highWaterMark: 1 << 20 }),
    chunks,
  };
}

async function* toAsync(chunks: Iterable<Buffer>): AsyncGenerator<Buffer> {
  yield* chunks;
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
    (batch) => post({ id: job.id, kind: 'batch', batch }),
    (consumed, lines) => {
      if (consumed - lastTick < TICK_BYTES) return;
      lastTick = consumed;
      post({ id: job.id, kind: 'tick', consumed, lines });
    },
  );
}

/** Lines starting with "#" in [start, end); `start` is a line start. Only the bytes are searched, nothing parsed. */
async function directives(job: DirectivesJob): Promise<Directive[]> {
  const out: Directive[] = [];
  const fh = await open(job.file.path, 'r');
  try {
    let carry = Buffer.alloc(0);
    let base = job.start; // file offset of carry[0], always a line start
    for (let pos = job.start; pos < job.end; ) {
      const want = Math.min(READ_BYTES, job.end - pos);
      const chunk = Buffer.alloc(want);
      const { bytesRead } = await fh.read(chunk, 0, want, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      const buf = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      const last = pos >= job.end ? buf.length - 1 : buf.lastIndexOf(10);
      if (last < 0) {
        carry = Buffer.from(buf);
        continue;
      }
      for (let at = buf[0] === 35 ? 0 : buf.indexOf('\n#'); at >= 0 && at <= last; at = buf.indexOf('\n#', at + 1)) {
        const from = buf[at] === 35 ? at : at + 1;
        if (from > last) break; // the line after the last newline is read with the next chunk
        const nl = buf.indexOf(10, from);
        const to = nl < 0 ? buf.length : nl;
        out.push({ offset: base + from, text: buf.toString('utf8', from, to > from && buf[to - 1] === 13 ? to - 1 : to) });
        if (nl < 0) break;
      }
      carry = Buffer.from(buf.subarray(last + 1));
      base += last + 1;
    }
  } finally {
    await fh.close();
  }
  return out;
}
