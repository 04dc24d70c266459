// Real Exchange HttpProxy user agents (Qazeer/artefacts.help, CC0; issue 11): each is identified, or honestly
// `unknown`, as written in the HttpProxy log (which writes the commas of a user agent as spaces) and as IIS logs the
// same agent (commas kept, spaces as `+`). Scanned from an IIS log on TLS 1.0, the scanner is noise that does not
// block, and the Managed Availability probes (AMProbe, Ews_AM_Probe) are the server's own traffic: noise
// `managed-availability` in legacy_clients, and a blocker with the server-side fix in the machine verdict.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identify } from '../../src/clients/identify.js';
import { runCli } from '../cli/run-cli.js';
import { fixture, tempDir } from '../helpers.js';

const AGENTS = readFileSync(fixture('clients/artefacts-httpproxy-useragents.txt'), 'utf8').split('\n').filter((l) => l !== '');

/** What tls-census must make of each agent of the file, in its order. */
const EXPECTED = [
  { client: 'Apple Mail/Calendar (EWS)', rule: 'apple-ews', tls12: 'unknown', noise: null },
  { client: 'Outlook mobile (cloud service)', rule: 'outlook-mobile', tls12: 'yes', noise: null },
  { client: 'scanner (zgrab)', rule: 'scanner-ua', tls12: 'unknown', noise: 'scanner' },
  { client: 'Exchange Managed Availability probe', rule: 'managed-availability-probe', tls12: 'unknown', noise: 'managed-availability' },
  { client: 'Exchange Managed Availability probe', rule: 'managed-availability-probe', tls12: 'unknown', noise: 'managed-availability' },
  // Exchange's own MAPI over HTTP client library: nothing in the agent tells its version or platform
  { client: 'MapiHttpClient', rule: 'other', tls12: 'unknown', noise: null },
  { client: 'Chrome 62 on Windows 10/11', rule: 'chromium', tls12: 'yes', noise: null },
  { client: 'Remote PowerShell (WinRM)', rule: 'winrm', tls12: 'unknown', noise: null },
  { client: 'Chrome 107 on Linux', rule: 'chromium', tls12: 'yes', noise: null },
] as const;

/** The agent as IIS would log it: HttpProxy's `(KHTML  like Gecko)` is `(KHTML, like Gecko)`. */
const withCommas = (ua: string): string => ua.replace(/\(KHTML {2}like Gecko\)/g, '(KHTML, like Gecko)');

describe('artefacts.help HttpProxy user agents', () => {
  it('has the nine agents the source lists, two with commas written as spaces', () => {
    expect(AGENTS).toHaveLength(EXPECTED.length);
    expect(AGENTS.filter((ua) => ua.includes('(KHTML  like Gecko)'))).toHaveLength(2);
  });

  it.each(AGENTS.map((ua, i) => [ua, EXPECTED[i]] as const))('%s', (ua, want) => {
    const got = identify(ua);
    expect({ client: got.client, rule: got.rule, tls12: got.tls12Capable, noise: got.noise }).toEqual(want);
    expect(identify(withCommas(ua))).toEqual(got); // the same reading whichever log wrote it
  });
});

const IIS_HEADER =
  '#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: 2024-03-11 00:00:00\n' +
  '#Fields: date time s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken crypt-protocol crypt-cipher crypt-hash crypt-keyexchange\n';

/** One TLS 1.0 request (200) per agent, each from its own address, as IIS logs it on EXCH01. */
function iisLog(agents: readonly string[]): string {
  return IIS_HEADER + agents.map((ua, i) =>
    `2024-03-11 08:${String(10 + i).padStart(2, '0')}:00 EXCH01 10.0.0.5 POST /EWS/Exchange.asmx - 443 - 192.0.2.${10 + i} ${withCommas(ua).replace(/ /g, '+')} 200 0 0 15 40 6610 8004 ae06\n`,
  ).join('');
}

async function scanJson(agents: readonly string[]) {
  const dir = tempDir('tls-census-httpproxy-');
  mkdirSync(join(dir, 'W3SVC1'));
  writeFileSync(join(dir, 'W3SVC1', 'u_ex240311_x.log'), iisLog(agents));
  const db = join(dir, 'c.db');
  expect((await runCli(['scan', dir, '--db', db, '--quiet'])).code).toBe(0);
  const r = await runCli(['report', '--db', db, '--format', 'json', '--min-days', '1']);
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as {
    legacyClients: { userAgent: string; client: string; noise: string | null }[];
    verdicts: { safeToDisable: string; noiseHits: number; ownHits: number; ownClients: number; realClients?: number }[];
    servers: { server: string; safeToDisable: string }[];
  };
}

describe('the HttpProxy agents on TLS 1.0 in an IIS log', () => {
  it('lists every agent as a legacy client, the scanner and the probes as their noise classes', async () => {
    const json = await scanJson(AGENTS);
    const noise = Object.fromEntries(json.legacyClients.map((c) => [c.userAgent, c.noise]));
    expect(noise).toEqual(Object.fromEntries(AGENTS.map((ua, i) => [withCommas(ua), EXPECTED[i].noise])));
    expect(json.servers).toEqual([expect.objectContaining({ server: 'EXCH01', safeToDisable: 'no' })]);
  });

  it('only the scanner: noise, the machine is clear', async () => {
    const json = await scanJson(AGENTS.filter((_, i) => EXPECTED[i].noise === 'scanner'));
    expect(json.verdicts).toEqual([expect.objectContaining({ safeToDisable: 'yes', noiseHits: 1, ownHits: 0 })]);
    expect(json.servers).toEqual([expect.objectContaining({ safeToDisable: 'yes' })]);
  });

  it('the scanner and the two probes: the probes are the server\'s own traffic and block, the scanner does not count', async () => {
    const json = await scanJson(AGENTS.filter((_, i) => EXPECTED[i].noise !== null));
    expect(json.verdicts).toEqual([expect.objectContaining({ safeToDisable: 'no', noiseHits: 1, ownHits: 2, ownClients: 2 })]);
    expect(json.servers).toEqual([expect.objectContaining({ safeToDisable: 'no' })]);
  });
});
