// `scan` ends by recording the legacy clients no run saw before (legacy_seen). After a finished run it reads only the
// days the scan wrote, the parse workers' rows included. Oracle: the same scans into a second database whose mark of a
// complete legacy_seen is removed before each scan, so that each of its scans reads every usage row.
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { generateIisFolder } from '../../src/synth/iis-traffic.js';
import { tempDir } from '../helpers.js';
import { runCli } from './run-cli.js';

const seen = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`SELECT * FROM legacy_seen ORDER BY source, client_ip, username, user_agent`).all();
  } finally {
    db.close();
  }
};

function sql(path: string, text: string): void {
  const db = new Database(path);
  try {
    db.exec(text);
  } finally {
    db.close();
  }
}

describe('the legacy clients a nightly scan records first', () => {
  it('are those of reading every row, with the parse workers, when the scan reads only the days it wrote', async () => {
    const dir = tempDir();
    // files of 4–5 MB: read by the parse workers
    const { files } = generateIisFolder(join(dir, 'gen'), {
      servers: ['EXCH01', 'EXCH02'], days: 3, startDate: '2024-03-11', linesPerServerPerDay: 16_000, seed: 7,
      shape: { clients: 600, agents: 60, spread: 3, share: 0.3 },
    });
    const logs = join(dir, 'logs');
    const nights = ['240311', '240312', '240313'];
    const scoped = join(dir, 'scoped.db');
    const full = join(dir, 'full.db');
    const counts: number[] = [];
    for (const night of nights) {
      for (const f of files.filter((f) => f.includes(`u_ex${night}`))) {
        const to = join(logs, f.slice(join(dir, 'gen').length));
        mkdirSync(join(to, '..'), { recursive: true });
        renameSync(f, to);
      }
      expect((await runCli(['scan', logs, '--db', scoped, '--jobs', '2', '--quiet'])).code).toBe(0);
      if (night !== nights[0]) sql(full, `DELETE FROM meta WHERE key = 'legacy_seen_complete'`);
      expect((await runCli(['scan', logs, '--db', full, '--jobs', '2', '--quiet'])).code).toBe(0);
      const got = seen(scoped) as { first_scan: number }[];
      expect(got).toEqual(seen(full));
      counts.push(got.filter((r) => r.first_scan === counts.length + 1).length);
    }
    expect(counts.every((n) => n > 10)).toBe(true);

    // Only the days a scan writes are read: a legacy row put on an older day behind the runs' back is not seen by a
    // scan of a new day (a merge, prune, failed run or new schema in between makes the next scan read every row)
    sql(scoped, `INSERT INTO strings (value) VALUES ('203.0.113.99');
      INSERT INTO usage_keys (source, client_ip_id, protocol) VALUES ('iis', (SELECT id FROM strings WHERE value = '203.0.113.99'), 'TLS 1.0');
      INSERT INTO usage_rows (day, key_id, hits, first_seen, last_seen) VALUES ('2024-03-11', last_insert_rowid(), 1, 0, 0);`);
    mkdirSync(join(logs, 'EXCH09'), { recursive: true });
    const late = generateIisFolder(join(logs, 'EXCH09'), {
      servers: ['EXCH09'], days: 1, startDate: '2024-03-14', linesPerServerPerDay: 200, seed: 8,
    });
    expect(late.files.length).toBe(1);
    expect((await runCli(['scan', logs, '--db', scoped, '--quiet'])).code).toBe(0);
    const ips = (seen(scoped) as { client_ip: string }[]).map((r) => r.client_ip);
    expect(ips).not.toContain('203.0.113.99');
    sql(scoped, `DELETE FROM meta WHERE key = 'legacy_seen_complete'`);
    expect((await runCli(['scan', logs, '--db', scoped, '--quiet'])).code).toBe(0);
    expect((seen(scoped) as { client_ip: string }[]).map((r) => r.client_ip)).toContain('203.0.113.99');
  });
});
