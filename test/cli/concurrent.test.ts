// Two writers on one database (also by two paths): the second stops with one line (exit 2) or, with --wait, waits and then finds
// nothing left to read; readers (report, ad hoc SQL) work during a scan. Needs `npm run build`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, symlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { generateIisFolder } from '../../src/synth/iis-traffic.js';
import { tempDir } from '../helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'tls-census.js');
const CHILD = join(import.meta.dirname, 'crash-child.mjs');

const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

function finished(child: ChildProcess): Promise<{ code: number | null; err: string }> {
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, err })));
}

/** Polls until the database shows a running scan (the first writer holds the lock). */
async function runningScan(db: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (existsSync(db)) {
      try {
        const d = new Database(db, { readonly: true });
        const row = d.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'scans'`).get()
          ? d.prepare(`SELECT id FROM scans WHERE status = 'running'`).get()
          : undefined;
        d.close();
        if (row) return;
      } catch {
        // not created yet
      }
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the first scan never started');
}

const total = (db: string): number => {
  const d = new Database(db, { readonly: true });
  const n = (d.prepare(`SELECT sum(hits) AS n FROM usage`).get() as { n: number }).n;
  d.close();
  return n;
};

describe('two scans of one database', () => {
  it('lets one write; the other stops with one clear line, or waits with --wait; readers keep working', async () => {
    const dir = tempDir();
    const logs = join(dir, 'logs');
    const gen = generateIisFolder(logs, {
      servers: ['EXCH01', 'EXCH02'], days: 2, startDate: '2024-03-11', linesPerServerPerDay: 3000, seed: 5,
    });
    const old = new Date('2024-04-01T00:00:00Z');
    for (const f of gen.files) utimesSync(f, old, old);
    const db = join(dir, 'shared.db');

    // The first writer pauses for 3 s inside its third commit: a scan holding the lock and an open transaction
    const first = spawn(process.execPath, [CHILD, 'scan', logs, '--db', db, '--flush-lines', '500', '--quiet'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, PAUSE_AT_COMMIT: '3', PAUSE_MS: '3000' },
    });
    const firstDone = finished(first);
    await runningScan(db);

    const second = cli(['scan', logs, '--db', db, '--quiet']);
    expect(second.code).toBe(2);
    expect(second.err).toMatch(/^tls-census: .*shared\.db is being written by another tls-census scan \(run 1, pid \d+, started [^)]+\); wait for it or pass --wait SECONDS\n$/);

    if (process.platform !== 'win32') {
      // the same database by another path (a symbolic link) takes the same lock
      const link = join(dir, 'link.db');
      symlinkSync(db, link);
      const viaLink = cli(['scan', logs, '--db', link, '--quiet']);
      expect(viaLink.code).toBe(2);
      expect(viaLink.err).toMatch(/link\.db is being written by another tls-census scan \(run 1, /);
    }

    const report = cli(['report', '--db', db]); // a reader while the writer's transaction is open
    expect(report.code).toBe(0);
    const reader = new Database(db, { readonly: true });
    expect(reader.prepare(`SELECT count(*) AS n FROM files`).get()).toBeDefined();
    reader.close();

    const waiting = spawn(process.execPath, [BIN, 'scan', logs, '--db', db, '--wait', '120', '--quiet'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const [a, b] = await Promise.all([firstDone, finished(waiting)]);
    expect(a).toEqual({ code: 0, err: '' });
    expect(b).toEqual({ code: 0, err: '' });

    const clean = join(dir, 'clean.db');
    expect(cli(['scan', logs, '--db', clean, '--quiet']).code).toBe(0);
    expect(total(db)).toBe(total(clean));
    const d = new Database(db, { readonly: true });
    expect(d.prepare(`SELECT id, status, lines > 0 AS read FROM scans ORDER BY id`).all()).toEqual([
      { id: 1, status: 'done', read: 1 },
      { id: 2, status: 'done', read: 0 }, // the waiting scan found everything read
    ]);
    d.close();
  });
});
