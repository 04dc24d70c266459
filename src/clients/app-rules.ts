// Rules for programs rather than people: .NET, PowerShell, WinRM, Java, curl, Python, Go, Windows components,
// and SMTP EHLO names (the Exchange SMTP formats store the EHLO argument as the user agent).
import type { ClientRule, ClientMatch } from './types.js';
import { compareVersions, windowsName } from './ua-context.js';

/** .NET 4.x runtime revision of "4.0.30319.REV": 17929-36xxx = 4.5.x, 42000 = 4.6 and later. */
function dotnetVerdict(major: number, revision: number | null): Pick<ClientMatch, 'client' | 'tls12' | 'hint'> {
  if (major < 4) return { client: '.NET Framework 2.0-3.5 app', tls12: 'no', hint: 'dotnet2' };
  if (revision === null) return { client: '.NET Framework 4.x app', tls12: 'no', hint: 'dotnet4' };
  if (revision >= 42000) return { client: '.NET Framework 4.6+ app', tls12: 'unknown', hint: 'dotnet4' };
  if (revision >= 17000) return { client: '.NET Framework 4.5 app', tls12: 'no', hint: 'dotnet4' };
  return { client: '.NET Framework 4.0 app', tls12: 'no', hint: 'dotnet40' };
}

/** Default hostnames of multifunction printers, which often still send mail over TLS 1.0. */
const PRINTER_EHLO: readonly (readonly [RegExp, string])[] = [
  [/^NPI[0-9A-F]{6}$/i, 'HP'],
  [/^RNP[0-9A-F]{12}$/i, 'Ricoh'],
  [/^BR[NW][0-9A-F]{12}$/i, 'Brother'],
  [/^KM[0-9A-F]{6}$/i, 'Konica Minolta'],
  [/^EPSON[0-9A-F]{6}$/i, 'Epson'],
];

export const APP_RULES: readonly ClientRule[] = [
  {
    id: 'dotnet-soap',
    // SoapHttpClientProtocol's UA names the runtime; Microsoft: .NET 4.5 does not use TLS 1.2 by default.
    test: (ctx) => {
      const m = /^MS Web Services Client Protocol (\d+)\.\d+\.\d+(?:\.(\d+))?/.exec(ctx.ua);
      if (!m) return null;
      const major = Number(m[1]);
      const v = dotnetVerdict(major, m[2] === undefined ? null : Number(m[2]));
      return { ...v, family: '.NET Framework', version: ctx.ua.slice('MS Web Services Client Protocol '.length).trim(), os: null };
    },
    matches: [
      { ua: 'MS Web Services Client Protocol 4.0.30319', client: '.NET Framework 4.x app', tls12: 'no' },
      { ua: 'MS Web Services Client Protocol 4.0.30319.42000', client: '.NET Framework 4.6+ app', tls12: 'unknown' },
      { ua: 'MS Web Services Client Protocol 4.0.30319.34209', client: '.NET Framework 4.5 app', tls12: 'no' },
      { ua: 'MS Web Services Client Protocol 4.0.30319.1', client: '.NET Framework 4.0 app', tls12: 'no' },
      { ua: 'MS Web Services Client Protocol 2.0.50727.8806', client: '.NET Framework 2.0-3.5 app', tls12: 'no' },
    ],
    nonMatches: ['ExchangeServicesClient/15.00.0913.015'],
  },
  {
    id: 'powershell',
    test: (ctx) => {
      const win = /WindowsPowerShell\/(\d+\.\d+)/.exec(ctx.ua);
      if (win) {
        return { client: `Windows PowerShell ${win[1]}`, family: 'PowerShell', version: win[1], os: ctx.windowsNt === null ? null : windowsName(ctx.windowsNt), tls12: 'no', hint: 'powershell5' };
      }
      const core = /\bPowerShell\/(\d+\.\d+)/.exec(ctx.ua);
      if (!core) return null;
      return { client: `PowerShell ${core[1]}`, family: 'PowerShell', version: core[1], os: ctx.windowsNt === null ? null : windowsName(ctx.windowsNt), tls12: 'yes', hint: null };
    },
    matches: [
      { ua: 'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.1', client: 'Windows PowerShell 5.1', tls12: 'no' },
      { ua: 'Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.19045; en-US) PowerShell/7.4.1', client: 'PowerShell 7.4', tls12: 'yes' },
    ],
    nonMatches: ['Microsoft WinRM Client'],
  },
  {
    id: 'winrm',
    test: (ctx) =>
      /^Microsoft WinRM Client/i.test(ctx.ua)
        ? { client: 'Remote PowerShell (WinRM)', family: 'WinRM', version: null, os: null, tls12: 'unknown', hint: 'winrm' }
        : null,
    matches: [{ ua: 'Microsoft WinRM Client', client: 'Remote PowerShell (WinRM)', tls12: 'unknown' }],
    nonMatches: ['Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.1'],
  },
  {
    id: 'java',
    // Java 7 supports TLS 1.2 but its client does not enable it by default; Java 6 has it only in paid updates.
    test: (ctx) => {
      const m = /\bJava\/(?:1\.(\d+)|(\d+))(?:[._][\d._]*)?/.exec(ctx.ua);
      if (!m) return null;
      const major = Number(m[1] ?? m[2]);
      const lib = /^([A-Za-z][\w.-]*)\/([\d.]+)/.exec(ctx.ua);
      const prefix = lib && !/^Java$/i.test(lib[1]) ? `${lib[1]} ${lib[2]} on ` : '';
      const verdict: Pick<ClientMatch, 'tls12' | 'hint'> = major <= 6 ? { tls12: 'no', hint: 'java6' } : major === 7 ? { tls12: 'no', hint: 'java7' } : { tls12: 'yes', hint: null };
      return { client: `${prefix}Java ${major}`, family: 'Java', version: m[0].slice(5), os: null, ...verdict };
    },
    matches: [
      { ua: 'Java/1.7.0_80', client: 'Java 7', tls12: 'no' },
      { ua: 'Java/1.6.0_45', client: 'Java 6', tls12: 'no' },
      { ua: 'Java/1.8.0_181', client: 'Java 8', tls12: 'yes' },
      { ua: 'Java/11.0.2', client: 'Java 11', tls12: 'yes' },
      { ua: 'Apache-HttpClient/4.5.2 (Java/1.7.0_80)', client: 'Apache-HttpClient 4.5.2 on Java 7', tls12: 'no' },
    ],
    nonMatches: ['Mozilla/5.0 (Windows NT 6.1; rv:24.0) Gecko/20100101 Firefox/24.0'],
  },
  {
    id: 'curl',
    // curl negotiates the highest version its TLS library has; 7.34 added the TLS 1.1/1.2 options.
    test: (ctx) => {
      const m = /^curl\/(\d+)\.(\d+)(?:\.(\d+))?/.exec(ctx.ua);
      if (!m) return null;
      const version = m.slice(1).filter((p) => p !== undefined).join('.');
      const current = compareVersions(version, '7.34') >= 0;
      return { client: `curl ${m[1]}.x`, family: 'curl', version, os: null, tls12: current ? 'yes' : 'unknown', hint: current ? 'tlsLibrary' : 'curlOld' };
    },
    matches: [
      { ua: 'curl/7.19.7 (x86_64-redhat-linux-gnu) libcurl/7.19.7 NSS/3.27.1', client: 'curl 7.x', tls12: 'unknown' },
      { ua: 'curl/8.5.0', client: 'curl 8.x', tls12: 'yes' },
    ],
    nonMatches: ['libcurl-agent/1.0'],
  },
  {
    id: 'python',
    test: (ctx) => {
      const m = /^(python-requests|Python-urllib|python-httpx|aiohttp|Python)\/(\d+)\.(\d+)/i.exec(ctx.ua);
      if (!m) return null;
      return { client: `${m[1]} ${m[2]}.x`, family: 'Python', version: `${m[2]}.${m[3]}`, os: null, tls12: 'unknown', hint: 'python' };
    },
    matches: [
      { ua: 'python-requests/2.31.0', client: 'python-requests 2.x', tls12: 'unknown' },
      { ua: 'Python-urllib/2.7', client: 'Python-urllib 2.x', tls12: 'unknown' },
    ],
    nonMatches: ['curl/8.5.0'],
  },
  {
    id: 'go',
    test: (ctx) =>
      /^Go-http-client\//.test(ctx.ua) ? { client: 'Go HTTP client', family: 'Go', version: null, os: null, tls12: 'yes', hint: null } : null,
    matches: [{ ua: 'Go-http-client/1.1', client: 'Go HTTP client', tls12: 'yes' }],
    nonMatches: ['python-requests/2.31.0'],
  },
  {
    id: 'windows-component',
    // These components version themselves with the Windows NT version: Microsoft-CryptoAPI/6.1 is Windows 7.
    test: (ctx) => {
      const m = /^(Microsoft-CryptoAPI|Microsoft-WebDAV-MiniRedir)\/(\d+\.\d+)/.exec(ctx.ua);
      if (!m) return null;
      const nt = Number(m[2]);
      const os = windowsName(nt);
      const name = m[1] === 'Microsoft-CryptoAPI' ? 'Windows CryptoAPI' : 'Windows WebDAV client';
      const verdict: Pick<ClientMatch, 'tls12' | 'hint'> = nt < 6.1 ? { tls12: 'no', hint: 'windowsXp' } : nt === 6.1 ? { tls12: 'no', hint: 'win7winhttp' } : { tls12: 'yes', hint: null };
      return { client: `${name} on ${os}`, family: 'Windows', version: m[2], os, ...verdict };
    },
    matches: [
      { ua: 'Microsoft-CryptoAPI/6.1', client: 'Windows CryptoAPI on Windows 7', tls12: 'no' },
      { ua: 'Microsoft-WebDAV-MiniRedir/10.0.19045', client: 'Windows WebDAV client on Windows 10/11', tls12: 'yes' },
    ],
    nonMatches: ['Microsoft WinRM Client'],
  },
  {
    id: 'printer-ehlo',
    test: (ctx) => {
      const name = ctx.ua.trim();
      const hit = PRINTER_EHLO.find(([re]) => re.test(name));
      return hit ? { client: `${hit[1]} multifunction device (${name})`, family: 'Printer', version: null, os: null, tls12: 'unknown', hint: 'printer' } : null;
    },
    matches: [
      { ua: 'NPI8A2C3B', client: 'HP multifunction device (NPI8A2C3B)', tls12: 'unknown' },
      { ua: 'RNP002673A1B2C3', client: 'Ricoh multifunction device (RNP002673A1B2C3)', tls12: 'unknown' },
    ],
    nonMatches: ['mail.contoso.com', 'NPI-Gateway/2.0'],
  },
  {
    id: 'smtp-host',
    // An EHLO argument: a dotted host name or an address literal, no spaces or slashes.
    test: (ctx) => {
      const name = ctx.ua.trim();
      if (!/^(?:[A-Za-z0-9_-]+\.)+[A-Za-z0-9_-]+$|^\[[0-9A-Fa-f.:]+\]$|^\[IPv6:[0-9A-Fa-f.:]+\]$/.test(name) || /^\d+(?:\.\d+)*$/.test(name)) return null;
      return { client: `SMTP host ${name}`, family: 'SMTP', version: null, os: null, tls12: 'unknown', hint: 'smtpHost' };
    },
    matches: [
      { ua: 'mail.contoso.com', client: 'SMTP host mail.contoso.com', tls12: 'unknown' },
      { ua: '[192.0.2.25]', client: 'SMTP host [192.0.2.25]', tls12: 'unknown' },
    ],
    nonMatches: ['curl/8.5.0', '4.0.30319'],
  },
];
