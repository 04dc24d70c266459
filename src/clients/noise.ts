// Noise classes: legacy traffic that is not a person's client. The user agent alone marks probes, monitors and
// scanners (rules below, stored per UA); the counts mark the rest in the legacy_clients view (NOISE_SQL).
import { sqlText } from '../tls/legacy.js';
import type { ClientRule, NoiseClass } from './types.js';

export interface NoiseClassInfo {
  readonly id: NoiseClass;
  readonly label: string;
  /** How it is recognized, for the README and reports. */
  readonly detection: string;
  /** The sources (usage.source) whose legacy clients it can mark; any other source's are never this noise. */
  readonly sources: readonly string[];
}

/**
 * Sources whose clients speak HTTP: user agents, 401 challenges and load-balancer probes mean what the classes say.
 * The mail sources never get these classes: an SMTP or POP3/IMAP4 session that failed to sign in, sent no EHLO or got
 * only errors still needed TLS 1.0/1.1 to get that far, and breaks when they go.
 */
export const HTTP_SOURCES = ['iis', 'httperr'] as const;

/**
 * Mail sources where a client signs in with an account: a HealthMailbox… account is Exchange's own probe. Not
 * smtp-send (Exchange itself is the client there; the remote server is the legacy party) nor the Exchange Online
 * exports (senders and connectors of the tenant, never probes).
 */
export const SIGN_IN_MAIL_SOURCES = ['smtp-receive', 'pop3', 'imap4'] as const;

export const NOISE_CLASSES: readonly NoiseClassInfo[] = [
  {
    id: 'managed-availability',
    label: 'Exchange Managed Availability probes',
    detection: 'user agent AMProbe/… or <Protocol>_AM_Probe/… (Ews_AM_Probe), or a HealthMailbox… user name (mail sources: the account only)',
    sources: [...HTTP_SOURCES, ...SIGN_IN_MAIL_SOURCES],
  },
  {
    id: 'health-check',
    label: 'load-balancer health checks and monitors',
    detection: 'a monitor user agent (KEMP, F5, NetScaler, HAProxy, kube-probe, Nagios, PRTG, …), or no user agent, no user name and no errors',
    sources: HTTP_SOURCES,
  },
  {
    id: 'challenge-only',
    label: 'challenge-only clients',
    detection: 'every legacy request got 401 (legacy_auth_failures = legacy_hits): never signed in over TLS 1.0/1.1',
    sources: HTTP_SOURCES,
  },
  {
    id: 'password-spray',
    label: 'password spraying over legacy TLS (Entra ID sign-ins)',
    detection: 'Entra ID sign-ins: every legacy sign-in from the address failed, whatever the user',
    sources: ['entra-signin'],
  },
  {
    id: 'scanner',
    label: 'scanners',
    detection: 'a scanner user agent (zgrab, masscan, Nmap, Nuclei, …), or no user agent and only errors',
    sources: HTTP_SOURCES,
  },
];

const MONITORS = /^(?:KEMP|kemp|F5[- ]|BIG-?IP|NetScaler|NSMonitor|Citrix|HAProxy|ELB-HealthChecker|kube-probe|Azure Traffic Manager|check_http|PRTG|Zabbix|Nagios|Load Balancer Agent|A10|Pingdom|UptimeRobot|Site24x7)/i;
const SCANNERS = /zgrab|masscan|Nmap Scripting Engine|\bnmap\b|sqlmap|Nuclei|Nikto|CensysInspect|Expanse|l9explore|l9tcpid|WhatWeb|Acunetix|Qualys|Nessus|OpenVAS|internet-measurement/i;

/** UA-only noise; they run before every other rule so a scanner faking IE 8 still counts as a scanner. */
export const NOISE_RULES: readonly ClientRule[] = [
  {
    id: 'managed-availability-probe',
    test: (ctx) => {
      // AMProbe/Local/ClientAccess; per-protocol probes name themselves <Protocol>_AM_Probe (Ews_AM_Probe/Local (…))
      const m = /^(?:AMProbe|[A-Za-z]+_AM_Probe)\/(\S+)/.exec(ctx.ua);
      return m
        ? { client: 'Exchange Managed Availability probe', family: 'Exchange', version: m[1], os: null, tls12: 'unknown', hint: 'probe', noise: 'managed-availability' }
        : null;
    },
    matches: [
      { ua: 'AMProbe/Local/ClientAccess', client: 'Exchange Managed Availability probe', tls12: 'unknown' },
      { ua: 'Ews_AM_Probe/Local (ExchangeServicesClient/15.01.2375.007)', client: 'Exchange Managed Availability probe', tls12: 'unknown' },
    ],
    nonMatches: ['Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)', 'ExchangeServicesClient/15.01.2375.007'],
  },
  {
    id: 'health-monitor',
    test: (ctx) => {
      const m = MONITORS.exec(ctx.ua);
      return m
        ? { client: `health check (${ctx.ua.split(/[/ ]/)[0]})`, family: 'Monitor', version: null, os: null, tls12: 'unknown', hint: 'healthCheck', noise: 'health-check' }
        : null;
    },
    matches: [
      { ua: 'KEMP 1.0', client: 'health check (KEMP)', tls12: 'unknown' },
      { ua: 'kube-probe/1.27', client: 'health check (kube-probe)', tls12: 'unknown' },
      { ua: 'check_http/v2.3.3 (nagios-plugins 2.3.3)', client: 'health check (check_http)', tls12: 'unknown' },
    ],
    nonMatches: ['curl/8.5.0', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36'],
  },
  {
    id: 'scanner-ua',
    test: (ctx) => {
      const m = SCANNERS.exec(ctx.ua);
      return m ? { client: `scanner (${m[0]})`, family: 'Scanner', version: null, os: null, tls12: 'unknown', hint: 'scanner', noise: 'scanner' } : null;
    },
    matches: [
      { ua: 'Mozilla/5.0 zgrab/0.x', client: 'scanner (zgrab)', tls12: 'unknown' },
      { ua: 'Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)', client: 'scanner (Nmap Scripting Engine)', tls12: 'unknown' },
    ],
    nonMatches: ['python-requests/2.31.0'],
  },
];

/** `('iis', 'httperr')`, for `source IN …`. */
export const sourceList = (values: readonly string[]): string => `(${values.map(sqlText).join(', ')})`;

/**
 * The view's noise column: for HTTP sources the UA class from the clients table `c`, else from the client's counts in
 * `g`; for the sign-in mail sources only a HealthMailbox account; for every other source (smtp-send, the Exchange
 * Online exports, sources added later) never. Part of the derived view legacy_clients (clients/schema.ts).
 */
export const NOISE_SQL = `CASE
    WHEN g.source IN ${sourceList(HTTP_SOURCES)} THEN CASE
      WHEN c.noise IS NOT NULL THEN c.noise
      WHEN g.username LIKE '%HealthMailbox%' THEN 'managed-availability'
      WHEN g.user_agent IS NULL AND g.legacy_errors = g.legacy_hits THEN 'scanner'
      WHEN g.legacy_auth_failures = g.legacy_hits THEN 'challenge-only'
      WHEN g.user_agent IS NULL AND g.username IS NULL AND g.legacy_errors = 0 AND g.legacy_auth_failures = 0 THEN 'health-check'
    END
    WHEN g.source IN ${sourceList(SIGN_IN_MAIL_SOURCES)} AND g.username LIKE '%HealthMailbox%' THEN 'managed-availability'
    WHEN g.source = 'entra-signin' AND g.client_ip IS NOT NULL
      AND sum(g.legacy_hits - g.legacy_auth_failures) OVER (PARTITION BY g.source, g.client_ip) = 0 THEN 'password-spray'
    WHEN g.source = 'entra-signin' THEN coalesce(c.noise, CASE WHEN g.username LIKE '%HealthMailbox%' THEN 'managed-availability' END)
  END`;
