// The scan: walk the paths, identify each input by content, resume it from its stored position, parse, commit in
// batches. Every batch commits the rows with the file's new position and parser state, so a killed scan resumes exactly.
import { classifyUserAgents } from '../store/classify-clients.js';
import { FORMATS } from '../formats/index.js';
import { expand, firstBytes, type ScanInput } from '../sources/inputs.js';
import { excludedFiles } from '../sources/path-rules.js';
import { checkPathsExist, walk } from '../sources/walk.js';
import { FINGERPRINT_BYTES, type FileRecord, type Store } from '../store/store.js';
import { identify, type Identity } from './identify.js';
import { pathHints } from './path-hints.js';
import { batchCommitter, readInput, sessionLimits } from './read-input.js';
import { ThreadEngines } from './session-parser.js';
import { planRanges, RangeSequencer, SPLIT_BYTES } from './split-file.js';
import { ParsePool } from './worker-pool.js';
import { HEAD_BYTES, sniff, type Sniffed } from './sniff.js';
import type { ScanOptions, ScanStats } from './scan-options.js';

export type { ScanOptions, ScanProgress, ScanStats, ServerNameUse } from './scan-options.js';

/** Reports the bytes and lines read so far from the input being read. */
type Tick = (bytes: number, lines: number) => void;


/** Plain IIS logs with less than this left to read are parsed in the main thread (a worker's start costs ~0.1 s). */
export const WORKER_MIN_BYTES = 4 << 20;

export const DEFAULT_SCAN = {
  settleMs: 120_000,
  flushRows: 50_000,
  flushLines: 2_000_000,
} as const;

/** Files walked and opened ahead of the one being scanned: a folder of small files waits less on the file system. */
const LOOKAHEAD = 8;

/**
 * The items of `source` in order, each with `start(item)` called up to `depth` items before the consumer gets to it
 * (the walk and a first read then overlap the work on earlier files). A rejected `started` promise is the consumer's
 * to handle, when it awaits it.
 */
async function* readAhead<T, U>(
  source: AsyncIterable<T>,
  depth: number,
  start: (item: T) => Promise<U> | null,
): AsyncGenerator<{ item: T; started: Promise<U> | null }> {
  const it = source[Symbol.asyncIterator]();
  const pull = async (): Promise<IteratorResult<{ item: T; started: Promise<U> | null }>> => {
    const r = await it.next();
    if (r.done === true) return { done: true, value: undefined };
    const started = start(r.value);
    started?.catch(() => undefined); // not unhandled while it waits in the queue
    return { done: false, value: { item: r.value, started } };
  };
  const queue = Array.from({ length: depth }, pull);
  try {
    for (;;) {
      const r = await (queue.shift() as (typeof queue)[number]);
      if (r.done === true) return;
      queue.push(pull());
      yield r.value;
    }
  } finally {
    await it.return?.();
  }
}

export async function scan(store: Store, opts: ScanOptions): Promise<ScanStats> {
  await checkPathsExist(opts.paths);
  const stats: ScanStats = {
    filesRead: 0, filesUnchanged: 0, filesSkipped: 0, filesFailed: 0,
    bytes: 0, lines: 0, records: 0, badLines: 0, heldBack: 0, serverNames: [],
  };
  const now = opts.now.toISOString();
  const problem = (path: string, message: string): void => {
    stats.filesFailed++;
    store.recordUnread(path, 'error', message, 0, now);
    opts.onDiagnostic?.(path, 0, 'read_error', message);
  };
  let files = 0;
  let position = 0;
  const work: Work = { jobs: opts.jobs ?? 1, pool: null, inflight: new Set(), busy: new Map(), engines: new ThreadEngines() };
  const excluded = excludedFiles(opts.exclude ?? []);
  const found$ = readAhead(walk(opts.paths, (p) => problem(p.path, p.message)), LOOKAHEAD, (f) =>
    excluded(f.path) ? null : firstBytes(f));
  for await (const { item: found, started: first } of found$) {
    if (first === null) continue; // the database itself
    const tick: Tick = (bytes, lines) =>
      opts.onProgress?.({
        files, position: position + Math.min(bytes, found.size), bytes: stats.bytes + bytes, lines: stats.lines + lines,
      });
    try {
      for await (const input of expand(found, (p) => problem(p.path, p.message), first)) {
        await scanInput(store, input, opts, stats, now, tick, work);
      }
    } catch (err) {
      problem(found.path, `cannot read: ${(err as Error).message}`);
    }
    files++;
    position += found.size;
    tick(0, 0);
  }
  try {
    await Promise.all(work.inflight);
  } finally {
    await work.pool?.close();
  }
  classifyUserAgents(store.db); // new user agents get their client, TLS 1.2 verdict and hint
  return stats;
}

/** Counts the server name this input's rows get when its lines name none (the summary says where names came from). */
function noteServerName(stats: ScanStats, input: ScanInput, opts: ScanOptions): void {
  const hints = pathHints(input.path, input.folders, sessionLimits(opts).naming);
  if (hints.server === null || hints.serverOrigin === null) return;
  const known = stats.serverNames.find((u) => u.server === hints.server && u.origin === hints.serverOrigin);
  if (known) known.files++;
  else stats.serverNames.push({ server: hints.server, origin: hints.serverOrigin, files: 1 });
}

/** Parse jobs under way on workers: a file's record is busy until its job is done. */
interface Work {
  readonly jobs: number;
  /** Started on the first file worth a worker: a re-scan that finds nothing new starts none. */
  pool: ParsePool | null;
  readonly inflight: Set<Promise<void>>;
  readonly busy: Map<number, Promise<void>>;
  /** The engines of the sessions read in this thread. */
  readonly engines: ThreadEngines;
}

async function scanInput(
  store: Store, input: ScanInput, opts: ScanOptions, stats: ScanStats, now: string, tick: Tick, work: Work,
): Promise<void> {
  const failed = (err: unknown): void => {
    stats.filesFailed++;
    store.recordUnread(input.path, 'error', `cannot read: ${(err as Error).message}`, input.size ?? 0, now);
    opts.onDiagnostic?.(input.path, 0, 'read_error', `cannot read: ${(err as Error).message}`);
  };
  const unchanged = (record: FileRecord, container: string | null): void => {
    stats.filesUnchanged++;
    store.seen(record.id, input.path, input.size ?? record.consumed, now);
    if (container !== null) store.addContainer(container, record.id);
  };
  let container: string | null;
  let head: Buffer;
  let found: Identity;
  try {
    container = await input.container();
    const known = container === null ? null : store.byContainer(container);
    if (known) return unchanged(known, null); // a compressed input read to its end before: not even inflated
    head = await input.head(FINGERPRINT_BYTES);
    found = await identify(store, input, head);
  } catch (err) {
    return failed(err);
  }
  const running = 'record' in found ? work.busy.get(found.record.id) : undefined;
  if (running !== undefined) {
    // The same content is being read from another path right now: wait, then see what is left.
    await running;
    return scanInput(store, input, opts, stats, now, tick, work);
  }
  if (found.kind === 'contained') return unchanged(found.record, container);
  if (found.kind === 'same' && input.size !== null && found.record.consumed >= input.size) {
    return unchanged(found.record, container);
  }
  let record: FileRecord;
  let sniffed: Sniffed | null = null;
  if (found.kind === 'same') {
    record = found.record;
  } else {
    let sniffHead: Buffer;
    try {
      sniffHead = head.length < FINGERPRINT_BYTES ? head : await input.head(HEAD_BYTES);
    } catch (err) {
      return failed(err);
    }
    sniffed = sniff(sniffHead, opts.formats ?? FORMATS, { folders: input.folders, logType: opts.logType ?? null });
    if ('skip' in sniffed) {
      stats.filesSkipped++;
      store.recordUnread(input.path, 'skipped', sniffed.skip, input.size ?? sniffHead.length, now);
      return;
    }
    record = store.createFile(input.path, sniffed.format.name, head, input.size ?? 0, now, sniffed.start?.layout ?? null);
    // no directives: the parser starts as if the default #Fields (and #Log-type) had been there; saved with the state
    if (sniffed.start !== undefined) record = { ...record, state: sniffed.start.state };
  }
  noteServerName(stats, input, opts);
  const formats = opts.formats ?? FORMATS;
  const format = formats.find((f) => f.name === record.format) ?? (sniffed && 'format' in sniffed ? sniffed.format : null);
  if (format === null) return failed(new Error(`format ${record.format} is not known to this tls-census`));
  const ctx = { store, opts, stats, now, tick, engines: work.engines };
  const target = { input, format, record, head, container };
  const left = (input.size ?? 0) - record.consumed;
  const worthWorker = work.jobs > 1 && input.plain !== undefined && format.name === 'iis-w3c' &&
    left >= (opts.workerMinBytes ?? WORKER_MIN_BYTES);
  if (!worthWorker || input.plain === undefined) return readInput(ctx, target);
  const pool = (work.pool ??= new ParsePool(work.jobs));
  // One job waiting per worker besides the one it runs: a worker that finishes starts the next file at once,
  // without waiting for this thread to identify it.
  while (work.inflight.size >= 2 * pool.size) await Promise.race(work.inflight);
  const { commit, progress } = batchCommitter(ctx, target);
  const file = input.plain;
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
    .then(() => void classifyUserAgents(store.db))
    .catch(failed)
    .finally(() => {
      work.inflight.delete(job);
      work.busy.delete(record.id);
    });
  work.inflight.add(job);
  work.busy.set(record.id, job);
}
