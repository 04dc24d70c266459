// How far V8 lets a scan's heaps grow before a full collection. Left to itself, V8 grows a heap by a factor it
// picks from the collector's speed (up to 4× what is live), so the main thread, whose caches and batches it holds
// live fit in 64 MB, reached 150+ MB before collecting at a million distinct keys. A fixed factor of 1.1 keeps
// every heap (the main thread's and, set before they start, the parse workers') near what it holds live; measured
// in bench/RESULTS.md (iis-keys: ≈1M keys 442 → 344–351 MB peak RSS at the same CPU time).
import { setFlagsFromString } from 'node:v8';

/** Growth of a heap after a full collection, in percent of what survived it. */
export const HEAP_GROWING_PERCENT = 10;

let bounded = false;

/** Before a scan starts its workers: a process-wide V8 flag, set once (it has been in V8 since 2019, up to Node 26). */
export function boundHeapGrowth(): void {
  if (bounded) return;
  bounded = true;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
