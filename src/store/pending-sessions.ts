// The pending_sessions table: Exchange SMTP and POP3/IMAP4 sessions still open where a read stopped, shared by all
// files of a format and kept between scans. Loaded per format on first use; changes are handed to the checkpoint
// (Checkpoint.pending) so they commit in the same transaction as the rows and read position they belong to.
import type { PendingSession, PendingSessions } from '../aggregate/pending-session.js';
import type { Db } from './open-database.js';

/** What changed in one format's pending sessions since the last commit. */
export interface PendingDelta {
  readonly format: string;
  readonly put: readonly (readonly [string, PendingSession])[];
  readonly del: readonly string[];
  /** A session counted earlier was taken back (its usage row may now be at 0 hits). */
  readonly retracted: boolean;
  /** Set once a read of the format ended: the newest event it saw ('' none; the scan's sweep goes by all reads). */
  readonly newest?: string;
}

interface PendingRow {
  session_key: string;
  last_seen: string;
  counted: number;
  state: string;
}

/** One format's pending sessions in memory, with the keys changed since the last drain(). */
export class PendingScope implements PendingSessions {
  private map: Map<string, PendingSession> | null = null;
  private readonly changed = new Set<string>();
  private retracted = false;
  private newest: string | null = null;

  constructor(
    readonly format: string,
    private readonly load: (format: string) => Map<string, PendingSession>,
  ) {}

  private all(): Map<string, PendingSession> {
    return (this.map ??= this.load(this.format));
  }

  take(key: string): PendingSession | undefined {
    const m = this.all();
    const s = m.get(key);
    if (s !== undefined) {
      m.delete(key);
      this.changed.add(key);
      if (s.counted) this.retracted = true; // the format takes its hit back before continuing it
    }
    return s;
  }

  put(key: string, session: PendingSession): void {
    this.all().set(key, session);
    this.changed.add(key);
  }

  entries(): [string, PendingSession][] {
    return [...this.all()];
  }

  saw(ts: string): void {
    if (this.newest === null || ts > this.newest) this.newest = ts;
  }

  /** The changes since the last call, or undefined when there are none. */
  drain(): PendingDelta | undefined {
    if (this.changed.size === 0 && this.newest === null) return undefined;
    const m = this.all();
    const put: [string, PendingSession][] = [];
    const del: string[] = [];
    for (const key of this.changed) {
      const s = m.get(key);
      if (s === undefined) del.push(key);
      else put.push([key, s]);
    }
    this.changed.clear();
    const retracted = this.retracted;
    const newest = this.newest ?? undefined;
    this.retracted = false;
    this.newest = null;
    return { format: this.format, put, del, retracted, newest };
  }
}

export class PendingTable {
  private readonly scopes = new Map<string, PendingScope>();
  private q: ReturnType<PendingTable['prepare']> | null = null;

  constructor(private readonly db: Db) {}

  private prepare() {
    return {
      load: this.db.prepare<[string], PendingRow>(
        `SELECT session_key, last_seen, counted, state FROM pending_sessions WHERE format = ?`,
      ),
      put: this.db.prepare<[string, string, string, number, string]>(
        `INSERT OR REPLACE INTO pending_sessions (format, session_key, last_seen, counted, state) VALUES (?, ?, ?, ?, ?)`,
      ),
      del: this.db.prepare<[string, string]>(`DELETE FROM pending_sessions WHERE format = ? AND session_key = ?`),
    };
  }

  private statements() {
    return (this.q ??= this.prepare());
  }

  /** The format's pending sessions, the same object for the life of this table (one scan) until forget(format). */
  scope(format: string): PendingScope {
    let s = this.scopes.get(format);
    if (s === undefined) {
      s = new PendingScope(format, (f) => this.load(f));
      this.scopes.set(format, s);
    }
    return s;
  }

  /** Drops the in-memory copy of a format's sessions: a parse worker changed them, the next use reads the table. */
  forget(format: string): void {
    this.scopes.delete(format);
  }

  private load(format: string): Map<string, PendingSession> {
    const map = new Map<string, PendingSession>();
    for (const r of this.statements().load.all(format)) {
      let state: unknown;
      try {
        state = JSON.parse(r.state);
      } catch {
        continue; // written by us as JSON; a damaged row cannot be continued, so it is left out
      }
      map.set(r.session_key, { lastSeen: r.last_seen, counted: r.counted === 1, state });
    }
    return map;
  }

  /**
   * Inside the caller's transaction (Store.commit). A hit taken back (`delta.retracted`) is the store's to settle: it
   * deletes the rows left at 0 hits (UsageRowWriter.endWrites).
   */
  apply(delta: PendingDelta): void {
    const q = this.statements();
    for (const [key, s] of delta.put) q.put.run(delta.format, key, s.lastSeen, s.counted ? 1 : 0, JSON.stringify(s.state));
    for (const key of delta.del) q.del.run(delta.format, key);
  }
}

const tables = new WeakMap<object, PendingTable>();

/**
 * The pending-sessions table as seen by one Store (one scan): the in-memory copy lives as long as the Store, so a
 * scan that stopped half-way never leaves uncommitted changes behind for the next one.
 */
export function pendingTable(store: { readonly db: Db }): PendingTable {
  let t = tables.get(store);
  if (t === undefined) {
    t = new PendingTable(store.db);
    tables.set(store, t);
  }
  return t;
}
