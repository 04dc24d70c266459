// A scan that follows a finished run reads only the days it wrote for new legacy clients (Runs.finish with
// writtenDays). Oracle: a second database given the same runs, each of which reads every usage row. After every run
// of a mixed sequence (late days, failed and interrupted runs, NULL and '' meeting in legacy_seen_key, rows written
// without days, another schema) both databases hold the same legacy_seen, and each run counted the same new clients.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UsageRow } from '../../src/aggregate/usage.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { Runs } from '../../src/store/runs.js';
import { Store } from '../../src/store/store.js';
import { generateIisFolder } from '../../src/synth/iis-traffic.js';
import { parseBytes, tempDir, usageRowsOf, writeUsage, type UsageColumns } from '../helpers.js';

interface Step {
  readonly rows: readonly UsageRow[];
  readonly status: 'done' | 'failed' | 'interrupted';
  /** The run's end is told which days it wrote (a scan); false: merge, prune, --full. */
  readonly days?: boolean;
  /** Before the run: legacy rows written outside any run, and a new schema version (a migration). */
  readonly migrate?: readonly UsageColumns[];
  /** Which rows `finish` reads in the database under test. */
  readonly scope: 'days' | 'all' | null;
}

const legacy = (c: Partial<UsageColumns>): UsageColumns => ({
  day: '2024-03-14', source: 'iis', protocol: 'TLS 1.0', hits: 1, first_seen: '2024-03-14T10:00:00Z',
  last_seen: '2024-03-14T11:00:00Z', ...c,
});

const seen = (db: Db) => db.prepare(`SELECT * FROM legacy_seen ORDER BY source, client_ip, username, user_agent`).all();

/** Runs the steps on a new database; `scoped` false: no run is told its days (the oracle). */
function replay(steps: readonly Step[], scoped: boolean) {
  const db = openDatabase(join(tempDir(), 'runs.db'));
  const runs = new Runs(db);
  const after: { seen: unknown[]; added: number; scope: string | null }[] = [];
  let t = Date.parse('2024-04-01T00:00:00Z');
  for (const step of steps) {
    if (step.migrate) {
      writeUsage(db, step.migrate);
      db.pragma(`user_version = ${(db.pragma('user_version', { simple: true }) as number) + 1}`);
    }
    const store = new Store(db);
    const id = runs.start('scan', ['x'], new Date((t += 60_000)));
    db.transaction(() => store.writeRows(step.rows))();
    runs.lastScope = null;
    let added = 0;
    if (step.status !== 'interrupted') {
      added = runs.finish(id, step.status, new Date((t += 60_000)), null, scoped && step.days !== false ? store.writtenDays() : undefined);
    }
    after.push({ seen: seen(db), added, scope: runs.lastScope });
  }
  db.close();
  return after;
}

describe('the end of a scan after a finished run', () => {
  it('reads only the days it wrote and records the same new legacy clients as reading every row', () => {
    const dir = tempDir();
    const { files } = generateIisFolder(dir, {
      servers: ['EXCH01'], days: 5, startDate: '2024-03-11', linesPerServerPerDay: 1500, seed: 4,
      shape: { clients: 300, agents: 40, spread: 3, share: 0.3 },
    });
    const day = files.map((f) => parseBytes(readFileSync(f)).rows);
    const [firstHalf, secondHalf] = [day[3].slice(0, day[3].length >> 1), day[3].slice(day[3].length >> 1)];
    const steps: Step[] = [
      { rows: [...day[0], ...day[1]], status: 'done', scope: 'all' }, // no run before it
      { rows: day[2], status: 'done', scope: 'days' },
      { rows: firstHalf, status: 'failed', scope: null }, // its clients are left to the next finished run
      { rows: day[4], status: 'done', scope: 'all' },
      {
        // late logs: a new client first seen on an old day, and NULL and '' meeting, both new in one run
        rows: usageRowsOf([
          legacy({ client_ip: '198.51.100.7', username: 'late', day: '2024-03-15', first_seen: '2024-03-15T08:00:00Z' }),
          legacy({ client_ip: '198.51.100.7', username: 'late', day: '2024-03-11', first_seen: '2024-03-11T23:59:00Z' }),
          legacy({ client_ip: '198.51.100.8', username: null, user_agent: '' }),
          legacy({ client_ip: '198.51.100.8', username: '', user_agent: null, day: '2024-03-12', first_seen: '2024-03-12T01:00:00Z' }),
          legacy({ client_ip: '198.51.100.9', protocol: 'TLS 1.2' }),
        ]),
        status: 'done', scope: 'days',
      },
      {
        rows: usageRowsOf([legacy({ client_ip: '198.51.100.10', day: '2024-03-13', first_seen: '2024-03-13T05:00:00.25Z' })]),
        status: 'interrupted', scope: null,
      },
      { rows: secondHalf, status: 'done', scope: 'all' },
      // the client that was not legacy turns legacy on another day; a client legacy_seen holds comes back earlier
      {
        rows: usageRowsOf([
          legacy({ client_ip: '198.51.100.9', protocol: 'TLS 1.1', day: '2024-03-16', first_seen: '2024-03-16T00:00:01Z' }),
          legacy({ client_ip: '198.51.100.7', username: 'late', day: '2024-03-01', first_seen: '2024-03-01T00:00:00Z' }),
        ]),
        status: 'done', scope: 'days',
      },
      { rows: usageRowsOf([legacy({ client_ip: '198.51.100.11' })]), status: 'done', days: false, scope: 'all' },
      { rows: usageRowsOf([legacy({ client_ip: '198.51.100.12' })]), status: 'done', scope: 'days' },
      {
        rows: usageRowsOf([legacy({ client_ip: '198.51.100.13', day: '2024-03-17' })]),
        migrate: [legacy({ client_ip: '198.51.100.14', day: '2024-03-02', first_seen: '2024-03-02T00:00:00Z' })],
        status: 'done', scope: 'all',
      },
      { rows: day[1], status: 'done', scope: 'days' },
    ];
    const got = replay(steps, true);
    const want = replay(steps, false);
    expect(got.map((r) => r.scope)).toEqual(steps.map((s) => s.scope));
    expect(want.map((r) => r.scope)).toEqual(steps.map((s) => (s.scope === null ? null : 'all')));
    for (let i = 0; i < steps.length; i++) {
      expect({ step: i, seen: got[i].seen, added: got[i].added }).toEqual({ step: i, seen: want[i].seen, added: want[i].added });
    }
    // the sequence does what it says: clients new in the scoped runs, the failed run's clients found by the next
    const added = got.map((r) => r.added);
    expect(added[1]).toBeGreaterThan(5);
    expect(added[2]).toBe(0);
    const run4 = (got[3].seen as { first_seen: string; first_scan: number }[]).filter((r) => r.first_scan === 4);
    expect(run4.filter((r) => r.first_seen.startsWith('2024-03-14')).length).toBeGreaterThan(5); // the failed run's day
    expect(added[4]).toBe(2); // .7, and one of the two .8 clients
    expect(added[6]).toBeGreaterThan(1); // the interrupted run's client and the second half's
    expect(added[7]).toBe(1);
    expect(added[10]).toBe(2);
    const last = got.at(-1)?.seen as { client_ip: string; first_seen: string; first_scan: number }[];
    expect(last.find((r) => r.client_ip === '198.51.100.7')).toMatchObject({ first_seen: '2024-03-11T23:59:00Z', first_scan: 5 });
    expect(last.filter((r) => r.client_ip === '198.51.100.8')).toHaveLength(1);
    expect(last.find((r) => r.client_ip === '198.51.100.10')).toMatchObject({ first_scan: 7 });
    expect(last.find((r) => r.client_ip === '198.51.100.14')).toMatchObject({ first_seen: '2024-03-02T00:00:00Z', first_scan: 11 });
  });
});
