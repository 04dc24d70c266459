// --fail-on-legacy counts what the machine verdicts count, end to end on composed Exchange IIS logs laid out as on
// the server (LogFiles\W3SVC1): scanners and challenge-only clients are noise (--count-noise counts them), Managed
// Availability probes on TLS 1.0 block with the server-side fix named, and logs without TLS fields make the verdict
// unknown, which trips the threshold with one line unless --allow-unknown. Needs `npm run build`.
import { spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

function cli(args: string[]) {
  const bin = join(import.meta.dirname, '..', '..', 'bin', 'tls-census.js');
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'machine');

/** A copy of one fixture machine's LogFiles folder, scanned in place as the nightly job does. */
function machine(name: string): { logs: string; db: string } {
  const dir = tempDir('tls-census-machine-');
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  return { logs: join(dir, 'LogFiles'), db: join(dir, 'census.db') };
}

describe('--fail-on-legacy and the machine verdicts', () => {
  it('lets an internet-facing server whose only legacy traffic is scanners and challenge-only clients pass', () => {
    const m = machine('internet-facing');
    const scan = cli(['scan', m.logs, '--db', m.db, '--server-name', 'EXCH01', '--fail-on-legacy', '0']);
    expect(scan.err).toBe('');
    expect(scan.code).toBe(0);
    expect(scan.out).toContain('YES EXCH01: yes, but only 1 days observed (fewer than 14)');
    expect(scan.out).toMatch(/6 legacy hits from\s+noise \(challenge-only, scanner\)/);
    const json = JSON.parse(cli(['report', '--db', m.db, '--format', 'json', '--min-days', '1']).out) as { servers: { server: string; safeToDisable: string; shortWindow: boolean }[] };
    expect(json.servers).toMatchObject([{ server: 'EXCH01', safeToDisable: 'yes', shortWindow: false }]);
    const noisy = cli(['report', '--db', m.db, '--fail-on-legacy', '--count-noise']);
    expect(noisy.code).toBe(1);
    expect(noisy.err).toBe('tls-census: threshold: --fail-on-legacy 0: 6 legacy hits from 3 clients in the window\n');
    expect(cli(['report', '--db', m.db, '--fail-on-legacy', '6', '--count-noise']).code).toBe(0);
  });

  it('makes Managed Availability probes on TLS 1.0 a blocker with the server-side fix, and counts them', () => {
    const m = machine('amprobe');
    const scan = cli(['scan', m.logs, '--db', m.db, '--server-name', 'EXCH01', '--fail-on-legacy']);
    expect(scan.code).toBe(1);
    expect(scan.err).toBe(
      "tls-census: threshold: --fail-on-legacy 0: 3 legacy hits from 1 clients in the window (3 of them from the servers' own components)\n",
    );
    expect(scan.out).toContain("NO  EXCH01: no: the server's own components on TLS 1.0/1.1");
    expect(scan.out).toMatch(/fix first: .*SystemDefaultTlsVersions=1 and SchUseStrongCrypto=1/s);
    const json = JSON.parse(cli(['report', '--db', m.db, '--format', 'json']).out) as {
      servers: { safeToDisable: string; blockers: { kind: string; hits: number; text: string }[] }[];
    };
    expect(json.servers[0].safeToDisable).toBe('no');
    expect(json.servers[0].blockers).toMatchObject([{ kind: 'server-own', hits: 3 }]);
    expect(json.servers[0].blockers[0].text).toContain('Schannel Client');
  });

  it('exits 1 on a log without TLS fields with one line saying why, unless --allow-unknown', () => {
    const m = machine('no-tls-fields');
    const scan = cli(['scan', m.logs, '--db', m.db, '--server-name', 'EXCH01', '--quiet', '--fail-on-legacy']);
    expect(scan.code).toBe(1);
    expect(scan.err).toBe(
      'tls-census: threshold: --fail-on-legacy 0: verdict unknown for 1 server (EXCH01: iis W3SVC1): their logs cannot ' +
        'tell the TLS version of some traffic; --allow-unknown accepts that\n',
    );
    const allowed = cli(['report', '--db', m.db, '--fail-on-legacy', '--allow-unknown']);
    expect(allowed.code).toBe(0);
    expect(allowed.out).toContain('?   EXCH01: unknown: iis W3SVC1 cannot tell the TLS version');
    expect(allowed.out).not.toContain('none found'); // never reads as good news
  });
});
