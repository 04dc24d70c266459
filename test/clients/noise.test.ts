// The noise classes decided by counts in the legacy_clients view, each with clients that must and must not get it,
// and the table of classes that the README and reports show.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOISE_CLASSES } from '../../src/clients/noise.js';
import { classifyUserAgents } from '../../src/store/classify-clients.js';
import { openDatabase } from '../../src/store/open-database.js';
import { writeUsage } from '../helpers.js';

interface Client {
  readonly ip: string;
  readonly user: string | null;
  readonly ua: string | null;
  readonly hits: number;
  readonly authFailures: number;
  readonly errors: number;
  readonly expected: string | null;
  readonly source?: string;
}

const OUTLOOK = 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)';

const CLIENTS: readonly Client[] = [
  // managed-availability: a HealthMailbox user, whatever the user agent; AMProbe by its user agent
  { ip: '10.0.1.1', user: 'CONTOSO\\HealthMailbox0a1b2c', ua: OUTLOOK, hits: 3, authFailures: 0, errors: 0, expected: 'managed-availability' },
  { ip: '10.0.1.2', user: null, ua: 'AMProbe/Local/ClientAccess', hits: 3, authFailures: 0, errors: 0, expected: 'managed-availability' },
  { ip: '10.0.1.3', user: 'CONTOSO\\healthy.person', ua: OUTLOOK, hits: 3, authFailures: 0, errors: 0, expected: null },
  // scanner: no user agent and only errors
  { ip: '10.0.2.1', user: null, ua: null, hits: 4, authFailures: 0, errors: 4, expected: 'scanner' },
  { ip: '10.0.2.2', user: null, ua: null, hits: 4, authFailures: 0, errors: 2, expected: null },
  { ip: '10.0.2.3', user: null, ua: 'curl/8.5.0', hits: 4, authFailures: 0, errors: 4, expected: null },
  // challenge-only: every legacy request got 401
  { ip: '10.0.3.1', user: null, ua: OUTLOOK, hits: 5, authFailures: 5, errors: 0, expected: 'challenge-only' },
  { ip: '10.0.3.2', user: 'CONTOSO\\jdoe', ua: OUTLOOK, hits: 5, authFailures: 1, errors: 0, expected: null },
  // health-check: no user agent, no user, no errors or 401s; or a monitor's user agent
  { ip: '10.0.4.1', user: null, ua: null, hits: 9, authFailures: 0, errors: 0, expected: 'health-check' },
  { ip: '10.0.4.2', user: 'CONTOSO\\svc', ua: null, hits: 9, authFailures: 0, errors: 0, expected: null },
  { ip: '10.0.4.3', user: null, ua: 'kube-probe/1.27', hits: 9, authFailures: 0, errors: 1, expected: 'health-check' },
  // password-spray: Entra ID sign-ins, every legacy one from the address failed (an IIS address with only 401s is
  // challenge-only above)
  { ip: '10.0.5.1', user: 'admin@contoso.com', ua: 'BAV2ROPC', hits: 6, authFailures: 6, errors: 0, expected: 'password-spray', source: 'entra-signin' },
  { ip: '10.0.5.2', user: 'jdoe@contoso.com', ua: 'BAV2ROPC', hits: 6, authFailures: 5, errors: 0, expected: null, source: 'entra-signin' },
];

describe('noise classes in legacy_clients', () => {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'tls-census-noise-')), 'noise.db'));
  writeUsage(db, CLIENTS.map((c) => ({
    day: '2024-03-11', source: c.source ?? 'iis', client_ip: c.ip, username: c.user, user_agent: c.ua,
    protocol: c.source === 'entra-signin' ? 'TLS 1.0/1.1 or 3DES' : 'TLS 1.0',
    hits: c.hits, auth_failures: c.authFailures, errors: c.errors,
    first_seen: '2024-03-11T07:00:00Z', last_seen: '2024-03-11T07:00:00Z',
  })));
  classifyUserAgents(db);
  const noise = new Map(
    (db.prepare(`SELECT client_ip, noise FROM legacy_clients`).all() as { client_ip: string; noise: string | null }[]).map((r) => [r.client_ip, r.noise]),
  );

  it.each(CLIENTS.map((c) => [c.ip, c.expected ?? 'no noise', c] as const))('%s → %s', (_ip, _label, c) => {
    expect(noise.get(c.ip)).toBe(c.expected);
  });

  it('every class has a client that gets it and one that does not', () => {
    for (const cls of NOISE_CLASSES) {
      expect(CLIENTS.some((c) => c.expected === cls.id)).toBe(true);
      expect(cls.label.length).toBeGreaterThan(0);
      expect(cls.detection.length).toBeGreaterThan(0);
    }
    expect(CLIENTS.filter((c) => c.expected === null).length).toBeGreaterThanOrEqual(NOISE_CLASSES.length);
  });
});
