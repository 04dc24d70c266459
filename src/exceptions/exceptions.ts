// Known exceptions: a client (address or network, user, user-agent pattern, sender) allowed to use legacy TLS
// until a date, for a reason. Pure: parsing, validation and matching; storing lives in exception-store.ts.
import { BlockList, isIP } from 'node:net';
import { CensusError } from '../errors.js';

export const EXCEPTION_MATCHES = ['ip', 'user', 'agent', 'sender'] as const;
export type ExceptionMatch = (typeof EXCEPTION_MATCHES)[number];

export interface KnownException {
  /** Row id in table exceptions; null for one read from an --exceptions file. */
  readonly id: number | null;
  readonly match: ExceptionMatch;
  readonly value: string;
  readonly reason: string;
  /** Last day it applies, YYYY-MM-DD (UTC); from the day after, it no longer applies. */
  readonly expires: string;
  /** "database" or "FILE:LINE". */
  readonly origin: string;
}

/** The client identity legacy hits are grouped by (as in the legacy_clients view). */
export interface ClientKey {
  readonly source: string;
  readonly clientIp: string | null;
  readonly username: string | null;
  readonly userAgent: string | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const isRealDay = (d: string): boolean =>
  DAY.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

/** Checks one exception's fields; `where` names the flag or FILE:LINE in the message. */
export function checkException(
  where: string,
  fields: { match: string; value: string; reason: string; expires: string },
): Omit<KnownException, 'id' | 'origin'> {
  const bad = (what: string, got: string): CensusError =>
    new CensusError('USAGE', `Invalid exception ${where}: expect ${what}, got ${JSON.stringify(got)}`);
  const match = fields.match.trim().toLowerCase();
  if (!(EXCEPTION_MATCHES as readonly string[]).includes(match)) throw bad(EXCEPTION_MATCHES.join('|'), fields.match);
  const value = fields.value.trim();
  if (value === '') throw bad('a value to match', fields.value);
  if (match === 'ip' && ipMatcher(value) === null) throw bad('an IP address or network (10.1.0.0/16)', value);
  const expires = fields.expires.trim();
  if (!isRealDay(expires)) throw bad('an expiry date YYYY-MM-DD', fields.expires);
  const reason = fields.reason.trim();
  if (reason === '') throw bad('a reason', fields.reason);
  return { match: match as ExceptionMatch, value, reason, expires };
}

export const isActive = (e: KnownException, today: string): boolean => e.expires >= today;

/** "*" matches anything; everything else literally, case-insensitively. */
function glob(pattern: string): RegExp {
  const body = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`, 'is');
}

function ipMatcher(value: string): ((ip: string) => boolean) | null {
  const [net, bits, extra] = value.split('/');
  const family = isIP(net);
  if (family === 0 || extra !== undefined) return null;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  if (bits === undefined) {
    list.addAddress(net, type);
  } else {
    const prefix = Number(bits);
    if (!/^\d+$/.test(bits) || prefix > (family === 4 ? 32 : 128)) return null;
    list.addSubnet(net, prefix, type);
  }
  return (ip) => {
    const f = isIP(ip);
    return f !== 0 && list.check(ip, f === 4 ? 'ipv4' : 'ipv6');
  };
}

export type ExceptionMatcher = (client: ClientKey) => KnownException | null;

/** The first of `exceptions` that matches a client, or null. User-agent values without "*" match as substrings. */
export function matcherOf(exceptions: readonly KnownException[]): ExceptionMatcher {
  const tests = exceptions.map((e) => {
    let test: (c: ClientKey) => boolean;
    if (e.match === 'ip') {
      const ip = ipMatcher(e.value);
      test = (c) => ip !== null && c.clientIp !== null && ip(c.clientIp);
    } else if (e.match === 'agent') {
      const re = glob(e.value.includes('*') ? e.value : `*${e.value}*`);
      test = (c) => c.userAgent !== null && re.test(c.userAgent);
    } else {
      const re = glob(e.value); // user and sender: both are stored as usage.username
      test = (c) => c.username !== null && re.test(c.username);
    }
    return { e, test };
  });
  return (client) => tests.find((t) => t.test(client))?.e ?? null;
}
