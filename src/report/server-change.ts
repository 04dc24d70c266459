// The server-side change once a machine is clear (domain.md §4.6): Schannel Server keys for SSL 3.0, TLS 1.0 and
// TLS 1.1, the Client keys only when the machine's own outbound traffic is clear too, TLS 1.2 on, the .NET keys.
// Printed as a PowerShell block and as .reg text for the admin to review and run; tls-census never runs them.

import type { Role } from './model.js';

const SCHANNEL = 'SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols';
/** Switched off. SSL 2.0 is off by default since Windows Server 2016 and is left alone. */
const OFF = ['SSL 3.0', 'TLS 1.0', 'TLS 1.1'] as const;
/** Kept on explicitly. TLS 1.3 is not touched: HealthChecker counts an enabled TLS 1.3 as an error on Exchange. */
const ON = 'TLS 1.2';
const DOTNET = [
  'SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319',
  'SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v4.0.30319',
  'SOFTWARE\\Microsoft\\.NETFramework\\v2.0.50727',
  'SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v2.0.50727',
] as const;


/** A server name from the logs, reduced to what a host name holds before it goes into a script or a command. */
export const safeHost = (name: string): string => name.replace(/[^A-Za-z0-9._-]/g, '?') || '?';

interface Value {
  readonly key: string; // under HKLM
  readonly name: string;
  readonly value: 0 | 1;
}

/** Every registry value the change sets, in order; both printed forms are made from this one list. */
export function changeValues(roles: readonly Role[]): Value[] {
  const out: Value[] = [];
  for (const p of OFF) {
    for (const role of roles) {
      out.push({ key: `${SCHANNEL}\\${p}\\${role}`, name: 'Enabled', value: 0 }, { key: `${SCHANNEL}\\${p}\\${role}`, name: 'DisabledByDefault', value: 1 });
    }
  }
  for (const role of ['Server', 'Client'] as const) {
    out.push({ key: `${SCHANNEL}\\${ON}\\${role}`, name: 'Enabled', value: 1 }, { key: `${SCHANNEL}\\${ON}\\${role}`, name: 'DisabledByDefault', value: 0 });
  }
  for (const key of DOTNET) {
    out.push({ key, name: 'SystemDefaultTlsVersions', value: 1 }, { key, name: 'SchUseStrongCrypto', value: 1 });
  }
  return out;
}

const keysOf = (values: readonly Value[]): string[] => [...new Set(values.map((v) => v.key))];

/** PowerShell (elevated, Windows PowerShell 5.1 or 7): creates missing keys without touching existing values. */
export function powershellOf(server: string, roles: readonly Role[]): string {
  const values = changeValues(roles);
  const lines = [
    `# ${safeHost(server)}: switch off ${OFF.join(', ')} (${roles.join(' and ')} side), keep TLS 1.2 on, .NET on the OS defaults.`,
    '# Review, run in an elevated PowerShell on this server, then reboot. tls-census does not run it.',
  ];
  for (const key of keysOf(values)) {
    const path = `HKLM:\\${key}`;
    lines.push(`$k = '${path}'`);
    // New-Item -Force on an existing registry key would empty it: create only what is missing
    lines.push(`if (-not (Test-Path $k)) { New-Item -Path $k -Force | Out-Null }`);
    for (const v of values.filter((x) => x.key === key)) {
      lines.push(`New-ItemProperty -Path $k -Name ${v.name} -Value ${v.value} -Type DWord -Force | Out-Null`);
    }
  }
  return lines.join('\n');
}

/** The same change as .reg file text (ASCII only; import with regedit after review). */
export function regOf(roles: readonly Role[]): string {
  const values = changeValues(roles);
  const lines = ['Windows Registry Editor Version 5.00'];
  for (const key of keysOf(values)) {
    lines.push('', `[HKEY_LOCAL_MACHINE\\${key}]`);
    for (const v of values.filter((x) => x.key === key)) lines.push(`"${v.name}"=dword:${v.value.toString(16).padStart(8, '0')}`);
  }
  return lines.join('\n');
}

export const REBOOT_NOTE =
  'Reboot the server: Schannel reads these keys only at start. Plan it in a maintenance window (on a DAG member, ' +
  'move the active databases off first).';

export function verifySteps(name: string): string[] {
  const server = safeHost(name);
  return [
    `Run Exchange HealthChecker on ${server} (.\\HealthChecker.ps1 -Server ${server}): its TLS section should show ` +
      'TLS 1.0 and 1.1 disabled, TLS 1.2 enabled, SystemDefaultTlsVersions and SchUseStrongCrypto set.',
    `The next nightly tls-census scan should show no new TLS 1.0/1.1 traffic on ${server}.`,
    'Clients that now fail show in the HTTPERR logs (the Exchange Server section of the report) and as Schannel ' +
      'events 36874/36888 in the System log.',
  ];
}
