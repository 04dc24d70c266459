// Writes that wait to be written together. Commits of small files read in the scan's own thread are held: one
// transaction for many files instead of one each (a folder of hourly logs: 14,400 transactions), their rows of one day
// and key summed first. Held files are not in the database yet, so the scan asks, before it identifies an input,
// whether the input begins like a held file, and has them written first if it does (engine/scan.ts). A crash loses
// them as it loses a file being read: their records show nothing consumed, and the next scan reads them again. Their
// records too are written with their first commit (UnbornFiles), and a file's sighting or a skipped file's listing
// waits for the next transaction (DeferredWrites).
import { createHash } from 'node:crypto';
import { KeyedRow, type UsageRow } from '../aggregate/usage.js';

/** A held commit, and its file's fingerprints (of its first `bytes` bytes): as stored before it, and as it stores. */
export interface HeldCommit<C> {
  readonly rows: readonly UsageRow[];
  /** Its checkpoint (store.ts Checkpoint). */
  readonly cp: C;
  readonly now: string;
  readonly prints: readonly { readonly bytes: number; readonly hash: string }[];
}

/** Adds `r`'s counts and times to `into` (the sums the usage_rows upsert makes). */
function addInto(into: UsageRow, r: UsageRow): void {
  into.hits += r.hits;
  into.authFailures += r.authFailures;
  into.errors += r.errors;
  if (r.estimated > into.estimated) into.estimated = r.estimated;
  if (r.firstSeen !== '' && (into.firstSeen === '' || r.firstSeen < into.firstSeen)) into.firstSeen = r.firstSeen;
  if (r.lastSeen > into.lastSeen) into.lastSeen = r.lastSeen;
}

/** Held at most: files, and usage rows. */
const HELD_FILES = 16;
const HELD_ROWS = 4_000;

export class HeldCommits<C> {
  private items: HeldCommit<C>[] = [];
  /** The held rows, those of one day and key summed (a key comes again in each hourly file of its day). */
  private rows = new Map<string, UsageRow>();
  private loose: UsageRow[] = [];

  get size(): number {
    return this.items.length;
  }

  /** Holds a commit; true when as many are held as should be written now. */
  hold(c: HeldCommit<C>): boolean {
    this.items.push(c);
    for (const r of c.rows) {
      if (!(r instanceof KeyedRow)) {
        this.loose.push(r);
        continue;
      }
      const key = `${r.day}\u0000${r.key}`;
      const into = this.rows.get(key);
      if (into === undefined) this.rows.set(key, r);
      else addInto(into, r);
    }
    return this.items.length >= HELD_FILES || this.rows.size + this.loose.length >= HELD_ROWS;
  }

  /** Whether an input that begins with `head` may be a held file (the same first bytes as its fingerprint). */
  matches(head: Buffer): boolean {
    const prints = new Map<number, string>();
    for (const item of this.items) {
      for (const print of item.prints) {
        if (print.bytes > head.length) continue;
        let hash = prints.get(print.bytes);
        if (hash === undefined) prints.set(print.bytes, (hash = createHash('sha256').update(head.subarray(0, print.bytes)).digest('hex')));
        if (hash === print.hash) return true;
      }
    }
    return false;
  }

  /** The held commits, in order, and their rows (summed); none are held after. */
  take(): { readonly items: readonly HeldCommit<C>[]; readonly rows: readonly UsageRow[] } {
    const out = { items: this.items, rows: [...this.rows.values(), ...this.loose] };
    this.items = [];
    this.rows = new Map();
    this.loose = [];
    return out;
  }
}

/**
 * File records made before their file is read and written with its first commit, in its transaction (one INSERT of
 * its own per file cost as much as the file's rows): known by a stand-in id, negative, until then.
 */
export class UnbornFiles {
  private readonly waiting = new Map<number, unknown[]>();
  private readonly written = new Map<number, number>();
  /** Written in the transaction under way: [stand-in, insert values]. */
  private now: [number, unknown[]][] = [];
  private next = -1;

  /** `insert`: writes a record from its values, returns its id. */
  constructor(private readonly insert: (values: unknown[]) => number) {}

  /** A record to write later; its stand-in id. */
  add(values: unknown[]): number {
    const id = this.next--;
    this.waiting.set(id, values);
    return id;
  }

  /** The id of record `id`, written now if it is a stand-in not written yet. */
  idOf(id: number): number {
    if (id >= 0) return id;
    const known = this.written.get(id);
    if (known !== undefined) return known;
    const values = this.waiting.get(id);
    if (values === undefined) throw new Error(`internal error: no file record ${id}`);
    const real = this.insert(values);
    this.waiting.delete(id);
    this.written.set(id, real);
    this.now.push([id, values]);
    return real;
  }

  /** A write transaction begins. */
  begin(): void {
    this.now = [];
  }

  /** It rolled back, and the records it wrote with it: the next commit of their files writes them again. */
  rolledBack(): void {
    for (const [id, values] of this.now) {
      this.written.delete(id);
      this.waiting.set(id, values);
    }
    this.now = [];
  }
}

/** Deferred writes written together at most. */
const DEFERRED_WRITES = 1000;

/**
 * Writes that may wait for the next transaction (a file seen unchanged or skipped: nothing depends on them during the
 * scan, and a crash only loses what the next scan writes again), in one transaction for many files instead of one
 * each: a re-scan of 14,400 unchanged files spent about a second of system time in SQLite's per-transaction locks
 * and WAL writes.
 */
export class DeferredWrites {
  private readonly writes: (() => void)[] = [];

  get size(): number {
    return this.writes.length;
  }

  /** Adds a write; true when as many wait as should be written now. */
  add(write: () => void): boolean {
    this.writes.push(write);
    return this.writes.length >= DEFERRED_WRITES;
  }

  /** Runs the writes waiting, in order (inside the caller's transaction). */
  run(): void {
    for (const write of this.writes.splice(0)) write();
  }
}
