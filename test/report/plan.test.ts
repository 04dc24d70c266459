// The plan per machine: actions grouped by kind of work with the people named, and for a machine whose verdict is
// yes the server-side change (Schannel Server keys; Client keys only when its own SMTP Send traffic is clear).
import { describe, expect, it } from 'vitest';
import type { KnownException } from '../../src/exceptions/exceptions.js';
import { resolveFilter } from '../../src/report/filter.js';
import { renderReport } from '../../src/report/render.js';
import { readSummary } from '../../src/report/summary.js';
import { openDatabase } from '../../src/store/open-database.js';
import { classifyUserAgents } from '../../src/store/classify-clients.js';
import { buildDb, type UsageSpec } from './report-db.js';

const OUTLOOK_2010 = 'Microsoft Office/14.0 (Windows NT 6.1; Microsoft Outlook 14.0.7268; Pro)';
const ROWS: UsageSpec[] = [
  // EXCH01: two Outlook 2010 users, an old Android device and a Java service on TLS 1.0: verdict no
  { client_ip: '10.30.2.42', username: 'CONTOSO\\thayes', user_agent: OUTLOOK_2010, protocol: 'TLS 1.0', protocol_code: '40', hits: 6 },
  { client_ip: '10.30.2.43', username: 'CONTOSO\\umyers', user_agent: OUTLOOK_2010, protocol: 'TLS 1.0', protocol_code: '40', hits: 4 },
  { client_ip: '198.51.100.120', username: 'CONTOSO\\xgraham', user_agent: 'Android/4.2.2-EAS-1.3', protocol: 'TLS 1.0', protocol_code: '40', hits: 9, endpoint: 'ActiveSync' },
  { client_ip: '10.40.0.22', username: 'CONTOSO\\svc-erp', user_agent: 'Java/1.7.0_80', protocol: 'TLS 1.1', protocol_code: '100', hits: 3, endpoint: 'EWS' },
  { hits: 100 },
  // EXCH02: TLS 1.2 only, and its SMTP Send logs clean: verdict yes, Server and Client keys
  { server: 'EXCH02', client_ip: '10.0.0.7', hits: 80 },
  { server: 'EXCH02', source: 'smtp-send', site: 'EXCH02\\Internet', client_ip: '192.0.2.25', username: null, user_agent: 'EXCH02.contoso.com', endpoint: 'SMTP', protocol: 'TLS 1.2', protocol_code: null, hits: 12 },
  // EXCH03: TLS 1.2 inbound, but it still sends mail on TLS 1.0 (to a peer under a known exception): Server keys only
  { server: 'EXCH03', client_ip: '10.0.0.8', hits: 50 },
  { server: 'EXCH03', source: 'smtp-send', site: 'EXCH03\\Partner', client_ip: '192.0.2.26', username: null, user_agent: 'EXCH03.contoso.com', endpoint: 'SMTP', protocol: 'TLS 1.0', protocol_code: null, hits: 2 },
  // A hostile server name from a log: never reaches the PowerShell text as it is
  { server: 'EVIL\n$(Remove-Item C:\\ -Recurse)', client_ip: '10.0.0.9', hits: 5 },
];

const path = buildDb(ROWS, (db) => {
  classifyUserAgents(db);
});

const PARTNER: KnownException = {
  id: null, match: 'ip', value: '192.0.2.26', reason: 'partner moves in June', expires: '2099-06-30', origin: 'test',
};

function summary(exceptions: KnownException[] = []) {
  const db = openDatabase(path, { readonly: true });
  try {
    return readSummary(db, { top: null, filter: resolveFilter(db, {}), exceptions });
  } finally {
    db.close();
  }
}

describe('plan per machine', () => {
  it('groups what to do on a machine whose verdict is no, names the people, leaves owners blank and prints no change', () => {
    const p = summary().plans.find((x) => x.server === 'EXCH01');
    expect(p?.verdict).toBe('no');
    expect(p?.change).toBeNull();
    expect(p?.waitingFor.length).toBeGreaterThan(0);
    expect(p?.actions.map((a) => [a.kind, a.client, a.people.map((x) => x.username)])).toEqual([
      ['replace', 'Android ActiveSync (Android 4.2.2)', ['CONTOSO\\xgraham']],
      ['upgrade', 'Outlook 2010 on Windows 7', ['CONTOSO\\thayes', 'CONTOSO\\umyers']],
      ['app', 'Java 7', ['CONTOSO\\svc-erp']],
    ]);
    for (const a of p?.actions ?? []) expect(a.owner).toBe('');
  });

  it('prints the Server keys, the Client keys only when its own SMTP Send traffic is clear, and how to check', () => {
    const plans = summary().plans;
    const two = plans.find((x) => x.server === 'EXCH02')?.change;
    expect(two?.roles).toEqual(['Server', 'Client']);
    for (const p of ['SSL 3.0', 'TLS 1.0', 'TLS 1.1']) {
      expect(two?.reg).toContain(`[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\${p}\\Server]`);
      expect(two?.reg).toContain(`SCHANNEL\\Protocols\\${p}\\Client]`);
      expect(two?.powershell).toContain(`SCHANNEL\\Protocols\\${p}\\Server'`);
    }
    expect(two?.reg).toMatch(/TLS 1\.0\\Server]\n"Enabled"=dword:00000000\n"DisabledByDefault"=dword:00000001/);
    expect(two?.reg).toMatch(/TLS 1\.2\\Server]\n"Enabled"=dword:00000001\n"DisabledByDefault"=dword:00000000/);
    expect(two?.reg).toContain('[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v4.0.30319]\n"SystemDefaultTlsVersions"=dword:00000001\n"SchUseStrongCrypto"=dword:00000001');
    expect(two?.reg).not.toContain('TLS 1.3');
    expect(two?.verify.join(' ')).toMatch(/HealthChecker/);
    expect(two?.reboot).toMatch(/Reboot/);

    expect(plans.find((x) => x.server === 'EXCH03')).toMatchObject({ verdict: 'no', change: null });
    const three = summary([PARTNER]).plans.find((x) => x.server === 'EXCH03')?.change;
    expect(three?.before.join(' ')).toMatch(/1 person or device under known exceptions still use/);
    expect(three?.roles).toEqual(['Server']);
    expect(three?.clientKeys).toMatch(/still sends 2 SMTP sessions on TLS 1\.0\/1\.1/);
    expect(three?.reg).not.toContain('\\Client]\n"Enabled"=dword:00000000');
  });

  it('leaves out the Client keys when no SMTP Send log was read, and keeps a hostile server name out of the script', () => {
    const evil = summary().plans.find((x) => x.server?.startsWith('EVIL'));
    expect(evil?.change?.roles).toEqual(['Server']);
    expect(evil?.change?.clientKeys).toMatch(/no SMTP Send log/);
    // every line is a comment or one of the four statement shapes it is made of
    for (const line of evil?.change?.powershell.split('\n') ?? []) {
      expect(line).toMatch(/^(# |\$k = 'HKLM:\\[A-Za-z0-9 .\\]+'$|if \(-not \(Test-Path \$k\)\) \{ New-Item -Path \$k -Force \| Out-Null \}$|New-ItemProperty -Path \$k -Name \w+ -Value [01] -Type DWord -Force \| Out-Null$)/);
    }
    expect(evil?.change?.powershell).toMatch(/^# EVIL\?\?\?Remove-Item\?C\?\?\?-Recurse\?: /);
  });

  it('is in every format, and report --format plan gives the plans alone', () => {
    const db = openDatabase(path, { readonly: true });
    try {
      const out = (format: 'text' | 'markdown' | 'json' | 'html' | 'plan') => renderReport(db, { format, filter: {}, db: 'x.db', color: false });
      expect(out('text')).toMatch(/Plan per machine[\s\S]*EXCH02: yes[\s\S]*TLS 1\.1\\Server/);
      const plan = out('plan');
      expect(plan).toMatch(/^# Plan per machine/);
      expect(plan).toMatch(/- \[ \] Outlook 2010 on Windows 7 ×2/);
      expect(plan).toMatch(/```powershell\n/);
      expect(plan).not.toMatch(/Hits by protocol/);
      const json = JSON.parse(out('json')) as { plan: { server: string; change: { roles: string[] } | null }[] };
      expect(json.plan.find((p) => p.server === 'EXCH02')?.change?.roles).toEqual(['Server', 'Client']);
      const html = out('html');
      expect(html).toMatch(/<section id="plan">/);
      for (const pre of html.match(/<pre>[^<]*<\/pre>/g) ?? []) expect(pre).not.toMatch(/EVIL\n|\$\(Remove/);
    } finally {
      db.close();
    }
  });
});
