// Which client rules real public log lines exercise, and which were built from documentation only (issue 11): every
// real (not composed) fixture is scanned and its user agents and EHLO names identified, the HttpProxy agents too; the
// two lists in docs/identification.md must be exactly what that gives, so the sentence stays true as rules and
// fixtures change.
import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identify } from '../../src/clients/identify.js';
import { RULES } from '../../src/clients/rules.js';
import { runCli } from '../cli/run-cli.js';
import { fixture, tempDir } from '../helpers.js';

const FOLDERS = ['iis', 'httperr', 'exchange'];
const real = (name: string): boolean => !name.startsWith('composed-') && !name.endsWith('.json');

/** The backquoted rule ids of the docs' sentence that starts with `lead`. */
function documented(lead: string): string[] {
  const text = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'identification.md'), 'utf8').replace(/\s+/g, ' ');
  const at = text.indexOf(lead);
  expect(at, `docs/identification.md says "${lead}"`).toBeGreaterThanOrEqual(0);
  const sentence = text.slice(at + lead.length, text.indexOf('.', at + lead.length));
  return [...sentence.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]).sort();
}

describe('client rules and real public lines', () => {
  it('docs/identification.md lists exactly the rules real fixtures exercise, and the rest as documentation only', async () => {
    const dir = tempDir('tls-census-rules-');
    for (const folder of FOLDERS) {
      mkdirSync(join(dir, 'logs', folder), { recursive: true });
      for (const name of readdirSync(fixture(folder)).filter(real)) copyFileSync(fixture(`${folder}/${name}`), join(dir, 'logs', folder, name));
    }
    const dbPath = join(dir, 'r.db');
    expect((await runCli(['scan', join(dir, 'logs'), '--db', dbPath, '--quiet'])).code).toBe(0);
    const db = new Database(dbPath, { readonly: true });
    const seen = new Set(db.prepare(`SELECT DISTINCT c.rule FROM clients c JOIN usage u ON u.user_agent = c.user_agent`).pluck().all() as string[]);
    db.close();
    for (const ua of readFileSync(fixture('clients/artefacts-httpproxy-useragents.txt'), 'utf8').split('\n').filter(Boolean)) {
      seen.add(identify(ua).rule);
    }
    const ids = RULES.map((r) => r.id);
    expect([...seen].every((r) => ids.includes(r))).toBe(true);
    expect(documented('Rules that real public log lines exercise (the fixtures):')).toEqual([...seen].sort());
    expect(documented('Rules built from documentation only (no real public log line exercises them yet):'))
      .toEqual(ids.filter((id) => !seen.has(id)).sort());
  });
});
