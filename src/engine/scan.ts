// The scan: walk the paths and, for each input, decide (scan-decision.ts: unchanged, skipped, unreadable, or read
// from its stored position with a format), schedule the read (scan-scheduler.ts: inline, a worker, byte ranges) and
// commit (scan-commit.ts: the counts and every store write). Every batch commits the rows with the file's new
// position and parser state, so a killed scan resumes exactly.
import { FORMATS } from '../formats/index.js';
import { expand, firstBytes, type ScanInput } from '../sources/inputs.js';
import { excludedFiles } from '../sources/path-rules.js';
import { checkPathsExist, walk } from '../sources/walk.js';
import { FINGERPRINT_BYTES, type Store } from '../store/store.js';
import { sessionLimits } from './read-input.js';
import { ScanCommitter, type Tick } from './scan-commit.js';
import { decide, look, recordOf } from './scan-decision.js';
import { ScanScheduler } from './scan-scheduler.js';
import type { ScanOptions, ScanStats } from './scan-options.js';

export type { ScanOptions, ScanProgress, ScanStats, ServerNameUse } from './scan-options.js';
export { WORKER_MIN_BYTES } from './scan-scheduler.js';

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
  const committer = new ScanCommitter(store, opts, sessionLimits(opts).naming);
  const scheduler = new ScanScheduler(opts, committer);
  const stats = committer.stats;
  let files = 0;
  let position = 0;
  const excluded = excludedFiles(opts.exclude ?? []);
  const found$ = readAhead(walk(opts.paths, (p) => committer.failed(p.path, p.message)), LOOKAHEAD, (f) =>
    excluded(f.path) ? null : firstBytes(f));
  for await (const { item: found, started: first } of found$) {
    if (first === null) continue; // the database itself
    const tick: Tick = (bytes, lines) =>
      opts.onProgress?.({
        files, position: position + Math.min(bytes, found.size), bytes: stats.bytes + bytes, lines: stats.lines + lines,
      });
    try {
      for await (const input of expand(found, (p) => committer.failed(p.path, p.message), first)) {
        await scanInput(input, opts, committer, scheduler, tick);
      }
    } catch (err) {
      committer.failed(found.path, `cannot read: ${(err as Error).message}`);
    }
    files++;
    position += found.size;
    tick(0, 0);
  }
  await scheduler.finish();
  committer.store.flushDeferred();
  committer.sweepPending();
  committer.classify();
  return stats;
}

async function scanInput(
  input: ScanInput, opts: ScanOptions, committer: ScanCommitter, scheduler: ScanScheduler, tick: Tick,
): Promise<void> {
  const formats = opts.formats ?? FORMATS;
  for (;;) {
    await flushHeldLike(committer.store, input);
    const facts = await look(committer.store, input, opts, formats);
    const known = recordOf(facts);
    const running = known === null ? undefined : scheduler.running(known.id);
    if (running !== undefined) {
      await running; // the same content is being read from another path right now: wait, then see what is left
      continue;
    }
    const d = decide(input.size, facts, formats);
    switch (d.kind) {
      case 'fail':
        return committer.failed(input.path, d.message, input.size ?? 0);
      case 'unchanged':
        return committer.unchanged(input, d.record, d.container);
      case 'skip':
        return committer.skipped(input.path, d.reason, d.bytes);
      case 'resume':
        committer.noteServerName(input);
        return scheduler.schedule({ input, format: d.format, record: d.record, head: d.head, container: d.container }, tick);
      case 'read-new': {
        const record = committer.record(input, d.head, d.fresh, scheduler.holdable(input, d.fresh.format, input.size ?? 0));
        committer.noteServerName(input);
        return scheduler.schedule({ input, format: d.fresh.format, record, head: d.head, container: d.container }, tick);
      }
    }
  }
}

/** Writes the files whose commits are held first when the input may be one of them (store/held-commits.ts). */
async function flushHeldLike(store: Store, input: ScanInput): Promise<void> {
  if (!store.holding) return;
  let head: Buffer;
  try {
    head = await input.head(FINGERPRINT_BYTES);
  } catch {
    return; // look() reads it again and says why it cannot
  }
  store.flushHeldLike(head);
}
