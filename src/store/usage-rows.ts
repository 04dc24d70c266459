// Writes usage rows into table usage_rows (schema 6): text dimensions become dictionary ids, NULL becomes id 0.
// Readers use the view `usage`, which turns the ids back into the same text; nothing here reads it.
import type { UsageDims, UsageRow } from '../aggregate/usage.js';
import { COUNTER_COLUMNS, DIM_COLUMNS, DIM_KEYS, type DimKey } from '../aggregate/usage-dims.js';
import { Dictionary } from './dictionary.js';
import type { Db } from './open-database.js';

/** Dimensions stored as they are; user_agent is an id into `user_agents`, the others ids into `strings`. */
const KEPT: ReadonlySet<DimKey> = new Set(['day', 'source', 'protocol', 'internal']);
const KEY = DIM_KEYS.map((k) => (KEPT.has(k) ? DIM_COLUMNS[k] : `${DIM_COLUMNS[k]}_id`)).join(', ');
const COLUMNS = `${KEY}, ${COUNTER_COLUMNS.join(', ')}`;
const VALUES = Array.from({ length: DIM_KEYS.length + COUNTER_COLUMNS.length }, () => '?').join(', ');

export class UsageRowWriter {
  readonly strings: Dictionary;
  readonly userAgents: Dictionary;
  private readonly q;

  constructor(db: Db) {
    this.strings = new Dictionary(db, 'strings');
    this.userAgents = new Dictionary(db, 'user_agents');
    this.q = {
      add: db.prepare(`INSERT INTO usage_rows (${COLUMNS}) VALUES (${VALUES})
        ON CONFLICT (${KEY}) DO UPDATE SET hits = hits + excluded.hits,
          auth_failures = auth_failures + excluded.auth_failures, errors = errors + excluded.errors,
          estimated = max(estimated, excluded.estimated), first_seen = min(first_seen, excluded.first_seen),
          last_seen = max(last_seen, excluded.last_seen)`),
      replace: db.prepare(`INSERT OR REPLACE INTO usage_rows (${COLUMNS}) VALUES (${VALUES})`),
    };
  }

  /** Adds the row's counts to the stored row with the same key (a new row when there is none). */
  add(r: UsageRow): void {
    this.q.add.run(...this.key(r.dims), r.hits, r.authFailures, r.errors, r.estimated, r.firstSeen, r.lastSeen);
  }

  /** Stores the row as it is, in place of the stored row with the same key (rows kept by identity). */
  replace(r: UsageRow): void {
    this.q.replace.run(...this.key(r.dims), r.hits, r.authFailures, r.errors, r.estimated, r.firstSeen, r.lastSeen);
  }

  /** After a rollback: ids added by the failed transaction must not be used again. */
  forget(): void {
    this.strings.forget();
    this.userAgents.forget();
  }

  private key(d: UsageDims): (string | number)[] {
    const out: (string | number)[] = [];
    for (const k of DIM_KEYS) {
      const v = d[k];
      if (KEPT.has(k)) out.push(v as string | number);
      else out.push((k === 'userAgent' ? this.userAgents : this.strings).id(v as string | null));
    }
    return out;
  }
}
