// The run record (table scans) of each scan, merge and prune, and which legacy clients each run saw first
// (table legacy_seen). Counts are added by the data commits themselves (Store.commit), so a killed run's row
// still tells what it committed; it stays 'running' until the next run under the lock marks it 'interrupted'.
import { hostname } from 'node:os';
import { LEGACY_SQL_LIST } from '../tls/legacy.js';
import type { Db } from './open-database.js';
import { metaValue, setMeta } from './meta.js';
import { asText } from './usage-by-key.js';

/**
 * Adds the legacy clients of table `usage` that legacy_seen does not hold yet, `@scan` their first_scan; `where` narrows
 * the usage rows read (see Runs.finish).
 * Grouped by dictionary ids (one id per value, 0 for NULL) and their text looked up once per client: through the
 * view, three lookups a row and a sort on text cost 230 against 140 ms for the 258,271 rows of the internet mix.
 * Groups come out in the same order as grouped by text (NULL and id 0 first), so INSERT OR IGNORE keeps the same row
 * where NULL and '' meet in legacy_seen_key.
 */
const newLegacyClients = (where: string): string => `
  INSERT OR IGNORE INTO legacy_seen (source, client_ip, username, user_agent, first_scan, first_seen)
  SELECT g.source, (SELECT value FROM strings WHERE id = g.client_ip_id), (SELECT value FROM strings WHERE id = g.username_id),
    (SELECT user_agent FROM user_agents WHERE id = g.user_agent_id), @scan, g.first_seen
  FROM (
    SELECT k.source, k.client_ip_id, k.username_id, k.user_agent_id, min(${asText('r.first_seen', 'r.day')}) AS first_seen
    FROM usage_rows r JOIN usage_keys k ON k.id = r.key_id WHERE ${where}k.protocol IN ${LEGACY_SQL_LIST}
    GROUP BY k.source, k.client_ip_id, k.username_id, k.user_agent_id
  ) g`;

const ALL_DAYS = newLegacyClients('');
const SOME_DAYS = newLegacyClients('r.day IN (SELECT value FROM json_each(@days)) AND ');

/**
 * meta key: the run whose end left legacy_seen holding every legacy client of usage, with the schema version and the
 * legacy protocols it counted (`<run id> <user_version> <legacy list>`). Only a run that follows that run at once, on
 * the same schema and list, may read just the days it wrote.
 */
const COMPLETE_KEY = 'legacy_seen_complete';

export type RunStatus = 'done' | 'failed';

export interface RunRecord {
  readonly id: number;
  readonly command: string;
  readonly status: string;
  readonly started: string;
  readonly finished: string | null;
  readonly files: number;
  readonly bytes: number;
  readonly lines: number;
  readonly badLines: number;
  readonly records: number;
  readonly newLegacyClients: number | null;
}

const RUN_COLUMNS = `id, command, status, started, finished, files, bytes, lines, bad_lines AS badLines, records,
  new_legacy_clients AS newLegacyClients`;

export class Runs {
  constructor(private readonly db: Db) {}

  /** Call while holding the scan lock: any run still marked running died without finishing. */
  start(command: string, paths: readonly string[], now: Date): number {
    const begin = this.db.transaction(() => {
      this.db.prepare(`UPDATE scans SET status = 'interrupted' WHERE status = 'running'`).run();
      const info = this.db
        .prepare(`INSERT INTO scans (command, status, started, host, pid, paths) VALUES (?, 'running', ?, ?, ?, ?)`)
        .run(command, now.toISOString(), hostname(), process.pid, JSON.stringify(paths));
      return Number(info.lastInsertRowid);
    });
    return begin.immediate();
  }

  /** Which usage rows the last `finish` read for new legacy clients: the days the run wrote, or all (tests). */
  lastScope: 'days' | 'all' | null = null;

  /**
   * Ends a run: records the legacy clients no earlier run had seen (first_scan = this run) and the end time,
   * in one transaction. Returns how many legacy clients are new.
   *
   * `writtenDays`: every day the run wrote usage rows on, when the run only added and updated rows through a Store
   * (a scan without --full, a merge). Then, when the run before it ended `done` with legacy_seen complete
   * (COMPLETE_KEY), only these days are read: a client legacy_seen lacks had no legacy row when that run ended, and
   * nothing but this run wrote since, so all its legacy rows (and their earliest time) are on these days. Otherwise (a
   * failed or interrupted run before, another schema, prune, rename-server, --full) every row is read: 0.44 s at 1M
   * usage rows against 12 ms for one day of them.
   * The days are kept with a finished run (scans.days), for merge.
   */
  finish(id: number, status: RunStatus, now: Date, message: string | null = null, writtenDays?: ReadonlySet<string>): number {
    const end = this.db.transaction(() => {
      // Only a finished run reports legacy clients as new: a failed one leaves them to the next run
      let added = 0;
      const daysJson = writtenDays === undefined ? null : JSON.stringify([...writtenDays].sort());
      if (status === 'done') {
        const scoped = daysJson !== null && metaValue(this.db, COMPLETE_KEY) === this.completeMark(this.previous(id));
        this.lastScope = scoped ? 'days' : 'all';
        added = scoped
          ? this.db.prepare(SOME_DAYS).run({ scan: id, days: daysJson }).changes
          : this.db.prepare(ALL_DAYS).run({ scan: id }).changes;
        setMeta(this.db, COMPLETE_KEY, this.completeMark(id));
      }
      // The days a merge of this database reads after this run (merge.ts, changedDays): none for any other run.
      // A run marked interrupted while it still ran (a second writer that bypassed the lock, e.g. through a hard link)
      // may have written after a merge that read up to a later run: the later runs lose their days too, so that the
      // next merge reads every row.
      const overlapped = this.db.prepare<[number], string>(`SELECT status FROM scans WHERE id = ?`).pluck().get(id) === 'interrupted';
      if (overlapped) this.db.prepare(`UPDATE scans SET days = NULL WHERE id > ?`).run(id);
      const days = status === 'done' && !overlapped ? daysJson : null;
      this.db
        .prepare(`UPDATE scans SET status = ?, finished = ?, new_legacy_clients = ?, message = ?, days = ? WHERE id = ?`)
        .run(status, now.toISOString(), status === 'done' ? added : null, message, days, id);
      return added;
    });
    return end.immediate();
  }

  /** The id of the run recorded just before run `id` (0 for none). */
  private previous(id: number): number {
    return this.db.prepare<[number], { id: number }>(`SELECT max(id) AS id FROM scans WHERE id < ?`).get(id)?.id ?? 0;
  }

  private completeMark(id: number): string {
    return `${id} ${this.db.pragma('user_version', { simple: true }) as number} ${LEGACY_SQL_LIST}`;
  }

  get(id: number): RunRecord | null {
    return this.db.prepare<[number], RunRecord>(`SELECT ${RUN_COLUMNS} FROM scans WHERE id = ?`).get(id) ?? null;
  }

  /** The last finished run, and the one before it. */
  lastTwoDone(): readonly RunRecord[] {
    return this.db
      .prepare<[], RunRecord>(`SELECT ${RUN_COLUMNS} FROM scans WHERE status = 'done' ORDER BY id DESC LIMIT 2`)
      .all();
  }
}
