// The entra_signins table: which Entra ID sign-ins (by their `id`) have been counted, per UTC day, so that
// overlapping exports and renamed copies count each sign-in once. A sign-in id is kept as 16 bytes (a GUID's own
// bytes, else the first 16 bytes of its SHA-256), with its usage row's merge key, second and outcome (schema 11, for
// merge); `prune` drops the days it drops from usage.
import type { Statement } from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { SignInClaims, SignInRow } from '../aggregate/signin-claims.js';
import type { Db } from './open-database.js';
import { metaValue } from './meta.js';

/** New ids since the last commit: (day number, 16-byte key, what it was counted as). */
export type SignInDelta = readonly (readonly [number, Buffer, SignInRow])[];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The stored key of a sign-in id. */
export function signInKey(id: string): Buffer {
  return GUID.test(id) ? Buffer.from(id.replace(/-/g, ''), 'hex') : createHash('sha256').update(id).digest().subarray(0, 16);
}

/** UTC day YYYY-MM-DD → days since 1970-01-01. */
export const dayNumber = (day: string): number => Math.floor(Date.parse(`${day}T00:00:00Z`) / 86_400_000);

/** Days since 1970-01-01 → UTC day YYYY-MM-DD. */
export const dayOfNumber = (n: number): string => new Date(n * 86_400_000).toISOString().slice(0, 10);

/** Claims against the stored ids and those taken since the last commit (held in memory until then). */
export class SignInLedger implements SignInClaims {
  private fresh = new Map<string, [number, Buffer, SignInRow]>();
  private readonly has: Statement<[number, Buffer], unknown>;
  /** Days before this were pruned: their sign-ins are not counted again. */
  private readonly prunedBefore: string | null;

  constructor(db: Db) {
    this.has = db.prepare<[number, Buffer], unknown>('SELECT 1 FROM entra_signins WHERE day = ? AND key = ?');
    this.prunedBefore = metaValue(db, 'pruned_before');
  }

  get size(): number {
    return this.fresh.size;
  }

  claim(day: string, id: string, row: () => SignInRow): 'new' | 'seen' | 'pruned' {
    if (this.prunedBefore !== null && day < this.prunedBefore) return 'pruned';
    const n = dayNumber(day);
    const key = signInKey(id);
    const memo = `${n}:${key.toString('base64')}`;
    if (this.fresh.has(memo) || this.has.get(n, key) !== undefined) return 'seen';
    this.fresh.set(memo, [n, key, row()]);
    return 'new';
  }

  /** The ids claimed since the last call, to insert with the rows they counted. */
  drain(): SignInDelta | undefined {
    if (this.fresh.size === 0) return undefined;
    const out = [...this.fresh.values()];
    this.fresh = new Map();
    return out;
  }
}

/** Inside the commit's transaction. */
export function insertSignIns(db: Db, delta: SignInDelta): void {
  const insert = db.prepare('INSERT OR IGNORE INTO entra_signins (day, key, row_key, second, failed) VALUES (?, ?, ?, ?, ?)');
  for (const [day, key, row] of delta) insert.run(day, key, row.rowKey, row.second, row.failed ? 1 : 0);
}
