// Worker thread: parses plain log files handed over by the ParsePool and posts their batches back.
// It never opens the database; the main thread commits each batch with its checkpoint.
import { parentPort } from 'node:worker_threads';
import { formatByName } from '../formats/index.js';
import { plainInput } from '../sources/inputs.js';
import { runSession } from './parse-session.js';
import type { WorkerReply, WorkerJob } from './worker-pool.js';

/** Progress is posted at most every this many bytes. */
const TICK_BYTES = 8 << 20;

const port = parentPort;
if (port === null) throw new Error('parse-worker.js runs as a worker thread');

port.on('message', (job: WorkerJob) => {
  void run(job);
});

async function run(job: WorkerJob): Promise<void> {
  const post = (reply: WorkerReply): void => port?.postMessage(reply);
  try {
    const format = formatByName(job.format);
    if (format === undefined) throw new Error(`unknown format ${job.format}`);
    const input = plainInput(job.file);
    let lastTick = job.record.consumed;
    await runSession(
      input,
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
    post({ id: job.id, kind: 'done' });
  } catch (err) {
    post({ id: job.id, kind: 'error', message: (err as Error).message });
  }
}
