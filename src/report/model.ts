// What every report format is made from: one read-only snapshot of the database for a window.
// Types only; summary.ts reads it, redact.ts rewrites it, the formatters print it (json.ts documents the JSON).
import type { ReportFilter } from './filter.js';
import type { ExchangeSection } from './sections/exchange.js';
import type { ExoSection } from './sections/exo.js';
import type { FindingsSection } from './sections/findings.js';

export { LEGACY_PROTOCOLS } from '../tls/legacy.js';
import { ENTRA_LEGACY_LABEL } from '../tls/legacy.js';

export interface ProtocolTotal {
  readonly source: string;
  readonly protocol: string;
  readonly hits: number;
  readonly clients: number;
  readonly share: number; // of the source's hits, 0..1
}

export type Tls12Capable = 'yes' | 'no' | 'unknown';

export interface LegacyClient {
  readonly source: string;
  readonly clientIp: string | null;
  readonly username: string | null;
  readonly userAgent: string | null;
  /** From client identification when the database has it (legacy_clients.client …), else null. */
  readonly client: string | null;
  readonly tls12Capable: Tls12Capable | null;
  readonly noise: string | null;
  readonly hint: string | null;
  readonly legacyHits: number;
  readonly ssl2Hits: number;
  readonly ssl3Hits: number;
  readonly tls10Hits: number;
  readonly tls11Hits: number;
  readonly modernHits: number;
  readonly authFailures: number; // 401s among the legacy hits
  readonly errors: number; // other 4xx/5xx among the legacy hits
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly servers: readonly string[];
  readonly endpoints: readonly string[];
  readonly internal: boolean;
  /** The known exception in force that covers this client (reports only mark it), or null. */
  readonly exception: ClientException | null;
}

/**
 * A person or a device: the real (not noise) legacy clients of one (source, username, client_ip), each client one
 * user agent. Counts are their sums; `agents` are the clients beneath, most hits first.
 */
export interface LegacyPerson {
  readonly source: string;
  readonly clientIp: string | null;
  readonly username: string | null;
  readonly legacyHits: number;
  readonly ssl2Hits: number;
  readonly ssl3Hits: number;
  readonly tls10Hits: number;
  readonly tls11Hits: number;
  readonly modernHits: number; // TLS 1.2+ hits of these same agents
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly servers: readonly string[];
  readonly endpoints: readonly string[];
  readonly internal: boolean;
  readonly agents: readonly LegacyClient[];
  /** The account its user name names (people.ts accountOf): the same person's rows of every source are listed together. */
  readonly account: string | null;
  /** The row above in the list is the same account (from another source, address or domain spelling). */
  readonly sameUserAsAbove: boolean;
}

export interface ClientException {
  readonly match: string;
  readonly value: string;
  readonly reason: string;
  readonly expires: string;
}

/** Legacy clients of one noise class (probes, health checks, challenge-only, scanners), shown apart. */
export interface NoiseGroup {
  readonly noise: string;
  readonly clients: number;
  readonly hits: number;
  readonly addresses: readonly string[];
}

export type Verdict = 'yes' | 'no' | 'unknown';

/**
 * Why traffic of a source could be legacy without the logs telling: an IIS site without the crypt fields, POP3/IMAP4
 * logs without versions, SMTP sessions whose TLS line is not logged (below Verbose), or a machine whose only HTTP
 * evidence is the HTTP.sys error log (drops and timeouts, no IIS log with TLS versions).
 */
export type UnknownReason = 'no-tls-fields' | 'no-mail-versions' | 'no-tls-lines' | 'httperr-only' | 'no-signin-details' | 'no-versions';

/**
 * A real legacy client behind a "no" of an SMTP connector (smtp-receive, smtp-send): the remote host that needs
 * TLS 1.0/1.1 to send to or receive from this server. `name` is its EHLO name (Receive) or the name in its greeting
 * (Send); `username` the account it signed in with.
 */
export interface Dependency {
  readonly clientIp: string | null;
  readonly name: string | null;
  readonly username: string | null;
  readonly legacyHits: number;
  readonly lastDay: string;
}

/** "Safe to disable TLS 1.0/1.1?" for one source, server and site in the window, with the evidence. */
export interface SiteVerdict {
  readonly source: string;
  readonly server: string | null;
  readonly site: string | null;
  readonly verdict: Verdict;
  readonly hits: number;
  readonly legacyHits: number; // all legacy hits, noise included
  /** Legacy hits of noise that does not block (health checks, challenge-only clients, scanners). */
  readonly noiseHits: number;
  readonly noiseClasses: readonly string[];
  /** Legacy hits of real clients a known exception in force covers. */
  readonly exceptedHits: number;
  readonly exceptedClients: number;
  /** Legacy hits of the server's own components (Managed Availability, server-to-server, loopback): they block. */
  readonly ownHits: number;
  readonly ownClients: number;
  /** Legacy hits and clients that block the verdict besides own traffic: real clients without an exception. */
  readonly realLegacyHits: number;
  readonly realLegacyClients: number;
  /** The same clients as people or devices: distinct (username, client address). */
  readonly realLegacyPeople: number;
  readonly noTlsFieldHits: number; // hits whose protocol the logs do not tell (see unknownReason)
  /** Set when noTlsFieldHits make the verdict unknown (or, for HTTP.sys, when nothing else tells). */
  readonly unknownReason: UnknownReason | null;
  readonly firstDay: string;
  readonly lastDay: string;
  /** SMTP sources: the real legacy clients (remote hosts), most legacy hits first, at most MAX_DEPENDENCIES. */
  readonly dependencies: readonly Dependency[];
  /** How many real legacy clients the site has beyond `dependencies`. */
  readonly moreDependencies: number;
  readonly evidence: string;
}

/** Where a legacy client's hits go in a verdict (see legacy-query.ts shareOf). */
export type Share = 'noise' | 'excepted' | 'own' | 'real';

/** Legacy hits and distinct clients of the window per share: what the verdicts (and so the thresholds) count. */
export type LegacyTally = Readonly<Record<Share, { readonly hits: number; readonly clients: number }>>;

/** What blocks a machine: real legacy clients, or its own components (fixed on the server itself). */
export type BlockerKind = 'clients' | 'server-own';

export interface MachineBlocker {
  readonly kind: BlockerKind;
  readonly source: string;
  readonly site: string | null;
  readonly clients: number;
  /** `clients` as people or devices (distinct user and address); for `server-own`, the clients. */
  readonly people: number;
  readonly hits: number;
  /** One sentence; for `server-own` it names the server-side fix. */
  readonly text: string;
}

export interface MachineUnknown {
  readonly reason: UnknownReason;
  readonly source: string;
  readonly site: string | null;
  readonly hits: number;
  readonly text: string;
}

/**
 * "Can TLS 1.0/1.1 be disabled on this machine?" over every source of the machine (or tenant) in the window: no when
 * anything blocks, else unknown when some traffic could be legacy unseen, else yes (`shortWindow` when fewer than
 * `minDays` days were observed). `sources` are the per-source rows it rests on.
 */
export interface MachineVerdict {
  readonly server: string | null;
  readonly verdict: Verdict;
  /** Days with data for this machine in the window. */
  readonly days: number;
  readonly minDays: number;
  readonly shortWindow: boolean;
  readonly firstDay: string;
  readonly lastDay: string;
  readonly blockers: readonly MachineBlocker[];
  readonly unknowns: readonly MachineUnknown[];
  readonly sources: readonly SiteVerdict[];
  /** One line: the verdict in words ("yes, but only 3 days observed", "no: 2 blockers", …). */
  readonly headline: string;
}

/** The most dependencies a verdict lists (its evidence names the first three). */
export const MAX_DEPENDENCIES = 10;

/** What kind of work a plan action is (plan.ts decides it from the fix hint). */
export type ActionKind = 'upgrade' | 'replace' | 'app' | 'windows' | 'infrastructure' | 'server' | 'investigate';

/** Schannel roles: Server keys stop inbound use, Client keys the machine's own outbound connections. */
export type Role = 'Server' | 'Client';

export interface PlanPerson {
  readonly username: string | null;
  readonly clientIp: string | null;
  /** "until DAY: reason" when a known exception covers it. */
  readonly exception: string | null;
}

export interface PlanAction {
  readonly kind: ActionKind;
  /** What the clients are (`client` of the identification), or the user agent when unidentified. */
  readonly client: string | null;
  readonly hint: string | null;
  readonly people: readonly PlanPerson[];
  readonly hits: number;
  /** Left blank: the admin fills it in. */
  readonly owner: string;
}

export interface ServerChange {
  /** What to do before the change: clients that still use TLS 1.0/1.1 here without blocking the verdict. */
  readonly before: readonly string[];
  /** Server keys always; Client keys only when the machine's own outbound traffic is clear. */
  readonly roles: readonly Role[];
  /** Why the Client keys are or are not part of it. */
  readonly clientKeys: string;
  readonly powershell: string;
  readonly reg: string;
  readonly reboot: string;
  readonly verify: readonly string[];
}

export interface MachinePlan {
  readonly server: string | null;
  readonly verdict: Verdict;
  readonly headline: string;
  readonly actions: readonly PlanAction[];
  /** The change to make once nothing needs TLS 1.0/1.1 (verdict yes); null otherwise. */
  readonly change: ServerChange | null;
  /** What stands between this machine and the change, when it is not yes. */
  readonly waitingFor: readonly string[];
}

export interface DailyProtocols {
  readonly day: string;
  readonly hits: Readonly<Record<string, number>>; // protocol → hits
  readonly legacyShare: number; // legacy hits / TLS hits (SSL and TLS versions), 0..1
  readonly legacyHits: number; // SSL 2.0 … TLS 1.1, noise included
  /** Legacy hits of real clients (noise aside; known exceptions count: they are still to fix). */
  readonly realLegacyHits: number;
  /** Those clients as people or devices (distinct source, user, address) that day. */
  readonly legacyPeople: number;
}

export interface EndpointBreakdown {
  readonly source: string;
  readonly endpoint: string | null;
  readonly hits: number;
  readonly legacyHits: number;
  readonly legacyClients: number; // distinct addresses
  readonly protocols: Readonly<Record<string, number>>;
}

export interface FileStats {
  readonly read: number;
  readonly skipped: number;
  readonly failed: number;
  readonly lines: number;
  readonly badLines: number;
  readonly unread: readonly { readonly path: string; readonly status: string; readonly reason: string | null }[];
  /** Files read without directives: the default fields they were read with and how those were inferred. */
  readonly inferred: readonly { readonly path: string; readonly format: string; readonly layout: string }[];
  readonly problems: readonly {
    readonly path: string;
    readonly code: string;
    readonly count: number;
    readonly firstLine: number;
    readonly message: string;
  }[];
}

export interface Summary {
  readonly filter: ReportFilter;
  /** First and last day with data in the window. */
  readonly firstDay: string | null;
  readonly lastDay: string | null;
  readonly totals: readonly ProtocolTotal[];
  /** Legacy clients in order (real clients first, most hits first), cut to `top` when one was given. */
  readonly legacy: readonly LegacyClient[];
  readonly legacyClients: number;
  readonly legacyHits: number;
  /** Real legacy clients grouped into people and devices, in order, cut to `top` people when one was given. */
  readonly people: readonly LegacyPerson[];
  /** Real (not noise) people and devices of the window, known exceptions included. */
  readonly legacyPeople: number;
  readonly noise: readonly NoiseGroup[];
  /** Real legacy clients of the window that a known exception in force covers. */
  readonly excepted: { readonly clients: number; readonly hits: number };
  readonly verdicts: readonly SiteVerdict[];
  /** One verdict per machine (server name, case-insensitive) over all its sources; see machine-verdict.ts. */
  readonly machines: readonly MachineVerdict[];
  /** One plan per machine, in the order of `machines` (plan.ts). */
  readonly plans: readonly MachinePlan[];
  /** Legacy hits and clients of the window by share (real, own, noise, excepted): what the verdicts count. */
  readonly tally: LegacyTally;
  readonly daily: readonly DailyProtocols[];
  readonly endpoints: readonly EndpointBreakdown[];
  readonly plain: { readonly hits: number; readonly clients: number };
  readonly unknown: { readonly hits: number; readonly codes: readonly { code: string | null; hits: number }[] };
  /** Files are not dated: these count the whole database, whatever the window. */
  readonly files: FileStats;
  /** IIS files whose #Fields never had crypt-protocol, and their hits. */
  readonly withoutTlsFields: { readonly files: number; readonly hits: number; readonly examples: readonly string[] };
  /** Newest event in the whole database (the anchor of --days). */
  readonly newestSeen: string | null;
  /** Client addresses and user names replaced by keyed pseudonyms. */
  readonly redacted: boolean;
  /** Exchange Online report exports (SMTP AUTH senders, connectors); null when none was scanned. */
  readonly exo?: ExoSection | null;
  /** Exchange Server SMTP, POP3/IMAP4 and HTTP.sys findings (see sections/exchange.ts); null when none. */
  readonly exchange?: ExchangeSection | null;
  /** Weak cryptography and blind spots (whole database, see sections/findings.ts). */
  readonly findings?: FindingsSection | null;
}

type ProtocolHits = Pick<LegacyClient, 'legacyHits' | 'ssl2Hits' | 'ssl3Hits' | 'tls10Hits' | 'tls11Hits'>;

/** Turns a legacy client's (or person's) per-protocol hits into "SSL3+1.0"-style labels. */
export function protocolsOf(c: ProtocolHits): string[] {
  const parts: string[] = [];
  if (c.ssl2Hits) parts.push('SSL 2.0');
  if (c.ssl3Hits) parts.push('SSL 3.0');
  if (c.tls10Hits) parts.push('TLS 1.0');
  if (c.tls11Hits) parts.push('TLS 1.1');
  if (flaggedHits(c) > 0) parts.push(ENTRA_LEGACY_LABEL);
  return parts;
}

/** Legacy hits of no known version: Entra ID sign-ins flagged "TLS 1.0/1.1 or 3DES". */
export const flaggedHits = (c: ProtocolHits): number => c.legacyHits - c.ssl2Hits - c.ssl3Hits - c.tls10Hits - c.tls11Hits;

/** What a formatter needs besides the data. */
export interface FormatOptions {
  /** The database as the user named it, for the heading. */
  readonly db: string;
  /** ANSI colours (text only): on a TTY without NO_COLOR. */
  readonly color: boolean;
}

/** The appcmd lines that add the four TLS fields to every IIS site's log (elevated prompt, in inetsrv). */
export const APPCMD: readonly string[] = [
  ['crypt-protocol', 'CRYPT_PROTOCOL'],
  ['crypt-cipher', 'CRYPT_CIPHER_ALG_ID'],
  ['crypt-hash', 'CRYPT_HASH_ALG_ID'],
  ['crypt-keyexchange', 'CRYPT_KEYEXCHANGE_ALG_ID'],
].map(
  ([field, variable]) =>
    `appcmd.exe set config -section:system.applicationHost/sites /+"siteDefaults.logFile.customFields.` +
    `[logFieldName='${field}',sourceName='${variable}',sourceType='ServerVariable']" /commit:apphost`,
);
