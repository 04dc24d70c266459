// The README as the person at the server reads it: short, its example block runs as written on samples/ (every
// line, in order), its Windows examples use double quotes only, and every docs/ page it links exists.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'tls-census.js');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** Fenced blocks with their language tag. */
function blocks(text: string): { lang: string; body: string[] }[] {
  const out: { lang: string; body: string[] }[] = [];
  let cur: { lang: string; body: string[] } | null = null;
  for (const line of text.split('\n')) {
    const fence = /^\s*```(\w*)\s*$/.exec(line);
    if (fence && cur === null) cur = { lang: fence[1], body: [] };
    else if (fence && cur !== null) {
      out.push(cur);
      cur = null;
    } else if (cur !== null) cur.body.push(line.trim());
  }
  return out;
}

/** Words of a command line as sh reads these simple ones: spaces split, double quotes group (no escapes inside). */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|(\S+)/g)) out.push(m[1] ?? m[2]);
  return out;
}

describe('README', () => {
  it('is short: at most ~400 lines', () => {
    expect(README.split('\n').length).toBeLessThanOrEqual(410);
  });

  it('keeps the two Quick start commands in its first section', () => {
    const first = README.slice(0, README.indexOf('\n## ', README.indexOf('## Quick start') + 1));
    expect(first).toContain('npm install && npm start');
    expect(first).toContain('npm install && npm test');
  });

  it('runs every example command of its sh blocks on samples/, in order', () => {
    const cwd = tempDir('tls-census-readme-');
    cpSync(join(ROOT, 'samples'), join(cwd, 'samples'), { recursive: true });
    const commands = blocks(README)
      .filter((b) => b.lang === 'sh')
      .flatMap((b) => b.body)
      .filter((l) => l.startsWith('tls-census '));
    expect(commands.length).toBeGreaterThanOrEqual(10);
    expect(commands.find((l) => / --db /.test(l))).toMatch(/^tls-census scan samples /);
    for (const line of commands) {
      const r = spawnSync(process.execPath, [BIN, ...words(line).slice(1)], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      // --fail-on-legacy exits 1 by design on the samples (legacy hits remain)
      expect([line, r.status, r.stderr.split('\n').filter((l) => !l.startsWith('tls-census: threshold:')).join('\n')]).toEqual([
        line, line.includes('--fail-on-legacy') ? 1 : 0, '',
      ]);
    }
    for (const out of ['report.html', 'report.json', 'clients.csv', 'usage.ndjson']) expect(existsSync(join(cwd, out)), out).toBe(true);
  });

  it('writes its Windows command examples with double quotes, never single quotes around arguments', () => {
    const windows = blocks(README).filter((b) => ['bat', 'cmd', 'powershell'].includes(b.lang)).flatMap((b) => b.body);
    const lines = windows.filter((l) => /^(call )?(npx )?tls-census /.test(l));
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) {
      // single quotes only inside a double-quoted SQL statement
      expect(l.replace(/"[^"]*"/g, '""'), l).not.toContain("'");
    }
  });

  it('links docs/ pages that exist', () => {
    const links = [...README.matchAll(/\]\((docs\/[^)#]+)(#[^)]*)?\)/g)].map((m) => m[1]);
    expect(new Set(links).size).toBeGreaterThanOrEqual(8);
    for (const l of links) expect(existsSync(join(ROOT, l)), l).toBe(true);
  });
});
